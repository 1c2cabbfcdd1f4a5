"""figcheck's command line. Commands stay thin: they parse options and call the library.

Heavy libraries (polars, pydantic, rich, quantulum3) are imported inside the commands so that
`figcheck --help` answers at once.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from pathlib import Path

import click

# polars' allocator (jemalloc) keeps freed pages for reuse unless told otherwise: after a large
# metric group's frames, scan held 80 MB or more it no longer used, more as the corpus grew.
# Returned at once, the resident memory is what is in use (set before polars is first imported).
RETURN_PAGES = "dirty_decay_ms:0,muzzy_decay_ms:0"
# A check lives well under a second: pages returned at once were faulted in again by its next
# frames (against 1,000,000 figures, some 60 ms of system CPU of its 0.6 s; kept a second,
# the peak is some 15 MB higher).
KEEP_PAGES = "dirty_decay_ms:1000,muzzy_decay_ms:1000"
os.environ.setdefault("_RJEM_MALLOC_CONF", RETURN_PAGES)


def keep_pages() -> None:
    """For a short command (check): jemalloc keeps freed pages a second, unless the user set it up
    or polars is loaded already (jemalloc reads the setting as polars loads)."""
    if os.environ["_RJEM_MALLOC_CONF"] == RETURN_PAGES and "polars" not in sys.modules:
        os.environ["_RJEM_MALLOC_CONF"] = KEEP_PAGES

FIGURE_FORMATS = ("table", "jsonl", "json", "csv", "xlsx")
FINDING_FORMATS = ("table", "json", "jsonl", "csv", "sarif", "github", "html", "xlsx")
FORMAT_HELP = "Default: from -o FILE's extension (.html, .xlsx, .csv, .json, ...), else table."
FAIL_ON = ("error", "warning", "info", "never")
COLLECTED_FORMATS = ("html", "xlsx")  # drawn from the whole list of findings, not written as they come


def _paths(f):
    return click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))(f)


def _options(*options):
    def apply(f):
        for option in reversed(options):
            f = option(f)
        return f

    return apply


_inputs = _options(
    click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path),
                 help="Metric pack file or folder (repeatable). Default: the bundled packs."),
    click.option("--manifest", type=click.Path(path_type=Path, dir_okay=False),
                 help="CSV of article metadata (file, published; outlet, title, url optional)."),
    click.option("--strict", is_flag=True, help="Treat a skipped article or row as an error (exit 2)."),
    click.option("-q", "--quiet", is_flag=True, help="Do not print warnings."),
    click.option("--debug", is_flag=True, help="Show tracebacks."),
)
_outputs = _options(
    click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                 help="Write the output to FILE instead of stdout."),
    click.option("--excel", is_flag=True, help="With --format csv: add a byte-order mark for Excel."),
)


_findings_options = _options(
    click.option("--figures", "figure_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
                 help="Figures file (JSON Lines or CSV, as 'figures' writes them) to check (repeatable)."),
    click.option("--reference", "references", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
                 help="Reference series CSV: date, metric, value[, source, note] (repeatable)."),
    click.option("--format", "fmt", type=click.Choice(FINDING_FORMATS), help=FORMAT_HELP),
    click.option("--fail-on", type=click.Choice(FAIL_ON),
                 help="Exit 1 when a finding is at or above this severity. Default: warning."),
    click.option("--select", "select", multiple=True, metavar="RULE",
                 help="Report only these rules (repeatable; see 'figcheck rule')."),
    click.option("--ignore", "ignore", multiple=True, metavar="RULE", help="Do not report these rules (repeatable)."),
    click.option("--statistics", is_flag=True, help="Also print counts by rule, metric and outlet on stderr."),
    click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False),
                 help="Ignore the findings recorded in this baseline file."),
    click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False),
                 help="Record the current findings as the baseline in FILE, and exit 0."),
)



def _guarded(command):
    """Turn figcheck's errors into one-line messages and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from figcheck.errors import FigcheckError

        debug = kwargs.get("debug", False)
        previous = _terminate_by_exception()
        try:
            return command(*args, **kwargs)
        except _Terminated:
            click.echo("figcheck: terminated", err=True)
            sys.exit(128 + signal.SIGTERM)
        except FigcheckError as exc:
            if debug:
                raise
            click.echo(f"figcheck: error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("figcheck: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except click.ClickException:
            raise  # click reports usage errors itself, with exit status 2
        except Exception as exc:  # noqa: BLE001 - a user must never see a traceback without --debug
            if debug:
                raise
            click.echo(f"figcheck: error: internal error: {type(exc).__name__}: {exc} (rerun with --debug)", err=True)
            sys.exit(2)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    return wrapper


class _Terminated(BaseException):
    """SIGTERM, raised where the command is: what it was writing is cleaned up on the way out."""


def _terminate_by_exception():
    """Have SIGTERM unwind the command as Ctrl-C does, so a half-written output file or store is
    removed rather than left behind. Returns the handler it replaced (None off the main thread)."""
    def terminated(signum, frame):
        raise _Terminated

    try:
        return signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: the default handler stays
        return None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="figcheck")
def main() -> None:
    """Check the figures in news articles: tolls, injured, displaced, hostages, populations.

    figcheck reads articles (text, Markdown, HTML), pulls out every figure of a tracked
    metric with its qualifier, claimant and date, and flags figures that conflict across
    sources or are out of date. Settings are read from [tool.figcheck] in pyproject.toml or from
    figcheck.toml, found upward from the working directory.

    \b
    Examples:
      figcheck scan articles/
      figcheck index content/ && figcheck check content/posts/new/index.md --against .figcheck/
      figcheck rule outdated
    """


@main.command(short_help="List every tracked figure in articles.")
@_paths
@click.option("--format", "fmt", type=click.Choice(FIGURE_FORMATS), help=FORMAT_HELP)
@click.option("--explain", is_flag=True,
              help="Show every number read, with the metric it was filed under or why none claimed it.")
@_inputs
@_outputs
@_guarded
def figures(paths, fmt, explain, rules, manifest, output, excel, strict, quiet, debug):
    """List every figure of a tracked metric found in PATHS (files, folders, stores, or - for standard input).

    With --explain, list every number instead, claimed or not, with what its clause says it
    counts and which metric took it or why each was ruled out (table, json or jsonl).

    \b
    Examples:
      figcheck figures articles/
      figcheck figures articles/ -o figures.csv --excel
      cat draft.md | figcheck figures - --format jsonl
      figcheck figures article.md --explain
    """
    from figcheck import app, rendering
    from figcheck.writing import emit

    fmt = rendering.output_format(fmt, output, excel, FIGURE_FORMATS)
    run = app.Run(rules=rules, manifest=manifest, strict=strict, quiet=quiet)
    if explain:
        if fmt not in ("table", "json", "jsonl"):
            raise click.UsageError("--explain writes table, json or jsonl")
        from figcheck import explain as explaining

        emit(explaining.render(explaining.explanations(run.corpus(paths), run.config, run.warnings), fmt), output)
    else:
        emit(rendering.render_figures(run.figures(paths), fmt, excel), output)
    run.finish()


def _report(run, found, fmt, output, excel, fail_on, write_baseline, statistics):
    """Write findings in the chosen format, the baseline if asked, and exit by --fail-on.

    Writing a baseline records the findings rather than judging them, so it exits 0."""
    from figcheck import findings, rendering
    from figcheck.writing import emit

    if statistics or fmt in COLLECTED_FORMATS:
        found = list(found)  # counted, or drawn whole with the figures behind them
    tally = findings.Tally(found, keys=bool(write_baseline))
    emit(rendering.stream_findings(tally, fmt, run.config, excel, run.charted if fmt == "html" else None), output)
    if statistics:
        click.echo(rendering.statistics(found), err=True, nl=False)
    run.finish()
    if write_baseline:
        emit(findings.write_baseline(tally), write_baseline)
        sys.exit(0)
    sys.exit(findings.exit_status(tally, fail_on or run.project.settings.fail_on or "warning"))


def _optional_paths(f):
    return click.argument("paths", nargs=-1, required=False, type=click.Path(path_type=Path))(f)


@main.command(short_help="Flag figures that conflict across sources or are out of date.")
@_optional_paths
@_findings_options
@_inputs
@_outputs
@_guarded
def scan(paths, figure_files, references, fmt, fail_on, select, ignore, statistics, baseline, write_baseline, rules, manifest,
         output, excel, strict, quiet, debug):
    """Flag figures in PATHS that conflict across sources or are out of date.

    PATHS are article files, folders of articles, stores written by 'figcheck index', or - for
    standard input. With --figures, the rules run on figures read from a file (a corrected figures
    CSV, or hand-made ones); --manifest then supplies outlets and dates. Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 on
    an error.

    \b
    Examples:
      figcheck scan articles/
      figcheck scan articles/ --reference moh_daily.csv --select outdated
      figcheck scan articles/ -o findings.sarif
      figcheck scan articles/ --write-baseline figcheck-baseline.json
      figcheck scan --figures corrected-figures.csv --manifest articles/manifest.csv
    """
    from figcheck import app, rendering

    fmt = rendering.output_format(fmt, output, excel, FINDING_FORMATS)
    run = app.Run(rules=rules, manifest=manifest, strict=strict, quiet=quiet, select=select, ignore=ignore)
    refs = run.references(references)
    found = run.iter_findings(run.scanned(paths, figure_files), refs, baseline)
    _report(run, found, fmt, output, excel, fail_on, write_baseline, statistics)


@main.command(short_help="Check new articles against an archive, before publication.")
@_optional_paths
@click.option("--against", "against", multiple=True, type=click.Path(path_type=Path),
              help="The archive: a store from 'figcheck index', articles, or a figures file (repeatable). "
                   "Default: the project's store setting, if any.")
@_findings_options
@_inputs
@_outputs
@_guarded
def check(paths, figure_files, against, references, fmt, fail_on, select, ignore, statistics, baseline, write_baseline, rules,
          manifest, output, excel, strict, quiet, debug):
    """Check new articles (PATHS) against an archive, before publication.

    Reports only findings about figures in PATHS; the archive and the reference series are the
    evidence. A new article without a date is taken as dated today. A new article that cannot be
    read, dated or parsed is an error (exit 2), never a pass.

    \b
    Examples:
      figcheck check drafts/new-story.md --against .figcheck/
      figcheck check content/posts/jun/index.md --against .figcheck/ --format github
      figcheck check draft.md --reference moh_daily.csv
    """
    import datetime as dt

    keep_pages()
    from figcheck import app, rendering

    fmt = rendering.output_format(fmt, output, excel, FINDING_FORMATS)
    run = app.Run(rules=rules, manifest=manifest, strict=strict, quiet=quiet, select=select, ignore=ignore)
    refs = run.references(references)
    found = run.check(paths, against, refs, baseline, dt.date.today(), figure_files)
    _report(run, found, fmt, output, excel, fail_on, write_baseline, statistics)


@main.command(short_help="Add articles' figures to a store that scan and check read.")
@_paths
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of the store. Default: the project's store setting, else .figcheck.")
@click.option("--prune", is_flag=True, help="Drop the articles whose file no longer exists.")
@click.option("--engine", type=click.Choice(("local", "dask")), default="local", show_default=True,
              help="Extract in worker processes on this machine, or on a Dask cluster (needs figcheck[dask]).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: the scheduler, e.g. tcp://10.0.0.5:8786. Default: a local cluster.")
@_inputs
@_guarded
def index(paths, store_dir, prune, engine, scheduler, rules, manifest, strict, quiet, debug):
    """Add or update the figures of PATHS in a store that scan and check can read.

    Articles already in the store and not in PATHS are kept: index each new article after
    publication. Articles whose text, metadata and metric packs are unchanged are not extracted
    again; when the packs change, the whole store is. --prune drops the articles whose file is
    gone. The store is switched atomically, so an interrupted run leaves the previous one intact.

    \b
    Examples:
      figcheck index content/
      figcheck index content/posts/jun/index.md
      figcheck index content/ --prune
    """
    from figcheck import app

    from figcheck.errors import FigcheckError

    if scheduler and engine != "dask":
        raise FigcheckError("--scheduler needs --engine dask")
    run = app.Run(rules=rules, manifest=manifest, strict=strict, quiet=quiet)
    if any(str(p) == "-" for p in paths):
        raise FigcheckError("index reads files, not standard input")
    store_dir = store_dir or (run.setting_paths(None, "store") or [Path(".figcheck")])[0]
    click.echo(run.index(paths, store_dir, prune, engine, scheduler), err=True)
    run.finish()


@main.command(short_help="List every number read in articles, no pack needed.")
@_paths
@click.option("--format", "fmt", type=click.Choice(FIGURE_FORMATS), default="table", show_default=True)
@click.option("--all", "include_rejected", is_flag=True,
              help="Include numbers that are not counts (years, dates, money, ...), with the reason in 'rejected'.")
@click.option("--excel", is_flag=True, help="With --format csv: add a byte-order mark for Excel.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_guarded
def numbers(paths, fmt, include_rejected, excel, quiet, debug):
    """Every number read in PATHS (files, folders, or - for standard input); no pack needed.

    One record per number: doc, char_start, char_end (qualifier included), surface, value, low,
    high, qualifier, unit (count, or share with the value as a fraction) and rejected (null, or
    why it is not a count: year, date, money, measurement, ...). Ranges give both bounds.
    """
    from figcheck import numbers_report
    from figcheck.errors import Warnings

    records = numbers_report.read_paths(paths, include_rejected, Warnings(quiet=quiet))
    sys.stdout.buffer.write(numbers_report.render(records, fmt, excel).encode("utf-8"))
    sys.stdout.flush()


@main.command(short_help="Explain a rule, with examples.")
@click.argument("rule_id", metavar="ID", required=False)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_guarded
def rule(rule_id, debug):
    """Explain the rule ID: what it flags, what passes, its default severity. Without ID, list the rules.

    \b
    Examples:
      figcheck rule
      figcheck rule outdated
    """
    if rule_id is None:
        from figcheck.checks import RULES

        click.echo("".join(f"{rid:<12} {getattr(module, 'SUMMARY', '')}\n" for rid, module in RULES.items()), nl=False)
        return
    from figcheck.ruledoc import explain_rule

    click.echo(explain_rule(rule_id), nl=False)


@main.command(short_help="List the active metrics and where they are defined.")
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="Metric pack file or folder.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_guarded
def metrics(rules, fmt, debug):
    """List the active metrics and where they are defined."""
    from figcheck import app, rendering

    click.echo(rendering.render_metrics(app.load_rules(rules), fmt), nl=False)
