"""Compare a function's analytic gradients with central differences."""

from __future__ import annotations

import math
from typing import Callable, Sequence

from .value import Value, enable_grad, grad, no_grad
from .value import real as _real

__all__ = ["gradcheck", "GradcheckError", "numeric_grad"]


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with the numeric one."""


def numeric_grad(f: Callable[..., Value], inputs: Sequence[float], i: int, eps: float = 1e-6) -> float:
    """∂f/∂xᵢ ≈ (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / 2·eps, without building a graph."""
    with no_grad():
        up = [Value(x + eps) if j == i else Value(x) for j, x in enumerate(inputs)]
        down = [Value(x - eps) if j == i else Value(x) for j, x in enumerate(inputs)]
        return (_number_of(f(*up)) - _number_of(f(*down))) / (2.0 * eps)


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value | float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """True when ∂f/∂xᵢ from ``backward`` matches central differences for every input.

    ``f(*values)`` must return a Value.  Each input passes when
    |analytic − numeric| ≤ atol + rtol·|numeric|; the first that does not
    raises :class:`GradcheckError` naming the input and both numbers (or
    returns False with ``raise_exception=False``).
    """
    if not (isinstance(eps, (int, float)) and not isinstance(eps, bool) and eps > 0 and math.isfinite(eps)):
        raise ValueError(
            f"gradcheck(eps): the step of the central differences must be a finite number > 0, got {eps!r}"
        )
    data = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            data.append(x.data)
        else:
            data.append(_real(x, f"gradcheck(inputs)[{i}]"))
    labels = [x.label if isinstance(x, Value) else "" for x in inputs]
    leaves = [Value(x, label) for x, label in zip(data, labels)]
    with enable_grad():  # the analytic side needs f's graph, even inside no_grad
        out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    analytic = grad(out, leaves)
    for i, a in enumerate(analytic):
        n = numeric_grad(f, data, i, eps)
        if not abs(a - n) <= atol + rtol * abs(n):
            if not raise_exception:
                return False
            name = f"input {i}" + (f" ({labels[i]!r})" if labels[i] else "")
            raise GradcheckError(
                f"gradcheck failed for {name} at x = {data[i]!r}: analytic gradient {a!r}, "
                f"numeric {n!r} (|difference| {abs(a - n):.3g} > atol + rtol·|numeric| = "
                f"{atol + rtol * abs(n):.3g})"
            )
    return True


def _number_of(v) -> float:
    return v.data if isinstance(v, Value) else float(v)
