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
from integraph.compat.contracts import PARTS, check_contract_version, contract_report
from integraph.errors import IntegraphError
from integraph.model import ContractVersion
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
    """The systems that read ``part`` of a flow's contract, with their owner teams."""
    caller = (flow["source"], flow["source_team"])
    receiver = (flow["target"], flow["target_team"])
    if flow["pattern"] == "request_response":
        return [caller] if part in ("response", "error") else [receiver]
    return [receiver]


def _proposal(path: Path) -> tuple[str, dict[str, Any] | None]:
    """(version label, field-list version) when ``path`` holds a field list, else (name, None)
    for a schema; anything else is refused with the reason."""
    data = load_schema(path)
    if isinstance(data, dict) and "version" in data and set(data) & set(BODY_PARTS):
        try:
            version = ContractVersion.model_validate(data)
        except ValidationError as exc:
            raise IntegraphError(f"{path}: not a valid contract version: {exc}") from None
        fields = [
            {
                "part": part.value,
                "path": item.path,
                "type": item.type.value if hasattr(item.type, "value") else str(item.type),
                "required": item.required,
                "enum": item.enum,
                "extensible_enum": item.extensible_enum,
                "default": item.default,
            }
            for part, item in version.fields()
        ]
        return version.version, {"version": version.version, "fields": fields}
    try:
        detect_family(data)
    except CompatError as exc:
        raise IntegraphError(
            f"{path} is neither a contract version nor a schema: a contract version is a "
            f"mapping with 'version' and {', '.join(repr(p) for p in BODY_PARTS)} field lists, "
            f"and {exc}"
        ) from None
    return path.name, None


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
    label, fields = _proposal(proposal)
    if fields is not None:
        earlier = [{"version": v["version"], "fields": _stored_fields(v)} for v in versions]
        found = check_contract_version(
            kind=contract.get("kind"),
            mode=mode,
            content_model=contract["content_model"],
            earlier=earlier,
            new=fields,
        )
        report = contract_report(mode, found)
    else:
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
    parts = {
        d.pointer.split("/")[1] if d.pointer.count("/") >= 1 else ""
        for d in report.differences
        if d.breaking
    }
    parts = {p for p in parts if p in BODY_PARTS} or set(BODY_PARTS)
    seen: set[tuple[str, str]] = set()
    for flow in await store.read("queries/impact/contract_consumers", id=contract_id):
        for part in sorted(parts):
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
                check.consumers.append(BrokenConsumer(flow["flow"], system, team, part, uses))
    return check
