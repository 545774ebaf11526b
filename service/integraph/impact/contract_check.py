"""Check a proposed new version of a stored contract, and name the consumers it would break.

The proposal is either a field list in the blueprint format (a YAML/JSON mapping with
``version`` and ``request`` / ``response`` / ``message`` / ``error`` fields), compared with the
stored versions' field lists, or a full schema (JSON Schema, Avro, OpenAPI, AsyncAPI), compared
with the schema of the latest stored version (its ``schema_ref``, read relative to the working
directory). Either way the classification is the compatibility engine's, the same code the
``contract diff`` command and the CON-03 lint rule use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from integraph.compat import (
    CompatibilityMode,
    CompatibilityReport,
    check_history,
    diff_schema_files,
    load_schema,
)
from integraph.errors import IntegraphError
from integraph.model import ContractVersion
from integraph.store.driver import Store

BODY_PARTS = ("request", "response", "message", "error")


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
    """(version label, field-list version) when ``path`` holds a field list, else (name, None)."""
    data = load_schema(path)
    if isinstance(data, dict) and "version" in data and set(data) & set(BODY_PARTS):
        try:
            version = ContractVersion.model_validate(data)
        except ValidationError as exc:
            raise IntegraphError(f"{path}: not a valid contract version: {exc}") from None
        fields = [
            {
                "path": f"/{part.value}{item.path}",
                "type": item.type.value if hasattr(item.type, "value") else str(item.type),
                "required": item.required,
                "enum": item.enum,
                "deprecated_since": None,
            }
            for part, item in version.fields()
        ]
        return version.version, {"version": version.version, "fields": fields}
    return path.name, None


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
        history = [
            {
                "version": v["version"],
                "fields": v["fields"],
                "content_model": contract["content_model"] or "open",
            }
            for v in versions
        ]
        fields["content_model"] = contract["content_model"] or "open"
        report = check_history(history, fields, mode=mode)
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
