"""Data lineage of classified fields: where the data goes, and what protects it on each hop.

A hop is a flow carrying the data, in the direction the data moves: a request or message goes
from the flow's source to its target, a response or error comes back from the target. A flow
that names operations of its contract carries only the fields of those operations and of the
version's own bodies. Each hop
lists the fields it carries with their masking, the transport encryption and audit logging, and
marks the duties the classification asks for but the hop lacks (masking, encryption, audit,
retention). Hops are ordered breadth-first from the systems where the data originates, each
once, so cycles end.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from integraph.errors import IntegraphError
from integraph.store.driver import Row, Store, Tx

INBOUND_PARTS = {
    "request": False,
    "message": False,
    "headers": False,
    "response": True,
    "error": True,
}
"""Per body part: does the data move against the flow (from its target to its source)?"""


@dataclass
class CarriedField:
    id: str
    path: str
    part: str
    classification: str | None
    masking: str | None
    clear_for_receiver: bool = False
    """The hop's receiver is entitled to the clear value (the field's clear_for): no masking
    is owed on this hop."""


@dataclass
class Hop:
    flow: str
    pattern: str
    sender: str
    receiver: str
    contract_versions: list[str]
    fields: list[CarriedField]
    encryption: str | None
    audit_logging: bool
    audit_retention_days: int | None
    crosses_boundary: bool
    missing: list[str] = field(default_factory=list)
    depth: int = 0


@dataclass
class Lineage:
    subject: str
    kind: str  # "field", "classification" or "system"
    hops: list[Hop]
    systems: list[str]
    origins: list[str]

    @property
    def gaps(self) -> list[Hop]:
        return [hop for hop in self.hops if hop.missing]


async def lineage(store: Store, subject: str) -> Lineage:
    """Lineage of a field id, or of a classification (id or category such as ``pci``)."""
    return await store.read_transaction(lambda tx: _lineage(tx, subject))


async def classified_data_reaching(store: Store, system_id: str) -> Lineage:
    """The reverse question: which classified data reaches ``system_id``, and how."""

    async def work(tx: Tx) -> Lineage:
        found = await tx.run("queries/impact/element", id=system_id)
        if not found or found[0]["kind"] != "System":
            what = f"a {found[0]['kind']}, not a system" if found else "not in the graph"
            raise IntegraphError(f"lineage --into needs a system id: '{system_id}' is {what}")
        carriers = await tx.run("queries/lineage/system_inbound", id=system_id)
        hops = await _hops(tx, carriers)
        inbound = [hop for hop in hops if hop.receiver == system_id]
        for hop in inbound:
            hop.depth = 1
        origins = sorted({hop.sender for hop in inbound})
        return Lineage(system_id, "system", inbound, [system_id], origins)

    return await store.read_transaction(work)


async def _lineage(tx: Tx, subject: str) -> Lineage:
    element = await tx.run("queries/impact/element", id=subject)
    if element and element[0]["kind"] == "Field":
        kind = "field"
        carriers = await tx.run("queries/lineage/field_carriers", id=subject)
    else:
        kind = "classification"
        carriers = await tx.run("queries/lineage/classification_carriers", name=subject)
        if not carriers and not element:
            raise IntegraphError(
                f"'{subject}' is neither a field id nor a classification id or category "
                "with data on any flow"
            )
    hops = await _hops(tx, carriers)
    ordered, origins = _breadth_first(hops)
    systems = sorted({h.sender for h in hops} | {h.receiver for h in hops})
    return Lineage(subject, kind, ordered, systems, origins)


async def _hops(tx: Tx, carriers: list[Row]) -> list[Hop]:
    flows = sorted({row["flow"] for row in carriers})
    if not flows:
        return []
    info = {row["flow"]: row for row in await tx.run("queries/lineage/hops", flows=flows)}
    class_ids = sorted({row["classification"] for row in carriers if row["classification"]})
    duties = {
        row["id"]: row for row in await tx.run("queries/lineage/classifications", ids=class_ids)
    }
    grouped: dict[tuple[str, bool], list[Row]] = defaultdict(list)
    for row in carriers:
        grouped[(row["flow"], INBOUND_PARTS.get(row["part"], False))].append(row)
    hops = []
    for (flow_id, backwards), rows in sorted(grouped.items()):
        flow = info[flow_id]
        sender, receiver = flow["source"], flow["target"]
        if backwards:
            sender, receiver = receiver, sender
        # Keyed by operation (None for the version's own bodies), part and path.
        masks = {(m["operation"], m["part"], m["path"]): m["method"] for m in flow["masking"]}
        # A flow whose producer and consumer use different versions carries the field once.
        by_key: dict[tuple[str | None, str, str], CarriedField] = {}
        for row in rows:
            key = (row["operation"], row["part"], row["path"])
            by_key.setdefault(
                key,
                CarriedField(
                    id=row["field"],
                    path=row["path"],
                    part=row["part"],
                    classification=row["classification"],
                    masking=masks.get(key),
                    clear_for_receiver=receiver in (row.get("clear_for") or []),
                ),
            )
        fields = list(by_key.values())
        hop = Hop(
            flow=flow_id,
            pattern=flow["pattern"],
            sender=sender,
            receiver=receiver,
            contract_versions=sorted({row["version"] for row in rows}),
            fields=fields,
            encryption=flow["encryption"],
            audit_logging=flow["audit_logging"],
            audit_retention_days=flow["audit_retention_days"],
            crosses_boundary=_crosses(flow),
        )
        hop.missing = _missing_duties(hop, duties)
        hops.append(hop)
    return hops


def _crosses(flow: dict[str, Any]) -> bool:
    return bool(
        flow["source_zone"] != flow["target_zone"]
        or flow["target_external"]
        or flow["source_external"]
    )


def _missing_duties(hop: Hop, duties: dict[str, Row]) -> list[str]:
    missing: list[str] = []
    for item in hop.fields:
        duty = duties.get(item.classification or "")
        if duty is None:
            continue
        unmasked = item.masking in (None, "none")
        # Masking is owed where the field leaves its zone (as rule SEC-08 judges it).
        if (
            duty["masking_required"]
            and unmasked
            and hop.crosses_boundary
            and not item.clear_for_receiver
        ):
            missing.append(f"masking of {_field_key(item)}")
        if duty["audit_required"] and not hop.audit_logging and "audit logging" not in missing:
            missing.append("audit logging")
        minimum = duty["min_audit_retention_days"]
        if (
            duty["audit_required"]
            and hop.audit_logging
            and minimum is not None
            and (hop.audit_retention_days or 0) < minimum
            and "audit retention" not in missing
        ):
            missing.append("audit retention")
    if hop.encryption in (None, "none") and any(f.classification in duties for f in hop.fields):
        missing.append("transport encryption")
    return sorted(set(missing))


def _field_key(item: CarriedField) -> str:
    """The field as its version names it: `request/card/pan`, or for an operation's field
    `charge/request/card/pan` (the part of its id after the version)."""
    return item.id.partition("#")[2] or f"{item.part}{item.path}"


def _breadth_first(hops: list[Hop]) -> tuple[list[Hop], list[str]]:
    """Order hops from the origins outwards; each hop once, cycles included.

    The origins are the senders nobody sends to; a cycle that nothing enters gets its first
    sender (by id) as one more origin, so that every hop has a depth from some origin.
    """
    receivers = {hop.receiver for hop in hops}
    senders = sorted({hop.sender for hop in hops})
    origins = [s for s in senders if s not in receivers] or senders[:1]
    out_of: dict[str, list[Hop]] = defaultdict(list)
    for hop in hops:
        out_of[hop.sender].append(hop)
    ordered: list[Hop] = []
    seen_hops: set[int] = set()
    seen_systems: set[str] = set()

    def walk(starts: list[str]) -> None:
        seen_systems.update(starts)
        queue: deque[tuple[str, int]] = deque((start, 1) for start in starts)
        while queue:
            system, depth = queue.popleft()
            for hop in out_of[system]:
                if id(hop) in seen_hops:
                    continue
                seen_hops.add(id(hop))
                hop.depth = depth
                ordered.append(hop)
                if hop.receiver not in seen_systems:
                    seen_systems.add(hop.receiver)
                    queue.append((hop.receiver, depth + 1))

    walk(origins)
    while len(seen_hops) < len(hops):
        entry = min(hop.sender for hop in hops if id(hop) not in seen_hops)
        origins.append(entry)
        walk([entry])
    return ordered, origins
