"""``layout init DIR``: scaffold a project a layout desk can build at once."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ..atomic import write_bytes_atomic
from ..config import CONFIG_NAME
from ..errors import LayoutError
from ..settings import BUILTIN_STYLES, PACKAGE_DIR

# The sample article ships in the repository beside the built-in styles; layout is
# installed editable (``pip install -e .``, as ``make`` does), so both are found from here.
# The bundled sample: source/ of the repository, packaged through the src/layout/sample link.
SAMPLE = (PACKAGE_DIR / "sample" / "renmin-ribao-party-building.txt").resolve()

CONFIG_TEMPLATE = """\
# The project file of layout: `layout build` in this folder reads it.
# Command-line flags override it (e.g. `layout build --style book --page a5`).

[paper]
name = "人民日报"            # running heads
publisher = "人民日报社"     # EPUB metadata
language = "zh-Hans"
# script = "traditional-tw"  # all outputs in Traditional Chinese, as --script (-tw, -hk)

[issue]
date = {date}         # a TOML date, or a string such as "3月5日 星期日"
number = 1

[style]
name = "newspaper"          # a folder of styles/ here or a built-in style: newspaper, book
page = "broadsheet"         # a page preset of the style: broadsheet, tabloid, a3, a4

[fonts]                     # font families per role, first installed one wins
body = ["Noto Serif CJK SC", "Source Han Serif SC", "serif"]                # Song (宋体)
heading = ["Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"]         # Hei (黑体)
# Kai (楷体): LXGW WenKai has mainland punctuation and a real bold
note = ["LXGW WenKai", "AR PL UKai CN", "Kaiti SC", "KaiTi", "Noto Serif CJK SC", "serif"]

[output]
formats = ["pdf", "epub", "html"]
dir = "build"

[edition]                   # the articles of this issue, in page order
name = "edition"            # build/edition.pdf and build/edition.epub
articles = [
    "source/{sample}",
]
"""

STYLE_README = """\
# Style overrides

A file placed here replaces the file of the same name in the built-in `newspaper`
style; everything else still comes from the built-in style. For example:

- `style.css` — the whole design (copy the built-in one and change it);
- `style.toml` — page presets and fonts; only the keys you write are changed, e.g.

  ```toml
  [pages.a4]
  columns = 2
  ```

- `templates/article.html.j2` — the print template. An override can extend the
  original and replace a single block: `{% extends "base/article.html.j2" %}`.

To make a new style, create a folder beside this one (say `styles/house/`) with a
`style.toml` saying `extends = "newspaper"` and the files you want to change, and set
`[style] name = "house"` in layout.toml. An empty folder changes nothing.
"""

PROJECT_README = """\
# {name}

A layout project. In this folder:

```sh
layout build              # every source in source/ -> build/ (PDF, EPUB, HTML) + the edition
layout build -j 2         # two articles at a time
layout serve              # live preview on http://127.0.0.1:8000/
layout import export.txt -o source/article.md   # a plain-text export as editable Markdown
```

- `layout.toml` — paper, issue, style, fonts, outputs and the edition's articles.
- `source/` — the articles: newsroom plain text (`.txt`) or Markdown (`.md`); photos
  beside them, named after the figure (`图①.jpg`).
- `styles/` — overrides of the built-in styles (see `styles/newspaper/README.md`).
"""


def init_project(folder: Path) -> list[Path]:
    """Create the project files in ``folder`` (new or empty); return what was written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise LayoutError("C201", "exists and is not an empty folder; choose a new one",
                          str(folder), exit_code=2)
    if not SAMPLE.is_file() or not BUILTIN_STYLES.is_dir():
        raise LayoutError("C202", "the built-in styles and sample are missing from the "
                          "installed package; reinstall layout", str(PACKAGE_DIR))
    files = {
        CONFIG_NAME: CONFIG_TEMPLATE.format(date=dt.date.today().isoformat(),
                                           sample=SAMPLE.name),
        "README.md": PROJECT_README.format(name=folder.resolve().name),
        "styles/newspaper/README.md": STYLE_README,
    }
    written = []
    try:
        for name, text in files.items():
            target = folder / name
            write_bytes_atomic(target, text.encode("utf-8"))
            written.append(target)
        sample = folder / "source" / SAMPLE.name
        sample.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLE, sample)
        written.append(sample)
    except OSError as exc:
        raise LayoutError("C203", f"cannot write the project: {exc.strerror}", str(folder),
                          exit_code=4) from None
    return written
