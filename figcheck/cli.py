"""figcheck's command line. Commands stay thin: they parse options and call the library.

Heavy libraries (polars, pydantic, rich, quantulum3) are imported inside the commands so that
`figcheck --help` answers at once.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

FIGURE_FORMATS = ("table", "jsonl", "json", "csv")
FINDING_FORMATS = ("table", "json", "jsonl", "csv", "sarif", "github")
FAIL_ON = ("error", "warning", "info", "never")


def _paths(f):
    return click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))(f)


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
    click.option("--reference", "references", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
                 help="Reference series CSV: date, metric, value[, source, note] (repeatable)."),
    click.option("--format", "fmt", type=click.Choice(FINDING_FORMATS), default="table", show_default=True),
    click.option("--fail-on", type=click.Choice(FAIL_ON), default="warning", show_default=True,
                 help="Exit 1 when a finding is at or above this severity."),
    click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False),
                 help="Ignore the findings recorded in this baseline file."),
    click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False),
                 help="Record the current findings as the baseline in FILE."),
)


def _guarded(command):
    """Turn figcheck's errors into one-line messages and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from figcheck.errors import FigcheckError

        debug = kwargs.get("debug", False)
        try:
            return command(*args, **kwargs)
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
        except Exception as exc:  # noqa: BLE001 - a user must never see a traceback without --debug
            if debug:
                raise
            click.echo(f"figcheck: error: internal error: {type(exc).__name__}: {exc} (rerun with --debug)", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="figcheck")
def main() -> None:
    """Check the figures in news articles: tolls, injured, displaced, hostages, populations.

    figcheck reads articles (text, Markdown, HTML), pulls out every figure of a tracked
    metric with its qualifier, claimant and date, and flags figures that conflict across
    sources or are out of date.
    """


@main.command()
@_paths
@click.option("--format", "fmt", type=click.Choice(FIGURE_FORMATS), default="table", show_default=True)
@click.option("--explain", is_flag=True,
              help="Show every number read, with the metric it was filed under or why none claimed it.")
@_inputs
@_outputs
@_guarded
def figures(paths, fmt, explain, rules, manifest, output, excel, strict, quiet, debug):
    """List every figure of a tracked metric found in PATHS (files or folders).

    With --explain, list every number instead, claimed or not, with what its clause says it
    counts and which metric took it or why each was ruled out (table, json or jsonl).
    """
    from figcheck import app

    run = app.Run(rules=rules, manifest=manifest, strict=strict, quiet=quiet)
    if explain:
        if fmt == "csv":
            raise click.UsageError("--explain writes table, json or jsonl")
        from figcheck import explain as explaining

        app.emit(explaining.render(explaining.explanations(run.corpus(paths), run.config, run.warnings), fmt), output)
    else:
        app.emit(app.render_figures(run.figures(paths), fmt, excel), output)
    run.finish()


def _report(run, found, fmt, output, excel, fail_on, write_baseline):
    """Write findings in the chosen format, the baseline if asked, and exit by --fail-on."""
    from figcheck import app, findings

    tally = findings.Tally(found, keys=bool(write_baseline))
    app.emit(app.render_findings(tally, fmt, run.config, excel), output)
    if write_baseline:
        app.emit(findings.write_baseline(tally), write_baseline)
    run.finish()
    sys.exit(findings.exit_status(tally, fail_on))


@main.command()
@_paths
@_findings_options
@_inputs
@_outputs
@_guarded
def scan(paths, references, fmt, fail_on, baseline, write_baseline, rules, manifest, output, excel, strict, quiet,
         debug):
    """Flag figures in PATHS that conflict across sources or are out of date.

    PATHS are article files, folders of articles, or stores written by 'figcheck index'.
    Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 on an error.
    """
    from figcheck import app

    run = app.Run(rules=rules, manifest=manifest, strict=strict, quiet=quiet)
    refs = run.references(references)
    found = run.findings(run.scanned(paths), refs, baseline)
    _report(run, found, fmt, output, excel, fail_on, write_baseline)


@main.command()
@_paths
@click.option("--against", "against", multiple=True, required=True, type=click.Path(path_type=Path),
              help="The archive: a store from 'figcheck index', or articles (repeatable).")
@_findings_options
@_inputs
@_outputs
@_guarded
def check(paths, against, references, fmt, fail_on, baseline, write_baseline, rules, manifest, output, excel, strict,
          quiet, debug):
    """Check new articles (PATHS) against an archive, before publication.

    Reports only findings about figures in PATHS; the archive and the reference series are
    the evidence. A new article without a date is taken as dated today.
    """
    import datetime as dt

    from figcheck import app

    run = app.Run(rules=rules, manifest=manifest, strict=strict, quiet=quiet)
    refs = run.references(references)
    found = run.check(paths, against, refs, baseline, dt.date.today())
    _report(run, found, fmt, output, excel, fail_on, write_baseline)


@main.command()
@_paths
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False), default=Path(".figcheck"),
              show_default=True, help="Folder of the store.")
@click.option("--engine", type=click.Choice(("local", "dask")), default="local", show_default=True,
              help="Extract in worker processes on this machine, or on a Dask cluster (needs figcheck[dask]).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: the scheduler, e.g. tcp://10.0.0.5:8786. Default: a local cluster.")
@_inputs
@_guarded
def index(paths, store_dir, engine, scheduler, rules, manifest, strict, quiet, debug):
    """Extract the figures of PATHS into a store that scan and check can read.

    Incremental: unchanged articles (same content) are not extracted again, removed ones are
    dropped, changed ones replaced. The store is switched atomically, so an interrupted run
    leaves the previous one intact.
    """
    from figcheck import app

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    run = app.Run(rules=rules, manifest=manifest, strict=strict, quiet=quiet)
    click.echo(run.index(paths, store_dir, engine, scheduler), err=True)
    run.finish()


@main.command()
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


@main.command()
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="Metric pack file or folder.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@_guarded
def metrics(rules, fmt, debug):
    """List the active metrics and where they are defined."""
    from figcheck import app

    click.echo(app.render_metrics(app.load_rules(rules), fmt), nl=False)
