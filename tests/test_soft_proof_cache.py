"""The soft proof's colours and a profile's usability, kept on disk (``layout.colors``,
``layout.writers.press``): what is kept is what littleCMS computes, and it is taken only
for the same profile, colours, littleCMS and code."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ImageCms

from layout import colors
from layout.writers import press

# (as imported: a test may replace them)
_MEMOS = (colors.screen_rgb, colors._proof, press._unusable)


def _clear() -> None:
    for memo in _MEMOS:
        memo.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(folder))
    _clear()
    yield folder
    _clear()


@pytest.fixture(scope="module")
def profile() -> bytes:
    return press.load_profile(None).data


def _refuse(*args: object) -> str:
    raise AssertionError("computed again")


def test_kept_screen_colours_are_littlecms_s(cache: Path, profile: bytes,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    draw = random.Random(11)
    table = {f"c{i}": (float(draw.randint(0, 100)), float(draw.randint(0, 100)),
                       float(draw.randint(0, 100)), float(draw.randint(0, 100)))
             for i in range(12)}
    made = colors.screen_colors(table, profile)
    assert made == [colors.screen_rgb(v, profile) for v in table.values()]
    assert len(set(made)) > 1 and len(list((cache / "proof").iterdir())) == 1
    _clear()
    monkeypatch.setattr(colors, "screen_rgb", _refuse)
    assert colors.screen_colors(table, profile) == made  # from the disk
    css = colors.colors_css(table, profile)
    assert all(f"--{name}: {value};" in css for name, value in zip(table, made, strict=True))


def test_a_kept_proof_is_not_taken_for_other_inputs(cache: Path, profile: bytes,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ink = {"ink": (0.0, 0.0, 0.0, 100.0)}
    colors.screen_colors(ink, profile)
    asked: list[tuple[float, ...]] = []

    def fake(cmyk: tuple[float, float, float, float], data: bytes) -> str:
        asked.append(cmyk)
        return "#123456"

    monkeypatch.setattr(colors, "screen_rgb", fake)
    assert colors.screen_colors(ink, profile) != ["#123456"]  # kept
    other = profile[:-1] + bytes([profile[-1] ^ 1])  # another profile
    assert colors.screen_colors(ink, other) == ["#123456"]
    assert colors.screen_colors({"ink": (0.0, 0.0, 0.0, 99.0)}, profile) == ["#123456"]
    assert colors.screen_colors({**ink, "red": (0.0, 100.0, 100.0, 0.0)}, profile)[1] == (
        "#123456")
    monkeypatch.setattr(ImageCms.core, "littlecms_version", "0.0")
    assert colors.screen_colors(ink, profile) == ["#123456"]
    assert len(asked) == 5


def test_a_profiles_verdict_is_kept(cache: Path, profile: bytes,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert press._unusable(profile) is None
    _clear()
    monkeypatch.setattr(press, "_try_transforms", _refuse)
    assert press._unusable(profile) is None  # from the disk
    other = profile[:-1] + bytes([profile[-1] ^ 1])
    monkeypatch.setattr(press, "_try_transforms", lambda data: "no tables")
    assert press._unusable(other) == "no tables"
    _clear()
    monkeypatch.setattr(press, "_try_transforms", _refuse)
    assert press._unusable(other) == "no tables"  # a problem is kept too
    assert press._unusable(profile) is None


def test_nothing_is_kept_without_a_cache_folder(profile: bytes,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAYOUT_CACHE_DIR", "")
    _clear()
    made = colors.screen_colors({"ink": (0.0, 0.0, 0.0, 100.0)}, profile)
    assert made == [colors.screen_rgb((0.0, 0.0, 0.0, 100.0), profile)]
    _clear()
