"""The README's tour, run command by command on the seed, as a user runs it.

The commands come from the ```bash block of the README's "## A tour" section: change the tour
and this test follows. Each command runs in a subprocess from the repository root against the
session's Neo4j, on a graph holding the seed (loaded first with `integraph load seed/`, except
for `validate` and `load` themselves, which start from an empty graph); the files a command
writes (`-o FILE`, `export DIR`) go to tmp_path instead of the working tree.

A command's exit code is documented in the tour as `(exit N)` in its comment (none: 0), and
must equal both EXPECTED_EXIT below (why each subcommand exits as it does on the seed) and the
real exit code. What each command prints is checked per subcommand in CHECKS.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT, run_cli

README = ROOT / "README.md"
SEED_README = ROOT / "seed" / "README.md"
LANDSCAPE = "enterprise-landscape"
# The seed's blueprints in load order: the landscape first, the blueprints using it after.
SEED_BLUEPRINTS = (
    LANDSCAPE,
    "customer-and-channels",
    "finance-and-reporting",
    "payments-and-cards",
)

EXPECTED_EXIT = {
    "validate": 0,
    "load": 0,
    "lint": 1,  # the seed's deliberate mistakes include errors (default --fail-on error)
    "impact": 0,
    "lineage": 0,
    "contract diff": 1,  # the tour's example schema change is incompatible under its mode
    "contract check": 1,  # the tour's example proposal breaks the stored contract's consumers
    "whatif": 0,
    "export": 0,
}

OUTPUT_OPTIONS = ("-o", "--output")


@dataclass(frozen=True)
class TourCommand:
    text: str  # the command as written in the README, without its comment
    args: tuple[str, ...]  # the words after `integraph`
    documented_exit: int

    @property
    def name(self) -> str:
        return " ".join(self.args[:2]) if self.args[0] == "contract" else self.args[0]

    def in_tmp(self, tmp_path: Path) -> tuple[list[str], list[Path]]:
        """The arguments with every output path moved under tmp_path, and those paths."""
        args, outputs = list(self.args), []
        for i, arg in enumerate(args):
            moved = (i > 0 and args[i - 1] in OUTPUT_OPTIONS) or (self.name == "export" and i == 1)
            if moved:
                outputs.append(tmp_path / arg)
                args[i] = str(tmp_path / arg)
        return args, outputs


def tour_commands() -> list[TourCommand]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## A tour\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, "the README's tour has no ```bash block"
    found: list[tuple[str, list[str]]] = []  # (command line, its comment lines)
    for line in block.group(1).splitlines():
        stripped = line.strip()
        if stripped.startswith("integraph "):
            found.append((stripped, [stripped]))
        elif stripped.startswith("#") and found:
            found[-1][1].append(stripped)  # a comment continued on the next line
    commands = []
    for line, comments in found:
        words = shlex.split(line, comments=True)
        codes = re.findall(r"\(exit (\d+)\)", " ".join(comments))
        command = " ".join(shlex.quote(w) for w in words)
        commands.append(TourCommand(command, tuple(words[1:]), int(codes[-1]) if codes else 0))
    return commands


TOUR = tour_commands()


def seed_mistake_rules(blueprints: list[str] | None = None) -> set[str]:
    """The rule ids of the seed README's table of deliberate mistakes (of those blueprints'
    rows only, when given)."""
    section = SEED_README.read_text(encoding="utf-8").split("## Deliberate mistakes", 1)[1]
    rows = re.findall(
        r"^\|\s*([A-Z]{3}-\d{2})\s*\|\s*([a-z0-9-]+)\s*\|", section.split("\n## ", 1)[0], re.M
    )
    assert rows, "no rows in the seed README's table of deliberate mistakes"
    return {rule for rule, blueprint in rows if blueprints is None or blueprint in blueprints}


def printed(given: str, shown: str) -> bool:
    """Whether `shown`, an id a command printed (a full identifier), is the element `given` on
    its command line named (by full identifier, or by short id)."""
    return shown == given or (":" not in given and shown.split(":", 1)[-1] == given)


def repeated(args: list[str], *names: str) -> list[str]:
    """The values of a repeatable option."""
    return [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in names]


def option(args: list[str], *names: str, default: str | None = None) -> str | None:
    for i, arg in enumerate(args[:-1]):
        if arg in names:
            return args[i + 1]
    return default


def positionals(args: list[str]) -> list[str]:
    """The words that are neither options nor option values (options here all take a value,
    except the flags listed)."""
    flags = {"--into", "--prune", "--update-baseline"}
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = arg not in flags
        else:
            out.append(arg)
    return out


Check = Callable[[list[str], list[Path], subprocess.CompletedProcess[str], dict[str, str]], None]


def validated(out: str) -> dict[str, int]:
    """Elements per blueprint of `integraph validate` output (one line per blueprint)."""
    lines = out.splitlines()
    found = [
        re.fullmatch(r"([a-z0-9-]+): (\d+) elements in \d+ files, no problems", x) for x in lines
    ]
    assert lines and all(found), out  # nothing else: no reference left unchecked
    return {m.group(1): int(m.group(2)) for m in found if m}


def check_validate(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    assert sorted(validated(proc.stdout)) == sorted(SEED_BLUEPRINTS)


def check_load(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    loaded = re.findall(r"loaded blueprint '([a-z0-9-]+)': (\d+) elements", proc.stdout)
    assert [name for name, _ in loaded] == list(SEED_BLUEPRINTS), proc.stdout  # used first
    for _, elements in loaded:
        assert f"created {elements}, updated 0, unchanged 0, deleted 0" in proc.stdout


def check_lint(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    narrowed = repeated(args, "-b", "--blueprint")
    mistakes = seed_mistake_rules(narrowed or None)
    fmt = option(args, "-f", "--format", default="text")
    if outputs:
        (report,) = outputs
        assert proc.stdout.startswith(f"{fmt} report written to {report}: "), proc.stdout
        text = report.read_text(encoding="utf-8")
    else:
        text = proc.stdout
    if fmt == "sarif":
        sarif = json.loads(text)
        assert sarif["version"] == "2.1.0"
        found = {r["ruleId"] for run in sarif["runs"] for r in run["results"]}
    else:
        found = set(re.findall(r"\b[A-Z]{3}-\d{2}\b", text))
        errors = re.search(r"\d+ rules in .*?: (\d+) errors", text)
        assert errors and int(errors.group(1)) > 0, text
        assert "FAILED: " in text
        # each finding is about an element of the blueprints asked for
        for line in re.findall(r"^    [A-Z]{3}-\d{2} .*$", text, re.M):
            assert not narrowed or any(f"{b}:" in line or f" {b} " in line for b in narrowed), line
    # "the report lists the seed's deliberate mistakes" (README, The two commands)
    assert mistakes <= found, f"not reported: {sorted(mistakes - found)}"


def check_impact(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    element = positionals(args[1:])[0]
    depth = option(args, "--depth", default="6")
    direction = option(args, "--direction", default="downstream")
    lines = proc.stdout.splitlines()
    head = re.fullmatch(
        rf"impact of a change to \w+ '(\S+)' \({direction}, depth {depth}\): (\d+) affected",
        lines[0],
    )
    assert head and printed(element, head.group(1)), lines[0]
    affected = [line for line in lines if re.match(r"  \S+ +\S+ +\S+  \(depth \d+, ", line)]
    assert len(affected) == int(head.group(2)) > 0
    depths = [int(m.group(1)) for m in (re.search(r"\(depth (\d+)", x) for x in affected) if m]
    assert len(depths) == len(affected) and max(depths) <= int(depth)
    if printed(element, f"{LANDSCAPE}:core-banking"):  # "what breaks if core banking goes down"
        assert any(line.split()[0] == "outage" for line in affected)
        # "in every blueprint": the landscape's outage reaches the flows of each project
        via = {m.split(":")[0] for m in re.findall(r" via (\S+) \(", proc.stdout)}
        assert via == set(SEED_BLUEPRINTS) - {LANDSCAPE}, via


# The seed's deliberate lineage gaps (seed/README.md, SEC-08 and SEC-11) by tour subject.
SEED_GAPS = {
    "pci": {
        "payments-and-cards:chargebacks-to-processor": "masking of message/records/*/pan",
        "payments-and-cards:card-transactions-to-lakehouse": "audit retention",
    },
    "card-transaction-events@1.5.0#message/card/pan": {
        "payments-and-cards:card-transactions-to-lakehouse": "audit retention",
    },
}


def check_lineage(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    subject = positionals(args[1:])[0]
    into = "--into" in args
    kind = "system" if into else "field" if "#" in subject else "classification"
    lines = proc.stdout.splitlines()
    head = re.fullmatch(
        rf"lineage of {kind} '(\S+)': (\d+) hops, (\d+) systems, (\d+) hops with missing duties",
        lines[0],
    )
    assert head and printed(subject, head.group(1)), lines[0]
    assert lines[1].startswith("  origins: ") and lines[1] != "  origins: -"
    hops = [re.match(r"  \[\d+\] (\S+) -> (\S+) via (\S+) \(.*\): (.*)$", x) for x in lines[2:]]
    hops = [h for h in hops if h]
    assert len(hops) == int(head.group(2)) > 0
    missing = {h.group(3): h.group(4) for h in hops if h.group(4) != "ok"}
    assert len(missing) == int(head.group(4))
    assert all(m.startswith("MISSING ") for m in missing.values())
    if into:
        assert {h.group(2) for h in hops} == {head.group(1)}
    if kind == "field":
        part_path = subject.split("#", 1)[1]
        fields = [line.split()[0] for line in lines[2:] if line.startswith("        ")]
        assert set(fields) == {part_path}
    for flow, duty in SEED_GAPS.get(subject, {}).items():
        assert flow in missing and duty in missing[flow], (flow, missing)


def check_contract_diff(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    mode = option(args, "--mode", default="BACKWARD")
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"mode: {mode} ("), lines[0]
    assert any("| breaking: yes" in line for line in lines)
    assert lines[-1] == "compatible: false"


def check_contract_check(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    contract, proposal = positionals(args[2:])[:2]
    version = YAML(typ="safe", pure=True).load((ROOT / proposal).read_text())["version"]
    lines = proc.stdout.splitlines()
    head = re.fullmatch(rf"contract '(\S+)' \(\w+\), proposed {re.escape(version)}:", lines[0])
    assert head and printed(contract, head.group(1)), lines[0]
    assert any(line.startswith("  BREAKING ") for line in lines)
    broken = lines.index("consumers that would break:")
    consumers = [line for line in lines[broken + 1 : -1] if " reads the " in line]
    assert consumers, proc.stdout
    assert lines[-1] == "compatible: false"


def check_whatif(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    changeset = YAML(typ="safe", pure=True).load((ROOT / positionals(args[1:])[0]).read_text())
    blueprint = (changeset.get("changeset") or {})["blueprint"]  # the seed holds several
    lines = proc.stdout.splitlines()
    assert lines[0] == f"what if, on blueprint '{blueprint}' (nothing is saved):"
    appear = re.fullmatch(r"findings that would appear \((\d+)\):", lines[1])
    assert appear, lines[1]
    plus = [line for line in lines if line.startswith("  + ")]
    minus = [line for line in lines if line.startswith("  - ")]
    assert len(plus) == int(appear.group(1))
    assert f"findings that would disappear ({len(minus)}):" in lines
    assert plus or minus, "the tour's change set changes no finding"
    touched = [
        e["id"]
        for section in ("add", "modify")
        for items in (changeset.get(section) or {}).values()
        for e in items
    ] + list(changeset.get("remove") or [])
    for element in touched:  # the change set's ids are short: its blueprint's elements
        full = re.escape(f"{blueprint}:{element}")
        assert any(re.match(rf"impact of a change to \w+ '{full}' ", line) for line in lines), (
            element
        )
    # Nothing is saved: what the change set removes is still in the graph.
    for element in changeset.get("remove") or []:
        assert run_cli("impact", element, env=env, cwd=ROOT).returncode == 0, element


def check_export(args, outputs, proc, env) -> None:  # type: ignore[no-untyped-def]
    (folder,) = outputs
    # One folder per blueprint (the layout `integraph load` reads back), one line each.
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == len(SEED_BLUEPRINTS), proc.stdout
    exported_names = []
    for line in lines:
        done = re.fullmatch(
            r"exported blueprint '([a-z0-9-]+)': \d+ elements into (\d+) files under\s+(\S+)",
            line.strip(),
        )
        assert done, line
        name, files, under = done.groups()
        assert Path(under) == folder / name, line
        assert len(list((folder / name).rglob("*.yaml"))) == int(files)
        exported_names.append(name)
    assert sorted(exported_names) == sorted(SEED_BLUEPRINTS)
    assert sorted(p.name for p in folder.iterdir()) == sorted(SEED_BLUEPRINTS)
    # The files read back as the same blueprints: same element counts as the seed's own files.
    exported = run_cli("validate", str(folder), env=env, cwd=ROOT)
    seed = run_cli("validate", "seed/", env=env, cwd=ROOT)
    assert exported.returncode == 0, exported.stderr
    assert validated(exported.stdout) == validated(seed.stdout)


CHECKS: dict[str, Check] = {
    "validate": check_validate,
    "load": check_load,
    "lint": check_lint,
    "impact": check_impact,
    "lineage": check_lineage,
    "contract diff": check_contract_diff,
    "contract check": check_contract_check,
    "whatif": check_whatif,
    "export": check_export,
}


def test_the_tour_is_complete() -> None:
    """Every subcommand the tour uses has expectations here, and its input files exist."""
    names = [c.name for c in TOUR]
    assert len(TOUR) >= 10
    assert set(names) <= set(EXPECTED_EXIT), (
        f"no exit code for {sorted(set(names) - set(EXPECTED_EXIT))}"
    )
    assert set(names) <= set(CHECKS), f"no check for {sorted(set(names) - set(CHECKS))}"
    for command in TOUR:
        for arg in command.args:
            if arg.startswith(("seed/", "examples/")):
                assert (ROOT / arg).exists(), f"{command.text}: {arg} does not exist"


def test_the_examples_are_not_part_of_the_seed() -> None:
    """`integraph load seed/` reads every *.yaml under seed/: the tour's inputs live outside."""
    inputs = {a for c in TOUR for a in c.args if a.startswith("examples/")}
    assert inputs
    assert not any((ROOT / "seed").rglob("examples"))


@pytest.mark.parametrize("command", TOUR, ids=[c.text for c in TOUR])
def test_tour_command(
    command: TourCommand, cli_env: dict[str, str], graph: object, tmp_path: Path
) -> None:
    assert command.documented_exit == EXPECTED_EXIT[command.name], (
        f"the tour documents exit {command.documented_exit} for `{command.text}`"
    )
    if command.name not in ("validate", "load"):
        seed = run_cli("load", "seed/", env=cli_env, cwd=ROOT, timeout=300)
        assert seed.returncode == 0, seed.stderr
    args, outputs = command.in_tmp(tmp_path)
    for path in outputs:
        assert path.is_relative_to(tmp_path)
    written_before = {p.name for p in outputs if (ROOT / p.name).exists()}

    proc = run_cli(*args, env=cli_env, cwd=ROOT, timeout=300)

    assert proc.returncode == command.documented_exit, proc.stdout[-3000:] + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    if proc.returncode == 0:
        assert proc.stderr == "", proc.stderr
    for path in outputs:
        assert path.exists(), f"{command.text} wrote no {path.name}"
        assert (ROOT / path.name).exists() == (path.name in written_before)
    CHECKS[command.name](args, outputs, proc, cli_env)
