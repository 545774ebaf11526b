"""Webhook alerts of audits, against a real HTTP server on loopback whose answers a test scripts."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from integraph.audits.alerts import (
    SLACK_MAX_FINDINGS,
    AlertFinding,
    TargetRefused,
    Webhook,
    alertmanager_payload,
    check_target,
    deliver,
    generic_payload,
    parse_webhooks,
    payload_for,
    select,
    send_alerts,
    slack_payload,
)

RUN: dict[str, Any] = {
    "id": "run-42",
    "scope": "all",
    "started": "2025-01-06T02:00:00+00:00",
    "finished": "2025-01-06T02:00:09+00:00",
    "status": "succeeded",
}


def finding(
    n: int = 1,
    *,
    severity: str = "error",
    team: str | None = "payments",
    blueprint: str | None = "orders",
    message: str = "a message",
) -> AlertFinding:
    return AlertFinding(
        rule=f"rule-{n}",
        severity=severity,
        element=f"flow:f{n}",
        blueprint=blueprint,
        team=team,
        message=message,
        fingerprint=f"fp{n}",
    )


# --- the scripted server -------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    body: bytes = b""


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """What the handler answers (a queue of replies; then 200) and what it was sent."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/hook"
        self.replies: deque[Reply] = deque()
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        self.release = threading.Event()  # set at teardown: hanging handlers end at once

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)


class _HTTPServer(ThreadingHTTPServer):
    scripted: Server

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away (a timed-out attempt) is expected here


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def do_POST(self) -> None:
        scripted = self.server.scripted
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with scripted.lock:
            scripted.requests.append(Received(self.path, dict(self.headers), body))
            reply = scripted.replies.popleft() if scripted.replies else Reply()
        if reply.delay_s:
            scripted.release.wait(reply.delay_s)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
    httpd.scripted = Server(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield httpd.scripted
    finally:
        httpd.scripted.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as http:
        yield http


class FakeSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def hook(server: Server, **overrides: Any) -> Webhook:
    values: dict[str, Any] = {"name": "ops", "url": server.url, "allow_private": True}
    return Webhook(**(values | overrides))


# --- delivery ------------------------------------------------------------------------------


async def test_delivered_at_the_first_attempt_with_the_exact_payload(
    server: Server, client: httpx.AsyncClient
) -> None:
    findings = [finding(1), finding(2, severity="warning", team=None, blueprint=None)]
    body = generic_payload(RUN, findings)
    sleep = FakeSleep()

    delivery = await deliver(hook(server), body, client=client, sleep=sleep, findings=2)

    assert delivery.delivered and delivery.webhook == "ops" and delivery.findings == 2
    [attempt] = delivery.attempts
    assert (attempt.attempt, attempt.status, attempt.outcome, attempt.error) == (
        1,
        200,
        "delivered",
        None,
    )
    assert attempt.started.tzinfo is not None and attempt.seconds >= 0
    [request] = server.requests
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == body
    assert body["count"] == 2 and body["kind"] == "audit.new_findings"
    assert body["findings"][1]["team"] is None and sleep.delays == []


async def test_a_500_is_retried_after_a_jittered_backoff(
    server: Server, client: httpx.AsyncClient
) -> None:
    server.script(Reply(500, body=b"upstream  down\n"), Reply(200))
    sleep = FakeSleep()

    delivery = await deliver(
        hook(server), {"x": 1}, client=client, sleep=sleep, rand=lambda: 0.5, base_delay_s=0.2
    )

    assert delivery.delivered
    assert [a.outcome for a in delivery.attempts] == ["http_error", "delivered"]
    assert [a.status for a in delivery.attempts] == [500, 200]
    assert delivery.attempts[0].error == "HTTP 500: upstream down"
    assert sleep.delays == [pytest.approx(0.1)]
    assert 0 <= sleep.delays[0] <= 0.2
    assert len(server.requests) == 2


async def test_backoff_grows_exponentially_up_to_the_cap(
    server: Server, client: httpx.AsyncClient
) -> None:
    server.script(*[Reply(503)] * 5)
    sleep = FakeSleep()

    delivery = await deliver(
        hook(server, attempts=5),
        {},
        client=client,
        sleep=sleep,
        rand=lambda: 1.0,
        base_delay_s=1.0,
        max_delay_s=5.0,
    )

    assert not delivery.delivered and len(delivery.attempts) == 5
    assert sleep.delays == [1.0, 2.0, 4.0, 5.0]  # none after the last attempt


async def test_a_server_that_never_answers_times_out_every_attempt(
    server: Server, client: httpx.AsyncClient
) -> None:
    server.script(*[Reply(200, delay_s=2.0)] * 3)
    sleep = FakeSleep()

    clock = time.monotonic()
    delivery = await deliver(
        hook(server, timeout_s=0.3, attempts=3), {}, client=client, sleep=sleep
    )
    elapsed = time.monotonic() - clock

    assert not delivery.delivered
    assert [a.outcome for a in delivery.attempts] == ["timeout"] * 3
    assert all(a.status is None and a.seconds < 1.0 for a in delivery.attempts)
    assert len(sleep.delays) == 2
    assert elapsed < 2.0


async def test_a_404_is_not_retried(server: Server, client: httpx.AsyncClient) -> None:
    server.script(Reply(404), Reply(200))
    sleep = FakeSleep()

    delivery = await deliver(hook(server), {}, client=client, sleep=sleep)

    assert not delivery.delivered
    assert [(a.status, a.outcome) for a in delivery.attempts] == [(404, "http_error")]
    assert sleep.delays == [] and len(server.requests) == 1


async def test_a_redirect_is_not_followed(server: Server, client: httpx.AsyncClient) -> None:
    server.script(Reply(302, headers={"Location": "http://169.254.169.254/latest/"}))

    delivery = await deliver(hook(server), {}, client=client, sleep=FakeSleep())

    assert not delivery.delivered
    [attempt] = delivery.attempts
    assert attempt.status == 302 and "redirects are not followed" in (attempt.error or "")


async def test_a_429_waits_as_long_as_retry_after_says(
    server: Server, client: httpx.AsyncClient
) -> None:
    server.script(Reply(429, headers={"Retry-After": "1"}), Reply(429, {"Retry-After": "90"}))
    sleep = FakeSleep()

    delivery = await deliver(hook(server), {}, client=client, sleep=sleep, rand=lambda: 0.0)

    assert delivery.delivered
    assert [a.status for a in delivery.attempts] == [429, 429, 200]
    assert sleep.delays == [1.0, 30.0]  # the second capped at max_delay_s


async def test_a_network_error_is_retried(client: httpx.AsyncClient) -> None:
    # a port nothing listens on: bind one, then close it
    probe = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    port = probe.server_address[1]
    probe.server_close()
    sleep = FakeSleep()
    webhook = Webhook("ops", f"http://127.0.0.1:{port}/", allow_private=True, attempts=2)

    delivery = await deliver(webhook, {}, client=client, sleep=sleep)

    assert not delivery.delivered
    assert [a.outcome for a in delivery.attempts] == ["network_error"] * 2
    assert len(sleep.delays) == 1


# --- the SSRF guard ------------------------------------------------------------------------


def resolver(*addresses: str) -> Any:
    def resolve(host: str) -> list[str]:
        return list(addresses)

    return resolve


@pytest.mark.parametrize(
    ("url", "addresses", "reason"),
    [
        ("http://127.0.0.1/", (), "loopback"),
        ("http://10.0.0.5/", (), "private"),
        ("http://169.254.169.254/latest/meta-data", (), "link-local"),
        ("http://[::1]/", (), "loopback"),
        ("http://[::ffff:127.0.0.1]/", (), "loopback"),
        ("http://0.0.0.0/", (), "unspecified"),
        ("http://224.0.0.1/", (), "multicast"),
        ("http://240.0.0.1/", (), "reserved"),
        ("http://100.64.0.1/", (), "not a globally reachable"),
        ("https://hooks.internal.example/", ("192.168.1.10",), "private"),
        ("https://mixed.example/", ("93.184.216.34", "10.1.2.3"), "private"),
        ("https://nothing.example/", (), "no address"),
        ("file:///etc/passwd", (), "scheme"),
        ("gopher://example.com/", (), "scheme"),
        ("http://user:pw@example.com/", ("93.184.216.34",), "credentials"),
    ],
)
async def test_check_target_refuses(url: str, addresses: tuple[str, ...], reason: str) -> None:
    with pytest.raises(TargetRefused, match=reason):
        await check_target(url, allow_private=False, resolve=resolver(*addresses))


async def test_check_target_accepts_a_public_host() -> None:
    await check_target(
        "https://hooks.example.com/T000/B000/secret",
        allow_private=False,
        resolve=resolver("93.184.216.34"),
    )
    await check_target("http://93.184.216.34:8080/", allow_private=False)


async def test_allow_private_lets_internal_targets_through_but_not_credentials() -> None:
    await check_target("http://10.0.0.5/", allow_private=True)
    with pytest.raises(TargetRefused, match="credentials"):
        await check_target("http://user:pw@10.0.0.5/", allow_private=True)


async def test_a_loopback_target_is_refused_without_a_request(
    server: Server, client: httpx.AsyncClient
) -> None:
    sleep = FakeSleep()

    delivery = await deliver(hook(server, allow_private=False), {}, client=client, sleep=sleep)

    assert not delivery.delivered
    [attempt] = delivery.attempts
    assert (attempt.outcome, attempt.status) == ("refused", None)
    assert "loopback" in (attempt.error or "") and "/hook" not in (attempt.error or "")
    assert server.requests == [] and sleep.delays == []


async def test_a_name_that_does_not_resolve_is_a_network_error(
    client: httpx.AsyncClient,
) -> None:
    def fails(host: str) -> list[str]:
        raise OSError("Name or service not known")

    webhook = Webhook("ops", "https://nowhere.example/", attempts=2)
    delivery = await deliver(webhook, {}, client=client, sleep=FakeSleep(), resolve=fails)

    assert [a.outcome for a in delivery.attempts] == ["network_error"] * 2


# --- routing -------------------------------------------------------------------------------


def test_select_by_severity_and_team() -> None:
    error_a = finding(1, severity="error", team="A")
    warning_a = finding(2, severity="warning", team="A")
    info_b = finding(3, severity="info", team="B")
    error_none = finding(4, severity="error", team=None)
    findings = [error_a, warning_a, info_b, error_none]

    assert select(findings, Webhook("x", "https://h.example/")) == [error_a, error_none]
    assert select(findings, Webhook("x", "https://h.example/", min_severity="warning")) == [
        error_a,
        warning_a,
        error_none,
    ]
    assert select(findings, Webhook("x", "https://h.example/", min_severity="info")) == findings
    assert select(
        findings, Webhook("x", "https://h.example/", min_severity="info", teams=("B",))
    ) == [info_b]
    assert select(findings, Webhook("x", "https://h.example/", teams=("A", "B"))) == [error_a]


async def test_send_alerts_routes_each_webhook_its_findings(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    a1, a2 = finding(1, team="A"), finding(2, team="A", severity="warning")
    b1 = finding(3, team="B")
    everyone = hook(server, name="everyone", url=server.url + "/all", min_severity="warning")
    team_a = hook(server, name="team-a", url=server.url + "/a", teams=("A",))
    team_c = hook(server, name="team-c", url=server.url + "/c", teams=("C",))

    deliveries = await send_alerts([everyone, team_a, team_c], RUN, [a1, a2, b1], sleep=FakeSleep())

    assert [(d.webhook, d.findings, d.delivered) for d in deliveries] == [
        ("everyone", 3, True),
        ("team-a", 1, True),
    ]
    sent = {r.path: r.json() for r in server.requests}
    assert set(sent) == {"/hook/all", "/hook/a"}
    assert [f["fingerprint"] for f in sent["/hook/all"]["findings"]] == ["fp1", "fp2", "fp3"]
    assert [f["fingerprint"] for f in sent["/hook/a"]["findings"]] == ["fp1"]


async def test_send_alerts_uses_the_given_client_and_each_format(
    server: Server, client: httpx.AsyncClient
) -> None:
    slack = hook(server, name="slack", url=server.url + "/slack", format="slack")
    am = hook(server, name="am", url=server.url + "/am", format="alertmanager")

    deliveries = await send_alerts([slack, am], RUN, [finding(1)], client=client)

    assert all(d.delivered for d in deliveries)
    sent = {r.path: r.json() for r in server.requests}
    assert sent["/hook/slack"] == slack_payload(RUN, [finding(1)])
    assert sent["/hook/am"] == alertmanager_payload(RUN, [finding(1)])
    assert not client.is_closed


async def test_send_alerts_without_findings_sends_nothing(server: Server) -> None:
    assert await send_alerts([hook(server)], RUN, [finding(1, severity="info")]) == []
    assert server.requests == []


# --- payloads ------------------------------------------------------------------------------


def test_slack_escapes_and_caps_the_findings() -> None:
    risky = finding(0, message="a <b> & c", blueprint="x&y")
    findings = [finding(n, severity="warning") for n in range(1, 25)] + [risky]
    run = RUN | {"url": "https://integraph.example/audits/run-42?a=1&b=2", "scope": "<all>"}

    payload = slack_payload(run, findings)

    assert payload["text"].startswith("Integraph audit of &lt;all&gt;: 25 new findings")
    assert "(1 error, 24 warnings)" in payload["text"]
    header, *sections, more = payload["blocks"]
    assert (
        "<https://integraph.example/audits/run-42?a=1&amp;b=2|run run-42>"
        in (header["text"]["text"])
    )
    assert len(sections) == SLACK_MAX_FINDINGS
    assert all(s["type"] == "section" for s in sections)
    first = sections[0]["text"]["text"]  # the error comes first
    assert first.startswith("*ERROR* `rule-0` on flow:f0 (blueprint x&amp;y, team payments)")
    assert first.endswith("a &lt;b&gt; &amp; c")
    assert more == {"type": "context", "elements": [{"type": "mrkdwn", "text": "… and 5 more"}]}
    every_text = json.dumps(payload)
    assert "<b>" not in every_text and "x&y" not in every_text


def test_slack_without_overflow_has_no_context_block() -> None:
    payload = slack_payload(RUN, [finding(1), finding(2, severity="info")])
    assert [b["type"] for b in payload["blocks"]] == ["section"] * 3


def test_slack_clips_a_long_message_without_breaking_an_entity() -> None:
    payload = slack_payload(RUN, [finding(1, message="&" * 5000)])
    text = payload["blocks"][1]["text"]["text"]
    assert len(text) <= 3000 and text.endswith("&amp;…")


def test_alertmanager_labels_leave_out_missing_values() -> None:
    [with_all, without] = alertmanager_payload(
        RUN, [finding(1), finding(2, team=None, blueprint=None, severity="warning")]
    )

    assert with_all == {
        "labels": {
            "alertname": "IntegraphFinding",
            "rule": "rule-1",
            "severity": "error",
            "blueprint": "orders",
            "team": "payments",
            "element": "flow:f1",
            "fingerprint": "fp1",
        },
        "annotations": {"summary": "a message", "run": "run-42"},
        "startsAt": "2025-01-06T02:00:09+00:00",
    }
    assert set(without["labels"]) == {"alertname", "rule", "severity", "element", "fingerprint"}
    assert all(isinstance(v, str) for v in without["labels"].values())


def test_payload_for_picks_by_format_and_is_json() -> None:
    run = RUN | {"finished": datetime(2025, 1, 6, 2, 0, 9, tzinfo=UTC)}
    findings = [finding(1)]
    for format, kind in (("json", dict), ("slack", dict), ("alertmanager", list)):
        payload = payload_for(Webhook("x", "https://h.example/", format=format), run, findings)
        assert isinstance(payload, kind)
        json.dumps(payload)
    generic = payload_for(Webhook("x", "https://h.example/"), run, findings)
    assert isinstance(generic, dict) and generic["run"]["finished"] == "2025-01-06T02:00:09+00:00"


# --- configuration -------------------------------------------------------------------------


def test_parse_webhooks() -> None:
    text = json.dumps(
        [
            {"name": "ops", "url": "https://hooks.example.com/x"},
            {
                "name": "team-a",
                "url": "http://alertmanager:9093/api/v2/alerts",
                "format": "alertmanager",
                "min_severity": "warning",
                "teams": ["A"],
                "allow_private": True,
                "timeout_s": 2,
                "attempts": 2,
            },
        ]
    )

    ops, team_a = parse_webhooks(text)

    assert ops == Webhook("ops", "https://hooks.example.com/x")
    assert team_a.teams == ("A",) and team_a.format == "alertmanager"
    assert (team_a.timeout_s, team_a.attempts, team_a.allow_private) == (2, 2, True)
    assert parse_webhooks("[]") == []


@pytest.mark.parametrize(
    ("entry", "key", "says"),
    [
        ({"colour": "red"}, "colour", "unknown key"),
        ({"format": "xml"}, "format", "must be one of json, slack, alertmanager"),
        ({"min_severity": "fatal"}, "min_severity", "must be one of error, warning, info"),
        ({"url": "ftp://files.example/"}, "url", "http:// or https://"),
        ({"url": "not a url"}, "url", "http:// or https://"),
        ({"attempts": 0}, "attempts", "at least 1"),
        ({"attempts": 1.5}, "attempts", "an integer"),
        ({"timeout_s": 0}, "timeout_s", "more than 0"),
        ({"timeout_s": -1.5}, "timeout_s", "more than 0"),
        ({"teams": "A"}, "teams", "a list of strings"),
        ({"allow_private": "yes"}, "allow_private", "true or false"),
        ({"name": ""}, "name", "non-empty"),
    ],
)
def test_parse_webhooks_errors_name_the_entry_and_the_key(
    entry: dict[str, Any], key: str, says: str
) -> None:
    good = {"name": "ok", "url": "https://hooks.example.com/"}
    text = json.dumps([good, {"name": "bad", "url": "https://h.example/"} | entry])

    with pytest.raises(ValueError) as raised:
        parse_webhooks(text)

    message = str(raised.value)
    assert "INTEGRAPH_AUDIT_WEBHOOKS entry 1" in message
    assert f"key {key!r}" in message and says in message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{", "not valid JSON"),
        ('{"name": "x"}', "must be a JSON list"),
        ("[1]", "entry 0: must be an object"),
        ('[{"name": "x"}]', "entry 0 ('x'): key 'url' is required"),
        (
            '[{"name": "x", "url": "https://a.example/"},'
            ' {"name": "x", "url": "https://b.example/"}]',
            "entry 1 ('x'): key 'name'",
        ),
    ],
)
def test_parse_webhooks_rejects_malformed_settings(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        parse_webhooks(text)


def test_a_finding_of_an_unknown_severity_is_refused() -> None:
    with pytest.raises(ValueError, match="severity"):
        finding(1, severity="critical")
