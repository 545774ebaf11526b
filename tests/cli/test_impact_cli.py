"""`integraph impact | lineage | whatif` end to end, in text and JSON, as a user runs them.

Every test loads tests/fixtures/blueprints/impact/ (a shop, payments, a ledger, a mailer and an
archive: one effect of each kind from `payments`, one unmasked card-number hop) into an empty
graph with the real CLI, then runs the command under test in a subprocess.

The blueprint `impact-shop` is a namespace: the commands take the short ids only it has
(`payments`) or full identifiers (`impact-shop:payments`), and always answer with full
identifiers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

SHOP = ROOT / "tests" / "fixtures" / "blueprints" / "impact"


@pytest.fixture
def env(cli_env: dict[str, str], graph: object) -> dict[str, str]:
    """The CLI environment, with the impact fixture loaded into an empty graph."""
    proc = run_cli("load", str(SHOP), env=cli_env)
    assert proc.returncode == 0, proc.stderr
    assert "loaded blueprint 'impact-shop'" in proc.stdout
    return cli_env


def ok(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    proc = run_cli(*args, env=env, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def one_line_error(proc, code: int) -> str:  # type: ignore[no-untyped-def]
    """The single stderr line of a failed command, after checking its exit code."""
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: "), proc.stderr
    assert proc.stdout == ""
    return lines[0]


# ---------------------------------------------------------------------------------------------
# impact

PAYMENTS_DOWNSTREAM = """\
impact of a change to System 'impact-shop:payments' (downstream, depth 6): 4 affected
  outage          System  impact-shop:shop  (depth 1, downstream, team impact-shop:team-shop, \
tier 1)
      impact-shop:payments -> impact-shop:shop via impact-shop:shop-to-payments \
(request_response: outage)
  data_loss_risk  System  impact-shop:mailer  (depth 1, downstream, team impact-shop:team-shop, \
tier 3)
      impact-shop:payments -> impact-shop:mailer via impact-shop:payments-to-mailer \
(event: data_loss_risk)
  delayed         System  impact-shop:ledger  (depth 1, downstream, team impact-shop:team-fin, \
tier 2)
      impact-shop:payments -> impact-shop:ledger via impact-shop:payments-to-ledger \
(event: delayed)
  deferred        System  impact-shop:archive  (depth 2, downstream, tier 3)
      impact-shop:payments -> impact-shop:ledger via impact-shop:payments-to-ledger \
(event: delayed)
      impact-shop:ledger -> impact-shop:archive via impact-shop:ledger-to-archive \
(batch: deferred)
by effect: data_loss_risk: 1, deferred: 1, delayed: 1, outage: 1
by team: (no owner): 1, impact-shop:team-fin: 1, impact-shop:team-shop: 2
by tier: 1: 1, 2: 1, 3: 2
"""


def test_impact_text_one_effect_per_pattern(env: dict[str, str]) -> None:
    # shop calls payments synchronously (outage); the ledger's event flow has a dead-letter
    # queue (delayed), the mailer's has none (data loss risk); the archive's nightly batch
    # from the ledger waits for its next run (deferred), two hops away.
    assert ok("impact", "payments", env=env) == PAYMENTS_DOWNSTREAM
    # The full identifier gives the same answer.
    assert ok("impact", "impact-shop:payments", env=env) == PAYMENTS_DOWNSTREAM


def test_impact_depth_and_direction(env: dict[str, str]) -> None:
    shallow = ok("impact", "payments", "--depth", "1", env=env).splitlines()
    assert shallow[0] == (
        "impact of a change to System 'impact-shop:payments' (downstream, depth 1): 3 affected"
    )
    assert not any("archive" in line for line in shallow)
    # payments depends on nobody: nothing upstream of it.
    assert ok("impact", "payments", "--direction", "upstream", env=env) == (
        "impact of a change to System 'impact-shop:payments' (upstream, depth 6): 0 affected\n"
    )
    assert ok("impact", "shop", "--direction", "upstream", env=env) == (
        "impact of a change to System 'impact-shop:shop' (upstream, depth 6): 1 affected\n"
        "  outage          System  impact-shop:payments  (depth 1, upstream, "
        "team impact-shop:team-pay, tier 1)\n"
        "      impact-shop:shop -> impact-shop:payments via impact-shop:shop-to-payments "
        "(request_response: outage)\n"
        "by effect: outage: 1\n"
        "by team: impact-shop:team-pay: 1\n"
        "by tier: 1: 1\n"
    )


def test_impact_json(env: dict[str, str]) -> None:
    data = json.loads(ok("impact", "payments", "--format", "json", env=env))
    assert (data["element"], data["kind"], data["direction"], data["depth"]) == (
        "impact-shop:payments",
        "System",
        "downstream",
        6,
    )
    got = {
        a["id"]: (
            a["kind"],
            a["effect"],
            a["depth"],
            a["team"],
            a["tier"],
            [(s["flow"], s["source"], s["target"], s["pattern"], s["effect"]) for s in a["path"]],
        )
        for a in data["affected"]
    }
    assert got == {
        "impact-shop:shop": (
            "System",
            "outage",
            1,
            "impact-shop:team-shop",
            1,
            [
                (
                    "impact-shop:shop-to-payments",
                    "impact-shop:payments",
                    "impact-shop:shop",
                    "request_response",
                    "outage",
                )
            ],
        ),
        "impact-shop:mailer": (
            "System",
            "data_loss_risk",
            1,
            "impact-shop:team-shop",
            3,
            [
                (
                    "impact-shop:payments-to-mailer",
                    "impact-shop:payments",
                    "impact-shop:mailer",
                    "event",
                    "data_loss_risk",
                )
            ],
        ),
        "impact-shop:ledger": (
            "System",
            "delayed",
            1,
            "impact-shop:team-fin",
            2,
            [
                (
                    "impact-shop:payments-to-ledger",
                    "impact-shop:payments",
                    "impact-shop:ledger",
                    "event",
                    "delayed",
                )
            ],
        ),
        "impact-shop:archive": (
            "System",
            "deferred",
            2,
            None,
            3,
            [
                (
                    "impact-shop:payments-to-ledger",
                    "impact-shop:payments",
                    "impact-shop:ledger",
                    "event",
                    "delayed",
                ),
                (
                    "impact-shop:ledger-to-archive",
                    "impact-shop:ledger",
                    "impact-shop:archive",
                    "batch",
                    "deferred",
                ),
            ],
        ),
    }
    assert [a["id"] for a in data["affected"]] == [
        "impact-shop:shop",
        "impact-shop:mailer",
        "impact-shop:ledger",
        "impact-shop:archive",
    ]
    assert data["summary"]["effect"] == {
        "data_loss_risk": 1,
        "deferred": 1,
        "delayed": 1,
        "outage": 1,
    }


def test_impact_of_a_contract_and_of_a_broker(env: dict[str, str]) -> None:
    contract = json.loads(ok("impact", "pay-events", "-f", "json", env=env))
    assert (contract["element"], contract["kind"]) == ("impact-shop:pay-events", "Contract")
    effects = {(a["kind"], a["id"]): (a["effect"], a["depth"]) for a in contract["affected"]}
    assert effects == {
        ("System", "impact-shop:ledger"): ("contract_break", 1),
        ("System", "impact-shop:mailer"): ("contract_break", 1),
        ("Flow", "impact-shop:payments-to-ledger"): ("contract_break", 1),
        ("Flow", "impact-shop:payments-to-mailer"): ("contract_break", 1),
        ("System", "impact-shop:archive"): ("deferred", 2),
    }
    broker = ok("impact", "kafka", env=env).splitlines()
    assert broker[0] == (
        "impact of a change to Component 'impact-shop:kafka' (downstream, depth 6): 5 affected"
    )
    assert (
        "  data_loss_risk  Flow    impact-shop:payments-to-mailer  (depth 1, downstream)" in broker
    )
    assert (
        "  delayed         Flow    impact-shop:payments-to-ledger  (depth 1, downstream)" in broker
    )
    # shop -> payments does not go through the broker.
    assert not any(" impact-shop:shop " in line or "shop-to-payments" in line for line in broker)


def test_impact_unknown_element(env: dict[str, str]) -> None:
    proc = run_cli("impact", "no-such-system", env=env)
    assert one_line_error(proc, 1) == "error: no element 'no-such-system' in the graph"


# ---------------------------------------------------------------------------------------------
# lineage

PCI_LINEAGE = """\
lineage of classification 'pci': 3 hops, 4 systems, 1 hops with missing duties
  origins: impact-shop:shop
  [1] impact-shop:shop -> impact-shop:payments via impact-shop:shop-to-payments \
(impact-shop:pay-api@1.0.0; crosses trust boundary; encryption mtls; audit on): ok
        request/card/pan [impact-shop:pci-pan] masking tokenised
  [2] impact-shop:payments -> impact-shop:ledger via impact-shop:payments-to-ledger \
(impact-shop:pay-events@1; crosses trust boundary; encryption tls; audit on): ok
        message/pan [impact-shop:pci-pan] masking tokenised
  [2] impact-shop:payments -> impact-shop:mailer via impact-shop:payments-to-mailer \
(impact-shop:pay-events@1; crosses trust boundary; encryption tls; audit on): \
MISSING masking of message/pan
        message/pan [impact-shop:pci-pan] masking none
"""


def test_lineage_of_a_category_text(env: dict[str, str]) -> None:
    assert ok("lineage", "pci", env=env) == PCI_LINEAGE
    # The classification id answers the same, under its full identifier.
    by_id = PCI_LINEAGE.replace("'pci'", "'impact-shop:pci-pan'")
    assert ok("lineage", "pci-pan", env=env) == by_id
    assert ok("lineage", "impact-shop:pci-pan", env=env) == by_id


def test_lineage_of_a_field_json(env: dict[str, str]) -> None:
    data = json.loads(ok("lineage", "pay-events@1#message/pan", "--format", "json", env=env))
    assert (data["subject"], data["kind"]) == ("impact-shop:pay-events@1#message/pan", "field")
    assert data["origins"] == ["impact-shop:payments"]
    assert data["systems"] == ["impact-shop:ledger", "impact-shop:mailer", "impact-shop:payments"]
    assert data["gaps"] == 1
    hops = [
        (
            h["depth"],
            h["flow"],
            h["sender"],
            h["receiver"],
            h["contract_versions"],
            [(f["part"], f["path"], f["classification"], f["masking"]) for f in h["fields"]],
            h["encryption"],
            h["audit_logging"],
            h["crosses_boundary"],
            h["missing"],
        )
        for h in data["hops"]
    ]
    pan = ("message", "/pan", "impact-shop:pci-pan")
    assert hops == [
        (
            1,
            "impact-shop:payments-to-ledger",
            "impact-shop:payments",
            "impact-shop:ledger",
            ["impact-shop:pay-events@1"],
            [(*pan, "tokenised")],
            "tls",
            True,
            True,
            [],
        ),
        (
            1,
            "impact-shop:payments-to-mailer",
            "impact-shop:payments",
            "impact-shop:mailer",
            ["impact-shop:pay-events@1"],
            [(*pan, None)],
            "tls",
            True,
            True,
            ["masking of message/pan"],
        ),
    ]
    # The field's full identifier names the same field.
    full = json.loads(ok("lineage", "impact-shop:pay-events@1#message/pan", "-f", "json", env=env))
    assert full == data


def test_lineage_into_a_system(env: dict[str, str]) -> None:
    assert ok("lineage", "mailer", "--into", env=env) == (
        "lineage of system 'impact-shop:mailer': 1 hops, 1 systems, 1 hops with missing duties\n"
        "  origins: impact-shop:payments\n"
        "  [1] impact-shop:payments -> impact-shop:mailer via impact-shop:payments-to-mailer "
        "(impact-shop:pay-events@1; crosses trust boundary; encryption tls; audit on): "
        "MISSING masking of message/pan\n"
        "        message/pan [impact-shop:pci-pan] masking none\n"
    )
    data = json.loads(ok("lineage", "impact-shop:ledger", "--into", "-f", "json", env=env))
    assert (data["subject"], data["kind"], data["origins"], data["gaps"]) == (
        "impact-shop:ledger",
        "system",
        ["impact-shop:payments"],
        0,
    )
    assert [(h["flow"], h["receiver"]) for h in data["hops"]] == [
        ("impact-shop:payments-to-ledger", "impact-shop:ledger")
    ]


def test_lineage_unknown_subject(env: dict[str, str]) -> None:
    proc = run_cli("lineage", "no-such-data", env=env)
    assert one_line_error(proc, 1) == (
        "error: 'no-such-data' is neither a field id nor a classification id or category "
        "with data on any flow"
    )


def test_lineage_into_an_unknown_system(env: dict[str, str]) -> None:
    proc = run_cli("lineage", "no-such-system", "--into", env=env)
    assert "no-such-system" in one_line_error(proc, 1)


CYCLE = """\
blueprint: {id: cycle, name: Cycle, version: "1.0.0", status: draft}
systems:
  - {id: a, name: A, trust_zone: internal}
  - {id: b, name: B, trust_zone: internal}
  - {id: c, name: C, trust_zone: internal}
  - {id: d, name: D, trust_zone: internal}
  - {id: ledger, name: Another ledger, trust_zone: internal}
classifications:
  - {id: pii-contact, category: pii, masking_required: true}
contracts:
  - id: contact-events
    kind: avro
    versions:
      - version: "1"
        message:
          - {path: /email, type: string, classification: pii-contact}
flows:
  - {id: a-to-b, source: a, target: b, pattern: event, contract: contact-events,
     producer_version: "1", consumer_version: "1"}
  - {id: c-to-d, source: c, target: d, pattern: event, contract: contact-events,
     producer_version: "1", consumer_version: "1"}
  - {id: d-to-c, source: d, target: c, pattern: event, contract: contact-events,
     producer_version: "1", consumer_version: "1"}
"""


def _load_cycle(cli_env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "cycle"
    folder.mkdir()
    (folder / "blueprint.yaml").write_text(CYCLE, encoding="utf-8")
    loaded = run_cli("load", str(folder), env=cli_env)
    assert loaded.returncode == 0, loaded.stderr


def test_lineage_orders_a_cycle_without_entry(
    cli_env: dict[str, str], graph: object, tmp_path: Path
) -> None:
    _load_cycle(cli_env, tmp_path)
    data = json.loads(ok("lineage", "pii", "-f", "json", env=cli_env))
    assert data["origins"] == ["cycle:a", "cycle:c"]
    assert [(h["depth"], h["flow"]) for h in data["hops"]] == [
        (1, "cycle:a-to-b"),
        (1, "cycle:c-to-d"),
        (2, "cycle:d-to-c"),
    ]


def test_a_short_id_two_blueprints_have_needs_the_full_identifier(
    env: dict[str, str], tmp_path: Path
) -> None:
    # Both impact-shop and cycle have a system `ledger`.
    _load_cycle(env, tmp_path)
    for args in (("impact", "ledger"), ("lineage", "ledger", "--into")):
        assert one_line_error(run_cli(*args, env=env), 2) == (
            "error: 'ledger' is in several blueprints: use one of "
            "cycle:ledger (system), impact-shop:ledger (system)"
        )
    assert ok("impact", "impact-shop:ledger", "--depth", "1", env=env).splitlines()[0] == (
        "impact of a change to System 'impact-shop:ledger' (downstream, depth 1): 1 affected"
    )
    assert ok("impact", "cycle:ledger", env=env) == (
        "impact of a change to System 'cycle:ledger' (downstream, depth 6): 0 affected\n"
    )
    # A short id only one blueprint has still needs no blueprint in front.
    assert ok("impact", "archive", "--direction", "upstream", "--depth", "1", env=env).startswith(
        "impact of a change to System 'impact-shop:archive' (upstream, depth 1): 1 affected\n"
    )


# ---------------------------------------------------------------------------------------------
# whatif

CHANGES = """\
changeset:
  blueprint: impact-shop
  description: A dead-letter queue for the mailer, a stricter ledger DLQ, no archive batch.
add:
  policies:
    - id: dl-mailer
      kind: dead_letter
      applies_to: [payments-to-mailer]
      dlq: pay-dlq
      max_deliveries: 5
      redrive_procedure: https://runbooks.example.com/mailer-dlq
modify:
  policies:
    - {id: dl-ledger, max_deliveries: 1}
remove: [ledger-to-archive]
"""

WHATIF_HEAD = """\
what if, on blueprint 'impact-shop' (nothing is saved):
findings that would appear (1):
  + RES-04 warning impact-shop:dl-ledger: dead_letter policy impact-shop:dl-ledger \
(to impact-shop:pay-dlq) dead-letters after 1 deliveries, fewer than the 5 needed to ride out \
a transient failure
findings that would disappear (3):
  - CON-01 error impact-shop:ledger-to-archive: batch flow impact-shop:ledger-to-archive \
(impact-shop:ledger -> impact-shop:archive) names no contract: its interface is undocumented \
and no change to it can be checked
  - RES-01 error impact-shop:payments-to-mailer: asynchronous event flow \
impact-shop:payments-to-mailer (impact-shop:payments -> impact-shop:mailer) has no dead-letter \
destination: undeliverable messages are lost or block the consumer
  - SEC-07 error impact-shop:ledger-to-archive: batch flow impact-shop:ledger-to-archive \
(impact-shop:ledger -> impact-shop:archive) is unauthenticated: it names no credential
"""

WHATIF_BLAST = """\
impact of a change to Policy 'impact-shop:dl-ledger' (downstream, depth 3): 3 affected
  delayed         System  impact-shop:ledger  (depth 1, downstream, team impact-shop:team-fin, \
tier 2)
      impact-shop:payments -> impact-shop:ledger via impact-shop:payments-to-ledger \
(event: delayed)
  delayed         Flow    impact-shop:payments-to-ledger  (depth 1, downstream)
  deferred        System  impact-shop:archive  (depth 2, downstream, tier 3)
      impact-shop:payments -> impact-shop:ledger via impact-shop:payments-to-ledger \
(event: delayed)
      impact-shop:ledger -> impact-shop:archive via impact-shop:ledger-to-archive \
(batch: deferred)
by effect: deferred: 1, delayed: 1
by team: (no owner): 1, impact-shop:team-fin: 1
by tier: 2: 1, 3: 1
impact of a change to Flow 'impact-shop:ledger-to-archive' (downstream, depth 3): 2 affected
  deferred        System  impact-shop:archive  (depth 1, downstream, tier 3)
      impact-shop:ledger -> impact-shop:archive via impact-shop:ledger-to-archive \
(batch: deferred)
  deferred        Flow    impact-shop:ledger-to-archive  (depth 1, downstream)
by effect: deferred: 1
by team: (no owner): 1
by tier: 3: 1
impact of a change to Policy 'impact-shop:dl-mailer' (downstream, depth 3): 2 affected
  delayed         System  impact-shop:mailer  (depth 1, downstream, team impact-shop:team-shop, \
tier 3)
      impact-shop:payments -> impact-shop:mailer via impact-shop:payments-to-mailer \
(event: delayed)
  delayed         Flow    impact-shop:payments-to-mailer  (depth 1, downstream)
by effect: delayed: 1
by team: impact-shop:team-shop: 1
by tier: 3: 1
"""


def test_whatif_text_and_json(env: dict[str, str], tmp_path: Path) -> None:
    changes = tmp_path / "changes.yaml"
    changes.write_text(CHANGES, encoding="utf-8")
    # Modified and removed elements first (their blast radius on the graph as it is), then
    # the added policy (its blast radius inside the rolled-back transaction). The change set
    # names the blueprint's elements by short id; the report names them in full. The first
    # lint after Neo4j starts plans every rule's query: on a busy machine that alone can take
    # a minute or more (the run after it takes seconds).
    assert ok("whatif", str(changes), env=env, timeout=600) == WHATIF_HEAD + WHATIF_BLAST

    data = json.loads(ok("whatif", str(changes), "--format", "json", env=env))
    assert data["blueprint"] == "impact-shop"
    assert [(f["rule"], f["severity"], f["element"]) for f in data["appeared"]] == [
        ("RES-04", "warning", "impact-shop:dl-ledger")
    ]
    assert [(f["rule"], f["severity"], f["element"]) for f in data["disappeared"]] == [
        ("CON-01", "error", "impact-shop:ledger-to-archive"),
        ("RES-01", "error", "impact-shop:payments-to-mailer"),
        ("SEC-07", "error", "impact-shop:ledger-to-archive"),
    ]
    assert all(len(f["fingerprint"]) >= 8 for f in data["appeared"] + data["disappeared"])
    blast = {
        b["element"]: sorted((a["kind"], a["id"], a["effect"], a["depth"]) for a in b["affected"])
        for b in data["blast"]
    }
    assert blast == {
        "impact-shop:dl-ledger": [
            ("Flow", "impact-shop:payments-to-ledger", "delayed", 1),
            ("System", "impact-shop:archive", "deferred", 2),
            ("System", "impact-shop:ledger", "delayed", 1),
        ],
        "impact-shop:ledger-to-archive": [
            ("Flow", "impact-shop:ledger-to-archive", "deferred", 1),
            ("System", "impact-shop:archive", "deferred", 1),
        ],
        "impact-shop:dl-mailer": [
            ("Flow", "impact-shop:payments-to-mailer", "delayed", 1),
            ("System", "impact-shop:mailer", "delayed", 1),
        ],
    }
    assert data["rule_errors"] == []

    # Nothing was saved: the removed flow is still there, the added policy is not.
    assert ok("impact", "ledger-to-archive", env=env).startswith(
        "impact of a change to Flow 'impact-shop:ledger-to-archive'"
    )
    gone = run_cli("impact", "dl-mailer", env=env)
    assert one_line_error(gone, 1) == "error: no element 'dl-mailer' in the graph"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("adds: {}\n", "unknown top-level key(s): adds"),
        ("add:\n  widgets: []\n", "'add.widgets' is not a section"),
        ("remove: ledger-to-archive\n", "'remove' must be a list of element ids"),
        ("modify:\n  flows:\n    - {name: no id}\n", "'modify.flows' must list elements with ids"),
        ("remove: [no-such-flow]\n", "the change set names unknown element(s): no-such-flow"),
        (
            "modify:\n  flows:\n    - {id: dl-ledger, max_deliveries: 3}\n",
            "'dl-ledger' is in policies, not flows",
        ),
        (
            "add:\n  flows:\n    - {id: new-flow, source: shop}\n",
            "the blueprint after the change set is invalid: flow 'new-flow' field 'target': "
            "missing required field",
        ),
        ("changeset: {blueprint: other}\n", "no blueprint 'other' in the graph"),
    ],
    ids=[
        "unknown-key",
        "not-a-section",
        "remove-not-a-list",
        "element-without-id",
        "unknown-element",
        "wrong-section",
        "invalid-result",
        "unknown-blueprint",
    ],
)
def test_whatif_bad_change_set(env: dict[str, str], tmp_path: Path, text: str, says: str) -> None:
    changes = tmp_path / "changes.yaml"
    changes.write_text(text, encoding="utf-8")
    line = one_line_error(run_cli("whatif", str(changes), env=env), 2)
    assert says in line


def test_whatif_change_set_yaml_syntax(env: dict[str, str], tmp_path: Path) -> None:
    changes = tmp_path / "changes.yaml"
    changes.write_text("remove: [ledger-to-archive\n", encoding="utf-8")
    line = one_line_error(run_cli("whatif", str(changes), env=env), 2)
    assert str(changes) in line and "<unicode string>" not in line


@pytest.mark.parametrize(
    "text",
    ["- {remove: [ledger-to-archive]}\n", "changeset: [impact-shop]\n", "just a sentence\n"],
    ids=["list", "changeset-not-a-mapping", "scalar"],
)
def test_whatif_change_set_not_a_mapping(env: dict[str, str], tmp_path: Path, text: str) -> None:
    changes = tmp_path / "changes.yaml"
    changes.write_text(text, encoding="utf-8")
    line = one_line_error(run_cli("whatif", str(changes), env=env), 2)
    assert str(changes) in line and "mapping" in line


# ---------------------------------------------------------------------------------------------
# --format


@pytest.mark.parametrize(
    "args",
    [
        ("impact", "payments"),
        ("lineage", "pci"),
        ("lineage", "mailer", "--into"),
        ("whatif", str(SHOP / "blueprint.yaml")),
    ],
    ids=["impact", "lineage", "lineage-into", "whatif"],
)
def test_format_other_than_text_or_json(env: dict[str, str], args: tuple[str, ...]) -> None:
    proc = run_cli(*args, "--format", "yaml", env=env)
    assert one_line_error(proc, 2) == "error: --format must be text or json"
