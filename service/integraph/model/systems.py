"""Teams and the systems they own."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from integraph.model.element import Element, ElementRef, Model


class TrustZone(StrEnum):
    INTERNAL = "internal"
    PARTNER = "partner"
    PUBLIC = "public"
    REGULATED = "regulated"


class Lifecycle(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class SystemKind(StrEnum):
    SERVICE = "service"
    """An application or service (the default)."""
    DATA_STORE = "data_store"
    """A database, cache, object store or search index its systems read and write."""
    ACTOR = "actor"
    """People or clients outside the landscape: customers, anonymous browsers, partners'
    users. Service-to-service rules (owner, credential, timeouts) do not apply to them."""


class StoreType(StrEnum):
    DATABASE = "database"
    CACHE = "cache"
    OBJECT_STORE = "object_store"
    SEARCH_INDEX = "search_index"
    OTHER = "other"


class Persistence(StrEnum):
    NONE = "none"
    """In memory only: a restart loses everything."""
    SNAPSHOT = "snapshot"
    """Periodic snapshots: a crash loses what was written since the last one."""
    DURABLE = "durable"
    """Every acknowledged write survives a crash (write-ahead log, fsync per write)."""


class ActorType(StrEnum):
    PERSON = "person"
    """Identified people: customers, employees."""
    ANONYMOUS = "anonymous"
    """Clients nobody has identified: an anonymous shopper's browser."""
    PARTNER_USER = "partner_user"
    """Users of a partner organisation."""


class Channel(StrEnum):
    INTERNET = "internet"
    INTERNAL_NETWORK = "internal_network"
    PARTNER_NETWORK = "partner_network"
    BRANCH = "branch"


class Endpoint(Model):
    """Where a system is reached in one environment."""

    environment: ElementRef
    """Environment id."""
    url: str = Field(min_length=1)
    """Its address there, e.g. `https://payments.test.bank.example`."""


def _by_environment(endpoints: list[Endpoint]) -> list[Endpoint]:
    # Stored as parallel lists, read back in this order.
    return sorted(endpoints, key=lambda e: (e.environment, e.url))


_STORE_FACTS = ("store_type", "engine", "persistence", "replicas")
_ACTOR_FACTS = ("actor_type", "channel")


class Team(Element):
    """A team owning systems, components, contracts; the on-call route receives alerts."""

    name: str | None = None
    description: str | None = None
    email: str | None = None
    on_call: str | None = None
    """Alert route, e.g. `pagerduty://payments-oncall`."""
    tags: list[str] = []


class System(Element):
    """An application or service taking part in integrations."""

    name: str | None = None
    description: str | None = None
    owner: ElementRef | None = None
    """Team id."""
    trust_zone: TrustZone
    external: bool = False
    """Operated by a third party."""
    tier: int | None = Field(default=None, ge=1, le=4)
    """Criticality tier, 1 = most critical."""
    lifecycle: Lifecycle = Lifecycle.ACTIVE
    technology: str | None = None
    kind: SystemKind = SystemKind.SERVICE
    store_type: StoreType | None = None
    """For a data store (required there): database, cache, object_store, search_index."""
    engine: str | None = None
    """For a data store: the product, e.g. `redis`, `postgresql`."""
    persistence: Persistence | None = None
    """For a data store: whether acknowledged writes survive a restart."""
    replicas: int | None = Field(default=None, ge=1)
    """For a data store: copies of the data kept (1 = a single copy)."""
    actor_type: ActorType | None = None
    """For an actor (required there): person, anonymous, partner_user."""
    channel: Channel | None = None
    """For an actor: where it comes from (internet, internal_network, ...)."""
    endpoints: Annotated[list[Endpoint], AfterValidator(_by_environment)] = []
    """Its address in each environment."""
    tags: list[str] = []

    @model_validator(mode="after")
    def _facts_of_its_kind(self) -> Self:
        for kind, facts in (
            (SystemKind.DATA_STORE, _STORE_FACTS),
            (SystemKind.ACTOR, _ACTOR_FACTS),
        ):
            if self.kind is kind:
                continue
            given = [name for name in facts if getattr(self, name) is not None]
            if given:
                raise ValueError(
                    f"{', '.join(given)} only describe a system of kind {kind.value} "
                    f"(this one is {self.kind.value}): set kind: {kind.value} or remove them"
                )
        if self.kind is SystemKind.DATA_STORE and self.store_type is None:
            raise ValueError("a data store needs store_type (database, cache, object_store, ...)")
        if self.kind is SystemKind.ACTOR and self.actor_type is None:
            raise ValueError("an actor needs actor_type (person, anonymous, partner_user)")
        return self
