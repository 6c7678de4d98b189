"""The command line: the only place that parses argv, prints, and exits.

Exit codes: 0 success, 1 checks failed, 2 usage error, 3 bad input or failed build,
4 an output could not be written.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .app.parallel import SCHEDULER_TIMEOUT, Outcome, build_all, open_executor
from .app.project import init_project
from .atomic import write_bytes_atomic
from .config import FORMATS, Config, Edition, load_config
from .errors import LayoutError
from .libraries import search_ldconfig_only
from .limits import DEFAULT_MAX_PARAGRAPHS, DEFAULT_MAX_SOURCE_MB, SourceLimits
from .model import Diagnostic
from .readers import read, source_suffixes
from .settings import RunOptions, Settings
from .writers import press_options

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line and exit 2: which option, what is wrong, where help is."""
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def report(path: str, diagnostics: Sequence[Diagnostic], quiet: bool = False) -> None:
    for d in diagnostics:
        if quiet and d.severity == "info":
            continue
        _err(d.format(path))


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}")
    return formats


def in_range(kind: type[int] | type[float], low: float, high: float
             ) -> Callable[[str], float]:
    """An argparse type: a finite number of ``kind`` from ``low`` to ``high`` inclusive."""
    what = "a whole number" if kind is int else "a number"

    def parse(value: str) -> float:
        try:
            number = kind(value)
        except ValueError:
            number = None
        if number is None or not math.isfinite(number) or not low <= number <= high:
            raise argparse.ArgumentTypeError(
                f"expected {what} from {low:g} to {high:g}, not {value!r}")
        return number

    return parse


def scheduler_address(value: str) -> str:
    if not re.fullmatch(r"[a-z]+://[^/\s]+:\d{1,5}", value):
        raise argparse.ArgumentTypeError(f"expected tcp://HOST:PORT, not {value!r}")
    return value


def default_sources(root: Path) -> list[Path]:
    folder = root / "source"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in source_suffixes()) if (
        folder.is_dir()) else []


def cmd_build(args: argparse.Namespace) -> int:
    config = load_config(Path("."), Path(args.config) if args.config else None)
    explicit = bool(args.sources)
    if config.pages and not explicit:
        return build_page_plan(config, args)
    if args.compose:
        return build_composed(config, args)
    sources = project_sources(config, args.sources)
    if not sources:
        raise LayoutError("A001", "no sources given and none found in source/", exit_code=2)
    settings = build_settings(config, args)
    out_dir = Path(args.output) if args.output else config.root / config.output
    formats = args.format or config.formats
    status = EXIT_OK
    with progress_display(sources) as advance, open_executor(
            args.jobs, args.scheduler, args.scheduler_timeout) as executor:
        def show(outcome: Outcome) -> None:
            nonlocal status
            advance(outcome.source.name)
            status = max(status, report_outcome(outcome, args.quiet))

        outcomes = build_all(sources, settings, out_dir, formats, executor, force=args.force,
                             fit=args.fit_pages, on_outcome=show, limits=source_limits(args))
    if config.edition and not explicit and {"pdf", "epub"} & set(formats):
        status = max(status, report_edition(config.edition, outcomes, settings, out_dir,
                                            formats, args.force))
    if all(o.skipped for o in outcomes):
        print(f"up to date: {len(outcomes)} source(s) unchanged in {out_dir}")
    if args.check:
        status = max(status, check_outcomes(outcomes, settings, out_dir, formats))
    return status


def build_settings(config: Config, args: argparse.Namespace) -> Settings:
    return config.settings(
        style=args.style, page=args.page, paper=args.paper, issue_date=args.date,
        publisher=args.publisher, folio=args.folio, script=args.script,
        run=RunOptions(strict=args.strict, bleed_mm=args.bleed, typeset=args.typeset,
                       marks=args.marks, pdf_variant=args.pdf_variant, icc=args.icc,
                       embed_fonts=args.embed_fonts, epub_image_max=args.epub_image_max,
                       cover=args.cover, vertical=args.vertical),
    )


def build_page_plan(config: Config, args: argparse.Namespace) -> int:
    """`layout build` in a project with [[pages]]: every page composed, and their edition."""
    from .app.page_plan import build_pages

    settings = build_settings(config, args)
    out_dir = Path(args.output) if args.output else config.root / config.output
    title = (config.edition.title if config.edition and config.edition.title else
             " ".join(filter(None, [settings.publication.paper,
                                    settings.publication.issue_date])))
    result = build_pages(config.pages, settings, out_dir, args.format or config.formats,
                         title, jump=args.jump)
    for path, diagnostic in result.diagnostics:
        report(path, [diagnostic], args.quiet)
    if result.failed:
        _err("the page plan was not built; no outputs written")
        return EXIT_INPUT
    for out in result.outputs:
        print(f"wrote {os.path.relpath(out)}")
    return check_pages(result.outputs, settings) if args.check else EXIT_OK


def check_pages(outputs: Sequence[Path], settings: Settings) -> int:
    """`layout build --check` on a page plan: each page's PDF (its fidelity and its
    column feet read module by module from the modules and sources it records), the
    edition's PDF and EPUB.  On one page's PDF jump lines are not checked (the page they
    name is another file: the edition is checked for them); on the edition column feet
    are not (it does not record its pages' modules: each page's PDF is checked for them)."""
    from .app.page_plan import EDITION
    from .check import Options, run
    from .check.report import as_text

    status = EXIT_OK
    skip = () if settings.run.typeset else ("typography",)
    files = [p for p in outputs if p.suffix in (".pdf", ".epub")]
    pages = [p for p in files if p.suffix == ".pdf" and p.stem != EDITION]
    for paths, more in ((pages, ("layout.jumps",)),
                        ([p for p in files if p not in pages], ("layout.column-feet",))):
        if not paths:
            continue
        result = run(paths, Options(paper=settings.publication.paper,
                                    issue_date=settings.publication.issue_date,
                                    skip=skip + more))
        sys.stdout.write(as_text(result))
        if result.failed:
            status = EXIT_FAILED
    return status


def build_composed(config: Config, args: argparse.Namespace) -> int:
    """`layout build --compose SOURCE…`: each source's stories composed on one page."""
    from .app.page_plan import build_pages
    from .app.stories import source_title
    from .config import PagePlan

    settings = build_settings(config, args)
    out_dir = Path(args.output) if args.output else config.root / config.output
    status = EXIT_OK
    for source in project_sources(config, args.sources):
        doc = read(source, source_limits(args))
        page = doc.page
        plan = PagePlan(page.number if page and page.number else args.folio,
                        (page.name if page else None) or settings.publication.section_name
                        or doc.title, (source,), where=str(source))
        result = build_pages((plan,), settings, out_dir, args.format or config.formats,
                             source_title(doc), single=source.stem)
        for path, diagnostic in result.diagnostics:
            report(path, [diagnostic], args.quiet)
        if result.failed:
            _err(f"{source}: build failed; no outputs written for it")
            status = max(status, EXIT_INPUT)
        for out in result.outputs:
            print(f"wrote {os.path.relpath(out)}")
        if args.check and not result.failed:
            status = max(status, check_pages(result.outputs, settings))
    return status


def check_outcomes(outcomes: Sequence[Outcome], settings: Settings, out_dir: Path,
                   formats: tuple[str, ...]) -> int:
    """`layout build --check`: run `layout check` on each built article's PDF and EPUB."""
    from .check import Options, run
    from .check.report import as_text

    status = EXIT_OK
    for outcome in outcomes:
        if outcome.failed:
            continue
        paths = [out_dir / f"{outcome.source.stem}.{ext}" for ext in ("pdf", "epub")
                 if ext in formats]
        paths = [p for p in paths if p.is_file()]
        if not paths:
            continue
        # With the typesetting layer off (--no-typeset) its measures are not a gate.
        options = Options(source=outcome.source, paper=settings.publication.paper,
                          issue_date=settings.publication.issue_date,
                          skip=() if settings.run.typeset else ("typography",))
        result = run(paths, options)
        sys.stdout.write(as_text(result))
        if result.failed:
            status = EXIT_FAILED
    return status


def report_outcome(outcome: Outcome, quiet: bool) -> int:
    """Print what one article's build did; return its exit status."""
    source = str(outcome.source)
    if outcome.error is not None:
        _err(str(outcome.error))
        return outcome.error.exit_code
    if outcome.skipped:
        print(f"{source}: up to date")
        return EXIT_OK
    result = outcome.result
    assert result is not None
    report(source, result.diagnostics, quiet)
    if outcome.fit:
        print(f"{source}: {outcome.fit}")
    if result.failed:
        _err(f"{source}: build failed; no outputs written for it")
        return EXIT_INPUT
    for out in result.outputs:
        extra = f" ({result.pages} page{'s' if result.pages != 1 else ''})" if (
            out.suffix == ".pdf") else ""
        print(f"wrote {os.path.relpath(out)}{extra}")
    return EXIT_OK


def report_edition(edition: Edition, outcomes: Sequence[Outcome], settings: Settings,
                   out_dir: Path, formats: tuple[str, ...], force: bool) -> int:
    from .app.edition import build_edition

    built = build_edition(edition, outcomes, settings, out_dir, formats, force=force)
    if built.missing:
        _err(f"{edition.name} (edition): not built; failed articles: "
             + ", ".join(os.path.relpath(p) for p in built.missing))
        return EXIT_INPUT
    if built.skipped:
        print(f"{edition.name} (edition): up to date")
    for out in built.outputs:
        print(f"wrote {os.path.relpath(out)} (edition of {len(edition.articles)} articles)")
    return EXIT_OK


LONG_BUILD_BYTES = 64 * 1024  # a source this large takes seconds to lay out (~1 min per MB)


@contextlib.contextmanager
def progress_display(sources: Sequence[Path]) -> Iterator[Callable[[str], None]]:
    """On a terminal: a progress bar for several sources, or a spinner with the time spent
    for one long source (the layout engine reports no progress of its own); else silent."""
    if not sys.stderr.isatty() or not sources or (
            len(sources) == 1 and _size(sources[0]) < LONG_BUILD_BYTES):
        yield lambda name: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if len(sources) > 1:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("building", total=len(sources))
            yield lambda name: bar.update(task, advance=1, description=name)
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        bar.add_task(f"building {sources[0].name} ({_size(sources[0]) // 1024:,} KB; about a "
                     "minute per MB)", total=None)
        yield lambda name: None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def cmd_init(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    for path in init_project(folder):
        print(f"wrote {path}")
    print(f"next: cd {folder} && layout build")
    return EXIT_OK


def project_sources(config: Config, explicit: Sequence[str] = ()) -> list[Path]:
    """The files given, else every source in source/ and the edition's articles.

    Outputs are named after the source's stem, so two sources with one stem (``a.txt``
    and the ``a.md`` that ``layout import`` made of it) are refused, never one silently
    overwriting the other's outputs.
    """
    if explicit:
        sources = [Path(s) for s in explicit]
    else:
        sources = default_sources(config.root)
        if config.edition:
            known = {s.resolve() for s in sources}
            sources += [a for a in config.edition.articles if a.resolve() not in known]
    seen: dict[str, Path] = {}
    for source in sources:
        other = seen.setdefault(source.stem, source)
        if other != source and other.resolve() != source.resolve():
            raise LayoutError("A002", f"{other} and {source} would both be built to "
                              f"{source.stem}.*: move one aside (after `layout import`, "
                              "the .txt)", exit_code=2)
    return sources


def cmd_serve(args: argparse.Namespace) -> int:
    from .app.serve import Preview, Snapshot, make_server, serve

    config_path = Path(args.config) if args.config else None
    preview = Preview(Path("."), config_path, lambda c: project_sources(c, args.sources),
                      {"style": args.style, "page": args.page,
                       "jump": "yes" if args.jump else None})
    first = preview.rebuild()
    if not first.articles and first.problems:
        for line in first.problems:
            _err(line)
        return EXIT_USAGE
    try:
        server = make_server(preview, args.port)
    except OSError as exc:
        raise LayoutError("W101", f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}",
                          exit_code=2) from None

    def rebuilt(snap: Snapshot) -> None:
        print(f"rebuilt ({snap.version}): " + ", ".join(snap.articles), flush=True)
        for line in snap.problems + [m for a in snap.articles.values() for m in a.messages]:
            _err(line)

    print(f"serving {len(first.articles)} article(s) on "
          f"http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    finished = serve(preview, server, rebuilt)
    print("stopped", flush=True)
    if not finished:  # a rebuild still running: the preview writes nothing, so end now
        sys.stderr.flush()
        os._exit(EXIT_OK)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    target = Path(args.output) if args.output else source.with_suffix(".md")
    if target.resolve() == source.resolve():
        raise LayoutError("I101", "the Markdown output would replace its source; use -o",
                          str(source), exit_code=2)
    if target.exists() and not (args.output or args.force):
        raise LayoutError("I102", "exists; use -o FILE or --force", str(target), exit_code=2)
    doc = read(source, source_limits(args))
    report(str(source), doc.warnings, args.quiet)
    if any(w.severity == "error" for w in doc.warnings):
        return EXIT_INPUT
    from .writers.markdown import to_markdown  # (YAML: not imported by every command)

    write_bytes_atomic(target, to_markdown(doc).encode("utf-8"))
    print(f"wrote {target}")
    if target.parent.resolve() == source.parent.resolve() and target.stem == source.stem:
        print(f"next: move {source} out of this folder; `layout build` refuses two sources "
              f"with one name (A002)")
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    if args.plan:
        return inspect_plan(args)
    if not args.file:
        raise LayoutError("A003", "inspect needs a source (or --plan)", exit_code=2)
    path = Path(args.file)
    doc = read(path, source_limits(args))
    if args.json:
        json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from .app.outline import outline

        print(outline(doc))
        report(str(path), doc.warnings)
    return EXIT_INPUT if any(w.severity == "error" for w in doc.warnings) else EXIT_OK


def inspect_plan(args: argparse.Namespace) -> int:
    """`layout inspect --plan [SOURCE]`: the modules chosen for each planned page (or for
    the stories of one source on one page), as a table; nothing is written."""
    from .app.outline import plan_table
    from .app.page_plan import compose_plans
    from .app.pages import compose_page

    config = load_config(Path("."), Path(args.config) if args.config else None)
    settings = config.settings(style=args.style, page=args.page)
    out_dir = config.root / config.output
    pages = []
    if args.file:
        path = Path(args.file)
        pages.append((str(path), compose_page([(path, read(path, source_limits(args)))],
                                              settings, out_dir, render=False)))
    elif not config.pages:
        raise LayoutError("A003", "no [[pages]] in the project's layout.toml: name a source",
                          exit_code=2)
    for plan, page in compose_plans(config.pages if not args.file else (), settings, out_dir,
                                    None, render=False, jump=args.jump):
        if isinstance(page, LayoutError):
            raise page
        pages.append((f"第{plan.number}版 {plan.name}", page))
    status = EXIT_OK
    for n, (heading, page) in enumerate(pages):
        report(page.where, page.diagnostics)
        if page.layout is None:
            status = EXIT_INPUT
            continue
        print(("\n" if n else "") + plan_table(page, heading))
    return status


def limit_pair(value: str) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected MIN,MAX in em, not {value!r}") from None
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError(f"expected 0 <= MIN <= MAX, not {value!r}")
    return low, high


def check_names(value: str) -> str:
    from .check import CHECKS

    families = {c.split(".", 1)[0] for c in CHECKS}
    if value not in CHECKS and value not in families:
        raise argparse.ArgumentTypeError(
            f"unknown check {value!r}; choose from {', '.join(sorted(families) + list(CHECKS))}")
    return value


def cmd_check(args: argparse.Namespace) -> int:
    """Check built PDFs and EPUBs; exit 1 when any check fails (docs/check.md)."""
    from .atomic import write_bytes_atomic
    from .check import LayoutLimits, Limits, Options, run
    from .check.report import FORMATTERS, as_text
    from .check.visual import VisualOptions

    if args.dpi < 10:
        raise LayoutError("A106", f"--dpi {args.dpi} is too low to compare pages (10 or more)",
                          exit_code=2)
    if args.update_baseline and not args.baseline:
        raise LayoutError("A104", "--update-baseline needs --baseline DIR", exit_code=2)
    if args.source and not Path(args.source).is_file():
        raise LayoutError("A105", "source not found", args.source, exit_code=2)
    skip = tuple(args.skip) + (("epub.epubcheck",) if args.no_epubcheck else ())
    # Running heads of PDFs that do not record their own: the options, else the project's.
    config = load_config(Path.cwd())
    options = Options(
        source=Path(args.source) if args.source else None,
        paper=args.paper or config.paper, issue_date=args.date or config.issue_date,
        folio=args.folio, skip=skip,
        limits=Limits(max_ragged=args.max_ragged, ragged_tolerance=args.ragged_tolerance,
                      max_pair_advance=args.max_pair_advance, han_latin_gap=args.han_latin_gap),
        layout_limits=LayoutLimits(
            max_empty=args.max_empty, min_on_grid=args.min_on_grid,
            grid_tolerance=args.grid_tolerance, max_foot_spread=args.max_foot_spread,
            head_lines=args.head_lines, edge_tolerance=args.edge_tolerance),
        visual=VisualOptions(Path(args.baseline), args.update_baseline, dpi=args.dpi,
                             tolerance=args.visual_tolerance) if args.baseline else None,
        ink_limit=args.ink_limit,
    )
    result = run([Path(p) for p in args.paths or ["build"]], options)
    text = FORMATTERS[args.format](result) if args.format != "text" else as_text(
        result, args.verbose)
    if args.output:
        write_bytes_atomic(Path(args.output), text.encode("utf-8"))
        sys.stdout.write(as_text(result, args.verbose))
    else:
        sys.stdout.write(text)
    if result.baseline_pages:
        _err(f"wrote {result.baseline_pages} baseline page(s) to {args.baseline}")
    return EXIT_FAILED if result.failed else EXIT_OK


def add_check_parser(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("check", help="check built PDFs and EPUBs (the CI gate)")
    c.add_argument("paths", nargs="*", help="PDF/EPUB files or folders (default: build)")
    c.add_argument("--source", default=None,
                   help="the article's source (default: the one the PDF records)")
    c.add_argument("--format", choices=("text", "json", "junit"), default="text",
                   help="report format (default: text)")
    c.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="write the report to FILE (the text report still goes to stdout)")
    c.add_argument("--baseline", default=None, metavar="DIR",
                   help="compare each PDF page with the PNG stored in DIR")
    c.add_argument("--update-baseline", action="store_true",
                   help="store the current pages in --baseline DIR instead of comparing")
    c.add_argument("--dpi", type=in_range(int, 1, 1200), default=50,
                   help="resolution for --baseline (50)")
    c.add_argument("--visual-tolerance", type=in_range(float, 0, 1), default=0.001,
                   metavar="SHARE",
                   help="share of a page's pixels that may differ (default 0.001)")
    c.add_argument("--no-epubcheck", action="store_true", help="do not run EPUBCheck")
    c.add_argument("--skip", action="append", default=[], type=check_names, metavar="CHECK",
                   help="skip a check or a family (pdf, epub, fidelity, typography, visual)")
    c.add_argument("--max-ragged", type=in_range(float, 0, 1), default=0.01, metavar="SHARE",
                   help="share of non-final body lines that may end short (default 0.01)")
    c.add_argument("--ragged-tolerance", type=in_range(float, 0, 10), default=0.1, metavar="EM",
                   help="a line this close to the column edge is flush (default 0.1)")
    c.add_argument("--max-pair-advance", type=in_range(float, 0, 10), default=0.6, metavar="EM",
                   help="median advance of adjacent punctuation pairs (default 0.6)")
    c.add_argument("--han-latin-gap", type=limit_pair, default=(0.15, 0.35), metavar="MIN,MAX",
                   help="allowed median Han–Latin gap in em (default 0.15,0.35)")
    c.add_argument("--ink-limit", type=in_range(float, 0, 400), default=300.0,
                   metavar="PERCENT",
                   help="highest total ink coverage of images (300; newsprint 240)")
    c.add_argument("--max-empty", type=in_range(float, 0, 1), default=0.03, metavar="SHARE",
                   help="largest empty rectangle, share of the type area (default 0.03)")
    c.add_argument("--min-on-grid", type=in_range(float, 0, 1), default=0.95, metavar="SHARE",
                   help="share of body lines on the baseline grid (default 0.95)")
    c.add_argument("--grid-tolerance", type=in_range(float, 0, 100), default=0.5,
                   metavar="PT", help="how far a baseline may lie off the grid (default 0.5)")
    c.add_argument("--max-foot-spread", type=in_range(float, 0, 10_000), default=1.0,
                   metavar="LINES", help="column feet of one module may differ by this much "
                   "(default 1)")
    c.add_argument("--head-lines", type=in_range(int, 0, 100), default=3, metavar="N",
                   help="lines of text a head needs below it in its column (default 3)")
    c.add_argument("--edge-tolerance", type=in_range(float, 0, 100), default=1.0,
                   metavar="PT", help="how far a frame edge may lie off a column edge "
                   "(default 1)")
    c.add_argument("--paper", default=None,
                   help="paper name the running heads carry (default: layout.toml's, "
                   "else 人民日报); PDFs built by layout record their own")
    c.add_argument("--date", default=None, help="issue date the running heads carry")
    c.add_argument("--folio", type=in_range(int, 1, 9999), default=1, metavar="N",
                   help="folio (版次) of the first page the running heads carry")
    c.add_argument("-v", "--verbose", action="store_true", help="list every check's outcome")
    c.set_defaults(func=cmd_check)


def limit_options() -> Parser:
    """The options bounding what a source may cost (layout.limits), shared by commands."""
    limits = Parser(add_help=False)
    limits.add_argument("--max-source-mb", type=in_range(float, 0.001, 1024),
                        default=DEFAULT_MAX_SOURCE_MB, metavar="MB",
                        help=f"refuse sources larger than this (default: "
                        f"{DEFAULT_MAX_SOURCE_MB:g})")
    limits.add_argument("--max-paragraphs", type=in_range(int, 1, 10_000_000),
                        default=DEFAULT_MAX_PARAGRAPHS, metavar="N",
                        help=f"refuse sources of more paragraphs than this (default: "
                        f"{DEFAULT_MAX_PARAGRAPHS:,}), or of more than 4 lines per paragraph")
    return limits


def source_limits(args: argparse.Namespace) -> SourceLimits:
    return SourceLimits(args.max_source_mb, args.max_paragraphs)


def make_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="layout", description=__doc__.splitlines()[0])
    limits = limit_options()
    parser.add_argument("--version", action="version", version=f"layout {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    b = sub.add_parser("build", help="build sources into PDF, EPUB and HTML", parents=[limits])
    b.add_argument("sources", nargs="*", help="source files (default: every file in source/)")
    b.add_argument("-o", "--output", default=None,
                   help="output folder (default: layout.toml [output] dir, else build)")
    b.add_argument("--format", type=parse_formats, default=None,
                   help="comma-separated outputs: pdf,epub,html,kepub (Kobo: NAME.kepub.epub) "
                        "(default: pdf,epub,html)")
    b.add_argument("--config", default=None,
                   help="project file (default: layout.toml here, if there is one)")
    b.add_argument("--style", default=None, help="style name (default: newspaper)")
    b.add_argument("--page", default=None, help="page preset: broadsheet, tabloid, a3, a4")
    b.add_argument("--paper", default=None, help="paper name for running heads")
    b.add_argument("--date", default=None, help="issue date for running heads")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--folio", type=in_range(int, 1, 9999), default=1, metavar="N",
                   help="page number (版次) of the first printed page (default: 1)")
    b.add_argument("--no-typeset", dest="typeset", action="store_false",
                   help="switch the Chinese typesetting layer off (justification, squeezed "
                        "punctuation, Han-Latin spacing): for comparison and benchmarks")
    b.add_argument("--bleed", type=press_options.bleed_mm, default=0.0, metavar="LENGTH",
                   help="bleed: 3mm, 0.125in, 9pt (a bare number is mm)")
    b.add_argument("--marks", type=press_options.marks, default=(),
                   help="printer's marks outside the bleed: crop, registration, colorbar "
                   "(comma-separated)")
    b.add_argument("--pdf-variant", type=press_options.variant, default=None,
                   help="pdf/x-4, pdf/x-1a, pdf/x-3 (for press: CMYK, output intent), "
                   "pdf/a-3b, pdf/ua-1…")
    b.add_argument("--icc", default=None, metavar="FILE",
                   help="the printer's CMYK output profile for PDF/X (default: ghostscript's)")
    b.add_argument("--publisher", default=None,
                   help="publisher named in the EPUB's metadata "
                   "(default: the configured publisher)")
    b.add_argument("--embed-fonts", action="store_true",
                   help="embed fonts in the EPUB, subset to the characters used")
    b.add_argument("--epub-image-max", type=in_range(int, 64, 16384), default=2048, metavar="PX",
                   help="EPUB: scale photos so their long edge is at most PX (default 2048)")
    b.add_argument("--cover", choices=("typographic", "print"), default="typographic",
                   help="EPUB: `print` adds the print page (trimmed) after the typographic cover")
    b.add_argument("--script", choices=("traditional", "traditional-tw", "traditional-hk"),
                   default=None, help="convert every text to Traditional Chinese (OpenCC; "
                   "Taiwan or Hong Kong forms) for the PDF, EPUB and HTML")
    b.add_argument("--vertical", action="store_true",
                   help="EPUB: vertical text (top to bottom, columns right to left)")
    b.add_argument("-q", "--quiet", action="store_true", help="hide informational notes")
    b.add_argument("-j", "--jobs", type=in_range(int, 1, 256), default=1, metavar="N",
                   help="build N articles at a time in local processes (default: 1)")
    b.add_argument("--scheduler", type=scheduler_address, default=None, metavar="tcp://HOST:PORT",
                   help="run the per-article work on a Dask cluster (needs layout[dask])")
    b.add_argument("--scheduler-timeout", type=in_range(float, 0.1, 3600),
                   default=SCHEDULER_TIMEOUT, metavar="SECONDS",
                   help="how long to wait for the Dask scheduler to answer "
                   f"(default: {SCHEDULER_TIMEOUT:g})")
    b.add_argument("--force", action="store_true", help="rebuild even unchanged sources")
    b.add_argument("--fit-pages", type=in_range(int, 1, 999), default=None, metavar="N",
                   help="fit each article to N pages by adjusting body size and leading")
    b.add_argument("--compose", action="store_true",
                   help="set each source's stories (an archive page, a 简讯 column) on one "
                   "composed page (拼版) instead of one story per page")
    b.add_argument("--jump", action="store_true",
                   help="[[pages]]: a story too long for its page continues on a later page "
                   "(the page's `jump`, else the next) with 下转/上接 lines")
    b.add_argument("--check", action="store_true",
                   help="run `layout check` on the outputs; exit 1 when a check fails")
    b.set_defaults(func=cmd_build)

    n = sub.add_parser("init", help="create a project folder with layout.toml and the sample")
    n.add_argument("folder")
    n.set_defaults(func=cmd_init)

    m = sub.add_parser("import", help="convert a plain-text export to Markdown", parents=[limits])
    m.add_argument("file")
    m.add_argument("-o", "--output", default=None, help="Markdown file (default: FILE.md)")
    m.add_argument("--force", action="store_true", help="replace an existing FILE.md")
    m.add_argument("-q", "--quiet", action="store_true", help="hide informational notes")
    m.set_defaults(func=cmd_import)

    v = sub.add_parser("serve", help="live preview on 127.0.0.1, rebuilt on every change")
    v.add_argument("sources", nargs="*", help="source files (default: the project's)")
    v.add_argument("--port", type=in_range(int, 0, 65535), default=8000,
                   help="port (default 8000; 0: any free)")
    v.add_argument("--config", default=None, help="project file (default: layout.toml)")
    v.add_argument("--style", default=None, help="style name")
    v.add_argument("--page", default=None, help="page preset")
    v.add_argument("--jump", action="store_true",
                   help="[[pages]]: preview a story too long for its page continued on a "
                        "later one, as `layout build --jump` builds it")
    v.set_defaults(func=cmd_serve)

    add_check_parser(sub)

    i = sub.add_parser("inspect", help="print the document model of a source", parents=[limits])
    i.add_argument("file", nargs="?")
    i.add_argument("--json", action="store_true", help="print the model as JSON")
    i.add_argument("--plan", action="store_true",
                   help="compose the project's [[pages]] (or FILE's stories on one page) and "
                   "print the modules chosen: story, columns, lines, headline size")
    i.add_argument("--jump", action="store_true",
                   help="with --plan: as `layout build --jump` (a story too long for its "
                   "page continues on a later one)")
    i.add_argument("--config", default=None, help="project file (default: layout.toml)")
    i.add_argument("--style", default=None, help="style name")
    i.add_argument("--page", default=None, help="page preset")
    i.set_defaults(func=cmd_inspect)
    return parser


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (a plain ``kill``) unwinds like Ctrl-C, so temporary outputs are removed."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    search_ldconfig_only()  # WeasyPrint's libraries found without starting compilers
    parser = make_parser()
    args = parser.parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        return args.func(args)
    except LayoutError as exc:
        _err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _err("layout: interrupted; previous outputs left as they were")
        return 130
    except BrokenPipeError:  # the reader of our output went away: `layout inspect F | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return EXIT_FAILED
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def command() -> int:
    """The ``layout`` command: :func:`main` in a process of its own.

    A build makes many objects that outlive the collector's youngest generation (boxes,
    flows, slots): collecting a third as often saves 5-20% of its CPU (0.1 s of the
    sample's, 1 s of a 25-page book's) for a few per cent more memory, and what is
    imported by now is never garbage."""
    gc.freeze()
    gc.set_threshold(2000, 10, 10)
    return main()


if __name__ == "__main__":
    sys.exit(command())
