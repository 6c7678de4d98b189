"""The column flow planned in grid lines (layout.makeup.flow): pouring, and filling the
columns flush by photo heights and heads' space within their limits."""

from __future__ import annotations

import random

import pytest

from layout.makeup import flow as flow_module
from layout.makeup.flow import FILL_WORK, Item, fill, pour, simulate


def feet(items: list[Item], columns: int, depth: int) -> list[int]:
    return fill(items, columns, depth, depth)[1].used[-1]


def test_a_photo_grows_within_its_crop_to_make_the_feet_flush() -> None:
    items = [Item("l1", "text", 10), Item("l2", "photo", 5, grow=2),
             Item("l3", "text", 3)]
    assert pour(items, 2, 10, 10).used[-1] == [10, 8]  # as measured: two lines short
    assert feet(items, 2, 10) == [10, 10]
    # A photo may not grow past its crop: one line of room leaves the foot a line short.
    items[1] = Item("l2", "photo", 5, grow=1)
    assert feet(items, 2, 10) == [10, 9]


def test_a_photo_shrinks_within_its_crop_to_keep_the_story_on_its_page() -> None:
    items = [Item("l1", "text", 10), Item("l2", "photo", 6, shrink=1),
             Item("l3", "text", 5)]
    assert pour(items, 2, 10, 10).pages == 2
    items_after, flow = fill(items, 2, 10, 10)
    assert flow.pages == 1 and flow.used[-1] == [10, 10]
    assert items_after[1].lines == 5


def test_a_head_gets_a_line_more_space_to_fill_its_column() -> None:
    items = [Item("l1", "text", 12), Item("l2", "head", 3, grow=1, margin=1),
             Item("l3", "text", 4)]
    assert pour(items, 2, 10, 10).used[-1] == [10, 9]
    filled, flow = fill(items, 2, 10, 10)
    assert flow.used[-1] == [10, 10]
    assert filled[1].margin == 2 and filled[1].lines == 4
    # Without room to move, the column stays short.
    assert feet([Item("l1", "text", 12), Item("l2", "head", 3, margin=1),
                 Item("l3", "text", 4)], 2, 10) == [10, 9]


def test_pour_sets_the_last_page_as_short_as_it_can_be() -> None:
    items = [Item(f"l{k}", "text", 7) for k in range(6)]  # 42 lines on 3 columns of 20
    flow = pour(items, 3, 20, 20)
    assert flow.pages == 1 and flow.capacities[0] == 14 and flow.used[-1] == [14, 14, 14]


def test_columns_too_shallow_for_the_widow_rules_still_take_the_text() -> None:
    """Two-line columns and a three-line paragraph: no split keeps two lines on either
    side, so the flow splits it anyway (it used to loop for ever)."""
    flow = pour([Item("p1", "text", 3), Item("p2", "text", 5)], 2, 2, 2)
    assert sum(sum(page) for page in flow.used) == 8


def test_the_fill_of_a_long_story_has_a_bounded_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long story's many photos and heads make the hill climb's moves many; its pours
    are budgeted by the story's size (a 20-page story used to take minutes)."""
    items = [it for n in range(150) for it in (
        Item(f"h{n}", "head", 3, margin=1), Item(f"t{n}", "text", 7 + n % 5),
        Item(f"p{n}", "photo", 6, grow=2, shrink=1))]
    pours = 0
    real = flow_module.pour

    def counted(*args: object) -> flow_module.Flow:
        nonlocal pours
        pours += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(flow_module, "pour", counted)
    fill(items, 6, 30, 60)
    assert pours <= FILL_WORK // len(items) + 1


def stacked(flow: flow_module.Flow) -> int:
    """The most photos across columns set at the head of one column."""
    return max(sum(1 for a in flow.across if a.column <= c < a.column + a.span)
               for c in range(flow.columns))


def test_photos_across_columns_are_spread_over_the_page_in_reading_order() -> None:
    """Six two-column photos on eight columns: as poured (each at the head of the columns
    after its paragraph's), three end up at the head of one column; the fill spreads them
    as a desk would, at most two in any column, read in N order (down, then right), each
    near its paragraph, the feet flush."""
    items = [Item("t0", "text", 90)]
    for k in range(6):
        items += [Item(f"t{k + 1}", "text", 30 if k % 2 else 20),
                  Item(f"p{k}", "photo", 15, margin=1, span=2, grow=1, shrink=2)]
    items.append(Item("t9", "text", 200))
    assert stacked(pour(items, 8, 80, 80)) == 3
    _, flow = fill(items, 8, 80, 80)
    assert flow.pages == 1 and max(flow.used[0]) - min(flow.used[0]) <= 1
    assert stacked(flow) == 2
    read = sorted(flow.across, key=lambda a: (a.column, a.top))
    assert [a.key for a in read] == [f"p{k}" for k in range(6)]
    for a in flow.across:  # beside or over the column its paragraph ends in
        _, column = flow.photo_column[a.key]
        assert a.column - 2 <= column <= a.column + a.span


def fresh(items: list[Item], columns: int, first: int, rest: int,
          places: flow_module.Places | None = None) -> flow_module.Flow:
    """The pour of ``items`` made afresh, not remembered."""
    watch = flow_module._Watch(flow_module._PARTED[0])
    full = flow_module.simulate(items, columns, [first], rest, 0, places, None, watch)
    return flow_module._pour(items, columns, first, rest, places, full, watch)


def test_pours_are_remembered_by_all_their_arguments() -> None:
    """pour keeps its flows (the fill pours the same items many times): the same
    arguments give the same flow, any other argument the flow poured afresh."""
    items = [Item("h", "head", 3, margin=1), Item("t1", "text", 13),
             Item("p", "photo", 6, grow=2, margin=1, span=2), Item("t2", "text", 9)]
    for columns, first, rest in [(3, 8, 10), (3, 9, 10), (3, 8, 11), (2, 8, 10)]:
        # after the others, so a key missing an argument would return one of theirs
        assert pour(items, columns, first, rest) == fresh(items, columns, first, rest)
    moved = [items[0], items[2], items[1], items[3]]
    assert pour(moved, 3, 8, 10) == fresh(moved, 3, 8, 10)
    placed = {"p": (0, 0)}  # the photo given its place: another flow
    assert pour(items, 3, 8, 10, placed) == fresh(items, 3, 8, 10, placed)
    assert pour(items, 3, 8, 10, placed) != pour(items, 3, 8, 10)


def last_depths(items: list[Item], columns: int, first: int, rest: int,
                places: flow_module.Places | None = None) -> tuple[list[int], list[int]]:
    """The depths of the pages before the last, as the pour at full depth takes them;
    and every depth of the last page, from the least it could be, that holds the story
    on those pages."""
    simulate = flow_module.simulate
    pages = simulate(items, columns, [first], rest, places=places).pages
    fixed, depth = ([], first) if pages == 1 else ([first, *[rest] * (pages - 2)], rest)
    least = sum(it.lines - it.margin for it in items) - columns * sum(fixed)
    return fixed, [d for d in range(min(depth, max(1, -(-least // columns))), depth + 1)
                   if fits(simulate(items, columns, [*fixed, d], rest, places=places), pages,
                           d, depth)]


def fits(flow: flow_module.Flow, pages: int, d: int, depth: int) -> bool:
    """Whether ``flow``, its last page ``d`` deep of ``depth`` at most, holds its story on
    ``pages`` pages with nothing set below its last page's depth."""
    return flow.pages <= pages and (d == depth or max(flow.used[-1]) <= d)


def deeper_holds(items: list[Item], columns: int, first: int, rest: int,
                 places: flow_module.Places | None = None) -> bool:
    """Whether every depth of the last page deeper than one that holds the story holds it
    too (the premise of the pour's search; a few random stories break it)."""
    _, holding = last_depths(items, columns, first, rest, places)
    return holding == list(range(holding[0], holding[-1] + 1))


def exhaustive(items: list[Item], columns: int, first: int, rest: int,
               places: flow_module.Places | None = None) -> flow_module.Flow:
    """The pour trying everything: every depth of the last page for the shortest that
    holds the story, then every depth and short column that may even its feet (the reference
    the pour's searches must equal)."""
    simulate, spread, holding = flow_module.simulate, flow_module.spread, flow_module.holding
    fixed, holds = last_depths(items, columns, first, rest, places)
    pages = simulate(items, columns, [first], rest, places=places).pages
    depth = first if pages == 1 else rest
    low = holds[0]
    flow = simulate(items, columns, [*fixed, low], rest, places=places)
    if spread(flow) > 1 or flow.stranded:
        held = holding(flow)
        trials = ((d, simulate(items, columns, [*fixed, d], rest, short, places))
                  for d in range(low, min(low + flow_module.EVEN_DEPTH, depth) + 1)
                  for short in range(columns))
        flow = min((t for d, t in trials if t.pages == flow.pages and holding(t) >= held
                    and fits(t, pages, d, depth)),
                   default=flow, key=lambda t: (t.stranded, spread(t) > 1, t.free()))
    flow.first, flow.rest = first, rest
    return flow


def random_pour(rng: random.Random) -> tuple[list[Item], int, int, int]:
    """A random story, its columns, its first page's depth and the depth of the others."""
    columns = rng.randint(2, 6)
    items = random_story(rng, columns)
    first, rest = rng.randint(6, 30), rng.randint(10, 40)
    return items, columns, first, rest


def random_story(rng: random.Random, columns: int) -> list[Item]:
    items: list[Item] = []
    for k in range(rng.randint(3, 14)):
        kind = rng.choice(["text", "text", "text", "head", "photo", "photo", "box"])
        if kind == "text":
            items.append(Item(f"t{k}", "text", rng.randint(1, 30), opens=rng.choice([0, 0, 4])))
        elif kind == "head":
            items.append(Item(f"h{k}", "head", rng.randint(2, 4), grow=1, margin=1))
        elif kind == "photo":
            items.append(Item(f"p{k}", "photo", rng.randint(4, 16), grow=2, shrink=2,
                              margin=1, span=rng.randint(1, min(3, columns))))
        else:
            items.append(Item(f"b{k}", "box", rng.randint(3, 12), grow=1, margin=1))
    return items


def test_the_bounded_search_finds_what_trying_everything_finds() -> None:
    """The pour's search of the last page's depth and short columns stops where no deeper
    trial can be better, and the fill's climb leaves a trial as soon as one pass shows it
    takes more pages: the same flows as trying everything, on stories of every shape (a
    wrong bound fails this: the seed's stories include photos across columns, overfull
    columns and pages of several depths), where a deeper last page holds what a shorter
    one does (the search's premise: see test_the_shortest_depth_is_searched_from_a_guess
    for the others)."""
    rng = random.Random(11)
    compared = 0
    for _ in range(400):
        items, columns, first, rest = random_pour(rng)
        full = exhaustive(items, columns, first, rest)
        if deeper_holds(items, columns, first, rest):
            assert fresh(items, columns, first, rest) == full
        score = flow_module._score(full)
        for other in (random_story(rng, columns), items[::-1]):
            if not deeper_holds(other, columns, first, rest):
                continue
            below = flow_module.pour_below(other, columns, first, rest, None, score)
            whole = exhaustive(other, columns, first, rest)
            assert below == (whole if flow_module._score(whole) < score else None)
            compared += 1
    assert compared > 780


def test_a_remembered_flow_is_not_changed_by_its_reader() -> None:
    items = [Item("t1", "text", 13), Item("t2", "text", 9)]
    flow = pour(items, 2, 8, 10)
    flow.first, flow.rest = 1, 2
    again = pour(items, 2, 8, 10)
    assert (again.first, again.rest) == (8, 10)


def test_fills_are_remembered_by_all_their_arguments() -> None:
    """fill keeps its results (a fit fills the same items again): the same arguments give
    the same items and flow, any other argument a fill afresh; the items returned are the
    caller's to change."""
    items = [Item("h", "head", 3, grow=1, margin=1), Item("t1", "text", 13),
             Item("p", "photo", 6, grow=2, shrink=1, margin=1), Item("t2", "text", 9)]
    for columns, first, rest in [(3, 8, 10), (3, 9, 10), (3, 8, 11), (2, 8, 10)]:
        assert fill(items, columns, first, rest) == flow_module._fill(items, columns, first,
                                                                       rest)
    moved = [items[0], items[1], items[3], items[2]]
    assert fill(moved, 3, 8, 10) == flow_module._fill(moved, 3, 8, 10)
    placed, _ = fill(items, 3, 8, 10)
    placed.clear()
    assert fill(items, 3, 8, 10)[0] == flow_module._fill(items, 3, 8, 10)[0] != []


def test_the_search_for_even_feet_stops_only_where_no_trial_left_is_better(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The pour's trials of the last page's depth and short columns stop once the best
    has flush feet and no free lines a later trial could go below (what the last page
    holds is the same in all): the same flows as trying every trial, with photos across
    columns poured and given places (on the last page too, where the stop is not taken),
    on one page and several; and the stop is taken (fewer pours than trying all)."""
    calls = [0]
    simulate = flow_module._simulate

    def counted(*args: object) -> object:
        calls[0] += 1
        return simulate(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(flow_module, "_simulate", counted)
    rng = random.Random(12)
    compared = stopped = 0
    for _ in range(300):
        items, columns, first, rest = random_pour(rng)
        poured = exhaustive(items, columns, first, rest)
        for places in [None, *flow_module.photo_places(poured)]:
            if not deeper_holds(items, columns, first, rest, places):
                continue
            calls[0] = 0
            whole = exhaustive(items, columns, first, rest, places)
            every = calls[0]
            calls[0] = 0
            assert fresh(items, columns, first, rest, places) == whole
            stopped += calls[0] < every
            compared += 1
    assert compared > 300 and stopped > 50


def test_no_trial_of_the_last_page_leaves_fewer_free_lines_than_its_least() -> None:
    """What the stop of the pour's search rests on: every trial of the last page's depth
    and short columns on the same pages leaves at least the free lines
    ``_least_free`` says (what the last page holds is the same in all, the margins
    dropped at column tops aside); and some leave exactly that (a bound a line too high
    fails this)."""
    rng = random.Random(13)
    trials = exact = 0
    for _ in range(150):
        items, columns, first, rest = random_pour(rng)
        for places in [None, *flow_module.photo_places(exhaustive(items, columns, first,
                                                                  rest))]:
            pages = flow_module.simulate(items, columns, [first], rest, places=places).pages
            fixed, depth = (([], first) if pages == 1
                            else ([first, *[rest] * (pages - 2)], rest))
            flow = flow_module.simulate(items, columns, [*fixed, depth], rest, places=places)
            for d in range(max(1, depth - 2 * flow_module.EVEN_DEPTH), depth + 1):
                least = flow_module._least_free(flow, pages, places, d)
                for short in range(columns):
                    trial = flow_module.simulate(items, columns, [*fixed, d], rest, short,
                                                 places)
                    if least is None or trial.pages != pages:
                        continue
                    assert trial.free() >= least
                    trials += 1
                    exact += trial.free() == least
    assert trials > 1000 and exact > 100


def test_the_shortest_depth_is_searched_from_a_guess() -> None:
    """The pour's search of the shortest last page: the least depth that holds when every
    deeper one holds too, in two trials when the guess is right and few when it is far;
    else (a depth holds and a deeper one not) a depth that holds, the one a line less not.
    Each depth tried at most once."""
    rng = random.Random(14)
    for _ in range(2000):
        low = rng.randint(1, 30)
        high = low + rng.randint(0, 40)
        answer = rng.randint(low, high)
        guess = rng.randint(low, high)
        monotone = rng.random() < 0.5
        holding = {d: d >= answer and (monotone or d == high or rng.random() < 0.7)
                   for d in range(low, high + 1)}
        tried: list[int] = []

        def holds(d: int, tried: list[int] = tried, holding: dict[int, bool] = holding
                  ) -> bool:
            tried.append(d)
            return holding[d]

        found = flow_module._shortest(holds, low, high, guess)
        assert len(tried) == len(set(tried)) and holding[found]
        assert found == low or not holding[found - 1]
        if monotone:
            assert found == answer
            assert len(tried) <= 2 * (abs(guess - answer) + 1).bit_length() + 1
            if guess == answer:
                assert len(tried) <= 2


def test_a_photo_waiting_at_the_storys_end_keeps_its_margin_in_the_column() -> None:
    """A brief and its photo in a book's one column (issue 11: the build failed, B201):
    the photo, one line of margin and 19 of frame and caption, waits at the story's end
    with 19 lines left under the text; it does not fit them with its margin, so it heads
    the next page instead of running a line past the column (and off the page)."""
    items = [Item("p1", "text", 3), Item("p2", "text", 5),
             Item("photo", "photo", 20, shrink=4, margin=1)]
    flow = simulate(items, 1, [27], 33)
    assert flow.used == [[8], [19]]  # its margin dropped at the next page's top
    assert flow.photo_column["photo"] == (1, 0)


def test_a_photo_leaps_lines_to_close_a_band_above_a_head_on_a_book_page() -> None:
    """One column (the book's): three lines are left above a head that needs six (its
    three and three of its text), a band across the page no desk passes; the photo above
    three lines shorter (within its crop) lets the head stand there.  A line at a time
    only widens the band, so the fill tries a photo's whole range when a page before the
    last holds a band."""
    items = [Item("l1", "text", 9), Item("l2", "photo", 20, shrink=4, margin=1),
             Item("l3", "text", 2), Item("l4", "head", 3, margin=1),
             Item("l5", "text", 30), Item("l6", "text", 20)]
    assert flow_module.holes(pour(items, 1, 34, 34)) == 3
    placed, flow = fill(items, 1, 34, 34)
    assert flow_module.holes(flow) == 0 and flow.pages == 3
    assert [it.lines for it in placed if it.kind == "photo"] == [17]


def test_a_band_is_a_gap_deeper_than_a_short_page() -> None:
    """On one column, a page a line short (the widow rule's) is no band; five lines left
    above a head that needs six (its three and three of its text: desk seed 24 at B5)
    are, and the make-up ranks a story's leadings by them before its empty lines.  On
    columns, a short foot is weighed with the others' (no band)."""
    band = [Item("l1", "text", 29), Item("l2", "head", 3, margin=1), Item("l3", "text", 40)]
    flow = pour(band, 1, 34, 34)
    assert flow_module.holes(flow) == flow_module.bands(flow) == 5
    short = pour([Item("l1", "text", 33), Item("l2", "text", 40)], 1, 34, 34)
    assert flow_module.holes(short) == 1 and flow_module.bands(short) == 0
    assert flow_module.bands(pour(band, 2, 34, 34)) == 0


def test_a_short_storys_page_is_as_deep_as_its_tallest_photo() -> None:
    """A story shorter than its page is poured into columns as shallow as hold it: never
    shallower than a photo, which would hang below the others' feet (a compact module's
    photo 16 lines deep beside text columns of 12: L104)."""
    items = [Item("l1", "text", 20), Item("l2", "photo", 16, shrink=2, margin=1)]
    flow = pour(items, 3, 30, 30)
    depth = flow.capacities[0]
    assert flow.pages == 1 and max(flow.used[0]) <= depth and depth >= 15


def test_a_photo_beside_other_columns_does_not_end_its_column() -> None:
    """A photo that would fill the rest of a column waits for a place with KEEP lines of
    text below it (a column ended by a photo has its text's foot above it: L104 counts
    it short of the others'); on a single column (a book's page) it may end the page."""
    items = [Item("l1", "text", 12), Item("l2", "photo", 8, margin=1), Item("l3", "text", 10),
             Item("l4", "text", 10)]
    flow = simulate(items, 2, [20], 20)
    assert [column[-1][1] for column in flow.slots[0]] == ["text", "text"]
    assert flow.photo_column["l2"] == (0, 1) and flow.pages == 1
    book = simulate(items, 1, [20], 20)
    assert book.slots[0][0][-1][:2] == ("l2", "photo")


def test_a_photo_ending_a_column_has_its_foot_at_its_caption() -> None:
    """The line of space under a photo's caption (the figure's margin) is no line of its
    column: a column the photo ends has its foot a line above what it holds, as `layout
    check` reads it (L104), and the fill evens that foot with the others."""
    items = [Item("l1", "text", 10), Item("l2", "photo", 9, margin=1)]
    flow = simulate(items, 2, [10], 10)
    assert flow.used[-1] == [10, 8]  # its margin dropped at the column's head
    assert flow_module.feet(flow) == [10, 7] and flow_module.spread(flow) == 3
    grown = [items[0], Item("l2", "photo", 9, grow=2, margin=1)]
    placed, flow = fill(grown, 2, 10, 10)
    assert flow.used[-1] == [10, 10] and flow_module.feet(flow) == [10, 9]


def test_a_photo_across_columns_with_nothing_under_it_ends_them_at_its_caption() -> None:
    """Columns that hold only a photo across them (a short story's) have their feet at
    its caption's last line, a line above the lines it takes; with text under it, the
    text's."""
    flow = simulate([Item("l1", "text", 12), Item("p", "photo", 9, margin=1, span=2)],
                    3, [12], 12)
    assert flow.used[-1] == [12, 8, 8] and flow_module.feet(flow) == [12, 7, 7]
    under = simulate([Item("l1", "text", 6), Item("p", "photo", 5, margin=1, span=2),
                      Item("l2", "text", 12)], 3, [10], 10)
    assert [u for u, f in zip(under.used[-1], flow_module.feet(under), strict=True)
            if u != f] == []


def test_a_photo_moves_two_paragraphs_at_once_to_even_the_last_page() -> None:
    """Desk seed 6 at A4 (three columns, 40 lines under the head, then 49): its square
    photo (a frame of one height) after its eleventh paragraph leaves the last page's
    paragraphs of 5, 5, 8 and 8 lines, which no depth evens under the widow and orphan
    rules (10, 10, 6).  Two paragraphs earlier the last page is 8, 8, 8; one earlier
    helps nothing, so the climb, taking only steps that help, moves it two at once."""
    lines = [8, 12, 7, 8, 7, 7, 6, 5, 12, 7, 3, 11, 6, 5, 5, 5, 8, 8]
    items = [Item(f"l{k}", "text", n) for k, n in enumerate(lines)]
    items.insert(10, Item("photo", "photo", 14, margin=1))
    one_earlier = [*items[:9], items[10], items[9], *items[11:]]
    assert flow_module.spread(pour(one_earlier, 3, 40, 49)) > 1
    placed, flow = fill(items, 3, 40, 49)
    assert flow.pages == 2 and flow_module.feet(flow) == [8, 8, 8]
    assert [it.key for it in placed].index("photo") == 8
