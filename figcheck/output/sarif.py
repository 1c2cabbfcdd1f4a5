"""SARIF 2.1.0: one rule entry per rule id, one result per finding with its location and region.

Artifact URIs are the articles' identities (paths relative to the project root) against the base
SRCROOT, so results match files in a code-scanning dashboard wherever the run took place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

from figcheck import __version__
from figcheck.models import Figure, Finding
from figcheck.output.plain import indented_dumps

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
BASE = "SRCROOT"
HTML_SUFFIXES = (".html", ".htm")


def _location(figure: Figure) -> dict:
    region = {
        "startLine": figure.line, "startColumn": figure.column,
        "endLine": figure.line, "endColumn": figure.column + len(figure.surface),
        "snippet": {"text": figure.surface},
    }
    if not figure.doc.lower().endswith(HTML_SUFFIXES):  # an HTML figure's offsets are into its main text
        region.update(charOffset=figure.char_start, charLength=figure.char_end - figure.char_start)
    return {
        "physicalLocation": {"artifactLocation": {"uri": quote(figure.doc), "uriBaseId": BASE}, "region": region},
        "message": {"text": f"{figure.outlet or figure.doc} ({figure.as_of}): {figure.surface}"},
    }


def findings_sarif(findings: Iterable[Finding], rules: dict[str, tuple[str, str, str]], help_texts: dict[str, str],
                   root: Path) -> Iterator[str]:
    """rules: id -> (summary, full description, default severity); help_texts: id -> documentation;
    root: the folder the artifact URIs are relative to. Results are written one at a time."""
    ids = list(rules)
    driver_rules = [{
        "id": rule_id, "name": rule_id,
        "shortDescription": {"text": summary}, "fullDescription": {"text": full},
        "help": {"text": help_texts.get(rule_id, full)},
        "defaultConfiguration": {"level": LEVEL[severity]},
    } for rule_id, (summary, full, severity) in rules.items()]
    log = {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "figcheck", "version": __version__, "rules": driver_rules}},
            "originalUriBaseIds": {BASE: {"uri": root.resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [_RESULTS],
        }],
    }
    head, tail = json.dumps(log, ensure_ascii=False, indent=1).split(json.dumps(_RESULTS))
    yield head.rstrip()
    separator = "\n"
    dumps = indented_dumps()
    for finding in findings:
        yield separator + dumps(_result(finding, ids))
        separator = ",\n"
    yield "\n" + tail.lstrip() + "\n"


_RESULTS = "\x00results\x00"


def _result(finding: Finding, ids: list[str]) -> dict:
    subject, evidence = finding.figures[0], finding.figures[1:]
    result = {
        "ruleId": finding.rule, "ruleIndex": ids.index(finding.rule), "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(subject)],
        "partialFingerprints": {"figcheck/v1": f"{finding.rule}:{finding.metric}:{subject.doc}:{subject.surface}"},
        "properties": {"metric": finding.metric, "days_stale": finding.days_stale},
    }
    if evidence:
        result["relatedLocations"] = [dict(_location(f), id=k) for k, f in enumerate(evidence, start=1)]
    return result
