"""The layered shape of the synthetic landscape: domains in layers, as a designed one looks.

`integraph.generate.generate_landscape(systems, seed)` builds it by default (`Shape.LAYERED`);
the same seed always gives the same landscape. `systems` counts the applications; their
data stores and the actors in front of the channels come on top (see "Runtime topology").
Without that topology, element kinds and counts per system stay close to the random shape's,
so load figures remain comparable; what changes is who talks to whom, and the operations of
the synchronous APIs (about a third more fields, a quarter more elements in all).

Systems. A team per ~8 systems, as in the random shape; each team's systems belong to the
team's business domain (DOMAINS). Every domain holds layers, in these shares:
- channels (12 %): web and mobile front ends in the public trust zone, partner APIs in the
  partner zone; they reach their BFFs through an API gateway;
- BFFs (10 %), backends for the channels, internal;
- domain services (the rest, about half), internal (some regulated in the card-data
  domains);
- core systems, the systems of record (22 %), tier 1-2, internal or (card-data domains)
  regulated;
- external partners (6 %): card schemes, carriers, bureaus: partner zone, external.
The `reporting` domain, when the landscape has one, holds the reporting systems (warehouse,
marts) instead. Each system is tagged with its domain and its layer.

Flows, about five per system:
- request-response calls only go down the layers: a channel calls one or two BFFs, a BFF three
  to six services of its domain, a service up to five core systems (one call in ten to
  another domain's core), each through the API of one entity the core holds, and sometimes an
  external partner (through a gateway). So synchronous calls are acyclic and chains are at
  most three calls deep.
- Timeouts shrink going down: a call to a core system or partner has a total budget of 1-3 s
  split over its attempts; a BFF's call to a service times out after 3.5-4.5 s, more than any
  budget below; a channel's call to a BFF after 10-15 s, more than any BFF call's budget. So
  every caller's timeout exceeds its callee's end-to-end budget. Retries sit at the bottom
  layer (calls to core systems and partners); a BFF retries only as a defect (DEFECT_RATE), a
  channel never. Circuit breakers guard most partner calls and half of the calls to tier-1
  cores.
- Events fan out from the systems of record: each core system publishes one to three topics
  (one per entity), each consumed by two to four systems across domains (services, reporting,
  channels for notifications, partners for webhooks); each consumer has its own dead-letter
  queue with a depth alert to its team. Some services publish domain events too.
- Commands go to a queue per receiving service or core system of the same domain.
- Nightly batches run from core systems (and a few services) to reporting, some to partners;
  partners send files back to core systems.
- Streams: a few core systems and channels stream to fraud, risk, marketing or reporting.

Interfaces. The synchronous APIs of BFFs, domain services and core systems (not the
partners') have 2-4 operations over one resource (the core's entity, else the domain): a read
and a create, then a list or an update; REST methods and paths for OpenAPI, gRPC methods for
protobuf, queries and mutations for GraphQL. Each version defines one shared type (Money,
Address or Party, by domain) that a field of every operation refers to; ids are uuids,
timestamps date-times, currencies ISO 4217, lists bounded (min_items, max_items), some
timestamps nullable. Mutating operations take an Idempotency-Key header; `calls` lists the
provider's downstream synchronous flows, each under one or two operations (the planted cycles
and inverted budgets under all), and every synchronous flow names the operations it uses (a
write when it changes state, else one or two reads). API versions keep their operations and
add (a major: also drop) a field. Event contracts have a correlation-id header, in JSON
Schema, beside a payload in Avro or JSON Schema. The notifications domain's partner is an
email and SMS provider: its `send-message` operation takes the recipient's address with
`clear_for` the provider, so it needs no masking on the way there.

Planted defects, so that every rule has something to find: the random shape's kinds, each at
DEFECT_RATE of the places where it can occur (an async flow without dead-letter policy, a
retry without jitter, a shared credential, an unmasked card number to a partner or public
system, a flow without contract, an unauthenticated flow, a credential never rotated, an alert
routed to nobody), plus a handful of inverted timeout budgets (one per INVERTED_BUDGET_SYSTEMS
systems: a bottom-layer call whose timeout outgrew its caller's) and one or two
synchronous cycles (a core system calling back a service that calls it; from 200 systems on,
also one calling a BFF above it), both without timeouts; and in the APIs, mutating operations
without an idempotency key (KEYLESS_RATE: RES-08 on the flows naming them that no idempotency
policy covers) and read operations still returning a field past its sunset (SUNSET_RATE:
CON-11 on the flows naming them), each named by at least one flow.

Over it, `integraph.generate.topology` adds the runtime topology (environments, channel
settings, data stores, actors, degradable calls, request-reply, broker credentials) with its
own planted defects.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from integraph.generate.builders import (
    COMPATIBILITY,
    CONTRACT_KINDS,
    DEFECT_RATE,
    FIELDS,
    LIFECYCLES,
    MASKED,
    PAN_FIELD,
    PCI_DOMAINS,
    SENSITIVE_FIELDS,
    TECHNOLOGIES,
    Landscape,
    _Contract,
    _Generator,
    _System,
    add_problem_details,
)
from integraph.generate.topology import RuntimeTopology

LAYER_SHARES = {"channel": 0.12, "bff": 0.1, "core": 0.22, "partner": 0.06}
"""Share of a domain's systems per layer; domain services take the rest."""
NAMES = {
    "bff": ("bff",),
    "service": ("service", "engine", "api", "worker", "adapter"),
    "core": ("core", "records", "master"),
    "partner": ("partner",),
    "reporting": ("warehouse", "mart", "reports"),
}
TIERS = {
    "bff": (2, 3),
    "service": (2, 3, 3, 4),
    "core": (1, 2),
    "partner": (3, 4),
    "reporting": (3, 4),
}
CHANNELS = {"web": 40, "mobile": 35, "partner-api": 25}
ENTITIES = ("lifecycle", "changes", "balances", "status", "documents")
CONSUMERS = {"service": 70, "reporting": 10, "channel": 10, "partner": 5, "bff": 5}
"""Who consumes a core system's events (a service: a third of the time one of the publisher's
domain, else one of any domain)."""
STREAM_DOMAINS = ("fraud", "risk", "marketing", "reporting")
TOP_TIMEOUTS_MS = (10_000, 12_000, 15_000)
"""Channel -> BFF request timeouts: above every BFF call's budget (at most 9,100 ms)."""
MIDDLE_TIMEOUTS_MS = (3_500, 4_000, 4_500)
"""BFF -> service request timeouts: above every bottom-layer budget (at most 3,000 ms)."""
CORE_BUDGETS_MS = (1_000, 1_500, 2_000, 3_000)
PARTNER_BUDGETS_MS = (3_000,)
INVERTED_TIMEOUTS_MS = (5_000, 8_000)
"""A planted inversion's request timeout: above every BFF's timeout."""
LATENCIES_MS = {"top": (500, 1000, 3000), "middle": (250, 500, 1000), "bottom": (50, 100, 250)}
INVERTED_BUDGET_SYSTEMS = 2500
"""One planted inverted timeout budget per this many systems (at least one)."""
CYCLES_FROM = 200
"""Landscapes of this many systems get a second planted synchronous cycle."""

OPERATIONS = {2: 50, 3: 35, 4: 15}
"""How many operations a synchronous API has: a read and a create, then a list or an update."""
API_VERSIONS = {1: 70, 2: 22, 3: 8}
"""How many versions a synchronous API has (its operations' fields make each one larger)."""
KEYLESS_RATE = 0.04
"""Share of mutating operations planted without an idempotency key (RES-08 on the flows
naming them that no idempotency policy covers)."""
SUNSET_RATE = 0.05
"""Share of synchronous APIs whose read operation still returns a field past its sunset
(CON-11 on the flows naming it)."""
REFERENCE_DATE = datetime.date(2025, 1, 1)
"""Every planted sunset is before this date (and so before any lint's today)."""
SHARED_TYPES: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "Money": ("total", [
        {"path": "/currency_code", "type": "string", "required": True, "format": "iso-4217"},
        {"path": "/amount", "type": "decimal", "required": True},
    ]),
    "Address": ("address", [
        {"path": "/line", "type": "string", "required": True},
        {"path": "/country", "type": "string", "required": True, "min_length": 2,
         "max_length": 2},
    ]),
    "Party": ("party", [
        {"path": "/party_id", "type": "string", "required": True, "format": "uuid"},
        {"path": "/display_name", "type": "string", "nullable": True},
    ]),
}  # fmt: skip
"""Named type -> (the field holding it, its fields): one per API version, referred to by a
field of every operation."""
TYPE_OF_DOMAIN = {
    **dict.fromkeys(("accounts", "billing", "cards", "claims", "lending", "ledger", "loyalty",
                     "orders", "payments", "pricing", "procurement", "treasury"), "Money"),
    **dict.fromkeys(("inventory", "logistics", "shipping"), "Address"),
}  # fmt: skip
"""Each domain's shared type (Party for the others)."""
IDEMPOTENCY_HEADER = {"path": "/Idempotency-Key", "type": "string", "required": True,
                      "format": "uuid"}  # fmt: skip
EVENT_HEADERS = [
    {"path": "/correlation_id", "type": "string", "required": True, "format": "uuid"},
]
MESSAGING = "messaging"
"""The name of the notifications domain's external email and SMS provider."""
PARTS = ("request", "response", "headers")


def planted(systems: int) -> tuple[int, int]:
    """How many inverted timeout budgets and synchronous cycles are planted (at most)."""
    return max(1, round(systems / INVERTED_BUDGET_SYSTEMS)), 2 if systems >= CYCLES_FROM else 1


@dataclass(frozen=True)
class _Edge:
    source: _System
    target: _System
    pattern: str
    layer: str = ""
    """For calls: top, middle, bottom (to a core system or partner) or cycle."""
    entity: str = ""
    """For events and calls to a core system: the entity (its topic, its API)."""


@dataclass
class _Api:
    """A synchronous API's operations, as its flows pick them."""

    reads: list[str]
    writes: list[str]
    pending: list[str] = field(default_factory=list)
    """Planted operations (a sunset field, no idempotency key) no flow names yet."""


class LayeredGenerator(RuntimeTopology, _Generator):
    """The layered topology on the shared element builders of the random shape."""

    def __init__(self, count: int, rng: random.Random) -> None:
        super().__init__(count, rng)
        self.layers: dict[str, dict[str, list[_System]]] = {}
        """Domain -> layer -> systems."""
        self.everywhere: dict[str, list[_System]] = {}
        """Layer -> systems of every domain."""
        self.entities: dict[str, list[str]] = {}
        """Core system id -> the entities it holds: a topic and an API each."""
        self.topics: dict[str, str] = {}
        """Topic id -> its broker."""
        self.inverted: set[int] = set()
        self.downstream: dict[str, list[str]] = {}
        """System id -> the synchronous flows it makes (the calls of its operations)."""
        self.everyway: set[str] = set()
        """Calls every operation of the caller's APIs makes: the planted cycles and inverted
        budgets, so the rules following operations' calls still meet them."""
        self.apis: dict[str, _Api] = {}
        """Contract id -> the operations of a synchronous API."""
        self.messengers: list[_System] = []
        """The notifications domain's email and SMS providers."""
        self.by_id: dict[str, _System] = {}
        self.layer: dict[str, str] = {}
        """System id -> its layer."""
        self.channel_kinds: dict[str, str] = {}
        """Channel system id -> its kind (CHANNELS)."""
        self.flow_edges: dict[str, _Edge] = {}
        """Flow id -> the edge it was made from."""
        self.carriers: dict[str, tuple[str, str, str]] = {}
        """Async flow id -> its broker, channel and dead-letter queue."""
        self.next_index = 0
        """The index of the next flow the runtime topology adds (its id's number)."""

    def landscape(self) -> Landscape:
        self.teams()
        self.make_layers()
        self.platform()
        edges = self.topology()
        edges += self.cycles(edges)
        self.inverted = self.inversions(edges)
        for index, edge in enumerate(edges):
            if edge.pattern == "request_response":
                flow_id = _flow_id(index, edge)
                self.downstream.setdefault(edge.source.id, []).append(flow_id)
                if edge.layer == "cycle" or index in self.inverted:
                    self.everyway.add(flow_id)
        for index, edge in enumerate(edges):
            self.layered_flow(index, edge)
        self.next_index = len(edges)
        self.runtime_topology()
        return self.finish()

    # Systems

    def make_layers(self) -> None:
        teams = [t["id"] for t in self.data["teams"][1:]]
        owners = [teams[i * len(teams) // self.count] for i in range(self.count)]
        sizes: dict[str, int] = {}
        for team in owners:
            sizes[team.split("-")[1]] = sizes.get(team.split("-")[1], 0) + 1
        roles = {domain: self.roles(domain, n) for domain, n in sizes.items()}
        for i, team in enumerate(owners):
            domain = team.split("-")[1]
            role = roles[domain].pop()
            self.add_system(i, team, domain, role)

    def roles(self, domain: str, n: int) -> list[str]:
        """The layers of a domain's `n` systems, in a seeded order."""
        if domain == "reporting":
            return ["reporting"] * n
        counts = {layer: round(n * share) for layer, share in LAYER_SHARES.items()}
        counts["core"] = max(1, counts["core"])
        if counts["channel"]:
            counts["bff"] = max(1, counts["bff"])
        if domain == "notifications" and n >= 4:  # its email and SMS provider
            counts["partner"] = max(1, counts["partner"])
        counts["service"] = n - sum(counts.values())
        while counts["service"] < min(1, n - 1):
            largest = max(("channel", "bff", "partner", "core"), key=lambda k: counts[k])
            counts[largest] -= 1
            counts["service"] += 1
        if counts["bff"] and not counts["channel"] and n >= 4:
            counts["channel"], counts["service"] = 1, counts["service"] - 1
        layers = [layer for layer, number in counts.items() for _ in range(number)]
        self.rng.shuffle(layers)
        return layers

    def add_system(self, i: int, team: str, domain: str, layer: str) -> None:
        if layer == "channel":
            name = self.pick(CHANNELS)
            zone, tier = ("partner" if name == "partner-api" else "public"), self.rng.choice((2, 3))
        else:
            name = self.rng.choice(NAMES[layer])
            zone = "partner" if layer == "partner" else "internal"
            if domain in PCI_DOMAINS and (
                layer == "core" or (layer == "service" and self.chance(0.3))
            ):
                zone = "regulated"
            tier = self.rng.choice(TIERS[layer])
            if layer == "partner" and domain == "notifications":
                name = MESSAGING
        system = _System(f"{domain}-{name}-{i}", domain, team, zone, tier, layer == "partner")
        self.systems.append(system)
        if layer == "core":
            self.entities[system.id] = self.rng.sample(ENTITIES, self.rng.randint(1, 3))
        self.layers.setdefault(domain, {}).setdefault(layer, []).append(system)
        self.everywhere.setdefault(layer, []).append(system)
        self.layer[system.id] = layer
        self.by_id[system.id] = system
        if layer == "channel":
            self.channel_kinds[system.id] = name
        if name == MESSAGING:
            self.messengers.append(system)
        lifecycle = "active" if layer in ("core", "bff", "channel") else self.pick(LIFECYCLES)
        self.data["systems"].append(
            {"id": system.id, "name": f"{domain.title()} {name} {i}", "owner": team,
             "trust_zone": zone, "external": system.external, "tier": tier,
             "lifecycle": lifecycle, "technology": self.rng.choice(TECHNOLOGIES),
             "tags": [domain, layer]}
        )  # fmt: skip

    # Topology

    def topology(self) -> list[_Edge]:
        """Every flow's ends and pattern, domain by domain, layer by layer."""
        edges: list[_Edge] = []
        for layers in self.layers.values():
            own = layers.get
            for channel in own("channel", []):
                for bff in self.some(own("bff", []), 1 if self.chance(0.7) else 2):
                    edges.append(_Edge(channel, bff, "request_response", "top"))
                if self.chance(0.3):
                    edges += self.streams(channel)
            for bff in own("bff", []):
                for service in self.some(own("service", []), self.rng.randint(3, 6)):
                    edges.append(_Edge(bff, service, "request_response", "middle"))
            for service in own("service", []):
                edges += self.service_flows(service, layers)
            for core in own("core", []):
                edges += self.core_flows(core)
            for partner in own("partner", []):
                cores = own("core") or self.everywhere.get("core", [])
                if cores and self.chance(0.5):
                    edges.append(_Edge(partner, self.rng.choice(cores), "batch"))
        provider = self.messengers[0] if self.messengers else None
        senders = self.layers.get("notifications", {}).get("service", [])
        if provider is not None and senders:
            called = {e.source.id for e in edges if e.target is provider}
            if not called & {s.id for s in senders}:  # a notification service sends through it
                edges.append(_Edge(senders[0], provider, "request_response", "bottom"))
        return edges

    def some(self, pool: list[_System], n: int) -> list[_System]:
        return self.rng.sample(pool, min(n, len(pool)))

    def service_flows(self, service: _System, layers: dict[str, list[_System]]) -> list[_Edge]:
        edges = []
        cores = layers.get("core", [])
        called: set[str] = set()
        for _ in range(self.rng.randint(2, 5)):
            core = self.rng.choice(cores)
            if self.chance(0.1):  # another domain's system of record
                core = self.rng.choice(self.everywhere["core"])
            if core.id not in called:
                called.add(core.id)
                entity = self.rng.choice(self.entities[core.id])
                edges.append(_Edge(service, core, "request_response", "bottom", entity))
        partners = layers.get("partner") or self.everywhere.get("partner", [])
        if partners and self.chance(0.3):
            edges.append(_Edge(service, self.rng.choice(partners), "request_response", "bottom"))
        if self.chance(0.3):
            consumers = self.consumers(service, self.rng.randint(1, 3), {"service": 80})
            edges += [_Edge(service, c, "event", entity="domain") for c in consumers]
        if self.chance(0.4):
            pool = [s for s in layers.get("service", []) + cores if s is not service]
            for receiver in self.some(pool, self.rng.randint(1, 2)):
                edges.append(_Edge(service, receiver, "command"))
        if self.chance(0.3):
            edges += self.extracts(service, 1)
        return edges

    def core_flows(self, core: _System) -> list[_Edge]:
        edges = []
        for entity in self.entities[core.id]:
            consumers = self.consumers(core, self.rng.randint(2, 4), CONSUMERS)
            edges += [_Edge(core, consumer, "event", entity=entity) for consumer in consumers]
        if self.chance(0.9):
            edges += self.extracts(core, self.rng.randint(1, 2))
        partners = self.layers[core.domain].get("partner", [])
        if partners and self.chance(0.15):
            edges.append(_Edge(core, self.rng.choice(partners), "batch"))
        if self.chance(0.1):
            edges += self.streams(core)
        return edges

    def consumers(self, publisher: _System, n: int, weights: dict[str, int]) -> list[_System]:
        """`n` distinct consumers of one topic, mostly in other domains."""
        chosen: dict[str, _System] = {}
        for _ in range(n * 2):
            layer = self.pick(weights)
            if layer == "service" and self.chance(0.35):
                pool = self.layers[publisher.domain].get("service", [])
            else:
                pool = self.everywhere.get(layer, [])
            if pool:
                consumer = self.rng.choice(pool)
                if consumer is not publisher:
                    chosen.setdefault(consumer.id, consumer)
            if len(chosen) == n:
                break
        return list(chosen.values())

    def extracts(self, source: _System, n: int) -> list[_Edge]:
        """Nightly extracts to `n` reporting systems (core systems when there are none)."""
        pool = self.everywhere.get("reporting") or self.everywhere["core"]
        return [_Edge(source, t, "batch") for t in self.some(pool, n) if t is not source]

    def streams(self, source: _System) -> list[_Edge]:
        """One to three streams to services of the fraud, risk or marketing domains, or to
        reporting."""
        pool = [
            s
            for domain in STREAM_DOMAINS
            for layer in ("service", "reporting")
            for s in self.layers.get(domain, {}).get(layer, [])
            if s is not source
        ] or [s for s in self.everywhere.get("service", []) if s is not source]
        return [_Edge(source, s, "stream") for s in self.some(pool, self.rng.randint(1, 3))]

    def cycles(self, edges: list[_Edge]) -> list[_Edge]:
        """The planted synchronous cycles: a core system calling back a service that calls it,
        and (on larger landscapes) one calling a BFF above a service that calls it."""
        _, count = planted(self.count)
        calls = [e for e in edges if e.layer == "bottom" and not e.target.external]
        planted_edges = []
        if calls:
            call = self.rng.choice(calls)
            planted_edges.append(_Edge(call.target, call.source, "request_response", "cycle"))
        below = {}
        for e in calls:
            below.setdefault(e.source.id, e)
        chains = [e for e in edges if e.layer == "middle" and e.target.id in below]
        if count > 1 and chains:
            call = self.rng.choice(chains)
            core = below[call.target.id].target
            planted_edges.append(_Edge(core, call.source, "request_response", "cycle"))
        return planted_edges

    def inversions(self, edges: list[_Edge]) -> set[int]:
        """Indexes of the bottom-layer calls given a timeout above their callers' (planted)."""
        called = {e.target.id for e in edges if e.layer == "middle"}
        candidates = [
            i for i, e in enumerate(edges) if e.layer == "bottom" and e.source.id in called
        ]
        count, _ = planted(self.count)
        return set(self.rng.sample(candidates, min(count, len(candidates))))

    # Flows

    def layered_flow(self, index: int, edge: _Edge) -> None:
        source, target, pattern = edge.source, edge.target, edge.pattern
        flow_id = _flow_id(index, edge)
        self.flow_edges[flow_id] = edge
        flow: dict[str, Any] = {"id": flow_id, "source": source.id, "target": target.id}
        flow |= {"pattern": pattern, "volume_per_day": int(self.rng.lognormvariate(8, 2)) + 1}
        provider = target if pattern in ("request_response", "command") else source
        contract_id = None
        if pattern == "request_response":
            flow |= {"mutating": self.chance(0.4), "consistency": "strong"}
            layer = "bottom" if edge.layer == "cycle" else edge.layer
            flow["latency_p99_ms"] = self.rng.choice(LATENCIES_MS[layer])
            exposed = {source.zone, target.zone} & {"partner", "public"}
            if exposed or self.chance(0.05):
                flow["via"] = [self.rng.choice(self.gateways)]
            self.layered_call_policies(flow_id, edge, flow["mutating"], index in self.inverted)
            contract_id = f"{target.id}-{edge.entity}-api" if edge.entity else None
        elif pattern == "batch":
            flow |= {"via": [self.rng.choice(self.transfers)], "consistency": "eventual"}
            flow |= {"schedule": f"0 {self.rng.randrange(6)} * * *"}  # nightly
            flow |= {"schedule_interval_seconds": 86400, "max_staleness_seconds": 172800}
            self.batch_policies(flow_id, source)
        else:
            if pattern == "event":
                broker, channel, dlq = self.subscription(source, target, edge.entity)
                contract_id = f"{source.id}-{edge.entity}-event"
            else:
                suffix = "commands" if pattern == "command" else "stream"
                brokers = self.stream_brokers if pattern == "stream" else self.brokers
                kind = "queue" if pattern == "command" else "topic"
                broker, channel, dlq = self.channel(
                    f"{provider.id}.{suffix}", kind, provider, brokers
                )
            flow |= {"via": [broker, channel], "consistency": "eventual"}
            flow["delivery"] = "at_least_once" if self.chance(0.85) else "exactly_once"
            flow["max_staleness_seconds"] = self.rng.choice((5, 60, 300, 3600))
            self.async_policies(flow_id, pattern, dlq)
            self.carriers[flow_id] = (broker, channel, dlq)
        self.protect(flow, source, target, provider, pattern, contract_id)
        api = self.apis.get(flow.get("contract", ""))
        if api is not None:
            self.name_operations(flow, api)
            if target in self.messengers:
                flow["third_party_justification"] = (
                    "The provider delivers the notifications to the customer's address."
                )
        self.data["flows"].append(flow)

    def name_operations(self, flow: dict[str, Any], api: _Api) -> None:
        """The operations a synchronous flow uses: a write (and sometimes a read) when it
        changes state, else one or two reads; planted operations once each, first."""
        if (flow["mutating"] and api.writes) or not api.reads:
            names = {self.rng.choice(api.writes)}
            if api.reads and self.chance(0.4):
                names.add(self.rng.choice(api.reads))
        else:
            names = set(self.some(api.reads, self.rng.randint(1, 2)))
        names.update(api.pending)
        api.pending.clear()
        flow["operations"] = sorted(names)
        flow["mutating"] = any(name in api.writes for name in names)

    def subscription(
        self, publisher: _System, consumer: _System, entity: str
    ) -> tuple[str, str, str]:
        """The publisher's topic for the entity (created on first use) and the consumer's own
        dead-letter queue on it, with its depth alert."""
        topic = f"{publisher.id}.{entity}.events"
        if topic not in self.topics:
            self.topics[topic] = self.rng.choice(self.brokers)
            self.data["components"].append(
                {"id": topic, "kind": "topic", "part_of": self.topics[topic],
                 "owner": publisher.team}
            )  # fmt: skip
        broker, dlq = self.topics[topic], f"{topic}.{consumer.id}.dlq"
        self.data["components"].append(
            {"id": dlq, "kind": "dead_letter_queue", "part_of": broker, "owner": consumer.team}
        )
        self.depth_alert(dlq, consumer.team)
        self.channels[f"{topic}/{consumer.id}"] = (broker, topic, dlq)
        return broker, topic, dlq

    def layered_call_policies(
        self, flow_id: str, edge: _Edge, mutating: bool, inverted: bool
    ) -> None:
        """Timeouts that shrink down the layers, retries at the bottom layer only."""
        if edge.layer == "cycle":
            return  # an ad-hoc callback: no timeout, retry or breaker
        attempts, backoff = 1, 0
        if edge.layer == "bottom":
            budget = self.rng.choice(
                PARTNER_BUDGETS_MS if edge.target.external else CORE_BUDGETS_MS
            )
            if self.chance(0.6):
                attempts, delay = self.rng.choice((2, 3)), self.rng.choice((50, 100))
                self.retry(flow_id, attempts, "exponential", delay)
                backoff = delay * (2 ** (attempts - 1) - 1)
            request = (budget - backoff) // attempts // 50 * 50
            if inverted:
                request = self.rng.choice(INVERTED_TIMEOUTS_MS)
                budget = request * attempts + backoff
        else:
            request = self.rng.choice(
                TOP_TIMEOUTS_MS if edge.layer == "top" else MIDDLE_TIMEOUTS_MS
            )
            if edge.layer == "middle" and self.chance(DEFECT_RATE):  # a second retrying layer
                attempts, backoff = 2, 100
                self.retry(flow_id, attempts, "exponential", backoff)
            budget = request * attempts + backoff
        if mutating and (attempts > 1 or self.chance(0.3)):
            self.idempotency(flow_id, "Idempotency-Key", "header")
        if inverted or self.chance(0.9):
            self.timeout(flow_id, request, budget)
        if self.chance(0.9 if edge.target.external else 0.5 if edge.target.tier == 1 else 0):
            self.breaker(flow_id)

    # Contracts

    def contract(self, contract_id: str, pattern: str, provider: _System) -> _Contract:
        """Synchronous APIs of the layers (not the partners') get operations, a shared type
        and versions of their own; the messaging provider's API sends notifications; event
        contracts get headers. Other contracts are the random shape's."""
        if contract_id in self.contracts:
            return self.contracts[contract_id]
        if pattern == "request_response" and provider in self.messengers:
            return self.messaging_api(contract_id, provider)
        if pattern == "request_response" and not provider.external:
            return self.api(contract_id, provider)
        contract = super().contract(contract_id, pattern, provider)
        if pattern == "event":
            data = self.data["contracts"][-1]
            payload = "avro" if data["kind"] == "avro" else "json_schema"
            for version in data["versions"]:
                version |= {"headers_format": "json_schema", "payload_format": payload}
                version["headers"] = [dict(item) for item in EVENT_HEADERS]
        return contract

    def api(self, contract_id: str, provider: _System) -> _Contract:
        """An API with 2-4 operations (REST, gRPC for protobuf, queries and mutations for
        GraphQL) over one resource, each referring to the version's shared type, its
        mutating operations keyed by an Idempotency-Key header (but for a planted few)."""
        kind = self.pick(CONTRACT_KINDS["request_response"])
        entity = contract_id.removeprefix(f"{provider.id}-").removesuffix("-api")
        resource = entity if entity != "api" else provider.domain
        type_name = TYPE_OF_DOMAIN.get(provider.domain, "Party")
        holder, type_fields = SHARED_TYPES[type_name]
        shape = ["get", "create", *self.rng.sample(("list", "update"), self.pick(OPERATIONS) - 2)]
        extra = []
        if self.chance(0.2):
            extra.append(self.rng.choice(SENSITIVE_FIELDS))
        if self.chance(0.3 if provider.domain in PCI_DOMAINS else 0.01):
            extra.append(PAN_FIELD)
        api = _Api([], [])
        operations = []
        for verb in shape:
            name = f"{verb}-{resource}"
            operation: dict[str, Any] = {"name": name}
            operation |= self.binding(kind, verb, provider.domain, resource)
            reference = {"path": f"/{holder}", "type": "object", "ref": type_name}
            if verb == "get":
                updated = {"path": "/updated_at", "type": "datetime", "format": "date-time"}
                operation["response"] = [reference | {"required": True}]
                if self.chance(0.5):  # when it was last changed, if ever
                    operation["response"].append(updated | {"nullable": self.chance(0.5)})
                if self.chance(SUNSET_RATE):
                    operation["response"].append(self.sunset_field(holder))
                    api.pending.append(name)
            elif verb == "list":
                items = {"path": "/items", "type": "array", "ref": type_name, "required": True}
                operation["response"] = [items | {"min_items": 0, "max_items": 100}]
            else:
                if kind != "openapi":
                    operation["mutating"] = True
                if self.chance(KEYLESS_RATE):
                    api.pending.append(name)
                else:
                    operation["idempotency_key"] = "headers/Idempotency-Key"
                    operation["headers"] = [dict(IDEMPOTENCY_HEADER)]
                operation["request"] = [reference | {"required": verb == "create"}]
                if verb == "create":
                    operation["request"] += [
                        {"path": path, "type": kind_, "required": True,
                         "classification": classification}
                        for path, kind_, classification in extra
                    ]  # fmt: skip
                    operation["response"] = [
                        {"path": "/id", "type": "string", "required": True, "format": "uuid"}
                    ]
            (api.writes if verb in ("create", "update") else api.reads).append(name)
            operations.append(operation)
        self.assign_calls(operations, provider)
        types = [{"name": type_name, "fields": type_fields}]
        self.apis[contract_id] = api
        return self.api_versions(contract_id, kind, provider, operations, types)

    def binding(self, kind: str, verb: str, domain: str, resource: str) -> dict[str, Any]:
        """How the operation is called: a REST method and path, a gRPC method, or (GraphQL)
        nothing beyond whether it is a mutation."""
        if kind == "protobuf":
            service = "".join(word.title() for word in resource.split("-"))
            return {"grpc": f"integraph.{domain}.v1.{service}Service/{verb.title()}{service}"}
        if kind != "openapi":
            return {}
        collection = f"/{domain}" if resource == domain else f"/{domain}/{resource}"
        method, path = {
            "get": ("GET", f"{collection}/{{id}}"),
            "list": ("GET", collection),
            "create": ("POST", collection),
            "update": ("PATCH", f"{collection}/{{id}}"),
        }[verb]
        return {"method": method, "http_path": path}

    def sunset_field(self, holder: str) -> dict[str, Any]:
        """A response field deprecated for the shared type and past its sunset (planted)."""
        deprecated_on = self.date(within=500)
        sunset = deprecated_on + datetime.timedelta(days=self.rng.randrange(90, 540))
        return {"path": "/legacy_amount", "type": "decimal", "deprecated": True,
                "deprecated_on": deprecated_on, "sunset": min(sunset, REFERENCE_DATE
                - datetime.timedelta(days=1)), "replaced_by": f"/{holder}"}  # fmt: skip

    def assign_calls(self, operations: list[dict[str, Any]], provider: _System) -> None:
        """Each synchronous flow the provider makes is a call of one of its operations (two
        a third of the time); the planted cycles and inverted budgets are calls of all."""
        calls: list[set[str]] = [set() for _ in operations]
        for flow_id in self.downstream.get(provider.id, []):
            if flow_id in self.everyway:
                chosen = range(len(operations))
            else:
                chosen = self.rng.sample(range(len(operations)), 2 if self.chance(0.3) else 1)
            for i in chosen:
                calls[i].add(flow_id)
        for operation, called in zip(operations, calls, strict=True):
            if called:
                operation["calls"] = sorted(called)

    def api_versions(
        self,
        contract_id: str,
        kind: str,
        provider: _System,
        operations: list[dict[str, Any]],
        types: list[dict[str, Any]],
    ) -> _Contract:
        """The API's 1-3 semver versions, each with the same operations: a later one adds an
        optional field to an operation, a major one also drops one."""
        versions: list[dict[str, Any]] = []
        names: list[str] = []
        released = self.date()
        for n in range(self.pick(API_VERSIONS)):
            major = n > 0 and self.chance(0.3)
            if n > 0:
                operations = self.evolve_operations(operations, major)
            name = self.next_semver(names[-1] if names else None, major)
            version: dict[str, Any] = {"version": name, "released": released, "types": types}
            version["operations"] = operations
            if kind == "openapi":
                add_problem_details(version)
            versions.append(version)
            names.append(name)
            released = self.date(released, 400)
        for old in versions[:-1]:
            if self.chance(0.5):
                old |= {"status": "deprecated", "deprecated_on": versions[-1]["released"]}
        sensitive = [
            (f"{o['name']}/{part}{f['path']}", f["classification"])
            for o in operations
            for part in PARTS
            for f in o.get(part, ())
            if f.get("classification") in MASKED
        ]
        compatibility = self.pick(COMPATIBILITY)
        self.data["contracts"].append(
            {"id": contract_id, "kind": kind, "name": f"{provider.id} request-response",
             "owner": provider.team, "versioning": "semver",
             "content_model": self.rng.choice(("open", "closed")), "versions": versions}
            | ({"compatibility": compatibility} if compatibility else {})
        )  # fmt: skip
        # Fields are never dropped from or added with a classification: every version holds
        # the first one's sensitive fields.
        contract = _Contract(contract_id, names, dict.fromkeys(names, sensitive))
        self.contracts[contract_id] = contract
        return contract

    def evolve_operations(
        self, operations: list[dict[str, Any]], major: bool
    ) -> list[dict[str, Any]]:
        """The next version's operations: one of them gets a new optional field; in a major
        version it also loses one (never its shared type, key, id or deprecated field)."""
        evolved = list(operations)
        i = self.rng.randrange(len(evolved))
        operation = evolved[i] = dict(evolved[i])
        part = "response" if "response" in operation else "request"
        fields = operation[part] = [dict(item) for item in operation[part]]
        plain = [
            f for f in fields
            if not {"ref", "classification", "deprecated"} & f.keys() and f["path"] != "/id"
        ]  # fmt: skip
        if major and plain:
            fields.remove(self.rng.choice(plain))
        present = {f["path"] for f in fields}
        unused = [(p, k) for p, k in FIELDS if p not in present and not p.startswith("/items")]
        path, kind = self.rng.choice(unused)
        fields.append({"path": path, "type": kind})
        return evolved

    def messaging_api(self, contract_id: str, provider: _System) -> _Contract:
        """The email and SMS provider's API: one keyed operation sending a message to an
        address only the provider may read in clear (clear_for: no masking needed)."""
        recipient = {"path": "/to", "type": "string", "required": True, "format": "email"}
        recipient |= {"classification": "pii-contact", "clear_for": [provider.id]}
        operation: dict[str, Any] = {"name": "send-message", "method": "POST"}
        operation |= {"http_path": "/v1/messages", "idempotency_key": "headers/Idempotency-Key"}
        operation["headers"] = [dict(IDEMPOTENCY_HEADER)]
        operation["request"] = [
            recipient,
            {"path": "/template", "type": "string", "required": True},
            {"path": "/sender", "type": "object", "ref": "Party", "required": True},
        ]
        operation["response"] = [
            {"path": "/message_id", "type": "string", "required": True, "format": "uuid"}
        ]
        self.assign_calls([operation], provider)
        types = [{"name": "Party", "fields": SHARED_TYPES["Party"][1]}]
        self.apis[contract_id] = _Api([], ["send-message"])
        return self.api_versions(contract_id, "openapi", provider, [operation], types)


def _flow_id(index: int, edge: _Edge) -> str:
    return f"{edge.source.domain}-to-{edge.target.domain}-{index}"
