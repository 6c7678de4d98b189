"""The three forms of a check report: text lines, JSON (docs/check.md) and JUnit XML."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import groupby

from lxml import etree

from .. import __version__
from .gate import Report

SCHEMA_VERSION = 1
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def summary(report: Report) -> str:
    files = len(report.files)
    return (f"layout check: {files} file{'s' if files != 1 else ''}, "
            f"{len(report.results)} checks: {report.count('pass')} passed, "
            f"{report.count('fail')} failed, {report.count('skip')} skipped; "
            f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''} "
            f"({report.seconds:.1f} s)")


def as_text(report: Report, verbose: bool = False) -> str:
    """One line per finding, then a summary line; ``verbose`` adds a line per check."""
    lines = [f.format() for f in report.findings]
    if verbose:
        lines += [f"{r.path}: {r.status} {r.check}" + (f" ({r.reason})" if r.reason else "")
                  for r in report.results]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    data = {
        "schema": SCHEMA_VERSION,
        "tool": f"layout {__version__}",
        "passed": not report.failed,
        "summary": {
            "files": len(report.files),
            "checks": len(report.results),
            "passed": report.count("pass"),
            "failed": report.count("fail"),
            "skipped": report.count("skip"),
            "findings": len(report.findings),
            "seconds": round(report.seconds, 3),
        },
        "files": report.files,
        "results": [r.to_json() for r in report.results],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _xml_safe(text: str) -> str:
    """Text XML 1.0 can hold (a PDF's text may carry control characters)."""
    return XML_UNSAFE.sub("\ufffd", text)


def as_junit(report: Report) -> str:
    """JUnit XML: a test suite per file, a test case per check, findings as ``<failure>``."""
    suites = etree.Element("testsuites", name="layout check", tests=str(len(report.results)),
                           failures=str(report.count("fail")), errors="0",
                           skipped=str(report.count("skip")), time=f"{report.seconds:.3f}")
    for path, group in groupby(report.results, key=lambda r: r.path):
        results = list(group)
        suite = etree.SubElement(
            suites, "testsuite", name=path, tests=str(len(results)),
            failures=str(sum(r.status == "fail" for r in results)), errors="0",
            skipped=str(sum(r.status == "skip" for r in results)),
            time=f"{sum(r.seconds for r in results):.3f}")
        for r in results:
            family = r.check.split(".", 1)[0]
            case = etree.SubElement(suite, "testcase", name=r.check,
                                    classname=f"layout.check.{family}", file=path,
                                    time=f"{r.seconds:.3f}")
            if r.status == "fail":
                first = r.findings[0]
                failure = etree.SubElement(case, "failure", type=first.code,
                                           message=_xml_safe(f"{first.code} {first.message}"))
                failure.text = _xml_safe("\n".join(f.format() for f in r.findings))
            elif r.status == "skip":
                etree.SubElement(case, "skipped", message=_xml_safe(r.reason))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + etree.tostring(suites, encoding="unicode", pretty_print=True))


FORMATTERS: dict[str, Callable[[Report], str]] = {
    "text": as_text, "json": as_json, "junit": as_junit,
}
