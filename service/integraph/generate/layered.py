"""The layered shape of the synthetic landscape: domains in layers, as a designed one looks.

`integraph.generate.generate_landscape(systems, seed)` builds it by default (`Shape.LAYERED`);
the same seed always gives the same landscape. Element kinds and counts per system stay close
to the random shape's, so load figures remain comparable; what changes is who talks to whom.

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

Planted defects, so that every rule has something to find: the random shape's kinds, each at
DEFECT_RATE of the places where it can occur (an async flow without dead-letter policy, a
retry without jitter, a shared credential, an unmasked card number to a partner or public
system, a flow without contract, an unauthenticated flow, a credential never rotated, an alert
routed to nobody), plus a handful of inverted timeout budgets (one per INVERTED_BUDGET_SYSTEMS
systems: a bottom-layer call whose timeout outgrew its caller's) and one or two
synchronous cycles (a core system calling back a service that calls it; from 200 systems on,
also one calling a BFF above it), both without timeouts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from integraph.generate.builders import (
    DEFECT_RATE,
    LIFECYCLES,
    PCI_DOMAINS,
    TECHNOLOGIES,
    Landscape,
    _Generator,
    _System,
)

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


class LayeredGenerator(_Generator):
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

    def landscape(self) -> Landscape:
        self.teams()
        self.make_layers()
        self.platform()
        edges = self.topology()
        edges += self.cycles(edges)
        self.inverted = self.inversions(edges)
        for index, edge in enumerate(edges):
            self.layered_flow(index, edge)
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
        system = _System(f"{domain}-{name}-{i}", domain, team, zone, tier, layer == "partner")
        self.systems.append(system)
        if layer == "core":
            self.entities[system.id] = self.rng.sample(ENTITIES, self.rng.randint(1, 3))
        self.layers.setdefault(domain, {}).setdefault(layer, []).append(system)
        self.everywhere.setdefault(layer, []).append(system)
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
        flow_id = f"{source.domain}-to-{target.domain}-{index}"
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
        self.protect(flow, source, target, provider, pattern, contract_id)
        self.data["flows"].append(flow)

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
