"""The landscape: every element parsed from a blueprint's files, by kind, with its source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Self

from pydantic import model_validator

from integraph.model.blueprint import Blueprint, Waiver
from integraph.model.components import Component
from integraph.model.contracts import (
    Contract,
    ContractVersion,
    Field,
    FieldPart,
    field_id,
    version_id,
)
from integraph.model.decisions import Decision
from integraph.model.element import Element, Model, SourceLocation
from integraph.model.flows import Flow
from integraph.model.policies import Policy
from integraph.model.security import Credential, DataClassification
from integraph.model.systems import System, Team

LIST_SECTIONS: tuple[str, ...] = (
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


class BlueprintFile(Model):
    """What one blueprint file may hold: every section is optional."""

    blueprint: Blueprint | None = None
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
        """Every field as (version id, part, field, field id)."""
        for _, version, vid in self.versions():
            for part, item in version.fields():
                yield vid, part, item, field_id(vid, part.value, item.path)

    def source(self, element_id: str) -> SourceLocation | None:
        """Where the element, version, field or review with this id was defined."""
        return self.sources.get(element_id)
