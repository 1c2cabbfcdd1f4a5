"""Output equivalence check for speed work: figcheck's outputs before and after, byte for byte.

    python bench/equivalence.py save BASELINE_DIR     # record the outputs of this version
    python bench/equivalence.py check BASELINE_DIR    # compare this version's outputs to them

Outputs: `figcheck figures --format jsonl` over ../shared/seeds, corpus/ and each
../shared/devset/*/articles; `figcheck figures --explain --format jsonl` over each devset story;
`figcheck numbers --all --format jsonl` over all devset articles; `figcheck scan --format json`
(the rules' findings) over the same folders, and over the seeds with the reference counts.
`figcheck check --format json` of drafts against stores that this version's `index` writes into
BASELINE_DIR/stores (each folder indexed whole, so a draft is also an article of the store; and
drafts of one folder against another's store). `--only scan` runs the outputs whose name starts with it (rule work need not re-extract
everything). Folders that are missing are skipped (and reported). Exits 1 when an output
differs from the baseline.
"""

from __future__ import annotations

import argparse
import shutil
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


def check_commands(stores: Path) -> dict[str, list[str]]:
    """check of drafts against stores index writes (built first, under `stores`): `index-NAME` builds."""
    folders = {"corpus": ROOT / "corpus", "seeds": SHARED / "seeds"} | {
        s.parent.name: s for s in sorted((SHARED / "devset").glob("*/articles"))}
    folders = {name: folder for name, folder in folders.items() if folder.is_dir()}
    runs: dict[str, list[str]] = {}
    for name, folder in folders.items():
        runs[f"index-{name}"] = ["index", str(folder), "--store", str(stores / name), "-q"]
    for name, folder in folders.items():
        articles = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md", ".html") and p.is_file())
        for k, draft in enumerate(articles[:: max(1, len(articles) // 3)][:3]):
            runs[f"check-{name}-{k}"] = ["check", str(draft), "--against", str(stores / name), "--format", "json"]
        # A draft that is not an article of the store, against another story's archive and the corpus's.
        for other in ("corpus", "gaza"):
            if other in folders and other != name:
                runs[f"check-{name}-vs-{other}"] = ["check", str(articles[0]), "--against", str(stores / other),
                                                    "--format", "json"]
    return runs


def run(args: list[str]) -> bytes:
    figcheck = Path(sys.executable).with_name("figcheck")
    done = subprocess.run([str(figcheck), *args], capture_output=True, cwd=ROOT)
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
    stores = args.baseline / "stores"
    shutil.rmtree(stores, ignore_errors=True)
    for name, cmd in {**commands(), **check_commands(stores)}.items():
        if not name.startswith(args.only) and not (name.startswith("index-") and args.only.startswith("check")):
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
