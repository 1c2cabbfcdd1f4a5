"""The world's places no pack declares (figcheck/world_places.yaml): how they are found in a text,
which of them each bundled pack leaves to itself, and when an article is about one of them."""

from __future__ import annotations

import pytest
import yaml

from figcheck import world
from figcheck.pack import load_config

CONFIG = load_config()


def _places(story_place: str):
    """The places of the bundled pack whose default place is `story_place`."""
    return next(m.places for m in CONFIG.metrics.values()
                if m.places is not None and m.places.default == frozenset([story_place]))


def test_every_word_names_one_place_and_begins_with_a_capital():
    data = yaml.safe_load(world.WORLD_PLACES.read_text(encoding="utf-8"))
    cities = data.pop("cities")
    assert set(cities) <= {entry[0] for group in data.values() for entry in group}
    words = [word for group in data.values() for entry in group for word in entry]
    words += [word for names in cities.values() for word in names]
    assert len(words) == len(set(words))
    # the gazetteer looks up capitalised words only
    assert [w for w in words if not w[0].isupper()] == []


@pytest.mark.parametrize(("text", "found"), [
    ("Aid reached Guinea-Bissau and Papua New Guinea.", ["Guinea-Bissau", "Papua New Guinea"]),
    ("Rescuers from South Sudan and Sudan", ["South Sudan", "Sudan"]),
    ("New Yorkers marched in New York.", ["New York"]),
    ("Polish firefighters; polish the floor.", ["Polish"]),
    ("Officials in Indiana and India", ["Indiana", "India"]),
    ("the governor of Hawai‘i", ["Hawai‘i"]),
])
def test_the_longest_name_at_a_start_is_found_with_its_case_and_whole(text, found):
    gazetteer = world.Gazetteer(list(world._entries()))
    assert [text[lo:hi] for lo, hi, _ in gazetteer.finditer(text)] == found


@pytest.mark.parametrize(("story_place", "own", "other"), [
    ("gaza", ["Israel", "Israeli", "Israelis"], ["Lebanon", "Egypt", "Ukraine"]),
    ("maui", ["Hawaii"], ["California", "Canada"]),
])
def test_a_pack_s_own_places_and_about_words_are_not_elsewhere(story_place, own, other):
    gazetteer = _places(story_place).elsewhere
    assert [w for w in own if list(gazetteer.finditer(w))] == []
    assert [w for w in other if not list(gazetteer.finditer(w))] == []


def test_the_quake_pack_s_countries_are_its_own():
    places = next(m.places for m in CONFIG.metrics.values() if m.id == "quake.deaths")
    assert [w for w in ["Turkey", "Türkiye", "Syria", "Syrian"] if list(places.elsewhere.finditer(w))] == []
    assert list(places.elsewhere.finditer("Morocco"))


def test_a_city_is_its_place_and_left_out_with_it():
    import re

    everywhere = world.elsewhere([])
    [(_, _, syria)] = list(everywhere.finditer("Syria"))
    assert [place for _, _, place in everywhere.finditer("Aleppo and Los Angeles")][0] == syria
    # a pack whose place is a city leaves the city's country to itself, and the other way round
    for known in ("Aleppo", "Syria"):
        gazetteer = world.elsewhere([re.compile(known)])
        assert not list(gazetteer.finditer("Aleppo")) and not list(gazetteer.finditer("Syria"))
        assert list(gazetteer.finditer("Los Angeles"))


def test_an_article_is_about_elsewhere_only_when_another_place_is_named_more_often_than_the_story_s():
    places = _places("maui")

    def about_elsewhere(text: str) -> bool:
        return places.about_elsewhere(text, [(0, len(text))])

    tied = "Fires in California and on Maui. California sent crews to Lahaina."
    assert not about_elsewhere(tied)
    assert about_elsewhere(tied + " Californians watched.")
    # several other places are not added together: each is another story
    assert not about_elsewhere(tied + " Oregon and Canada sent crews.")
    # a city is named as its place
    assert about_elsewhere(tied + " Crews from Los Angeles came.")
    # each of the places the pack declares counts for the story, not its default place alone
    assert not about_elsewhere(tied + " Californians watched. The Big Island was spared.")


def test_only_the_article_s_sentences_count_not_the_page_s_furniture():
    places = _places("maui")
    prose = "Fires on Maui burned Lahaina. Crews from California helped."
    page = "California | Oregon | California news | California weather\n" + prose
    start = page.index("Fires")
    assert places.about_elsewhere(page, [(0, len(page))])
    assert not places.about_elsewhere(page, [(start, len(page))])


def test_a_store_indexed_before_the_world_s_places_changed_is_indexed_again(tmp_path, monkeypatch):
    from figcheck import store

    before = store.rules_fingerprint(CONFIG.files)
    edited = tmp_path / "world_places.yaml"
    edited.write_text(world.WORLD_PLACES.read_text(encoding="utf-8") + "  - [Atlantis]\n", encoding="utf-8")
    monkeypatch.setattr(world, "WORLD_PLACES", edited)
    assert store.rules_fingerprint(CONFIG.files) != before
