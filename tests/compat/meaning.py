"""Challenge the engine's "compatible" verdicts with data.

Under BACKWARD a change is compatible exactly when every value valid under the old schema is
valid under the new one (FORWARD the reverse). So whenever the engine says compatible, values
are generated from the writer's schema (hypothesis-jsonschema) and checked against the reader's
with a real validator (jsonschema); one rejected value is a wrong verdict.

Random values rarely use the property names a change is about, so each draw picks a probe: the
writer's schema itself, or the writer's schema with one of the names of either side required.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from integraph.compat import diff_schemas

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
DIRECTIONS = (("BACKWARD", False), ("FORWARD", True))


def verdicts(old: Any, new: Any) -> dict[str, bool]:
    """Mode -> compatible, under BACKWARD and FORWARD."""
    return {mode: diff_schemas(old, new, mode=mode).compatible for mode, _ in DIRECTIONS}


def challenge(old: Any, new: Any, data: st.DataObject, draws: int = 2) -> None:
    """Fail when a direction the engine calls compatible is refuted by a generated value."""
    compatible = verdicts(old, new)
    for mode, swapped in DIRECTIONS:
        if not compatible[mode]:
            continue
        writer, reader = (new, old) if swapped else (old, new)
        validator = jsonschema.validators.validator_for(reader)(reader)
        for _ in range(draws):
            probe = data.draw(st.sampled_from(probes(writer, old, new)), label="probe")
            value = data.draw(from_schema(probe), label=f"value valid under the {mode} writer")
            assert validator.is_valid(value), (
                f"the engine says {mode} compatible, but {value!r} is valid under the writer's "
                f"schema and invalid under the reader's"
            )


def probes(writer: Any, *schemas: Any) -> list[Any]:
    names: list[str] = []
    for schema in schemas:
        if isinstance(schema, dict):
            names.extend(schema.get("properties") or {})
            names.extend(schema.get("required") or [])
            names.extend(schema.get("dependencies") or {})
            # a name each simple pattern matches: "^x" -> "x1"
            names.extend(
                p[1:] + "1" for p in schema.get("patternProperties") or {} if p[1:].isalnum()
            )
    found = [writer]
    for name in dict.fromkeys(names):
        found.append({"allOf": [writer, {"type": "object", "required": [name]}]})
    return found
