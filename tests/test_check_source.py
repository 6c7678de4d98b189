"""What `layout check` counts of a source (F101): the text the build prints of it.

An archive export's page lines (the paper's name and date, "第4版(要闻)", an empty
"专栏:") are read as page metadata and not printed as text, and the build says so (R405);
the check must not count them as missing — nor stop counting the story's own text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.chars import han_chars
from layout.check.fidelity import Source, fidelity_findings, load_source

from .newsroom_copy import ARCHIVE_ONE, ARCHIVE_THREE


def source_of(tmp_path: Path, text: str) -> Source:
    path = tmp_path / "archive.txt"
    path.write_text(text, "utf-8")
    return load_source(path)


def printed(source: Source) -> list[str]:
    """What the build sets of a source: every story's texts, in order."""
    return [t for _, t in source.doc.texts()]


@pytest.mark.parametrize("text", [ARCHIVE_ONE, ARCHIVE_THREE], ids=["one", "three"])
def test_the_page_lines_are_not_counted_the_story_is(tmp_path: Path, text: str) -> None:
    source = source_of(tmp_path, text)
    assert "某某" not in source.text and "第4版" not in source.text
    assert "要闻" not in source.text and "专栏" not in source.text
    assert han_chars(source.text) != ""
    # every Han character of the printed texts is counted, and nothing else
    assert sorted(han_chars(source.text)) == sorted(han_chars("".join(printed(source))))
    found = fidelity_findings("out.pdf", printed(source), source, ())
    assert found["fidelity.characters"] == []


def test_a_paragraph_left_out_is_still_f101(tmp_path: Path) -> None:
    source = source_of(tmp_path, ARCHIVE_ONE)
    texts = printed(source)
    cut = [t for t in texts if not t.startswith("市农业部门")]
    assert len(cut) == len(texts) - 1
    found = fidelity_findings("out.pdf", cut, source, ())
    assert [f.code for f in found["fidelity.characters"]] == ["F101"]
    assert [f.code for f in found["fidelity.blocks"]] == ["F103"]


def test_a_named_column_is_counted(tmp_path: Path) -> None:
    source = source_of(tmp_path, ARCHIVE_THREE)
    assert "经济观察" in source.text  # "专栏:经济观察": printed with its story
