"""The query root: elements by id and in filtered pages, search, dashboards, lint, impact.

Every field delegates: element reads go through the request's loaders and the named
queries of `cypher/queries/api/`; lint and impact call the same service functions the CLI
calls and return their typed results.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from integraph.api.graphql.audits import audit_fields
from integraph.api.graphql.connections import (
    Connection,
    Edge,
    PageInfo,
    check_first,
    decode_cursor,
    encode_cursor,
)
from integraph.api.graphql.derive import Date
from integraph.api.graphql.documents import DocumentInput, DocumentRefused, written
from integraph.api.graphql.loaders import LABEL, Node
from integraph.api.graphql.results import (
    AuditEntryType,
    BlastRadiusType,
    CompatibilityType,
    ContractCheckType,
    Count,
    LineageType,
    LintReportType,
    WhatIfType,
)
from integraph.api.graphql.types import ELEMENT_TYPES, Element, Policy
from integraph.changes.audit_trail import audit_trail
from integraph.compat.compare import diff_schema_files
from integraph.errors import CypherError, IntegraphError
from integraph.graph import NodeLabel
from integraph.impact.blast import Direction, blast_radius
from integraph.impact.contract_check import check_contract
from integraph.impact.lineage import lineage
from integraph.impact.whatif import read_changeset, what_if
from integraph.knowledge.lookup import resolve_id
from integraph.limits import BlueprintLimits
from integraph.lint.rules import Severity
from integraph.lint.service import choose_rules, lint
from integraph.model import (
    ClassificationCategory,
    CompatibilityMode,
    FlowPattern,
    Lifecycle,
    TrustZone,
)
from integraph.store.driver import native

_T = ELEMENT_TYPES


@strawberry.input(description="Narrows a list; each field left out matches everything.")
class ElementFilter:
    blueprint: list[str] | None = strawberry.field(
        default=None, description="Only elements of these blueprints."
    )
    kind: str | None = strawberry.field(
        default=None,
        description="System, component, contract, credential or policy kind.",
    )
    pattern: FlowPattern | None = strawberry.field(default=None, description="Flows only.")
    team: str | None = strawberry.field(
        default=None, description="Owned by this team (a flow: its source or target is)."
    )
    system: str | None = strawberry.field(
        default=None, description="Flows from or to this system; credentials it holds."
    )
    trust_zone: TrustZone | None = None
    tier: int | None = strawberry.field(default=None, description="Criticality tier, 1 = most.")
    lifecycle: Lifecycle | None = None
    classification: str | None = strawberry.field(
        default=None,
        description="Flows carrying, and contract versions holding, fields of this class.",
    )
    status: str | None = strawberry.field(
        default=None, description="Blueprint, decision or version status."
    )
    category: ClassificationCategory | None = None
    tag: str | None = None


_EQUAL = ("kind", "pattern", "trust_zone", "tier", "lifecycle", "status", "category")


def _params(label: NodeLabel, where: ElementFilter | None) -> dict[str, Any]:
    where = where or ElementFilter()
    equal: dict[str, Any] = {}
    for name in _EQUAL:
        value = getattr(where, name)
        if value is not None:
            equal[name] = getattr(value, "value", value)
    return {
        "label": label.value,
        "blueprint": where.blueprint,
        "equal": equal,
        "tag": where.tag,
        "team": where.team,
        "system": where.system,
        "classification": where.classification,
    }


def _wants_total(info: Info) -> bool:
    for selected in info.selected_fields:
        for child in selected.selections:
            if getattr(child, "name", None) == "totalCount":
                return True
    return False


async def _page(
    info: Info, label: NodeLabel, where: ElementFilter | None, first: int, after: str | None
) -> Connection[Any]:
    check_first(first)
    reader = info.context.loaders.reader
    params = _params(label, where)
    found = native(
        await reader.read_single(
            f"queries/api/list[{label.value}]",
            **params,
            after=decode_cursor(after),
            first=first + 1,
        )
    )
    nodes = found[:first]
    for node in nodes:
        node[LABEL] = label.value
    total = None
    if _wants_total(info):
        total = (await reader.read(f"queries/api/count[{label.value}]", **params))[0]["total"]
    edges = [Edge(cursor=encode_cursor(n["id"]), node=n) for n in nodes]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(found) > first, end_cursor=edges[-1].cursor if edges else None
        ),
        total_count=total,
    )


def _list_field(label: NodeLabel, type_name: str, description: str) -> Any:
    async def resolve(
        info: Info,
        where: ElementFilter | None = None,
        first: int = 100,
        after: str | None = None,
    ) -> Any:
        return await _page(info, label, where, first, after)

    resolve.__annotations__["return"] = Connection[_T.get(type_name, Policy)]
    return strawberry.field(resolver=resolve, description=description)


def _by_id_field(label: NodeLabel, type_name: str) -> Any:
    async def resolve(info: Info, id: strawberry.ID) -> Any:
        node = await info.context.loaders.by_id.load(str(id))
        return node if node is not None and node[LABEL] == label.value else None

    resolve.__annotations__["return"] = (_T.get(type_name, Policy)) | None
    return strawberry.field(resolver=resolve, description=f"The {type_name.lower()} with this id.")


_KINDS: dict[str, tuple[NodeLabel, str]] = {
    "blueprint": (NodeLabel.BLUEPRINT, "Blueprint"),
    "environment": (NodeLabel.ENVIRONMENT, "Environment"),
    "team": (NodeLabel.TEAM, "Team"),
    "system": (NodeLabel.SYSTEM, "System"),
    "component": (NodeLabel.COMPONENT, "Component"),
    "flow": (NodeLabel.FLOW, "Flow"),
    "contract": (NodeLabel.CONTRACT, "Contract"),
    "policy": (NodeLabel.POLICY, "Policy"),
    "credential": (NodeLabel.CREDENTIAL, "Credential"),
    "classification": (NodeLabel.CLASSIFICATION, "Classification"),
    "decision": (NodeLabel.DECISION, "Decision"),
    "waiver": (NodeLabel.WAIVER, "Waiver"),
}
_PLURALS = {"policy": "policies", "classification": "classifications"}

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_LUCENE_OPERATOR = re.compile(r"\b(AND|OR|NOT)\b")


_LUCENE_REFUSAL = re.compile(r"(?:ParseException|TokenMgrError): ([^\n]*)")


class BadSearchText(IntegraphError):
    """Lucene refused the text of a `search(lucene: true)`."""

    exit_code = 2
    code = "BAD_USER_INPUT"


def refused_lucene(exc: CypherError) -> BadSearchText | None:
    """The user's error in a full-text query Neo4j refused, or None if it was something else."""
    if exc.code != "Neo.ClientError.Procedure.ProcedureCallFailed":
        return None
    found = _LUCENE_REFUSAL.search(exc.message)
    if found is None:
        return None
    reason = found.group(1).strip()[:200]
    return BadSearchText(f"the search text is not valid Lucene syntax: {reason}")


def plain_text_query(text: str) -> str:
    """`text` as Lucene syntax that matches its words: special characters and the operator
    words (AND, OR, NOT, which the parser refuses dangling) escaped."""
    return _LUCENE_OPERATOR.sub(r"\\\1", _LUCENE_SPECIAL.sub(r"\\\1", text))


@strawberry.type(description="An element found by text search, with its relevance.")
class SearchHit:
    element: Element
    score: float


@strawberry.type(description="Systems counted by owner team and criticality tier.")
class TeamTierCount:
    team: str | None
    tier: int | None
    count: int


@strawberry.type(description="Credentials counted by kind and rotation window.")
class CredentialCount:
    kind: str
    rotation: str = strawberry.field(
        description="none, within_30_days, within_90_days, within_365_days, over_365_days"
    )
    count: int


@strawberry.type(description="Counts a dashboard shows, over some or all blueprints.")
class Dashboard:
    blueprint: strawberry.Private[list[str] | None]

    @strawberry.field(description="Flows by pattern.")
    async def flows_by_pattern(self, info: Info) -> list[Count]:
        rows = await info.context.loaders.reader.read(
            "queries/api/flows_by_pattern", blueprint=self.blueprint
        )
        return [Count(key=r["key"], count=r["count"]) for r in rows]

    @strawberry.field(description="Systems by owner team and tier.")
    async def systems_by_team_and_tier(self, info: Info) -> list[TeamTierCount]:
        counts = await info.context.loaders.reader.read_single(
            "queries/api/systems_by_team_and_tier", blueprint=self.blueprint
        )
        return [TeamTierCount(team=team, tier=tier, count=n) for team, tier, n in counts]

    @strawberry.field(description="Credentials by kind and rotation window.")
    async def credentials_by_kind(self, info: Info) -> list[CredentialCount]:
        rows = await info.context.loaders.reader.read(
            "queries/api/credentials_by_kind", blueprint=self.blueprint
        )
        return [
            CredentialCount(kind=r["kind"], rotation=r["rotation"], count=r["count"]) for r in rows
        ]


def _query_namespace() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for singular, (label, type_name) in _KINDS.items():
        plural = _PLURALS.get(singular, singular + "s")
        fields[singular] = _by_id_field(label, type_name)
        fields[plural] = _list_field(
            label, type_name, f"{type_name} elements, one page at a time, in id order."
        )
    return fields


@strawberry.type(description="Read the knowledge base: elements, search, dashboards, lint, impact.")
class Query:
    locals().update(_query_namespace())
    locals().update(audit_fields())

    @strawberry.field(description="Any element by its full identifier (`landscape:crm`).")
    async def element(self, info: Info, id: strawberry.ID) -> Element | None:
        return await info.context.loaders.by_id.load(str(id))

    @strawberry.field(description="Many elements by id, in the order asked (null: not found).")
    async def elements(self, info: Info, ids: list[strawberry.ID]) -> list[Element | None]:
        if len(ids) > 1_000:
            raise ValueError("ask for at most 1000 ids at once")
        return await info.context.loaders.by_id.load_many([str(i) for i in ids])

    @strawberry.field(description="Full-text search over names, descriptions and titles.")
    async def search(
        self,
        info: Info,
        text: str,
        kinds: list[str] | None = None,
        blueprint: list[str] | None = None,
        first: int = 20,
        lucene: Annotated[
            bool, strawberry.argument(description="Pass `text` as Lucene syntax, unescaped.")
        ] = False,
    ) -> list[SearchHit]:
        check = set(kinds or ()) - {label.value for label in NodeLabel}
        if check:
            raise ValueError(f"unknown kinds: {', '.join(sorted(check))}")
        if not text.strip():  # Lucene refuses an empty query; it would find nothing anyway
            return []
        query = text if lucene else plain_text_query(text)
        try:
            rows = await info.context.loaders.reader.read(
                "queries/api/search",
                text=query,
                labels=kinds,
                blueprint=blueprint,
                first=min(max(first, 0), 200),
            )
        except CypherError as exc:
            refused = refused_lucene(exc) if lucene else None
            if refused is None:
                raise
            raise refused from None
        hits = []
        for row in rows:
            node: Node = row["node"]
            node[LABEL] = row["label"]
            hits.append(SearchHit(element=node, score=row["score"]))  # type: ignore[arg-type]
        return hits

    @strawberry.field(description="Counts for dashboards, over some or all blueprints.")
    def dashboard(self, blueprint: list[str] | None = None) -> Dashboard:
        return Dashboard(blueprint=blueprint)

    @strawberry.field(description="Run the lint rules now, with the filters of `integraph lint`.")
    async def lint(
        self,
        info: Info,
        blueprint: list[str] | None = None,
        rules: list[str] | None = None,
        areas: list[str] | None = None,
        tags: list[str] | None = None,
        min_severity: Severity = Severity.INFO,
    ) -> LintReportType:  # type: ignore[valid-type]
        app = info.context.app
        chosen = choose_rules(
            ids=rules, areas=areas, tags=tags, min_severity=min_severity, config=app.lint_config
        )
        return await lint(
            app.store, chosen, config=app.lint_config, blueprints=blueprint, fail_on=None
        )

    @strawberry.field(description="What a change to one element affects (`integraph impact`).")
    async def blast_radius(
        self,
        info: Info,
        element: str,
        direction: Direction = Direction.DOWNSTREAM,
        depth: int = 6,
        limit: int = 100,
        offset: int = 0,
    ) -> BlastRadiusType:  # type: ignore[valid-type]
        store = info.context.app.store
        element_id = await resolve_id(store, element)
        return await blast_radius(
            store, element_id, direction=direction, depth=depth, limit=limit, offset=offset
        )

    @strawberry.field(
        description="Where data travels (`integraph lineage`): a field id, a "
        "classification id (pii, pci...) or a system id (what classified data reaches it)."
    )
    async def lineage(self, info: Info, subject: str) -> LineageType:  # type: ignore[valid-type]
        return await lineage(info.context.app.store, subject)

    @strawberry.field(description="Compare two schema documents, no graph (`contract diff`).")
    def contract_diff(
        self,
        old: DocumentInput,
        new: DocumentInput,
        mode: CompatibilityMode = CompatibilityMode.BACKWARD,
        deprecation_window_days: int | None = None,
    ) -> CompatibilityType:  # type: ignore[valid-type]
        if old.name == new.name:
            raise DocumentRefused("name the old and the new document differently")
        with written([old, new]) as folder:
            return diff_schema_files(
                folder / old.name,
                folder / new.name,
                mode=mode,
                deprecation_window_days=deprecation_window_days,
            )

    @strawberry.field(
        description="Check a proposed contract version against the stored "
        "contract and the consumers it would break (`contract check`)."
    )
    async def contract_check(
        self, info: Info, contract: str, proposal: DocumentInput
    ) -> ContractCheckType:  # type: ignore[valid-type]
        store = info.context.app.store
        contract_id = await resolve_id(store, contract)
        with written([proposal]) as folder:
            return await check_contract(store, contract_id, folder / proposal.name)

    @strawberry.field(description="What a change set would do, rolled back (`integraph whatif`).")
    async def what_if(self, info: Info, changes: DocumentInput, depth: int = 3) -> WhatIfType:  # type: ignore[valid-type]
        app = info.context.app
        limits = BlueprintLimits.from_settings(app.settings)
        with written([changes]) as folder:
            changeset = read_changeset(folder / changes.name, limits=limits)
        rules = choose_rules(config=app.lint_config)
        return await what_if(
            app.store, changeset, rules, config=app.lint_config, depth=depth, origin=changes.name
        )

    @strawberry.field(description="Who changed what, newest first (`integraph audit-trail`).")
    async def audit_trail(
        self,
        info: Info,
        element: str | None = None,
        blueprint: str | None = None,
        actor: str | None = None,
        since: Date | None = None,
        first: int = 100,
        before: Annotated[
            str | None, strawberry.argument(description="An entry id: continue after it.")
        ] = None,
    ) -> list[AuditEntryType]:  # type: ignore[valid-type]
        check_first(first)
        return await audit_trail(
            info.context.app.store,
            element=element,
            blueprint=blueprint,
            actor=actor,
            since=since,
            limit=first,
            before_cursor=before,
        )
