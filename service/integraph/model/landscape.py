"""The landscape: every element parsed from a blueprint's files, by kind, with its source."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Self

from pydantic import model_validator

from integraph.model.blueprint import Blueprint, Waiver
from integraph.model.components import Component
from integraph.model.contracts import (
    Contract,
    ContractVersion,
    Field,
    FieldPart,
    TypeResolver,
    VersionField,
    type_resolver,
    version_id,
)
from integraph.model.decisions import Decision
from integraph.model.element import Element, Model, SourceLocation
from integraph.model.environments import Environment
from integraph.model.flows import Flow
from integraph.model.policies import Policy
from integraph.model.security import Credential, DataClassification
from integraph.model.systems import System, Team

LIST_SECTIONS: tuple[str, ...] = (
    "environments",
    "teams",
    "systems",
    "components",
    "contracts",
    "flows",
    "policies",
    "credentials",
    "classifications",
    "decisions",
    "waivers",
)
"""Top-level keys holding lists of elements, in a fixed order."""

SECTIONS: tuple[str, ...] = ("blueprint", *LIST_SECTIONS)
"""Every top-level key a blueprint file may hold."""

NOUNS: dict[str, str] = {
    "blueprint": "blueprint",
    "environments": "environment",
    "teams": "team",
    "systems": "system",
    "components": "component",
    "contracts": "contract",
    "flows": "flow",
    "policies": "policy",
    "credentials": "credential",
    "classifications": "classification",
    "decisions": "decision",
    "waivers": "waiver",
}
"""The singular noun naming one element of a section, for messages."""


SECTION_MODELS: dict[str, type[Model]] = {
    "blueprint": Blueprint,
    "environments": Environment,
    "teams": Team,
    "systems": System,
    "components": Component,
    "contracts": Contract,
    "flows": Flow,
    "credentials": Credential,
    "classifications": DataClassification,
    "decisions": Decision,
    "waivers": Waiver,
}
"""Model class per section; `policies` are chosen by their `kind` (see POLICY_MODELS)."""


@dataclass(frozen=True)
class LandscapeCount:
    """How many of each kind a landscape holds, counted as the graph stores them.

    `by_kind` has one entry per node kind (the blueprint, its reviews, each section's
    elements, contract versions and fields); `total` is their sum, the number of graph nodes
    a load writes; `elements` counts top-level elements only (sections' entries).
    """

    by_kind: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def elements(self) -> int:
        return sum(self.by_kind[NOUNS[section]] for section in LIST_SECTIONS)


COUNT_KINDS: tuple[str, ...] = (
    "blueprint",
    "review",
    *(NOUNS[s] for s in LIST_SECTIONS[:5]),
    "contract version",
    "operation",
    "field",
    *(NOUNS[s] for s in LIST_SECTIONS[5:]),
)
"""The kinds of LandscapeCount.by_kind, in printing order."""


class BlueprintFile(Model):
    """What one blueprint file may hold: every section is optional."""

    blueprint: Blueprint | None = None
    environments: list[Environment] = []
    teams: list[Team] = []
    systems: list[System] = []
    components: list[Component] = []
    contracts: list[Contract] = []
    flows: list[Flow] = []
    policies: list[Policy] = []
    credentials: list[Credential] = []
    classifications: list[DataClassification] = []
    decisions: list[Decision] = []
    waivers: list[Waiver] = []


class Landscape(BlueprintFile):
    """All elements of a blueprint, each list sorted by id, with where each id was defined.

    `sources` has an entry per element id, contract version id, field id and review id.
    """

    sources: dict[str, SourceLocation] = {}

    @model_validator(mode="after")
    def _sort_by_id(self) -> Self:
        # One canonical order, so landscapes built from files, from the graph or by hand
        # compare equal when they hold the same elements.
        for section in LIST_SECTIONS:
            items = getattr(self, section)
            setattr(self, section, sorted(items, key=lambda item: item.id))
        return self

    def elements(self) -> Iterator[tuple[str, Element]]:
        """Every top-level element (not the blueprint) with its section name."""
        for section in LIST_SECTIONS:
            for item in getattr(self, section):
                yield section, item

    def by_id(self) -> dict[str, Element]:
        """Top-level elements (and the blueprint) by id."""
        index: dict[str, Element] = {item.id: item for _, item in self.elements()}
        if self.blueprint is not None:
            index[self.blueprint.id] = self.blueprint
        return index

    def versions(self) -> Iterator[tuple[Contract, ContractVersion, str]]:
        """Every contract version with its contract and its id, oldest first per contract."""
        for contract in self.contracts:
            for version in contract.versions:
                yield contract, version, version_id(contract.id, version.version)

    def fields(self) -> Iterator[tuple[str, FieldPart, Field, str]]:
        """Every field the graph holds as (version id, part, field, field id): operations'
        fields and those brought in by named types included."""
        for contract, version, vid in self.versions():
            for item in version.expanded_fields(self.type_resolver(contract.id, version)):
                yield vid, item.part, item.field, f"{vid}#{item.key}"

    def version_fields(self, contract: Contract, version: ContractVersion) -> list[VersionField]:
        """The fields of one of its versions as the graph holds them."""
        return version.expanded_fields(self.type_resolver(contract.id, version))

    def type_resolver(self, contract_id: str, version: ContractVersion) -> TypeResolver:
        """Resolves a field's `ref` written in this version: a name of its own types, or
        `<contract>@<version>#<name>` of a contract version of this landscape."""
        return type_resolver(self.contracts_by_id, contract_id, version)

    @cached_property
    def contracts_by_id(self) -> dict[str, Contract]:
        return {c.id: c for c in self.contracts}

    def count(self) -> LandscapeCount:
        """Elements by kind as the graph stores them (reviews, versions and fields included)."""
        by_kind = dict.fromkeys(COUNT_KINDS, 0)
        if self.blueprint is not None:
            by_kind["blueprint"] = 1
            by_kind["review"] = len(self.blueprint.reviews)
        for section in LIST_SECTIONS:
            by_kind[NOUNS[section]] = len(getattr(self, section))
        for contract in self.contracts:
            by_kind["contract version"] += len(contract.versions)
            for version in contract.versions:
                by_kind["field"] += len(self.version_fields(contract, version))
                by_kind["operation"] += len(version.operations)
        return LandscapeCount(by_kind)

    def source(self, element_id: str) -> SourceLocation | None:
        """Where the element, version, field or review with this id was defined."""
        return self.sources.get(element_id)
