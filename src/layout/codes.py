"""The one registry of message codes: code -> family, severity, exit status, meaning.

Every code the program prints is registered here; ``tests/test_codes.py`` fails on a code
raised in ``src/`` but missing here, on one registered but never raised, and on tables in
README.md and docs/ that differ from ``markdown_table()`` (regenerate them with
``python scripts/update-code-tables.py``).

Severity is what the code is when it is reported: ``error`` stops the run with ``exit``;
``warning`` is printed and the run goes on (``--strict`` makes it an error, exit 3); ``info``
reports a repair; ``finding`` is a `layout check` result that fails its check (exit 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info", "finding"]

FAMILIES: dict[str, str] = {
    "A": "usage (command-line arguments)",
    "B": "build (print and e-book writers, editions)",
    "C": "configuration (layout.toml) and project",
    "D": "distributed builds (Dask)",
    "E": "check: EPUB",
    "F": "check: fidelity to the source",
    "G": "glyph coverage",
    "I": "import (`layout import`)",
    "L": "layout (page make-up, copyfit)",
    "M": "Markdown sources",
    "O": "outputs",
    "P": "check: PDF",
    "R": "plain-text reader",
    "S": "styles",
    "T": "check: typography",
    "U": "untrusted input (limits, references, sandbox)",
    "V": "check: visual regression",
    "W": "preview server (`layout serve`)",
}


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    exit: int  # the exit status when this code stops a run; 0 when it does not
    meaning: str

    @property
    def family(self) -> str:
        return FAMILIES[self.code[0]]


def _registry(*rows: tuple[str, Severity, int, str]) -> dict[str, Code]:
    codes: dict[str, Code] = {}
    for code, severity, status, meaning in rows:
        if code in codes:
            raise ValueError(f"code {code} registered twice")
        if code[0] not in FAMILIES:
            raise ValueError(f"code {code} has no family")
        codes[code] = Code(code, severity, status, meaning)
    return codes


CODES: dict[str, Code] = _registry(
    # A: usage
    ("A001", "error", 2, "no sources given and none found in source/"),
    ("A002", "error", 2, "two sources would be built to the same output names"),
    ("A003", "error", 2, "`layout inspect`: no source given (and no [[pages]] for --plan)"),
    ("A101", "error", 2, "`layout check`: no such file or folder"),
    ("A102", "error", 2, "`layout check`: a folder holds no PDF or EPUB files"),
    ("A103", "error", 2, "`layout check`: not a PDF or EPUB file"),
    ("A104", "error", 2, "`layout check`: --update-baseline needs --baseline DIR"),
    ("A105", "error", 2, "`layout check`: the --source file is not found"),
    ("A106", "error", 2, "`layout check`: --dpi is too low to compare pages"),
    # B: build
    ("B001", "error", 2, "SOURCE_DATE_EPOCH is not an integer"),
    ("B002", "error", 2, "LAYOUT_JOBS is not a positive integer"),
    ("B101", "warning", 0, "a figure has no image: a for-position-only frame is set"),
    ("B201", "error", 3, "the layout engine dropped an element (the build fails)"),
    ("B202", "error", 3, "the PDF could not be written"),
    ("B300", "error", 3, "an EPUB template's output is not well-formed XML"),
    ("B301", "error", 3, "a photo cannot go into the EPUB: unreadable, or not JPEG/PNG"),
    ("B302", "error", 3, "the print edition cannot be rasterised for the EPUB cover"),
    ("B311", "error", 3, "`--embed-fonts`: no font of a role is installed or readable"),
    ("B312", "warning", 0, "`--embed-fonts`: the embedded font lacks some characters"),
    ("B313", "error", 3, "`--embed-fonts`: the font's license forbids embedding"),
    ("B321", "warning", 0, "a printed page's first words were not found in the EPUB"),
    ("B331", "warning", 0, "a photo was prepared for e-readers: scaled, converted to sRGB, "
     "turned upright or stripped of metadata (GPS, EXIF, XMP)"),
    ("B332", "error", 3, "the EPUB cover needs a font of a role and none is installed"),
    ("B333", "warning", 0, "the issue date is not a date: the EPUB's dc:date is the build date"),
    ("B401", "error", 2, "unknown or unsupported --pdf-variant (the variants are listed)"),
    ("B402", "error", 3, "the CMYK output profile (--icc or ghostscript's) is missing or unusable"),
    ("B403", "error", 2, "PDF/X-1a or X-3 (PDF 1.4) with an ICC version 4 profile: use pdf/x-4"),
    ("B411", "error", 2, "a style's [colors] entry is not a name = [C, M, Y, K] in per cent"),
    ("B501", "error", 3, "an article's EPUB cannot be taken into the edition"),
    # C: configuration and project
    ("C100", "error", 2, "layout.toml cannot be found, read or parsed"),
    ("C101", "error", 2, "layout.toml: unknown table or key"),
    ("C102", "error", 2, "layout.toml: a value of the wrong type"),
    ("C103", "error", 2, "layout.toml: unknown style"),
    ("C104", "error", 2, "layout.toml: unknown page preset"),
    ("C105", "error", 2, "layout.toml: an invalid list (formats, edition articles)"),
    ("C106", "error", 2, "layout.toml: an edition names an article that does not exist"),
    ("C107", "error", 2, "layout.toml: a [[pages]] table is invalid (number, stories, boxes)"),
    ("C108", "error", 2, "layout.toml: a [[pages]] table names a story that does not exist"),
    ("C201", "error", 2, "`layout init`: the folder exists and is not empty"),
    ("C202", "error", 3, "`layout init`: the built-in styles and sample are not installed"),
    ("C203", "error", 4, "`layout init`: the project cannot be written"),
    # D: distributed
    ("D101", "error", 2, "--scheduler needs Dask's distributed package"),
    ("D102", "error", 2, "the Dask scheduler cannot be reached"),
    # E: check, EPUB
    ("E001", "finding", 1, "cannot be opened as a zip file"),
    ("E101", "finding", 1, "mimetype is not the first zip entry"),
    ("E102", "finding", 1, "mimetype is compressed or has an extra field"),
    ("E103", "finding", 1, "mimetype is missing or holds the wrong text"),
    ("E104", "finding", 1, "a required member (container, package) is missing"),
    ("E105", "finding", 1, "zip entries with non-ASCII names"),
    ("E106", "finding", 1, "a member is not well-formed XML"),
    ("E201", "finding", 1, "EPUBCheck reports a fatal error or an error"),
    ("E202", "finding", 1, "EPUBCheck reports a warning"),
    ("E203", "finding", 1, "EPUBCheck needs a Java runtime and none was found"),
    ("E204", "finding", 1, "EPUBCheck could not run or did not finish"),
    ("E301", "finding", 1, "no navigation (nav epub:type=\"toc\") or an empty one"),
    ("E302", "finding", 1, "a heading has no nav entry with the same text"),
    ("E303", "finding", 1, "a nav entry is out of reading order"),
    ("E401", "finding", 1, "no language on the package or a document"),
    ("E402", "finding", 1, "a language is not a valid BCP 47 tag"),
    ("E403", "finding", 1, "languages disagree"),
    ("E501", "finding", 1, "accessibility metadata missing"),
    ("E601", "finding", 1, "the page-list and the PDF's pages disagree"),
    ("E701", "finding", 1, "an image is CMYK (or unreadable), not RGB or grey"),
    ("E702", "finding", 1, "an image carries a GPS position or other EXIF/XMP metadata"),
    ("E703", "finding", 1, "an image (not the cover) is larger than 2048 px on its long edge"),
    # F: check, fidelity
    ("F001", "finding", 1, "the source cannot be found or read"),
    ("F101", "finding", 1, "Han characters of the source missing from the output"),
    ("F102", "finding", 1, "Han characters in the output that are not in the source"),
    ("F103", "finding", 1, "a block of the source not found in reading order"),
    # G: glyphs
    ("G100", "warning", 0, "fontconfig's tools are missing: glyph coverage not checked"),
    ("G101", "warning", 0, "a character no configured font covers"),
    # I: import
    ("I101", "error", 2, "the Markdown output would replace its source"),
    ("I102", "error", 2, "the Markdown output exists (use -o FILE or --force)"),
    # L: layout
    ("L101", "finding", 1, "characters outside the trim box or beside the type area"),
    ("L102", "finding", 1, "an empty rectangle larger than the limit share of the type area"),
    ("L103", "finding", 1, "too few body lines on the baseline grid"),
    ("L104", "finding", 1, "the column feet of a module differ by more than the limit"),
    ("L105", "finding", 1, "a head or lead-in stranded in the last lines of a column"),
    ("L106", "finding", 1, "a jump line whose text does not continue on that page"),
    ("L107", "finding", 1, "a photo, frame or box whose edges are not on column edges"),
    ("L201", "error", 3, "the headline does not fit its width even at the smallest size"),
    ("L202", "error", 3, "the layout engine dropped a rule of the print CSS (the build fails)"),
    ("L203", "warning", 0, "the story leaves a share of its last page free"),
    ("L210", "error", 3, "a composed page: a story is too long for the page"),
    ("L211", "error", 3, "a composed page: no arrangement of its stories fills the page"),
    ("L212", "error", 3, "a composed page: the layout engine set a module's copy past it"),
    ("L213", "warning", 0, "a composed page: two headlines side by side at the same height"),
    ("L214", "error", 3, "a composed page: a fixed box outside the type area or over another"),
    ("L301", "error", 3, "`--fit-pages`: the page preset sets no copyfit limits"),
    ("L302", "error", 3, "`--fit-pages`: the article cannot fit the pages within the limits"),
    # M: Markdown sources
    ("M101", "error", 3, "the YAML front matter is not valid YAML"),
    ("M102", "error", 3, "an unknown key in the front matter"),
    ("M103", "error", 3, "a value of the wrong kind"),
    ("M104", "error", 3, "something required is missing (a title, a figure's caption…)"),
    ("M106", "error", 3, "`page:` in the front matter of a story after the first"),
    ("M203", "error", 3, "a second title"),
    ("M204", "error", 3, "a `###` (or deeper) heading: only `## ` sections exist"),
    ("M205", "error", 3, "a list, quote, code block, rule or image in the body"),
    ("M301", "warning", 0, "emphasis or a link target dropped, text kept"),
    ("M401", "error", 3, "a YAML alias in the front matter: refused (it can expand without bound)"),
    ("M402", "error", 3, "the front matter is nested more than 32 levels deep: refused"),
    # O: outputs
    ("O101", "error", 4, "an output's folder cannot be made"),
    ("O102", "error", 4, "an output cannot be written (e.g. disk full)"),
    # P: check, PDF
    ("P001", "finding", 1, "not a PDF, or cannot be parsed"),
    ("P002", "finding", 1, "truncated: no %%EOF at the end"),
    ("P003", "finding", 1, "no pages"),
    ("P101", "finding", 1, "a font is not embedded"),
    ("P102", "finding", 1, "characters shown with a missing glyph (.notdef)"),
    ("P103", "finding", 1, "an embedded font program cannot be read"),
    ("P201", "finding", 1, "no document title (Info /Title)"),
    ("P202", "finding", 1, "no document language (catalog /Lang)"),
    ("P203", "finding", 1, "the document language is not a valid BCP 47 tag"),
    ("P204", "finding", 1, "no outline (bookmarks)"),
    ("P211", "finding", 1, "preflight: a photo under 200 ppi in its frame (build: warning)"),
    ("P212", "finding", 1, "preflight: a photo under 150 ppi (build: warning; --strict PDF/X: "
     "error)"),
    ("P213", "finding", 1, "preflight: an image's total ink coverage above the limit"),
    ("P214", "finding", 1, "preflight: RGB colour in a PDF/X file (build: error)"),
    ("P215", "finding", 1, "preflight: spot colour in a PDF/X file (build: error)"),
    ("P216", "finding", 1, "preflight: registration colour inside the bleed"),
    ("P217", "finding", 1, "preflight: text in rich black (K with C, M or Y)"),
    ("P218", "finding", 1, "preflight: 100% K text that does not overprint (PDF/X)"),
    ("P219", "finding", 1, "preflight: PDF/X without an OutputIntent with a CMYK profile "
     "(build: error)"),
    ("P220", "finding", 1, "preflight: PDF/X pages without a TrimBox (build: error)"),
    ("P221", "finding", 1, "preflight: transparency in PDF/X-1a or X-3 (build: error)"),
    ("P222", "finding", 1, "preflight: PDF/X-1a or X-3 newer than PDF 1.4 (build: error)"),
    ("P223", "finding", 1, "preflight: a line thinner than 0.1 mm"),
    ("P224", "finding", 1, "preflight: text under 5 pt in more than one ink"),
    ("P225", "finding", 1, "preflight: a font named bold in a PDF/X file is a regular weight "
     "(fake bold)"),
    ("P226", "finding", 1, "preflight: PDF/X-1a or X-3 with an ICC version 4 output profile "
     "(build: error)"),
    # R: plain-text reader
    ("R101", "info", 0, "a paragraph broken by a stray blank line was rejoined"),
    ("R102", "info", 0, "half-width parentheses in Chinese text were set full-width"),
    ("R103", "info", 0, "half-width , : ; ? ! between Chinese characters were set full-width"),
    ("R201", "warning", 0, "a lower-case Latin word stands alone inside Chinese text"),
    ("R300", "error", 3, "the source cannot be found or read"),
    ("R301", "error", 3, "the source is empty"),
    ("R302", "error", 3, "the source is a binary file"),
    ("R303", "error", 3, "the source cannot be decoded"),
    ("R310", "error", 3, "the source has no headline"),
    ("R401", "warning", 0, "a headline group was read by convention: the roles chosen are "
     "named"),
    ("R402", "warning", 0, "a short line without punctuation was read as a stand-alone "
     "heading"),
    ("R404", "warning", 0, "a story of a multi-story source names another page than the "
     "first"),
    ("R405", "warning", 0, "archive page lines read as page metadata are not printed as "
     "text: what the running head gives of them and what it does not"),
    ("R900", "error", 3, "the reader did not keep every Han character (a bug: please report)"),
    # S: styles
    ("S100", "error", 2, "a style's style.toml is not valid TOML"),
    ("S101", "error", 2, "unknown style"),
    ("S102", "error", 2, "a style's settings are invalid"),
    ("S103", "error", 2, "unknown page preset"),
    ("S104", "error", 2, "styles extend each other in a loop"),
    ("S105", "error", 2, "publication settings are invalid (folio below 1, empty paper name)"),
    ("S106", "error", 2, "run options are invalid (a negative bleed)"),
    ("S107", "error", 2, "a style's [makeup] table is invalid"),
    # T: check, typography
    ("T101", "finding", 1, "too many non-final body lines end short of the column edge"),
    ("T102", "finding", 1, "a line starts with a closing or pause mark, \"——\" or \"……\""),
    ("T103", "finding", 1, "a line ends with an opening mark"),
    ("T104", "finding", 1, "median advance of adjacent punctuation pairs above the limit"),
    ("T105", "finding", 1, "median Han–Latin gap outside the allowed range"),
    ("T106", "finding", 1, "a paragraph's last line holds a single Han character"),
    ("T107", "finding", 1, "the text contains zero-width or joiner characters"),
    ("T108", "finding", 1, "copied body text has spaces between Han characters"),
    # U: untrusted input
    ("U101", "error", 3, "an image reference leads outside the source's folder: refused"),
    ("U102", "error", 3, "the renderer was asked for a URL or a file outside the allowed folders"),
    ("U103", "info", 0, "control characters were removed from the text"),
    ("U104", "error", 3, "the source is larger than --max-source-mb: refused before reading"),
    ("U106", "error", 3, "the source is a symlink leading outside its folder: refused"),
    ("U107", "error", 3, "the source is not a regular file (a FIFO, a device, a folder): refused"),
    ("U108", "error", 3, "a template reached for Python internals: refused by the sandbox"),
    ("U109", "error", 2, "a style named by a path, or a style folder leading outside styles/"),
    ("U110", "error", 3, "the source has more paragraphs than --max-paragraphs: refused"),
    ("U111", "error", 3, "the source has more lines than 4 per paragraph allowed: refused"),
    # V: check, visual
    ("V001", "finding", 1, "a page differs from its baseline"),
    ("V002", "finding", 1, "a page's size changed"),
    ("V003", "finding", 1, "no baseline image for a page"),
    ("V004", "finding", 1, "the baseline and the PDF have different page counts"),
    # W: preview server
    ("W101", "error", 2, "the preview server cannot listen on its port"),
    ("W102", "warning", 0, "an internal error in building a preview: the last good one is shown"),
)


def lookup(code: str) -> Code:
    """The registered code; a KeyError names a code someone forgot to register."""
    return CODES[code]


def markdown_table(families: str) -> str:
    """The table of every code in ``families`` (letters), as README and docs show it."""
    rows = ["| code | severity | exit | meaning |", "|---|---|---|---|"]
    for c in CODES.values():
        if c.code[0] in families:
            rows.append(f"| {c.code} | {c.severity} | {c.exit or '–'} | {c.meaning} |")
    return "\n".join(rows)
