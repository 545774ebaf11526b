"""Element reads through the schema: by id, relations both ways, pages, filters, search."""

from __future__ import annotations

from collections import Counter

import pytest

pytestmark = pytest.mark.usefixtures("knowledge")


async def test_a_system_by_id_with_its_flows_both_ways(run) -> None:
    data = await run(
        """{ system(id: "landscape:payments") {
               id name tier trustZone blueprintId displayName
               owner { id name }
               incomingFlows { id source { id } }
               outgoingFlows { id pattern target { id external } }
               location { file line }
               blueprint { id status }
        } }"""
    )
    system = data["system"]
    assert system["id"] == "landscape:payments"
    assert system["tier"] == 1 and system["trustZone"] == "REGULATED"
    assert system["owner"] == {"id": "landscape:team-payments", "name": "Payments"}
    assert {f["id"] for f in system["incomingFlows"]} >= {"card-payments:checkout-to-payments"}
    assert all(f["source"]["id"] for f in system["incomingFlows"])
    outgoing = {f["id"]: f for f in system["outgoingFlows"]}
    assert outgoing["card-payments:payments-to-processor"]["target"] == {
        "id": "landscape:card-processor",
        "external": True,
    }
    assert system["location"] == {"file": "landscape/systems.yaml", "line": 17}
    assert system["blueprint"]["id"] == "landscape"


async def test_a_flow_with_its_path_contract_versions_credential_and_masking(run) -> None:
    data = await run(
        """{ flow(id: "card-payments:checkout-to-payments") {
               pattern mutating via { id kind }
               contract { id versions { version } }
               producerVersion { version fields { path part classification { id } } }
               consumerVersion { version }
               credential { id kind heldBy { id } }
               maskedFields { path }
               masking { method field { path part } }
        } }"""
    )
    flow = data["flow"]
    assert flow["pattern"] == "REQUEST_RESPONSE" and flow["mutating"] is True
    assert flow["via"] == [{"id": "landscape:api-gateway", "kind": "API_GATEWAY"}]
    assert flow["producerVersion"]["version"] == "2.0.0"
    assert flow["consumerVersion"]["version"] == "1.0.0"
    assert [v["version"] for v in flow["contract"]["versions"]] == ["1.0.0", "2.0.0"]
    assert flow["credential"]["heldBy"] == [{"id": "landscape:web-shop"}]
    assert flow["maskedFields"] == [{"path": "/card/pan"}]
    assert flow["masking"] == [
        {"method": "tokenised", "field": {"path": "/card/pan", "part": "request"}}
    ]
    pan = [f for f in flow["producerVersion"]["fields"] if f["path"] == "/card/pan"]
    assert pan and pan[0]["part"] == "request" and pan[0]["classification"]


async def test_an_unknown_or_other_kind_id_is_null(run) -> None:
    data = await run(
        '{ system(id: "landscape:nope") { id } flow(id: "landscape:payments") { id } }'
    )
    assert data == {"system": None, "flow": None}


async def test_pages_follow_cursors_and_count_the_whole_list(run) -> None:
    seen = []
    after = None
    while True:
        data = await run(
            """query($after: String) { systems(first: 2, after: $after) {
                   totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor }
               } }""",
            {"after": after},
        )
        page = data["systems"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(seen) == page["totalCount"] == len(set(seen))


async def test_filters_narrow_lists(run) -> None:
    data = await run(
        """{ tier1: systems(where: {tier: 1}) { nodes { id } }
             regulated: systems(where: {trustZone: REGULATED}) { totalCount }
             team: systems(where: {team: "landscape:team-payments"}) { nodes { id } }
             events: flows(where: {pattern: EVENT}) { nodes { id pattern } }
             mine: flows(where: {blueprint: ["crm-sync"]}) { nodes { blueprintId } }
             pan: flows(where: {classification: "landscape:pci-pan"}) { nodes { id } } }"""
    )
    assert {n["id"] for n in data["tier1"]["nodes"]} >= {"landscape:payments"}
    assert data["regulated"]["totalCount"] >= 1
    assert data["team"]["nodes"] == [{"id": "landscape:payments"}]
    assert data["events"]["nodes"] and all(n["pattern"] == "EVENT" for n in data["events"]["nodes"])
    assert all(n["blueprintId"] == "crm-sync" for n in data["mine"]["nodes"])
    assert "card-payments:checkout-to-payments" in {n["id"] for n in data["pan"]["nodes"]}


async def test_search_finds_elements_by_name(run) -> None:
    data = await run('{ search(text: "Payments service") { score element { id __typename } } }')
    hits = data["search"]
    assert hits[0]["element"] == {"id": "landscape:payments", "__typename": "System"}


async def test_search_escapes_lucene_syntax(run) -> None:
    data = await run('{ search(text: "card-processor (third party) [x") { element { id } } }')
    assert isinstance(data["search"], list)


async def test_search_takes_operator_words_as_words_and_blank_text_as_nothing(run) -> None:
    found = "query($t: String!, $l: Boolean!) { search(text: $t, lucene: $l) { element { id } } }"
    plain = await run(found, {"t": "Payments service", "l": False})
    for text in ("Payments service AND", "OR Payments service", "NOT Payments service"):
        assert (await run(found, {"t": text, "l": False})) == plain, text
    for text, lucene in (("", False), ("  ", False), ("\u3000", False), ("", True)):
        assert (await run(found, {"t": text, "l": lucene})) == {"search": []}, repr(text)


async def test_a_blueprint_with_its_uses_users_and_elements(run) -> None:
    data = await run(
        """{ blueprint(id: "card-payments") { id status uses usedBy { id }
               elements { __typename id } }
             landscape: blueprint(id: "landscape") { usedBy { id } } }"""
    )
    blueprint = data["blueprint"]
    assert blueprint["uses"] == ["landscape"]
    assert any(e["__typename"] == "Flow" for e in blueprint["elements"])
    assert {b["id"] for b in data["landscape"]["usedBy"]} >= {"card-payments"}


async def test_the_dashboard_counts_what_the_lists_hold(run) -> None:
    data = await run(
        """{ dashboard { flowsByPattern { key count } systemsByTeamAndTier { team tier count }
                         credentialsByKind { kind rotation count } }
             systems(first: 1000) { nodes { tier owner { id } } }
             flows(first: 1000) { nodes { pattern } }
             credentials(first: 1000) { totalCount } }"""
    )
    dashboard = data["dashboard"]
    systems = Counter(((s["owner"] or {}).get("id"), s["tier"]) for s in data["systems"]["nodes"])
    by_team_and_tier = {
        (c["team"], c["tier"]): c["count"] for c in dashboard["systemsByTeamAndTier"]
    }
    assert by_team_and_tier == dict(systems) and len(systems) >= 3
    order = [  # by team, then tier, nulls last
        (c["team"] is None, c["team"] or "", c["tier"] is None, c["tier"] or 0)
        for c in dashboard["systemsByTeamAndTier"]
    ]
    assert order == sorted(order)
    patterns = Counter(f["pattern"].lower() for f in data["flows"]["nodes"])
    assert {c["key"]: c["count"] for c in dashboard["flowsByPattern"]} == dict(patterns)
    credentials = sum(c["count"] for c in dashboard["credentialsByKind"])
    assert credentials == data["credentials"]["totalCount"] > 0
