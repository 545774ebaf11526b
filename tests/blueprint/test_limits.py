"""Hostile blueprint files end in a clear file:line problem, never a crash or a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from integraph.blueprint.errors import BlueprintInvalid, BlueprintIssue
from integraph.blueprint.parse import load_blueprint_files

try:
    from integraph.limits import BlueprintLimits
except ImportError:  # before the limits existed
    BlueprintLimits = None  # type: ignore[assignment,misc]

BLUEPRINT = "blueprint: {id: bp, name: Test, version: '1'}\n"


def problems(path: Path, limits: BlueprintLimits | None = None) -> list[BlueprintIssue]:
    with pytest.raises(BlueprintInvalid) as caught:
        if limits is None:
            load_blueprint_files([path])
        else:
            load_blueprint_files([path], limits=limits)
    return caught.value.issues


def alias_bomb(levels: int) -> str:
    """The "billion laughs": each level lists the previous one ten times."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def run_isolated(path: Path, memory_bytes: int = 1 << 30) -> subprocess.CompletedProcess[str]:
    """Parse `path` in another process with bounded memory: a crash fails the test, not pytest."""
    script = textwrap.dedent(
        f"""\
        import resource, sys
        from pathlib import Path
        resource.setrlimit(resource.RLIMIT_AS, ({memory_bytes}, {memory_bytes}))
        from integraph.blueprint.errors import BlueprintInvalid
        from integraph.blueprint.parse import load_blueprint_files
        try:
            load_blueprint_files([Path({str(path)!r})])
        except BlueprintInvalid as error:
            print(error)
            sys.exit(0)
        sys.exit("no problem reported")
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )


def test_alias_expansion_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BLUEPRINT + alias_bomb(5))  # 111,111 nodes once expanded
    [issue] = problems(path)
    assert (issue.file, issue.kind) == (str(path), "limit_exceeded")
    assert issue.line == 5  # a3 lists a2 (1,111 values) ten times: past 10,000
    assert "10,000" in issue.message and "alias" in issue.message
    assert str(issue).startswith(f"{path}:5:")


def test_billion_laughs_fails_fast_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BLUEPRINT + alias_bomb(9))  # 10^9 nodes once expanded
    done = run_isolated(path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{path}:" in done.stdout and "alias" in done.stdout
    assert "Traceback" not in done.stderr


def test_deeply_nested_flow_sequences_do_not_crash_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("teams: " + "[" * 100_000 + "]" * 100_000 + "\n")
    done = run_isolated(path)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert f"{path}:1:" in done.stdout
    assert "nested more than 64 levels deep" in done.stdout


def test_deeply_nested_mappings_are_refused_at_the_line_that_goes_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("".join(f"{' ' * i}k{i}:\n" for i in range(3000)))
    [issue] = problems(path)
    assert (issue.file, issue.kind) == (str(path), "limit_exceeded")
    # Line 65 opens the 65th level (the mapping on line 1 is the first).
    assert (issue.line, issue.column) == (65, 65)
    assert "nested more than 64 levels deep" in issue.message


def test_nesting_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(BLUEPRINT + "teams: [{id: t, tags: [[[x]]]}]\n")
    [issue] = problems(path, BlueprintLimits(max_depth=4))
    assert (issue.line, issue.kind) == (2, "limit_exceeded")
    assert "nested more than 4 levels deep" in issue.message


def test_huge_integers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(BLUEPRINT + "systems:\n  - id: s\n    tier: " + "9" * 5000 + "\n")
    [issue] = problems(path)
    assert (issue.file, issue.line, issue.column, issue.kind) == (
        str(path),
        4,
        11,
        "limit_exceeded",
    )
    assert "5,000 digits" in issue.message and "100" in issue.message


def test_long_scalars_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(BLUEPRINT + "teams:\n  - id: t\n    description: " + "x" * 70_000 + "\n")
    [issue] = problems(path)
    assert (issue.file, issue.line, issue.column, issue.kind) == (
        str(path),
        4,
        18,
        "limit_exceeded",
    )
    assert "70,000 characters" in issue.message and "64 KiB" in issue.message


def test_large_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    path.write_text(BLUEPRINT + "teams:\n" + "".join(f"  - id: t{i}\n" for i in range(200)))
    [issue] = problems(path, BlueprintLimits(max_file_bytes=1024))
    assert (issue.file, issue.line, issue.kind) == (str(path), 1, "limit_exceeded")
    assert "1 KiB" in issue.message
    assert str(issue).startswith(f"{path}:1:1: ")


def test_values_that_do_not_convert_are_problems_not_tracebacks(tmp_path: Path) -> None:
    path = tmp_path / "date.yaml"
    path.write_text(BLUEPRINT + "decisions:\n  - {id: d, title: T, status: accepted,\n")
    path.write_text(path.read_text() + "     date: 2024-13-45}\n")
    [issue] = problems(path)
    assert (issue.line, issue.column, issue.kind) == (4, 12, "yaml_syntax")
    assert "2024-13-45" in issue.message


def test_default_limits_accept_ordinary_aliases_and_merges(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    defaults = "x-defaults: &d {trust_zone: internal, tier: 2, owner: team-a}\n"
    systems = "".join(f"  - {{<<: *d, id: s{i}}}\n" for i in range(500))
    path.write_text(BLUEPRINT + defaults + "teams: [{id: team-a}]\n" + "systems:\n" + systems)
    # The only problem is the unknown section holding the defaults.
    assert [i.field for i in problems(path)] == ["x-defaults"]
