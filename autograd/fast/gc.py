"""Pausing CPython's cyclic garbage collector while a graph is built and differentiated.

chainrule's graphs hold no reference cycles, so reference counting alone
frees them; the cyclic collector still scans every new node, again and
again as a large graph grows, and finds nothing.  ``gc_paused()`` turns it
off for a block and, on exit, runs one collection of the youngest
generation, so cycles that the user's own code made inside the block are
still collected: while the collector is off no collection moves an object
out of the youngest generation, so everything made inside the block is
there when the block ends.

Why not keep the nodes out of the collector's sight instead: CPython tracks
every instance of a class with ``__slots__`` (``gc.is_tracked(Value(1.0))``
is True), and only C code can untrack one; through ctypes
(``PyObject_GC_UnTrack``) that costs more per node than making the node,
is not there in the browser (Pyodide), and would leak the cycles a graph
can hold: ``backward(create_graph=True)`` makes leaf → grad → leaf.  See
docs/benchmarks.md.
"""

from __future__ import annotations

import functools
import gc
import threading

__all__ = ["gc_paused"]

# Pauses nest, and two threads may pause at once (gc_paused, or a sort inside backward): the
# collector is enabled again when the last pause ends, and only if it was enabled when the first began.
_lock = threading.Lock()
_depth = 0
_was_enabled = False


def pause() -> None:
    """Begin a pause (the collector off); every ``pause()`` is ended by one ``resume()``."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def resume() -> bool:
    """End a pause; True when it was the last one (the collector is back as it was)."""
    global _depth
    with _lock:
        _depth -= 1
        last = _depth == 0
        if last and _was_enabled:
            gc.enable()
    return last


class gc_paused:
    """``with gc_paused():`` the cyclic collector is off inside; one young-generation collection on exit.

    Also a decorator.  Nestable and safe across threads: the collector
    comes back on when the outermost pause ends (in any thread), and only
    if it was on when that pause began; the young collection runs then.
    """

    def __enter__(self) -> gc_paused:
        pause()
        return self

    def __exit__(self, *exc) -> None:
        if resume():
            gc.collect(0)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with gc_paused():
                return fn(*args, **kwargs)

        return wrapper
