from __future__ import annotations

from layout.model import Block, Document
from layout.transforms.latin import warn_stray_latin
from layout.transforms.paragraphs import rejoin_broken_paragraphs
from layout.transforms.punctuation import full_width_parentheses


def test_parentheses_in_chinese_context_only() -> None:
    assert full_width_parentheses("电装天电子(无锡)有限公司") == ("电装天电子（无锡）有限公司", 1)
    assert full_width_parentheses("曹文轩(右)和(右二)") == ("曹文轩（右）和（右二）", 2)
    assert full_width_parentheses("f(x) = (a+b)") == ("f(x) = (a+b)", 0)


def test_rejoin_only_open_paragraphs() -> None:
    doc = Document(title="t", lead=[
        Block("paragraph", "第一段结束了。", 1),
        Block("paragraph", "第二段被打断，", 3),
        Block("paragraph", "接着写完。", 5),
    ])
    rejoin_broken_paragraphs(doc)
    assert [b.text for b in doc.lead] == ["第一段结束了。", "第二段被打断，接着写完。"]
    assert [(w.code, w.line) for w in doc.warnings] == [("R101", 3)]


def test_stray_latin_word_warned_not_changed() -> None:
    text = "把党的路线方针政策 and 党中央决策部署贯彻落实，5G和CEO不算。"
    doc = Document(title="t", lead=[Block("paragraph", text, 19)])
    warn_stray_latin(doc)
    assert doc.lead[0].text == text
    assert [(w.code, w.line) for w in doc.warnings] == [("R201", 19)]
