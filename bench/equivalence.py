"""Output equivalence check for speed work: figcheck's outputs before and after, byte for byte.

    python bench/equivalence.py save BASELINE_DIR     # record the outputs of this version
    python bench/equivalence.py check BASELINE_DIR    # compare this version's outputs to them

Outputs: `figcheck figures --format jsonl` over ../shared/seeds, corpus/ and each
../shared/devset/*/articles; `figcheck figures --explain --format jsonl` over each devset story;
`figcheck numbers --all --format jsonl` over all devset articles; `figcheck scan --format json`
(the rules' findings) over the same folders, and over the seeds with the reference counts.
`--only scan` runs the outputs whose name starts with it (rule work need not re-extract
everything). Folders that are missing are skipped (and reported). Exits 1 when an output
differs from the baseline.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def commands() -> dict[str, list[str]]:
    runs: dict[str, list[str]] = {}
    stories = sorted(p for p in (SHARED / "devset").glob("*/articles") if p.is_dir())
    runs["figures-corpus"] = ["figures", str(ROOT / "corpus"), "--format", "jsonl"]
    if (SHARED / "seeds").is_dir():
        runs["figures-seeds"] = ["figures", str(SHARED / "seeds"), "--format", "jsonl"]
    for story in stories:
        name = story.parent.name
        runs[f"figures-{name}"] = ["figures", str(story), "--format", "jsonl"]
        runs[f"explain-{name}"] = ["figures", str(story), "--explain", "--format", "jsonl"]
    scanned = {"corpus": ROOT / "corpus", "seeds": SHARED / "seeds"} | {s.parent.name: s for s in stories}
    for name, folder in scanned.items():
        if folder.is_dir():
            runs[f"scan-{name}"] = ["scan", str(folder), "--format", "json"]
    reference = SHARED / "reference" / "gaza_moh_daily.csv"
    if reference.is_file() and (SHARED / "seeds").is_dir():
        runs["scan-seeds-reference"] = ["scan", str(SHARED / "seeds"), "--reference", str(reference), "--format", "json"]
    if stories:
        runs["numbers-devset"] = ["numbers", "--all", "--format", "jsonl", *map(str, stories)]
    return runs


def run(args: list[str]) -> bytes:
    figcheck = Path(sys.executable).with_name("figcheck")
    done = subprocess.run([str(figcheck), *args], capture_output=True)
    return f"exit {done.returncode}\n".encode() + done.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["save", "check"])
    ap.add_argument("baseline", type=Path)
    ap.add_argument("--only", default="", help="outputs whose name starts with this (figures, explain, scan, numbers)")
    args = ap.parse_args()
    if args.action == "save":
        args.baseline.mkdir(parents=True, exist_ok=True)
    differ = 0
    for name, cmd in commands().items():
        if not name.startswith(args.only):
            continue
        out = run(cmd)
        lines = out.count(b"\n") - 1
        path = args.baseline / f"{name}.jsonl"
        if args.action == "save":
            path.write_bytes(out)
            print(f"saved  {name}: {lines} lines")
        elif not path.exists():
            print(f"MISSING {name}: no baseline")
            differ += 1
        elif path.read_bytes() != out:
            print(f"DIFFERS {name}")
            differ += 1
        else:
            print(f"same   {name}: {lines} lines")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
