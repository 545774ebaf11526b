"""The element types of the GraphQL schema: derived from the pydantic model, with relations.

Scalar fields come from the model (`derive.object_type`); the model's reference fields become
relations, declared once in `RELATIONS` with both directions (a system's `outgoingFlows` is
the `FROM` relationship read backwards). Every element type implements `Element`; policies
also implement `Policy`, one type per policy kind. Sources are node property dicts, so a
relation resolves through the request's loaders (`loaders.py`), never one query per element.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from integraph import model
from integraph.api.graphql.derive import object_type
from integraph.api.graphql.loaders import (
    LABEL,
    REL,
    Node,
    Relation,
    Way,
    matches,
    node_function,
)
from integraph.graph import (
    JSON_PROPERTIES,
    NOT_PROPERTIES,
    REPLY_PROPERTIES,
    SECTION_LABELS,
    NodeLabel,
    RelType,
)
from integraph.model.landscape import SECTION_MODELS


@strawberry.type(description="Where an element was written: file, 1-based line and column.")
class SourceLocation:
    file: str
    line: int
    column: int


@node_function("blueprint", "id")
def _blueprint_id(root: strawberry.Parent[Node]) -> str:
    return str(root.get("blueprint") or root["id"])


@node_function("name", "title", "id")
def _display_name(root: strawberry.Parent[Node]) -> str:
    return str(root.get("name") or root.get("title") or root["id"])


@node_function("source_file", "source_line", "source_column")
def _location(root: strawberry.Parent[Node]) -> SourceLocation | None:
    if root.get("source_file") is None:
        return None
    return SourceLocation(
        file=root["source_file"], line=root["source_line"], column=root["source_column"]
    )


@strawberry.interface(description="Anything with an id in a blueprint: `<blueprint>:<id>`.")
class Element:
    id: strawberry.ID = strawberry.field(description="The full identifier, `<blueprint>:<id>`.")
    blueprint_id: str = strawberry.field(
        resolver=_blueprint_id, description="The id of the blueprint the element belongs to."
    )
    display_name: str = strawberry.field(
        resolver=_display_name, description="The element's name, title or id, to show a person."
    )
    location: SourceLocation | None = strawberry.field(
        resolver=_location, description="Where the element was written, if it came from a file."
    )


_O, _I = Way.OUT, Way.IN
R = RelType
RELATIONS: dict[str, tuple[Relation, ...]] = {
    "Blueprint": (
        Relation("owner", R.OWNED_BY, _O, "Team", many=False, description="The owning team."),
        Relation("scope", R.SCOPES, _O, "Element", description="The elements under review."),
        Relation("reviews", R.HAS_REVIEW, _O, "Review", description="Reviews, oldest first."),
        Relation("elements", R.IN_BLUEPRINT, _I, "Element", description="What it holds."),
    ),
    "Environment": (
        Relation(
            "components",
            R.BOUND_TO,
            _I,
            "Component",
            description="Components serving it.",
            where=((LABEL, NodeLabel.COMPONENT.value),),
        ),
        Relation(
            "credentials",
            R.BOUND_TO,
            _I,
            "Credential",
            description="Credentials used in it.",
            where=((LABEL, NodeLabel.CREDENTIAL.value),),
        ),
        Relation("systems", R.HAS_ENDPOINT, _I, "System", description="Systems reached in it."),
    ),
    "Team": (
        Relation("owns", R.OWNED_BY, _I, "Element", description="Systems, components..."),
        Relation(
            "systems",
            R.OWNED_BY,
            _I,
            "System",
            description="The systems it owns.",
            where=((LABEL, NodeLabel.SYSTEM.value),),
        ),
    ),
    "System": (
        Relation("owner", R.OWNED_BY, _O, "Team", many=False),
        Relation("outgoing_flows", R.FROM, _I, "Flow", description="Flows it is the source of."),
        Relation("incoming_flows", R.TO, _I, "Flow", description="Flows it is the target of."),
        Relation("credentials", R.HOLDS, _O, "Credential", description="Credentials it holds."),
    ),
    "Component": (
        Relation("owner", R.OWNED_BY, _O, "Team", many=False),
        Relation("part_of", R.PART_OF, _O, "Component", many=False),
        Relation("parts", R.PART_OF, _I, "Component"),
        Relation("flows", R.VIA, _I, "Flow", description="Flows passing through it."),
        Relation("policies", R.APPLIES_TO, _I, "Policy"),
        Relation("dead_letter_for", R.DEAD_LETTERS_TO, _I, "Policy"),
        Relation("instance_of", R.INSTANCE_OF, _O, "Component", many=False),
        Relation("instances", R.INSTANCE_OF, _I, "Component", description="Its instances."),
        Relation("environments", R.BOUND_TO, _O, "Environment", description="Those it serves."),
        Relation(
            "credentials",
            R.AUTHENTICATES_TO,
            _I,
            "Credential",
            description="Credentials authenticating to it.",
        ),
        Relation("replies", R.REPLIES_VIA, _I, "Flow", description="Replies passing through it."),
    ),
    "Contract": (
        Relation("owner", R.OWNED_BY, _O, "Team", many=False),
        Relation("versions", R.HAS_VERSION, _O, "ContractVersion", description="Oldest first."),
        Relation("flows", R.USES_CONTRACT, _I, "Flow", description="Flows using it."),
    ),
    "ContractVersion": (
        Relation("contract", R.HAS_VERSION, _I, "Contract", many=False),
        Relation("next_version", R.NEXT_VERSION, _O, "ContractVersion", many=False),
        Relation("previous_version", R.NEXT_VERSION, _I, "ContractVersion", many=False),
        Relation("fields", R.HAS_FIELD, _O, "Field", description="Every field, all parts."),
        *(
            Relation(p.value, R.HAS_FIELD, _O, "Field", where=(("part", p.value),))
            for p in model.FieldPart
        ),
        Relation("operations", R.HAS_OPERATION, _O, "Operation", description="Its operations."),
        Relation("flows", R.USES_VERSION, _I, "Flow", description="Flows pinned to it."),
        Relation("producers", R.USES_VERSION, _I, "Flow", where=(("rel.role", "producer"),)),
        Relation("consumers", R.USES_VERSION, _I, "Flow", where=(("rel.role", "consumer"),)),
    ),
    "Operation": (
        Relation("version", R.HAS_OPERATION, _I, "ContractVersion", many=False),
        Relation("flows", R.USES_OPERATION, _I, "Flow", description="Flows using it."),
        Relation("calls", R.CALLS, _O, "Flow", description="Flows made while serving it."),
    ),
    "Field": (
        Relation("version", R.HAS_FIELD, _I, "ContractVersion", many=False),
        Relation("clear_for", R.CLEAR_FOR, _O, "System", description="Entitled to its value."),
        Relation("classification", R.CLASSIFIED_AS, _O, "Classification", many=False),
        Relation("masked_by", R.MASKS, _I, "Flow", description="Flows masking it in transit."),
    ),
    "Flow": (
        Relation("source", R.FROM, _O, "System", many=False),
        Relation("target", R.TO, _O, "System", many=False),
        Relation("via", R.VIA, _O, "Component", description="Components on its path, in order."),
        Relation("contract", R.USES_CONTRACT, _O, "Contract", many=False),
        Relation(
            "producer_version",
            R.USES_VERSION,
            _O,
            "ContractVersion",
            many=False,
            where=(("rel.role", "producer"),),
        ),
        Relation(
            "consumer_version",
            R.USES_VERSION,
            _O,
            "ContractVersion",
            many=False,
            where=(("rel.role", "consumer"),),
        ),
        Relation("credential", R.AUTHENTICATES, _I, "Credential", many=False),
        Relation("policies", R.APPLIES_TO, _I, "Policy"),
        Relation("masked_fields", R.MASKS, _O, "Field", description="Fields it masks."),
        Relation("operations", R.USES_OPERATION, _O, "Operation", description="Those it uses."),
        Relation("receiver_credential", R.AUTHENTICATES_RECEIVER, _I, "Credential", many=False),
        Relation(
            "reply_via", R.REPLIES_VIA, _O, "Component", description="Its reply's path, in order."
        ),
        Relation("compensated_by", R.COMPENSATED_BY, _O, "Flow", many=False),
        Relation("compensates", R.COMPENSATED_BY, _I, "Flow", description="Flows it undoes."),
    ),
    "Policy": (
        Relation("applies_to", R.APPLIES_TO, _O, "Element", description="Flows or components."),
        Relation("dlq", R.DEAD_LETTERS_TO, _O, "Component", many=False),
    ),
    "Credential": (
        Relation("held_by", R.HOLDS, _I, "System"),
        Relation("flows", R.AUTHENTICATES, _O, "Flow", description="Flows it authenticates."),
        Relation(
            "receiving_flows",
            R.AUTHENTICATES_RECEIVER,
            _O,
            "Flow",
            description="Flows whose receiver it authenticates.",
        ),
        Relation("towards", R.AUTHENTICATES_TO, _O, "Component", description="What it opens."),
        Relation("environments", R.BOUND_TO, _O, "Environment", description="Where it is used."),
    ),
    "Classification": (
        Relation("fields", R.CLASSIFIED_AS, _I, "Field", description="Fields classified so."),
    ),
    "Decision": (
        Relation("supersedes", R.SUPERSEDES, _O, "Decision"),
        Relation("superseded_by", R.SUPERSEDES, _I, "Decision"),
        Relation("governs", R.GOVERNS, _O, "Element"),
        Relation("waivers", R.JUSTIFIED_BY, _I, "Waiver", description="Waivers it justifies."),
    ),
    "Waiver": (
        Relation("element", R.WAIVES, _O, "Element", many=False),
        Relation("decision", R.JUSTIFIED_BY, _O, "Decision", many=False),
    ),
}
"""Every relation field of every element type, both directions of each relationship."""

COMMON = (
    Relation("governed_by", R.GOVERNS, _I, "Decision", description="Decisions governing it."),
    Relation("waivers", R.WAIVES, _I, "Waiver", description="Waivers of findings on it."),
)
"""Relations every element has."""


def _resolver(relation: Relation) -> Any:
    target = f'Annotated["{relation.target}", strawberry.lazy("{__name__}")]'
    key_rel, key_way = relation.rel, relation.way
    where = relation.where

    if relation.many:

        async def many(root: strawberry.Parent[Node], info: Info) -> list[Any]:
            nodes = await info.context.loaders.related.load((key_rel, key_way, root["id"]))
            return [n for n in nodes if matches(n, where)] if where else nodes

        many.__annotations__["return"] = f"list[{target}]"
        many.relation = relation  # type: ignore[attr-defined]  # read by subtrees.py
        return many

    async def one(root: strawberry.Parent[Node], info: Info) -> Any:
        nodes = await info.context.loaders.related.load((key_rel, key_way, root["id"]))
        found = [n for n in nodes if matches(n, where)] if where else nodes
        return found[0] if found else None

    one.__annotations__["return"] = f"{target} | None"
    one.relation = relation  # type: ignore[attr-defined]  # read by subtrees.py
    return one


@strawberry.type(description="How one field of a flow's contract is protected on that flow.")
class Masking:
    method: str = strawberry.field(description="tokenised, encrypted, hashed, redacted...")
    field: Annotated["Field", strawberry.lazy("integraph.api.graphql.types")]  # noqa: F821, UP037


async def _masking(root: strawberry.Parent[Node], info: Info) -> list[Masking]:
    nodes = await info.context.loaders.related.load((R.MASKS, _O, root["id"]))
    return [Masking(method=(n.get(REL) or {}).get("method", ""), field=n) for n in nodes]


Reply = object_type(
    model.Reply,
    exclude={"via"},
    description="The reply of a request-reply exchange: correlation, timeout, address header.",
)


@node_function("has_reply", *REPLY_PROPERTIES.values())
def _reply(root: strawberry.Parent[Node]) -> Reply | None:  # type: ignore[valid-type]
    if not root.get("has_reply"):
        return None
    return Reply(**{name: root.get(prop) for name, prop in REPLY_PROPERTIES.items()})


def _relations(type_name: str) -> dict[str, Any]:
    fields = {}
    for relation in (*RELATIONS.get(type_name, ()), *COMMON):
        if relation.name in fields:
            continue
        fields[relation.name] = strawberry.field(
            resolver=_resolver(relation), description=relation.description or None
        )
    if type_name == "Flow":
        fields["masking"] = strawberry.field(
            resolver=_masking, description="The fields it masks in transit, and how."
        )
        fields["reply"] = strawberry.field(
            resolver=_reply,
            description="Its reply, for request-reply over messaging (channel: reply_via).",
        )
    return fields


def _is_label(label: str, kind: str | None = None) -> Any:
    def is_type_of(cls: type, obj: Any, info: Any) -> bool:
        return (
            type(obj) is dict
            and obj.get(LABEL) == label
            and (kind is None or obj.get("kind") == kind)
        )

    return is_type_of


def _blueprint_type() -> type:
    async def blueprint(root: strawberry.Parent[Node], info: Info) -> Any:
        return await info.context.loaders.by_id.load(root["blueprint"])

    blueprint.__annotations__["return"] = (
        f'Annotated["Blueprint", strawberry.lazy("{__name__}")] | None'
    )
    blueprint.lookup = "blueprint"  # type: ignore[attr-defined]  # the id's property, for subtrees.py

    async def used_by(root: strawberry.Parent[Node], info: Info) -> Any:
        return await info.context.loaders.users.load(root["id"])

    used_by.__annotations__["return"] = (
        f'list[Annotated["Blueprint", strawberry.lazy("{__name__}")]]'
    )
    return blueprint, used_by


_blueprint_of, _used_by = _blueprint_type()


def _element_type(
    section: str, source: type, name: str, interfaces: tuple[type, ...], **kw: Any
) -> type:
    label = SECTION_LABELS.get(section, NodeLabel.BLUEPRINT).value
    extra = _relations(kw.pop("relations", label))
    if section != "blueprint":
        extra["blueprint"] = strawberry.field(
            resolver=_blueprint_of, description="The blueprint it belongs to."
        )
    else:
        extra["used_by"] = strawberry.field(
            resolver=_used_by, description="Blueprints that declare they build on it."
        )
    return object_type(
        source,
        name=name,
        exclude=NOT_PROPERTIES[section],
        json_fields=frozenset(JSON_PROPERTIES & source.model_fields.keys()),
        extra=extra,
        interfaces=interfaces,
        is_type_of=_is_label(label, kw.pop("kind", None)),
    )


def _policy_interface() -> type:
    return strawberry.interface(
        type(
            "Policy",
            (Element,),
            {
                "__module__": __name__,
                "__doc__": "A resilience or operations policy applied to flows or components.",
                "__annotations__": {"kind": str},
                "kind": strawberry.field(description="retry, timeout, dead_letter..."),
            },
        )
    )


Policy = _policy_interface()

ELEMENT_TYPES: dict[str, type] = {}
"""GraphQL type name -> type, for every element type (policies by kind)."""

for _section, _model in SECTION_MODELS.items():
    _name = {"classifications": "Classification"}.get(_section, _model.__name__)
    ELEMENT_TYPES[_name] = _element_type(_section, _model, _name, (Element,))

for _kind, _model in model.POLICY_MODELS.items():
    ELEMENT_TYPES[_model.__name__] = _element_type(
        "policies", _model, _model.__name__, (Policy,), relations="Policy", kind=_kind
    )

# A named type's fields are plain values (not graph elements: the fields they bring into a
# version are): their own type, made before the version's so that `types` uses it.
TypeField = object_type(
    model.Field,
    name="TypeField",
    exclude={"clear_for"},
    description="A field of a named type; its path is relative to the type.",
)
object_type(
    model.NamedType,
    exclude={"fields"},
    extra={"fields": strawberry.field(graphql_type=list[TypeField], description="Its fields.")},
)
ELEMENT_TYPES["ContractVersion"] = object_type(
    model.ContractVersion,
    exclude=NOT_PROPERTIES["versions"],
    json_fields=frozenset(JSON_PROPERTIES & model.ContractVersion.model_fields.keys()),
    extra={**_relations("ContractVersion"), "blueprint": strawberry.field(resolver=_blueprint_of)},
    interfaces=(Element,),
    description="One version of a contract, with its fields by part.",
    is_type_of=_is_label("ContractVersion"),
)


@node_function("part")
def _part(root: strawberry.Parent[Node]) -> str | None:
    return root.get("part")


@node_function("operation")
def _operation(root: strawberry.Parent[Node]) -> str | None:
    return root.get("operation")


@node_function("expanded_from")
def _expanded_from(root: strawberry.Parent[Node]) -> str | None:
    return root.get("expanded_from")


ELEMENT_TYPES["Operation"] = object_type(
    model.Operation,
    exclude=NOT_PROPERTIES["operations"],
    extra={**_relations("Operation"), "blueprint": strawberry.field(resolver=_blueprint_of)},
    interfaces=(Element,),
    description=(
        "An operation of a contract version (REST method and path, gRPC method, AsyncAPI "
        "operation): `<version>#<name>`; its fields are the version's fields whose `operation` "
        "is its name."
    ),
    is_type_of=_is_label("Operation"),
)
ELEMENT_TYPES["Field"] = object_type(
    model.Field,
    exclude=NOT_PROPERTIES["fields"],
    extra={
        **_relations("Field"),
        "blueprint": strawberry.field(resolver=_blueprint_of),
        "part": strawberry.field(resolver=_part, graphql_type=str | None),
        "operation": strawberry.field(
            resolver=_operation,
            graphql_type=str | None,
            description="The operation it belongs to; null for the version's own bodies.",
        ),
        "expanded_from": strawberry.field(
            resolver=_expanded_from,
            graphql_type=str | None,
            description="The named type that brought it in (`Money`); null when declared.",
        ),
    },
    interfaces=(Element,),
    description=(
        "A field of a contract version's (or one of its operations') request, response, "
        "message, error or headers."
    ),
    is_type_of=_is_label("Field"),
)
ELEMENT_TYPES["Review"] = object_type(
    model.Review,
    extra={"blueprint": strawberry.field(resolver=_blueprint_of)},
    interfaces=(Element,),
    description="One review of a blueprint: `<blueprint>#review-<n>`.",
    is_type_of=_is_label("Review"),
)

globals().update(ELEMENT_TYPES)
