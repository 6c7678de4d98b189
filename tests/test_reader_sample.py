"""The bundled sample read into the model: the facts issue 2 names, and a golden file."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from layout.chars import han_chars
from layout.readers import read

from .conftest import GOLDEN, SAMPLE


@pytest.fixture(scope="module")
def model() -> dict:
    return read(SAMPLE).to_json()


def test_matches_golden(model: dict) -> None:
    golden = json.loads((GOLDEN / "sample-model.json").read_text("utf-8"))
    assert model == golden


def test_head(model: dict) -> None:
    assert model["kicker"] == "新时代新征程新伟业"
    assert model["title"] == "增强党建凝聚力 共画发展同心圆"
    assert model["byline"]["role"] == "本报记者"
    assert model["byline"]["authors"] == ["杜海涛"]
    assert model["editor_note"]["signature"] == "编者"
    assert len(model["editor_note"]["paragraphs"]) == 2
    assert len(model["lead"]) == 4


def test_sections(model: dict) -> None:
    assert [(s["line"], s["title"], s["subtitle"]) for s in model["sections"]] == [
        (23, "覆盖万千党员", "党员工作生活在哪里，党组织就覆盖到哪里"),
        (49, "激发创新活力", "发挥党员先锋模范作用，增强党员的归属感和凝聚力"),
        (75, "引领发展方向", "夯实基层基础，优化营商环境，着力推动高质量发展"),
    ]
    lead_ins = [b["line"] for s in model["sections"] for b in s["blocks"]
                if b["type"] == "lead_in"]
    assert lead_ins == [31, 43, 83, 89, 95]


def test_figures(model: dict) -> None:
    figures = model["figures"]
    assert [f["label"] for f in figures] == ["图①", "图②", "图③", "图④", "图⑤", "图⑥"]
    assert figures[0]["credit"] == "张余雪摄"
    assert figures[0]["caption"].endswith("采访。")
    assert all(f["credit"].endswith("摄") and f["image"] is None for f in figures)


def test_sidebar(model: dict) -> None:
    (sidebar,) = model["sidebars"]
    assert sidebar["title"] == "感言"
    entries = sidebar["entries"]
    assert [e["signature"] for e in entries] == [
        "经济社会部 欧阳洁", "浙江分社 赛皓", "海南分社 曹文轩", "江苏分社 白光迪",
        "广东分社 李刚", "湖南分社 王云娜",
    ]
    assert [len(e["paragraphs"]) for e in entries] == [1, 1, 1, 1, 2, 1]


def test_repairs_reported(model: dict) -> None:
    codes = Counter(w["code"] for w in model["warnings"])
    joins = [w["line"] for w in model["warnings"] if w["code"] == "R101"]
    assert joins == [39, 71]
    blocks = [b for s in model["sections"] for b in s["blocks"]]
    assert any("打造龙华智慧党建平台，实现党员管理服务的全覆盖。" in b["text"] for b in blocks)
    assert any("人才夜市，邀请到39家单位参与" in b["text"] for b in blocks)
    # 10 pairs of parentheses on 8 lines; none left half-width in Chinese context.
    parens = [w for w in model["warnings"] if w["code"] == "R102"]
    assert sum(int(w["message"].split()[0]) for w in parens) == 10
    assert "(" not in json.dumps(model, ensure_ascii=False).split('"warnings"')[0]
    assert [w["line"] for w in model["warnings"] if w["code"] == "R201"] == [19]
    assert codes["R900"] == 0


def test_no_han_character_lost(model: dict) -> None:
    source = Counter(han_chars(SAMPLE.read_text("utf-8")))
    body = dict(model)
    body.pop("warnings")
    assert Counter(han_chars(json.dumps(body, ensure_ascii=False))) == source
