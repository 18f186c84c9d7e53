"""The argument checks every part of nn shares, so that "an int" and "a number" mean one thing in all of them.

An int is any ``numbers.Integral`` (numpy's ``np.int64(3)`` too), a number any
``numbers.Real`` (``np.float32(0.5)`` too); a bool is neither (``True`` is not
a size).  The wrong kind raises TypeError, a value out of range ValueError,
and each message names the argument as the caller wrote it (``"MLP(n_in)"``).
"""

from __future__ import annotations

import math
import numbers
import random

__all__ = ["is_int", "is_number", "checked_int", "checked_number", "checked_seed"]


def is_int(x) -> bool:
    """An int, or a numpy integer; never a bool."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def is_number(x) -> bool:
    """An int or a float, or a numpy scalar of either; never a bool."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def checked_int(x, name: str, minimum: int | None = None) -> int:
    """``x`` as a plain int, once it is an int (not a bool) and at least ``minimum``."""
    if not is_int(x):
        raise TypeError(f"{name} must be an int, got {type(x).__name__}: {x!r}")
    x = int(x)
    if minimum is not None and x < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {x}")
    return x


def checked_number(
    x, name: str, minimum: float = -math.inf, maximum: float = math.inf, *, below_maximum: bool = False
) -> float:
    """``x`` as a float, once it is a finite number (not a bool) in [minimum, maximum] (or [minimum, maximum))."""
    if not is_number(x):
        raise TypeError(f"{name} must be a number, got {type(x).__name__}: {x!r}")
    try:
        value = float(x)
    except OverflowError:  # an int too large for a float
        raise ValueError(f"{name} must be a finite number, got {x!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    inside = minimum <= value < maximum if below_maximum else minimum <= value <= maximum
    if not inside:
        if maximum == math.inf:
            raise ValueError(f"{name} must be ≥ {minimum}, got {value}")
        raise ValueError(f"{name} must be in [{minimum}, {maximum}{')' if below_maximum else ']'}, got {value}")
    return value


def checked_seed(seed, name: str, *, allow_random: bool = False):
    """A seed for ``random.Random``: None or an int (as a plain int); a ``random.Random`` itself if allowed."""
    if seed is None or (allow_random and isinstance(seed, random.Random)):
        return seed
    if not is_int(seed):
        also = ", a random.Random" if allow_random else ""
        raise TypeError(f"{name} must be an int{also} or None, got {type(seed).__name__}: {seed!r}")
    return int(seed)
