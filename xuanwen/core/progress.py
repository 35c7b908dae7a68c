"""How far long work has got (a big import read and saved in the background).

The code doing the work (core.sheets reading rows, an app's batch insert) calls `step(done)`
every EVERY rows; whoever runs the work as a task sets the callback that records it with
`reporting(...)`. The callback travels in a context variable rather than as a parameter of
every app's read and save functions, which would all have to pass it on without using it;
with no callback set (an import in the request, a command, a test) a step costs one lookup.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Rows between two reports: often enough for a bar refreshed every second (a worker reads a few
# thousand rows a second), rarely enough that recording one costs nothing beside the rows.
EVERY = 1000

Report = Callable[[int], None]  # rows done so far

_report: ContextVar[Report | None] = ContextVar("xuanwen_progress", default=None)


@contextmanager
def reporting(report: Report) -> Iterator[None]:
    """Send the steps of the work done inside the block to `report`."""
    token = _report.set(report)
    try:
        yield
    finally:
        _report.reset(token)


def step(done: int) -> None:
    """`done` rows of the current piece of work are done (call it every EVERY rows)."""
    report = _report.get()
    if report is not None:
        report(done)
