"""Reading numbers as news writes them: `figcheck numbers` and `figcheck.read_numbers`."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from figcheck import read_numbers
from tests.conftest import SHARED, needs_shared, run

PEERS = SHARED / "peers"


def _counts(text: str) -> list[dict]:
    return read_numbers(text)


def _one(text: str, surface: str) -> dict:
    found = [n for n in read_numbers(text, include_rejected=True) if n["surface"] == surface]
    assert len(found) == 1, (surface, read_numbers(text, include_rejected=True))
    return found[0]


@pytest.mark.parametrize("text, surface, value, qualifier, unit", [
    ("Floods forced 3-4 million people from their homes.", "3-4 million", (3e6, 4e6), "between", "count"),
    ("Rescuers reached 700-800 villages.", "700-800", (700, 800), "between", "count"),
    ("The camp holds seven to eight thousand families.", "seven to eight thousand", (7000, 8000), "between", "count"),
    ("Between three and four million voters stayed home.", "Between three and four million", (3e6, 4e6), "between",
     "count"),
    ("between nine and twelve fishermen are missing", "between nine and twelve", (9, 12), "between", "count"),
    ("Three and a half million tickets were sold.", "Three and a half million", 3.5e6, "exact", "count"),
    ("A quarter of a billion doses went out.", "A quarter of a billion", 2.5e8, "exact", "count"),
    ("Half a million people marched.", "Half a million", 5e5, "exact", "count"),
    ("Three dozen students were trapped.", "Three dozen", 36, "exact", "count"),
    ("Half a dozen homes caught fire.", "Half a dozen", 6, "exact", "count"),
    ("The fund reached 2,5 million donors.", "2,5 million", 2.5e6, "exact", "count"),
    ("The district has 7 lakh voters and 2.5 crore residents.", "7 lakh", 7e5, "exact", "count"),
    ("The district has 7 lakh voters and 2.5 crore residents.", "2.5 crore", 2.5e7, "exact", "count"),
    ("The register lists 23,45,678 names.", "23,45,678", 2345678, "exact", "count"),
    ("Some 6 hundred million users log in daily.", "Some 6 hundred million", 6e8, "approx", "count"),
    ("Roughly 9 B devices are online.", "Roughly 9 B", 9e9, "approx", "count"),
    ("No more than 60 guests were allowed.", "No more than 60", 60, "up_to", "count"),
    ("Four in 10 voters were undecided.", "Four in 10", 0.4, "exact", "share"),
    ("Seven out of ten shops were shut.", "Seven out of ten", 0.7, "exact", "share"),
    ("Roughly three in every four voters stayed home.", "Roughly three in every four", 0.75, "approx", "share"),
    ("An eighth of the harvest was lost.", "An eighth", 0.125, "exact", "share"),
    ("Three-fifths of the wells ran dry.", "Three-fifths", 0.6, "exact", "share"),
    ("Sales hit 4.75k units.", "4.75k", 4750, "exact", "count"),
    ("The app claims 3.4b downloads.", "3.4b", 3.4e9, "exact", "count"),
    ("Lenders wrote off 15 bln in loans to 20 mln households.", "20 mln", 2e7, "exact", "count"),
    ("The tally was 6 thousand 2 hundred ballots.", "6 thousand 2 hundred", 6200, "exact", "count"),
    ("The census found 2 345 678 people.", "2 345 678", 2345678, "exact", "count"),
    ("Around 48\u00a0000 fans came.", "Around 48\u00a0000", 48000, "approx", "count"),
    ("Support slipped to .8 per cent.", ".8 per cent", 0.008, "exact", "share"),
    ("Turnout was 61pc.", "61pc", 0.61, "exact", "share"),
    ("There were 1900 volunteers at the site.", "1900", 1900, "exact", "count"),
    ("North of 8,000 workers walked out.", "North of 8,000", 8000, "more_than", "count"),
    ("The strike drew shy of 900 pickets.", "shy of 900", 900, "nearly", "count"),
    ("As few as 15 staff remain.", "As few as 15", 15, "at_least", "count"),
    ("Greater than 40% of roads flooded.", "Greater than 40%", 0.4, "more_than", "share"),
    ("Lower than 30 beds are free.", "Lower than 30", 30, "fewer_than", "count"),
    ("At most 25 boats returned.", "At most 25", 25, "up_to", "count"),
    ("Barely 70 people voted.", "Barely 70", 70, "nearly", "count"),
    ("700 or more pupils enrolled.", "700 or more", 700, "at_least", "count"),
    ("The 21,000-plus missing are feared dead.", "21,000-plus", 21000, "more_than", "count"),
    ("2 million-plus visitors came.", "2 million-plus", 2e6, "more_than", "count"),
    ("Net outflow was -8,500 in March.", "-8,500", -8500, "exact", "count"),
    ("The survey's margin of error is plus or minus 4.2 percentage points.", "4.2 percentage points", 0.042, "exact",
     "share"),
    ("A half-million tourists came.", "A half-million", 5e5, "exact", "count"),
    ("Some 3,000-odd sailors docked.", "Some 3,000-odd", 3000, "approx", "count"),
    ("About 900 or so residents stayed.", "About 900 or so", 900, "approx", "count"),
    ("Upward of 60 staff quit.", "Upward of 60", 60, "more_than", "count"),
    ("Enrolment climbed past 7,400 pupils this term.", "past 7,400", 7400, "more_than", "count"),
    ("Rescuers walked past 30 flattened homes.", "30", 30, "exact", "count"),
    ("Over-65s were 31 per cent of voters and under-18s 12 per cent.", "12 per cent", 0.12, "exact", "share"),
    ("Flood Toll Reaches 140\nRescuers kept digging.", "140", 140, "exact", "count"),
    ("Prices rose by between six-and-a-half to nine per cent.", "between six-and-a-half to nine per cent",
     (0.065, 0.09), "between", "share"),
    ("Nearly 4,000-5,000 fans were locked out.", "Nearly 4,000-5,000", (4000, 5000), "between", "count"),
])
def test_forms_read_right(text, surface, value, qualifier, unit):
    number = _one(text, surface)
    assert number["rejected"] is None
    if isinstance(value, tuple):
        assert (number["low"], number["high"]) == pytest.approx(value)
    else:
        assert number["value"] == pytest.approx(value)
    assert number["unit"] == unit
    assert number["qualifier"] == qualifier


def test_bounds_follow_the_qualifier():
    [at_most] = _counts("At most 25 boats returned.")
    [more] = _counts("Over 300 homes burned.")
    assert (at_most["low"], at_most["high"]) == (None, 25)
    assert (more["low"], more["high"]) == (300, None)


@pytest.mark.parametrize("text, surface, reason", [
    ("The mast is 42m (138ft) tall.", "42m", "measurement"),
    ("The FTSE 100 slipped.", "100", "code"),
    ("Sales of the Galaxy 22 rose.", "22", "code"),
    ("City won 3-1 on Saturday.", "3", "score"),
    ("She lives at 14 Elm Grove Road now.", "14", "address"),
    ("In 1998 the river flooded.", "1998", "year"),
    ("The talks began on 9 March.", "9", "date"),
    ("The plant cost $3.5bn to build.", "3.5bn", "money"),
    ("The siege lasted 40 days.", "40", "duration"),
    ("A 9-year-old boy was found.", "9", "age"),
    ("It was the 12th attempt.", "12", "ordinal"),
    ("They met at 10:30 in the hall.", "10", "time"),
    ("A 12-storey tower collapsed.", "12", "modifier"),
    ("The second half of the season was cancelled.", "half", "ordinal"),
    ("Posted 2019-06-03 by the desk.", "03", "date"),
    ("Posted 2019-06-03 by the desk.", "06", "date"),
    ("The 2009-10 budget passed.", "10", "year"),
    ("A magnitude 6.1 tremor hit the coast.", "6.1", "measurement"),
    ("The strongest shock measured 5.9.", "5.9", "measurement"),
    ("Lena Ortiz, 34, was among them.", "34", "age"),
    ("A nurse, 52, was hurt.", "52", "age"),
    ("Crews built a 12m barrier.", "12m", "measurement"),
    ("At one point the crowd surged.", "one", "pronoun"),
    ("Fines of AED 500 were issued.", "500", "money"),
    ("The fare rose to Dh 12 a ride.", "12", "money"),
])
def test_not_counts_are_rejected_with_the_reason(text, surface, reason):
    assert _one(text, surface)["rejected"] == reason
    assert all(n["surface"] != surface for n in read_numbers(text))


def test_an_indefinite_amount_has_bounds_but_no_value():
    [dozens, thousands] = read_numbers("Dozens of homes burned and tens of thousands fled.")
    assert (dozens["value"], dozens["low"], dozens["high"], dozens["qualifier"]) == (None, 24, 120, "between")
    assert (thousands["value"], thousands["low"], thousands["high"]) == (None, 10000, 100000)


def test_scaled_decimals_are_whole_numbers_in_the_record():
    [number] = read_numbers("Sales reached 4.1 million units.")
    assert number["value"] == 4100000 and isinstance(number["value"], int)  # not 4099999.9999999995


def test_digits_after_a_scale_and_and_are_another_number():
    found = read_numbers("Some 8 million and 2016 marked a turn.", include_rejected=True)
    assert [(n["surface"], n["rejected"]) for n in found] == [("Some 8 million", None), ("2016", "year")]


def test_offsets_index_the_original_text_whatever_the_digits():
    text = "Officials counted \u0661\u0662\u066c\u0663\u0664\u0665 displaced and \uff14\uff10\uff10 tents."
    found = _counts(text)
    assert [n["value"] for n in found] == [12345, 400]
    assert all(text[n["char_start"]:n["char_end"]] == n["surface"] for n in found)


def test_spelled_runs_split_by_commas_are_read_by_quantulum3():
    [number] = _counts("The tally was two million, four hundred & ten.")
    assert number["value"] == 2000410


def test_a_tally_is_two_counts_without_qualifier():
    found = _counts("The bill passed 301-127 after a long debate.")
    assert [(n["surface"], n["qualifier"]) for n in found] == [("301", "exact"), ("127", "exact")]


def test_a_change_in_percentage_points_is_not_the_low_end_of_a_range():
    found = _counts("Turnout fell 4.5 percentage points to 61 per cent.")
    assert [(n["value"], n["low"], n["high"]) for n in found] == [(0.045, None, None), (0.61, None, None)]


def test_past_values_and_changes_are_separate_numbers():
    found = _counts("The toll climbed from 410 to 450 overnight.")
    assert [(n["value"], n["qualifier"]) for n in found] == [(410, "exact"), (450, "exact")]
    [span] = _counts("Estimates run from 410 to 450 deaths.")
    assert (span["low"], span["high"]) == (410, 450)


def test_a_change_by_n_to_m_is_the_change_and_the_new_count():
    found = _counts("The toll went up by 12 to 140 on Monday.")
    assert [(n["value"], n["low"], n["high"]) for n in found] == [(12, None, None), (140, None, None)]
    [span] = _counts("Wages rose by 2 to 4 percent.")  # a range of shares stays one
    assert (span["low"], span["high"]) == (0.02, 0.04)


def test_read_numbers_does_not_load_heavy_modules_on_import():
    code = ("import sys, figcheck, figcheck.cli; "
            "print(any(m in sys.modules for m in ('quantulum3', 'figcheck.extract.reading', 'polars')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- the command ------------------------------------------------------------------------------

def test_numbers_command_reads_stdin_and_files(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\noutlet: X\n---\nAbout 4,000 people fled in 2019.\n", encoding="utf-8")
    result = run("numbers", path, "-", "--format", "jsonl", input="Nearly 12 boats sank.\n")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["doc"], r["surface"], r["qualifier"]) for r in rows] == [("-", "Nearly 12", "nearly"),
                                                                       ("a.md", "About 4,000", "approx")]
    text = path.read_text(encoding="utf-8")
    assert text[rows[1]["char_start"]:rows[1]["char_end"]] == "About 4,000"
    everything = run("numbers", path, "--all", "--format", "json")
    assert [(r["surface"], r["rejected"]) for r in json.loads(everything.stdout)] == [("About 4,000", None),
                                                                                    ("2019", "year")]


def test_numbers_command_formats(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Some 5-6 million people and 30% of homes.\n", encoding="utf-8")
    as_csv = run("numbers", path, "--format", "csv").stdout
    assert as_csv.splitlines()[0] == "doc,char_start,char_end,surface,value,low,high,qualifier,unit,rejected"
    assert "Some 5-6 million,5500000,5000000,6000000,between,count," in as_csv
    table = run("numbers", path).stdout
    assert "5-6 million" in table and "2 numbers in 1 documents" in table


def test_numbers_command_bad_input(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Some 40 people.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = run("numbers", tmp_path, "--format", "jsonl")
    assert result.exit_code == 0
    assert "empty.txt: empty file" in result.stderr and "Some 40" in result.stdout
    missing = run("numbers", tmp_path / "nope.txt")
    assert missing.exit_code == 2 and missing.stderr.startswith("figcheck: error:") and "Traceback" not in missing.stderr


# -- public test sets in ../shared/peers --------------------------------------------------------

def _peer_predictions(cases: list[dict]) -> dict[str, list[dict]]:
    """What score_numbers.py reads from `figcheck numbers`, computed in-process, case by case."""
    sys.path.insert(0, str(PEERS))
    import score_numbers  # noqa: PLC0415 - the peers' own scorer, beside its data

    out = {}
    for case in cases:
        preds = []
        for n in read_numbers(" ".join(case["text"].split())):
            scale = 100.0 if n["unit"] == "share" and re.search(r"%|per\s?cent|pc\b", n["surface"], re.I) else 1.0
            both = n["qualifier"] == "between" and n["low"] is not None and n["high"] is not None
            value = [n["low"] * scale, n["high"] * scale] if both else n["value"] * scale
            preds.append({"value": value, "direction": score_numbers.DIRECTION.get(n["qualifier"], n["qualifier"]),
                          "surface": n["surface"]})
        out[case["id"]] = preds
    return out


def _peer_score(name: str) -> tuple[float, str]:
    sys.path.insert(0, str(PEERS))
    import score_numbers  # noqa: PLC0415

    cases = [json.loads(line) for line in (PEERS / f"{name}.jsonl").open(encoding="utf-8")]
    line = score_numbers.score(name, cases, _peer_predictions(cases))
    return float(re.search(r"value F1 ([\d.]+)", line).group(1)), line


@needs_shared
@pytest.mark.parametrize("name, floor", [("recognizers_number", 0.95), ("recognizers_percent", 0.95),
                                         ("recognizers_range", 0.80), ("quantulum3_counts", 0.90)])
def test_recognizers_value_f1(name, floor):
    f1, line = _peer_score(name)
    assert f1 >= floor, line


@needs_shared
def test_every_probe_is_read_right_and_none_wrong():
    sys.path.insert(0, str(PEERS))
    import score_numbers  # noqa: PLC0415

    cases = [json.loads(line) for line in (PEERS / "probes.jsonl").open(encoding="utf-8")]
    preds = _peer_predictions(cases)
    wrong = []
    for case in cases:
        golds = [g["value"] for g in case["gold"] if g.get("in_domain", True)]
        wrong += [(case["text"], p) for p in preds[case["id"]]
                  if not any(score_numbers.close(g, p["value"]) for g in golds)]
    assert wrong == []
    _, line = _peer_score("probes")
    right, total = map(int, re.search(r"probes right (\d+)/(\d+)", line).groups())
    assert right == total, line


def test_peer_scorer_conversion_matches_the_cli(tmp_path):
    """The in-process predictions above are what the CLI prints."""
    text = "Some 5-6 million people and 30% of homes; Three in 10 adults.\n"
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    rows = [json.loads(line) for line in run("numbers", path, "--format", "jsonl").stdout.splitlines()]
    assert [{k: v for k, v in r.items() if k != "doc"} for r in rows] == read_numbers(text)
    assert math.isclose(rows[1]["value"], 0.3) and rows[2]["unit"] == "share"


# -- news-style sentences of our own (tests/data/numbers_news.yaml) -----------------------------

NEWS = Path(__file__).parent / "data" / "numbers_news.yaml"
_DIRECTIONS = {"exact": "exact", "approx": "approx", "between": "range", "more_than": "more", "over": "more",
               "at_least": "more", "fewer_than": "less", "up_to": "less", "nearly": "less"}


def _gold(entry: str) -> tuple[tuple[float, ...], str, str]:
    """"1245", "2.3e6 less", "86%", "1/3", "10..15", "3%..5%": (value or bounds, unit, direction)."""
    written, _, direction = entry.partition(" ")
    share = "%" in written or "/" in written

    def value(part: str) -> float:
        if part.endswith("%"):
            return float(part[:-1]) / 100
        if "/" in part:
            top, bottom = part.split("/")
            return int(top) / int(bottom)
        return float(part)

    bounds = tuple(value(p) for p in written.split(".."))
    return bounds, "share" if share else "count", direction or ("range" if len(bounds) == 2 else "exact")


def _as_read(n: dict) -> tuple[tuple[float, ...], str, str]:
    direction = _DIRECTIONS[n["qualifier"]]
    bounds = (n["low"], n["high"]) if direction == "range" else (n["value"],)
    return bounds, n["unit"], direction


def _same(a, b) -> bool:
    return len(a[0]) == len(b[0]) and all(math.isclose(x, y, rel_tol=1e-6) for x, y in zip(a[0], b[0])) \
        and a[1:] == b[1:]


def news_score() -> tuple[float, list[str]]:
    """Value F1 over the sentences (a reading is right when value or bounds, unit and direction
    all match a gold number, one to one) and each wrong or missed reading."""
    cases = yaml.safe_load(NEWS.read_text(encoding="utf-8"))
    right = n_read = n_gold = 0
    wrong = []
    for case in cases:
        golds = [_gold(e) for e in case["read"]]
        found = read_numbers(case["text"])
        n_read, n_gold = n_read + len(found), n_gold + len(golds)
        left = list(golds)
        for n in found:
            match = next((g for g in left if _same(g, _as_read(n))), None)
            if match is None:
                wrong.append(f"{case['text']!r}: read {n['surface']!r} as {_as_read(n)}")
            else:
                left.remove(match)
                right += 1
        wrong += [f"{case['text']!r}: missed {g}" for g in left]
    precision, recall = right / n_read if n_read else 1.0, right / n_gold if n_gold else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0, wrong


def test_news_sentences():
    f1, wrong = news_score()
    print(f"news sentences: value F1 {f1:.3f}")
    assert wrong == [], f"value F1 {f1:.3f}\n" + "\n".join(wrong)
