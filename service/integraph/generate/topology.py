"""The runtime topology of the layered shape (issue 11), added over the landscape
`integraph.generate.layered` builds, from a random stream of its own, so that the landscape
stays as it was without it:
- environments dev, test and prod (production); each broker and the schema registry run a
  `-nonprod` instance (dev, test) and a `-prod` one (prod), `instance_of` the logical
  component the flows name;
- every topic, queue and dead-letter queue has partitions, a retention (topics 3-14 days,
  streams 1-3, queues 7, dead-letter queues as long as their policies keep messages), three
  replicas with two in sync and a cleanup policy (compact for the balances and status
  topics); dead-letter policies say how soon they redrive, routed alerts how soon someone
  responds (15 min critical, 1 h otherwise), and the topics of tier-1 publishers (and a tenth
  of the others) have a consumer-lag alert;
- every core system and about half of the domain services have a database of their own
  (PostgreSQL or Oracle, durable, three replicas), about a third of the BFFs a Redis cache
  (no persistence, one replica) they can do without; each is called with the system's
  credential and a timeout shorter than any caller's (and, for a tier-1 system, half of the
  time a circuit breaker), never named in an operation's `calls`;
- an actor per channel kind (customers on the web and in the mobile app, partners' users)
  calls every channel system of its kind over TLS, without credential or contract;
- about 30 % of the BFFs' calls to services are optional (`required: false`, a fallback);
- about 20 % of the commands wait for a reply on the requester's reply topic on the same
  broker, matched by correlation id, for 5-30 s;
- every system consuming from a broker (or waiting for replies) holds a SASL/SCRAM
  credential towards the production instances of its brokers (and registry, for Avro),
  reading what it consumes in its own consumer group and writing its dead-letter queues and
  replies; the async flows name it as `receiver_credential`; two decisions (adr-0101,
  adr-0102) govern the instances and these credentials.
Planted in it, each an exact share (`planted_count`) of where it can occur: the production
schema registry also serving test (once; SEC-16); topics with one replica (SINGLE_REPLICA_RATE,
among those carrying tier-1 flows; RES-21) or kept less long than their lag alert's window
and response (SHORT_RETENTION_RATE; RES-20); tier-1 systems whose only store is a cache
without persistence (CACHE_ONLY_RATE; RES-18); replies without a timeout
(REPLY_WITHOUT_TIMEOUT_RATE; RES-19) or to the address the request names (REPLY_ADDRESS_RATE;
SEC-14); consumers without a broker credential (UNIDENTIFIED_CONSUMER_RATE; SEC-18) and broker
credentials with a wildcard channel (WILDCARD_RATE; SEC-17). Saga steps get no compensating
flows: RES-23 finds the mutating calls still followed by a required one.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any, TypeVar

from integraph.generate.builders import _System

T = TypeVar("T")

# The runtime topology (issue 11): drawn from a random stream of its own (`_stream`), so
# the landscape it is added to stays what it was without it.
ENVIRONMENTS = (
    {"id": "dev", "name": "Development"},
    {"id": "test", "name": "Test"},
    {"id": "prod", "name": "Production", "production": True},
)
ACTOR_LATENCIES_MS = (500, 1000, 3000)
"""An actor's call to a channel system: as slow as the channels' own calls to their BFFs."""
ENVIRONMENT_GROUPS = {"nonprod": ["dev", "test"], "prod": ["prod"]}
"""Each broker and the schema registry run one instance per group, `<component>-<group>`."""
REGISTRY = "schema-registry"
LEAKY_REGISTRY = {"nonprod": ["dev"], "prod": ["prod", "test"]}
"""The registry instances' environments (planted once, SEC-16): test reads production's."""
ACTORS = {
    "web": {"id": "web-customers", "name": "Customers on the web", "actor_type": "person",
            "channel": "internet", "trust_zone": "public"},
    "mobile": {"id": "mobile-customers", "name": "Customers in the mobile app",
               "actor_type": "person", "channel": "internet", "trust_zone": "public"},
    "partner-api": {"id": "partner-users", "name": "Partners' users",
                    "actor_type": "partner_user", "channel": "partner_network",
                    "trust_zone": "partner"},
}  # fmt: skip
"""The actor of each channel kind (CHANNELS), calling every channel system of the kind."""
ENGINES = {"core": {"oracle": 55, "postgresql": 45}, "service": {"postgresql": 85, "oracle": 15}}
STORE_TECHNOLOGIES = {
    "oracle": "Oracle Database 19c",
    "postgresql": "PostgreSQL 16",
    "redis": "Redis 7.2",
}
STORE_TIMEOUTS_MS = {"core": (100, 150), "service": (250, 500), "bff": (50,)}
"""A call to the system's own store times out before any caller of the system gives up
(a core system's callers wait 200 ms at least)."""
SERVICE_DATABASE_SHARE = 0.5
"""Share of domain services with a database of their own (every core system has one)."""
BFF_CACHE_SHARE = 1 / 3
"""Share of BFFs with a cache (optional: they read through without it)."""
DEGRADABLE_SHARE = 0.3
"""Share of BFF -> service calls the BFF can do without (required: false, a fallback)."""
REPLY_SHARE = 0.2
"""Share of commands answered over messaging (a reply topic on the command's broker)."""
COMPACTED = frozenset({"balances", "status"})
"""Entities whose topics keep each key's latest message (cleanup_policy compact)."""
DAY_MS = 86_400_000
LAG_ALERT_WINDOW_SECONDS = 600
RESPONSE_SECONDS = {"critical": 900, "error": 3600}
"""The on-call's response target by an alert's severity."""
LAG_ALERT_SHARE = 0.1
"""Share of the other topics with a consumer-lag alert (tier-1 publishers' topics all have
one)."""
SHORT_RETENTION_MS = 900_000
"""A planted retention: below every lag alert's window plus response (1,500 s at least)."""
SINGLE_REPLICA_RATE = 0.01
"""Planted share of topics with replication_factor 1 (RES-21), among those carrying tier-1
flows."""
SHORT_RETENTION_RATE = 0.01
"""Planted share of topics keeping messages less long than their lag alert's window and
response (RES-20), among those with such an alert."""
CACHE_ONLY_RATE = 0.02
"""Planted share of tier-1 systems whose only data store is a cache without persistence
and with one replica (RES-18)."""
REPLY_WITHOUT_TIMEOUT_RATE = 0.05
"""Planted share of replies without timeout_ms (RES-19)."""
REPLY_ADDRESS_RATE = 0.02
"""Planted share of replies to the address a request header names (SEC-14)."""
UNIDENTIFIED_CONSUMER_RATE = 0.02
"""Planted share of consuming systems without a broker credential of their own (SEC-18)."""
WILDCARD_RATE = 0.01
"""Planted share of broker credentials with a wildcard channel permission (SEC-17)."""
TOPOLOGY_DECISIONS = (
    ("adr-0101", "A Kafka cluster and a schema registry per environment group",
     "Development and test must not reach production's messages or schemas.",
     ("One shared cluster with per-environment topics", "A cluster per environment group"),
     "We will run a Kafka cluster and a schema registry for development and test and "
     "another for production, each an instance of the logical broker the flows name.",
     "Twice the clusters to run; a schema reaches production only through its pipeline."),
    ("adr-0102", "Each Kafka client authenticates with its own SASL/SCRAM credential",
     "The brokers authorise principals: a shared identity cannot be given least privilege.",
     ("A shared service account per broker", "A SASL/SCRAM user per client"),
     "We will issue every consuming system a SASL/SCRAM credential of its own, with read "
     "on the channels it consumes and its own consumer group.",
     "A credential per consumer to rotate; the broker's audit log names each client."),
)  # fmt: skip
"""The decisions behind the instances and the broker credentials (ids above DECISIONS')."""


class RuntimeTopology:
    """The topology steps of `LayeredGenerator` (a mix-in: it uses the generator's data,
    random stream, layers, brokers, topics and policy builders)."""

    def runtime_topology(self) -> None:
        """Environments and their instances, channel settings, data stores, actors,
        degradable calls, request-reply and broker credentials, drawn from their own random
        stream (the main one is left where it was for the decisions and the blueprint)."""
        main, self.rng = self.rng, _stream(self.rng, "runtime topology")
        try:
            self.environments()
            self.channel_settings()
            self.data_stores()
            self.actors()
            self.degradable_calls()
            self.replies()
            self.broker_credentials()
            self.topology_decisions()
        finally:
            self.rng = main

    def plant(self, pool: list[T], rate: float, out_of: int | None = None) -> list[T]:
        """The planted few of `pool`: `rate` of it, or of `out_of` items when the rate is of
        a larger population (at least one when the pool has any), in the pool's order."""
        count = min(len(pool), planted_count(len(pool) if out_of is None else out_of, rate))
        chosen = set(self.rng.sample(range(len(pool)), count)) if pool else set()
        return [item for i, item in enumerate(pool) if i in chosen]

    def new_flow_id(self, source: str, target: str) -> str:
        self.next_index += 1
        return f"{source}-to-{target}-{self.next_index - 1}"

    def environments(self) -> None:
        """dev, test and prod; a -nonprod and a -prod instance of each broker and of the
        schema registry (whose production instance also serves test: planted)."""
        self.data["environments"] = [dict(e) for e in ENVIRONMENTS]
        components = self.data["components"]
        components.append(
            {"id": REGISTRY, "kind": "schema_registry", "owner": "team-platform",
             "technology": "Confluent Schema Registry 7.6"}
        )  # fmt: skip
        logical = {*self.brokers, *self.stream_brokers, REGISTRY}
        for component in [c for c in components if c["id"] in logical]:
            groups = LEAKY_REGISTRY if component["id"] == REGISTRY else ENVIRONMENT_GROUPS
            for group, environments in groups.items():
                components.append(
                    {"id": f"{component['id']}-{group}", "kind": component["kind"],
                     "technology": component["technology"], "owner": "team-platform",
                     "instance_of": component["id"], "environments": list(environments)}
                )  # fmt: skip

    def channel_settings(self) -> None:
        """Partitions, retention, three replicas (two in sync) and a cleanup policy on
        every topic, queue and dead-letter queue; redrive targets on the dead-letter
        policies and response targets on the routed alerts; consumer-lag alerts on the
        tier-1 publishers' topics and a few others. Planted: a few topics with a single
        replica (among those carrying tier-1 flows) or a retention shorter than their lag
        alert's window and response."""
        kept_days: dict[str, int] = {}
        for policy in self.data["policies"]:
            if policy["kind"] == "dead_letter":
                dlq = policy["dlq"]
                kept_days[dlq] = max(kept_days.get(dlq, 0), policy["retention_days"])
                policy["redrive_within_seconds"] = self.rng.choice((86_400, 259_200))
            elif policy["kind"] == "alert" and "route" in policy:
                policy["response_seconds"] = RESPONSE_SECONDS[policy["severity"]]
        topics = []
        for component in self.data["components"]:
            kind, channel = component["kind"], component["id"]
            cleanup, retention = "delete", 7 * DAY_MS
            if kind == "topic" and channel.endswith(".stream"):
                partitions, retention = self.rng.choice((24, 48)), self.rng.choice((1, 3)) * DAY_MS
            elif kind == "topic" and channel.split(".")[-2] in COMPACTED:
                partitions, cleanup, retention = self.rng.choice((6, 12)), "compact", -1
            elif kind == "topic":
                partitions = self.rng.choice((6, 12, 24))
                retention = self.pick({7: 70, 3: 15, 14: 15}) * DAY_MS
            elif kind == "queue":
                partitions = self.rng.choice((3, 6, 12))
            elif kind == "dead_letter_queue":
                partitions, retention = 1, kept_days.get(channel, 14) * DAY_MS
            else:
                continue
            component |= {"partitions": partitions, "retention_ms": retention}
            component |= {"replication_factor": 3, "min_insync_replicas": 2}
            component["cleanup_policy"] = cleanup
            if kind == "topic":
                topics.append(component)
        tier_one = {
            channel
            for flow_id, (_, channel, _) in self.carriers.items()
            if 1 in (self.flow_edges[flow_id].source.tier, self.flow_edges[flow_id].target.tier)
        }
        carrying = [t for t in topics if t["id"] in tier_one]
        single = {t["id"] for t in self.plant(carrying, SINGLE_REPLICA_RATE, len(topics))}
        watched = []
        for topic in topics:
            publisher = self.by_id[topic["id"].split(".")[0]]
            if topic["id"] in single:
                topic |= {"replication_factor": 1, "min_insync_replicas": 1}
            if publisher.tier == 1 or self.chance(LAG_ALERT_SHARE):
                self.lag_alert(topic["id"], publisher)
                if topic["cleanup_policy"] == "delete" and topic["id"] not in single:
                    watched.append(topic)
        for topic in self.plant(watched, SHORT_RETENTION_RATE, len(topics)):
            topic["retention_ms"] = SHORT_RETENTION_MS

    def lag_alert(self, topic: str, publisher: _System) -> None:
        severity = "critical" if publisher.tier == 1 else "error"
        alert = {"id": f"alert-lag-{topic}", "kind": "alert", "applies_to": [topic]}
        alert |= {"metric": "consumer_lag_seconds", "operator": "gt", "threshold": 300}
        alert |= {"window_seconds": LAG_ALERT_WINDOW_SECONDS, "severity": severity}
        alert |= {"route": self.on_call[publisher.team]}
        self.data["policies"].append(alert | {"response_seconds": RESPONSE_SECONDS[severity]})

    def data_stores(self) -> None:
        """A database of its own for every core system and about half of the services, a
        cache (optional) for about a third of the BFFs. Planted: a few tier-1 systems whose
        only store is a cache that keeps nothing across a restart, on one node."""
        cache_only = {s.id for s in self.plant([s for s in self.systems if s.tier == 1],
                                               CACHE_ONLY_RATE)}  # fmt: skip
        for system in self.systems:
            layer = self.layer[system.id]
            if system.id in cache_only:
                self.store(system, layer, "cache", required=True)
            elif layer == "core" or (layer == "service" and self.chance(SERVICE_DATABASE_SHARE)):
                self.store(system, layer, "database", required=True)
            elif layer == "bff" and self.chance(BFF_CACHE_SHARE):
                self.store(system, layer, "cache", required=False)

    def store(self, system: _System, layer: str, store_type: str, *, required: bool) -> None:
        """The system's data store and its call to it, with the system's credential and a
        timeout (a tier-1 system's, half of the time, a circuit breaker); no contract (a
        store is not a service)."""
        store_id = f"{system.id}-{'db' if store_type == 'database' else 'cache'}"
        if store_type == "database":
            engine, persistence, replicas = self.pick(ENGINES[layer]), "durable", 3
        else:
            engine, persistence, replicas = "redis", "none", 1
        self.data["systems"].append(
            {"id": store_id, "name": f"{system.id} {store_type}", "owner": system.team,
             "trust_zone": system.zone, "tier": system.tier,
             "technology": STORE_TECHNOLOGIES[engine], "kind": "data_store",
             "store_type": store_type, "engine": engine, "persistence": persistence,
             "replicas": replicas, "tags": [system.domain, "data-store"]}
        )  # fmt: skip
        flow_id = self.new_flow_id(system.domain, system.domain)
        credential = self.credential(system)
        flow: dict[str, Any] = {"id": flow_id, "source": system.id, "target": store_id}
        flow |= {"pattern": "request_response", "mutating": True, "consistency": "strong"}
        flow["volume_per_day"] = int(self.rng.lognormvariate(9, 2)) + 1
        flow["latency_p99_ms"] = self.rng.choice((5, 10, 25))
        flow["credential"] = credential["id"]
        flow["transport_encryption"] = "mtls" if credential["kind"] == "mtls" else "tls"
        if not required:
            flow |= {"required": False, "fallback": "It reads through to the services."}
        self.data["flows"].append(flow)
        timeout = self.rng.choice(STORE_TIMEOUTS_MS[layer])
        self.timeout(flow_id, timeout, timeout)
        if system.tier == 1 and self.chance(0.5):  # as half of the calls to tier-1 cores
            self.breaker(flow_id)

    def actors(self) -> None:
        """One actor per channel kind the landscape has, calling each channel system of the
        kind over TLS (no credential, no contract: actors are not services)."""
        for kind, actor in ACTORS.items():
            channels = [s for s in self.everywhere.get("channel", [])
                        if self.channel_kinds[s.id] == kind]  # fmt: skip
            if not channels:
                continue
            self.data["systems"].append(actor | {"kind": "actor", "tags": [kind, "actor"]})
            for channel in channels:
                flow_id = self.new_flow_id(actor["id"], channel.domain)
                flow = {"id": flow_id, "source": actor["id"], "target": channel.id}
                flow |= {"pattern": "request_response", "consistency": "strong"}
                flow["volume_per_day"] = int(self.rng.lognormvariate(10, 2)) + 1
                flow["latency_p99_ms"] = self.rng.choice(ACTOR_LATENCIES_MS)
                self.data["flows"].append(flow | {"transport_encryption": "tls"})

    def degradable_calls(self) -> None:
        """About 30 % of the BFFs' calls to services are optional: the BFF answers without
        them."""
        for flow in self.data["flows"]:
            edge = self.flow_edges.get(flow["id"])
            if edge is None or edge.layer != "middle" or not self.chance(DEGRADABLE_SHARE):
                continue
            if flow["mutating"]:
                fallback = "The BFF accepts the request and confirms it later."
            else:
                fallback = self.rng.choice(
                    (
                        "The BFF answers without this part; the channel shows it unavailable.",
                        "The BFF answers with the last response it cached, marked stale.",
                    )
                )
            flow |= {"required": False, "fallback": fallback}

    def replies(self) -> None:
        """About 20 % of the commands are answered on a reply topic of the requester on the
        command's broker, matched by correlation id, waited for 5-30 s. Planted: a few
        without a timeout, and a few replying to the address the request names instead."""
        commands = [f for f in self.data["flows"] if f["pattern"] == "command"]
        replied = self.plant(commands, REPLY_SHARE)
        addressed = {f["id"] for f in self.plant(replied, REPLY_ADDRESS_RATE)}
        rest = [f for f in replied if f["id"] not in addressed]
        endless = {f["id"] for f in self.plant(rest, REPLY_WITHOUT_TIMEOUT_RATE)}
        for flow in replied:
            reply: dict[str, Any] = {"correlation_key": "correlation_id"}
            if flow["id"] in addressed:
                reply["address_header"] = "reply-topic"
            else:
                broker = self.carriers[flow["id"]][0]
                reply["via"] = [broker, self.reply_topic(flow["source"], broker)]
            if flow["id"] not in endless:
                reply["timeout_ms"] = self.rng.choice((5_000, 10_000, 30_000))
            flow["reply"] = reply

    def reply_topic(self, requester: str, broker: str) -> str:
        """The requester's reply topic on the broker, created on first use."""
        topic = f"{requester}.{broker}.replies"
        if topic not in self.topics:
            self.topics[topic] = broker
            self.data["components"].append(
                {"id": topic, "kind": "topic", "part_of": broker,
                 "owner": self.by_id[requester].team, "partitions": 6, "retention_ms": DAY_MS,
                 "replication_factor": 3, "min_insync_replicas": 2, "cleanup_policy": "delete"}
            )  # fmt: skip
        return topic

    def broker_credentials(self) -> None:
        """Every system consuming from a broker (flows it receives, replies it waits for)
        holds one SASL/SCRAM credential towards the production instances of those brokers
        (and of the schema registry, for Avro), reading what it consumes in its own consumer
        group, writing its dead-letter queues and the replies it sends; async flows name it
        as their receiver_credential. Planted: a few consumers without one, and a few
        credentials with a wildcard channel."""
        avro = {c["id"] for c in self.data["contracts"] if c["kind"] == "avro"}
        access: dict[str, dict[str, set[str]]] = {}
        towards: dict[str, dict[str, None]] = {}
        consumers: dict[str, None] = {}

        def grant(system: str, channel: str, right: str, broker: str) -> None:
            access.setdefault(system, {}).setdefault(channel, set()).add(right)
            towards.setdefault(system, {})[f"{broker}-prod"] = None

        for flow in self.data["flows"]:
            carrier = self.carriers.get(flow["id"])
            if carrier is None:
                continue
            broker, channel, dlq = carrier
            target = flow["target"]
            consumers[target] = None
            grant(target, channel, "read", broker)
            grant(target, dlq, "write", broker)
            if flow.get("contract") in avro:
                towards[target][f"{REGISTRY}-prod"] = None
            reply = flow.get("reply", {}).get("via")
            if reply:
                grant(target, reply[-1], "write", broker)
                grant(flow["source"], reply[-1], "read", broker)
        unidentified = set(self.plant(list(consumers), UNIDENTIFIED_CONSUMER_RATE))
        holders = [s for s in access if s not in unidentified]
        credentials = {}
        for system in holders:
            permissions = [
                {"channel": channel, "access": sorted(rights)}
                for channel, rights in access[system].items()
            ]
            permissions.append({"consumer_group": system, "access": ["read"]})
            credential = {"id": f"cred-{system}-kafka", "kind": "sasl_scram"}
            credential |= {"secret_ref": f"vault://kv/kafka/{system}", "held_by": [system]}
            credential |= {"towards": sorted(towards[system]), "environments": ["prod"]}
            credential |= {"rotation_days": self.rng.choice((90, 180))}
            credentials[system] = credential | {"permissions": permissions}
        for i, credential in enumerate(self.plant(list(credentials.values()), WILDCARD_RATE)):
            system = credential["held_by"][0]
            wildcard = "*" if i % 2 == 0 else f"{self.by_id[system].domain}-*"
            credential["permissions"].append({"channel": wildcard, "access": ["read"]})
        self.data["credentials"] += credentials.values()
        for flow in self.data["flows"]:
            if flow["id"] in self.carriers and flow["target"] in credentials:
                flow["receiver_credential"] = credentials[flow["target"]]["id"]

    def topology_decisions(self) -> None:
        """The accepted decisions behind the environment instances and the broker
        credentials, governing each of them."""
        governed = (
            [c["id"] for c in self.data["components"] if "instance_of" in c],
            [c["id"] for c in self.data["credentials"] if c["kind"] == "sasl_scram"],
        )
        for (number, title, context, options, decision, consequences), ids in zip(
            TOPOLOGY_DECISIONS, governed, strict=True
        ):
            if not ids:
                continue
            record = {"id": number, "title": title, "status": "accepted", "date": self.date()}
            record |= {"deciders": ["architecture-board"], "context": context}
            record |= {"options": [{"name": name} for name in options]}
            record |= {"chosen_option": options[-1], "decision": decision}
            self.data["decisions"].append(record | {"consequences": consequences, "governs": ids})


def planted_count(population: int, rate: float) -> int:
    """How many of a population of this size a planted defect at this rate takes: at least
    one when there is any."""
    return max(1, round(population * rate)) if population else 0


def _stream(rng: random.Random, name: str) -> random.Random:
    """A random stream of its own, derived from `rng`'s state without drawing from it."""
    digest = hashlib.sha256(f"{name}:{rng.getstate()!r}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
