"""Validation of the runtime topology: data stores, actors, environments, degradable flows,
request-reply, broker credentials and channel settings, each mistake at its file, line and
field with a message saying what to do."""

from __future__ import annotations

from pathlib import Path

from tests.blueprint.test_validate import issues_of


def located(issues: list) -> list[tuple[str, int, str | None, str]]:
    return [(i.file.rsplit("/", 1)[-1], i.line, i.field, i.kind) for i in issues]


def test_store_and_actor_facts_belong_to_their_kind(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        systems="""\
        systems:
          - {id: app, trust_zone: internal, engine: redis}
          - {id: store, trust_zone: internal, kind: data_store}
          - {id: person, trust_zone: public, kind: actor, actor_type: person, replicas: 2}
          - {id: cache, trust_zone: internal, kind: data_store, store_type: cache, replicas: 0}
          - {id: shopper, trust_zone: public, kind: actor, actor_type: anonymous, channel: moon}
        """,
    )
    assert located(issues) == [
        ("systems.yaml", 2, None, "invalid_value"),
        ("systems.yaml", 3, None, "invalid_value"),
        ("systems.yaml", 4, None, "invalid_value"),
        ("systems.yaml", 5, "replicas", "invalid_value"),
        ("systems.yaml", 6, "channel", "invalid_value"),
    ]
    messages = [i.message for i in issues]
    assert messages[0].endswith(
        "engine only describe a system of kind data_store (this one is service): set kind: "
        "data_store or remove them"
    )
    assert messages[1].endswith(
        "a data store needs store_type (database, cache, object_store, ...)"
    )
    assert messages[2].endswith(
        "replicas only describe a system of kind data_store (this one is actor): set kind: "
        "data_store or remove them"
    )


def test_channel_settings_belong_to_topics_and_queues(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        components="""\
        components:
          - {id: kafka, kind: broker, partitions: 3}
          - {id: orders, kind: topic, part_of: kafka, replication_factor: 1, min_insync_replicas: 2}
          - {id: audit, kind: topic, part_of: kafka, retention_ms: -2, cleanup_policy: shred}
          - {id: kafka-dev, kind: broker, instance_of: nowhere, environments: [dev]}
        """,
    )
    assert located(issues) == [
        ("components.yaml", 2, None, "invalid_value"),
        ("components.yaml", 3, None, "invalid_value"),
        ("components.yaml", 4, "retention_ms", "invalid_value"),
        ("components.yaml", 4, "cleanup_policy", "invalid_value"),
        ("components.yaml", 5, "instance_of", "dangling_reference"),
        ("components.yaml", 5, "environments", "dangling_reference"),
    ]
    messages = [i.message for i in issues]
    assert messages[0].endswith(
        "partitions only apply to a topic, queue or dead_letter_queue (this component is a broker)"
    )
    assert messages[1].endswith(
        "min_insync_replicas 2 is above replication_factor 1: no write could ever be acknowledged"
    )
    assert messages[4] == "no component has id 'nowhere'"
    assert messages[5] == "no environment has id 'dev'"


SYSTEMS = """\
systems:
  - {id: a, trust_zone: internal}
  - {id: b, trust_zone: internal}
"""


def test_degradable_flows_need_a_fallback_and_replies_a_way_back(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        systems=SYSTEMS,
        components="""\
        components:
          - {id: replies, kind: topic}
        """,
        flows="""\
        flows:
          - {id: optional, source: a, target: b, pattern: request_response, required: false}
          - id: nowhere-to-reply
            source: a
            target: b
            pattern: command
            reply: {correlation_key: correlation-id}
          - id: sync-reply
            source: a
            target: b
            pattern: request_response
            reply: {via: [replies]}
          - id: lost-reply
            source: a
            target: b
            pattern: command
            reply: {via: [nowhere], timeout_ms: 0}
          - {id: undo, source: a, target: b, pattern: command, compensated_by: undo}
          - {id: receive, source: a, target: b, pattern: event, receiver_credential: none}
        """,
    )
    assert located(issues) == [
        ("flows.yaml", 2, None, "invalid_value"),
        ("flows.yaml", 7, "reply", "invalid_value"),
        ("flows.yaml", 8, None, "invalid_value"),
        ("flows.yaml", 17, "reply.timeout_ms", "invalid_value"),
        ("flows.yaml", 18, "compensated_by", "invalid_value"),
        ("flows.yaml", 19, "receiver_credential", "dangling_reference"),
    ]
    messages = [i.message for i in issues]
    assert messages[0].endswith(
        "a flow with required: false needs a fallback saying what its dependent does without it"
    )
    assert messages[1].endswith(
        "a reply needs its channel (via) or the request header naming it (address_header)"
    )
    assert messages[2].endswith(
        "reply describes request-reply over messaging: only for a command or event (this flow "
        "is request_response; a request_response has its response)"
    )
    assert messages[4] == "a flow cannot compensate itself: name the flow that undoes its effect"
    assert messages[5] == "no credential has id 'none'"


def test_a_reply_channel_must_be_a_component(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        systems=SYSTEMS,
        flows="""\
        flows:
          - id: ask
            source: a
            target: b
            pattern: command
            reply:
              via: [b]
              timeout_ms: 500
        """,
    )
    assert located(issues) == [("flows.yaml", 7, "reply.via", "dangling_reference")]
    assert issues[0].message == "'b' is a system, not a component"


def test_permissions_name_components_patterns_or_groups(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        systems=SYSTEMS,
        components="""\
        components:
          - {id: kafka, kind: broker}
          - {id: orders, kind: topic, part_of: kafka}
        """,
        credentials="""\
        credentials:
          - id: cred-a
            kind: sasl_scram
            held_by: [a]
            towards: [kafka, registry]
            environments: [prod]
            permissions:
              - {channel: orders, access: [read]}
              - {channel: "orders.*", access: [write]}
              - {channel: "*", access: [read, write]}
              - {consumer_group: a-group, access: [read]}
              - {channel: invoices, access: [read]}
          - id: cred-b
            kind: sasl_scram
            held_by: [b]
            permissions:
              - {channel: orders, access: []}
              - {channel: "Orders!", access: [read]}
        """,
    )
    assert located(issues) == [
        ("credentials.yaml", 17, "permissions[0].access", "invalid_value"),
        ("credentials.yaml", 18, "permissions[1].channel", "invalid_value"),
        ("credentials.yaml", 5, "towards", "dangling_reference"),
        ("credentials.yaml", 6, "environments", "dangling_reference"),
        ("credentials.yaml", 12, "permissions[4].channel", "dangling_reference"),
    ]
    assert issues[4].message == "no component has id 'invoices'"


def test_endpoints_name_environments(tmp_path: Path) -> None:
    issues = issues_of(
        tmp_path,
        environments="""\
        environments:
          - {id: prod, production: true}
        """,
        systems="""\
        systems:
          - id: payments
            trust_zone: internal
            endpoints:
              - {environment: prod, url: "https://payments.bank.example"}
              - {environment: dev, url: "https://payments.dev.bank.example"}
              - {environment: prod, url: ""}
        """,
    )
    assert located(issues) == [("systems.yaml", 7, "endpoints[2].url", "invalid_value")]
    (tmp_path / "environments.yaml").unlink()
    issues = issues_of(
        tmp_path,
        systems="""\
        systems:
          - id: payments
            trust_zone: internal
            endpoints:
              - {environment: prod, url: "https://payments.bank.example"}
              - {environment: dev, url: "https://payments.dev.bank.example"}
        """,
    )
    assert located(issues) == [
        ("systems.yaml", 5, "endpoints[0].environment", "dangling_reference"),
        ("systems.yaml", 6, "endpoints[1].environment", "dangling_reference"),
    ]
    assert issues[1].message == "no environment has id 'dev'"
