"""The HTML report: what its page holds, that article text cannot inject into it, and how it looks in a
real headless Chromium (no network, no console error, a drawn chart for every metric with findings)."""

from __future__ import annotations

import json
import re
import shutil
import sys

import pytest

from tests.conftest import CORPUS, article, run

CHROMIUM = shutil.which("chromium")
# This machine's network is closed; these flags keep Chromium from trying anyway.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = "<img src=http://127.0.0.1:9/x onerror=alert(1)></script><script>alert(2)</script>"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An invented reference series for gaza.deaths: weekly, rising."""
    path = tmp_path_factory.mktemp("ref") / "reference.csv"
    rows = ["date,metric,value,source,note"]
    rows += [f"2023-{m:02d}-15,gaza.deaths,{(m - 9) * 5000},test ministry," for m in range(10, 13)]
    rows += [f"2024-{m:02d}-15,gaza.deaths,{15000 + m * 4000},test ministry," for m in range(1, 7)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory, reference):
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = run("scan", CORPUS, "--reference", reference, "-o", out)
    assert result.exit_code == 1 and result.stdout == "", result.stderr
    findings = json.loads(run("scan", CORPUS, "--reference", reference, "--format", "json").stdout)
    return out, findings


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A report whose article text, outlet, claimant and URL are HTML and script."""
    folder = tmp_path_factory.mktemp("hostile")
    article(folder, "a.md", f"The war has killed more than 30,000 people in Gaza, {HOSTILE} said.",
            outlet=f"'{HOSTILE}'", published="2024-03-01", url="javascript:alert(3)")
    article(folder, "b.md", "The war has killed more than 25,000 people in Gaza, the ministry said.",
            published="2024-05-01")
    out = folder / "report.html"
    assert run("scan", folder, "-o", out).exit_code == 1
    return out


def test_extension_chooses_html_and_the_page_needs_no_network(report):
    page = report[0].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page)
    assert "vegaEmbed" in page  # the charting code is in the page itself


def test_page_groups_findings_by_metric_with_quotes_links_and_summary(report):
    page, findings = report[0].read_text(encoding="utf-8"), report[1]
    for metric in {f["metric"] for f in findings}:
        section = page.split(f"<section id='metric-{metric}'>")[1].split("</section>")[0]
        about = [f for f in findings if f["metric"] == metric]
        assert section.count("<li class='finding") == len(about)
        assert f"data-metric='{metric}'" in section
        for finding in about:
            subject = finding["figures"][0]
            assert f"<mark>{subject['surface']}</mark>" in section.replace("&#x27;", "'")
            assert f">{subject['path']}:{subject['line']}:{subject['column']}</a>" in section
    urls = {g["url"] for f in findings for g in f["figures"] if g["url"]}
    assert urls and all(f"href='{url}'" in page for url in urls)
    summary = page.split("<h2>Summary</h2>")[1].split("</div>")[0]
    for rule in {f["rule"] for f in findings}:
        count = sum(f["rule"] == rule for f in findings)
        assert f"<tr><td>{rule}</td><td class='n'>{count}</td></tr>" in summary


def test_article_text_is_escaped(hostile):
    page = hostile.read_text(encoding="utf-8")
    body, charts = page.split("<script>")[0], page.split('id="figcheck-charts">')[1].split("</script>")[0]
    assert "<img" not in body and "<script>alert" not in body and "&lt;img src=http://127.0.0.1:9/x" in body
    assert "href='javascript" not in body  # only http(s) URLs become links
    assert "<" not in charts and "\\u003cimg" in charts  # the chart data cannot end its script element


def test_missing_extra_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # importing it now raises ImportError
    result = run("scan", CORPUS, "-o", tmp_path / "report.html")
    assert result.exit_code == 2 and not (tmp_path / "report.html").exists()
    assert result.stderr == "figcheck: error: --format html needs altair and vl-convert-python: " \
                            "pip install 'figcheck[report]'\n"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("profile"), executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True,
            viewport={"width": 1280, "height": 900})
        yield context
        context.close()


def _open(browser, path):
    """The page once every chart is drawn, with what it logged, requested and asked."""
    page = browser.new_page()
    seen = {"console": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen["console"].append(f"error: {e}"))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("() => [...document.querySelectorAll('.chart')].every(c => c.dataset.drawn)",
                           timeout=60_000)
    return page, seen


def test_chromium_draws_a_chart_per_metric_with_findings_offline(browser, report, tmp_path):
    from playwright.sync_api import expect

    path, findings = report
    page, seen = _open(browser, path)
    for metric in {f["metric"] for f in findings}:
        chart = page.locator(f".chart[data-metric='{metric}']")
        assert chart.get_attribute("data-drawn") == "true", metric
        assert chart.locator("svg path[aria-roledescription='circle']").count() > 0, metric
        # Each flagged, dated subject figure is ringed (a hollow point whose label names its severity).
        subjects = {(f["figures"][0]["doc"], f["figures"][0]["char_start"]) for f in findings
                    if f["metric"] == metric and f["figures"][0]["as_of"]}
        rings = chart.locator("svg path[aria-roledescription='point'][aria-label*='flagged: ']")
        assert rings.count() == len(subjects), metric
    gaza = page.locator(".chart[data-metric='gaza.deaths']")
    assert gaza.locator("svg path[aria-roledescription='line mark']").count() == 1  # the reference series
    figures = [json.loads(line) for line in run("figures", CORPUS, "--format", "jsonl").stdout.splitlines()]
    dated = [f for f in figures if f["metric"] == "gaza.deaths" and f["as_of"]]
    for tip, open_bound in (("triangle-up", lambda f: f["low"] is not None and f["high"] is None),
                            ("triangle-down", lambda f: f["high"] is not None and f["low"] is None)):
        arrows = gaza.locator(f"svg path[aria-roledescription='point'][aria-label*='tip: {tip}']")
        assert arrows.count() == sum(map(open_bound, dated)), tip
    stale = next(f["figures"][0] for f in findings if f["metric"] == "gaza.deaths")
    gaza.locator(f"svg path[aria-roledescription='point'][aria-label*='{stale['path']}']").hover()
    tooltip = page.wait_for_selector("#vg-tooltip-element.visible").inner_text()
    for shown in (stale["outlet"], stale["claimant"], stale["surface"], f"{stale['path']}:{stale['line']}"):
        assert shown in tooltip
    legend = gaza.locator("svg .role-legend").first
    assert stale["claimant"] not in legend.text_content()
    gaza.locator("input[value='claimant']").check()  # colour by claimant instead of outlet
    expect(legend).to_contain_text(stale["claimant"])
    screenshot = tmp_path / "report.png"
    page.screenshot(path=screenshot, full_page=False)
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert [m for m in seen["console"] if m.startswith(("error", "warning"))] == []
    assert seen["requests"] == [path.as_uri()]


def test_chromium_runs_no_script_from_an_article(browser, hostile):
    page, seen = _open(browser, hostile)
    assert seen["dialogs"] == [] and seen["requests"] == [hostile.as_uri()]
    assert HOSTILE in page.locator("body").inner_text()  # shown as text
    assert page.locator("a[href^='javascript']").count() == 0
    assert [m for m in seen["console"] if m.startswith("error")] == []


def _chart_data(page: str) -> dict[str, list[dict]]:
    """Each chart's rows (all its datasets), by chart id, as the page embeds them."""
    specs = json.loads(page.split('id="figcheck-charts">')[1].split("</script>")[0])
    return {chart: [row for rows in spec["datasets"].values() for row in rows] for chart, spec in specs.items()}


def test_check_report_charts_the_drafts_metrics_with_the_archive_as_context(tmp_path):
    draft = article(tmp_path, "draft.md", "The war has killed more than 28,000 people in Gaza, the ministry said.",
                    published="2024-06-20")
    out = tmp_path / "check.html"
    assert run("check", draft, "--against", CORPUS, "--format", "html", "-o", out).exit_code == 1
    page = out.read_text(encoding="utf-8")
    assert re.findall(r"data-metric='([^']+)'", page) == ["gaza.deaths"]
    rows = _chart_data(page)["chart-1"]
    outlets = {r["outlet_label"] for r in rows if "outlet_label" in r}
    assert "Test Outlet" in outlets and len(outlets) > 3  # the draft's and the archive's outlets
    assert [r["flagged"] for r in rows if r.get("outlet_label") == "Test Outlet" and "quote" in r][0].startswith(
        "warning (outdated)")


def test_chromium_draws_a_large_timeline_on_a_canvas(browser, tmp_path):
    """Past timeline.SVG_UP_TO points a chart is drawn on a canvas, which stays fast; it must still draw."""
    import datetime as dt

    from figcheck.models import Figure
    from figcheck.output import html, timeline
    from figcheck.records import FigureSet

    count = timeline.SVG_UP_TO + 500
    figures = [Figure(doc=f"d{i}.md", path=f"d{i}.md", outlet=f"Outlet {i % 7}", metric="gaza.deaths",
                      value=10_000 + 7 * i, surface=f"{10_000 + 7 * i}", char_start=0, char_end=5, line=1, column=1,
                      sentence=f"Some {10_000 + 7 * i} were killed.", as_of=dt.date(2024, 1, 1) + dt.timedelta(i % 300))
               for i in range(count)]
    out = tmp_path / "large.html"
    out.write_text(html.findings_html([], FigureSet.of(figures).frame, [], {}), encoding="utf-8")
    page, seen = _open(browser, out)
    chart = page.locator(".chart[data-metric='gaza.deaths']")
    assert chart.get_attribute("data-drawn") == "true" and chart.locator("canvas").count() == 1
    drawn = chart.locator("canvas").evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] != d[i + 1] || d[i + 1] != d[i + 2])) n++;"
        " return n; }")
    assert drawn > 1000  # coloured pixels: the points, not only grey axes
    assert [m for m in seen["console"] if m.startswith("error")] == [] and seen["requests"] == [out.as_uri()]
