"""Reading blueprint files (YAML, many files in a folder) into a validated landscape."""

from __future__ import annotations

import dataclasses
import difflib
import errno
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from integraph.blueprint.errors import BlueprintInvalid, BlueprintIssue, IssueKind
from integraph.blueprint.references import ExternalReference, check_references
from integraph.blueprint.secrets import find_secrets
from integraph.blueprint.source import Located, RawElement, field_path
from integraph.blueprint.validate import ValidModels, check_schema
from integraph.bounded_yaml import YamlLimitError, YamlList, YamlMap, read_located
from integraph.limits import DEFAULT_LIMITS, BlueprintLimits, size_text
from integraph.model import (
    LIST_SECTIONS,
    NOUNS,
    SECTIONS,
    Blueprint,
    Contract,
    Landscape,
    operation_id,
    review_id,
    version_id,
)

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class BlueprintFilePath:
    """A file to read: where it is, how to print it, and its path relative to its root."""

    path: Path
    shown: str
    relative: str


@dataclass(frozen=True)
class ReadResult:
    """A validated landscape, and what was skipped while reading it (and why)."""

    landscape: Landscape
    notices: list[BlueprintIssue]
    """Warnings (`severity == "warning"`): empty files, files reached twice, odd entries."""
    files: int
    """How many files were read."""
    external: list[ExternalReference] = dataclasses.field(default_factory=list)
    """References into the blueprints named in `uses:`, to check against the graph."""


def load_blueprint_files(paths: list[Path], *, limits: BlueprintLimits | None = None) -> Landscape:
    """Read, validate and assemble the blueprint in `paths` (files or folders).

    Raises BlueprintInvalid carrying every problem found, in file and line order per phase.
    """
    return read_blueprint_files(paths, limits=limits).landscape


def read_blueprint_files(
    paths: list[Path],
    *,
    limits: BlueprintLimits | None = None,
    found: FoundFiles | None = None,
) -> ReadResult:
    """Like `load_blueprint_files`, with the notices of what was skipped and why.

    Raises BlueprintInvalid (its `issues`, and its `notices` too) when any problem is found.
    """
    limits = limits or DEFAULT_LIMITS
    found = found or discover_blueprint_files(paths)  # a caller may have walked them already
    files, notices = found.files, list(found.notices)
    syntax: list[BlueprintIssue] = list(found.problems)
    if not files and not syntax:
        shown = ", ".join(str(p) for p in paths) or "."
        raise BlueprintInvalid(
            [_file_issue(shown, "", IssueKind.MISSING_FIELD, "no *.yaml or *.yml files found")],
            notices,
        )
    structure: list[BlueprintIssue] = []
    elements: list[RawElement] = []
    for file in files:
        document, problem = read_yaml(file, limits)
        if problem is not None:
            (notices if problem.severity != "error" else syntax).append(problem)
            continue
        found_elements, problems = split_sections(document, file)
        elements.extend(found_elements)
        structure.extend(problems)
    valid, problems = check_schema(elements)
    structure.extend(problems)
    external: list[ExternalReference] = []
    references = check_references(elements, valid, complete=not syntax, external=external)
    if not syntax and files and not any(raw.section == "blueprint" for raw in elements):
        message = "no file has a 'blueprint' section (id, name, version, status)"
        references.append(
            _file_issue(files[0].shown, files[0].relative, IssueKind.MISSING_FIELD, message)
        )
    issues = syntax + _ordered(structure) + _ordered(references)
    if issues:
        raise BlueprintInvalid(issues, notices)
    return ReadResult(assemble(valid), notices, len(files), external)


@dataclass(frozen=True)
class FoundFiles:
    """The files under the given paths, paths that cannot be read, and what was skipped."""

    files: list[BlueprintFilePath]
    problems: list[BlueprintIssue]
    notices: list[BlueprintIssue]


_BLUEPRINT_SECTION = re.compile(r"""^["']?blueprint["']?[ \t]*:""", re.MULTILINE)


def split_by_blueprint(found: FoundFiles) -> list[FoundFiles]:
    """The files of each blueprint, when the paths hold several (a knowledge base).

    A folder whose files include one with a `blueprint:` section is that blueprint's root;
    each file belongs to the innermost root above it (its path stays relative to the path
    given, so reports point at it from there). Paths with one blueprint section or none are
    one group, exactly as found (a second
    section in the same folder is reported when the files are read). A file under no root,
    when there are several, is a problem of its own.
    """
    roots = sorted(
        {f.path.parent for f in found.files if _declares_blueprint(f.path)},
        key=lambda p: len(p.parts),
        reverse=True,
    )
    if len(roots) < 2:
        return [found]
    groups: dict[Path, list[BlueprintFilePath]] = {root: [] for root in roots}
    problems = list(found.problems)
    for file in found.files:
        root = next((r for r in roots if r in file.path.parents), None)
        if root is None:
            message = (
                "belongs to no blueprint: the paths hold several blueprints, and no folder "
                "above this file holds a file with a 'blueprint' section"
            )
            problems.append(
                _file_issue(file.shown, file.relative, IssueKind.MISSING_FIELD, message)
            )
            continue
        groups[root].append(file)
    ordered = sorted(groups.items(), key=lambda item: str(item[0]))
    return [
        FoundFiles(files, problems if i == 0 else [], found.notices if i == 0 else [])
        for i, (_, files) in enumerate(ordered)
    ]


def group_blueprint_id(found: FoundFiles, limits: BlueprintLimits = DEFAULT_LIMITS) -> str | None:
    """The id the group's blueprint section gives, read from that one file (None if unsure)."""
    for file in found.files:
        if not _declares_blueprint(file.path):
            continue
        document, problem = read_yaml(file, limits)
        if problem is None and isinstance(document, YamlMap):
            section = document.get("blueprint")
            if isinstance(section, YamlMap) and isinstance(section.get("id"), str):
                return str(section["id"])
    return None


def _declares_blueprint(path: Path) -> bool:
    """Whether the file has a top-level `blueprint:` key (a cheap look, before parsing)."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return False  # reported when the file is read
    return _BLUEPRINT_SECTION.search(text) is not None


def find_blueprint_files(paths: list[Path]) -> Iterator[BlueprintFilePath]:
    """Every YAML file under `paths`, folders recursively, sorted; hidden entries skipped."""
    yield from discover_blueprint_files(paths).files


def discover_blueprint_files(paths: list[Path]) -> FoundFiles:
    """Every YAML file under `paths` (folders recursively, following symlinks, sorted per
    root; hidden entries skipped), dangling symlinks and symlink loops as problems."""
    walk = _Walk()
    for root in paths:
        if root.is_dir():
            found: list[tuple[Path, str]] = []
            walk.folder(root, (), {root.resolve()}, found)
            for path, relative in sorted(found, key=lambda item: item[1]):
                walk.add(path, relative)
        else:
            walk.given(root)
    return FoundFiles(walk.files, walk.problems, walk.notices)


class _Walk:
    def __init__(self) -> None:
        self.files: list[BlueprintFilePath] = []
        self.problems: list[BlueprintIssue] = []
        self.notices: list[BlueprintIssue] = []
        self.seen: dict[Path, str] = {}

    def add(self, path: Path, relative: str) -> None:
        resolved = path.resolve()
        first = self.seen.get(resolved)
        if first is None:
            self.seen[resolved] = str(path)
            self.files.append(BlueprintFilePath(path, str(path), relative))
        elif first != str(path):
            message = f"skipped: the same file as {first} (through a symlink), read once"
            self.notices.append(_notice(str(path), IssueKind.SKIPPED_PATH, message))

    def given(self, path: Path) -> None:
        """A path named on the command line (not a folder)."""
        problem = _broken_link(path) if path.is_symlink() else None
        if problem is not None:
            self.problems.append(_file_issue(str(path), "", IssueKind.UNREADABLE_PATH, problem))
        elif path.exists() and not path.is_file():
            message = (
                "not a regular file (a pipe, socket or device); a blueprint is read from files"
            )
            self.problems.append(_file_issue(str(path), "", IssueKind.UNREADABLE_PATH, message))
        else:
            self.add(path, path.name)  # a missing file is reported when it is read

    def folder(
        self,
        folder: Path,
        parts: tuple[str, ...],
        ancestors: set[Path],
        found: list[tuple[Path, str]],
    ) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            message = f"cannot list the folder: {error.strerror or error}"
            self.problems.append(_file_issue(str(folder), "", IssueKind.UNREADABLE_PATH, message))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            relative = (*parts, entry.name)
            yaml_name = entry.name.endswith(SUFFIXES)
            if entry.is_symlink():
                problem = _broken_link(path)
                if problem is not None:
                    # A link whose target is unknown may stand for a folder of blueprint files.
                    maybe_ours = yaml_name or "." not in entry.name
                    issue = _file_issue(str(path), "", IssueKind.UNREADABLE_PATH, problem)
                    if maybe_ours:
                        self.problems.append(issue)
                    else:
                        self.notices.append(_notice(str(path), IssueKind.SKIPPED_PATH, problem))
                    continue
            if entry.is_dir():
                resolved = path.resolve()
                if resolved in ancestors:
                    message = (
                        f"symlink loop: leads back to {resolved}, a folder that holds it; "
                        "the folder is not read twice"
                    )
                    self.problems.append(
                        _file_issue(str(path), "", IssueKind.UNREADABLE_PATH, message)
                    )
                    continue
                self.folder(path, relative, ancestors | {resolved}, found)
            elif yaml_name:
                if entry.is_file():
                    found.append((path, "/".join(relative)))
                else:
                    message = "skipped: not a regular file (a pipe, socket or device)"
                    self.notices.append(_notice(str(path), IssueKind.SKIPPED_PATH, message))


def _broken_link(path: Path) -> str | None:
    """Why the symlink `path` cannot be followed, or None when it can."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return f"dangling symlink: points to {os.readlink(path)}, which does not exist"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"symlink loop: following {path} leads back to itself"
        return f"cannot follow the symlink: {error.strerror or error}"
    return None


def path_is_new(path: Path, seen: set[Path]) -> bool:
    resolved = path.resolve()
    if resolved in seen:
        return False
    seen.add(resolved)
    return True


def read_yaml(
    file: BlueprintFilePath, limits: BlueprintLimits = DEFAULT_LIMITS
) -> tuple[object, BlueprintIssue | None]:
    """The YAML document of `file` (with positions), or its problem.

    The problem is a warning (`severity == "warning"`) for a file that holds no document.
    """
    try:
        size = file.path.stat().st_size
        if size > limits.max_file_bytes:
            message = (
                f"the file is {size_text(size)} ({size:,} bytes); a blueprint file may be at "
                f"most {size_text(limits.max_file_bytes)}: split it into several files"
            )
            return None, _file_issue(file.shown, file.relative, IssueKind.LIMIT_EXCEEDED, message)
        # `utf-8-sig`: a byte-order mark that some editors write is read as nothing.
        text = file.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return None, _file_issue(
            file.shown, file.relative, IssueKind.YAML_SYNTAX, f"cannot read: {error}"
        )
    try:
        document = read_located(text, limits)
    except YamlLimitError as error:
        return None, _marked_issue(file, error, IssueKind.LIMIT_EXCEEDED)
    except MarkedYAMLError as error:
        return None, _marked_issue(file, error, IssueKind.YAML_SYNTAX)
    except YAMLError as error:
        return None, _file_issue(file.shown, file.relative, IssueKind.YAML_SYNTAX, str(error))
    if document is None:
        why = "it is empty" if not text.strip() else "it holds only comments"
        message = f"skipped: {why}, so it defines nothing"
        return None, _notice(file.shown, IssueKind.EMPTY_FILE, message)
    return document, None


def _marked_issue(
    file: BlueprintFilePath, error: MarkedYAMLError, kind: IssueKind
) -> BlueprintIssue:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = error.problem or str(error)
    if error.context and error.context_mark and error.context_mark is not mark:
        started = error.context_mark
        where = f"line {started.line + 1}, column {started.column + 1}"
        message = f"{error.context} (started at {where}): {message}"
    return BlueprintIssue(file.shown, line, column, None, None, kind.value, message)


def split_sections(
    document: object, file: BlueprintFilePath
) -> tuple[list[RawElement], list[BlueprintIssue]]:
    """The elements of one file's sections, and problems with the sections themselves."""
    if document is None:
        return [], []
    if not isinstance(document, YamlMap):
        message = f"a blueprint file should be a mapping with sections ({', '.join(SECTIONS)})"
        return [], [_file_issue(file.shown, file.relative, IssueKind.WRONG_TYPE, message)]
    elements: list[RawElement] = []
    issues: list[BlueprintIssue] = []
    origin = Located(file.shown, file.relative, 1, 1)
    for key, value in document.items():
        at = origin.at(document.key_at[key])
        if key not in SECTIONS:
            close = difflib.get_close_matches(str(key), SECTIONS, n=1)
            hint = (
                f" (did you mean '{close[0]}'?)"
                if close
                else f"; expected one of {', '.join(SECTIONS)}"
            )
            issues.append(_at(at, IssueKind.UNKNOWN_FIELD, f"unknown section{hint}", str(key)))
            issues.extend(_loose_secrets(value, key, at))
        elif key == "blueprint":
            elements.append(RawElement("blueprint", None, value, origin.at(document.value_at[key])))
        elif value is None:
            continue
        elif not isinstance(value, YamlList):
            message = f"should be a list of {NOUNS[key]} mappings"
            issues.append(_at(at, IssueKind.WRONG_TYPE, message, str(key)))
        else:
            for index, item in enumerate(value):
                elements.append(RawElement(key, index, item, origin.at(value.item_at[index])))
    return elements, issues


def assemble(valid: ValidModels) -> Landscape:
    """The landscape of validated elements, with the source of every id."""
    sections: dict[str, list[BaseModel]] = {name: [] for name in LIST_SECTIONS}
    blueprint: Blueprint | None = None
    sources = {}
    for raw, model in valid:
        if isinstance(model, Blueprint):
            blueprint = model
            for i in range(len(model.reviews)):
                sources[review_id(model.id, i)] = raw.locate(("reviews", i)).source()
        else:
            sections[raw.section].append(model)
        sources[model.id] = raw.at.source()  # type: ignore[attr-defined]
        if isinstance(model, Contract):
            for i, version in enumerate(model.versions):
                vid = version_id(model.id, version.version)
                sources[vid] = raw.locate(("versions", i)).source()
                for k, operation in enumerate(version.operations):
                    at = raw.locate(("versions", i, "operations", k)).source()
                    sources[operation_id(vid, operation.name)] = at
                for declared in version.declared_fields():
                    at = raw.locate(("versions", i, *declared.loc)).source()
                    sources[f"{vid}#{declared.key}"] = at
    landscape = Landscape(blueprint=blueprint, sources=sources, **sections)
    # A field a named type brings in is located where the type is used (the field naming it).
    for contract in landscape.contracts:
        for version in contract.versions:
            vid = version_id(contract.id, version.version)
            holder = None
            for item in landscape.version_fields(contract, version):
                fid = f"{vid}#{item.key}"
                if item.expanded_from is None:
                    holder = landscape.sources.get(fid)
                elif holder is not None:
                    landscape.sources.setdefault(fid, holder)
    return landscape


def _ordered(issues: list[BlueprintIssue]) -> list[BlueprintIssue]:
    return sorted(issues, key=lambda i: (i.file, i.line, i.column))


def _at(at: Located, kind: IssueKind, message: str, field: str | None) -> BlueprintIssue:
    return BlueprintIssue(at.file, at.line, at.column, None, field, kind.value, message)


def _file_issue(shown: str, relative: str, kind: IssueKind, message: str) -> BlueprintIssue:
    return BlueprintIssue(shown, 1, 1, None, None, kind.value, message)


def _notice(shown: str, kind: IssueKind, message: str) -> BlueprintIssue:
    return BlueprintIssue(shown, 1, 1, None, None, kind.value, message, severity="warning")


def _loose_secrets(value: object, key: object, at: Located) -> list[BlueprintIssue]:
    # Secrets are rejected even under keys that are not sections.
    return [
        _at(at, IssueKind.SECRET, f.message, field_path((str(key), *f.loc)))
        for f in find_secrets(value)
    ]
