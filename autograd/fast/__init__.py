"""The fast layer: every speed trick of the engine, each the twin of a plain definition in the core.

Nothing here changes a number.  ``tests/autograd/test_fast.py`` checks every
fast path against its twin node for node (data, op, parents, local grads)
and grad for grad.
"""

from __future__ import annotations

from .gc import gc_paused

__all__ = ["gc_paused"]
