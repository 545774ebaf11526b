"""Lint rules: one ``.cypher`` file each, a metadata header in ``//`` comments, then one query.

    // id: RES-01
    // title: Asynchronous flow without a dead-letter destination
    // severity: error
    // area: error-handling
    // tags: [dead-letter]
    // rationale: >
    //   ...
    // remediation: ...
    // references:
    //   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/DeadLetterChannel.html
    // parameters:
    //   min_deliveries: 5
    MATCH ...
    RETURN f.id AS element, [...] AS related, '...' AS message, {...} AS details
    ORDER BY element

The query is read-only and returns one row per violation: ``element`` (the id the finding is
about), optional ``related`` (more key ids), ``message``, optional ``details`` (a map).

A rule whose logic is shared with another capability names a Python check in its header
(``// check: contract_compatibility``): its query then returns the check's input rows, and the
check (``integraph.lint.checks``) turns them into violation rows of the shape above.

This module only reads rule files: it does not import the checks (they import the findings,
which import this module). ``integraph.lint.loading.load_rules`` reads the rules and then
checks the names of their checks against the registry; lint runs load rules through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from ruamel.yaml.error import YAMLError

from integraph.bounded_yaml import read_located
from integraph.errors import IntegraphError
from integraph.resources import cypher_dir

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{2,}$")
AREAS = ("contracts", "error-handling", "security", "decisions", "governance")


class Severity(IntEnum):
    """Ordered so that ``severity >= Severity.WARNING`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"'{value}' is not a severity (error, warning, info)") from None

    def __str__(self) -> str:
        return self.name.lower()


class RuleInvalid(IntegraphError):
    """A rule file's header or query is unusable; names the file."""

    exit_code = 2


class RuleMeta(BaseModel):
    """The header of a rule file."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = Field(min_length=3)
    severity: str
    area: str
    rationale: str = Field(min_length=10)
    remediation: str = Field(min_length=5)
    references: list[str] = Field(min_length=1)
    tags: list[str] = []
    parameters: dict[str, Any] = {}
    check: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("must look like AREA-NN, e.g. SEC-01")
        return value

    @field_validator("severity")
    @classmethod
    def _severity(cls, value: str) -> str:
        Severity.parse(value)
        return value.lower()

    @field_validator("area")
    @classmethod
    def _area(cls, value: str) -> str:
        if value not in AREAS and not re.match(r"^[a-z][a-z0-9-]*$", value):
            raise ValueError("must be a lower-case word such as security")
        return value


@dataclass(frozen=True)
class Rule:
    """A parsed rule: its metadata, its query and where it came from."""

    id: str
    title: str
    severity: Severity
    area: str
    rationale: str
    remediation: str
    references: tuple[str, ...]
    tags: tuple[str, ...]
    parameters: dict[str, Any] = field(hash=False, compare=False)
    query: str = field(repr=False)
    path: Path
    builtin: bool
    check: str | None = None

    @property
    def help_uri(self) -> str:
        return self.references[0]


def parse_rule(path: Path, *, builtin: bool = False) -> Rule:
    """Read one rule file; a bad header or an empty query raises RuleInvalid naming the file."""
    text = path.read_text(encoding="utf-8")
    header: list[str] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines) and (lines[index].startswith("//") or not lines[index].strip()):
        line = lines[index]
        if line.startswith("//"):
            header.append(line[3:] if line.startswith("// ") else line[2:])
        index += 1
    query = "\n".join(lines[index:]).strip()
    try:
        raw = read_located("\n".join(header)) or {}
    except YAMLError as exc:
        raise RuleInvalid(f"{path}: the rule header is not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise RuleInvalid(f"{path}: the rule header must be `// key: value` lines")
    try:
        meta = RuleMeta.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'header'}: {e['msg']}" for e in exc.errors()
        )
        raise RuleInvalid(f"{path}: invalid rule header: {problems}") from None
    if not query:
        raise RuleInvalid(f"{path}: rule {meta.id} has no query after its header")
    if not re.search(r"\bRETURN\b", query, re.IGNORECASE):
        raise RuleInvalid(f"{path}: rule {meta.id}'s query returns nothing (no RETURN)")
    return Rule(
        id=meta.id,
        title=meta.title,
        severity=Severity.parse(meta.severity),
        area=meta.area,
        rationale=" ".join(meta.rationale.split()),
        remediation=" ".join(meta.remediation.split()),
        references=tuple(meta.references),
        tags=tuple(meta.tags),
        parameters=dict(meta.parameters),
        query=query,
        path=path,
        builtin=builtin,
        check=meta.check,
    )


def builtin_rules_dir() -> Path:
    return cypher_dir() / "rules"


def read_rules(extra_dirs: list[Path] | None = None) -> list[Rule]:
    """The built-in catalogue plus the rule files of ``extra_dirs``, sorted by id.

    The headers are validated, but not the names of the checks rules delegate to: use
    ``integraph.lint.loading.load_rules`` for rules that are going to run.
    """
    rules = [parse_rule(p, builtin=True) for p in sorted(builtin_rules_dir().rglob("*.cypher"))]
    for folder in extra_dirs or []:
        if not folder.is_dir():
            raise RuleInvalid(f"{folder}: not a folder of rule files")
        rules.extend(parse_rule(p) for p in sorted(folder.rglob("*.cypher")))
    seen: dict[str, Path] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleInvalid(
                f"{rule.path}: rule id {rule.id} is already defined in {seen[rule.id]}"
            )
        seen[rule.id] = rule.path
    return sorted(rules, key=lambda r: r.id)


def _unknown(kind: str, asked: list[str] | None, known: set[str], *, listed: bool) -> str | None:
    missing = sorted(set(asked or []) - known)
    if not missing:
        return None
    message = f"unknown {kind}(s): {', '.join(missing)}"
    return f"{message} (known: {', '.join(sorted(known)) or 'none'})" if listed else message


def select_rules(
    rules: list[Rule],
    *,
    ids: list[str] | None = None,
    areas: list[str] | None = None,
    tags: list[str] | None = None,
    min_severity: Severity = Severity.INFO,
    severities: dict[str, Severity] | None = None,
) -> list[Rule]:
    """The rules matching every given filter (ids, areas, tags, minimum effective severity).

    An id, area or tag that no rule has is an error, so that a typo in CI does not select
    nothing and pass.
    """
    problems = [
        _unknown("rule id", ids, {r.id for r in rules}, listed=False),
        _unknown("area", areas, {r.area for r in rules}, listed=True),
        _unknown("tag", tags, {t for r in rules for t in r.tags}, listed=True),
    ]
    if any(problems):
        raise RuleInvalid("; ".join(p for p in problems if p))
    chosen = []
    for rule in rules:
        severity = (severities or {}).get(rule.id, rule.severity)
        if ids and rule.id not in ids:
            continue
        if areas and rule.area not in areas:
            continue
        if tags and not set(tags) & set(rule.tags):
            continue
        if severity < min_severity:
            continue
        chosen.append(rule)
    return chosen
