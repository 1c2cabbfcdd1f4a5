"""A new story needs only a YAML pack: the example in rules/README.md loads and finds its figures."""

from __future__ import annotations

import json
import re

from tests.conftest import ROOT, article, run


def test_the_documented_example_pack_works(tmp_path):
    readme = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    pack = re.search(r"## A complete small pack\n\n```yaml\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "ian.yaml").write_text(pack, encoding="utf-8")
    listed = run("metrics", "--rules", tmp_path / "ian.yaml")
    assert listed.exit_code == 0 and "ian.deaths.florida" in listed.stdout and "gaza.deaths" not in listed.stdout
    body = ("Hurricane Ian has killed at least 101 people in the United States, including 94 in Florida, "
            "officials said Monday.\n\nAt the storm's peak, about 2.6 million customers in Florida were without "
            "power. In Cuba, the storm killed three people.\n")
    path = article(tmp_path, "ian.md", body, published="2022-10-03")
    result = run("figures", path, "--rules", tmp_path / "ian.yaml", "--format", "jsonl")
    found = [(f["metric"], f["surface"], f["as_of"]) for f in map(json.loads, result.stdout.splitlines())]
    assert found == [("ian.deaths", "at least 101", "2022-10-03"), ("ian.deaths.florida", "94", "2022-10-03"),
                     ("ian.outages", "about 2.6 million", "2022-10-03")]
    clash = article(tmp_path, "later.md", "Florida officials said 66 people in Florida had died in the storm.",
                    published="2022-10-03")
    scan = json.loads(run("scan", path, clash, "--rules", tmp_path / "ian.yaml", "--format", "json").stdout)
    # Two sources for the same day that cannot both hold: a conflict, or a claimant difference
    # when both name who counted.
    warned = [f for f in scan if f["severity"] != "info"]
    assert {f["metric"] for f in scan} == {"ian.deaths.florida"}
    assert len(warned) == 1 and warned[0]["rule"] in ("conflict", "claimant")


def test_the_world_s_places_are_elsewhere_only_for_a_pack_that_asks_for_them(tmp_path):
    pack = ("story: derna-floods\nabout: [floods?, Derna]\nplaces:\n  derna: [Derna]\ndefault_place: [derna]\n"
            "metrics:\n  - id: derna.deaths\n    label: People killed by the Derna floods\n    where: derna\n"
            "    cues: [killed, dead]\n    counts: [people]\n")
    body = "The floods in Derna killed 4,000 people, and in Morocco 2,000 people were killed, officials said.\n"
    path = article(tmp_path, "derna.md", body, published="2023-09-14")
    found = {}
    for world in ("", "world_places: true\n"):
        (tmp_path / "derna.yaml").write_text(pack + world, encoding="utf-8")
        result = run("figures", path, "--rules", tmp_path / "derna.yaml", "--format", "jsonl")
        found[bool(world)] = [f["surface"] for f in map(json.loads, result.stdout.splitlines())]
    assert found == {False: ["4,000", "2,000"], True: ["4,000"]}


def test_a_word_list_extends_an_anchored_list(tmp_path):
    pack = ("story: derna-floods\nabout: [floods?, Derna]\nplaces:\n  derna: [Derna]\ndefault_place: [derna]\n"
            "x-words:\n  people: &people [people, residents]\n"
            "metrics:\n  - id: derna.missing\n    label: People missing after the Derna floods\n    where: derna\n"
            "    cues: [missing]\n    counts: [*people, names]\n")
    (tmp_path / "derna.yaml").write_text(pack, encoding="utf-8")
    body = "In Derna, 300 residents are missing after the floods. A second list holds 120 names missing in Derna.\n"
    path = article(tmp_path, "derna.md", body, published="2023-09-14")
    result = run("figures", path, "--rules", tmp_path / "derna.yaml", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [f["surface"] for f in map(json.loads, result.stdout.splitlines())] == ["300", "120"]
