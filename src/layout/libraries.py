"""Finding the C libraries WeasyPrint opens, without starting compilers.

WeasyPrint opens GObject, Pango, HarfBuzz, fontconfig... by trying each library's names on
every platform (``libpango-1.0-0``, ``pango-1.0-0``, ``pango-1.0``, ``libpango-1.0.so.0``...)
through cffi, which asks :func:`ctypes.util.find_library` about each name it cannot open
as given.  On Linux that runs ``ldconfig -p`` and, for a name not listed there, ``gcc``
and ``ld``: about 50 processes and 0.2-0.3 s before the first page.  Every library is
listed by ldconfig under one of its names, and a name that is not is opened as given by
the dynamic linker (which reads ldconfig's cache), so the compilers find nothing more.

:func:`search_ldconfig_only` makes ``find_library`` read ``ldconfig -p`` once per process and
answer from it as ``find_library`` itself does first; the libraries opened are the same
(``tests/test_libraries.py`` compares them).
"""

from __future__ import annotations

import ctypes.util
import functools
import os
import re
import struct
import subprocess
import sys

LDCONFIG = "/sbin/ldconfig"
# ldconfig's name of this ABI, as ctypes.util has it
ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
       "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


@functools.cache
def _listing() -> bytes:
    try:
        return subprocess.run([LDCONFIG, "-p"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              env={"LC_ALL": "C", "LANG": "C"}, check=False).stdout
    except OSError:
        return b""


def find_library(name: str) -> str | None:
    """The soname ldconfig lists for ``lib<name>``, or None (ctypes.util's first step)."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    pattern = rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({ABI.get(machine, 'libc6')}"
    found = re.search(os.fsencode(pattern), _listing())
    return os.fsdecode(found.group(1)) if found else None


def search_ldconfig_only() -> None:
    """Answer ``ctypes.util.find_library`` from ldconfig's listing, read once (Linux with
    ldconfig only; elsewhere nothing changes)."""
    if sys.platform.startswith("linux") and os.access(LDCONFIG, os.X_OK):
        ctypes.util.find_library = find_library
