"""`figcheck figures --explain`: every number of each article, what it was read as, and why it was or
was not filed under a metric. For pack authors asking "why wasn't this number claimed?"."""

from __future__ import annotations

import json

from figcheck.errors import Warnings
from figcheck.extract.extractor import Explanation, explain
from figcheck.pack import Config
from figcheck.pipeline import ARTICLE_SECONDS, Corpus, read_job
from figcheck.timelimit import OverTime, time_limit


def explanations(corpus: Corpus, config: Config, warnings: Warnings) -> list[tuple[str | None, Explanation]]:
    """Every article's numbers explained; an article that fails or overruns is a warning, as in extraction."""
    out = []
    for job in corpus.jobs():
        try:
            with time_limit(ARTICLE_SECONDS):
                article = read_job(job, warnings)
                if article is not None:
                    out.extend((figure.metric if figure else None, why) for figure, why in explain(article, config))
        except OverTime:
            warnings.warn(f"{job.path}: explaining took over {ARTICLE_SECONDS:.0f} s of CPU time, skipped")
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - one bad article must not lose the others' results
            warnings.warn(f"{job.path}: could not explain its numbers ({type(exc).__name__}: {exc}), skipped")
    return out


def _record(metric: str | None, ex: Explanation) -> dict:
    reading = ex.reading
    return {
        "doc": ex.doc, "line": ex.position[0], "column": ex.position[1], "char_start": ex.char_start,
        "surface": ex.surface, "value": ex.value, "metric": metric, "counts": reading.head, "part": reading.part,
        "period": reading.period, "previous": reading.previous, "forecast": reading.forecast,
        "comparison": reading.comparison, "identified": reading.identified, "increment": reading.increment,
        "why": ex.why,
    }


def render(items: list[tuple[str | None, Explanation]], fmt: str) -> str:
    records = [_record(metric, ex) for metric, ex in items]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    lines = []
    for r in records:
        marks = [k for k in ("part", "previous", "forecast", "comparison", "identified", "increment") if r[k]]
        if r["period"] != "total":
            marks.append(r["period"])
        read_as = f"counts {r['counts']!r}" if r["counts"] else "no noun after it"
        lines.append(f"{r['doc']}:{r['line']}:{r['column']}  {r['surface']!r} → {r['metric'] or 'not claimed'}"
                     f"  [{read_as}{'; ' + ', '.join(marks) if marks else ''}]\n    {r['why']}")
    return "\n".join(lines) + "\n"
