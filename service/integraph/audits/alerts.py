"""Alerts of scheduled audits: the new findings of a lint run, sent to webhooks.

Routing. Each webhook (the setting ``INTEGRAPH_AUDIT_WEBHOOKS``, read by `parse_webhooks`)
receives the findings at or above its ``min_severity`` (error > warning > info) and, when its
``teams`` is not empty, only those whose team is one of them: a finding without a team then goes
to none of them. A webhook left with no finding is not called at all (`send_alerts`); the others
are called concurrently, each with the payload of its ``format``.

Payloads. ``json`` is Integraph's own body: ``source``, ``kind`` (``audit.new_findings``), the
run, the count and every finding as an object with the fields of `AlertFinding`. ``slack`` is a
Slack incoming-webhook message: a plain ``text`` for notifications, a section counting the
findings by severity, one section per finding, the most severe first and at most 20, then a
context block saying how many more there are; ``&``, ``<`` and ``>`` in every text are written
``&amp;``, ``&lt;`` and ``&gt;`` as Slack requires. ``alertmanager`` is the list of alerts that
Alertmanager's ``POST /api/v2/alerts`` takes: one per finding, identified by its labels
(``alertname`` ``IntegraphFinding``, rule, severity, blueprint, team, element, fingerprint; a
missing value is left out), its message and the run id as annotations, starting when the run
finished.

Retries. A delivery is at most ``attempts`` POSTs of the same JSON body. Each attempt is bounded
by ``timeout_s`` as a whole, connecting, sending and waiting for the answer together, so a server
that accepts the connection and never answers holds it no longer than that. A 2xx answer is a
delivery. A 3xx (redirects are not followed) or a 4xx other than 408 and 429 is final. A 5xx, a
408, a 429, a timeout and a network error are retried after a pause of ("full jitter")::

    delay = rand() * min(max_delay_s, base_delay_s * 2 ** (attempt - 1))

where ``attempt`` is the number of the attempt that failed (1 for the first) and ``rand()`` is
uniform in [0, 1). A 429 or 503 answer with ``Retry-After`` in seconds waits that long instead,
at most ``max_delay_s`` (a ``Retry-After`` date is ignored: the formula applies). Every attempt is
recorded as a `DeliveryAttempt`; a delivery that failed is a `Delivery` whose ``delivered`` is
false, never an exception.

Server-side request forgery. Before each attempt the target is checked (`check_target`): the
scheme must be http or https, the URL must carry no credentials (``user:password@``) and, unless
the webhook sets ``allow_private``, its host must neither be nor resolve to (every address the
resolver returns is checked) an address that is loopback, private, link-local, multicast,
reserved, unspecified or otherwise not globally reachable; an IPv4 address mapped into IPv6 is
judged as that IPv4 address. A refused target ends the delivery at once: one attempt whose
outcome is ``refused``, no request sent. A name that does not resolve is a network error, which
is retried. The check and the connection resolve the name separately, so a name whose answer
changes between the two (DNS rebinding) is not stopped by the check: an egress proxy or a network
policy is the complete defence. Webhook URLs often embed a secret (Slack's do), so messages name
the webhook and the host, never the whole URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import math
import random
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple
from urllib.parse import SplitResult, urlsplit

import httpx

log = logging.getLogger(__name__)

SETTING = "INTEGRAPH_AUDIT_WEBHOOKS"
SEVERITIES = ("error", "warning", "info")
"""From the most to the least severe."""
FORMATS = ("json", "slack", "alertmanager")
OUTCOMES = ("delivered", "http_error", "timeout", "network_error", "refused")
SLACK_MAX_FINDINGS = 20
"""Findings shown one by one in a Slack message; the rest are counted."""
RETRIED_STATUSES = frozenset({408, 429})
"""4xx answers that are retried (every 5xx is)."""
RETRY_AFTER_STATUSES = frozenset({429, 503})
"""Answers whose ``Retry-After`` (in seconds) sets the pause before the next attempt."""
USER_AGENT = "integraph-audit-alerts"
ALERTNAME = "IntegraphFinding"

_RANK = {"info": 0, "warning": 1, "error": 2}
_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_KEYS = (
    "name",
    "url",
    "format",
    "min_severity",
    "teams",
    "allow_private",
    "timeout_s",
    "attempts",
)
_SNIPPET_BYTES = 200
"""How much of an unsuccessful answer's body is kept in the attempt's error."""
_SLACK_TEXT_MAX = 3000
"""The most characters Slack takes in a section's text."""
_MAX_EXPONENT = 64
"""Caps ``2 ** (attempt - 1)`` so a large attempt count cannot overflow a float."""

Outcome = Literal["delivered", "http_error", "timeout", "network_error", "refused"]
Payload = dict[str, Any] | list[dict[str, Any]]
Resolver = Callable[[str], list[str]]


class TargetRefused(ValueError):
    """A webhook URL that alerts are not sent to (see `check_target`)."""


@dataclass(frozen=True)
class AlertFinding:
    """A lint finding as an alert carries it; ``fingerprint`` identifies it across runs."""

    rule: str
    severity: str
    element: str
    blueprint: str | None
    team: str | None
    message: str
    fingerprint: str

    def __post_init__(self) -> None:
        if self.severity not in _RANK:
            raise ValueError(
                f"severity must be one of {', '.join(SEVERITIES)}, not {self.severity!r}"
            )


@dataclass(frozen=True)
class Webhook:
    """Where alerts go, in which format, and which of the findings (see the module's text)."""

    name: str
    url: str
    format: str = "json"
    min_severity: str = "error"
    teams: tuple[str, ...] = ()
    """The teams whose findings this webhook gets; empty: every team's."""
    allow_private: bool = False
    """Whether the URL may point to a loopback, private or otherwise internal address."""
    timeout_s: float = 5.0
    """The bound of one attempt as a whole."""
    attempts: int = 4

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("key 'name' must be a non-empty string")
        if not _is_http_url(self.url):
            raise ValueError("key 'url' must be an http:// or https:// URL with a host")
        if self.format not in FORMATS:
            raise ValueError(
                f"key 'format' must be one of {', '.join(FORMATS)}, not {self.format!r}"
            )
        if self.min_severity not in _RANK:
            raise ValueError(
                f"key 'min_severity' must be one of {', '.join(SEVERITIES)}, "
                f"not {self.min_severity!r}"
            )
        if isinstance(self.teams, str) or not all(isinstance(t, str) for t in self.teams):
            raise ValueError("key 'teams' must be a list of team names")
        object.__setattr__(self, "teams", tuple(self.teams))
        if isinstance(self.attempts, bool) or not isinstance(self.attempts, int):
            raise ValueError(f"key 'attempts' must be an integer, not {self.attempts!r}")
        if self.attempts < 1:
            raise ValueError(f"key 'attempts' must be at least 1, not {self.attempts}")
        if isinstance(self.timeout_s, bool) or not isinstance(self.timeout_s, int | float):
            raise ValueError(f"key 'timeout_s' must be a number, not {self.timeout_s!r}")
        if not (math.isfinite(self.timeout_s) and self.timeout_s > 0):
            raise ValueError(f"key 'timeout_s' must be more than 0 seconds, not {self.timeout_s}")


@dataclass(frozen=True)
class DeliveryAttempt:
    """One POST to a webhook (or its refusal), as it went."""

    webhook: str
    attempt: int
    """1 for the first."""
    started: datetime
    """When it started (UTC)."""
    seconds: float
    status: int | None
    """The HTTP status of the answer; None without one."""
    outcome: str
    """One of `OUTCOMES`."""
    error: str | None
    """What went wrong; None when delivered."""


@dataclass(frozen=True)
class Delivery:
    """The alerts of one run sent to one webhook: how many findings, whether they arrived."""

    webhook: str
    findings: int
    delivered: bool
    attempts: list[DeliveryAttempt]


# --- configuration -------------------------------------------------------------------------


def _is_http_url(url: object) -> bool:
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme in _SCHEMES and bool(parts.hostname)
    except ValueError:
        return False


def _json_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _check_type(key: str, value: object) -> str | None:
    """What `value` of `key` should be when it is not that; None when it is."""
    if key in ("name", "url", "format", "min_severity"):
        return None if isinstance(value, str) else "a string"
    if key == "teams":
        ok = isinstance(value, list) and all(isinstance(team, str) for team in value)
        return None if ok else "a list of strings"
    if key == "allow_private":
        return None if isinstance(value, bool) else "true or false"
    if key == "timeout_s":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "a number of seconds"
    if key == "attempts":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "an integer"
    raise AssertionError(key)


def parse_webhooks(text: str) -> list[Webhook]:
    """The webhooks of `SETTING`: a JSON list of objects with the fields of `Webhook`.

    Raises ValueError naming the entry (its index from 0) and the key at fault.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{SETTING} is not valid JSON: {error}") from None
    if not isinstance(data, list):
        raise ValueError(f"{SETTING} must be a JSON list of objects, not {_json_type(data)}")
    webhooks: list[Webhook] = []
    names: dict[str, int] = {}
    for index, entry in enumerate(data):
        where = f"{SETTING} entry {index}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: must be an object, not {_json_type(entry)}")
        if isinstance(entry.get("name"), str):
            where += f" ({entry['name']!r})"
        for key in entry:
            if key not in _KEYS:
                raise ValueError(f"{where}: unknown key {key!r} (known: {', '.join(_KEYS)})")
        for key in ("name", "url"):
            if key not in entry:
                raise ValueError(f"{where}: key {key!r} is required")
        for key, value in entry.items():
            expected = _check_type(key, value)
            if expected:
                raise ValueError(
                    f"{where}: key {key!r} must be {expected}, not {_json_type(value)}"
                )
        values = dict(entry)
        if "teams" in values:
            values["teams"] = tuple(values["teams"])
        try:
            webhook = Webhook(**values)
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        if webhook.name in names:
            raise ValueError(
                f"{where}: key 'name': {webhook.name!r} is already the name of entry "
                f"{names[webhook.name]}"
            )
        names[webhook.name] = index
        webhooks.append(webhook)
    return webhooks


# --- routing and payloads ------------------------------------------------------------------


def select(findings: Iterable[AlertFinding], webhook: Webhook) -> list[AlertFinding]:
    """The findings `webhook` gets: at or above its ``min_severity``, of its teams, in order."""
    floor = _RANK[webhook.min_severity]
    teams = set(webhook.teams)
    return [
        finding
        for finding in findings
        if _RANK[finding.severity] >= floor and (not teams or finding.team in teams)
    ]


def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return str(value)


def _run_json(run: Mapping[str, Any]) -> dict[str, Any]:
    """`run` with its times as ISO 8601 text, so it can be written as JSON."""
    return {
        key: _iso(value) if isinstance(value, datetime) else value for key, value in run.items()
    }


def generic_payload(run: Mapping[str, Any], findings: Sequence[AlertFinding]) -> dict[str, Any]:
    """Integraph's own JSON body (format ``json``)."""
    return {
        "source": "integraph",
        "kind": "audit.new_findings",
        "run": _run_json(run),
        "count": len(findings),
        "findings": [asdict(finding) for finding in findings],
    }


def slack_escape(text: str) -> str:
    """`text` with the three characters Slack's message text reserves written as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    """Escaped `text` cut to `limit` characters, never in the middle of an entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def _counts(findings: Sequence[AlertFinding]) -> str:
    """``2 errors, 1 warning, 3 info``: the severities present, most severe first."""
    counts = Counter(finding.severity for finding in findings)
    parts = []
    for severity in SEVERITIES:
        n = counts[severity]
        if n:
            noun = severity if n == 1 or severity == "info" else severity + "s"
            parts.append(f"{n} {noun}")
    return ", ".join(parts) or "none"


def slack_payload(run: Mapping[str, Any], findings: Sequence[AlertFinding]) -> dict[str, Any]:
    """A Slack incoming-webhook message (format ``slack``)."""
    ordered = sorted(findings, key=lambda finding: -_RANK[finding.severity])
    n = len(ordered)
    scope = run.get("scope")
    title = f"Integraph audit of {scope}" if scope else "Integraph audit"
    noun = "new finding" if n == 1 else "new findings"
    summary = f"{title}: {n} {noun} ({_counts(ordered)}), run {run.get('id')}"
    run_ref = slack_escape(f"run {run.get('id')}")
    if run.get("url"):
        run_ref = f"<{slack_escape(str(run['url']))}|{run_ref}>"
    header = f"*{slack_escape(title)}*: {n} {noun} ({_counts(ordered)}), {run_ref}"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(header, _SLACK_TEXT_MAX)}}
    ]
    for finding in ordered[:SLACK_MAX_FINDINGS]:
        where = [f"blueprint {finding.blueprint}"] if finding.blueprint else []
        where += [f"team {finding.team}"] if finding.team else []
        line = f"*{finding.severity.upper()}* `{finding.rule}` on {finding.element}"
        if where:
            line += f" ({', '.join(where)})"
        text = slack_escape(line) + "\n" + slack_escape(finding.message)
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, _SLACK_TEXT_MAX)}}
        )
    if n > SLACK_MAX_FINDINGS:
        more = f"… and {n - SLACK_MAX_FINDINGS} more"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return {"text": slack_escape(summary), "blocks": blocks}


def alertmanager_payload(
    run: Mapping[str, Any], findings: Sequence[AlertFinding]
) -> list[dict[str, Any]]:
    """The alerts of Alertmanager's ``POST /api/v2/alerts`` (format ``alertmanager``)."""
    starts = _iso(run.get("finished") or run.get("started"))
    alerts: list[dict[str, Any]] = []
    for finding in findings:
        labels = {
            "alertname": ALERTNAME,
            "rule": finding.rule,
            "severity": finding.severity,
            "blueprint": finding.blueprint,
            "team": finding.team,
            "element": finding.element,
            "fingerprint": finding.fingerprint,
        }
        alert: dict[str, Any] = {
            # Alertmanager takes an empty label value for an absent label: leave both out.
            "labels": {key: value for key, value in labels.items() if value},
            "annotations": {"summary": finding.message, "run": str(run.get("id"))},
        }
        if starts:
            alert["startsAt"] = starts
        if run.get("url"):
            alert["generatorURL"] = str(run["url"])
        alerts.append(alert)
    return alerts


_BUILDERS: dict[str, Callable[[Mapping[str, Any], Sequence[AlertFinding]], Payload]] = {
    "json": generic_payload,
    "slack": slack_payload,
    "alertmanager": alertmanager_payload,
}


def payload_for(
    webhook: Webhook, run: Mapping[str, Any], findings: Sequence[AlertFinding]
) -> Payload:
    """The body of `webhook`'s format for `findings` (already selected) of `run`."""
    return _BUILDERS[webhook.format](run, findings)


# --- the SSRF guard ------------------------------------------------------------------------

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _blocked(address: _Address) -> str | None:
    """Why alerts may not go to `address`; None when they may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for kind, hit in (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    ):
        if hit:
            return f"a {kind} address"
    if not address.is_global:
        return "not a globally reachable address"
    return None


def _literal(host: str) -> _Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _split(url: str) -> tuple[SplitResult, str, int]:
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise TargetRefused(f"not a valid URL: {error}") from None
    if parts.scheme not in _SCHEMES:
        raise TargetRefused(f"scheme {parts.scheme or '(none)'!r} refused: only http and https")
    if "@" in parts.netloc:
        raise TargetRefused("a URL with credentials (user:password@) is refused")
    if not host:
        raise TargetRefused("the URL has no host")
    return parts, host, port or _DEFAULT_PORTS[parts.scheme]


async def check_target(url: str, *, allow_private: bool, resolve: Resolver | None = None) -> None:
    """Raise `TargetRefused` unless alerts may be sent to `url` (see the module's text).

    `resolve(host)` gives the host's addresses in place of the system's resolver (for tests).
    A host that does not resolve raises the resolver's error (an OSError from the system's).
    """
    _, host, port = _split(url)
    if allow_private:
        return
    literal = _literal(host)
    if literal is not None:
        reason = _blocked(literal)
        if reason:
            raise TargetRefused(f"host {host} is {reason}")
        return
    found = resolve(host) if resolve is not None else await _getaddrinfo(host, port)
    if not found:
        raise TargetRefused(f"host {host!r} resolves to no address")
    for text in found:
        address = _literal(text)
        if address is None:
            raise TargetRefused(f"host {host!r} resolves to {text!r}, not an IP address")
        reason = _blocked(address)
        if reason:
            raise TargetRefused(f"host {host!r} resolves to {text}, {reason}")


# --- delivery ------------------------------------------------------------------------------


def backoff_delay(
    attempt: int, *, base_delay_s: float, max_delay_s: float, rand: Callable[[], float]
) -> float:
    """The pause after failed attempt number `attempt` (from 1), with full jitter."""
    return rand() * min(max_delay_s, base_delay_s * 2 ** min(attempt - 1, _MAX_EXPONENT))


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds; None when absent or not a number of seconds."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


class _Result(NamedTuple):
    outcome: Outcome
    status: int | None = None
    error: str | None = None
    retry: bool = False
    retry_after_s: float | None = None


async def _send(
    client: httpx.AsyncClient, request: httpx.Request
) -> tuple[int, httpx.Headers, bytes]:
    """The status, headers and (when unsuccessful) the start of the body of the answer."""
    response = await client.send(request, stream=True, follow_redirects=False)
    try:
        snippet = b""
        if not response.is_success:
            async for chunk in response.aiter_raw():
                snippet += chunk
                if len(snippet) >= _SNIPPET_BYTES:
                    break
        return response.status_code, response.headers, snippet[:_SNIPPET_BYTES]
    finally:
        await response.aclose()


async def _attempt(
    webhook: Webhook, content: bytes, client: httpx.AsyncClient, resolve: Resolver | None
) -> _Result:
    try:
        await check_target(webhook.url, allow_private=webhook.allow_private, resolve=resolve)
    except TargetRefused as error:
        return _Result("refused", error=f"target refused: {error}")
    except OSError as error:
        return _Result("network_error", error=f"cannot resolve the host: {error}", retry=True)
    request = client.build_request(
        "POST",
        webhook.url,
        content=content,
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        timeout=webhook.timeout_s,
    )
    try:
        status, headers, snippet = await asyncio.wait_for(_send(client, request), webhook.timeout_s)
    except (TimeoutError, httpx.TimeoutException):
        return _Result("timeout", error=f"no answer within {webhook.timeout_s:g} s", retry=True)
    except httpx.RequestError as error:
        detail = str(error) or type(error).__name__
        return _Result("network_error", error=f"{type(error).__name__}: {detail}", retry=True)
    if 200 <= status < 300:
        return _Result("delivered", status=status)
    error = f"HTTP {status}"
    if 300 <= status < 400:
        error += " (redirects are not followed)"
    text = " ".join(snippet.decode("utf-8", errors="replace").split())
    if text:
        error += f": {text}"
    return _Result(
        "http_error",
        status=status,
        error=error,
        retry=status >= 500 or status in RETRIED_STATUSES,
        retry_after_s=(
            _retry_after(headers.get("Retry-After")) if status in RETRY_AFTER_STATUSES else None
        ),
    )


async def deliver(
    webhook: Webhook,
    body: Payload,
    *,
    client: httpx.AsyncClient,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    rand: Callable[[], float] = random.random,
    base_delay_s: float = 0.5,
    max_delay_s: float = 30.0,
    resolve: Resolver | None = None,
    findings: int = 0,
) -> Delivery:
    """POST `body` as JSON to `webhook`, retrying as the module's text says.

    `findings` is how many findings `body` carries (reported in the `Delivery`). Delivery
    failures are recorded, never raised; a `body` that is not JSON raises (TypeError or
    ValueError) before anything is sent.
    """
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    encoded = content.encode("utf-8")
    attempts: list[DeliveryAttempt] = []
    for number in range(1, webhook.attempts + 1):
        started = datetime.now(UTC)
        clock = time.monotonic()
        result = await _attempt(webhook, encoded, client, resolve)
        attempts.append(
            DeliveryAttempt(
                webhook=webhook.name,
                attempt=number,
                started=started,
                seconds=time.monotonic() - clock,
                status=result.status,
                outcome=result.outcome,
                error=result.error,
            )
        )
        if result.outcome == "delivered":
            return Delivery(webhook.name, findings, True, attempts)
        if not result.retry or number == webhook.attempts:
            break
        if result.retry_after_s is not None:
            delay = min(max_delay_s, result.retry_after_s)
        else:
            delay = backoff_delay(
                number, base_delay_s=base_delay_s, max_delay_s=max_delay_s, rand=rand
            )
        log.info(
            "audit alerts to webhook %s: attempt %d failed (%s), next in %.2f s",
            webhook.name,
            number,
            result.error,
            delay,
        )
        await sleep(delay)
    log.warning(
        "audit alerts to webhook %s not delivered after %d attempt(s): %s",
        webhook.name,
        len(attempts),
        attempts[-1].error,
    )
    return Delivery(webhook.name, findings, False, attempts)


async def send_alerts(
    webhooks: Iterable[Webhook],
    run: Mapping[str, Any],
    findings: Sequence[AlertFinding],
    *,
    client: httpx.AsyncClient | None = None,
    **deliver_kwargs: Any,
) -> list[Delivery]:
    """Send each webhook its selected findings of `run`, concurrently; in the webhooks' order.

    Webhooks with no finding selected are skipped (no `Delivery`). Without `client` one is
    made (redirects not followed) and closed. `deliver_kwargs` go to `deliver`.
    """
    jobs: list[tuple[Webhook, Payload, int]] = []
    for webhook in webhooks:
        chosen = select(findings, webhook)
        if chosen:
            jobs.append((webhook, payload_for(webhook, run, chosen), len(chosen)))
    if not jobs:
        return []
    http = client if client is not None else httpx.AsyncClient(follow_redirects=False)
    try:
        results = await asyncio.gather(
            *(
                deliver(webhook, body, client=http, findings=count, **deliver_kwargs)
                for webhook, body, count in jobs
            ),
            return_exceptions=True,  # a programming error waits for the others, then is raised
        )
    finally:
        if client is None:
            await http.aclose()
    deliveries: list[Delivery] = []
    for result in results:
        if isinstance(result, BaseException):
            raise result
        deliveries.append(result)
    return deliveries
