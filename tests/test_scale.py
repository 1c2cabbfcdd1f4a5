"""At scale: `check` reads only what a draft needs, with the findings of the whole archive."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from figcheck import app, store
from figcheck.output import plain
from figcheck.pack import load_config
from figcheck.scope import KEPT, archive_for, kept_rows
from tests.conftest import CORPUS, DATA, SHARED, run

REFERENCE = SHARED / "reference" / "gaza_moh_daily.csv"
DRAFTS = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".txt")) + [DATA / "drafts" / "ceasefire-draft.md"]


def write_store(path, frame: pl.DataFrame, parts: int = 1) -> None:
    config = load_config()
    with store.Writer(path, record=lambda f: kept_rows(f, config), part_rows=1, record_kind=KEPT) as writer:
        for k in range(parts):
            writer.add(frame.filter(pl.int_range(pl.len()) % parts == k))
        articles = frame.select("path").unique().select(key="path", path="path", content_hash="path", figures=0)
        writer.commit(articles, store.rules_fingerprint(config.files))


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    """The corpus indexed, and a larger archive grown from it: the corpus's figures again and again,
    each copy days later and its counts higher, so periods chain, records climb and values tie."""
    base = tmp_path_factory.mktemp("scale")
    assert run("index", CORPUS, "--store", base / "corpus", "-q").exit_code == 0
    figures = store.open_store(base / "corpus").figures()
    copies = [figures.with_columns(
        doc=pl.format("copy{}-{}", pl.lit(k), pl.col("doc")), path=pl.format("copy{}/{}", pl.lit(k), pl.col("path")),
        as_of=pl.col("as_of") + pl.duration(days=k * 3 % 40), published=pl.col("published") + pl.duration(days=k * 3 % 40),
        value=pl.when(pl.col("unit") == "count").then(((pl.col("value") * (1 + k / 50)) / 10).round() * 10).otherwise(pl.col("value")),
    ) for k in range(1, 25)]
    write_store(base / "grown", pl.concat([figures, *copies]), parts=3)
    # No claimant: no series, so check reads little beyond the draft's dates.
    write_store(base / "unnamed", pl.concat([figures, *copies]).with_columns(claimant=pl.lit(None, pl.String)), parts=3)
    assert len(store.open_store(base / "grown").parts(["gaza.deaths"])) == 3
    return base


def findings(store_path, draft, proportional: bool, references=()) -> str:
    run_ = app.Run(quiet=True)
    found = run_.check([draft], [store_path], run_.references(references), None, dt.date(2024, 6, 1),
                       proportional=proportional)
    return plain.as_json(found)


def test_check_from_the_draft_s_rows_finds_what_the_whole_archive_does(archives):
    """Every other draft against the grown archive, every other one of them with the reference
    series. (The corpus's own store, a part of the grown one, made no mutation of scope.py fail
    that this misses; nor did the reference series or the other half of the drafts.)"""
    references = [[], [REFERENCE] if REFERENCE.is_file() else []]
    reported = 0
    for k, draft in enumerate(DRAFTS[::2]):
        refs = references[k % 2]
        whole = findings(archives / "grown", draft, proportional=False, references=refs)
        assert findings(archives / "grown", draft, proportional=True, references=refs) == whole, draft
        reported += whole.count('"rule":')
    assert reported >= 10  # the comparison means something only if there are findings to compare


def test_check_reads_a_fraction_of_the_archive(archives):
    config = load_config()
    generation = store.open_store(archives / "grown")
    everything = generation.figures()
    draft = app.Run(quiet=True).figures([CORPUS / "quake"])
    chosen = archive_for(draft, generation, config)
    # Of the draft's metric groups, the figures near its dates, the named ones and what index
    # kept; of the other packs' metrics, nothing.
    same_metrics = everything.filter(pl.col("metric").is_in(chosen["metric"].unique().implode()))
    assert 0 < chosen.height < same_metrics.height * 0.8
    assert set(chosen["metric"].unique()) <= {m.id for m in config.metrics.values() if m.source.endswith("quake.yaml")}


def test_check_of_unattributed_figures_reads_near_the_draft_s_dates_and_finds_what_the_whole_archive_does(archives):
    generation = store.open_store(archives / "unnamed")
    reported = 0
    for draft in DRAFTS[::2]:
        whole = findings(archives / "unnamed", draft, proportional=False)
        assert findings(archives / "unnamed", draft, proportional=True) == whole, draft
        reported += whole.count('"rule":')
    assert reported >= 10
    everything = generation.figures()
    draft = app.Run(quiet=True).figures([CORPUS / "quake" / "2023-02-13-bbc-quake-rescues.md"])
    chosen = archive_for(draft, generation, load_config())
    same_metrics = everything.filter(pl.col("metric").is_in(chosen["metric"].unique().implode()))
    assert 0 < chosen.height < same_metrics.height / 2


def test_a_store_indexed_with_other_packs_is_read_whole(archives, tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text((CORPUS.parent / "rules" / "quake.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    config = load_config([pack])
    draft = app.Run(rules=[pack], quiet=True).figures([CORPUS / "quake"])
    assert archive_for(draft, store.open_store(archives / "grown"), config) is None


def test_rules_see_one_metric_group_at_a_time_with_the_findings_of_all_at_once(archives, monkeypatch):
    from figcheck import findings as rules
    from figcheck.checks.frame import Context
    from figcheck.scope import StoredFigures

    config = load_config()
    generation = store.open_store(archives / "grown")
    everything = rules.run_rules(app.FigureSet(generation.figures()), config, [])
    seen: list[set[str]] = []
    build = Context.build.__func__

    def recording(cls, figures, *args, **kwargs):
        seen.append(set(figures.frame["metric"].unique().to_list()))
        return build(cls, figures, *args, **kwargs)

    monkeypatch.setattr(Context, "build", classmethod(recording))
    streamed = list(rules.iter_findings(StoredFigures(generation), config, []))
    groups = rules.metric_groups(config, set(generation.metrics), StoredFigures(generation).share_links())
    assert len(seen) > len(groups) > 5 and all(any(s <= set(g) for g in groups) for s in seen)
    key = lambda f: (f.rule, f.metric, f.message)  # noqa: E731
    assert sorted(map(key, streamed)) == sorted(map(key, everything)) and len(streamed) > 10


def test_findings_are_written_as_they_come(tmp_path, monkeypatch):
    """A failure in a late metric group finds the earlier groups' findings already on stdout."""
    from figcheck import findings as rules

    real = rules.metric_groups

    def failing_last(config, present, links=()):
        yield from real(config, present, links)[:-1]
        raise RuntimeError("the last group failed")

    monkeypatch.setattr(rules, "metric_groups", failing_last)
    result = run("scan", CORPUS, "--format", "jsonl")
    assert result.exit_code == 2 and "internal error" in result.stderr
    assert len(result.stdout.splitlines()) >= 3 and all(line.startswith('{"rule"') for line in result.stdout.splitlines())


def _figures_file(path, rows) -> None:
    import json

    path.write_text("".join(json.dumps({"metric": "gaza.deaths", "qualifier": "exact", **row}) + "\n" for row in rows),
                    encoding="utf-8")


REVISED = "The ministry revised the death toll in the strip to 800 people, down from 1,000."


@pytest.mark.parametrize("revision", ["stated", "shown by a series"])
def test_a_revision_far_from_the_draft_s_date_restarts_the_record_it_is_held_to(tmp_path, revision):
    """Revised down to 800 in January, the count reached 960 by 26 January: a draft's 920 a month
    later is behind that record, which neither the draft's dates nor the running record reach (and
    nearer 1,000 than 800, the draft does not itself follow the lower count)."""
    from figcheck import figfile

    if revision == "stated":
        revising = [{"doc": "r.md", "value": 800, "surface": "800", "as_of": "2024-01-21", "sentence": REVISED,
                     "char_start": 60},
                    {"doc": "r.md", "value": 1000, "surface": "1,000", "as_of": "2024-01-21", "sentence": REVISED,
                     "char_start": 80, "previous": True}]
    else:  # the ministry's lower count, followed by a later article: a revision
        revising = [{"doc": "m1.md", "value": 1000, "surface": "1,000", "as_of": "2024-01-02", "claimant": "Health Ministry"},
                    {"doc": "m2.md", "value": 800, "surface": "800", "as_of": "2024-01-21", "claimant": "Health Ministry"},
                    {"doc": "f.md", "value": 810, "surface": "810", "as_of": "2024-04-20"}]
    archive, draft = tmp_path / "archive.jsonl", tmp_path / "draft.jsonl"
    _figures_file(archive, [{"doc": "a.md", "value": 1000, "surface": "1,000", "as_of": "2024-01-01"}, *revising,
                            {"doc": "b.md", "value": 960, "surface": "960", "as_of": "2024-01-26"}])
    _figures_file(draft, [{"doc": "draft.md", "value": 920, "surface": "920", "as_of": "2024-02-25"}])
    write_store(tmp_path / "store", figfile.load_figures(archive, None, None, print).frame)
    outputs = []
    for proportional in (True, False):
        run_ = app.Run(quiet=True)
        found = run_.check([], [tmp_path / "store"], [], None, dt.date(2024, 6, 1), figure_files=[draft],
                           proportional=proportional)
        outputs.append(plain.as_json(found))
    assert outputs[0] == outputs[1]
    assert '"rule": "outdated"' in outputs[1] and "b.md" in outputs[1]


def test_a_rule_s_findings_stream_a_batch_of_rows_at_a_time(archives, monkeypatch):
    """Rules build findings (and read their figures) a few rows at a time, in the order of their
    articles, and are written as one sort of them all would order them."""
    from figcheck import findings as rules
    from figcheck.checks import frame

    config = load_config()
    figures = app.FigureSet(store.open_store(archives / "grown").figures())
    refs = app.Run(quiet=True).references([REFERENCE] if REFERENCE.is_file() else [])
    whole = plain.as_jsonl(rules.iter_findings(figures, config, refs, order=app.finding_order))
    reads = []
    real_take = app.FigureSet.take

    def counted(self, idxs):
        reads.append(1)
        return real_take(self, idxs)

    monkeypatch.setattr(frame, "FINDING_BATCH", 7)
    monkeypatch.setattr(rules, "HELD_FINDINGS", 0)
    monkeypatch.setattr(app.FigureSet, "take", counted)
    assert plain.as_jsonl(rules.iter_findings(figures, config, refs, order=app.finding_order)) == whole
    assert whole.count("\n") > 100
    assert len(reads) > whole.count("\n") // 7  # read a batch at a time, not a rule's figures at once


def test_findings_a_rule_makes_in_date_order_are_written_in_article_order(tmp_path, monkeypatch):
    """Revisions are found in date order; z.md revises first, a.md later. Streamed a row at a time,
    they are still written in the order one sort of all findings gives."""
    from figcheck import figfile
    from figcheck import findings as rules
    from figcheck.checks import frame

    rows = []
    for doc, day, new, old in (("z.md", "2024-01-21", 800, 1000), ("a.md", "2024-02-21", 1100, 1300)):
        sentence = f"The ministry revised the death toll in the strip to {new:,} people, down from {old:,}."
        rows += [{"doc": doc, "value": new, "surface": f"{new:,}", "as_of": day, "sentence": sentence, "char_start": 60},
                 {"doc": doc, "value": old, "surface": f"{old:,}", "as_of": day, "sentence": sentence, "char_start": 80,
                  "previous": True}]
    _figures_file(tmp_path / "figures.jsonl", rows)
    figures = figfile.load_figures(tmp_path / "figures.jsonl", None, None, print)
    monkeypatch.setattr(frame, "FINDING_BATCH", 1)
    monkeypatch.setattr(rules, "HELD_FINDINGS", 0)  # revised's findings streamed, not held for outdated's turn
    found = list(rules.iter_findings(figures, load_config(), [], order=app.finding_order))
    assert [(f.rule, f.figures[0].doc) for f in found] == [("revised", "a.md"), ("revised", "z.md")]


def test_a_batch_of_findings_reads_a_bounded_number_of_figures(archives, monkeypatch):
    """Rows that cite many figures (a conflict's partners) are read in smaller batches: a batch
    reads about FIGURE_BATCH figures, a row alone more; the findings are the same. (The rules
    that cite figures by the row, each a few, keep to FINDING_BATCH rows.)"""
    from figcheck import findings as rules
    from figcheck.checks import frame
    from figcheck.checks.pairs import MAX_EVIDENCE

    config = load_config()
    figures = app.FigureSet(store.open_store(archives / "grown").figures())
    monkeypatch.setattr(rules, "RULES", {k: v for k, v in rules.RULES.items() if k in ("conflict", "claimant")})
    whole = plain.as_jsonl(rules.iter_findings(figures, config, [], order=app.finding_order))
    sizes = []
    real_take = app.FigureSet.take

    def counted(self, idxs):
        found = real_take(self, idxs)
        sizes.append(len(found))
        return found

    monkeypatch.setattr(app.FigureSet, "take", counted)
    monkeypatch.setattr(frame, "FIGURE_BATCH", 40)
    assert plain.as_jsonl(rules.iter_findings(figures, config, [], order=app.finding_order)) == whole
    assert max(sizes) > 40  # rows citing many figures were met
    assert max(sizes) <= 40 + 1 + 5 * MAX_EVIDENCE  # the batch's figures and one row's (subject, others, partners)
    sizes.clear()
    monkeypatch.setattr(frame, "FIGURE_BATCH", 1)  # a row at a time: one read per finding, or more
    assert plain.as_jsonl(rules.iter_findings(figures, config, [], order=app.finding_order)) == whole
    assert len(sizes) >= whole.count("\n") > 20


def test_the_rules_frames_hold_no_sentences(archives):
    """Sentences, the largest column, serve to find revisions only; the frames every rule copies
    and joins go without them."""
    from figcheck.checks.frame import Context

    ctx = Context.build(app.FigureSet(store.open_store(archives / "corpus").figures()), load_config())
    assert not ctx.frame.is_empty() and "sentence" not in ctx.frame.columns and "sentence" not in ctx.past.columns


def test_the_command_line_has_polars_return_freed_memory(tmp_path):
    """Set before polars loads, unless the user chose otherwise."""
    import os
    import subprocess
    import sys

    code = "import figcheck.cli, os; print(os.environ['_RJEM_MALLOC_CONF'])"
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "dirty_decay_ms:0,muzzy_decay_ms:0"
    env["_RJEM_MALLOC_CONF"] = "narenas:1"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "narenas:1"


def test_conflict_and_claimant_list_partners_a_piece_of_claims_at_a_time(archives, monkeypatch):
    """The clashes that conflict and claimant keep grow faster than the corpus (up to
    sweep.PARTNERS per claim): each piece of claims is turned into 32-bit partner lists as it
    comes and the whole clash table is never built. Small pieces give the same findings."""
    import polars as pl

    from figcheck import findings as rules
    from figcheck.checks import pairs, sweep

    config = load_config()
    figures = app.FigureSet(store.open_store(archives / "grown").figures())
    monkeypatch.setattr(rules, "RULES", {k: v for k, v in rules.RULES.items() if k in ("conflict", "claimant")})
    whole = plain.as_jsonl(rules.iter_findings(figures, config, [], order=app.finding_order))

    def never(*args):
        raise AssertionError("the whole clash table was built")

    pieces, schemas = [], []
    real_pieces, real_lists = sweep.clash_pieces, pairs.clash_lists

    def counted(ctx, keep):
        for piece in real_pieces(ctx, keep):
            pieces.append(piece.height)
            yield piece

    def lists(ctx, chosen):
        subjects, partners = real_lists(ctx, chosen)
        schemas.append(partners.schema)
        return subjects, partners

    monkeypatch.setattr(sweep, "clashes", never)
    monkeypatch.setattr(sweep, "clash_pieces", counted)
    monkeypatch.setattr(pairs, "clash_lists", lists)
    monkeypatch.setattr(sweep, "FEW_CLAIMS", 0)
    monkeypatch.setattr(sweep, "ROWS", 300)
    assert plain.as_jsonl(rules.iter_findings(figures, config, [], order=app.finding_order)) == whole
    assert len(pieces) > 20 and sum(pieces) > 1000 and whole.count("\n") > 20
    assert schemas and all(s == {"claim": pl.Int32, "partners": pl.List(pl.Int32)} for s in schemas)


def test_a_group_s_figures_are_let_go_before_its_metrics_are_checked_one_by_one(archives, monkeypatch):
    """Related metrics are checked together by the rules that look across them, then metric by
    metric: the group's figures are not held meanwhile (at 50,000 articles, 40 MB for the
    gaza.deaths group)."""
    import gc
    import weakref

    from figcheck import findings as rules
    from figcheck.checks.frame import Context
    from figcheck.scope import StoredFigures

    parts: list[tuple[list[str], weakref.ref]] = []
    real_subset = StoredFigures.subset

    def subset(self, metrics):
        part = real_subset(self, metrics)
        parts.append((list(metrics), weakref.ref(part)))
        return part

    held: list[list[str]] = []
    build = Context.build.__func__

    def recording(cls, figures, *args, **kwargs):
        gc.collect()
        held.extend(m for m, ref in parts if len(m) > 1 and ref() is not None and ref() is not figures)
        return build(cls, figures, *args, **kwargs)

    monkeypatch.setattr(StoredFigures, "subset", subset)
    monkeypatch.setattr(Context, "build", classmethod(recording))
    found = list(rules.iter_findings(StoredFigures(store.open_store(archives / "grown")), load_config(), []))
    assert found and any(len(m) > 1 for m, _ in parts)
    assert held == []


def test_findings_across_related_metrics_wait_outside_memory(archives, monkeypatch):
    """The findings of the rules that look across related metrics (arithmetic, implausible) wait
    for their metric's turn in a scratch file, not in memory, and come back as they were made."""
    import gc

    from figcheck import findings as rules
    from figcheck.checks.frame import Context
    from figcheck.models import Finding
    from figcheck.scope import StoredFigures

    across = ("arithmetic", "implausible")
    live: list[int] = []
    build = Context.build.__func__

    def recording(cls, figures, *args, **kwargs):
        if len(figures.metrics()) == 1:
            gc.collect()
            live.append(sum(1 for o in gc.get_objects() if isinstance(o, Finding) and o.rule in across))
        return build(cls, figures, *args, **kwargs)

    config = load_config()
    generation = store.open_store(archives / "grown")
    made = [f.model_dump_json() for f in rules.run_rules(app.FigureSet(generation.figures()), config, [])
            if f.rule in across]
    monkeypatch.setattr(Context, "build", classmethod(recording))
    found = []
    for finding in rules.iter_findings(StoredFigures(generation), config, []):
        if finding.rule in across:
            found.append(finding.model_dump_json())
        del finding  # only the rules' own references are counted
    assert found == made and len(made) > 5
    assert len(live) > 3 and max(live) == 0


def test_stored_figures_keep_no_sentences_once_the_rules_context_is_built(archives):
    """A metric group read from a store keeps, for the figures its findings cite, only the keys
    they are looked up by; the sentences are read for the context (to find revisions) and let go."""
    import gc

    from figcheck.checks.frame import Context
    from figcheck.scope import StoredFigures

    figures = StoredFigures(store.open_store(archives / "grown")).subset(["gaza.deaths"])
    ctx = Context.build(figures, load_config())
    gc.collect()
    assert len(figures) > 100
    assert not [o for o in gc.get_objects() if isinstance(o, pl.DataFrame) and "sentence" in o.columns]
    subject = ctx.frame["idx"][0]
    assert figures.take([subject])[subject].sentence  # read back whole when a finding cites it


def test_the_rules_across_related_metrics_run_without_finding_revisions(archives, monkeypatch):
    """arithmetic and implausible read neither revisions nor epochs: the context of a related
    metrics group, built for them alone, does not find revisions (the per-metric contexts do)."""
    from figcheck import findings as rules
    from figcheck.checks import series
    from figcheck.checks.frame import Context
    from figcheck.scope import StoredFigures

    searched: list[list[str]] = []
    built: list[list[str]] = []
    real_revisions, build = series.revisions, Context.build.__func__

    def revisions(frame):
        searched.append(sorted(frame["metric"].unique().to_list()))
        return real_revisions(frame)

    def recording(cls, figures, *args, **kwargs):
        built.append(sorted(figures.metrics()))
        return build(cls, figures, *args, **kwargs)

    monkeypatch.setattr(series, "revisions", revisions)
    monkeypatch.setattr(Context, "build", classmethod(recording))
    found = list(rules.iter_findings(StoredFigures(store.open_store(archives / "grown")), load_config(), []))
    assert found and any(len(m) > 1 for m in built) and searched
    assert all(len(m) == 1 for m in searched)


def test_the_store_s_claimant_names_are_read_a_metric_at_a_time(archives, monkeypatch):
    """Series are drawn from the names of the whole store; they are gathered a metric at a time,
    the same names as one read of every metric gives."""
    from figcheck.records import _claimant_names
    from figcheck.scope import StoredFigures

    generation = store.open_store(archives / "grown")
    config = load_config()
    whole = _claimant_names(generation.figures(), config)
    reads: list[list[str]] = []
    real_scan = store.Generation.scan

    def scan(self, metrics, columns=None, where=None):
        reads.append(sorted(metrics))
        return real_scan(self, metrics, columns, where)

    monkeypatch.setattr(store.Generation, "scan", scan)
    names = StoredFigures(generation).claimant_names(config)
    assert len(whole) > 3 and names == whole
    assert len(reads) > 3 and all(len(m) == 1 for m in reads)


def test_outdated_and_claimant_copy_only_the_columns_they_compare(archives, monkeypatch):
    """outdated sets each count against its own series and all series, and claimant each named
    count against every other series: the copies carry the few columns compared, not the
    figure's thirty."""
    from figcheck.checks import claimant, outdated
    from figcheck.checks.frame import Context

    ctx = Context.build(app.FigureSet(store.open_store(archives / "grown").figures()), load_config())
    widths: list[int] = []
    real_join = pl.DataFrame.join

    def join(self, other, *args, **kwargs):
        if "other" in other.columns:  # claimant: each figure against the other series of its metric
            widths.append(self.width)
        return real_join(self, other, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "join", join)
    assert not claimant._behind_other_series(ctx).is_empty()
    stale = outdated.stale(ctx)
    assert widths and max(widths) <= 8 < ctx.frame.width
    assert not stale.is_empty() and not {"tolerance", "rounding", "claimant", "window_days"} & set(stale.columns)
