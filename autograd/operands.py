"""Checking an op's operands: a real number, or a clear error that names where and what it was."""

from __future__ import annotations

import numbers


def real(x, where: str) -> float:
    """``x`` as a float, or a TypeError that names where and what it was."""
    if type(x) is float:
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where}: expected a real number (int or float), got {type(x).__name__}: {x!r}")
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{where}: {x!r} is too large for a float") from None


def _number(x):
    """The other operand of an arithmetic op when it is no Value: a float, or NotImplemented."""
    if type(x) is float:
        return x
    if isinstance(x, bool):
        raise TypeError(f"cannot combine a Value with a bool ({x!r}); use 1.0 or 0.0")
    return float(x) if isinstance(x, numbers.Real) else NotImplemented


def show(v) -> str:
    """An operand as an error message names it: ``x=2.0``, ``Value(2.0)`` or the number."""
    if not (hasattr(v, "parents") and hasattr(v, "data")):
        return repr(v)
    return f"{v.label}={v.data!r}" if v.label else f"Value({v.data!r})"
