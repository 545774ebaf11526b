"""Check a proposed new version of a stored contract, and name the consumers it would break.

The proposal is either a field list in the blueprint format (a YAML/JSON mapping with
``version`` and ``request`` / ``response`` / ``message`` / ``error`` fields), compared with the
stored versions' field lists, or a full schema (JSON Schema, Avro, OpenAPI, AsyncAPI), compared
with the schema of the latest stored version (its ``schema_ref``, read relative to the working
directory). Either way the classification is the compatibility engine's: field lists go
through compat.contracts, the same mapping of a contract's kind, mode, content model and parts
as the CON-03 lint rule, so the two agree; schemas through the same comparer as ``contract diff``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from integraph.compat import (
    CompatError,
    CompatibilityMode,
    CompatibilityReport,
    detect_family,
    diff_schema_files,
    load_schema,
)
from integraph.compat.contracts import (
    PARTS,
    body_label,
    check_contract_version,
    contract_report,
    split_label,
)
from integraph.errors import IntegraphError
from integraph.model import ContractVersion
from integraph.model.contracts import NamedType, TypeResolver
from integraph.store.driver import Store

BODY_PARTS = PARTS


@dataclass
class BrokenConsumer:
    flow: str
    system: str
    team: str | None
    reads: str  # which part of the contract the system reads
    uses_version: str | None


@dataclass
class ContractCheck:
    contract: str
    mode: str
    proposed: str
    report: CompatibilityReport
    consumers: list[BrokenConsumer] = field(default_factory=list)

    @property
    def compatible(self) -> bool:
        return self.report.compatible


def _readers(flow: dict[str, Any], part: str) -> list[tuple[str, str | None]]:
    """The systems that read ``part`` of a flow's contract, with their owner teams (an
    operation that is gone, part "", fails its caller)."""
    caller = (flow["source"], flow["source_team"])
    receiver = (flow["target"], flow["target_team"])
    if flow["pattern"] == "request_response":
        return [caller] if part in ("response", "error", "") else [receiver]
    return [receiver]


def _uses(flow: dict[str, Any], operation: str | None) -> bool:
    """Whether a flow uses a body: a version's own bodies every flow, an operation's the
    flows that name it and those that name no operation (they may use any)."""
    return operation is None or not flow["operations"] or operation in flow["operations"]


async def _proposal(
    store: Store, contract_id: str, path: Path
) -> tuple[str, dict[str, Any] | None]:
    """(version label, field-list version) when ``path`` holds a field list, else (name, None)
    for a schema; anything else is refused with the reason."""
    data = load_schema(path)
    if isinstance(data, dict) and "version" in data and set(data) & {*BODY_PARTS, "operations"}:
        try:
            version = ContractVersion.model_validate(data)
        except ValidationError as exc:
            raise IntegraphError(f"{path}: not a valid contract version: {exc}") from None
        resolve = await _type_resolver(store, contract_id, version, path)
        fields = [
            {
                "part": item.part.value,
                "path": item.path,
                "type": item.field.type.value,
                "required": item.field.required,
                "enum": item.field.enum,
                "extensible_enum": item.field.extensible_enum,
                "default": item.field.default,
                "operation": item.operation,
                "nullable": item.field.nullable,
            }
            for item in version.expanded_fields(resolve)
        ]
        operations = [o.name for o in version.operations]
        return version.version, {
            "version": version.version,
            "fields": fields,
            "operations": operations,
        }
    try:
        detect_family(data)
    except CompatError as exc:
        raise IntegraphError(
            f"{path} is neither a contract version nor a schema: a contract version is a "
            f"mapping with 'version' and {', '.join(repr(p) for p in BODY_PARTS)} field lists, "
            f"and {exc}"
        ) from None
    return path.name, None


async def _type_resolver(
    store: Store, contract_id: str, version: ContractVersion, path: Path
) -> TypeResolver:
    """Resolves the proposal's `ref`s: its own types, or another stored contract version's
    (`<contract>@<version>#<name>`, in the checked contract's blueprint); a reference to
    neither is refused, since the fields it brings in would be missing from the check."""
    refs = {item.field.ref for item in version.declared_fields() if item.field.ref}
    refs |= {f.ref for t in version.types for f in t.fields if f.ref}
    namespace = contract_id.split(":", 1)[0] + ":" if ":" in contract_id else ""
    wanted = sorted({namespace + r.rpartition("#")[0] for r in refs if "#" in r})
    stored: dict[str, list[NamedType]] = {}
    if wanted:
        for row in await store.read("queries/impact/version_types", ids=wanted):
            types = json.loads(row["types"] or "[]")
            stored[row["id"]] = [NamedType.model_validate(t) for t in types]

    def resolve(ref: str) -> NamedType | None:
        target, _, name = ref.rpartition("#")
        types = version.types if not target else stored.get(namespace + target, [])
        return next((t for t in types if t.name == name), None)

    missing = sorted(r for r in refs if resolve(r) is None)
    if missing:
        raise IntegraphError(
            f"{path}: the proposal refers to type(s) {', '.join(missing)}, which neither it "
            "nor a stored contract version defines: add them to its `types`"
        )
    return resolve


def _stored_fields(version: dict[str, Any]) -> list[dict[str, Any]]:
    """A stored version's fields (the query gives each its part and path apart)."""
    return [item for item in version["fields"] or [] if item]


async def check_contract(store: Store, contract_id: str, proposal: Path) -> ContractCheck:
    """Differences of the proposal, breaking or not under the contract's mode, and who breaks."""
    rows = await store.read("queries/impact/contract_history", id=contract_id)
    if not rows:
        raise IntegraphError(f"no contract '{contract_id}' in the graph")
    contract = rows[0]
    mode = contract["mode"] or CompatibilityMode.BACKWARD.value
    versions = [v for v in contract["versions"] if v]
    if not versions:
        raise IntegraphError(f"contract '{contract_id}' has no stored version to compare with")
    label, fields = await _proposal(store, contract_id, proposal)
    if fields is not None:
        earlier = [
            {
                "version": v["version"],
                "fields": _stored_fields(v),
                "operations": v["operations"] or [],
            }
            for v in versions
        ]
        found = check_contract_version(
            kind=contract.get("kind"),
            mode=mode,
            content_model=contract["content_model"],
            earlier=earlier,
            new=fields,
        )
        report = contract_report(mode, found)
    else:
        found = []
        schema_ref = versions[-1]["schema_ref"]
        if not schema_ref or not Path(schema_ref).is_file():
            raise IntegraphError(
                f"{proposal} is a schema, but the latest version of '{contract_id}' has no "
                f"schema_ref readable from here ({schema_ref or 'none'}): give the proposal as "
                "a field list, or run from the folder its schema_ref is relative to"
            )
        report = diff_schema_files(
            Path(schema_ref), proposal, mode=mode, content_model_hint=contract["content_model"]
        )
    check = ContractCheck(contract=contract_id, mode=mode, proposed=label, report=report)
    if report.compatible:
        return check
    labels = {part for part, d in found if d.breaking}
    if not found:  # a schema's differences: the part is the pointer's first step, if any
        steps = {d.pointer.split("/")[1] for d in report.differences if d.pointer.count("/")}
        labels = (steps & set(BODY_PARTS)) or set(BODY_PARTS)
    bodies = sorted((split_label(label) for label in labels), key=str)
    seen: set[tuple[str, str]] = set()
    for flow in await store.read("queries/impact/contract_consumers", id=contract_id):
        for operation, part in bodies:
            if not _uses(flow, operation):
                continue
            for system, team in _readers(flow, part):
                if (flow["flow"], system) in seen:
                    continue
                seen.add((flow["flow"], system))
                # The API provider (callee) or the event sender produces; the other side consumes.
                producer = (
                    flow["target"] if flow["pattern"] == "request_response" else flow["source"]
                )
                role = "producer_version" if system == producer else "consumer_version"
                uses = flow[role]
                reads = body_label((operation, part)) if part else f"operation {operation}"
                check.consumers.append(BrokenConsumer(flow["flow"], system, team, reads, uses))
    return check
