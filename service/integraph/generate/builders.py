"""The synthetic landscape's element builders (teams, systems, platform, contracts,
credentials, policies, decisions) and the random shape's topology; the layered shape
(``layered.py``) builds on them. The shapes are described in ``integraph.generate``."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any, TypeVar

from integraph.model import LIST_SECTIONS, Landscape

DEFECT_RATE = 0.03
FLOWS_PER_SYSTEM = 5
SYSTEMS_PER_TEAM = 8
HUB_SHARE = 0.01
HUB_WEIGHT = 25
"""Each hub starts with this many tickets in the preferential-attachment draw (others: 1)."""

PATTERNS = {"request_response": 45, "event": 30, "command": 10, "batch": 10, "stream": 5}
TRUST_ZONES = {"internal": 80, "partner": 9, "public": 6, "regulated": 5}
TIERS = {1: 10, 2: 25, 3: 40, 4: 25}
LIFECYCLES = {"active": 93, "deprecated": 5, "planned": 2}
CREDENTIAL_KINDS = {
    "oauth2_client_credentials": 55,
    "mtls": 25,
    "api_key": 12,
    "jwt_bearer": 5,
    "basic": 3,
}
CONTRACT_KINDS = {
    "request_response": {"openapi": 80, "graphql": 10, "protobuf": 10},
    "event": {"avro": 50, "asyncapi": 35, "json_schema": 15},
    "command": {"json_schema": 60, "avro": 40},
    "stream": {"avro": 70, "protobuf": 30},
    "batch": {"file": 100},
}
COMPATIBILITY = {"BACKWARD": 40, "FULL": 15, "FULL_TRANSITIVE": 10, "NONE": 5, "": 30}
DOMAINS = (
    "accounts", "billing", "cards", "catalog", "claims", "crm", "customers", "fraud",
    "identity", "inventory", "lending", "ledger", "logistics", "loyalty", "marketing",
    "notifications", "orders", "payments", "pricing", "procurement", "reporting", "risk",
    "search", "shipping", "support", "treasury",
)  # fmt: skip
PCI_DOMAINS = frozenset({"billing", "cards", "payments", "treasury"})
ROLES = ("api", "service", "portal", "engine", "store", "worker", "app", "adapter", "sync")
HUB_ROLES = ("core", "hub", "platform")
TECHNOLOGIES = (
    "Java 21 / Spring Boot", "Kotlin / Ktor", "Go 1.22", "Python 3.12 / FastAPI",
    "Node.js 20", "C# / .NET 8", "SAP S/4HANA", "Salesforce", "COBOL / CICS",
)  # fmt: skip
FIELDS = (
    ("/id", "string"), ("/status", "string"), ("/createdAt", "datetime"),
    ("/updatedAt", "datetime"), ("/amount", "decimal"), ("/currency", "string"),
    ("/reference", "string"), ("/quantity", "integer"), ("/items/*/sku", "string"),
    ("/items/*/price", "decimal"), ("/revision", "long"), ("/active", "boolean"),
    ("/region", "string"), ("/channel", "string"), ("/note", "string"),
    ("/correlationId", "string"),
)  # fmt: skip
SENSITIVE_FIELDS = (
    ("/customer/email", "string", "pii-contact"),
    ("/customer/name", "string", "pii-contact"),
    ("/customer/dateOfBirth", "date", "pii-identity"),
    ("/customer/nationalId", "string", "pii-identity"),
)
PAN_FIELD = ("/card/pan", "string", "pci-pan")
MASKED = {"pci-pan": ("tokenised", "encrypted"), "pii-identity": ("pseudonymised", "hashed")}
CLASSIFICATIONS = [
    {"id": "pci-pan", "category": "pci", "name": "Primary account number",
     "regulations": ["PCI-DSS"], "masking_required": True, "audit_required": True,
     "min_audit_retention_days": 365},
    {"id": "pii-identity", "category": "pii", "name": "Identity data", "regulations": ["GDPR"],
     "masking_required": True, "audit_required": True, "min_audit_retention_days": 180},
    {"id": "pii-contact", "category": "pii", "name": "Contact data", "regulations": ["GDPR"]},
    {"id": "confidential", "category": "confidential", "name": "Confidential business data"},
    {"id": "public", "category": "public", "name": "Public data"},
]  # fmt: skip
DECISIONS = (
    ("Shared API keys between services", "credentials"),
    ("OAuth 2.0 client credentials with mTLS-bound tokens", "credentials"),
    ("Apache Kafka for domain events", "brokers"),
    ("A dead-letter queue per consumer with an alert on its depth", "dlqs"),
    ("Semantic versioning and BACKWARD compatibility for APIs", "contracts"),
    ("RFC 9457 problem details for API errors", "contracts"),
    ("Every partner call passes an API gateway", "gateways"),
    ("Tokenise card numbers before they leave the cardholder data environment", "contracts"),
)
START = datetime.date(2021, 1, 4)
WAIVER_EXPIRES = datetime.date(2030, 6, 30)

K = TypeVar("K")


@dataclass(frozen=True)
class _System:
    id: str
    domain: str
    team: str
    zone: str
    tier: int
    external: bool


@dataclass(frozen=True)
class _Contract:
    id: str
    versions: list[str]
    sensitive: dict[str, list[tuple[str, str]]]
    """Per version: (field key, classification) of the fields that must be masked."""


def add_problem_details(version: dict[str, Any]) -> None:
    """Give an OpenAPI version its RFC 9457 error body and error format."""
    version["error"] = [{"path": "/type", "type": "string", "required": True}]
    version["error_format"] = {"media_type": "application/problem+json", "standard": "rfc9457"}


def _copy(bodies: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    # Field mappings hold only scalars, so a copy per field suffices (deepcopy is 5x slower).
    return {part: [dict(item) for item in fields] for part, fields in bodies.items()}


class _Generator:
    """Builds the landscape as plain file-shaped data, then validates it once.

    The element builders (contracts, credentials, channels, policies, decisions) serve both
    shapes; `landscape`, `make_systems`, `endpoints`, `flow` and `call_policies` are the random
    shape's topology, which `LayeredGenerator` replaces."""

    def __init__(self, count: int, rng: random.Random) -> None:
        self.count = count
        self.rng = rng
        self.data: dict[str, list[dict[str, Any]]] = {name: [] for name in LIST_SECTIONS}
        self.systems: list[_System] = []
        self.on_call: dict[str, str] = {}
        self.contracts: dict[str, _Contract] = {}
        self.credentials: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, tuple[str, str, str]] = {}
        self.undead_flows: list[str] = []
        """Async flows left without a dead-letter policy (a defect)."""
        self.gateways: list[str] = []
        self.brokers: list[str] = []
        self.stream_brokers: list[str] = []
        self.transfers: list[str] = []

    def landscape(self) -> Landscape:
        self.teams()
        hubs = self.make_systems()
        self.platform()
        for index, (source, target) in enumerate(self.endpoints(hubs)):
            self.flow(index, source, target, self.pick(PATTERNS))
        return self.finish()

    def finish(self) -> Landscape:
        """Classifications, decisions and the blueprint; then the one validation."""
        self.data["classifications"] = [dict(item) for item in CLASSIFICATIONS]
        self.decisions()
        return Landscape.model_validate({"blueprint": self.blueprint(), **self.data})

    def pick(self, weights: dict[K, int]) -> K:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def date(self, after: datetime.date = START, within: int = 700) -> datetime.date:
        return after + datetime.timedelta(days=self.rng.randrange(1, within))

    def teams(self) -> None:
        count = max(2, -(-self.count // SYSTEMS_PER_TEAM))
        for i in range(count):
            domain = DOMAINS[(i - 1) % len(DOMAINS)]
            team = "team-platform" if i == 0 else f"team-{domain}-{i}"
            name = "Integration platform" if i == 0 else f"{domain.title()} team {i}"
            self.on_call[team] = f"pagerduty://{team}-oncall"
            self.data["teams"].append(
                {
                    "id": team,
                    "name": name,
                    "email": f"{team}@example.com",
                    "on_call": self.on_call[team],
                }
            )

    def make_systems(self) -> list[_System]:
        teams = [t["id"] for t in self.data["teams"][1:]]
        hub_indexes = set(self.rng.sample(range(self.count), max(1, round(self.count * HUB_SHARE))))
        hubs = []
        for i in range(self.count):
            team = teams[self.rng.randrange(len(teams))]
            domain = team.split("-")[1]
            hub = i in hub_indexes
            role = self.rng.choice(HUB_ROLES if hub else ROLES)
            zone = self.rng.choice(("internal", "regulated")) if hub else self.pick(TRUST_ZONES)
            system = _System(
                f"{domain}-{role}-{i}",
                domain,
                team,
                zone,
                1 if hub else self.pick(TIERS),
                zone == "partner",
            )
            self.systems.append(system)
            hubs += [system] if hub else []
            self.data["systems"].append(
                {"id": system.id, "name": f"{domain.title()} {role} {i}", "owner": team,
                 "trust_zone": zone, "external": system.external, "tier": system.tier,
                 "lifecycle": "active" if hub else self.pick(LIFECYCLES),
                 "technology": self.rng.choice(TECHNOLOGIES), "tags": [domain]}
            )  # fmt: skip
        return hubs

    def platform(self) -> None:
        def components(prefix: str, kind: str, per: int, technology: str) -> list[str]:
            ids = [f"{prefix}-{i + 1}" for i in range(max(1, self.count // per))]
            for component_id in ids:
                self.data["components"].append(
                    {
                        "id": component_id,
                        "kind": kind,
                        "technology": technology,
                        "owner": "team-platform",
                    }
                )
            return ids

        self.gateways = components("api-gateway", "api_gateway", 250, "Kong 3.6")
        self.brokers = components("broker", "broker", 150, "Apache Kafka 3.7")
        self.stream_brokers = components("stream-broker", "broker", 500, "Apache Kafka 3.7 (KRaft)")
        self.transfers = components("sftp", "file_transfer", 500, "GoAnywhere MFT") + components(
            "etl", "etl", 1000, "Apache Airflow 2.9"
        )

    def endpoints(self, hubs: list[_System]) -> list[tuple[_System, _System]]:
        """Source and target of every flow: each system calls once, then preferential attachment."""
        tickets = self.systems + [hub for hub in hubs for _ in range(HUB_WEIGHT)]
        callers = self.rng.sample(self.systems, len(self.systems))
        pairs = []
        for i in range(self.count * FLOWS_PER_SYSTEM):
            source = callers[i] if i < len(callers) else tickets[self.rng.randrange(len(tickets))]
            target = source
            while target is source:
                target = tickets[self.rng.randrange(len(tickets))]
            tickets += (source, target)
            pairs.append((source, target))
        return pairs

    def flow(self, index: int, source: _System, target: _System, pattern: str) -> None:
        flow_id = f"{source.domain}-to-{target.domain}-{index}"
        flow: dict[str, Any] = {"id": flow_id, "source": source.id, "target": target.id}
        flow |= {"pattern": pattern, "volume_per_day": int(self.rng.lognormvariate(8, 2)) + 1}
        provider = target if pattern in ("request_response", "command") else source
        if pattern == "request_response":
            flow |= {"mutating": self.chance(0.4), "consistency": "strong"}
            flow["latency_p99_ms"] = self.rng.choice((50, 100, 250, 500, 1000, 3000))
            if target.zone in ("partner", "public") or self.chance(0.25):
                flow["via"] = [self.rng.choice(self.gateways)]
        elif pattern == "batch":
            flow |= {"via": [self.rng.choice(self.transfers)], "consistency": "eventual"}
            flow |= {"schedule": f"0 {self.rng.randrange(24)} * * *"}
            flow |= {"schedule_interval_seconds": 86400, "max_staleness_seconds": 172800}
        else:
            suffix = {"event": "events", "command": "commands", "stream": "stream"}[pattern]
            brokers = self.stream_brokers if pattern == "stream" else self.brokers
            kind = "queue" if pattern == "command" else "topic"
            broker, channel, dlq = self.channel(f"{provider.id}.{suffix}", kind, provider, brokers)
            flow |= {"via": [broker, channel], "consistency": "eventual"}
            flow["delivery"] = "at_least_once" if self.chance(0.85) else "exactly_once"
            flow["max_staleness_seconds"] = self.rng.choice((5, 60, 300, 3600))
            self.async_policies(flow_id, pattern, dlq)
        if pattern == "request_response":
            self.call_policies(flow_id, target, flow["mutating"])
        elif pattern == "batch":
            self.batch_policies(flow_id, source)
        self.protect(flow, source, target, provider, pattern)
        self.data["flows"].append(flow)

    def protect(
        self,
        flow: dict[str, Any],
        source: _System,
        target: _System,
        provider: _System,
        pattern: str,
        contract_id: str | None = None,
    ) -> None:
        """The flow's contract (by default the provider's one for the pattern), versions,
        credential, encryption, masking and audit."""
        if not self.chance(DEFECT_RATE):
            suffix = {"request_response": "api", "batch": "extract"}.get(pattern, pattern)
            contract = self.contract(contract_id or f"{provider.id}-{suffix}", pattern, provider)
            latest = contract.versions[-1]
            consumer = latest if self.chance(0.7) else self.rng.choice(contract.versions)
            flow |= {
                "contract": contract.id,
                "producer_version": latest,
                "consumer_version": consumer,
            }
            sensitive = contract.sensitive[latest]
            crosses = target.zone in ("partner", "public")
            masking = [
                {"field": key, "method": self.rng.choice(MASKED[classification])}
                for key, classification in sensitive
                if not (classification == "pci-pan" and crosses and self.chance(DEFECT_RATE))
            ]
            if masking:
                flow["masking"] = masking
            if sensitive:
                flow |= {"audit_logging": True, "audit_retention_days": 400}
            if sensitive and target.external:
                flow["third_party_justification"] = (
                    "The partner needs the data to serve the customer."
                )
        credential = None if self.chance(DEFECT_RATE) else self.credential(source)
        if credential is not None:
            flow["credential"] = credential["id"]
        mtls = credential is not None and credential["kind"] == "mtls"
        flow["transport_encryption"] = "mtls" if mtls else "tls"

    def channel(
        self, channel_id: str, kind: str, owner: _System, brokers: list[str]
    ) -> tuple[str, str, str]:
        """A topic or queue with its dead-letter queue and depth alert, created on first use."""
        if channel_id not in self.channels:
            broker, dlq = self.rng.choice(brokers), f"{channel_id}.dlq"
            for component_id, component_kind in ((channel_id, kind), (dlq, "dead_letter_queue")):
                self.data["components"].append(
                    {
                        "id": component_id,
                        "kind": component_kind,
                        "part_of": broker,
                        "owner": owner.team,
                    }
                )
            self.depth_alert(dlq, owner.team)
            self.channels[channel_id] = (broker, channel_id, dlq)
        return self.channels[channel_id]

    def depth_alert(self, dlq: str, team: str) -> None:
        """The alert on a dead-letter queue's depth, routed to the team's on-call (or, a
        defect, to nobody)."""
        alert = {"id": f"alert-{dlq}", "kind": "alert", "applies_to": [dlq]}
        alert |= {"metric": "dlq_depth", "operator": "gt", "threshold": 0}
        alert |= {"window_seconds": 300, "severity": self.rng.choice(("critical", "error"))}
        if not self.chance(DEFECT_RATE):
            alert["route"] = self.on_call[team]
        self.data["policies"].append(alert)

    def contract(self, contract_id: str, pattern: str, provider: _System) -> _Contract:
        """The provider's contract for this pattern, with 1-3 versions, created on first use."""
        if contract_id in self.contracts:
            return self.contracts[contract_id]
        kind = self.pick(CONTRACT_KINDS[pattern])
        registry = kind == "avro"
        parts = ("request", "response") if pattern == "request_response" else ("message",)
        extra = []
        if self.chance(0.2):
            extra.append(self.rng.choice(SENSITIVE_FIELDS))
        if self.chance(0.3 if provider.domain in PCI_DOMAINS else 0.01):
            extra.append(PAN_FIELD)
        bodies = {part: self.body(extra if i == 0 else []) for i, part in enumerate(parts)}
        versions, names, sensitive = [], [], {}
        released = self.date()
        for n in range(self.pick({1: 50, 2: 35, 3: 15})):
            major = n > 0 and self.chance(0.3)
            if n > 0:
                bodies = self.evolve(bodies, major and not registry, registry)
            name = str(n + 1) if registry else self.next_semver(names[-1] if names else None, major)
            version: dict[str, Any] = {
                "version": name,
                "released": released,
                **_copy(bodies),
            }
            if kind == "openapi":
                add_problem_details(version)
            versions.append(version)
            names.append(name)
            sensitive[name] = [
                (f"{part}{f['path']}", f["classification"])
                for part, fields in bodies.items()
                for f in fields
                if f.get("classification") in MASKED
            ]
            released = self.date(released, 400)
        for old in versions[:-1]:
            if self.chance(0.5):
                old |= {"status": "deprecated", "deprecated_on": versions[-1]["released"]}
        compatibility = self.pick(COMPATIBILITY)
        self.data["contracts"].append(
            {"id": contract_id, "kind": kind, "name": f"{provider.id} {pattern.replace('_', '-')}",
             "owner": provider.team, "versioning": "schema_registry" if registry else "semver",
             "content_model": self.rng.choice(("open", "closed")), "versions": versions}
            | ({"compatibility": compatibility} if compatibility else {})
        )  # fmt: skip
        self.contracts[contract_id] = _Contract(contract_id, names, sensitive)
        return self.contracts[contract_id]

    def body(self, extra: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
        fields = [
            {"path": path, "type": kind, "required": self.chance(0.6)}
            for path, kind in self.rng.sample(FIELDS, self.rng.randint(2, 4))
        ]
        for path, kind, classification in extra:
            fields.append(
                {"path": path, "type": kind, "required": True, "classification": classification}
            )
        return fields

    def evolve(
        self, bodies: dict[str, list[dict[str, Any]]], major: bool, registry: bool
    ) -> dict[str, Any]:
        """The next version's bodies: a new optional field (with a default in a schema registry,
        to stay compatible); a major version also drops a field."""
        evolved = _copy(bodies)
        fields = evolved[self.rng.choice(list(evolved))]
        plain = [f for f in fields if "classification" not in f]
        if major and len(plain) > 1:
            fields.remove(self.rng.choice(plain))
        present = {f["path"] for f in fields}
        unused = [
            (path, kind)
            for path, kind in FIELDS
            if path not in present and (kind == "string" or not registry)
        ]
        if unused:
            path, kind = self.rng.choice(unused)
            fields.append({"path": path, "type": kind} | ({"default": ""} if registry else {}))
        return evolved

    @staticmethod
    def next_semver(previous: str | None, major: bool) -> str:
        if previous is None:
            return "1.0.0"
        first, second, _ = (int(x) for x in previous.split("."))
        return f"{first + 1}.0.0" if major else f"{first}.{second + 1}.0"

    def credential(self, system: _System) -> dict[str, Any]:
        """The system's credential: its own, or (a defect) one it shares with another system."""
        if system.id in self.credentials:
            return self.credentials[system.id]
        existing = self.data["credentials"]
        if existing and self.chance(DEFECT_RATE):
            shared = existing[self.rng.randrange(len(existing))]
            shared["held_by"].append(system.id)
            self.credentials[system.id] = shared
            return shared
        kind = self.pick(CREDENTIAL_KINDS)
        store = "vault://pki" if kind == "mtls" else "vault://kv"
        credential: dict[str, Any] = {"id": f"cred-{system.id}", "kind": kind}
        credential |= {"issuer": "Internal CA" if kind == "mtls" else "keycloak.example.com"}
        credential |= {"secret_ref": f"{store}/{system.id}/client", "held_by": [system.id]}
        if kind == "oauth2_client_credentials":
            credential |= {"grant_type": "client_credentials", "scopes": [f"{system.domain}:call"]}
            credential |= {
                "client_auth": self.rng.choice(("private_key_jwt", "client_secret_basic"))
            }
            credential |= {"token_lifetime_seconds": self.rng.choice((300, 900, 3600))}
            credential["sender_constraint"] = self.rng.choice(("mtls", "none"))
        if not self.chance(DEFECT_RATE):
            credential["rotation_days"] = self.rng.choice((30, 90, 180, 365))
        existing.append(credential)
        self.credentials[system.id] = credential
        return credential

    def retry(self, flow_id: str, attempts: int, backoff: str, delay_ms: int) -> None:
        jitter = (
            "none"
            if self.chance(DEFECT_RATE)
            else self.rng.choice(("full", "equal", "decorrelated"))
        )
        policy = {"id": f"retry-{flow_id}", "kind": "retry", "applies_to": [flow_id]}
        policy |= {"max_attempts": attempts, "backoff": backoff, "initial_delay_ms": delay_ms}
        exponential = backoff == "exponential"
        longest = delay_ms * 2 ** (attempts - 1) if exponential else delay_ms
        policy |= {"max_delay_ms": longest, "jitter": jitter}
        policy |= {"multiplier": 2} if exponential else {}
        self.data["policies"].append(policy | {"retry_on": ["5xx", "timeout"]})

    def call_policies(self, flow_id: str, target: _System, mutating: bool) -> None:
        attempts, timeout = 1, self.rng.choice((500, 1000, 2000, 5000))
        if self.chance(0.6):
            attempts = self.rng.choice((2, 3, 4))
            self.retry(flow_id, attempts, "exponential", self.rng.choice((50, 100, 200)))
        if mutating and (attempts > 1 or self.chance(0.3)):
            self.idempotency(flow_id, "Idempotency-Key", "header")
        if self.chance(0.7):
            self.timeout(flow_id, timeout, timeout * attempts + 2000)
        if target.tier == 1 and self.chance(0.5):
            self.breaker(flow_id)

    def timeout(self, flow_id: str, request_ms: int, budget_ms: int) -> None:
        policy = {"id": f"timeout-{flow_id}", "kind": "timeout", "applies_to": [flow_id]}
        policy |= {"connect_timeout_ms": 500, "request_timeout_ms": request_ms}
        self.data["policies"].append(policy | {"total_budget_ms": budget_ms})

    def breaker(self, flow_id: str) -> None:
        policy = {"id": f"breaker-{flow_id}", "kind": "circuit_breaker", "applies_to": [flow_id]}
        policy |= {"failure_rate_threshold_percent": 50, "sliding_window_type": "count"}
        policy |= {"sliding_window_size": 100, "minimum_calls": 20, "wait_in_open_ms": 30000}
        self.data["policies"].append(policy | {"half_open_calls": 5})

    def async_policies(self, flow_id: str, pattern: str, dlq: str) -> None:
        if self.chance(DEFECT_RATE):
            self.undead_flows.append(flow_id)
        else:
            policy = {"id": f"dlq-{flow_id}", "kind": "dead_letter", "applies_to": [flow_id]}
            policy |= {"dlq": dlq, "max_deliveries": self.rng.choice((3, 5, 10))}
            policy |= {"retention_days": self.rng.choice((7, 14, 30))}
            policy |= {"redrive_procedure": f"https://runbooks.example.com/{dlq}/redrive"}
            self.data["policies"].append(policy)
        if self.chance(0.3):
            self.retry(flow_id, self.rng.choice((3, 5)), "exponential", 500)
        if pattern == "command" and self.chance(0.8):
            self.idempotency(flow_id, "/commandId", "field")

    def batch_policies(self, flow_id: str, source: _System) -> None:
        if self.chance(0.3):
            self.retry(flow_id, 3, "fixed", 60000)
        if self.chance(0.5):
            alert = {"id": f"alert-{flow_id}", "kind": "alert", "applies_to": [flow_id]}
            alert |= {"metric": "batch_failures", "threshold": 0, "severity": "error"}
            self.data["policies"].append(alert | {"route": self.on_call[source.team]})

    def idempotency(self, flow_id: str, key: str, key_source: str) -> None:
        policy = {"id": f"idem-{flow_id}", "kind": "idempotency", "applies_to": [flow_id]}
        policy |= {"key": key, "key_source": key_source, "dedup_store": "Redis"}
        self.data["policies"].append(policy | {"window_seconds": 86400})

    def decisions(self) -> None:
        pools = {
            "credentials": [c["id"] for c in self.data["credentials"]],
            "brokers": self.brokers + self.stream_brokers,
            "dlqs": [channel[2] for channel in self.channels.values()],
            "contracts": [c.id for c in self.contracts.values()],
            "gateways": self.gateways,
        }
        count = min(len(DECISIONS), 3 + self.count // 1000)
        for i, (title, pool) in enumerate(DECISIONS[:count]):
            ids = pools[pool]
            decision = {"id": f"adr-{i + 1:04d}", "title": title, "date": self.date()}
            decision |= {
                "status": "superseded" if i == 0 else "accepted",
                "deciders": ["architecture-board"],
            }
            decision |= {"decision": f"We will adopt: {title.lower()}."}
            decision |= {"governs": self.rng.sample(ids, min(5, len(ids)))}
            decision |= {"supersedes": ["adr-0001"]} if i == 1 else {}
            self.data["decisions"].append(decision)
        if self.undead_flows:
            waiver = {"id": "waiver-0001", "rule": "RES-01", "element": self.undead_flows[0]}
            waiver |= {"justification": "The publisher can replay the events on request."}
            waiver |= {"expires": WAIVER_EXPIRES, "approved_by": "architecture-board@example.com"}
            self.data["waivers"].append(waiver)

    def blueprint(self) -> dict[str, Any]:
        review = {"reviewer": "architecture-board@example.com", "date": self.date()}
        review |= {"verdict": "commented", "comment": "Synthetic landscape for scale tests."}
        return {
            "id": "synthetic",
            "name": f"Synthetic landscape of {self.count} systems",
            "version": "1.0.0",
            "status": "in_review",
            "owner": "team-platform",
            "reviews": [review],
        }
