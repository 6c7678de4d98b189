"""A style's colours: defined once, in CMYK, in style.toml's ``[colors]`` table.

Each entry is ``name = [C, M, Y, K]`` in per cent.  They reach the CSS as custom
properties (``var(--name)``): for print as ``device-cmyk()``, for screens (the HTML
preview, PDF/A) as the sRGB the output profile says the inks will look like.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import PIL
from PIL import Image, ImageCms

from . import diskcache
from .errors import LayoutError

Cmyk = tuple[float, float, float, float]
NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def parse_colors(table: Any, where: str) -> dict[str, Cmyk]:
    """Validate a ``[colors]`` table: names are CSS identifiers, values four percentages."""
    if not isinstance(table, dict):
        raise LayoutError("B411", "[colors] must be a table of name = [C, M, Y, K]", where,
                          exit_code=2)
    out: dict[str, Cmyk] = {}
    for name, value in table.items():
        if not NAME.match(name):
            raise LayoutError("B411", f"colour name {name!r}: use lower-case letters, digits "
                              "and hyphens", where, exit_code=2)
        if (not isinstance(value, list) or len(value) != 4
                or not all(isinstance(v, int | float) and not isinstance(v, bool)
                           and 0 <= v <= 100 for v in value)):
            raise LayoutError("B411", f"colour {name!r} must be [C, M, Y, K], each 0-100 "
                              f"per cent, not {value!r}", where, exit_code=2)
        c, m, y, k = (float(v) for v in value)
        out[name] = (c, m, y, k)
    return out


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def device_cmyk(cmyk: Cmyk) -> str:
    return "device-cmyk(" + " ".join(_number(v / 100) for v in cmyk) + ")"


# Rendering intents to try, best first: not every profile has tables for every intent,
# and littleCMS refuses black-point compensation with some.
INTENTS = (
    (ImageCms.Intent.PERCEPTUAL, ImageCms.Flags.BLACKPOINTCOMPENSATION),
    (ImageCms.Intent.RELATIVE_COLORIMETRIC, ImageCms.Flags.BLACKPOINTCOMPENSATION),
    (ImageCms.Intent.RELATIVE_COLORIMETRIC, ImageCms.Flags.NONE),
)


def transform(source: Any, destination: Any, in_mode: str, out_mode: str,
              intents: tuple[tuple[ImageCms.Intent, ImageCms.Flags], ...] = INTENTS
              ) -> ImageCms.ImageCmsTransform:
    """The first transform littleCMS can build with ``intents``; OSError if none."""
    error: OSError | None = None
    for intent, flags in intents:
        try:
            return ImageCms.buildTransform(source, destination, in_mode, out_mode,
                                           renderingIntent=intent, flags=flags)
        except (OSError, ImageCms.PyCMSError) as exc:
            error = OSError(str(exc))
    raise error or OSError("no rendering intent")


@functools.lru_cache(maxsize=4)
def _proof(profile: bytes) -> ImageCms.ImageCmsTransform:
    """The soft proof of ``profile`` on sRGB: built once (littleCMS takes ~35 ms)."""
    return transform(ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                     ImageCms.createProfile("sRGB"), "CMYK", "RGB", INTENTS[1:])


@functools.lru_cache(maxsize=64)
def screen_rgb(cmyk: Cmyk, profile: bytes) -> str:
    """The sRGB hex colour of ``cmyk`` printed under ``profile`` (a soft proof)."""
    proof = _proof(profile)
    pixel = Image.new("CMYK", (1, 1), tuple(round(v * 2.55) for v in cmyk))
    r, g, b = proof.apply(pixel).tobytes()
    return f"#{r:02x}{g:02x}{b:02x}"


def littlecms_key(profile: bytes, *code: str) -> str:
    """What a result littleCMS computed from ``profile`` depends on, as a key of
    :mod:`layout.diskcache`: the profile's digest, littleCMS's and Pillow's versions and
    the source of the modules (``code``: their files) that computed it."""
    files = [hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in (__file__, *code)]
    return "\0".join((*files, str(ImageCms.core.littlecms_version), PIL.__version__,
                      hashlib.sha256(profile).hexdigest()))


def screen_colors(colors: Mapping[str, Cmyk], profile: bytes) -> list[str]:
    """:func:`screen_rgb` of each colour, kept on disk (:mod:`layout.diskcache`): a
    process would build the proof's transform (~20 ms) for the same few colours of the
    same profile at every build."""
    values = list(colors.values())
    key = littlecms_key(profile) + "\0" + json.dumps(values)
    kept = diskcache.load("proof", key)
    if isinstance(kept, list) and len(kept) == len(values) and all(
            isinstance(v, str) for v in kept):
        return kept
    made = [screen_rgb(v, profile) for v in values]
    diskcache.store("proof", key, made)
    return made


def colors_css(colors: Mapping[str, Cmyk], screen_profile: bytes | None) -> str:
    """``:root`` custom properties for the colours: for print, or with ``screen_profile``
    the sRGB of the inks printed under that profile."""
    if not colors:
        return ""
    values = (screen_colors(colors, screen_profile) if screen_profile
              else [device_cmyk(v) for v in colors.values()])
    lines = [f"  --{name}: {value};" for name, value in zip(colors, values, strict=True)]
    what = "sRGB, as printed under the profile" if screen_profile else "device-cmyk, for print"
    return f"/* The style's [colors] ({what}). */\n:root {{\n" + "\n".join(lines) + "\n}\n"
