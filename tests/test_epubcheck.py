"""The runner of EPUBCheck (layout/check/epubcheck.py) against a stand-in for ``java``: one
JVM kept for every EPUB, replaced when it dies, ``java -jar`` where it cannot start.  The
stand-in writes, as EPUBCheck's JSON report, how it was run; the real JVM's reports are
compared with ``java -jar``'s in test_epub.py and test_check_epub.py."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest

from layout.check import epubcheck

pytestmark = pytest.mark.slow  # each test starts processes (a small Python, not a JVM)

JAVA = """#!{python} -S
import json, sys
args = sys.argv[1:]
with open({calls!r}, "a") as calls:
    calls.write(json.dumps(args) + "\\n")

def check(fields, how):
    out = fields[fields.index("--json") + 1]
    with open(out, "w") as report:
        json.dump({{"how": how, "args": fields, "pid": {pid}}}, report)

if "-jar" in args:
    check(args[args.index("-jar") + 2:], "jar")
elif {starts}:
    for line in sys.stdin:
        fields = line.rstrip("\\n").split("\\t")
        if "poison" in fields[0]:
            sys.exit(3)
        check(fields, "loop")
        print("done 0", flush=True)
else:
    sys.exit("error: module jdk.compiler not found")
"""


def stand_in(folder: Path, starts: bool = True) -> tuple[str, Path]:
    """A ``java`` (and the file where it notes each start) whose loop ``starts`` or not."""
    calls = folder / "calls.txt"
    java = folder / "java"
    java.write_text(JAVA.format(python=sys.executable, calls=str(calls), starts=starts,
                                pid="__import__('os').getpid()"), "utf-8")
    java.chmod(0o755)
    return str(java), calls


def starts(calls: Path) -> list[str]:
    """How the stand-in was started, in order: "loop" or "jar"."""
    lines = calls.read_text("utf-8").splitlines() if calls.exists() else []
    return ["jar" if "-jar" in json.loads(line) else "loop" for line in lines]


def test_one_jvm_for_every_epub_and_a_killed_one_is_replaced(tmp_path: Path) -> None:
    java, calls = stand_in(tmp_path)
    checker = epubcheck.EpubCheck(java)
    first = epubcheck.report(checker, tmp_path / "a.epub", "-q")
    second = epubcheck.report(checker, tmp_path / "b.epub", "-q")
    assert first["how"] == second["how"] == "loop"
    assert first["pid"] == second["pid"] == checker.pid
    assert first["args"][:2] == [str(tmp_path / "a.epub"), "-q"]
    assert starts(calls) == ["loop"]
    os.kill(first["pid"], signal.SIGKILL)  # between two EPUBs
    third = epubcheck.report(checker, tmp_path / "c.epub", "-q")
    assert third["how"] == "loop" and third["pid"] not in (None, first["pid"])
    assert starts(calls) == ["loop", "loop"] and checker.fallback is None
    checker.close()
    assert checker.pid is None


def test_a_jvm_that_dies_on_an_epub_twice_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    java, calls = stand_in(tmp_path)
    checker = epubcheck.EpubCheck(java)
    epubcheck.report(checker, tmp_path / "a.epub")
    with pytest.raises(OSError, match="stopped answering"):
        epubcheck.report(checker, tmp_path / "poison.epub")
    assert starts(calls) == ["loop", "loop"]  # tried once more in a new JVM
    assert epubcheck.report(checker, tmp_path / "b.epub")["how"] == "loop"
    assert checker.fallback is None
    checker.close()


def test_where_the_jvm_cannot_start_each_epub_gets_java_jar(tmp_path: Path) -> None:
    java, calls = stand_in(tmp_path, starts=False)
    checker = epubcheck.EpubCheck(java)
    for name in ("a.epub", "b.epub"):
        data = epubcheck.report(checker, tmp_path / name, "-q")
        assert data["how"] == "jar" and data["args"][:2] == [str(tmp_path / name), "-q"]
    assert starts(calls) == ["loop", "jar", "jar"]  # the loop is tried once
    assert checker.fallback is not None and "jdk.compiler" in checker.fallback
    assert checker.pid is None


def test_what_cannot_travel_on_one_line_goes_to_java_jar(tmp_path: Path) -> None:
    java, calls = stand_in(tmp_path)
    checker = epubcheck.EpubCheck(java)
    assert epubcheck.report(checker, tmp_path / "a\tb.epub")["how"] == "jar"
    assert epubcheck.report(checker, tmp_path / "a\nb.epub")["how"] == "jar"
    assert epubcheck.report(checker, tmp_path / "ab.epub")["how"] == "loop"
    assert starts(calls) == ["jar", "jar", "loop"] and checker.fallback is None
    assert not epubcheck.one_line([str(tmp_path / "\udcff.epub")])  # not UTF-8
    checker.close()


def test_one_jvm_false_runs_java_jar_every_time(tmp_path: Path) -> None:
    java, calls = stand_in(tmp_path)
    checker = epubcheck.EpubCheck(java, one_jvm=False)
    assert [epubcheck.report(checker, tmp_path / n)["how"] for n in "ab"] == ["jar", "jar"]
    assert starts(calls) == ["jar", "jar"]
    assert checker.fallback  # says why
