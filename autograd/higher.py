"""Higher-order gradients: gradients that are graphs themselves.

``grad(out, xs, create_graph=True)`` and ``out.backward(create_graph=True)``
run the chain rule on Values instead of floats, so each gradient is a Value
whose graph can be differentiated again, to any order (as PyTorch's
``create_graph=True`` and JAX's ``grad(grad(f))``).

No derivative is written twice.  A node's local grads as Values come from
the *same* rule in :mod:`autograd.ops` that made its float local grads: the
rule is called again on the node's parents (Values), with ``m=VALUE``, as
:mod:`autograd.opinfo` describes.  Ops whose local grads are constants
(relu, abs, sum, a number folded in ...) keep the stored floats, which are
exact: their second derivatives are 0.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import value as _core
from .fast import computed_order
from .fused import dot
from .opinfo import describe
from .ops import VALUE
from .value import FloatOfValue, Value, _rule_on_values, enable_grad, grad, real

__all__ = ["hessian", "hvp", "value_local_grads", "rule_on_values"]


def value_local_grads(node: Value) -> tuple:
    """∂node/∂parent for each parent, as Values with graphs (or exact floats
    for constant local grads), from the node's own rule called with m=VALUE."""
    try:
        info = describe(node)
    except KeyError:
        raise NotImplementedError(f"create_graph: no rule to differentiate op {node.op!r} again") from None
    if info.constant:
        return node.local_grads
    return rule_on_values(info.rule, info.operands(node), node.op)[1]


def rule_on_values(rule: Callable, operands: Sequence, op: str) -> tuple:
    """``rule(*operands, m=VALUE)``, refusing ``float()`` of a Value inside (this thread only):
    that is how ``math.exp(a)`` or ``float(a)`` would silently cut the graph."""
    token = _rule_on_values.set(True)
    try:
        return rule(*operands, m=VALUE)
    except FloatOfValue:
        from .custom import CUSTOM_OPS

        what = "custom op" if op in CUSTOM_OPS else "op"
        raise TypeError(
            f"{what} {op!r}: its rule turned a Value into a float (math.exp(a) or float(a)?) "
            "when called on Values for a higher-order gradient; write the functions as m.exp(a), "
            "m.sigmoid(a) ... (m is FLOAT on floats, VALUE on Values), read numbers as m.data(a), "
            "and branch with a > 0, not float(a)"
        ) from None
    finally:
        _rule_on_values.reset(token)


# ---------------------------------------------------------------- backward on Values
def _grads(output: Value, seed) -> dict:
    """∂output/∂node·seed for every node under ``output``, by the chain rule on
    Values.  A float entry is a constant (no graph); the shortcuts for 1.0
    are exact and keep the gradient's graph small enough to draw.  As in
    ``backward``, a gradient that is the constant 0.0 adds nothing."""
    grads = {output: seed}
    for node in reversed(computed_order(output)):
        g = grads.get(node, 0.0)
        if type(g) is float and g == 0.0:
            continue
        for parent, local in zip(node.parents, value_local_grads(node)):
            if type(local) is float and local == 1.0:
                term = g
            elif type(g) is float and g == 1.0:
                term = local
            else:
                term = local * g
            prev = grads.get(parent)
            grads[parent] = term if prev is None else prev + term
    return grads


def _as_value(g) -> Value:
    return g if isinstance(g, Value) else Value(g)


@enable_grad()  # a graph of the gradient even inside no_grad, as PyTorch's create_graph
def grad_graph(output: Value, targets: list[Value]) -> list[Value]:
    """``grad(output, targets, create_graph=True)``: one Value per target (a
    constant Value(0.0) for a target the output does not depend on)."""
    grads = _grads(output, 1.0)
    return [_as_value(grads.get(x, 0.0)) for x in targets]


@enable_grad()  # a graph of the gradient even inside no_grad, as PyTorch's create_graph
def backward_graph(root: Value, gradient) -> None:
    """``root.backward(create_graph=True)``: each leaf's ``.grad`` becomes
    (or accumulates, as a Value) a Value with a graph; interior nodes'
    ``.grad`` get the float, as after ``backward()``."""
    for node in computed_order(root):
        node.grad = 0.0  # as backward: computed nodes' grads are recomputed (a skipped one stays 0)
    for node, g in _grads(root, gradient).items():
        if node.parents:
            node.grad = g.data if isinstance(g, Value) else g
            continue
        old = node.grad
        if type(old) is float and old == 0.0:
            node.grad = _as_value(g)
        else:
            node.grad = _as_value(old + g)


_core.HIGHER_ORDER.update(backward=backward_graph, grad=grad_graph)


# ---------------------------------------------------------------- Hessians
def _fresh_leaves(inputs: Sequence, where: str) -> list[Value]:
    leaves = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            leaves.append(Value(x.data, x.label))
        else:
            leaves.append(Value(real(x, f"{where}(inputs)[{i}]")))
    return leaves


def _gradient(f: Callable[..., Value], leaves: list[Value], where: str) -> list[Value]:
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"{where}: f must return a Value, got {type(out).__name__}")
    return grad_graph(out, leaves)


@enable_grad()  # f must record its graph even when called inside no_grad
def hessian(f: Callable[..., Value], inputs: Sequence[Value | float]) -> list[list[float]]:
    """``H[i][j]`` = ∂²f/∂xᵢ∂xⱼ at ``inputs``, as an n×n list of lists of floats.

    ``f(*values)`` must return a Value.  Row i is the gradient of ∂f/∂xᵢ
    (one double backward per row).  Inputs are read, never modified.
    """
    leaves = _fresh_leaves(inputs, "hessian")
    return [grad(g, leaves) for g in _gradient(f, leaves, "hessian")]


@enable_grad()  # f must record its graph even when called inside no_grad
def hvp(f: Callable[..., Value], inputs: Sequence[Value | float], v: Sequence[float]) -> list[float]:
    """H·v, the Hessian of f at ``inputs`` times the vector v, as a list of
    floats: ∇ₓ(∇f(x)·v), one double backward, without forming H."""
    leaves = _fresh_leaves(inputs, "hvp")
    v = [float(c) for c in v]
    if len(v) != len(leaves):
        raise ValueError(f"hvp: v has length {len(v)}, inputs {len(leaves)}")
    gs = _gradient(f, leaves, "hvp")
    return grad(dot(gs, v), leaves) if leaves else []
