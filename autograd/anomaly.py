"""Anomaly detection: the first NaN or infinity, named with its op, operands and the user's line.

Inside ``with detect_anomaly():`` an op whose forward result is NaN or
infinite, and a ``backward()`` that computes a NaN or infinite gradient,
raise :class:`AnomalyError` naming the op, its operands, and the file and
line of *your* code that made the node (the first stack frame outside
``autograd/`` and ``nn/``).

Nodes stay as small and as fast as ever.  While any block is active, this
module installs its own twins of ``make_node`` and ``backward_pass`` (as
:mod:`autograd.fast` installs its own): the ``make_node`` twin checks the
result and records the creation site in a side table (:data:`SITES`, keyed
by ``id(node)``, emptied when the last block exits), the ``backward_pass``
twin checks every gradient it adds.  When the last block exits, the twins
that were there before are put back.

The checks apply to the thread (or asyncio task) that entered the block:
the twins read a context variable, so another thread running at the same
time is not checked (it only pays for reading that variable).
``backward()`` is checked; ``grad()`` and ``create_graph`` are not.
"""

from __future__ import annotations

import contextvars
import linecache
import math
import os
import sys
import threading
from types import FrameType
from typing import Any

from . import custom, fast, fused, opinfo
from . import value as _core
from .fast import layer as _layer
from .operands import show as _show
from .value import Value

__all__ = ["detect_anomaly", "AnomalyError", "SITES"]

_checking = contextvars.ContextVar("chainrule_detect_anomaly", default=False)

# id(node) → (node.data, filename, line): where a node made inside the mode was created.  Keyed by
# id (Values have no __weakref__ slot, to stay small); the stored data object tells a reused id.
SITES: dict[int, tuple] = {}

# the modules that call make_node (each looks the name up in its own globals, so it can be replaced)
_MAKERS: tuple[Any, ...] = (_core, fused, custom, _layer)
# fast twins that build nodes without calling make_node (autograd/fast/operators.py): inside the mode the
# core's definitions stand in for them, so that every op's node goes through the checking make_node
_INLINED = tuple(k for k in fast.CORE if k == "_apply" or k.startswith("Value."))
_lock = threading.Lock()
_active = 0  # blocks active in any thread
_saved: dict = {}  # the twins in place before the first block: put back after the last

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
_OURS = (_PACKAGE, os.path.join(os.path.dirname(_PACKAGE.rstrip(os.sep)), "nn") + os.sep)


class AnomalyError(FloatingPointError):
    """A NaN or infinity inside ``detect_anomaly()``: the message names the op, its operands and the line."""


class detect_anomaly:
    """``with detect_anomaly():`` the first NaN or inf, forward or in ``backward()``, raises
    :class:`AnomalyError` naming the op, its operands and the line of your code that made it.

    Nestable; per thread (and asyncio task), as grad mode; see the module docstring.
    """

    def __enter__(self) -> detect_anomaly:
        global _active
        self._token = _checking.set(True)
        with _lock:
            if _active == 0:
                _saved.update(backward_pass=_core.backward_pass,
                              makers={m: m.make_node for m in _MAKERS},
                              inlined={k: getattr(_core.Value, k[6:]) if k.startswith("Value.") else getattr(_core, k)
                                       for k in _INLINED})
                fast.install({k: fast.CORE[k] for k in _INLINED})
                for m in _MAKERS:
                    m.make_node = make_node
                _core.backward_pass = backward_pass
            _active += 1
        return self

    def __exit__(self, *exc) -> None:
        global _active
        _checking.reset(self._token)
        with _lock:
            _active -= 1
            if _active == 0:
                for m, f in _saved["makers"].items():
                    m.make_node = f
                fast.install(_saved["inlined"])
                _core.backward_pass = _saved["backward_pass"]
                SITES.clear()


def is_anomaly_enabled() -> bool:
    """Whether this thread is inside ``detect_anomaly()``."""
    return _checking.get()


# ---------------------------------------------------------------- the twins
def make_node(data: float, parents: tuple, local_grads: tuple, op: str) -> Value:
    """= the installed ``make_node``; inside the mode, also records the site and checks the result."""
    out = _saved["makers"][_core](data, parents, local_grads, op)
    if _checking.get():
        site = _user_site()
        SITES[id(out)] = (out.data, *site)
        if not math.isfinite(data):
            shown = out if out.parents else _described(data, parents, local_grads, op)
            raise AnomalyError(f"detect_anomaly: the forward result of `{op}` of {_operands(shown)} "
                               f"is {data!r}\n{_site_text(site)}")
    return out


def backward_pass(root: Value, gradient: float) -> None:
    """= the installed ``backward_pass``; inside the mode, the core's loop with every gradient checked."""
    if not _checking.get():
        return _saved["backward_pass"](root, gradient)
    order = _core.computed_order(root)
    for node in order:
        node.grad = 0.0
    root.grad += gradient
    for node in reversed(order):
        g = node.grad
        if g == 0.0:
            continue  # as the core: a zero gradient adds nothing (0·√x at 0 is no anomaly)
        for k, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            before = parent.grad
            parent.grad += local * g
            if not math.isfinite(parent.grad):
                raise AnomalyError(
                    f"detect_anomaly: backward through `{node.op}` of {_operands(node)} made a gradient "
                    f"{parent.grad!r}: local derivative ∂out/∂{_show(parent)} = {local!r} (operand {k}) × "
                    f"gradient {g!r} of the node, added to {before!r}\n{_site_text(_site_of(node))}")


# ---------------------------------------------------------------- messages
def _user_site() -> tuple:
    """(filename, line) of the first frame outside autograd/ and nn/: the user's line that made the node."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(_OURS):
        frame = frame.f_back
    return ("?", 0) if frame is None else (frame.f_code.co_filename, frame.f_lineno)


def _site_of(node: Value) -> tuple | None:
    entry = SITES.get(id(node))
    return entry[1:] if entry is not None and entry[0] is node.data else None


def _site_text(site: tuple | None) -> str:
    if site is None:
        return "  the node was made outside detect_anomaly(), so where is not known"
    filename, line = site
    try:
        shown = os.path.relpath(filename)
    except ValueError:  # another drive (Windows)
        shown = filename
    code = linecache.getline(filename, line).strip()
    return f"  the node was made at {shown}:{line}" + (f"\n    {code}" if code else "")


def _described(data, parents, local_grads, op) -> Value:
    """A stand-in node (made inside no_grad, so the real one has no parents) to describe the op by."""
    node = Value(0.0)
    node.data, node.op, node.parents, node.local_grads = data, op, parents, local_grads
    return node


def _operands(node: Value) -> str:
    """``(x=1.0, 2.0)``: the rule's operands, Values by name and numbers as numbers."""
    try:
        operands = opinfo.describe(node).operands(node)
    except (KeyError, IndexError, ValueError, ZeroDivisionError):
        operands = node.parents
    shown = []
    for a in operands:
        if isinstance(a, (tuple, list)):
            shown.append("[" + ", ".join(map(_show, a)) + "]")
        elif a is not None:
            shown.append(_show(a))
    return f"({', '.join(shown)})"
