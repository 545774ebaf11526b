"""A contract version judged against the earlier ones: the one mapping of a contract's kind,
declared mode and content model onto the engine.

The CON-03, CON-08 and CON-09 lint rules and `integraph contract check` all call this, so they
agree on every change. A version is ``{"id" or "version": label, "fields": [...],
"operations": [names]}``, a field ``{part, path, type, required, enum, extensible_enum,
default, operation, nullable}`` (the graph's form; ``operation`` is None for the version's own
bodies). Each body (a part of the version, or a part of one of its operations) is compared on
its own, so two operations' `/id` never meet; an operation that appears or disappears is one
change, and a removed operation breaks its callers under any mode but NONE. For each body the
reader decides the direction, as in oasdiff: the server reads requests (BACKWARD), clients
read responses and error bodies (FORWARD), FULL checks both; a message, and headers beside
it, is judged by the declared mode as is; headers beside a request or response are read by
the server. A nullable field holds null as well as its type. Fields come and go by the rules
of the contract's schema language: JSON Schema's content model, Avro's defaults (a field with
one is optional), or protobuf's unknown fields; reasons use that language's words. Fields a
named type brings in are compared where they are expanded, so a change to a shared type is
found in every body that uses it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from integraph.compat.compare import check_history
from integraph.compat.model import (
    Change,
    ChangeKind,
    CompatibilityMode,
    CompatibilityReport,
    ContentModel,
    Difference,
    Language,
    Role,
    SchemaFamily,
    Verdict,
)
from integraph.compat.modes import (
    DeprecationPolicy,
    checked_directions,
    interface_removed,
    judge,
)

PARTS = ("request", "response", "message", "error", "headers")
PART_ROLES = {
    "request": Role.REQUEST,  # the server reads requests
    "response": Role.RESPONSE,  # clients read responses
    "message": Role.DATA,  # the declared mode applies as is
    "error": Role.RESPONSE,  # clients read error bodies
}
"""Who reads each body part. Headers have no fixed reader: beside a request (an HTTP or
gRPC body: the operation or version has request or response fields) the server reads them,
beside a message its consumers (``body_role``)."""
UNKNOWN_FIELDS_KEPT = frozenset({"avro", "protobuf"})
"""Kinds whose readers skip fields they do not know (Avro schema resolution, protobuf unknown
fields): partially open in the engine's terms, when the contract declares no content model."""
_LANGUAGES = {"avro": Language.AVRO, "protobuf": Language.PROTOBUF}

Body = tuple[str | None, str]
"""One body of a version: (operation name or None for the version's own bodies, part)."""
PartDifference = tuple[str, Difference]
"""A difference with the body it is in, as a field key prefix: `response`, or
`get-payment/response` for an operation's."""


def language_of(kind: str | None) -> Language:
    """The schema language whose rules and words apply to a contract kind."""
    return _LANGUAGES.get(str(kind or "").lower(), Language.JSON_SCHEMA)


def content_model_of(kind: str | None, declared: ContentModel | str | None) -> ContentModel:
    """The declared content model; without one, open (JSON Schema's default), or partially
    open for kinds whose readers skip unknown fields."""
    if declared:
        return ContentModel(str(declared))
    return (
        ContentModel.PARTIALLY_OPEN
        if str(kind or "").lower() in UNKNOWN_FIELDS_KEPT
        else ContentModel.OPEN
    )


def body_label(body: Body) -> str:
    """`part`, or `operation/part` (the prefix of the body's field keys)."""
    operation, part = body
    return f"{operation}/{part}" if operation else part


def split_label(label: str) -> Body:
    """The inverse of ``body_label``; a bare operation name (a difference of the whole
    operation) gives `(name, "")`."""
    operation, _, part = label.rpartition("/")
    if not operation and part not in PARTS:
        return (part, "")
    return (operation or None, part)


def role_mode(mode: CompatibilityMode | str, role: Role) -> CompatibilityMode | None:
    """The mode a body read by ``role`` is judged under: the engine's rule for who reads it
    (``checked_directions``), e.g. a request is always checked BACKWARD. None: not checked."""
    mode = CompatibilityMode(str(mode).upper())
    backward, forward = checked_directions(mode, role)
    if not (backward or forward):
        return None
    base = "FULL" if backward and forward else "BACKWARD" if backward else "FORWARD"
    return CompatibilityMode(base + ("_TRANSITIVE" if mode.transitive else ""))


def part_mode(mode: CompatibilityMode | str, part: str) -> CompatibilityMode | None:
    """The mode one part with a fixed reader is judged under (see ``role_mode``)."""
    return role_mode(mode, PART_ROLES[part])


def body_role(versions: Sequence[Mapping[str, Any]], body: Body) -> Role:
    """Who reads a body: the part's fixed reader, or for headers the server when they go with
    a request or response (in any of ``versions``), else the message's consumers."""
    operation, part = body
    if part != "headers":
        return PART_ROLES[part]
    with_request = any(
        f.get("operation") == operation and f.get("part") in ("request", "response")
        for version in versions
        for f in version.get("fields") or []
    )
    return Role.REQUEST if with_request else Role.DATA


def engine_field(item: Mapping[str, Any], kind: str | None) -> dict[str, Any]:
    """A graph field as the engine's field-list entry: a nullable field also holds null."""
    required = bool(item.get("required"))
    field_type = item.get("type") or "any"
    if language_of(kind) is Language.AVRO:
        # An Avro reader fills a missing field from its default: with one it is optional.
        required = required and item.get("default") is None
        field_type = "int" if field_type == "integer" else field_type  # Avro's int -> long
    if item.get("nullable") and "null" not in str(field_type).split("|"):
        field_type = f"{field_type}|null"
    return {
        "path": item["path"],
        "type": field_type,
        "required": required,
        "enum": item.get("enum"),
        "deprecated_since": item.get("deprecated_since"),
    }


def body_fields(version: Mapping[str, Any], body: Body, kind: str | None) -> list[dict[str, Any]]:
    """The engine's field list of one body of a version."""
    operation, part = body
    return [
        engine_field(f, kind)
        for f in version.get("fields") or []
        if f.get("part") == part and f.get("operation") == operation
    ]


def part_fields(version: Mapping[str, Any], part: str, kind: str | None) -> list[dict[str, Any]]:
    """The engine's field list of one of the version's own bodies (not its operations')."""
    return body_fields(version, (None, part), kind)


def operations_of(version: Mapping[str, Any]) -> list[str]:
    """A version's operation names: those it lists (``operations``), then any other its
    fields name, in order."""
    names = list(version.get("operations") or [])
    for item in version.get("fields") or []:
        name = item.get("operation")
        if name and name not in names:
            names.append(name)
    return names


def bodies(versions: Sequence[Mapping[str, Any]]) -> list[Body]:
    """Every body any of ``versions`` has fields in: the version's own parts first, then each
    operation's, operations in order of first appearance, parts in ``PARTS`` order."""
    found = {(f.get("operation"), f.get("part")) for v in versions for f in v.get("fields") or []}
    operations: list[str] = []
    for version in versions:
        operations.extend(o for o in operations_of(version) if o not in operations)
    order = [None, *operations]
    return [(o, p) for o in order for p in PARTS if (o, p) in found]


def extensible(version: Mapping[str, Any], part: str, path: str) -> bool:
    """True when the version told readers of that enum to accept unknown values; ``part`` is
    a body label (`response`, `get-payment/response`)."""
    operation, name = split_label(part)
    return any(
        f.get("part") == name
        and f.get("operation") == operation
        and f.get("path") == path
        and f.get("extensible_enum")
        for f in version.get("fields") or []
    )


def check_contract_version(
    *,
    kind: str | None,
    mode: CompatibilityMode | str,
    content_model: ContentModel | str | None,
    earlier: Sequence[Mapping[str, Any]],
    new: Mapping[str, Any],
) -> list[PartDifference]:
    """Every difference of ``new`` against ``earlier`` (oldest first: the latest of them, or
    all for a *_TRANSITIVE mode), body by body, with the body it is in.

    A version's own bodies are compared part by part; an operation's against the versions
    compared that have the operation: one that appears is a single added operation, one that
    disappears a single removed one (breaking under any mode but NONE: its callers fail),
    not a change of each of its fields. Growth of an enum the conflicting earlier version
    declared extensible is left out (its readers accept it)."""
    mode = CompatibilityMode(str(mode).upper())
    model = content_model_of(kind, content_model)
    language = language_of(kind)
    by_label = {_label(v): v for v in earlier}
    targets = list(earlier) if mode.transitive else list(earlier[-1:])
    new_operations = operations_of(new)
    targeted = {o for v in targets for o in operations_of(v)}
    found: list[PartDifference] = []
    for operation in _removed_operations(targets, new_operations):
        found.append((operation, _operation_change(operation, targets, mode, removed=True)))
    for operation in new_operations:
        if operation not in targeted:
            found.append((operation, _operation_change(operation, targets, mode, removed=False)))
    having = [(v, set(operations_of(v))) for v in earlier]
    for body in bodies([*earlier, new]):
        operation = body[0]
        if operation is not None and (operation not in new_operations or operation not in targeted):
            continue  # removed or added: reported once above
        history = [v for v, names in having if operation is None or operation in names]
        judged = role_mode(mode, body_role([*earlier, new], body)) or CompatibilityMode.NONE
        report = check_history(
            [_body(v, body, kind, model) for v in history],
            _body(new, body, kind, model),
            mode=judged,
            language=language,
        )
        label = body_label(body)
        for difference in report.differences:
            old = by_label.get(difference.conflicts_with_version or "")
            if (
                difference.breaking
                and difference.kind is ChangeKind.ENUM_VALUE_ADDED
                and old is not None
                and extensible(old, label, difference.pointer)
            ):
                continue  # readers of the old version were told to accept unknown values
            found.append((label, difference))
    return found


def _removed_operations(targets: Sequence[Mapping[str, Any]], kept: list[str]) -> list[str]:
    removed: list[str] = []
    for version in reversed(targets):
        removed.extend(o for o in operations_of(version) if o not in kept and o not in removed)
    return removed


def _operation_change(
    operation: str, targets: Sequence[Mapping[str, Any]], mode: CompatibilityMode, *, removed: bool
) -> Difference:
    """An operation gone (its callers break) or new (nobody calls it yet), judged by the
    contract's mode; a removal names the latest version compared that had it."""
    if removed:
        change = Change(
            ChangeKind.OPERATION_REMOVED,
            "",
            f"removing operation {operation}",
            interface_removed("operation"),
            operation,
            None,
        )
    else:
        change = Change(
            ChangeKind.OPERATION_ADDED,
            "",
            f"adding operation {operation}",
            Verdict(),
            None,
            operation,
        )
    difference = judge(change, mode, DeprecationPolicy(None, None))
    if difference.breaking:
        having = [v for v in targets if operation in operations_of(v)]
        difference = difference.model_copy(update={"conflicts_with_version": _label(having[-1])})
    return difference


def breaking_changes(**arguments: Any) -> list[PartDifference]:
    """The breaking ones of ``check_contract_version(**arguments)``."""
    return [(part, d) for part, d in check_contract_version(**arguments) if d.breaking]


def contract_report(
    mode: CompatibilityMode | str, found: Sequence[PartDifference]
) -> CompatibilityReport:
    """The differences as one report, each pointer prefixed with its body (``/request/id``,
    ``/get-payment/response/id``; a whole operation's is ``/get-payment``)."""
    return CompatibilityReport(
        mode=CompatibilityMode(str(mode).upper()),
        family=SchemaFamily.FIELD_LIST,
        differences=tuple(
            d.model_copy(update={"pointer": f"/{part}{d.pointer}"}) for part, d in found
        ),
    )


def _label(version: Mapping[str, Any]) -> str:
    return str(version.get("id") or version["version"])


def _body(
    version: Mapping[str, Any], body: Body, kind: str | None, model: ContentModel
) -> dict[str, Any]:
    return {
        "version": _label(version),
        "content_model": model.value,
        "fields": body_fields(version, body, kind),
    }
