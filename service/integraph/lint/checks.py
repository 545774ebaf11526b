"""Python checks that rules delegate to when their logic is shared with another capability.

A check takes the rows its rule's query returned and the rule's parameters, and returns
violation rows (``element``, ``related``, ``message``, ``details``). Register each in CHECKS.

A check that judges the other rules' findings (GOV-01) is also named in AFTER_FINDINGS. The
engine runs such a rule after every other rule, once those findings are placed (their file,
line and owning blueprint) and waivers have been applied to them; its check's ``params`` get
one more entry, ``findings`` (the Finding objects so far).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from integraph.compat import (
    ChangeKind,
    CompatibilityMode,
    Difference,
    diff_field_lists,
)
from integraph.compat.contracts import (
    bodies,
    body_fields,
    body_label,
    body_role,
    breaking_changes,
    content_model_of,
    extensible,
    language_of,
    split_label,
)
from integraph.compat.model import Role
from integraph.compat.modes import checked_directions
from integraph.lint.findings import WAIVED, Finding
from integraph.lint.rules import Severity

Rows = list[dict[str, Any]]
Check = Callable[[Rows, dict[str, Any]], Rows]


def open_findings_in_approved_blueprints(rows: Rows, params: dict[str, Any]) -> Rows:
    """GOV-01: approved blueprints with findings at or above ``min_severity`` nobody waived.

    ``rows`` hold one row per approved blueprint: ``blueprint``, ``version`` and ``scope``.
    A finding counts against it when its element belongs to it (the finding's placed
    ``blueprint``) and lies inside its scope when it declares one: the scoped id itself, or a
    version or field of a scoped contract. A baselined finding still counts: a baseline
    hides known findings from a report, a waiver accepts one with a justification.
    """
    findings: list[Finding] = params["findings"]
    floor = Severity.parse(str(params.get("min_severity", "error")))
    listed = int(params.get("max_listed", 5))
    approved = {row["blueprint"] for row in rows}
    open_by_blueprint: dict[str, list[Finding]] = {}
    for f in findings:  # one pass over the findings, whatever the number of blueprints
        if f.blueprint in approved and f.status != WAIVED and f.severity >= floor:
            open_by_blueprint.setdefault(f.blueprint, []).append(f)
    violations: Rows = []
    for row in rows:
        scope = row["scope"]
        unwaived = sorted(
            {
                (f.rule.id, f.element, f.fingerprint)
                for f in open_by_blueprint.get(row["blueprint"], [])
                if not scope or any(_in_scope(f.element, s) for s in scope)
            }
        )
        if not unwaived:
            continue
        names = [f"{rule} on {element}" for rule, element, _ in unwaived]
        more = f" and {len(names) - listed} more" if len(names) > listed else ""
        violations.append(
            {
                "element": row["blueprint"],
                "related": [],
                "message": f"blueprint {row['blueprint']} (version {row['version']}) is approved "
                f"but has {len(unwaived)} unwaived {floor} finding(s): "
                f"{', '.join(names[:listed])}{more}",
                "details": {
                    "version": row["version"],
                    "scope": row["scope"],
                    "open_findings": len(unwaived),
                    "by_rule": dict(sorted(Counter(r for r, _, _ in unwaived).items())),
                    "listed": names[:listed],
                },
            }
        )
    return sorted(violations, key=lambda v: v["element"])


def _in_scope(element: str, scoped: str) -> bool:
    """Whether a finding's element is the scoped id, or a version or field of it."""
    return element == scoped or element.startswith((f"{scoped}@", f"{scoped}#"))


# --- contracts (CON-03, CON-08, CON-09): the compatibility engine of integraph.impact ------
#
# The rules' queries return one row per contract: ``element`` (the contract id), ``kind``,
# ``mode``, ``versioning``, ``content_model`` and ``versions`` (oldest first, each
# ``{id, version, digest, content}``: the version's fields as the JSON text and digest
# written at load, store/derived.py; a field ``{part, path, type, required, enum,
# extensible_enum, default}``). Whether a change breaks a mode is decided by
# integraph.compat only: compat.contracts maps a contract (kind, mode, content model, parts)
# onto the engine, the same mapping `integraph contract check` uses; this code picks the
# versions to compare and words the findings.
#
# Verdicts are cached by what decides them: the contract's kind, the mode, the content model
# and the (id, content digest) of each version compared. A digest changes with any field of
# its version, so a cached verdict is never stale; the cache lives as long as the process
# (repeated lints, what-if, a server) and holds at most VERDICT_CACHE_SIZE verdicts.

_PART_WORDS = {
    "request": "request (read by the server)",
    "response": "response (read by clients)",
    "message": "message",
    "error": "error body (read by clients)",
    "headers": "headers",
}


def body_words(label: str) -> str:
    """How a finding names a body: `response (read by clients)`, or for an operation's
    `operation get-payment, response (read by clients)`, or `operation get-payment` itself."""
    operation, part = split_label(label)
    if operation is None:
        return _PART_WORDS.get(part, part)
    if not part:
        return f"operation {operation}"
    return f"operation {operation}, {_PART_WORDS.get(part, part)}"


_SEMVER = re.compile(r"^v?(0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*)){0,2}(?:[-+][0-9A-Za-z.+-]*)?$")


VERDICT_CACHE_SIZE = 200_000
_verdicts: dict[tuple[Any, ...], list[tuple[str, Difference]]] = {}
_contents: dict[str, list[dict[str, Any]]] = {}


def _described(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The versions whose fields the blueprint lists (the others cannot be compared), each
    ``{id, version, digest, fields, operations}``."""
    described = []
    for version in row["versions"]:
        fields = _fields_of(version)
        if fields:
            described.append({**version, "fields": fields})
    return described


def _fields_of(version: dict[str, Any]) -> list[dict[str, Any]]:
    """A version's fields, parsed from its content once per digest."""
    content, digest = version.get("content"), version.get("digest")
    if not content:
        return []
    fields = _contents.get(digest) if digest else None
    if fields is None:
        fields = json.loads(content)
        if digest:
            if len(_contents) >= VERDICT_CACHE_SIZE:
                _contents.clear()
            _contents[digest] = fields
    return fields


def _breaking(
    row: dict[str, Any],
    earlier: list[dict[str, Any]],
    new: dict[str, Any],
    mode: CompatibilityMode,
) -> list[tuple[str, Difference]]:
    """(part, difference) for each change of ``new`` that breaks ``mode`` against ``earlier``,
    as judged by the engine's one mapping of a contract onto it (compat.contracts, the same
    as `integraph contract check`); cached by the versions' ids and content digests."""
    key = (
        row.get("kind"),
        mode.value,
        row.get("content_model"),
        tuple((v["id"], v.get("digest"), tuple(v.get("operations") or ())) for v in earlier),
        (new["id"], new.get("digest"), tuple(new.get("operations") or ())),
    )
    cacheable = all(digest for _, digest, _ in (*key[3], key[4]))
    found = _verdicts.get(key) if cacheable else None
    if found is None:
        found = breaking_changes(
            kind=row.get("kind"),
            mode=mode,
            content_model=row.get("content_model"),
            earlier=earlier,
            new=new,
        )
        if cacheable:
            if len(_verdicts) >= VERDICT_CACHE_SIZE:
                _verdicts.clear()
            _verdicts[key] = found
    return list(found)


def clear_verdict_cache() -> None:
    """Forget every cached verdict and parsed content (what a new process starts with)."""
    _verdicts.clear()
    _contents.clear()


def _mode_of(value: Any, contract: str) -> CompatibilityMode:
    try:
        return CompatibilityMode(str(value).upper())
    except ValueError:
        raise ValueError(f"contract {contract}: unknown compatibility mode {value!r}") from None


def _conflicts(found: list[tuple[str, Difference]]) -> list[str]:
    return sorted({d.conflicts_with_version for _, d in found if d.conflicts_with_version})


def _violation(
    row: dict[str, Any],
    new: dict[str, Any],
    mode: CompatibilityMode,
    found: list[tuple[str, Difference]],
    headline: str,
) -> dict[str, Any]:
    """One finding per breaking version: ``related`` are the earlier versions it breaks, the
    message lists every breaking difference with the engine's reason."""
    related = _conflicts(found)
    items = [
        body_words(part)
        + (f" vs {d.conflicts_with_version}" if len(related) > 1 else "")
        + f": {d.reason}"
        for part, d in found
    ]
    if len(items) > 1:
        items = [f"({n}) {item}" for n, item in enumerate(items, start=1)]
    return {
        "element": new["id"],
        "related": related,
        "message": f"{headline}: {' '.join(items)}",
        "details": {
            "contract": row["element"],
            "mode": mode.value,
            "version": new["version"],
            "breaks": [
                {
                    "part": part,
                    "kind": d.kind.value,
                    "path": d.pointer,
                    "against": d.conflicts_with_version,
                    "reason": d.reason,
                }
                for part, d in found
            ],
        },
    }


def contract_compatibility(rows: Rows, params: dict[str, Any]) -> Rows:
    """CON-03: each contract version whose changes break the declared mode against the
    previous version (every earlier one for a *_TRANSITIVE mode); NONE is never checked."""
    violations: Rows = []
    for row in rows:
        mode = _mode_of(row["mode"], row["element"])
        if mode is CompatibilityMode.NONE:
            continue
        versions = _described(row)
        for index in range(1, len(versions)):
            new = versions[index]
            found = _breaking(row, versions[:index], new, mode)
            if found:
                headline = (
                    f"version {new['id']} of contract {row['element']} breaks its declared "
                    f"{mode.value} compatibility with {', '.join(_conflicts(found))}"
                )
                violations.append(_violation(row, new, mode, found, headline))
    return sorted(violations, key=lambda v: (v["element"], v["related"]))


def contract_semver(rows: Rows, params: dict[str, Any]) -> Rows:
    """CON-09: a semver version that breaks compatibility with an earlier version of the same
    major version (judged by the declared mode, or ``undeclared_mode`` when it is absent or
    NONE). Major version 0 is initial development, where anything may change (SemVer item 4)."""
    fallback = _mode_of(params.get("undeclared_mode", "BACKWARD"), "(parameter)")
    violations: Rows = []
    for row in rows:
        declared = row.get("mode")
        mode = fallback if declared in (None, "NONE") else _mode_of(declared, row["element"])
        if mode is CompatibilityMode.NONE:
            continue
        # Every release of a major line must stay compatible with all the earlier ones.
        line = CompatibilityMode(mode.value.removesuffix("_TRANSITIVE") + "_TRANSITIVE")
        majors = []
        for version in _described(row):
            match = _SEMVER.match(str(version["version"]))
            if match:
                majors.append((int(match.group(1)), version))
        for index, (major, new) in enumerate(majors):
            earlier = [v for m, v in majors[:index] if m == major]
            if major == 0 or not earlier:
                continue
            found = _breaking(row, earlier, new, line)
            if found:
                headline = (
                    f"version {new['id']} of contract {row['element']} breaks {mode.value} "
                    f"compatibility with {', '.join(_conflicts(found))} without a major version "
                    f"bump (still major version {major})"
                )
                violations.append(_violation(row, new, mode, found, headline))
    return sorted(violations, key=lambda v: (v["element"], v["related"]))


def contract_enum_growth(rows: Rows, params: dict[str, Any]) -> Rows:
    """CON-08: an enum that gains values from one version to the next where readers on the
    previous version see the new values (a response or error body whatever the mode; any part
    the declared mode checks FORWARD), and the previous version did not declare it extensible.
    The change itself is found and worded by ``diff_field_lists``."""
    violations: Rows = []
    for row in rows:
        declared = row.get("mode")
        mode = None if declared is None else _mode_of(declared, row["element"])
        versions = _described(row)
        for old, new in pairwise(versions):
            for body in bodies([old, new]):
                role = body_role([old, new], body)
                forward = role is Role.RESPONSE or (
                    mode is not None and checked_directions(mode, role)[1]
                )
                if not forward:
                    continue
                part = body_label(body)
                kind = row.get("kind")
                report = diff_field_lists(
                    body_fields(old, body, kind),
                    body_fields(new, body, kind),
                    mode=CompatibilityMode.FORWARD,
                    content_model=content_model_of(kind, row.get("content_model")),
                    language=language_of(kind),
                )
                for difference in report.breaking:
                    if difference.kind is not ChangeKind.ENUM_VALUE_ADDED or extensible(
                        old, part, difference.pointer
                    ):
                        continue
                    old_values = list(difference.old or [])
                    added = [v for v in difference.new or [] if v not in old_values]
                    violations.append(
                        {
                            "element": f"{new['id']}#{part}{difference.pointer}",
                            "related": [f"{old['id']}#{part}{difference.pointer}"],
                            "message": f"the enum of {part}{difference.pointer} in contract "
                            f"{row['element']} gains {', '.join(map(str, added))} from "
                            f"{old['version']} to {new['version']}, but readers of the "
                            f"{body_words(part)} on {old['version']} were not told to accept "
                            f"unknown values (extensible_enum): {difference.reason}",
                            "details": {
                                "contract": row["element"],
                                "mode": declared,
                                "part": part,
                                "path": difference.pointer,
                                "added": added,
                                "old_enum": old_values,
                                "new_enum": list(difference.new or []),
                            },
                        }
                    )
    return sorted(violations, key=lambda v: (v["element"], v["related"]))


CHECKS: dict[str, Check] = {
    "open_findings_in_approved_blueprints": open_findings_in_approved_blueprints,
    "contract_compatibility": contract_compatibility,
    "contract_enum_growth": contract_enum_growth,
    "contract_semver": contract_semver,
}
AFTER_FINDINGS = frozenset({"open_findings_in_approved_blueprints"})
"""Checks whose rules run last and judge the findings of the rules before them."""
