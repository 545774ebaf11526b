"""Which files are read: nothing is skipped without saying what and why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from integraph.blueprint.errors import BlueprintInvalid, BlueprintIssue
from integraph.blueprint.parse import load_blueprint_files
from integraph.model import SourceLocation

BLUEPRINT = "blueprint: {id: bp, name: Test, version: '1'}\n"


def read(paths: list[Path]):  # type: ignore[no-untyped-def]
    from integraph.blueprint.parse import read_blueprint_files

    return read_blueprint_files(paths)


def refused(paths: list[Path]) -> BlueprintInvalid:
    with pytest.raises(BlueprintInvalid) as caught:
        load_blueprint_files(paths)
    return caught.value


def test_a_byte_order_mark_is_accepted_and_positions_are_kept(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_bytes(
        b"\xef\xbb\xbf" + (BLUEPRINT + "teams:\n  - id: a\n").encode()
    )
    landscape = load_blueprint_files([tmp_path])
    assert [t.id for t in landscape.teams] == ["a"]
    assert landscape.source("bp") == SourceLocation(file="b.yaml", line=1, column=12)
    assert landscape.source("a") == SourceLocation(file="b.yaml", line=3, column=5)


def test_a_byte_order_mark_is_accepted_by_the_pure_python_parser_too(tmp_path: Path) -> None:
    # `[payments:write]` is refused by libyaml, so the pure-Python parser reads this file.
    text = BLUEPRINT + "teams:\n  - {id: a, tags: [payments:write]}\n"
    (tmp_path / "b.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load_blueprint_files([tmp_path]).teams[0].tags == ["payments:write"]


def test_empty_files_are_read_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BLUEPRINT)
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "comments.yaml").write_text("# nothing yet\n\n")
    result = read([tmp_path])
    assert result.files == 3
    assert [(n.file, n.severity, n.kind, n.message) for n in result.notices] == [
        (
            str(tmp_path / "comments.yaml"),
            "warning",
            "empty_file",
            "skipped: it holds only comments, so it defines nothing",
        ),
        (
            str(tmp_path / "empty.yaml"),
            "warning",
            "empty_file",
            "skipped: it is empty, so it defines nothing",
        ),
    ]
    assert str(result.notices[1]) == (
        f"{tmp_path / 'empty.yaml'}:1:1: warning: skipped: it is empty, so it defines nothing"
    )


def test_notices_travel_with_the_problems(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BLUEPRINT + "teams: [{id: a, colour: red}]\n")
    (tmp_path / "empty.yaml").write_text("")
    error = refused([tmp_path])
    assert [i.kind for i in error.issues] == ["unknown_field"]
    assert [n.kind for n in error.notices] == ["empty_file"]
    assert "warning: skipped: it is empty" in str(error)


def test_a_dangling_symlink_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BLUEPRINT)
    os.symlink(tmp_path / "gone.yaml", tmp_path / "systems.yaml")
    [issue] = refused([tmp_path]).issues
    assert (issue.file, issue.line, issue.kind) == (
        str(tmp_path / "systems.yaml"),
        1,
        "unreadable_path",
    )
    assert (
        issue.message
        == f"dangling symlink: points to {tmp_path / 'gone.yaml'}, which does not exist"
    )


def test_a_symlink_loop_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BLUEPRINT)
    os.symlink(tmp_path / "loop-b.yaml", tmp_path / "loop-a.yaml")
    os.symlink(tmp_path / "loop-a.yaml", tmp_path / "loop-b.yaml")
    issues = refused([tmp_path]).issues
    assert [(i.file, i.kind) for i in issues] == [
        (str(tmp_path / "loop-a.yaml"), "unreadable_path"),
        (str(tmp_path / "loop-b.yaml"), "unreadable_path"),
    ]
    assert issues[0].message.startswith("symlink loop")


def test_a_folder_symlinked_into_itself_is_an_error_and_read_once(tmp_path: Path) -> None:
    (tmp_path / "bp").mkdir()
    (tmp_path / "bp" / "a.yaml").write_text(BLUEPRINT)
    os.symlink(tmp_path / "bp", tmp_path / "bp" / "again")
    [issue] = refused([tmp_path / "bp"]).issues
    assert (issue.file, issue.kind) == (str(tmp_path / "bp" / "again"), "unreadable_path")
    assert issue.message.startswith("symlink loop: leads back to")


def test_a_symlinked_folder_is_read(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "teams.yaml").write_text("teams: [{id: platform}]\n")
    (tmp_path / "bp").mkdir()
    (tmp_path / "bp" / "a.yaml").write_text(
        BLUEPRINT + "systems: [{id: s, owner: platform, trust_zone: internal}]\n"
    )
    os.symlink(shared, tmp_path / "bp" / "shared")
    landscape = load_blueprint_files([tmp_path / "bp"])  # no dangling 'platform'
    assert [t.id for t in landscape.teams] == ["platform"]
    assert landscape.source("platform") == SourceLocation(
        file="shared/teams.yaml", line=1, column=9
    )


def test_a_file_reached_twice_through_a_symlink_is_read_once_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BLUEPRINT + "teams: [{id: a}]\n")
    os.symlink(tmp_path / "a.yaml", tmp_path / "b.yaml")
    result = read([tmp_path])
    assert result.files == 1
    [notice] = result.notices
    assert (notice.file, notice.kind) == (str(tmp_path / "b.yaml"), "skipped_path")
    assert str(tmp_path / "a.yaml") in notice.message


def test_a_named_dangling_symlink_is_an_error(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.yaml", tmp_path / "b.yaml")
    [issue] = refused([tmp_path / "b.yaml"]).issues
    assert (issue.file, issue.kind) == (str(tmp_path / "b.yaml"), "unreadable_path")


def test_problems_are_issues_with_an_error_severity(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("teams: [\n")
    [issue] = refused([tmp_path]).issues
    assert isinstance(issue, BlueprintIssue) and issue.severity == "error"
    assert "warning" not in str(issue)
