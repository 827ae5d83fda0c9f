"""Printing in a child process with a time limit.

A page that takes too long to lay out must not hold a web worker (or a command) for ever:
each print runs in a child process, and past the limit the child is stopped and the caller
told. Children are forked from a process that has the layout engine loaded, the fonts read
and the stylesheets parsed, so a print pays for none of that.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import gc
import io
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from ..kinds import Kind
from .outcome import Outcome


class RenderTimedOut(Exception):
    """Laying the page out took longer than the time limit: it was stopped, nothing printed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"printing took longer than {seconds:g} seconds and was stopped")
        self.seconds = seconds


class RenderFailed(Exception):
    """The process laying the page out ended without an answer."""


def fit_within(
    document: dict[str, Any], kind: Kind, seconds: float, start: float | None = None
) -> Outcome:
    """fit_document in a child process, stopped after seconds (RenderTimedOut)."""
    context = _context()
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=_fit_and_send, args=(sending, document, kind, start), daemon=True
    )
    try:
        try:
            child.start()
        finally:
            sending.close()  # the child holds its own end; ours must close for EOF to be seen
        if not receiving.poll(seconds):
            raise RenderTimedOut(seconds)
        answer = receiving.recv()
    except EOFError:
        raise RenderFailed("the printing process ended without an answer") from None
    finally:
        receiving.close()
        if child.pid is not None:  # it started
            if child.is_alive():
                child.kill()
            child.join()
    if isinstance(answer, BaseException):
        raise answer
    return answer


def _context() -> multiprocessing.context.BaseContext:
    """Fork this process when that is safe; otherwise fork from a server that is.

    Forking copies only the thread that forks, so a process with other threads (a threaded
    development server) forks from a fork server instead, started once with the layout
    engine loaded (see preload.py). A process with one thread (a command, a worker of a
    WSGI server) loads the engine itself, once, and forks straight from itself.
    """
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        prepare()
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    context.set_forkserver_preload(["profiles.render.preload"])
    return context


_prepared = False
_rehearsing = False
# How much less a print's process asks of the processor than the pages served beside it.
PRINT_NICENESS = 10


def rehearse_before_printing() -> None:
    """Have this process print a sample page as it prepares to print (see rehearsal.py):
    for a process that prints many times, such as a web worker; not for a command."""
    global _rehearsing
    _rehearsing = True


def prepare() -> None:
    """Load the layout engine, read the fonts and parse the stylesheets, once a process;
    and rehearse, if asked to.

    Loaded without the garbage collector, which would otherwise walk the many objects that
    imports make again and again (a tenth or more of the time they take). They are not set
    aside from it here: this may run in the middle of a request, whose objects would then
    never be collected (the fork server, which has none, sets them aside: preload.py).
    """
    global _prepared
    if _prepared:
        return
    with without_collector():
        load_engine()
        # Loaded here, not at the top: a process that never prints (an export, most web
        # requests) then never loads the layout engine.
        from .fit import warm

        warm()
    if _rehearsing:
        from .rehearsal import rehearse

        rehearse()
        # What the rehearsal left is garbage: gone before a web process sets aside from
        # the collector all it has made by the end of its start.
        gc.collect()
    _prepared = True


@contextlib.contextmanager
def without_collector() -> Iterator[None]:
    """Pause the garbage collector while the block makes many long-lived objects."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextlib.contextmanager
def for_the_process() -> Iterator[None]:
    """What is made inside lives as long as the process (modules, an app, fonts).

    Made without the garbage collector, which would otherwise walk the many objects that
    imports make again and again (a tenth or more of the time they take), then set aside
    from it, so that no later collection walks them either. Everything alive when the
    block ends is set aside: use it only where nothing short-lived is.
    """
    with without_collector():
        yield
        gc.freeze()


def load_engine() -> None:
    """Load WeasyPrint without searching for its libraries by every name it knows.

    It tries names such as 'pango-1.0' before the file name the system's loader finds
    ('libpango-1.0.so.0'), and for each miss ctypes.util.find_library runs ldconfig and a
    compiler: about a tenth of a second in all on Debian. Every library it needs is also
    tried by file name, so the search is skipped while it loads; if that finds nothing,
    WeasyPrint is loaded again the usual way. Called with one thread only: the search is
    skipped for the whole process meanwhile.
    """
    if "weasyprint" in sys.modules:
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # What WeasyPrint prints when a library is missing belongs to the usual way only.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError:
        pass
    finally:
        ctypes.util.find_library = search
    import weasyprint  # noqa: F401  (the usual way, if the quick one failed)


def _fit_and_send(
    sending: Connection, document: dict[str, Any], kind: Kind, start: float | None
) -> None:
    """In the child: fit the document and send back the outcome, or what went wrong."""
    # Everything this process was forked with is shared with its parent until either
    # writes to it, and a full collection writes to every object it walks: in a web
    # worker, that copied most of the worker's memory for each print and cost twice the
    # print itself. Set it all aside, so that collections walk only what this print makes.
    gc.freeze()
    # A print may wait a little; the pages other people are opening meanwhile should not.
    # At this niceness the system gives the print about a tenth of a core that others want.
    os.nice(PRINT_NICENESS)
    from .fit import fit_document  # already loaded in the process this one was forked from

    try:
        answer: Outcome | BaseException = fit_document(document, kind, start)
    except Exception as exc:  # sent back whole, to be raised in the parent
        answer = exc
    sending.send(answer)
    sending.close()
