"""What a check reports: findings with stable codes, grouped into one result per check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "skip"]


@dataclass(frozen=True)
class Finding:
    """One problem in one output: ``path[:page]: CODE message``."""

    code: str
    message: str
    path: str
    page: int | None = None

    def format(self) -> str:
        where = f"{self.path}:{self.page}" if self.page is not None else self.path
        return f"{where}: {self.code} {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "path": self.path, "page": self.page}


class Skip(Exception):  # noqa: N818 - it is an outcome, not an error
    """Raised by a check that does not apply to this output (the reason is reported)."""


@dataclass
class CheckResult:
    """The outcome of one check on one output file."""

    check: str
    path: str
    status: Status
    findings: list[Finding] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "path": self.path,
            "status": self.status,
            "reason": self.reason or None,
            "seconds": round(self.seconds, 3),
            "findings": [f.to_json() for f in self.findings],
        }
