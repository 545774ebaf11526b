"""One definition per concept: the compatibility modes and content models are the blueprint
model's, and the model (the bottom layer) depends on nothing of the engine."""

from __future__ import annotations

import subprocess
import sys

import integraph.compat as compat
import integraph.compat.model as compat_model
import integraph.model as model


def test_modes_and_content_models_are_one_definition() -> None:
    assert compat.CompatibilityMode is model.CompatibilityMode
    assert compat_model.CompatibilityMode is model.CompatibilityMode
    assert compat.ContentModel is model.ContentModel
    assert compat_model.ContentModel is model.ContentModel
    # the engine's properties are the model's too
    assert model.CompatibilityMode.FULL_TRANSITIVE.transitive
    assert model.CompatibilityMode.FULL.checks_backward and model.CompatibilityMode.FULL.full
    assert not model.CompatibilityMode.BACKWARD.checks_forward


def test_a_contract_mode_is_a_mode_of_the_engine() -> None:
    contract = model.Contract(id="c", kind="avro", compatibility="FULL", content_model="closed")
    report = compat.diff_schemas("int", "long", mode=contract.compatibility)
    assert report.mode is contract.compatibility


def test_the_model_imports_nothing_of_the_engine() -> None:
    code = (
        "import sys, integraph.model; "
        "print(any(m.startswith('integraph.compat') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
