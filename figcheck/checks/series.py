"""Who counts, and when a count was revised: claimant series, superseded figures, revision epochs.

A series is one claimant's count. Claimants are named loosely ("Gaza Health Ministry", "Gaza
health officials"), so names that share more than half of all their words, or all the words of
the shorter name, are one series. Generic words ("officials", "authorities", "Mr") are left
aside, abbreviated titles written out ("Gov." is "Governor"), and a country's name and its
people's are one word ("Syrian" is "Syria": figcheck/world_places.yaml); an acronym is the name
whose initials it is ("FEMA"). A figure without a claimant belongs to no series, nor does one
whose claimant names no one ("officials") or could be any of several series ("the ministry"
beside two ministries).

A downward revision resets a growing count's record: stated in the text (a current figure with
a higher `previous` one of its sentence, or a sentence that revises a count from a higher
figure to a lower one), or shown by a series whose later, lower figure later sources follow.
Each revision opens an epoch; figures are compared with the record of their own epoch.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import polars as pl

from figcheck.checks.settled import settled_lower

GENERIC_WORDS = {
    "the", "of", "and", "for", "in", "a", "an", "by", "to", "at", "on", "via", "s", "its", "their", "said",
    "officials", "official", "authorities", "authority", "spokesman", "spokesperson", "spokeswoman", "sources",
    "source", "figures", "data", "report", "reports", "according", "latest", "country",
    "mr", "mrs", "ms", "dr",  # "Mr Erdogan" is "President Recep Tayyip Erdogan"
}
# The wires' abbreviated titles: "Gov. Josh Green" is "Governor Josh Green".
TITLES = {"gov": "governor", "sen": "senator", "rep": "representative", "pres": "president", "sec": "secretary",
          "lt": "lieutenant", "gen": "general", "col": "colonel", "maj": "major", "capt": "captain", "sgt": "sergeant",
          "cmdr": "commander", "adm": "admiral", "supt": "superintendent", "insp": "inspector", "govt": "government",
          "dept": "department"}
_ACRONYM = re.compile(r"[A-Z]{2,6}")
SAME_SENTENCE_CHARS = 200  # without the article's text, figures this close count as one sentence


def with_series(frame: pl.DataFrame | pl.LazyFrame, claimants: list[str] | None = None,
                same_words: dict[str, str] | None = None) -> pl.DataFrame | pl.LazyFrame:
    """Add `series`: one integer per group of matching claimant names, null without a claimant.
    The names are the frame's (a DataFrame), or `claimants` (all names of a larger set the frame
    is part of; the frame may then be lazy, and stays so).
    same_words: words read as another ("syrian" as "syria": Config.same_place_words)."""
    if claimants is None:
        names = frame.select(pl.col("claimant").str.strip_chars()).drop_nulls().unique().filter(pl.col("claimant") != "")
        mapping = _series_of(names, same_words)
    else:
        mapping = _series_of_names(tuple(claimants), tuple((same_words or {}).items()))
    return (frame.with_columns(claimant_key=pl.col("claimant").str.strip_chars())
            .join(mapping.lazy() if isinstance(frame, pl.LazyFrame) else mapping, on="claimant_key", how="left")
            .drop("claimant_key"))


@functools.lru_cache(maxsize=8)
def _series_of_names(claimants: tuple[str, ...], same_words: tuple[tuple[str, str], ...]) -> pl.DataFrame:
    """_series_of a list of names, made once: a check builds the rules' frames of its draft and of
    the rows it reads some eight times over one list (24 polars operations each)."""
    names = pl.DataFrame({"claimant": list(claimants)}, schema={"claimant": pl.String})
    return _series_of(names, dict(same_words))


def _series_of(names: pl.DataFrame, same_words: dict[str, str] | None) -> pl.DataFrame:
    """The series number of each claimant name (claimant_key, series); vague names have none."""
    words = (names.with_columns(word=pl.col("claimant").str.to_lowercase().str.extract_all(r"\w+"))
             .explode("word").with_columns(pl.col("word").replace(TITLES).replace(same_words or {}))
             .filter(~pl.col("word").is_in(list(GENERIC_WORDS))).drop_nulls().unique())
    sizes = words.group_by("claimant").agg(n=pl.len())
    shared = (words.join(words, on="word", suffix="_b").filter(pl.col("claimant") != pl.col("claimant_b"))
              .group_by("claimant", "claimant_b").agg(shared=pl.len())
              .join(sizes, on="claimant").join(sizes.rename({"claimant": "claimant_b", "n": "n_b"}), on="claimant_b"))
    alike = shared.filter(pl.col("shared") * 2 > pl.col("n") + pl.col("n_b") - pl.col("shared"))
    # A short name inside longer ones ("AFAD" in "AFAD head Yunus Sezer") joins them only when
    # they are one series already: "OCHA" must not join two OCHA reports of different authorities.
    inside = shared.filter((pl.col("shared") == pl.col("n")) & (pl.col("n") < pl.col("n_b")))
    parent = {name: name for name in names["claimant"].to_list()}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for a, b in alike.select("claimant", "claimant_b").sort("claimant", "claimant_b").iter_rows():  # over name pairs, not figures
        parent[root(a)] = root(b)
    _join_acronyms(names["claimant"].to_list(), parent, root)
    vague = set(names["claimant"].to_list()) - set(sizes["claimant"].to_list())  # "officials": no one named
    for short, group in inside.sort("claimant", "claimant_b").group_by("claimant", maintain_order=True):
        series = {root(longer) for longer in group["claimant_b"].to_list()}
        if len(series) == 1:
            parent[root(short[0])] = series.pop()
        elif not alike.filter(pl.col("claimant") == short[0]).height:
            vague.add(short[0])  # "the ministry" when several ministries speak: which one is unknown
    named = [name for name in parent if name not in vague]
    number = {r: i for i, r in enumerate(sorted({root(n) for n in named}))}
    return pl.DataFrame({"claimant_key": named, "series": [number[root(n)] for n in named]},
                        schema={"claimant_key": pl.String, "series": pl.Int64})


def _same_sentence(a: str = "", b: str = "_b") -> pl.Expr:
    return ((pl.col(f"sentence{a}") == pl.col(f"sentence{b}")) & (pl.col(f"sentence{a}").str.len_chars() > 40)) | (
        (pl.col(f"char_start{a}") - pl.col(f"char_start{b}")).abs() <= SAME_SENTENCE_CHARS)


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"\w+", name.lower()) if word not in GENERIC_WORDS)


def _join_acronyms(names: list[str], parent: dict[str, str], root) -> None:
    """ "FEMA" is the Federal Emergency Management Agency, "IDF" the Israel Defense Forces: a name
    that is one word in capitals joins the series of the names whose words it is the initials of,
    when they are one series."""
    spelled_out: dict[str, list[str]] = {}
    for name in names:
        if len(initials := _initials(name)) >= 2:
            spelled_out.setdefault(initials, []).append(name)
    for name in names:
        words = [word for word in re.findall(r"\w+", name) if word.lower() not in GENERIC_WORDS]
        if len(words) == 1 and _ACRONYM.fullmatch(words[0]):
            series = {root(other) for other in spelled_out.get(words[0].lower(), []) if other != name}
            if len(series) == 1:
                parent[root(name)] = series.pop()


def mark_superseded(frame: pl.DataFrame | pl.LazyFrame, cues: list[str]) -> pl.DataFrame | pl.LazyFrame:
    """In a sentence that revises a count down ("revised ... from 1,400 to 1,200"), the higher figure
    of the same metric speaks of the past: mark it previous. A lazy frame stays lazy: the marking
    is part of the one query that builds the rules' frame (frame.rule_frame)."""
    if not cues:
        return frame
    lazy = frame.lazy()
    cue = "(?i)(?:" + "|".join(f"(?:{c})" for c in cues) + ")"
    current = lazy.filter(~pl.col("previous") & pl.col("sentence").str.contains(cue))
    cols = ["idx", "doc", "metric", "unit", "value", "sentence", "char_start"]
    pairs = (current.select(cols).join(current.select(cols), on=["doc", "metric", "unit"], suffix="_b")
             .filter(pl.col("sentence") == pl.col("sentence_b"))
             .filter(pl.col("value") > pl.col("value_b")))
    old = pairs.select("idx").unique().with_columns(superseded=pl.lit(True))
    marked = (lazy.join(old, on="idx", how="left", maintain_order="left")
              .with_columns(previous=pl.col("previous") | pl.col("superseded").fill_null(False)).drop("superseded"))
    return marked if isinstance(frame, pl.LazyFrame) else marked.collect(engine="in-memory")


REVISION_SCHEMA = {"metric": pl.String, "rev_date": pl.Date, "rev_idx": pl.Int64, "rev_doc": pl.String,
                   "old_idx": pl.Int64, "old_value": pl.Float64, "new_hi": pl.Float64}


def revisions(frame: pl.DataFrame) -> pl.DataFrame:
    """Downward revisions of growing counts, one row each, oldest first."""
    return shown_revisions(stated_revisions(frame), frame.filter(~pl.col("previous")))


def stated_revisions(frame: pl.DataFrame) -> pl.DataFrame:
    """The revisions a sentence states: a current figure beside a higher `previous` one of its sentence.
    The only step that reads sentences: the frame can go once it is done."""
    # Only the columns read are copied (filtered whole, the frame was copied with every column).
    grows = frame.lazy().filter(pl.col("direction") == "grows").select(*REVISION_COLUMNS, "sentence", "previous")
    past = grows.filter(pl.col("previous")).drop("previous").collect()
    current = grows.filter(~pl.col("previous")).drop("previous").join(
        past.lazy().select("doc", "metric", "unit").unique(), on=["doc", "metric", "unit"], how="semi").collect()
    stated = (current.join(past, on=["doc", "metric", "unit"], suffix="_b")
              .filter(_same_sentence() & (pl.col("value_b") > pl.col("value")))
              .select("metric", rev_date="as_of", rev_idx="idx", rev_doc="doc", old_idx="idx_b", old_value="value_b",
                      new_hi="hi"))
    return _first_of_date(stated.cast(REVISION_SCHEMA))


def shown_revisions(stated: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """The stated revisions, those a series shows (a later, lower figure later sources follow) and
    those a metric settled to (checks/settled.py), of the current figures (`previous` ones left out)."""
    current = current.lazy().filter(pl.col("direction") == "grows").select(REVISION_COLUMNS).collect()
    found = [stated]
    lowest = None
    for falls in later_lower(current.select(*KEYS, *SHAPE, "idx", "doc", "as_of", "lo", "hi", "level", "value")):
        lowest = _lowest_after(current) if lowest is None else lowest
        found.append(_first_of_date(_followed(falls, lowest).cast(REVISION_SCHEMA)))
    shown = pl.concat(found)
    # a metric no sentence and no series shows revised may still have settled lower (checks/settled.py)
    unshown = current.join(shown.select("metric").unique(), on="metric", how="anti")
    return _first_of_date(pl.concat([shown, settled_lower(unshown, REVISION_SCHEMA)]))


def _first_of_date(revs: pl.DataFrame) -> pl.DataFrame:
    """One revision per metric and date: the one from the highest old value (then the first figures)."""
    return (revs.sort("metric", "rev_date", "old_value", "rev_idx", "old_idx", descending=[False, False, True, False, False])
            .unique(["metric", "rev_date"], keep="first", maintain_order=True))


def _followed(falls: pl.DataFrame, lowest: pl.DataFrame) -> pl.DataFrame:
    """The pairs of `later_lower` that a later source of another article follows: a figure dated
    on or after the lower one, nearer it than the higher one. The nearer, the lower: the lowest
    figure of an article other than the pair's two is the one to try."""
    return (_with_follower(falls, lowest).filter(_follows())
            .select("metric", rev_date="as_of_b", rev_idx="idx_b", rev_doc="doc_b", old_idx="idx", old_value="value",
                    new_hi="hi_b"))


def _with_follower(falls: pl.DataFrame, lowest: pl.DataFrame) -> pl.DataFrame:
    joined = (falls.sort("as_of_b")
              .join_asof(lowest.sort("from"), left_on="as_of_b", right_on="from", by=["metric", "unit"],
                         strategy="forward", check_sortedness=False))
    other = [(pl.col(f"doc{k}") != pl.col("doc")) & (pl.col(f"doc{k}") != pl.col("doc_b")) for k in (1, 2, 3)]
    return joined.with_columns(f_level=pl.when(other[0]).then(pl.col("level1")).when(other[1]).then(pl.col("level2"))
                               .when(other[2]).then(pl.col("level3")))


def _follows() -> pl.Expr:
    return (pl.col("f_level") - pl.col("level_b")).abs() < (pl.col("f_level") - pl.col("level")).abs()


PENDING_SCHEMA = {"metric": pl.String, "unit": pl.String, "as_of": pl.Date, "mid": pl.Float64}


def unfollowed(frame: pl.DataFrame) -> pl.DataFrame:
    """The pairs of `later_lower` no later source follows (yet), as a running maximum per metric
    and unit: from each date `as_of` on, a figure of another article with a level below `mid`
    dated on or after a pair's lower figure could follow one (the pair's level lie on either side of
    mid, the lower below it: a level below mid is nearer the lower one)."""
    grows = frame.filter(pl.col("direction") == "grows") if not frame.is_empty() else frame
    if grows.is_empty():
        return pl.DataFrame(schema=PENDING_SCHEMA)
    current = grows.filter(~pl.col("previous"))
    lowest, found = None, []
    for falls in later_lower(current.select(*KEYS, *SHAPE, "idx", "doc", "as_of", "lo", "hi", "level", "value")):
        lowest = _lowest_after(current) if lowest is None else lowest
        found.append(_with_follower(falls, lowest).filter(~_follows().fill_null(False))
                     .select("metric", "unit", as_of="as_of_b", mid=(pl.col("level") + pl.col("level_b")) / 2))
    if not found:
        return pl.DataFrame(schema=PENDING_SCHEMA)
    pending = pl.concat(found).group_by("metric", "unit", "as_of").agg(pl.col("mid").max()).sort("metric", "unit", "as_of")
    pending = pending.with_columns(top=pl.col("mid").cum_max().over("metric", "unit"))
    return (pending.filter(pl.col("mid") == pl.col("top"))
            .filter(pl.col("top") > pl.col("top").shift(1).over("metric", "unit").fill_null(float("-inf")))
            .select(list(PENDING_SCHEMA)).cast(PENDING_SCHEMA))


def _lowest_after(current: pl.DataFrame) -> pl.DataFrame:
    """For each metric, unit and date of the figures: the three articles with the lowest figures
    (by level) dated on or after it, with their lowest levels (fewer when fewer articles).

    Going back in time, an article's figures of a date can only join the three lowest when they
    are among the date's three lowest articles (by lowest level, then name): the three lower ones
    are dated on or after every date before it too. So only those rows are walked, lowest first."""
    rows = (current.group_by("metric", "unit", "as_of", "doc").agg(pl.col("level").min())
            .sort("metric", "unit", "as_of", "level", "doc", descending=[False, False, True, False, False])
            .filter(pl.int_range(pl.len()).over("metric", "unit", "as_of") < 3))
    out: dict[str, list] = {k: [] for k in ("metric", "unit", "from", "doc1", "level1", "doc2", "level2", "doc3", "level3")}
    keys = list(zip(rows["metric"], rows["unit"], rows["as_of"]))
    docs, levels = rows["doc"].to_list(), rows["level"].to_list()
    top: list[tuple[float, str]] = []
    for k, (key, doc, level) in enumerate(zip(keys, docs, levels)):
        if k and key[:2] != keys[k - 1][:2]:
            top = []
        mine = [t for t in top if t[1] == doc]
        if mine or len(top) < 3 or level < top[-1][0]:
            top = sorted([t for t in top if t[1] != doc] + [(min([level, *(t[0] for t in mine)]), doc)])[:3]
        if k + 1 == len(keys) or keys[k + 1] != key:
            padded = top + [(None, None)] * (3 - len(top))
            for name, value in zip(out, [*key, *(x for lv, d in padded for x in (d, lv))]):
                out[name].append(value)
    return pl.DataFrame(out, schema={"metric": pl.String, "unit": pl.String, "from": pl.Date, "doc1": pl.String,
                                     "level1": pl.Float64, "doc2": pl.String, "level2": pl.Float64, "doc3": pl.String,
                                     "level3": pl.Float64})


# Pairs of figures compared at once: memory stays bounded. Over gaza.deaths at 20,000 articles
# (201,584 pairs of a later figure below an earlier one) pieces of 100,000 raised the peak of
# building the rules' context by 72 MB, 25,000 by 45 MB.
PAIR_ROWS = 25_000
# What, besides its value, sets a figure's interval (see frame.with_intervals): among figures of one
# series alike in these, the higher value has the higher bounds and level.
SHAPE = ["qualifier", "precision", "low", "high", "base_value"]
KEYS = ["metric", "unit", "series"]
# What finding revisions reads of a figure.
REVISION_COLUMNS = ["idx", "doc", "metric", "unit", "as_of", "lo", "hi", "level", "value", "series", "char_start", *SHAPE]


def later_lower(current: pl.DataFrame) -> Iterator[pl.DataFrame]:
    """Pairs of one series' current figures where the later is below the earlier (columns of the
    later one suffixed _b), in pieces of about PAIR_ROWS pairs; not all of them (they grow with
    the square of a series' figures) but, for each later figure, the pairs `revisions` may pick.

    A revision takes, of the earlier figures a later figure b falls below and that a follower
    (see _followed) places nearer b, the one of highest value. Among figures of one shape (SHAPE)
    a higher value has higher bounds and level, and both tests pass the more easily the higher
    they are; the follower's level is that of the lowest article other than b's and a's, so it is
    higher (stricter) for the figures of that one article only. Per shape the candidates are then
    the highest earlier figure and the highest of another article than its own (ties: the first
    figure); b meets only those. A shape whose figures do not rise with their value (not seen,
    but it costs nothing to check) has each figure for a shape of its own."""
    candidates = _candidates(current.filter(pl.col("series").is_not_null()))
    if candidates is None:
        return
    best, later, lengths = candidates
    falls = (pl.col("as_of_b") > pl.col("as_of")) & (pl.col("hi_b") < pl.col("lo"))
    offset = 0
    for length in lengths:
        piece = later.slice(offset, length)
        offset += length
        earlier = best.join(piece.select(*KEYS, "as_of").unique(), on=[*KEYS, "as_of"])
        pairs = (earlier.join(piece.rename({c: f"{c}_b" for c in piece.columns if c not in (*KEYS, "as_of")}),
                              on=[*KEYS, "as_of"])
                 .rename({"as_of": "as_of_b", "a_as_of": "as_of"}))
        yield pairs.select(*KEYS, "idx", "doc", "as_of", "lo", "level", "value",
                           *(f"{c}_b" for c in ("idx", "doc", "as_of", "lo", "hi", "level", "value"))).filter(falls)


def _candidates(named: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, list[int]] | None:
    """The best earlier figures (see _best_before); the later figures sorted by series and date;
    the lengths of the consecutive pieces they are compared in, about PAIR_ROWS pairs each. Only
    these stay held while the pieces are compared (the ranked figures, 15 MB for gaza.deaths at
    50,000 articles, go), and a piece is a slice of the later figures, not a copy."""
    # A pair is two figures of one series on two dates: a draft's lone named figure among unnamed
    # rows has none to find (some 30 polars operations a call).
    if named.is_empty() or named.select(pl.col("as_of").n_unique().over(KEYS).max()).item() < 2:
        return None
    best = _best_before(_shaped(named))
    later = named.select(*KEYS, "idx", "doc", "as_of", "lo", "hi", "level", "value").sort(*KEYS, "as_of", "idx")
    counts = later.join(best.group_by(*KEYS, "as_of").len(), on=[*KEYS, "as_of"], how="left",
                        maintain_order="left")["len"].fill_null(0)
    pieces = (counts.cum_sum() - counts) // PAIR_ROWS  # rises: each piece a run of rows
    return best, later, pieces.unique_counts().to_list()


def _shaped(named: pl.DataFrame) -> pl.DataFrame:
    """The figures with `shape`, a number per series and SHAPE; `rank`, their order by value
    (highest first, then the first figure)."""
    ranged = pl.col("qualifier") == "between"  # low and high are a range's bounds, else the value again
    # A base sets the bounds of a share multiplied out into a count only (see frame.with_intervals):
    # a share left a share, whatever base its sentence gives, is of its qualifier's shape.
    based = pl.col("unit") == "count"
    shape = pl.struct(*KEYS, "qualifier", "precision", base_value=pl.when(based).then(pl.col("base_value")),
                      low=pl.when(ranged).then(pl.col("low")),
                      high=pl.when(ranged).then(pl.col("high"))).rank("dense").cast(pl.Int64)
    ranked = (named.select(*KEYS, *SHAPE, "idx", "doc", "as_of", "lo", "level", "value")
              .sort(["value", "idx"], descending=[True, False]).with_row_index("rank")
              .with_columns(pl.col("rank").cast(pl.Int64), shape=shape))
    # Down the ranks of a shape, bounds and level must not rise; where they do, figures stand alone.
    rising = ((pl.col("lo") > pl.col("lo").shift(1)) | (pl.col("level") > pl.col("level").shift(1))).over("shape")
    broken = ranked.filter(rising)["shape"].unique().implode()
    return ranked.with_columns(shape=pl.when(pl.col("shape").is_in(broken)).then(-1 - pl.col("rank"))
                               .otherwise(pl.col("shape")))


def _best_before(shaped: pl.DataFrame) -> pl.DataFrame:
    """For each date a series has figures on and each shape of the series, the highest figure of
    the shape dated before it, and the highest of an article other than that one's: their columns
    (as_of renamed a_as_of), a row each, with the date as `as_of`."""
    none = pl.lit(2**62, pl.Int64)
    by = ["shape"]
    run = shaped.sort("shape", "as_of", "idx").with_columns(best=pl.col("rank").cum_min().over(by))
    run = run.join(shaped.select(best="rank", best_doc="doc"), on="best", how="left", maintain_order="left")
    # The runs where the best figure's article stays the same: the second best is the best before
    # the run began (of another article), or a later figure of another article within the run.
    run = run.with_columns(stretch=(pl.col("best_doc") != pl.col("best_doc").shift(1)).fill_null(True).cum_sum().over(by),
                           before=pl.col("best").shift(1).over(by))
    run = run.with_columns(second=pl.min_horizontal(
        pl.col("before").first().over(*by, "stretch").fill_null(none),
        pl.when(pl.col("doc") != pl.col("best_doc")).then(pl.col("rank")).otherwise(none).cum_min().over(*by, "stretch")))
    state = (run.group_by(*KEYS, "shape", "as_of").agg(pl.col("best", "second").last())
             .rename({"as_of": "upto"}).sort("upto"))
    dates = shaped.select(*KEYS, "as_of").unique()
    shapes = shaped.select(*KEYS, "shape").unique()
    chosen = (dates.join(shapes, on=KEYS).sort("as_of")
              .join_asof(state.drop(KEYS), left_on="as_of", right_on="upto", by="shape", strategy="backward",
                         allow_exact_matches=False, check_sortedness=False)
              .unpivot(index=[*KEYS, "as_of"], on=["best", "second"], value_name="rank")
              .filter(pl.col("rank").is_not_null() & (pl.col("rank") < none)).select(*KEYS, "as_of", "rank"))
    return chosen.join(shaped.select("rank", "idx", "doc", a_as_of="as_of", lo="lo", level="level", value="value"),
                       on="rank").drop("rank")


def with_epochs(frame: pl.DataFrame, revs: pl.DataFrame) -> pl.DataFrame:
    """Add `epoch`: how many revisions of the metric came on or before the figure's date."""
    numbered = revs.select("metric", "rev_date").sort("rev_date").with_columns(
        epoch=pl.int_range(1, pl.len() + 1).over("metric").cast(pl.Int64))
    return (frame.sort("as_of").join_asof(numbered.sort("rev_date"), left_on="as_of", right_on="rev_date",
                                          by="metric", strategy="backward", check_sortedness=False)
            .with_columns(pl.col("epoch").fill_null(0)).drop("rev_date").sort("idx"))

