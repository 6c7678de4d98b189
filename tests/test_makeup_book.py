"""The book's one column made up as a desk makes it (issue 11): no band left empty on a
page before the last, a photo that does not fit the rest of a page at the head of the
next with the text run on to the page's foot, an FPO frame's label on the grid."""

from __future__ import annotations

from layout.makeup.flow import Item, fill, holes, pour, waste


def test_a_photo_still_waiting_at_the_story_end_leaves_a_gap_above_it() -> None:
    """The text ends before the photo fits: the rest of its column is empty above the
    photo, which the flow counts (it used to count nothing, and the make-up took a page
    of a photo alone for a full one)."""
    items = [Item("l1", "text", 4), Item("l2", "photo", 12, margin=1), Item("l3", "text", 4)]
    flow = pour(items, 1, 10, 20)
    assert flow.pages == 2 and flow.used == [[8], [11]]
    assert flow.gaps == [(0, 0, 2, "l2")]
    assert holes(flow) == 2 and waste(flow) == 2 + 9


def test_one_column_keeps_no_band_empty_before_its_last_page() -> None:
    """The test article on the book's A4: a photo after its first paragraph, the next
    paragraph (three lines) two lines too long for the page's foot.  Shrinking the photo
    a line within its crop sets the paragraph there; the last page keeps the free lines
    (it used to keep the two-line band on page 1, a line fewer free at the story's end)."""
    items = [Item("l7", "text", 3), Item("l21", "photo", 20, shrink=2, margin=1),
             Item("l9", "text", 3), Item("l23", "photo", 20, shrink=2, margin=1),
             Item("l11", "head", 4, grow=1, margin=1), Item("l15", "text", 3),
             Item("l17", "lead", 1, grow=1), Item("l19", "text", 2)]
    poured = pour(items, 1, 25, 34)
    assert poured.pages == 2 and holes(poured) == 2
    placed, flow = fill(items, 1, 25, 34)
    assert flow.pages == 2 and holes(flow) == 0
    assert flow.used[0] == [25]
    assert [it.key for it in placed][:3] == ["l7", "l21", "l9"]  # the photo by its text


def test_several_columns_weigh_a_short_column_with_the_free_lines() -> None:
    """On several columns a gap is a column's short foot, not a band across the page."""
    items = [Item("l1", "text", 4), Item("l2", "photo", 12, margin=1), Item("l3", "text", 4)]
    assert holes(pour(items, 2, 10, 20)) == 0


def test_a_refit_that_strands_a_head_ranks_below_one_that_does_not() -> None:
    """The fit's attempts (leadings, body sizes) on as many pages rank a head without its
    lines under it below a line or two more left empty (unseen copy seed 17 at the book's
    A4: a leading that left a head two lines at a page's foot was taken for its fuller
    pages, L105)."""
    from types import SimpleNamespace

    from layout.makeup.flow import Flow
    from layout.makeup.makeup import Attempt, _fuller

    def attempt(stranded: int, free: int, leading: float) -> Attempt:
        flow = Flow(1, 30, 30, [30, 30], used=[[30], [30 - free]], stranded=stranded)
        settings = SimpleNamespace(design=SimpleNamespace(page=SimpleNamespace(
            leading=leading)))
        return Attempt(settings, None, flow, 0, None)  # type: ignore[arg-type]

    stranding, standing = attempt(1, 0, 1.87), attempt(0, 2, 1.77)
    assert _fuller(standing) < _fuller(stranding)
    assert standing.rank(2) < stranding.rank(2)
    assert attempt(0, 0, 1.7).rank(2) < standing.rank(2)  # else the fewer lines empty
