"""Reading blueprint files (YAML, many files in a folder) into a validated landscape."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from integraph.blueprint.errors import BlueprintInvalid, BlueprintIssue, IssueKind
from integraph.blueprint.references import check_references
from integraph.blueprint.secrets import find_secrets
from integraph.blueprint.source import (
    Located,
    RawElement,
    YamlList,
    YamlMap,
    field_path,
    read_located,
)
from integraph.blueprint.validate import ValidModels, check_schema
from integraph.model import (
    LIST_SECTIONS,
    NOUNS,
    SECTIONS,
    Blueprint,
    Contract,
    Landscape,
    field_id,
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


def load_blueprint_files(paths: list[Path]) -> Landscape:
    """Read, validate and assemble the blueprint in `paths` (files or folders).

    Raises BlueprintInvalid carrying every problem found, in file and line order per phase.
    """
    files = list(find_blueprint_files(paths))
    if not files:
        shown = ", ".join(str(p) for p in paths) or "."
        raise BlueprintInvalid(
            [_file_issue(shown, "", IssueKind.MISSING_FIELD, "no *.yaml or *.yml files found")]
        )
    syntax: list[BlueprintIssue] = []
    structure: list[BlueprintIssue] = []
    elements: list[RawElement] = []
    for file in files:
        document, problem = read_yaml(file)
        if problem is not None:
            syntax.append(problem)
            continue
        found, problems = split_sections(document, file)
        elements.extend(found)
        structure.extend(problems)
    valid, problems = check_schema(elements)
    structure.extend(problems)
    references = check_references(elements, valid, complete=not syntax)
    if not syntax and not any(raw.section == "blueprint" for raw in elements):
        message = "no file has a 'blueprint' section (id, name, version, status)"
        references.append(
            _file_issue(files[0].shown, files[0].relative, IssueKind.MISSING_FIELD, message)
        )
    issues = syntax + _ordered(structure) + _ordered(references)
    if issues:
        raise BlueprintInvalid(issues)
    return assemble(valid)


def find_blueprint_files(paths: list[Path]) -> Iterator[BlueprintFilePath]:
    """Every YAML file under `paths`, folders recursively, sorted; hidden entries skipped."""
    seen: set[Path] = set()
    for root in paths:
        if root.is_dir():
            candidates = sorted(
                (p for p in root.rglob("*") if p.suffix in SUFFIXES and p.is_file()),
                key=lambda p: p.relative_to(root).as_posix(),
            )
            for path in candidates:
                relative = path.relative_to(root)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    yield BlueprintFilePath(path, str(path), relative.as_posix())
        elif path_is_new(root, seen):
            yield BlueprintFilePath(root, str(root), root.name)


def path_is_new(path: Path, seen: set[Path]) -> bool:
    resolved = path.resolve()
    if resolved in seen:
        return False
    seen.add(resolved)
    return True


def read_yaml(file: BlueprintFilePath) -> tuple[object, BlueprintIssue | None]:
    """The YAML document of `file` (round-trip nodes, with positions), or a syntax issue."""
    try:
        text = file.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, _file_issue(
            file.shown, file.relative, IssueKind.YAML_SYNTAX, f"cannot read: {error}"
        )
    try:
        return read_located(text), None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = error.problem or str(error)
        if error.context and error.context_mark and error.context_mark is not mark:
            started = error.context_mark
            where = f"line {started.line + 1}, column {started.column + 1}"
            message = f"{error.context} (started at {where}): {message}"
        return None, BlueprintIssue(
            file.shown, line, column, None, None, IssueKind.YAML_SYNTAX.value, message
        )
    except YAMLError as error:
        return None, _file_issue(file.shown, file.relative, IssueKind.YAML_SYNTAX, str(error))


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
                for part, item in version.fields():
                    j = getattr(version, part.value).index(item)
                    loc = ("versions", i, part.value, j)
                    sources[field_id(vid, part.value, item.path)] = raw.locate(loc).source()
    return Landscape(blueprint=blueprint, sources=sources, **sections)


def _ordered(issues: list[BlueprintIssue]) -> list[BlueprintIssue]:
    return sorted(issues, key=lambda i: (i.file, i.line, i.column))


def _at(at: Located, kind: IssueKind, message: str, field: str | None) -> BlueprintIssue:
    return BlueprintIssue(at.file, at.line, at.column, None, field, kind.value, message)


def _file_issue(shown: str, relative: str, kind: IssueKind, message: str) -> BlueprintIssue:
    return BlueprintIssue(shown, 1, 1, None, None, kind.value, message)


def _loose_secrets(value: object, key: object, at: Located) -> list[BlueprintIssue]:
    # Secrets are rejected even under keys that are not sections.
    return [
        _at(at, IssueKind.SECRET, f.message, field_path((str(key), *f.loc)))
        for f in find_secrets(value)
    ]
