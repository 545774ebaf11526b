"""What namespacing costs a load: the same generated landscape loaded by this checkout and by
the commit before namespaces, one after the other on this machine, with the ratio.

    python benchmarks/bench_namespaces.py --before REF [--systems 10000] [--shape layered]
                                          [--heap 6g] [--page-cache 2g]

REF is a commit without namespaces (ids unique across the database), for example the
merge-base of the namespaces work. Each side runs `benchmarks/bench_load.py` of its own
code in a subprocess (a temporary `git worktree` for REF), on a fresh embedded Neo4j, and the
figures are read from its output: the first load of the files, and the second (full) load of
the same files. Target (issue 9): namespacing costs no more than 10 % load time.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.10
FIGURES = {
    "first load": re.compile(r"^total load\s+([\d.]+) s", re.MULTILINE),
    "second load": re.compile(r"^second load \(parse \+ write\)\s+([\d.]+) s", re.MULTILINE),
}


def run_side(checkout: Path, args: argparse.Namespace) -> dict[str, float]:
    command = [
        sys.executable,
        str(checkout / "benchmarks" / "bench_load.py"),
        "--systems",
        str(args.systems),
        "--shape",
        args.shape,
        "--heap",
        args.heap,
        "--page-cache",
        args.page_cache,
    ]
    env = {**os.environ, "PYTHONPATH": str(checkout / "service")}
    print(f"$ {' '.join(command)}  (code of {checkout})", flush=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stdout.write(done.stdout)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench_load failed in {checkout} (exit {done.returncode})")
    figures = {}
    for name, pattern in FIGURES.items():
        found = pattern.search(done.stdout)
        if found:
            figures[name] = float(found.group(1))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="a commit without namespaces")
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--shape", default="layered")
    parser.add_argument("--heap", default="6g")
    parser.add_argument("--page-cache", default="2g")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="integraph-before-") as scratch:
        before_tree = Path(scratch) / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before_tree), args.before],
            check=True,
            capture_output=True,
        )
        try:
            before = run_side(before_tree, args)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_tree)],
                check=False,
                capture_output=True,
            )
    after = run_side(ROOT, args)
    print(f"\nnamespacing, {args.systems} systems ({args.shape}): this checkout / {args.before}")
    for name in FIGURES:
        if name in before and name in after:
            ratio = after[name] / before[name]
            verdict = "met" if ratio <= TARGET else "NOT met"
            print(
                f"  {name:<12} {after[name]:8.1f} s / {before[name]:8.1f} s = {ratio:5.2f}x "
                f"(target <= {TARGET:.2f}x: {verdict})"
            )


if __name__ == "__main__":
    main()
