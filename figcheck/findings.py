"""From figures to findings: run the rules, honour ignores and baselines, decide the exit status."""

from __future__ import annotations

import json
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path


from figcheck.checks import RULES
from figcheck.checks.frame import Context, Streams
from figcheck.errors import FigcheckError
from figcheck.extract.extractor import ALL_RULES
from figcheck.models import SEVERITY_RANK, Finding, ReferenceRow
from figcheck.pack import Config
from figcheck.records import FigureSet

BASELINE_VERSION = 1
# Rules whose findings about a metric depend on its figures alone (their joins are keyed on the
# metric). They include every rule `_SUPERSEDED_BY` relates, so its dedupe sees them together.
PER_METRIC = {"conflict", "claimant", "outdated", "revised", "internal", "trend"}
# Rules that read neither revisions nor epochs: a context for them alone skips finding revisions
# (for the related metrics of gaza.deaths at 50,000 articles, 25 s and some 100 MB at its peak).
NO_REVISIONS = {"arithmetic", "implausible"}


def run_rules(figures: FigureSet, config: Config, references: list[ReferenceRow],
              subjects: frozenset[str] | None = None) -> list[Finding]:
    """Every enabled rule's findings; with `subjects`, only those about figures of these articles."""
    return list(iter_findings(figures, config, references, subjects))


def iter_findings(figures: FigureSet, config: Config, references: list[ReferenceRow],
                  subjects: frozenset[str] | None = None, claimants: list[str] | None = None,
                  order=None) -> Iterator[Finding]:
    """The findings of run_rules, produced metric group by metric group and, within a group, rule
    by rule, so a caller that writes them as they come holds one rule's findings of one group at
    most.

    No rule looks across groups: conflict, claimant, outdated, revised, internal and trend stay
    within a metric; arithmetic and implausible within the metrics a relation (or a share's
    base) ties together. Claimant names are grouped into series over the whole set, as one run
    over everything would. Within a group findings come rule by rule, or sorted by `order` (a
    key, such as `app.finding_order`, for output identical from run to run; it must order one
    rule's findings about a metric by their subject's article first, since a rule's stream is
    sorted an article at a time); the groups in the order of their metrics. `claimants`: the
    names of a larger set these figures were chosen from (check's archive read in part).

    With `subjects`, every finding is about a figure of those articles, so a metric without one
    has none to give and the rules skip it. A small set in memory (ONE_PASS_FIGURES), with an
    `order`, is judged in one pass over all its metrics and its findings sorted as the groups
    would give them: the same findings, without the fixed cost of each group's frames."""
    present = figures.metrics()
    enabled = [(rule_id, rule) for rule_id, rule in RULES.items() if config.rule_enabled(rule_id)]
    if claimants is None:
        claimants = figures.claimant_names(config)
    # A set held in memory, not a store's (scope.StoredFigures) read a group at a time as it is judged.
    in_memory = type(figures) is FigureSet
    judged = _metrics_of(figures, subjects) if subjects is not None and in_memory else present

    def produce(part: FigureSet, metrics: list[str], chosen, sort=order) -> Iterator[Finding]:
        """The group's findings rule by rule: one rule's findings are held at a time, never the group's."""
        ctx = Context.build(part, config, [r for r in references if r.metric in metrics], subjects=subjects,
                            claimants=claimants, revisions=any(rule_id not in NO_REVISIONS for rule_id, _ in chosen))
        superseding = _superseding_subjects(ctx, chosen)
        for rule_id, rule in chosen:
            hidden = set().union(*(superseding.get(other, ()) for other in _SUPERSEDED_BY.get(rule_id, ())))
            found = rule.run(ctx)
            if sort is None:
                yield from (f for f in found if _reported(f, hidden, subjects))
                continue
            # A list is held and sorted whole; a stream comes in the order of its articles (see
            # frame.doc_batches) and is sorted an article at a time.
            pieces = [found] if isinstance(found, list) else _by_article(
                found.merged() if isinstance(found, Streams) else found, rule_id)
            for piece in pieces:
                yield from sorted((f for f in piece if _reported(f, hidden, subjects)), key=sort)

    def part(metrics: list[str]) -> FigureSet:
        return figures if len(metrics) == len(present) else figures.subset(metrics)

    groups = metric_groups(config, present, figures.share_links())
    if order is not None and in_memory and len(figures) <= ONE_PASS_FIGURES:
        groups = [group for group in groups if judged & set(group)]
        chosen = [metric for group in groups for metric in group]
        yield from sorted(produce(part(chosen), chosen, enabled, sort=None),
                          key=_group_order(groups, [rule_id for rule_id, _ in enabled], order))
        return
    for metrics in groups:  # taken as they come: a caller has the earlier groups' findings if a later one fails
        if not judged & set(metrics):
            continue
        if len(metrics) == 1:
            yield from produce(part(metrics), metrics, enabled)
            continue
        # Related metrics: the rules that look across them run on the group, and their findings
        # wait in a scratch file while the others run metric by metric (held, 3,798 of them took
        # 33 MB at 20,000 articles). The group's figures are let go first: nothing names them after.
        with _SetAside(produce(part(metrics), metrics, [(i, r) for i, r in enabled if i not in PER_METRIC])) as across:
            for metric in metrics:
                if metric in judged:
                    yield from produce(part([metric]), [metric], [(i, r) for i, r in enabled if i in PER_METRIC])
                yield from across.of(metric)


# Up to this many figures held in memory, the rules run once over all metric groups: a group's
# frames cost some 190 polars operations (about 0.12 ms each on small frames) whatever its size.
ONE_PASS_FIGURES = 50_000


def _metrics_of(figures: FigureSet, subjects: frozenset[str]) -> set[str]:
    """The metrics that figures of these articles report."""
    frame = figures.frame
    return set(frame.filter(frame["doc"].is_in(list(subjects)))["metric"].unique().to_list())


def _group_order(groups: list[list[str]], rule_ids: list[str], order):
    """The key that sorts findings of one pass as iter_findings gives them group by group: by group;
    in a group of related metrics, by metric, its own rules' findings before those of the rules
    across the group; then by rule, then by `order`."""
    place = {metric: (k, metric if len(group) > 1 else "") for k, group in enumerate(groups) for metric in group}
    rank = {rule_id: k for k, rule_id in enumerate(rule_ids)}

    def key(finding: Finding) -> tuple:
        group, metric = place[finding.metric]
        return group, metric, bool(metric) and finding.rule not in PER_METRIC, rank[finding.rule], order(finding)

    return key


def _reported(finding: Finding, hidden: set[tuple[str, str, int]], subjects: frozenset[str] | None) -> bool:
    return (not _silenced(finding) and _subject(finding) not in hidden
            and (subjects is None or finding.figures[0].doc in subjects))


class _SetAside:
    """Findings kept in a scratch file (deleted on close), read back a metric at a time in the
    order they came."""

    def __init__(self, found: Iterable[Finding]):
        self.file = tempfile.TemporaryFile(prefix="figcheck-findings-")
        self.offsets: dict[str, list[int]] = {}
        for finding in found:
            self.offsets.setdefault(finding.metric, []).append(self.file.tell())
            pickle.dump(finding, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def of(self, metric: str) -> Iterator[Finding]:
        for offset in self.offsets.get(metric, []):
            self.file.seek(offset)
            yield pickle.load(self.file)

    def __enter__(self) -> "_SetAside":
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()


# A figure reported as behind the record is not reported again as merely disagreeing: its figures
# still serve as evidence for every rule, but the reader sees the more specific finding once.
# The subjects are figures of one metric, so the dedupe holds within each metric group.
_SUPERSEDED_BY = {"conflict": ("outdated", "revised"), "claimant": ("outdated", "revised")}


def _superseding_subjects(ctx: Context, chosen) -> dict[str, set[tuple[str, str, int]]]:
    """Per superseding rule, the subjects of its findings above info (silenced ones included: the
    rule still reports them), read off its rows (`subjects`) rather than its findings: made
    before the rules they hide findings of, its findings left memory behind (Figure records,
    read and let go) that every rule after them ran on top of, and they were made twice."""
    ids = {rule_id for rule_id, _ in chosen}
    wanted = {other for rule_id in ids for other in _SUPERSEDED_BY.get(rule_id, ()) if other in ids}
    found: dict[str, set[tuple[str, str, int]]] = {}
    for rule_id, rule in chosen:
        if rule_id in wanted:
            rows = rule.subjects(ctx).join(ctx.frame.select("idx", "metric", "doc", "char_start"), on="idx")
            found[rule_id] = set(rows.select("metric", "doc", "char_start").iter_rows())
    return found


def _by_article(findings: Iterable[Finding], rule_id: str) -> Iterator[list[Finding]]:
    """A rule's findings streamed in the order of their subjects' articles (see frame.doc_batches),
    one article's at a time: sorted piece by piece, they come out as one sort of them all would."""
    piece: list[Finding] = []
    for finding in findings:
        if piece and finding.figures[0].doc != piece[0].figures[0].doc:
            if finding.figures[0].doc < piece[0].figures[0].doc:
                raise RuntimeError(f"rule {rule_id} gave findings out of their articles' order")
            yield piece
            piece = []
        piece.append(finding)
    if piece:
        yield piece


def _subject(finding: Finding) -> tuple[str, str, int]:
    """A finding's subject figure; with its metric, so that a pass over several metrics hides a
    finding only for a superseding one about the same metric, as a pass over one would."""
    return finding.metric, finding.figures[0].doc, finding.figures[0].char_start


def metric_groups(config: Config, present: set[str], links=()) -> list[list[str]]:
    """The metrics present, grouped so that metrics a relation (or a share and its base metric,
    `links`) ties together are in one group."""
    parent = {m: m for m in present}

    def root(m: str) -> str:
        while parent[m] != m:
            m = parent[m]
        return m

    for linked in [*(relation.metrics for relation in config.relations), *links]:
        linked = [m for m in linked if m in parent]
        for m in linked[1:]:
            parent[root(m)] = root(linked[0])
    groups: dict[str, list[str]] = {}
    for m in sorted(present):
        groups.setdefault(root(m), []).append(m)
    return sorted(groups.values())


class Tally:
    """Findings passed through as they stream, with what the exit status and a baseline need."""

    def __init__(self, findings: Iterable[Finding], keys: bool = False):
        self._findings = findings
        self.worst = 0
        self.keys: set[tuple[str, str, str, str]] | None = set() if keys else None

    def __iter__(self) -> Iterator[Finding]:
        for finding in self._findings:
            self.worst = max(self.worst, SEVERITY_RANK[finding.severity])
            if self.keys is not None:
                self.keys.add(baseline_key(finding))
            yield finding


def _silenced(finding: Finding) -> bool:
    ignored = set(finding.figures[0].ignore_rules)
    return finding.rule in ignored or ALL_RULES in ignored


def baseline_key(finding: Finding) -> tuple[str, str, str, str]:
    """Stable across edits elsewhere in the article: no offsets, no line numbers."""
    subject = finding.figures[0]
    return finding.rule, finding.metric, subject.doc, subject.surface


def write_baseline(findings: Iterable[Finding] | Tally) -> str:
    keys = sorted(findings.keys if isinstance(findings, Tally) and findings.keys is not None
                  else {baseline_key(f) for f in findings})
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


def apply_baseline(findings: Iterable[Finding], known: set[tuple[str, str, str, str]]) -> Iterator[Finding]:
    return (f for f in findings if baseline_key(f) not in known)


def exit_status(findings: Iterable[Finding] | Tally, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    worst = findings.worst if isinstance(findings, Tally) else max(
        (SEVERITY_RANK[f.severity] for f in findings), default=0)
    return 1 if worst >= threshold else 0


def rule_descriptions(config: Config) -> dict[str, tuple[str, str, str]]:
    """id -> (summary, full description, default severity), for SARIF's rule table."""
    out = {}
    for rule_id, rule in RULES.items():
        full = " ".join((rule.__doc__ or "").split("\n\n")[1].split()) if rule.__doc__ else rule.SUMMARY
        severity = config.settings(rule_id).severity or rule.SEVERITY
        out[rule_id] = (rule.SUMMARY, full, severity)
    return out
