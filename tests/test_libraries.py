"""WeasyPrint's C libraries found from ldconfig's listing alone (layout.libraries): the
same libraries opened, without the ~50 processes ctypes' search starts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CHILD = """
import json, subprocess, sys
started = []
real = subprocess.Popen.__init__
def counted(self, args, *a, **k):
    started.append(str(args[0]))
    real(self, args, *a, **k)
subprocess.Popen.__init__ = counted
if sys.argv[1] == "ldconfig":
    from layout.libraries import search_ldconfig_only
    search_ldconfig_only()
import weasyprint.text.ffi
maps = open("/proc/self/maps").read().split()
opened = sorted({m for m in maps if ".so" in m and "/" in m and "python" not in m
                 and "site-packages" not in m})
print(json.dumps({"started": started, "opened": opened}))
"""


def loaded(mode: str) -> dict[str, list[str]]:
    out = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True,
                         text=True, check=True).stdout
    result: dict[str, list[str]] = json.loads(out)
    return result


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldconfig is Linux's")
def test_weasyprint_opens_the_same_libraries_without_compilers() -> None:
    plain, quick = loaded("plain"), loaded("ldconfig")
    assert quick["opened"] == plain["opened"]
    assert any("libpango-1.0" in path for path in quick["opened"])
    assert quick["started"] == ["/sbin/ldconfig"]  # once, and no gcc or ld
    assert len(plain["started"]) > 10
