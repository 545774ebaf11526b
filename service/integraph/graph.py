"""Pure mapping between the model and graph rows: nodes by label, relationships by type.

`to_graph` flattens a landscape into rows a loader can UNWIND; `from_graph` rebuilds the
landscape from such rows, so that `from_graph(to_graph(landscape)) == landscape`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from integraph.model import (
    POLICY_MODELS,
    Blueprint,
    Contract,
    Credential,
    Flow,
    Landscape,
    SourceLocation,
    System,
    localize,
    operation_id,
    qualify,
    review_id,
    version_id,
)
from integraph.model.landscape import SECTION_MODELS


class NodeLabel(StrEnum):
    BLUEPRINT = "Blueprint"
    REVIEW = "Review"
    ENVIRONMENT = "Environment"
    TEAM = "Team"
    SYSTEM = "System"
    COMPONENT = "Component"
    FLOW = "Flow"
    CONTRACT = "Contract"
    CONTRACT_VERSION = "ContractVersion"
    OPERATION = "Operation"
    FIELD = "Field"
    POLICY = "Policy"
    CREDENTIAL = "Credential"
    CLASSIFICATION = "Classification"
    DECISION = "Decision"
    WAIVER = "Waiver"


class RelType(StrEnum):
    IN_BLUEPRINT = "IN_BLUEPRINT"
    SCOPES = "SCOPES"
    HAS_REVIEW = "HAS_REVIEW"
    OWNED_BY = "OWNED_BY"
    PART_OF = "PART_OF"
    FROM = "FROM"
    TO = "TO"
    VIA = "VIA"
    USES_CONTRACT = "USES_CONTRACT"
    USES_VERSION = "USES_VERSION"
    AUTHENTICATES = "AUTHENTICATES"
    MASKS = "MASKS"
    HAS_VERSION = "HAS_VERSION"
    NEXT_VERSION = "NEXT_VERSION"
    HAS_OPERATION = "HAS_OPERATION"
    USES_OPERATION = "USES_OPERATION"
    CALLS = "CALLS"
    HAS_FIELD = "HAS_FIELD"
    CLEAR_FOR = "CLEAR_FOR"
    CLASSIFIED_AS = "CLASSIFIED_AS"
    APPLIES_TO = "APPLIES_TO"
    DEAD_LETTERS_TO = "DEAD_LETTERS_TO"
    HOLDS = "HOLDS"
    GOVERNS = "GOVERNS"
    SUPERSEDES = "SUPERSEDES"
    WAIVES = "WAIVES"
    JUSTIFIED_BY = "JUSTIFIED_BY"
    INSTANCE_OF = "INSTANCE_OF"
    BOUND_TO = "BOUND_TO"
    AUTHENTICATES_TO = "AUTHENTICATES_TO"
    AUTHENTICATES_RECEIVER = "AUTHENTICATES_RECEIVER"
    REPLIES_VIA = "REPLIES_VIA"
    COMPENSATED_BY = "COMPENSATED_BY"
    HAS_ENDPOINT = "HAS_ENDPOINT"


SECTION_LABELS: dict[str, NodeLabel] = {
    "environments": NodeLabel.ENVIRONMENT,
    "teams": NodeLabel.TEAM,
    "systems": NodeLabel.SYSTEM,
    "components": NodeLabel.COMPONENT,
    "contracts": NodeLabel.CONTRACT,
    "flows": NodeLabel.FLOW,
    "policies": NodeLabel.POLICY,
    "credentials": NodeLabel.CREDENTIAL,
    "classifications": NodeLabel.CLASSIFICATION,
    "decisions": NodeLabel.DECISION,
    "waivers": NodeLabel.WAIVER,
}
"""The node label of each list section's elements."""

_ALL = frozenset(NodeLabel)
_L = NodeLabel
RELATIONSHIPS: dict[RelType, tuple[frozenset[NodeLabel], frozenset[NodeLabel]]] = {
    RelType.IN_BLUEPRINT: (frozenset(SECTION_LABELS.values()), frozenset({_L.BLUEPRINT})),
    RelType.SCOPES: (frozenset({_L.BLUEPRINT}), _ALL),
    RelType.HAS_REVIEW: (frozenset({_L.BLUEPRINT}), frozenset({_L.REVIEW})),
    RelType.OWNED_BY: (
        frozenset({_L.BLUEPRINT, _L.SYSTEM, _L.COMPONENT, _L.CONTRACT}),
        frozenset({_L.TEAM}),
    ),
    RelType.PART_OF: (frozenset({_L.COMPONENT}), frozenset({_L.COMPONENT})),
    RelType.FROM: (frozenset({_L.FLOW}), frozenset({_L.SYSTEM})),
    RelType.TO: (frozenset({_L.FLOW}), frozenset({_L.SYSTEM})),
    RelType.VIA: (frozenset({_L.FLOW}), frozenset({_L.COMPONENT})),
    RelType.USES_CONTRACT: (frozenset({_L.FLOW}), frozenset({_L.CONTRACT})),
    RelType.USES_VERSION: (frozenset({_L.FLOW}), frozenset({_L.CONTRACT_VERSION})),
    RelType.AUTHENTICATES: (frozenset({_L.CREDENTIAL}), frozenset({_L.FLOW})),
    RelType.MASKS: (frozenset({_L.FLOW}), frozenset({_L.FIELD})),
    RelType.HAS_VERSION: (frozenset({_L.CONTRACT}), frozenset({_L.CONTRACT_VERSION})),
    RelType.NEXT_VERSION: (frozenset({_L.CONTRACT_VERSION}), frozenset({_L.CONTRACT_VERSION})),
    RelType.HAS_OPERATION: (frozenset({_L.CONTRACT_VERSION}), frozenset({_L.OPERATION})),
    RelType.USES_OPERATION: (frozenset({_L.FLOW}), frozenset({_L.OPERATION})),
    RelType.CALLS: (frozenset({_L.OPERATION}), frozenset({_L.FLOW})),
    RelType.HAS_FIELD: (frozenset({_L.CONTRACT_VERSION}), frozenset({_L.FIELD})),
    RelType.CLEAR_FOR: (frozenset({_L.FIELD}), frozenset({_L.SYSTEM})),
    RelType.CLASSIFIED_AS: (frozenset({_L.FIELD}), frozenset({_L.CLASSIFICATION})),
    RelType.APPLIES_TO: (frozenset({_L.POLICY}), frozenset({_L.FLOW, _L.COMPONENT})),
    RelType.DEAD_LETTERS_TO: (frozenset({_L.POLICY}), frozenset({_L.COMPONENT})),
    RelType.HOLDS: (frozenset({_L.SYSTEM}), frozenset({_L.CREDENTIAL})),
    RelType.GOVERNS: (frozenset({_L.DECISION}), _ALL),
    RelType.SUPERSEDES: (frozenset({_L.DECISION}), frozenset({_L.DECISION})),
    RelType.WAIVES: (frozenset({_L.WAIVER}), _ALL),
    RelType.JUSTIFIED_BY: (frozenset({_L.WAIVER}), frozenset({_L.DECISION})),
    RelType.INSTANCE_OF: (frozenset({_L.COMPONENT}), frozenset({_L.COMPONENT})),
    RelType.BOUND_TO: (frozenset({_L.COMPONENT, _L.CREDENTIAL}), frozenset({_L.ENVIRONMENT})),
    RelType.AUTHENTICATES_TO: (frozenset({_L.CREDENTIAL}), frozenset({_L.COMPONENT})),
    RelType.AUTHENTICATES_RECEIVER: (frozenset({_L.CREDENTIAL}), frozenset({_L.FLOW})),
    RelType.REPLIES_VIA: (frozenset({_L.FLOW}), frozenset({_L.COMPONENT})),
    RelType.COMPENSATED_BY: (frozenset({_L.FLOW}), frozenset({_L.FLOW})),
    RelType.HAS_ENDPOINT: (frozenset({_L.SYSTEM}), frozenset({_L.ENVIRONMENT})),
}
"""Allowed (from labels, to labels) of every relationship type."""


@dataclass(frozen=True)
class Reference:
    """A model field holding ids, stored as relationships of type `rel`."""

    field: str
    rel: RelType
    reverse: bool = False
    """The relationship runs from the referenced element to the one holding the field."""
    ordered: bool = False
    """Rows carry a `position` (0-based), the list order."""


REFERENCES: dict[str, tuple[Reference, ...]] = {
    "blueprint": (Reference("owner", RelType.OWNED_BY), Reference("scope", RelType.SCOPES)),
    "environments": (),
    "teams": (),
    "systems": (Reference("owner", RelType.OWNED_BY),),
    "components": (
        Reference("owner", RelType.OWNED_BY),
        Reference("part_of", RelType.PART_OF),
        Reference("instance_of", RelType.INSTANCE_OF),
        Reference("environments", RelType.BOUND_TO),
    ),
    "contracts": (Reference("owner", RelType.OWNED_BY),),
    "flows": (
        Reference("source", RelType.FROM),
        Reference("target", RelType.TO),
        Reference("via", RelType.VIA, ordered=True),
        Reference("contract", RelType.USES_CONTRACT),
        Reference("credential", RelType.AUTHENTICATES, reverse=True),
        Reference("receiver_credential", RelType.AUTHENTICATES_RECEIVER, reverse=True),
        Reference("compensated_by", RelType.COMPENSATED_BY),
    ),
    "policies": (
        Reference("applies_to", RelType.APPLIES_TO),
        Reference("dlq", RelType.DEAD_LETTERS_TO),
    ),
    "credentials": (
        Reference("held_by", RelType.HOLDS, reverse=True),
        Reference("towards", RelType.AUTHENTICATES_TO),
        Reference("environments", RelType.BOUND_TO),
    ),
    "classifications": (),
    "decisions": (
        Reference("supersedes", RelType.SUPERSEDES),
        Reference("governs", RelType.GOVERNS),
    ),
    "waivers": (Reference("element", RelType.WAIVES), Reference("decision", RelType.JUSTIFIED_BY)),
}
"""The reference fields of each section and their relationship types."""

WRITTEN_AT_END = frozenset(r.rel for refs in REFERENCES.values() for r in refs if r.reverse)
"""Relationship types held by the element at their end (`Flow.credential` is stored as
`(credential)-[:AUTHENTICATES]->(flow)`): they belong to that element, and its blueprint."""


def holder(rel_type: str, row: Mapping[str, Any]) -> str:
    """The id of the element whose field a relationship row stores (its start, or its end)."""
    return row["to"] if rel_type in WRITTEN_AT_END else row["from"]


NESTED = {
    "versions",
    "operations",
    "request",
    "response",
    "message",
    "error",
    "headers",
    "reviews",
    "masking",
    "reply",
}
"""Fields that become nodes or relationships of their own (never properties)."""
NOT_PROPERTIES: dict[str, frozenset[str]] = {
    section: frozenset(NESTED | {r.field for r in refs}) for section, refs in REFERENCES.items()
}
NOT_PROPERTIES["flows"] |= {"producer_version", "consumer_version"}
NOT_PROPERTIES["fields"] = frozenset({"classification", "clear_for"})
NOT_PROPERTIES["versions"] = frozenset(NESTED)
NOT_PROPERTIES["operations"] = frozenset(NESTED | {"calls"})
NOT_PROPERTIES["reviews"] = frozenset()
"""Per section (and for nested versions, operations, fields, reviews): fields that are not
properties."""
JSON_PROPERTIES = {"options", "error_format", "types", "permissions", "endpoints"}
"""Nested fields stored as a JSON string property (`Decision.options`, `error_format`, a
version's named `types`, a credential's `permissions`, a system's `endpoints`, which are also
`HAS_ENDPOINT {url}` relationships to their environments, for the rules)."""
PERMISSION_LISTS = ("permission_channels", "permission_groups", "permission_access")
"""A credential's permissions again as parallel lists, one entry per permission (`''` for
an absent channel or group, the access joined by commas), for the rules in Cypher."""
REPLY_PROPERTIES = {
    "address_header": "reply_address_header",
    "correlation_key": "reply_correlation_key",
    "timeout_ms": "reply_timeout_ms",
}
"""The flow properties holding its reply (request-reply); `has_reply` marks one, and its
channel is `REPLIES_VIA` relationships."""
META = {
    "id",
    "blueprint",
    "source_file",
    "source_line",
    "source_column",
    "position",
    "part",
    "operation",
    "expanded_from",
    *PERMISSION_LISTS,
    "has_reply",
    *REPLY_PROPERTIES.values(),
}
"""Properties that are bookkeeping, not model fields (a field's `operation` and
`expanded_from`, the named type that brought it in, say where it sits), or nested fields
stored flat (a credential's permission lists, a flow's reply: rebuilt apart)."""


@dataclass
class GraphRows:
    """Rows ready for UNWIND: node rows by label, relationship rows by type."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def node(self, label: NodeLabel, row: dict[str, Any]) -> None:
        self.nodes.setdefault(label.value, []).append(row)

    def rel(self, rel: RelType, start: str, end: str, **props: Any) -> None:
        self.rels.setdefault(rel.value, []).append({"from": start, "to": end, **props})


def to_graph(
    landscape: Landscape,
    blueprint_id: str | None = None,
    resolved: Mapping[str, str] | None = None,
) -> GraphRows:
    """Graph rows of the landscape; every node is stamped with `blueprint_id`.

    Ids in the graph are full identifiers (`<blueprint>:<id>`, see `model.qualify`): the
    landscape's own elements get its blueprint in front, and `resolved` gives the full
    identifier of each short reference into a blueprint it uses.
    """
    if blueprint_id is None:
        if landscape.blueprint is None:
            raise ValueError("the landscape has no blueprint: pass blueprint_id")
        blueprint_id = landscape.blueprint.id
    if landscape.blueprint is not None and landscape.blueprint.id != blueprint_id:
        raise ValueError(f"landscape is blueprint '{landscape.blueprint.id}', not '{blueprint_id}'")
    rows = GraphRows()
    names = _Names(blueprint_id, resolved or {})

    def node(label: NodeLabel, local_id: str, props: dict[str, Any]) -> None:
        row = {**props, "id": names.own(local_id), "blueprint": blueprint_id}
        source = landscape.source(local_id)
        if source is not None:
            row |= {
                "source_file": source.file,
                "source_line": source.line,
                "source_column": source.column,
            }
        rows.node(label, row)

    if landscape.blueprint is not None:
        _blueprint_rows(landscape.blueprint, rows, node, names)
    for section, element in landscape.elements():
        label = SECTION_LABELS[section]
        props = properties(element, section)
        if isinstance(element, Credential) and element.permissions:
            props |= _permission_lists(element)
        if isinstance(element, Flow) and element.reply is not None:
            props |= _reply_properties(element)
        node(label, element.id, props)
        if landscape.blueprint is not None:
            rows.rel(RelType.IN_BLUEPRINT, names.own(element.id), blueprint_id)
        _reference_rows(section, element, rows, names)
        if isinstance(element, Contract):
            _contract_rows(landscape, element, rows, node, names)
        if isinstance(element, Flow):
            _flow_rows(element, rows, names)
        if isinstance(element, System):
            for position, endpoint in enumerate(element.endpoints):
                env = names.ref(endpoint.environment)
                url = endpoint.url
                rows.rel(
                    RelType.HAS_ENDPOINT, names.own(element.id), env, url=url, position=position
                )
    return rows


@dataclass(frozen=True)
class _Names:
    """Full identifiers of what a blueprint's files name."""

    blueprint: str
    resolved: Mapping[str, str]

    def own(self, local_id: str) -> str:
        return qualify(self.blueprint, local_id)

    def ref(self, reference: str) -> str:
        return self.resolved.get(reference) or qualify(self.blueprint, reference)


def properties(model: BaseModel, kind: str) -> dict[str, Any]:
    """Flat, Neo4j-storable properties of a model of `kind` (a section, or versions, fields,
    reviews): no references, no nested parts, no nulls."""
    skipped = NOT_PROPERTIES[kind]
    props: dict[str, Any] = {}
    for name, value in model.model_dump(mode="json").items():
        if name in skipped or value is None:
            continue
        if name in JSON_PROPERTIES:
            value = json.dumps(value, sort_keys=True, ensure_ascii=False)
        props[name] = value
    return props


def _blueprint_rows(blueprint: Blueprint, rows: GraphRows, node: Any, names: _Names) -> None:
    node(NodeLabel.BLUEPRINT, blueprint.id, properties(blueprint, "blueprint"))
    _reference_rows("blueprint", blueprint, rows, names)
    for i, review in enumerate(blueprint.reviews):
        rid = review_id(blueprint.id, i)
        node(NodeLabel.REVIEW, rid, {**properties(review, "reviews"), "position": i})
        rows.rel(RelType.HAS_REVIEW, blueprint.id, rid)


def _reference_rows(section: str, element: BaseModel, rows: GraphRows, names: _Names) -> None:
    for ref in REFERENCES[section]:
        value = getattr(element, ref.field, None)
        if value is None:
            continue
        targets = value if isinstance(value, list) else [value]
        element_id = names.own(getattr(element, "id"))  # noqa: B009 - every element has an id
        for position, written in enumerate(targets):
            target = names.ref(written)
            start, end = (target, element_id) if ref.reverse else (element_id, target)
            props = {"position": position} if ref.ordered else {}
            rows.rel(ref.rel, start, end, **props)


def _contract_rows(
    landscape: Landscape, contract: Contract, rows: GraphRows, node: Any, names: _Names
) -> None:
    previous: str | None = None
    contract_id = names.own(contract.id)
    for position, version in enumerate(contract.versions):
        local_vid = version_id(contract.id, version.version)
        vid = names.own(local_vid)
        node(
            NodeLabel.CONTRACT_VERSION,
            local_vid,
            {**properties(version, "versions"), "position": position},
        )
        rows.rel(RelType.HAS_VERSION, contract_id, vid, position=position)
        if previous is not None:
            rows.rel(RelType.NEXT_VERSION, previous, vid)
        previous = vid
        for position, operation in enumerate(version.operations):
            local_oid = operation_id(local_vid, operation.name)
            oid = names.own(local_oid)
            node(
                NodeLabel.OPERATION,
                local_oid,
                {**properties(operation, "operations"), "position": position},
            )
            rows.rel(RelType.HAS_OPERATION, vid, oid, position=position)
            for call, flow in enumerate(operation.calls):
                rows.rel(RelType.CALLS, oid, names.ref(flow), position=call)
        for index, item in enumerate(landscape.version_fields(contract, version)):
            local_fid = f"{local_vid}#{item.key}"
            props = {
                **properties(item.field, "fields"),
                "path": item.path,
                "part": item.part.value,
                "position": index,
            }
            if item.operation is not None:
                props["operation"] = item.operation
            if item.expanded_from is not None:
                props["expanded_from"] = item.expanded_from
            node(NodeLabel.FIELD, local_fid, props)
            fid = names.own(local_fid)
            rows.rel(RelType.HAS_FIELD, vid, fid)
            if item.field.classification is not None:
                rows.rel(RelType.CLASSIFIED_AS, fid, names.ref(item.field.classification))
            for position, system in enumerate(item.field.clear_for):
                rows.rel(RelType.CLEAR_FOR, fid, names.ref(system), position=position)


def _permission_lists(credential: Credential) -> dict[str, list[str]]:
    permissions = credential.permissions
    return {
        "permission_channels": [p.channel or "" for p in permissions],
        "permission_groups": [p.consumer_group or "" for p in permissions],
        "permission_access": [",".join(a.value for a in p.access) for p in permissions],
    }


def _reply_properties(flow: Flow) -> dict[str, Any]:
    assert flow.reply is not None
    props: dict[str, Any] = {"has_reply": True}
    for name, prop in REPLY_PROPERTIES.items():
        value = getattr(flow.reply, name)
        if value is not None:
            props[prop] = value
    return props


def _flow_rows(flow: Flow, rows: GraphRows, names: _Names) -> None:
    flow_id = names.own(flow.id)
    if flow.reply is not None:
        for position, component in enumerate(flow.reply.via):
            rows.rel(RelType.REPLIES_VIA, flow_id, names.ref(component), position=position)
    contract = names.ref(flow.contract) if flow.contract is not None else None
    for role in ("producer", "consumer"):
        version = getattr(flow, f"{role}_version")
        if version is not None and contract is not None:
            rows.rel(RelType.USES_VERSION, flow_id, version_id(contract, version), role=role)
    if not flow.masking and not flow.operations:
        return
    version = flow.producer_version or flow.consumer_version
    if contract is None or version is None:
        raise ValueError(
            f"flow '{flow.id}' names operations or masks fields but names no contract version"
        )
    vid = version_id(contract, version)
    for name in flow.operations:
        rows.rel(RelType.USES_OPERATION, flow_id, operation_id(vid, name))
    for masking in flow.masking:
        rows.rel(RelType.MASKS, flow_id, f"{vid}#{masking.field}", method=masking.method.value)


def from_graph(rows: GraphRows) -> Landscape:
    """The landscape stored in `rows` (the inverse of `to_graph`): its own elements by short
    id, references into other blueprints by full identifier."""
    blueprints = rows.nodes.get(NodeLabel.BLUEPRINT.value, [])
    if len(blueprints) > 1:
        raise ValueError("rows hold more than one blueprint")
    owners = {row["blueprint"] for label_rows in rows.nodes.values() for row in label_rows}
    if len(owners) > 1:
        raise ValueError("rows hold elements of more than one blueprint")
    graph = _Index(rows, next(iter(owners), ""))
    sources: dict[str, SourceLocation] = {}
    for label_rows in rows.nodes.values():
        for row in label_rows:
            if "source_file" in row:
                sources[graph.local(row["id"])] = SourceLocation(
                    file=row["source_file"], line=row["source_line"], column=row["source_column"]
                )
    blueprint = None
    if blueprints:
        data = graph.element("blueprint", blueprints[0])
        reviews = [graph.nodes[t] for t in graph.targets(RelType.HAS_REVIEW, data["id"])]
        data["reviews"] = [_fields(r) for r in sorted(reviews, key=lambda r: r["position"])]
        blueprint = Blueprint.model_validate(data)
    sections: dict[str, list[Any]] = {}
    for section, label in SECTION_LABELS.items():
        sections[section] = []
        for row in rows.nodes.get(label.value, []):
            data = graph.element(section, row)
            if section == "contracts":
                data["versions"] = graph.versions(row["id"])
            if section == "flows":
                data |= graph.flow_extras(row["id"])
            model = POLICY_MODELS[row["kind"]] if section == "policies" else SECTION_MODELS[section]
            sections[section].append(model.model_validate(data))
    return Landscape(blueprint=blueprint, sources=sources, **sections)


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in row.items() if k not in META}
    for name in JSON_PROPERTIES & data.keys():
        if isinstance(data[name], str):
            data[name] = json.loads(data[name])
    return data


class _Index:
    """Node rows by id and relationship rows by type and endpoint, for rebuilding models."""

    def __init__(self, rows: GraphRows, blueprint: str) -> None:
        self.blueprint = blueprint
        self.nodes = {row["id"]: row for label_rows in rows.nodes.values() for row in label_rows}
        self.outgoing: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self.incoming: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for rel, rel_rows in rows.rels.items():
            for row in rel_rows:
                self.outgoing[(rel, row["from"])].append(row)
                self.incoming[(rel, row["to"])].append(row)

    def local(self, full_id: str) -> str:
        return localize(self.blueprint, full_id)

    def targets(self, rel: RelType, start: str) -> list[str]:
        return [row["to"] for row in self.outgoing[(rel.value, start)]]

    def element(self, section: str, row: dict[str, Any]) -> dict[str, Any]:
        data = {"id": self.local(row["id"]), **_fields(row)}
        for ref in REFERENCES[section]:
            if ref.reverse:
                found = self.incoming[(ref.rel.value, row["id"])]
                ids = [r["from"] for r in found]
            else:
                found = self.outgoing[(ref.rel.value, row["id"])]
                if ref.ordered:
                    found = sorted(found, key=lambda r: r["position"])
                ids = [r["to"] for r in found]
            if not ids:
                continue
            ids = [self.local(i) for i in ids]
            many = _is_list(section, row, ref.field)
            data[ref.field] = ids if many else ids[0]
        return data

    def versions(self, contract_id: str) -> list[dict[str, Any]]:
        found = sorted(self.outgoing[(RelType.HAS_VERSION.value, contract_id)], key=_position)
        versions = []
        for rel in found:
            row = self.nodes[rel["to"]]
            data = _fields(row)
            operations: dict[str, dict[str, Any]] = {}
            for op_rel in sorted(
                self.outgoing[(RelType.HAS_OPERATION.value, row["id"])], key=_position
            ):
                op_row = self.nodes[op_rel["to"]]
                operation = _fields(op_row)
                calls = sorted(self.outgoing[(RelType.CALLS.value, op_row["id"])], key=_position)
                if calls:
                    operation["calls"] = [self.local(c["to"]) for c in calls]
                operations[op_row["name"]] = operation
            parts: dict[str, list[dict[str, Any]]] = defaultdict(list)
            field_ids = self.targets(RelType.HAS_FIELD, row["id"])
            for fid in sorted(field_ids, key=lambda f: self.nodes[f]["position"]):
                field_row = self.nodes[fid]
                if "expanded_from" in field_row:
                    continue  # brought in by a named type: the type holds it
                item = _fields(field_row)
                classes = self.targets(RelType.CLASSIFIED_AS, fid)
                if classes:
                    item["classification"] = self.local(classes[0])
                clear = sorted(self.outgoing[(RelType.CLEAR_FOR.value, fid)], key=_position)
                if clear:
                    item["clear_for"] = [self.local(c["to"]) for c in clear]
                holder = operations.get(field_row.get("operation", ""))
                target = parts if holder is None else holder
                target.setdefault(field_row["part"], []).append(item)
            if operations:
                data["operations"] = list(operations.values())
            versions.append(data | parts)
        return versions

    def flow_extras(self, flow_id: str) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        row = self.nodes[flow_id]
        if row.get("has_reply"):
            reply = {name: row[prop] for name, prop in REPLY_PROPERTIES.items() if prop in row}
            via = sorted(self.outgoing[(RelType.REPLIES_VIA.value, flow_id)], key=_position)
            if via:
                reply["via"] = [self.local(r["to"]) for r in via]
            extras["reply"] = reply
        for row in self.outgoing[(RelType.USES_VERSION.value, flow_id)]:
            extras[f"{row['role']}_version"] = row["to"].partition("@")[2]
        operations = [
            row["to"].partition("#")[2]
            for row in self.outgoing[(RelType.USES_OPERATION.value, flow_id)]
        ]
        if operations:
            extras["operations"] = operations
        masking = []
        for row in self.outgoing[(RelType.MASKS.value, flow_id)]:
            masking.append({"field": row["to"].partition("#")[2], "method": row["method"]})
        if masking:
            extras["masking"] = masking
        return extras


def _position(row: dict[str, Any]) -> int:
    return int(row["position"])


def _is_list(section: str, row: dict[str, Any], name: str) -> bool:
    model = POLICY_MODELS[row["kind"]] if section == "policies" else SECTION_MODELS[section]
    return _field_is_list(model, name)


def _field_is_list(model: type[BaseModel], name: str) -> bool:
    # Reference lists default to []; single references default to None or are required.
    return isinstance(model.model_fields[name].default, list)
