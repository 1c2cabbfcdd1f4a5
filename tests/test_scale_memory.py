"""At scale: `scan` holds one metric group, one rule's findings and a batch of rows at a time, and
writes findings as they come."""

from __future__ import annotations

import polars as pl

from figcheck import app, store
from figcheck.output import plain
from figcheck.pack import load_config
from tests.conftest import CORPUS, run
from tests.scale_archives import REFERENCE, figures_file


def test_rules_see_one_metric_group_at_a_time_with_the_findings_of_all_at_once(archives, contexts_built):
    from figcheck import findings as rules
    from figcheck.scope import StoredFigures

    config = load_config()
    generation = store.open_store(archives / "grown")
    everything = rules.run_rules(app.FigureSet(generation.figures()), config, [])
    seen = contexts_built
    seen.clear()
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
    figures_file(tmp_path / "figures.jsonl", rows)
    figures = figfile.load_figures(tmp_path / "figures.jsonl", None, None, print)
    monkeypatch.setattr(frame, "FINDING_BATCH", 1)
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
    assert not ctx.frame.is_empty() and "sentence" not in ctx.frame.columns


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


def test_check_has_polars_keep_freed_pages_a_second(tmp_path):
    """check lives under a second: it keeps freed pages (set before polars loads), unless the
    user chose otherwise; other commands return them."""
    import os
    import subprocess
    import sys

    draft = tmp_path / "draft.md"
    draft.write_text("---\npublished: 2024-01-20\n---\nThe ministry said 24,100 people had been killed.\n",
                     encoding="utf-8")
    code = ("import os, sys; from click.testing import CliRunner; from figcheck import cli; "
            "CliRunner().invoke(cli.main, sys.argv[1:]); print(os.environ['_RJEM_MALLOC_CONF'])")
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    for command, conf in ((["check", str(draft), "-q"], "dirty_decay_ms:1000,muzzy_decay_ms:1000"),
                          (["figures", str(draft)], "dirty_decay_ms:0,muzzy_decay_ms:0")):
        done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True, env=env,
                              check=True, cwd=tmp_path)
        assert done.stdout.strip().splitlines()[-1].endswith(conf)  # polars puts its own before it
    env["_RJEM_MALLOC_CONF"] = "narenas:1"
    done = subprocess.run([sys.executable, "-c", code, "check", str(draft), "-q"], capture_output=True, text=True,
                          env=env, check=True, cwd=tmp_path)
    assert done.stdout.strip().splitlines()[-1].endswith(",narenas:1")


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
    real_revisions, build = series.stated_revisions, Context.build.__func__

    def revisions(frame):
        searched.append(sorted(frame["metric"].unique().to_list()))
        return real_revisions(frame)

    def recording(cls, figures, *args, **kwargs):
        built.append(sorted(figures.metrics()))
        return build(cls, figures, *args, **kwargs)

    monkeypatch.setattr(series, "stated_revisions", revisions)
    monkeypatch.setattr(Context, "build", classmethod(recording))
    found = list(rules.iter_findings(StoredFigures(store.open_store(archives / "grown")), load_config(), []))
    assert found and any(len(m) > 1 for m in built) and searched
    assert all(len(m) == 1 for m in searched)


def test_the_store_s_claimant_names_are_read_a_metric_at_a_time(archives, monkeypatch):
    """Series are drawn from the names of the whole store: index kept them, and a store indexed
    without them has them gathered a metric at a time; the same names as one read of every metric
    gives."""
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
    assert len(whole) > 3 and StoredFigures(generation).claimant_names(config) == whole
    assert reads == []
    generation.record_kind = None  # as an earlier version indexed it
    assert StoredFigures(generation).claimant_names(config) == whole
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
