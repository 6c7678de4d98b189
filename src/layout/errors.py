"""Errors users see: one line, ``path:line: CODE message``, never a traceback."""

from __future__ import annotations


class LayoutError(Exception):
    """A failure caused by input or environment, reported to the user as one line.

    ``exit_code`` 3 means bad input; 4 means an output could not be written.
    """

    def __init__(self, code: str, message: str, path: str = "", line: int | None = None,
                 exit_code: int = 3) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.exit_code = exit_code

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled whole, subclasses too: raised again as it was by a worker process
        (layout.forked)."""
        return _rebuilt, (type(self), self.args, self.__dict__)

    def __str__(self) -> str:
        where = self.path
        if self.path and self.line is not None:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.code} {self.message}" if where else f"{self.code} {self.message}"


def _rebuilt(cls: type[LayoutError], args: tuple[object, ...],
             state: dict[str, object]) -> LayoutError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error
