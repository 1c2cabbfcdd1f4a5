"""From figures to findings: run the rules, honour ignores and baselines, decide the exit status."""

from __future__ import annotations

import json
from pathlib import Path

from figcheck.checks import RULES
from figcheck.checks.frame import Context
from figcheck.errors import FigcheckError
from figcheck.extract.extractor import ALL_RULES
from figcheck.models import SEVERITY_RANK, Finding, ReferenceRow
from figcheck.pack import Config
from figcheck.records import FigureSet

BASELINE_VERSION = 1


def run_rules(figures: FigureSet, config: Config, references: list[ReferenceRow],
              subjects: frozenset[str] | None = None) -> list[Finding]:
    """Every enabled rule's findings; with `subjects`, only those about figures of these articles."""
    ctx = Context.build(figures, config, references, subjects=subjects)
    findings: list[Finding] = []
    for rule_id, rule in RULES.items():
        if config.rule_enabled(rule_id):
            findings.extend(rule.run(ctx))
    return [f for f in _once(findings) if not _silenced(f)]


# A figure reported as behind the record is not reported again as merely disagreeing: its figures
# still serve as evidence for every rule, but the reader sees the more specific finding once.
_SUPERSEDED_BY = {"conflict": ("outdated", "revised"), "claimant": ("outdated", "revised")}


def _once(findings: list[Finding]) -> list[Finding]:
    subjects: dict[str, set[tuple[str, int]]] = {}
    for finding in findings:
        if finding.severity != "info":
            subjects.setdefault(finding.rule, set()).add((finding.figures[0].doc, finding.figures[0].char_start))
    return [f for f in findings
            if not any((f.figures[0].doc, f.figures[0].char_start) in subjects.get(rule, ())
                       for rule in _SUPERSEDED_BY.get(f.rule, ()))]


def _silenced(finding: Finding) -> bool:
    ignored = set(finding.figures[0].ignore_rules)
    return finding.rule in ignored or ALL_RULES in ignored


def baseline_key(finding: Finding) -> tuple[str, str, str, str]:
    """Stable across edits elsewhere in the article: no offsets, no line numbers."""
    subject = finding.figures[0]
    return finding.rule, finding.metric, subject.doc, subject.surface


def write_baseline(findings: list[Finding]) -> str:
    keys = sorted({baseline_key(f) for f in findings})
    entries = [dict(zip(("rule", "metric", "doc", "surface"), key)) for key in keys]
    return json.dumps({"figcheck_baseline": BASELINE_VERSION, "findings": entries}, ensure_ascii=False, indent=1) + "\n"


def read_baseline(path: Path) -> set[tuple[str, str, str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {(e["rule"], e["metric"], e["doc"], e["surface"]) for e in data["findings"]}
    except FileNotFoundError:
        raise FigcheckError("no such baseline file", path) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FigcheckError(f"not a figcheck baseline ({type(exc).__name__}: {exc})", path) from None


def apply_baseline(findings: list[Finding], known: set[tuple[str, str, str, str]]) -> list[Finding]:
    return [f for f in findings if baseline_key(f) not in known]


def exit_status(findings: list[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in findings) else 0


def rule_descriptions(config: Config) -> dict[str, tuple[str, str, str]]:
    """id -> (summary, full description, default severity), for SARIF's rule table."""
    out = {}
    for rule_id, rule in RULES.items():
        full = " ".join((rule.__doc__ or "").split("\n\n")[1].split()) if rule.__doc__ else rule.SUMMARY
        severity = config.settings(rule_id).severity or rule.SEVERITY
        out[rule_id] = (rule.SUMMARY, full, severity)
    return out
