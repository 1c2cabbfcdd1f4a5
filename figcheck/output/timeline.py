"""Timelines of a metric as Vega-Lite specs, built with Altair from polars frames.

One chart per metric: every figure as a point by its date and value, coloured by outlet (or
claimant, a switch under the chart), the qualifier's bound drawn as an arrow ("more than" up,
"nearly" down) or a bar (a range), the reference series as a dashed line, and flagged figures
ringed in their finding's severity colour. Nothing here knows a rule or a metric by name.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from figcheck.models import SEVERITY_RANK, Finding, ReferenceRow

SEVERITY_COLOURS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}
ARROW = 0.06  # an open bound's arrow, as a share of the chart's value span
QUOTE_REACH = 90  # characters either side of the figure in a tooltip's quote
SVG_UP_TO = 4000  # points per chart drawn as SVG; more are drawn on a canvas, which stays fast
KEY = ["doc", "char_start", "metric"]
MARGIN_DAYS = 14  # reference series drawn this far (at least) beyond the first and last figure


def flags(findings: list[Finding]) -> pl.DataFrame:
    """Per flagged figure (the subject of a finding): its worst severity and the rules that flagged it."""
    rows = [{"doc": f.figures[0].doc, "char_start": f.figures[0].char_start, "metric": f.metric,
             "rank": SEVERITY_RANK[f.severity], "severity": f.severity, "rule": f.rule} for f in findings]
    schema = {"doc": pl.String, "char_start": pl.Int64, "metric": pl.String, "rank": pl.Int64,
              "severity": pl.String, "rule": pl.String}
    frame = pl.DataFrame(rows, schema=schema)
    return (frame.sort("rank", descending=True)
            .group_by(KEY, maintain_order=True)
            .agg(pl.col("severity").first(), pl.col("rule").unique(maintain_order=True).str.join(", ").alias("rules")))


def points(figures: pl.DataFrame, findings: list[Finding]) -> pl.DataFrame:
    """The figures as chart rows: labels for colour and tooltip, the bound's far end, the flag."""
    parts = pl.col("sentence").str.split(pl.col("surface"))  # literal: the text either side of the figure
    before, after = parts.list.first(), parts.list.slice(1).list.join(pl.col("surface"))
    around = pl.concat_str(
        pl.when(before.str.len_chars() > QUOTE_REACH).then(pl.lit("…")).otherwise(pl.lit("")),
        before.str.tail(QUOTE_REACH), pl.col("surface"), after.str.head(QUOTE_REACH),
        pl.when(after.str.len_chars() > QUOTE_REACH).then(pl.lit("…")).otherwise(pl.lit("")))
    return (figures.join(flags(findings), on=KEY, how="left")
            .with_columns(
                date=pl.col("as_of").dt.to_string("%Y-%m-%d"),
                as_of_text=pl.col("as_of").dt.to_string("%Y-%m-%d"),
                outlet_label=pl.coalesce("outlet", "doc"),
                claimant_label=pl.col("claimant").fill_null("(no claimant)"),
                location=pl.format("{}:{}:{}", "path", "line", "column"),
                quote=pl.when(parts.list.len() > 1).then(around).otherwise(pl.col("sentence").str.head(2 * QUOTE_REACH)),
                flagged=pl.coalesce(pl.format("{} ({})", "severity", "rules"), pl.lit("no")),
            ))


def bounds(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows whose qualifier gives a bound, with `bound_end`: the range's other end, or an arrow's tip
    a fixed share of the chart's span away for an open bound ("more than": up, "nearly": down)."""
    span = (rows["value"].max() - rows["value"].min()) if rows.height else 0.0
    step = (span or abs(rows["value"].max() or 1.0)) * ARROW
    low, high, value = pl.col("low"), pl.col("high"), pl.col("value")
    return (rows.with_columns(
        bound_end=pl.when(low.is_not_null() & high.is_not_null()).then(pl.when(value == low).then(high).otherwise(low))
        .when(low.is_not_null()).then(value + step)
        .when(high.is_not_null()).then(value - step),
    ).with_columns(
        tip=pl.when(low.is_not_null() & high.is_not_null()).then(pl.lit("stroke"))
        .when(pl.col("bound_end") > value).then(pl.lit("triangle-up"))
        .otherwise(pl.lit("triangle-down")),
    ).filter(pl.col("bound_end").is_not_null() & (pl.col("bound_end") != value)))


def reference_span(rows: pl.DataFrame, references: list[ReferenceRow]) -> pl.DataFrame:
    """The reference rows over the figures' time span and a margin, so that a long series does not
    squeeze the figures into a corner."""
    frame = pl.DataFrame([{"date": r.date, "value": r.value, "source": r.source or "reference"} for r in references],
                         schema={"date": pl.Date, "value": pl.Float64, "source": pl.String})
    dates = rows["date"].str.to_date()
    first, last = dates.min(), dates.max()
    if first is None or not frame.height:
        return frame.clear().with_columns(pl.col("date").dt.to_string("%Y-%m-%d")).with_columns(day=pl.col("date"))
    margin = max(dt.timedelta(days=MARGIN_DAYS), (last - first) * 0.1)
    return (frame.filter(pl.col("date").is_between(first - margin, last + margin)).sort("date")
            .with_columns(pl.col("date").dt.to_string("%Y-%m-%d")).with_columns(day=pl.col("date")))


def chart(metric: str, label: str, rows: pl.DataFrame, references: list[ReferenceRow]) -> dict:
    """The Vega-Lite spec of one metric's timeline. rows: points() of this metric, dated ones only."""
    import altair as alt

    colour_by = alt.param(name="colour_by", value="outlet",
                          bind=alt.binding_radio(options=["outlet", "claimant"], name="colour by "))
    group = "colour_by == 'claimant' ? datum.claimant_label : datum.outlet_label"
    tooltip = [alt.Tooltip("outlet_label:N", title="outlet"), alt.Tooltip("surface:N", title="figure"),
               alt.Tooltip("as_of_text:N", title="as of"), alt.Tooltip("value:Q", format=",.6~g"),
               alt.Tooltip("claimant_label:N", title="claimant"), alt.Tooltip("quote:N"),
               alt.Tooltip("location:N", title="file:line:col"), alt.Tooltip("flagged:N")]
    x = alt.X("date:T", title="as of", scale=alt.Scale(type="utc", padding=24),
              axis=alt.Axis(format="%Y-%m-%d", labelOverlap=True, labelAngle=0))
    y = alt.Y("value:Q", title="figure", scale=alt.Scale(zero=False), axis=alt.Axis(format="~s"))
    colour = alt.Color("group:N", title=None, scale=alt.Scale(scheme="tableau20"),
                       legend=alt.Legend(orient="right", symbolLimit=40, labelLimit=220))
    columns = ["date", "as_of_text", "value", "outlet_label", "claimant_label", "surface", "quote", "location", "flagged",
               "severity"]
    figures = alt.Chart(rows.select(columns)).transform_calculate(group=group)
    layers = []
    ref = reference_span(rows, references)
    if ref.height:
        layers.append(alt.Chart(ref).mark_line(color="#777", strokeDash=[5, 3], strokeWidth=1.5, point=False)
                      .encode(x=x, y=y, tooltip=[alt.Tooltip("source:N", title="reference"),
                                                 alt.Tooltip("day:N", title="date"),
                                                 alt.Tooltip("value:Q", format=",.6~g")]))
    ranged = bounds(rows)
    if ranged.height:
        shafts = alt.Chart(ranged.select([*columns, "bound_end", "tip"])).transform_calculate(group=group)
        layers.append(shafts.mark_rule(strokeWidth=1.5).encode(x=x, y=y, y2="bound_end:Q", color=colour))
        layers.append(shafts.mark_point(filled=True, size=45, opacity=1)
                      .encode(x=x, y=alt.Y("bound_end:Q"), shape=alt.Shape("tip:N", scale=None), color=colour))
    layers.append(figures.mark_circle(size=70, opacity=0.85, stroke="white", strokeWidth=0.5)
                  .encode(x=x, y=y, color=colour, tooltip=tooltip)
                  .add_params(colour_by, alt.selection_interval(bind="scales", encodings=["x"])))
    if rows["severity"].is_not_null().any():
        layers.append(figures.transform_filter("datum.severity != null")
                      .mark_point(filled=False, size=340, strokeWidth=2.5)
                      .encode(x=x, y=y, tooltip=tooltip,
                              stroke=alt.Stroke("severity:N", title="flagged",
                                                scale=alt.Scale(domain=list(SEVERITY_COLOURS),
                                                                range=list(SEVERITY_COLOURS.values())))))
    spec = (alt.layer(*layers)
            .properties(width="container", height=280, description=f"Timeline of {metric}: {label}")
            .to_dict(validate=False))
    spec["usermeta"] = {"renderer": "svg" if rows.height <= SVG_UP_TO else "canvas"}
    return spec
