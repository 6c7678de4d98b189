"""``layout check``: the CI gate on generated PDFs and EPUBs.

Every check yields one :class:`CheckResult` per output file (pass, fail or skip); a
failing check carries findings with stable codes (``P…`` PDF, ``E…`` EPUB, ``T…``
typography, ``L…`` page make-up, ``F…`` fidelity, ``V…`` visual; ``P211``–``P299``
preflight).  The codes are listed in docs/check.md.  Nothing here prints: ``layout.cli``
formats the :class:`Report` (``report.py``).

The package imports its checks (pdfplumber, pypdfium2, language models...) only when one
of these names is used: the build reads ``pdf_content`` and ``preflight`` for its own
preflight without paying for the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .gate import (
        CHECKS,
        CheckResult,
        Finding,
        LayoutLimits,
        Limits,
        Options,
        Report,
        collect,
        run,
    )

__all__ = ["CheckResult", "Finding", "LayoutLimits", "Limits", "Options", "Report", "collect",
           "run", "CHECKS"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import gate
        return getattr(gate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
