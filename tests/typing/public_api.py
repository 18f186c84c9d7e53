"""Type-checked by mypy in CI (never run): the public API used as a user would, so a wrong hint fails CI."""

from __future__ import annotations

import autograd
from autograd import AnomalyError, NodeMismatch, Value, check_graph, detect_anomaly, grad, gradcheck, jvp

x: Value = Value(2.0, "x")
y: Value = (x * 3 + 1.0 - x / 2) ** 2
z: Value = y.tanh().exp().log1p().arcsinh().sign() + x.sqrt()
g: float = grad(y, x)
gs: list[float] = grad(y, [x])
ok: bool = gradcheck(lambda a: a.sin(), [0.3])
found: list[NodeMismatch] = check_graph(y)
value, tangent = jvp(lambda a: a * a, [1.5], [1.0])
with detect_anomaly():
    w: Value = autograd.dot([x], [2.0], 0.5)
error: type[FloatingPointError] = AnomalyError
