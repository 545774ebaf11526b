"""Contract rules: each with positive and negative fixtures against the real Neo4j.

CON-03, CON-08 and CON-09 delegate the compatibility judgement to integraph.compat
(through the checks in integraph.lint.checks); their tests go through the whole path: files,
graph, rule query, check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from integraph.store.driver import Store
from tests.lint.harness import findings_of, lint_blueprint, short

SYSTEMS = [
    {"id": "orders", "name": "Orders", "trust_zone": "internal"},
    {"id": "billing", "name": "Billing", "trust_zone": "internal"},
    {"id": "crm", "name": "CRM", "trust_zone": "internal"},
]


def _f(path: str, type_: str = "string", required: bool = False, **extra: Any) -> dict:
    return {"path": path, "type": type_, "required": required, **extra}


def _v(version: str, part: str = "message", *fields: dict, **extra: Any) -> dict:
    return (
        {"version": version, part: list(fields), **extra}
        if fields
        else {"version": version, **extra}
    )


def _contract(contract_id: str, *versions: dict, **extra: Any) -> dict:
    return {
        "id": contract_id,
        "kind": "asyncapi",
        "versioning": "semver",
        "compatibility": "BACKWARD",
        "content_model": "partially_open",
        "versions": list(versions),
        **extra,
    }


def _flow(
    flow_id: str,
    source: str = "orders",
    target: str = "billing",
    pattern: str = "event",
    **extra: Any,
) -> dict:
    return {"id": flow_id, "source": source, "target": target, "pattern": pattern, **extra}


# --- CON-01 -------------------------------------------------------------------------------


async def test_con01_flow_without_contract(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-01",
        {
            "systems": SYSTEMS,
            "contracts": [_contract("orders-events", _v("1"))],
            "flows": [
                _flow("order-placed", contract="orders-events"),
                _flow("nightly-export", pattern="batch"),
            ],
        },
    )
    assert found == [("nightly-export", ())]


async def test_con01_every_flow_names_a_contract(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-01",
        {
            "systems": SYSTEMS,
            "contracts": [
                _contract("orders-events", _v("1")),
                {"id": "export-file", "kind": "file"},
            ],
            "flows": [
                _flow("order-placed", contract="orders-events"),
                _flow("nightly-export", pattern="batch", contract="export-file"),
            ],
        },
    )
    assert found == []


# --- CON-02 -------------------------------------------------------------------------------


async def test_con02_mode_or_versioning_missing(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "contracts": [
                {"id": "no-mode", "kind": "avro", "versioning": "schema_registry"},
                {"id": "nothing", "kind": "openapi"},
                {"id": "no-versioning", "kind": "avro", "compatibility": "FULL"},
            ],
        },
        ["CON-02"],
    )
    assert [(short(f.element), f.related) for f in report.findings] == [
        ("no-mode", ()),
        ("no-versioning", ()),
        ("nothing", ()),
    ]
    nothing = next(f for f in report.findings if f.element == "test-bp:nothing")
    assert "no compatibility mode and no versioning strategy" in nothing.message


async def test_con02_explicit_choices_even_none(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-02",
        {
            "contracts": [
                {
                    "id": "events",
                    "kind": "avro",
                    "versioning": "schema_registry",
                    "compatibility": "BACKWARD",
                },
                {
                    "id": "scratch",
                    "kind": "json_schema",
                    "versioning": "none",
                    "compatibility": "NONE",
                },
            ],
        },
    )
    assert found == []


# --- CON-03 -------------------------------------------------------------------------------


async def test_con03_backward_breaks_when_a_required_field_is_added(
    graph: Store, tmp_path: Path
) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "contracts": [
                _contract(
                    "orders-events",
                    _v("1", "message", _f("/id", required=True)),
                    _v("2", "message", _f("/id", required=True), _f("/email", required=True)),
                )
            ],
        },
        ["CON-03"],
    )
    assert not report.rule_errors, report.rule_errors
    assert [(f.element, f.related) for f in report.findings] == [
        ("test-bp:orders-events@2", ("test-bp:orders-events@1",))
    ]
    (finding,) = report.findings
    assert (
        "version test-bp:orders-events@2 of contract test-bp:orders-events breaks its declared "
        "BACKWARD compatibility with test-bp:orders-events@1" in finding.message
    )
    assert "adding required field /email breaks BACKWARD" in finding.message
    assert finding.details["breaks"][0]["kind"] == "field_added"


async def test_con03_backward_allows_an_optional_field(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-03",
        {
            "contracts": [
                _contract(
                    "orders-events",
                    _v("1", "message", _f("/id", required=True)),
                    _v("2", "message", _f("/id", required=True), _f("/email")),
                    _v("3", "message", _f("/id", required=True)),  # dropping it again is fine too
                )
            ],
        },
    )
    assert found == []


async def test_con03_forward_breaks_when_a_required_field_is_removed(
    graph: Store, tmp_path: Path
) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-03",
        {
            "contracts": [
                _contract(
                    "orders-events",
                    _v("1", "message", _f("/id", required=True), _f("/email", required=True)),
                    _v("2", "message", _f("/id", required=True)),
                    compatibility="FORWARD",
                )
            ],
        },
    )
    assert found == [("orders-events@2", ("orders-events@1",))]


async def test_con03_forward_allows_a_required_field_added(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-03",
        {
            "contracts": [
                _contract(
                    "orders-events",
                    # (an integer /note, so that the engine does not take /email for its new name)
                    _v("1", "message", _f("/id", required=True), _f("/note", "integer")),
                    _v("2", "message", _f("/id", required=True), _f("/email", required=True)),
                    compatibility="FORWARD",
                )
            ],
        },
    )
    assert found == []


# v1 has /score as an integer, v2 dropped it, v3 brings it back as a string: fine against v2
# (an optional field added to a partially open model), breaking against v1 (the type changed).
TRANSITIVE_VERSIONS = (
    _v("1", "message", _f("/id", required=True), _f("/score", "integer")),
    _v("2", "message", _f("/id", required=True)),
    _v("3", "message", _f("/id", required=True), _f("/score", "string")),
)


async def test_con03_transitive_mode_checks_every_earlier_version(
    graph: Store, tmp_path: Path
) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-03",
        {
            "contracts": [
                _contract("scores", *TRANSITIVE_VERSIONS, compatibility="BACKWARD_TRANSITIVE")
            ],
        },
    )
    assert found == [("scores@3", ("scores@1",))]


async def test_con03_plain_mode_checks_the_previous_version_only(
    graph: Store, tmp_path: Path
) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-03",
        {
            "contracts": [_contract("scores", *TRANSITIVE_VERSIONS, compatibility="BACKWARD")],
        },
    )
    assert found == []


async def test_con03_mode_none_is_never_flagged(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-03",
        {
            "contracts": [
                _contract(
                    "anything-goes",
                    _v("1", "message", _f("/id", required=True), _f("/score", "integer")),
                    _v("2", "message", _f("/email", required=True), _f("/score", "string")),
                    compatibility="NONE",
                ),
                _contract(
                    "undeclared",
                    _v("1", "message", _f("/id", required=True)),
                    _v("2", "message", _f("/email", required=True)),
                    compatibility=None,
                ),
            ],
        },
    )
    assert found == []


async def test_con03_responses_are_read_by_clients(graph: Store, tmp_path: Path) -> None:
    # Under BACKWARD a removed required field is fine for events, but an HTTP response is
    # read by clients on the old contract, so it is judged FORWARD (as oasdiff does).
    found = await findings_of(
        graph,
        tmp_path,
        "CON-03",
        {
            "contracts": [
                _contract(
                    "orders-api",
                    _v(
                        "1",
                        "response",
                        _f("/id", required=True),
                        _f("/total", "number", required=True),
                    ),
                    _v("2", "response", _f("/id", required=True)),
                    kind="openapi",
                ),
                _contract(
                    "orders-events",
                    _v(
                        "1",
                        "message",
                        _f("/id", required=True),
                        _f("/total", "number", required=True),
                    ),
                    _v("2", "message", _f("/id", required=True)),
                ),
            ],
        },
    )
    assert found == [("orders-api@2", ("orders-api@1",))]


async def test_con03_extensible_enum_may_grow_under_forward(graph: Store, tmp_path: Path) -> None:
    def status(*values: str, extensible: bool) -> dict:
        return _f("/status", enum=list(values), extensible_enum=extensible)

    found = await findings_of(
        graph,
        tmp_path,
        "CON-03",
        {
            "contracts": [
                _contract(
                    "open-enum",
                    _v("1", "message", status("a", "b", extensible=True)),
                    _v("2", "message", status("a", "b", "c", extensible=True)),
                    compatibility="FORWARD",
                ),
                _contract(
                    "closed-enum",
                    _v("1", "message", status("a", "b", extensible=False)),
                    _v("2", "message", status("a", "b", "c", extensible=False)),
                    compatibility="FORWARD",
                ),
            ],
        },
    )
    assert found == [("closed-enum@2", ("closed-enum@1",))]


# --- CON-04 -------------------------------------------------------------------------------


async def test_con04_mode_none_with_two_consumers(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-04",
        {
            "systems": SYSTEMS,
            "contracts": [_contract("orders-events", _v("1"), compatibility="NONE")],
            "flows": [
                _flow("to-billing", target="billing", contract="orders-events"),
                _flow("to-crm", target="crm", contract="orders-events"),
            ],
        },
    )
    assert found == [("orders-events", ())]


async def test_con04_one_consumer_or_a_real_mode(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-04",
        {
            "systems": SYSTEMS,
            "contracts": [
                _contract("orders-events", _v("1"), compatibility="NONE"),
                _contract("billing-api", _v("1"), compatibility="NONE", kind="openapi"),
                _contract("crm-events", _v("1"), compatibility="BACKWARD"),
            ],
            "flows": [
                # one consumer (billing) of orders-events, through two flows
                _flow("placed", target="billing", contract="orders-events"),
                _flow("cancelled", target="billing", contract="orders-events"),
                # calls to billing's API come from one caller (orders): one consumer
                _flow("charge", "orders", "billing", "request_response", contract="billing-api"),
                _flow("refund", "orders", "billing", "request_response", contract="billing-api"),
                _flow("crm-1", "crm", "orders", contract="crm-events"),
                _flow("crm-2", "crm", "billing", contract="crm-events"),
            ],
        },
    )
    assert found == []


# --- CON-05 -------------------------------------------------------------------------------


def _pinned(flow_id: str, contract: str, producer: str, consumer: str) -> dict:
    return _flow(flow_id, contract=contract, producer_version=producer, consumer_version=consumer)


async def test_con05_upgrade_order_violated(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-05",
        {
            "systems": SYSTEMS,
            "contracts": [
                _contract("bw", _v("1"), _v("2"), compatibility="BACKWARD"),
                _contract("fw", _v("1"), _v("2"), compatibility="FORWARD_TRANSITIVE"),
            ],
            "flows": [
                _pinned("bw-producer-ahead", "bw", producer="2", consumer="1"),
                _pinned("fw-consumer-ahead", "fw", producer="1", consumer="2"),
            ],
        },
    )
    assert found == [
        ("bw-producer-ahead", ("bw@1", "bw@2")),
        ("fw-consumer-ahead", ("fw@1", "fw@2")),
    ]


async def test_con05_upgrade_order_kept(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-05",
        {
            "systems": SYSTEMS,
            "contracts": [
                _contract("bw", _v("1"), _v("2"), compatibility="BACKWARD"),
                _contract("fw", _v("1"), _v("2"), compatibility="FORWARD"),
                _contract("full", _v("1"), _v("2"), compatibility="FULL"),
            ],
            "flows": [
                _pinned("bw-consumer-first", "bw", producer="1", consumer="2"),
                _pinned("fw-producer-first", "fw", producer="2", consumer="1"),
                _pinned("full-any-order", "full", producer="2", consumer="1"),
                _pinned("bw-same", "bw", producer="2", consumer="2"),
            ],
        },
    )
    assert found == []


# --- CON-06 -------------------------------------------------------------------------------


async def test_con06_open_content_model_under_backward(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-06",
        {
            "contracts": [
                _contract("declared-open", _v("1"), kind="json_schema", content_model="open"),
                _contract(
                    "default-open",
                    _v("1"),
                    kind="openapi",
                    content_model=None,
                    compatibility="FULL_TRANSITIVE",
                ),
            ],
        },
    )
    assert found == [("declared-open", ()), ("default-open", ())]


async def test_con06_partially_open_forward_or_not_json(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-06",
        {
            "contracts": [
                _contract("partially-open", _v("1"), kind="json_schema"),
                _contract(
                    "forward-open",
                    _v("1"),
                    kind="json_schema",
                    content_model="open",
                    compatibility="FORWARD",
                ),
                _contract("avro-events", _v("1"), kind="avro", content_model=None),
            ],
        },
    )
    assert found == []


# --- CON-07 -------------------------------------------------------------------------------


async def test_con07_sunset_and_deprecated_versions_in_use(graph: Store, tmp_path: Path) -> None:
    report = await lint_blueprint(
        graph,
        tmp_path,
        {
            "systems": SYSTEMS,
            "contracts": [
                _contract(
                    "orders-events",
                    _v("1", status="retired", sunset="2020-06-30"),
                    _v("2", deprecated_on="2021-01-01", sunset="2999-01-01"),
                    _v("3"),
                )
            ],
            "flows": [
                _pinned("old-consumer", "orders-events", producer="3", consumer="1"),
                _pinned("lagging", "orders-events", producer="2", consumer="2"),
            ],
        },
        ["CON-07"],
    )
    assert not report.rule_errors, report.rule_errors
    assert [(f.element, f.related) for f in report.findings] == [
        ("test-bp:lagging", ("test-bp:orders-events@2",)),
        ("test-bp:old-consumer", ("test-bp:orders-events@1",)),
    ]
    messages = {short(f.element): f.message for f in report.findings}
    assert "past its sunset date 2020-06-30" in messages["old-consumer"]
    assert "(consumer and producer)" in messages["lagging"]
    assert "deprecated since 2021-01-01 (sunset on 2999-01-01)" in messages["lagging"]


async def test_con07_supported_versions_only(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-07",
        {
            "systems": SYSTEMS,
            "contracts": [
                _contract(
                    "orders-events",
                    _v("1", status="retired", sunset="2020-06-30"),  # retired, but nobody uses it
                    _v("2", deprecated_on="2999-01-01", sunset="2999-06-30"),  # not yet deprecated
                    _v("3"),
                )
            ],
            "flows": [_pinned("current", "orders-events", producer="3", consumer="2")],
        },
    )
    assert found == []


# --- CON-08 -------------------------------------------------------------------------------


def _status(*values: str, extensible: bool = False) -> dict:
    return _f("/status", enum=list(values), extensible_enum=extensible)


async def test_con08_enum_grows_in_a_response_or_under_forward(
    graph: Store, tmp_path: Path
) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-08",
        {
            "contracts": [
                # a response whatever the mode, even none
                _contract(
                    "orders-api",
                    _v("1", "response", _status("open", "paid")),
                    _v("2", "response", _status("open", "paid", "refunded")),
                    kind="openapi",
                    compatibility=None,
                ),
                # an event under FULL
                _contract(
                    "orders-events",
                    _v("1", "message", _status("open")),
                    _v("2", "message", _status("open", "paid")),
                    compatibility="FULL",
                ),
            ],
        },
    )
    assert found == [
        ("orders-api@2#response/status", ("orders-api@1#response/status",)),
        ("orders-events@2#message/status", ("orders-events@1#message/status",)),
    ]


async def test_con08_extensible_or_read_by_the_new_side(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-08",
        {
            "contracts": [
                # declared extensible in the previous version
                _contract(
                    "orders-api",
                    _v("1", "response", _status("open", "paid", extensible=True)),
                    _v("2", "response", _status("open", "paid", "refunded", extensible=True)),
                    kind="openapi",
                ),
                # a request enum is read by the (new) server
                _contract(
                    "payments-api",
                    _v("1", "request", _status("card")),
                    _v("2", "request", _status("card", "iban")),
                    kind="openapi",
                ),
                # an event under BACKWARD: consumers upgrade first
                _contract(
                    "orders-events",
                    _v("1", "message", _status("open")),
                    _v("2", "message", _status("open", "paid")),
                ),
                # values removed, not added
                _contract(
                    "shrinking",
                    _v("1", "response", _status("a", "b")),
                    _v("2", "response", _status("a")),
                    kind="openapi",
                ),
            ],
        },
    )
    assert found == []


# --- CON-09 -------------------------------------------------------------------------------


async def test_con09_breaking_minor_release(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-09",
        {
            "contracts": [
                _contract(
                    "customers",
                    _v("1.0.0", "message", _f("/id", required=True)),
                    _v("1.1.0", "message", _f("/id", required=True), _f("/email", required=True)),
                ),
                # mode NONE: judged under undeclared_mode (BACKWARD), semver still promises it
                _contract(
                    "loose",
                    _v("2.3.0", "message", _f("/id", required=True)),
                    _v("2.4.0", "message", _f("/id", "integer", required=True)),
                    compatibility="NONE",
                ),
                # every release of a major line against all the earlier ones
                _contract(
                    "scores",
                    *(
                        _v(f"1.{v['version']}.0", "message", *v["message"])
                        for v in TRANSITIVE_VERSIONS
                    ),
                ),
            ],
        },
    )
    assert found == [
        ("customers@1.1.0", ("customers@1.0.0",)),
        ("loose@2.4.0", ("loose@2.3.0",)),
        ("scores@1.3.0", ("scores@1.1.0",)),
    ]


async def test_con09_major_bump_or_initial_development(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-09",
        {
            "contracts": [
                _contract(
                    "customers",
                    _v("1.0.0", "message", _f("/id", required=True)),
                    _v("2.0.0", "message", _f("/id", required=True), _f("/email", required=True)),
                    _v(
                        "2.1.0",
                        "message",
                        _f("/id", required=True),
                        _f("/email", required=True),
                        _f("/phone"),
                    ),
                ),
                _contract(
                    "draft",
                    _v("0.1.0", "message", _f("/id", required=True)),
                    _v("0.2.0", "message", _f("/email", required=True)),
                ),
                _contract(
                    "not-semver",
                    _v("1.0.0", "message", _f("/id", required=True)),
                    _v("1.1.0", "message", _f("/email", required=True)),
                    versioning="date",
                ),
            ],
        },
    )
    assert found == []


# --- CON-10 -------------------------------------------------------------------------------


async def test_con10_no_error_format(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-10",
        {
            "systems": SYSTEMS,
            "contracts": [
                # the latest version lost it
                _contract(
                    "orders-api",
                    _v("1", error_format={"media_type": "application/problem+json"}),
                    _v("2"),
                    kind="openapi",
                ),
                # a JSON Schema contract served over request_response
                _contract("billing-rpc", _v("1"), kind="json_schema"),
                _contract("bare-api", kind="openapi"),
            ],
            "flows": [
                _flow("charge", "orders", "billing", "request_response", contract="billing-rpc")
            ],
        },
    )
    assert found == [("bare-api", ()), ("billing-rpc", ()), ("orders-api", ())]


async def test_con10_error_format_or_error_fields(graph: Store, tmp_path: Path) -> None:
    found = await findings_of(
        graph,
        tmp_path,
        "CON-10",
        {
            "systems": SYSTEMS,
            "contracts": [
                _contract(
                    "orders-api",
                    _v("1"),
                    _v(
                        "2",
                        error_format={
                            "media_type": "application/problem+json",
                            "standard": "rfc9457",
                        },
                    ),
                    kind="openapi",
                ),
                _contract(
                    "billing-rpc", _v("1", "error", _f("/code", required=True)), kind="json_schema"
                ),
                _contract("orders-events", _v("1")),  # events have no error response
            ],
            "flows": [
                _flow("charge", "orders", "billing", "request_response", contract="billing-rpc"),
                _flow("placed", contract="orders-events"),
            ],
        },
    )
    assert found == []
