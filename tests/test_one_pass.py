"""A small set of figures is judged in one pass over all its metric groups (findings.iter_findings),
and `check` judges only the groups its draft has figures in: the findings are those, in the order,
that the rules give group by group and metric by metric."""

from __future__ import annotations

import json

import pytest

from figcheck import app, findings
from figcheck.output import plain
from figcheck.pack import RuleSettings, load_config
from figcheck.records import FigureSet
from tests.conftest import CORPUS, SHARED, needs_shared
from tests.test_rules import figure

DEVSET = [SHARED / "devset" / story / "articles" for story in ("gaza", "quake", "maui")]


def by_article(finding):
    """Another order iter_findings accepts (article first), under which rules are not in their order."""
    return finding.figures[0].doc, finding.figures[0].char_start, finding.message


def about(found: str, docs) -> str:
    """The JSON Lines findings whose subject is a figure of these articles."""
    return "".join(line + "\n" for line in found.splitlines() if json.loads(line)["figures"][0]["doc"] in docs)


def findings_of(figures, config, references=(), subjects=None, order=app.finding_order, one_pass=True):
    limit = findings.ONE_PASS_FIGURES if one_pass else 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(findings, "ONE_PASS_FIGURES", limit)
        return plain.as_jsonl(findings.iter_findings(figures, config, list(references), subjects, order=order))


@pytest.fixture(scope="module")
def stories():
    """The figures of the bundled corpus, the devset and the seeds, with the reference series."""
    run = app.Run(quiet=True)
    figures = run.figures([CORPUS, *DEVSET, SHARED / "seeds"])
    return run, figures, run.references([SHARED / "reference" / "gaza_moh_daily.csv"])


@needs_shared
@pytest.mark.parametrize("order, reverse", [(app.finding_order, False), (by_article, False), (by_article, True)],
                         ids=["finding_order", "by_article", "by_article, rules in reverse"])
def test_one_pass_gives_the_findings_of_group_by_group(stories, order, reverse, monkeypatch):
    """Also with the rules in reverse order: group by group, a metric's own rules still come before
    those across its group (arithmetic, implausible), and one pass must keep to that."""
    run, figures, references = stories
    if reverse:
        monkeypatch.setattr(findings, "RULES", dict(reversed(findings.RULES.items())))
    whole = findings_of(figures, run.config, references, order=order, one_pass=False)
    assert whole.count("\n") > 50
    assert findings_of(figures, run.config, references, order=order) == whole
    # Drafts whose findings span several metrics of related groups (quake's tolls, Gaza's).
    docs = [d for d in sorted(figures.docs()) if d.endswith(("france24-quake-toll.md", "quake_dev_03.txt",
                                                               "reuters-gaza-siege.md", "002_2a7d998d117598b4.txt"))]
    assert len(docs) == 4
    for doc in docs:
        subjects = frozenset([doc])
        alone = findings_of(figures, run.config, references, subjects, order=order, one_pass=False)
        assert findings_of(figures, run.config, references, subjects, order=order) == alone
        assert alone.count("\n") == len(about(alone, subjects).splitlines()) > 0


def judged_alone(found: str, docs) -> list[str]:
    """outdated's findings, and claimant's of a series trailing another's record, about the articles:
    each figure is held to the record whichever figures are judged beside it."""
    return [line for line in found.splitlines() if json.loads(line)["figures"][0]["doc"] in docs
            and (json.loads(line)["rule"] == "outdated" or "trails what the other" in json.loads(line)["message"])]


@needs_shared
def test_check_holds_only_its_draft_s_figures_to_the_record_with_the_findings_of_all(stories):
    """With subjects (check), outdated and claimant judge only their figures against the record
    the whole set makes: the findings about them are those of judging every figure."""
    run, figures, references = stories
    everything = findings_of(figures, run.config, references, subjects=None)
    compared = 0
    for doc in sorted(figures.docs()):
        mine = judged_alone(findings_of(figures, run.config, references, frozenset([doc])), {doc})
        assert mine == judged_alone(everything, {doc}), doc
        compared += len(mine)
    assert compared >= 10


def test_check_holds_only_its_drafts_figures_to_the_records_of_named_series_too(archives):
    """The grown archive's claimant series trail one another: half its articles as the drafts."""
    from figcheck import store

    config = load_config()
    figures = FigureSet(store.open_store(archives / "grown").figures())
    everything = findings_of(figures, config)
    docs = frozenset(sorted(figures.docs())[::2])
    mine = judged_alone(findings_of(figures, config, subjects=docs), docs)
    assert mine == judged_alone(everything, docs)
    assert sum("trails what" in line for line in mine) >= 10


# desk.md gives, at one offset (a hand-made figures file may), a children's toll that conflicts with
# two wires and a toll behind an earlier wire's: outdated reports the toll, and that must not hide
# the conflict about the children, another metric of the same group.
SAME_OFFSET = [
    {"doc": "wire-a.md", "metric": "gaza.deaths.children", "value": 5000, "as_of": "2024-01-10", "surface": "5,000"},
    {"doc": "wire-b.md", "metric": "gaza.deaths.children", "value": 5000, "as_of": "2024-01-10", "surface": "5,000"},
    {"doc": "desk.md", "metric": "gaza.deaths.children", "value": 4000, "as_of": "2024-01-10", "surface": "4,000",
     "char_start": 120},
    {"doc": "wire-c.md", "metric": "gaza.deaths", "value": 25000, "as_of": "2024-01-05", "surface": "25,000"},
    {"doc": "desk.md", "metric": "gaza.deaths", "value": 20000, "as_of": "2024-01-10", "surface": "20,000",
     "char_start": 120},
]


def test_a_superseding_finding_hides_only_findings_about_its_own_metric():
    figures = FigureSet.of([figure(f) for f in SAME_OFFSET])
    config = load_config()
    for subjects in (None, frozenset(["desk.md"])):
        whole = findings_of(figures, config, subjects=subjects, one_pass=False)
        assert findings_of(figures, config, subjects=subjects) == whole
        found = list(findings.iter_findings(figures, config, [], subjects, order=app.finding_order))
        assert [(f.rule, f.metric, f.severity) for f in found] == [
            ("outdated", "gaza.deaths", "warning"), ("conflict", "gaza.deaths.children", "warning"),
            ("outdated", "gaza.deaths.children", "info")]


def test_check_judges_only_the_metrics_its_draft_reports(contexts_built, monkeypatch):
    """A draft of Gaza's toll and hostages against the whole corpus: the quake's groups, Gaza's
    others and, group by group, the related metrics the draft gives no figure of are not judged."""
    run = app.Run(quiet=True)
    archive = run.figures([CORPUS])
    draft = FigureSet.of([figure(f) for f in [
        {"doc": "draft.md", "metric": "gaza.deaths", "value": 5000, "as_of": "2024-03-05", "surface": "5,000"},
        {"doc": "draft.md", "metric": "hostages.held", "value": 240, "as_of": "2024-03-05", "surface": "240"}]])
    figures = FigureSet.concat([draft, archive])
    groups = findings.metric_groups(run.config, figures.metrics(), figures.share_links())
    touched = [g for g in groups if {"gaza.deaths", "hostages.held"} & set(g)]
    assert len(groups) > len(touched) == 2 and all(len(g) > 1 for g in touched)
    subjects = frozenset(["draft.md"])
    one = findings_of(figures, run.config, subjects=subjects)
    assert contexts_built == [set().union(*touched) & figures.metrics()]
    contexts_built.clear()
    assert findings_of(figures, run.config, subjects=subjects, one_pass=False) == one
    # Each touched group's rules across its metrics, then its own rules for the draft's metric only.
    assert sorted(map(sorted, contexts_built)) == sorted([sorted(set(touched[0]) & figures.metrics()), ["gaza.deaths"],
                                                 sorted(set(touched[1]) & figures.metrics()), ["hostages.held"]])
    assert one.count("\n") == len(about(one, subjects).splitlines()) > 0


class EveryFigure:
    """A rule that reports every figure, whatever `subjects` says."""

    ID, SUMMARY, SEVERITY = "everyfigure", "every figure", "info"

    @staticmethod
    def run(ctx):
        figures = ctx.figures.take(ctx.frame["idx"])
        return [findings.Finding(rule="everyfigure", severity="info", metric=f.metric, message="seen", figures=[f])
                for f in figures.values()]


@pytest.mark.parametrize("one_pass", [True, False], ids=["one pass", "group by group"])
def test_with_subjects_only_findings_about_their_figures_are_reported(monkeypatch, one_pass):
    figures = FigureSet.of([figure(f) for f in SAME_OFFSET])
    monkeypatch.setattr(findings, "RULES", {"everyfigure": EveryFigure})
    config = load_config()
    config.rules["everyfigure"] = RuleSettings()
    found = findings_of(figures, config, subjects=frozenset(["desk.md", "wire-c.md"]), one_pass=one_pass)
    assert sorted(json.loads(line)["figures"][0]["doc"] for line in found.splitlines()) == [
        "desk.md", "desk.md", "wire-c.md"]


# The draft's toll is the same claim as a wire's listed first (the claim's `doc` is the wire's);
# two others give a higher toll the same day, and the claim of the lower toll is questioned.
SHARED_CLAIM = [
    {"doc": "wire.md", "metric": "gaza.deaths", "value": 4000, "as_of": "2024-01-10", "surface": "4,000"},
    {"doc": "draft.md", "metric": "gaza.deaths", "value": 4000, "as_of": "2024-01-10", "surface": "4,000"},
    {"doc": "other-a.md", "metric": "gaza.deaths", "value": 5000, "as_of": "2024-01-10", "surface": "5,000"},
    {"doc": "other-b.md", "metric": "gaza.deaths", "value": 5000, "as_of": "2024-01-10", "surface": "5,000"},
]


@pytest.mark.parametrize("few", [True, False], ids=["claims joined whole", "claims swept"])
def test_check_questions_a_claim_its_draft_shares_with_an_earlier_article(monkeypatch, few):
    """With `check`, only claims holding a draft figure are questioned (sweep._asked): a claim
    holds the figures of all its articles, the draft's among them even when it is not the first."""
    from figcheck.checks import sweep

    if not few:
        monkeypatch.setattr(sweep, "FEW_CLAIMS", 0)
    figures = FigureSet.of([figure(f) for f in SHARED_CLAIM])
    found = list(findings.iter_findings(figures, load_config(), [], frozenset(["draft.md"]), order=app.finding_order))
    assert [(f.rule, f.figures[0].doc, sorted(g.doc for g in f.figures[1:])) for f in found if f.rule == "conflict"] == [
        ("conflict", "draft.md", ["other-a.md", "other-b.md"])]
