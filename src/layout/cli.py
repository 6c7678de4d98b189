"""The command line: the only place that parses argv, prints, and exits.

Exit codes: 0 success, 1 checks failed, 2 usage error, 3 bad input or failed build,
4 an output could not be written.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import FORMATS, build
from .errors import LayoutError
from .model import Diagnostic, Document
from .readers import read, source_suffixes
from .settings import Settings, load_style

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"layout: error: {message}", file=sys.stderr)
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


def default_sources(root: Path) -> list[Path]:
    folder = root / "source"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in source_suffixes()) if (
        folder.is_dir()) else []


def cmd_build(args: argparse.Namespace) -> int:
    sources = [Path(s) for s in args.sources] or default_sources(Path("."))
    if not sources:
        raise LayoutError("C001", "no sources given and none found in source/", exit_code=2)
    style = load_style(args.style, Path.cwd())
    settings = Settings(
        style=style, page=style.preset(args.page), strict=args.strict,
        paper=args.paper, issue_date=args.date, bleed_mm=args.bleed,
        marks=tuple(args.marks.split(",")) if args.marks else (), pdf_variant=args.pdf_variant,
        embed_fonts=args.embed_fonts,
    )
    if args.publisher:
        settings = dataclasses.replace(settings, publisher=args.publisher)
    out_dir = Path(args.output)
    status = EXIT_OK
    for source in sources:
        result = build(source, settings, out_dir, args.format)
        report(str(source), result.diagnostics, args.quiet)
        if result.failed:
            _err(f"{source}: build failed; no outputs written for it")
            status = EXIT_INPUT
            continue
        for out in result.outputs:
            extra = f" ({result.pages} page{'s' if result.pages != 1 else ''})" if (
                out.suffix == ".pdf") else ""
            print(f"wrote {out}{extra}")
    return status


def outline(doc: Document) -> str:
    lines = []
    if doc.kicker:
        lines.append(f"kicker    {doc.kicker}")
    lines.append(f"title     {doc.title}")
    if doc.subtitle:
        lines.append(f"subtitle  {doc.subtitle}")
    if doc.byline:
        lines.append(f"byline    {doc.byline.role or ''} {'、'.join(doc.byline.authors)}".rstrip())
    if doc.dateline:
        lines.append(f"dateline  {doc.dateline}")
    if doc.editor_note:
        lines.append(f"editor's note: {len(doc.editor_note.paragraphs)} paragraphs, "
                     f"signed {doc.editor_note.signature}")

    def blocks(bs: Sequence) -> None:
        for b in bs:
            mark = "»" if b.type == "lead_in" else "¶"
            lines.append(f"  {b.line:>4} {mark} {b.text[:28]}{'…' if len(b.text) > 28 else ''}")

    lines.append(f"lead: {len(doc.lead)} paragraphs")
    blocks(doc.lead)
    for s in doc.sections:
        lines.append(f"section {s.line}: {s.title}" + (f" / {s.subtitle}" if s.subtitle else ""))
        blocks(s.blocks)
    for f in doc.figures:
        lines.append(f"figure {f.line}: {f.label} {f.caption[:24]}… "
                     f"[{f.credit or 'no credit'}] {f.image or '(no image)'}")
    for sb in doc.sidebars:
        lines.append(f"sidebar {sb.line}: {sb.title}, {len(sb.entries)} entries")
        for e in sb.entries:
            lines.append(f"  {e.line:>4} {len(e.paragraphs)} paragraph(s) — {e.signature or ''}")
    return "\n".join(lines)


def cmd_inspect(args: argparse.Namespace) -> int:
    path = Path(args.file)
    doc = read(path)
    if args.json:
        json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(outline(doc))
        report(str(path), doc.warnings)
    return EXIT_INPUT if any(w.severity == "error" for w in doc.warnings) else EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="layout", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"layout {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    b = sub.add_parser("build", help="build sources into PDF, EPUB and HTML")
    b.add_argument("sources", nargs="*", help="source files (default: every file in source/)")
    b.add_argument("-o", "--output", default="build", help="output folder (default: build)")
    b.add_argument("--format", type=parse_formats, default=FORMATS,
                   help="comma-separated outputs: pdf,epub,html (default: all)")
    b.add_argument("--style", default="newspaper", help="style name (default: newspaper)")
    b.add_argument("--page", default=None, help="page preset: broadsheet, tabloid, a3, a4")
    b.add_argument("--paper", default="人民日报", help="paper name for running heads")
    b.add_argument("--date", default=None, help="issue date for running heads")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--bleed", type=float, default=0.0, metavar="MM",
                   help="bleed in mm (e.g. 3)")
    b.add_argument("--marks", default="", help="printer marks: crop, cross or crop,cross")
    b.add_argument("--pdf-variant", default=None,
                   help="WeasyPrint PDF variant (pdf/a-3b, pdf/ua-1…)")
    b.add_argument("--publisher", default=None,
                   help="publisher named in the EPUB's metadata (default: the configured publisher)")
    b.add_argument("--embed-fonts", action="store_true",
                   help="embed fonts in the EPUB, subset to the characters used")
    b.add_argument("-q", "--quiet", action="store_true", help="hide informational notes")
    b.set_defaults(func=cmd_build)

    i = sub.add_parser("inspect", help="print the document model of a source")
    i.add_argument("file")
    i.add_argument("--json", action="store_true", help="print the model as JSON")
    i.set_defaults(func=cmd_inspect)
    return parser


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (a plain ``kill``) unwinds like Ctrl-C, so temporary outputs are removed."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
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
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
