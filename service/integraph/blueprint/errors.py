"""Typed problems found in blueprint files, and the exception carrying all of them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IssueKind(StrEnum):
    YAML_SYNTAX = "yaml_syntax"
    UNKNOWN_FIELD = "unknown_field"
    WRONG_TYPE = "wrong_type"
    INVALID_VALUE = "invalid_value"
    MISSING_FIELD = "missing_field"
    DANGLING_REFERENCE = "dangling_reference"
    DUPLICATE_ID = "duplicate_id"
    REFERENCE_CYCLE = "reference_cycle"
    SECRET = "secret"
    LIMIT_EXCEEDED = "limit_exceeded"
    """The file crosses one of the BlueprintLimits (size, nesting, aliases, value size)."""
    UNREADABLE_PATH = "unreadable_path"
    """A path that cannot be read as a blueprint file (dangling symlink, symlink loop, ...)."""
    EMPTY_FILE = "empty_file"
    """A notice: the file holds no YAML document, so nothing was read from it."""
    SKIPPED_PATH = "skipped_path"
    """A notice: a path was not read (the same file reached twice, not a regular file)."""


@dataclass(frozen=True)
class BlueprintIssue:
    """One problem, at a 1-based line and column of a file, about an element's field."""

    file: str
    line: int
    column: int
    element_id: str | None
    field: str | None
    kind: str
    message: str
    element_kind: str | None = None
    """Singular noun of the element (`flow`), used when printing."""
    severity: str = "error"
    """`error` (the files are refused) or `warning` (a notice: something was skipped)."""

    def __str__(self) -> str:
        subject = []
        if self.element_id is not None:
            subject.append(f"{self.element_kind or 'element'} '{self.element_id}'")
        elif self.element_kind is not None:
            subject.append(self.element_kind)
        if self.field is not None:
            subject.append(f"field '{self.field}'")
        where = f"{self.file}:{self.line}:{self.column}"
        if self.severity != "error":
            where = f"{where}: {self.severity}"
        if subject:
            return f"{where}: {' '.join(subject)}: {self.message}"
        return f"{where}: {self.message}"


class BlueprintInvalid(Exception):
    """The blueprint files have problems; `issues` lists every one of them.

    `notices` lists what was skipped and why (warnings that alone would not refuse the files).
    """

    def __init__(
        self, issues: list[BlueprintIssue], notices: list[BlueprintIssue] | None = None
    ) -> None:
        self.issues = issues
        self.notices = list(notices or [])
        super().__init__(f"{len(issues)} problem(s) in the blueprint files")

    def __str__(self) -> str:
        lines = [f"{len(self.issues)} problem(s) in the blueprint files:"]
        lines.extend(str(issue) for issue in self.issues)
        lines.extend(str(notice) for notice in self.notices)
        return "\n".join(lines)
