"""Pausing CPython's cyclic garbage collector while a graph is built and differentiated.

chainrule's graphs hold no reference cycles, so reference counting alone
frees them; the cyclic collector still scans every new node, again and
again as a large graph grows, and finds nothing.  ``gc_paused()`` turns it
off for a block and, on exit, runs one collection of the youngest
generation, so cycles that the user's own code made inside the block are
still collected.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["gc_paused"]

# Pauses nest, and two threads may pause at once: the collector is enabled
# again when the last pause ends, and only if it was enabled when the first began.
_lock = threading.Lock()
_depth = 0
_was_enabled = False


class gc_paused:
    """``with gc_paused():`` the cyclic collector is off inside; one young-generation collection on exit.

    Also a decorator.  Nestable and safe across threads: the collector
    comes back on when the outermost pause ends, and only if it was on
    when that pause began.
    """

    def __enter__(self) -> gc_paused:
        global _depth, _was_enabled
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        return self

    def __exit__(self, *exc) -> None:
        global _depth
        with _lock:
            _depth -= 1
            last = _depth == 0
            if last and _was_enabled:
                gc.enable()
        if last:
            gc.collect(0)

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with gc_paused():
                return fn(*args, **kwargs)

        return wrapper
