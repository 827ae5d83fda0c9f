"""Printing processes that last as long as one print job (see profiles/batch).

A single print forks a fresh child (render.fit_within), which is right for one page but
costs a batch dearly: the child writes to much of the layout engine it was forked with,
and copying those pages cost about 60 ms of processor time a print, as much as half of
laying the page out. A print job instead starts one process per core, forked from the
fork server that has the layout engine loaded, and each lays out page after page. Each
print keeps its time limit; a process that stops answering is replaced.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..kinds import Kind
from .child import PRINT_NICENESS, prepare
from .outcome import Outcome

TIMED_OUT = "timed out"
# A print past its limit is stopped inside its process; one that cannot be stopped there
# (stuck outside Python) is given this much longer before its process is replaced.
GRACE = 10


class Printers:
    """A job's printing processes: submit a document, get a Future of its Outcome, or of
    TIMED_OUT when it took longer than seconds."""

    def __init__(self, processes: int, seconds: float) -> None:
        self.processes, self.seconds = processes, seconds
        # Started by the first page that must be laid out: a job the cache answers whole
        # starts none.
        self.pool: ProcessPoolExecutor | None = None

    def start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["profiles.render.preload"])
        return ProcessPoolExecutor(self.processes, mp_context=context, initializer=get_ready)

    def submit(self, document: dict[str, Any], kind: Kind, start: float | None) -> Future:
        if self.pool is None:
            self.pool = self.start()
        try:
            return self.pool.submit(fit, document, kind, start, self.seconds)
        except BrokenProcessPool:  # a process died: start again with new ones
            self.replace()
            return self.pool.submit(fit, document, kind, start, self.seconds)

    def wait(self, future: Future) -> Outcome | str:
        """The print's outcome, waiting no longer than its time limit allows."""
        try:
            return future.result(timeout=self.seconds + GRACE)
        except TimeoutError:
            self.replace()
            return TIMED_OUT

    def replace(self) -> None:
        """Stop every process (the prints they held then fail) and start new ones."""
        self.close(kill=True)
        self.pool = self.start()

    def close(self, kill: bool = False) -> None:
        if self.pool is None:
            return
        if kill:
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)


def get_ready() -> None:
    """In each printing process: the engine is loaded already (by the fork server); print
    at a lower priority than pages being served, as every print does."""
    prepare()
    gc.freeze()
    os.nice(PRINT_NICENESS)


class _Stop(BaseException):
    """The print's time is up (a BaseException, so that no handler of errors keeps it)."""


def _stop(signum, frame) -> None:
    raise _Stop


def fit(document: dict[str, Any], kind: Kind, start: float | None, seconds: float):
    """Fit one document, stopped after seconds (then TIMED_OUT)."""
    from .fit import fit_document  # loaded in this process already (see preload)

    signal.signal(signal.SIGALRM, _stop)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fit_document(document, kind, start)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Stop:  # even if it came just as the page was done, between return and finally
        return TIMED_OUT
