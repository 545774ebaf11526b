"""Lint, impact, lineage, contract diff and check, what-if: the same answers as the service
functions the CLI calls, through GraphQL."""

from __future__ import annotations

from pathlib import Path

from integraph.impact.blast import blast_radius
from integraph.impact.lineage import lineage
from integraph.knowledge.load import load_blueprint
from integraph.lint.config import LintConfig
from integraph.lint.service import choose_rules, lint
from tests.impact.test_whatif import LANDSCAPE as WHATIF_LANDSCAPE
from tests.lint.harness import write_blueprint
from tests.store.test_writer import snapshot

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"


async def test_lint_returns_the_service_findings_with_dashboard_counts(run, knowledge) -> None:
    expected = await lint(knowledge, choose_rules(), config=LintConfig(), fail_on=None)
    data = await run(
        """{ lint { seconds failed findings { rule { id area severity } severity element
               blueprint status fingerprint location { file line } team }
             bySeverity { key count } byArea { key count } byRule { key count }
             byTeam { key count } counts } }"""
    )
    report = data["lint"]
    assert sorted(f["fingerprint"] for f in report["findings"]) == sorted(
        f.fingerprint for f in expected.findings
    )
    assert report["counts"] == expected.counts()
    open_total = sum(c["count"] for c in report["bySeverity"])
    assert open_total == len(expected.open_findings) > 0
    assert sum(c["count"] for c in report["byTeam"]) == open_total
    assert sum(c["count"] for c in report["byRule"]) == open_total


async def test_lint_filters_like_the_cli(run, knowledge) -> None:
    data = await run(
        '{ lint(blueprint: ["card-payments"], areas: ["security"]) { findings '
        "{ blueprint rule { area } } } }"
    )
    findings = data["lint"]["findings"]
    assert findings and all(f["blueprint"] == "card-payments" for f in findings)
    assert all(f["rule"]["area"] == "security" for f in findings)


async def test_blast_radius_is_the_service_answer(run, knowledge) -> None:
    expected = await blast_radius(knowledge, "landscape:payments")
    data = await run(
        """{ blastRadius(element: "landscape:payments") { element kind total
               affected { id effect depth direction path { flow source target } }
               byEffect { key count } byTeam { key count } byTier { key count } } }"""
    )
    answer = data["blastRadius"]
    assert answer["total"] == expected.total > 0
    assert [a["id"] for a in answer["affected"]] == [a.id for a in expected.affected]
    assert {c["key"]: c["count"] for c in answer["byEffect"]} == expected.counts["effect"]
    short = await run('{ blastRadius(element: "payments", limit: 1) { total affected { id } } }')
    assert short["blastRadius"]["total"] == expected.total
    assert len(short["blastRadius"]["affected"]) == 1


async def test_lineage_is_the_service_answer(run, knowledge) -> None:
    expected = await lineage(knowledge, "landscape:pci-pan")
    data = await run(
        """{ lineage(subject: "landscape:pci-pan") { subject kind systems origins
               hops { flow sender receiver missing fields { path classification masking } }
               gaps { flow } } }"""
    )
    answer = data["lineage"]
    assert answer["systems"] == expected.systems and answer["origins"] == expected.origins
    assert [h["flow"] for h in answer["hops"]] == [h.flow for h in expected.hops]
    assert [h["flow"] for h in answer["gaps"]] == [h.flow for h in expected.gaps]


async def test_contract_diff_of_two_documents(run) -> None:
    old = (SCHEMAS / "customer-v1.json").read_text()
    new = (SCHEMAS / "customer-v2-email-removed.json").read_text()
    data = await run(
        """query($old: String!, $new: String!) { contractDiff(
               old: {name: "v1.json", content: $old}, new: {name: "v2.json", content: $new},
               mode: BACKWARD) { compatible mode family
               differences { kind pointer breaking } } }""",
        {"old": old, "new": new},
    )
    answer = data["contractDiff"]
    assert answer["compatible"] is False
    assert any(d["breaking"] for d in answer["differences"])


async def test_contract_check_names_the_broken_consumers(run, graph, tmp_path) -> None:
    from tests.impact.test_contract_check import LANDSCAPE

    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", LANDSCAPE)])
    proposal = (
        'version: "2.0.0"\n'
        "request:\n  - {path: /amount, type: number, required: true}\n"
        "  - {path: /currency, type: string, required: true}\n"
        "response:\n  - {path: /status, type: string, required: true}\n"
    )
    data = await run(
        """query($p: String!) { contractCheck(contract: "pay-api",
               proposal: {name: "v2.yaml", content: $p}) {
               contract compatible proposed consumers { flow system reads } } }""",
        {"p": proposal},
    )
    answer = data["contractCheck"]
    assert answer["compatible"] is False and answer["contract"] == "test-bp:pay-api"
    assert answer["consumers"] and answer["consumers"][0]["flow"] == "test-bp:pay"


async def test_what_if_previews_and_persists_nothing(run, graph, tmp_path) -> None:
    await load_blueprint(graph, [write_blueprint(tmp_path / "bp", WHATIF_LANDSCAPE)])
    before = await snapshot(graph)
    changes = """
changeset:
  blueprint: test-bp
add:
  policies:
    - {id: dl-topic, kind: dead_letter, dlq: dlq, applies_to: [topic], max_deliveries: 5}
modify:
  credentials:
    - {id: cred-shop, held_by: [shop, billing]}
remove: [get-invoice]
"""
    data = await run(
        """query($c: String!) { whatIf(changes: {name: "cs.yaml", content: $c}) {
               blueprint touched added appeared { rule { id } element }
               disappeared { rule { id } element } blast { element total } } }""",
        {"c": changes},
    )
    answer = data["whatIf"]
    assert answer["blueprint"] == "test-bp"
    assert ("SEC-01", "test-bp:cred-shop") in {
        (f["rule"]["id"], f["element"]) for f in answer["appeared"]
    }
    assert ("RES-01", "test-bp:order-placed") in {
        (f["rule"]["id"], f["element"]) for f in answer["disappeared"]
    }
    assert answer["added"] == ["test-bp:dl-topic"] or answer["added"] == ["dl-topic"]
    assert await snapshot(graph) == before


async def test_a_document_name_outside_the_folder_is_refused(schema, app_context) -> None:
    from integraph.api.graphql.context import RequestContext
    from integraph.auth.principal import LOCAL_ADMIN

    result = await schema.execute(
        '{ contractDiff(old: {name: "../x.json", content: "{}"}, '
        'new: {name: "y.json", content: "{}"}) { compatible } }',
        context_value=RequestContext(app=app_context, principal=LOCAL_ADMIN),
    )
    assert "must be a plain relative path" in str(result.errors[0])
