"""Higher-order gradients: gradients that are graphs themselves.

``grad(out, xs, create_graph=True)`` and ``out.backward(create_graph=True)``
run the chain rule on Values instead of floats, so each gradient is a Value
whose graph can be differentiated again, to any order (as PyTorch's
``create_graph=True`` and JAX's ``grad(grad(f))``).

No derivative is written twice.  A node's local grads as Values come from
the *same* rule in :mod:`autograd.ops` that made its float local grads: the
rule is called again on the node's parents (Values), with ``m=VALUE``.
:data:`RECALL` says, per op, which rule that is and how the parents become
its operands.  Ops in :data:`CONSTANT` have local grads that do not depend on
their operands (derivative 0): the stored floats are exact and are used as
they are, so second derivatives through relu, abs ... are 0.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import ops
from .ops import VALUE
from .value import Value, _interior_order, _real, dot, enable_grad, grad, pow_exponent

__all__ = ["hessian", "hvp", "RECALL", "CONSTANT", "value_local_grads"]


# ---------------------------------------------------------------- the recall table
def _parents(node: Value) -> tuple:
    return node.parents


def _base_and_exponent(node: Value) -> tuple:
    return node.parents[0], pow_exponent(node.op)  # "**-0.5" → (a, -0.5)


def _dot_operands(node: Value) -> tuple:
    # parents are (*ws, *xs) or (*ws, *xs, bias): a bias iff the count is odd
    ps = node.parents
    n = len(ps) // 2
    return ps[:n], ps[n : 2 * n], (ps[-1] if len(ps) % 2 else None)


def _all_as_one(node: Value) -> tuple:
    return (node.parents,)


# op → (rule, parents → the rule's operands); "**b" stands for every number
# exponent ("**2", "**-1", "**0.5" ...), "*" for a product of two Values.
# Ops made with autograd.custom_op add themselves here when registered.
RECALL: dict[str, tuple[Callable, Callable[[Value], tuple]]] = {
    "*": (ops.mul, _parents),
    "/": (ops.div, _parents),
    "**": (ops.powv, _parents),
    "**b": (ops.pow, _base_and_exponent),
    "exp": (ops.exp, _parents),
    "log": (ops.log, _parents),
    "tanh": (ops.tanh, _parents),
    "sigmoid": (ops.sigmoid, _parents),
    "softplus": (ops.softplus, _parents),
    "sin": (ops.sin, _parents),
    "cos": (ops.cos, _parents),
    "dot": (ops.dot, _dot_operands),
    "logsumexp": (ops.logsumexp, _all_as_one),
}

# op → rule, for ops whose local grads are constants; "*c" is a product
# with a number (folded in, one parent: the local grad is that number),
# "/c" a division by a number (local grad 1/c).
CONSTANT: dict[str, Callable] = {
    "+": ops.add,
    "*c": ops.mul,
    "/c": ops.div,
    "sum": ops.sum_,
    "dotc": ops.dotc,  # its local grads are the constant inputs and 1
    "relu": ops.relu,
    "leaky_relu": ops.leaky_relu,
    "abs": ops.abs_,
}


def _key(node: Value) -> str:
    op = node.op
    if op[:2] == "**" and op != "**":
        return "**b"
    if op in ("*", "/") and len(node.parents) == 1:
        return op + "c"
    return op


def value_local_grads(node: Value) -> tuple:
    """∂node/∂parent for each parent, as Values with graphs (or exact floats
    for constant local grads), from the node's own rule called with m=VALUE."""
    key = _key(node)
    recall = RECALL.get(key)
    if recall is not None:
        rule, operands = recall
        return rule(*operands(node), m=VALUE)[1]
    if key in CONSTANT:
        return node.local_grads
    raise NotImplementedError(f"create_graph: no rule to differentiate op {node.op!r} again")


# ---------------------------------------------------------------- backward on Values
def _grads(output: Value, seed) -> dict:
    """∂output/∂node·seed for every node under ``output``, by the chain rule on
    Values.  A float entry is a constant (no graph); the shortcuts for 1.0
    are exact and keep the gradient's graph small enough to draw."""
    grads = {output: seed}
    get = grads.get
    for node in reversed(_interior_order(output)):
        g = grads[node]
        for parent, local in zip(node.parents, value_local_grads(node)):
            if type(local) is float and local == 1.0:
                term = g
            elif type(g) is float and g == 1.0:
                term = local
            else:
                term = local * g
            prev = get(parent)
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
    for node, g in _grads(root, gradient).items():
        if node.parents:
            node.grad = g.data if isinstance(g, Value) else g
            continue
        old = node.grad
        if type(old) is float and old == 0.0:
            node.grad = _as_value(g)
        else:
            node.grad = _as_value(old + g)


# ---------------------------------------------------------------- Hessians
def _leaves(inputs: Sequence, where: str) -> list[Value]:
    leaves = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            leaves.append(Value(x.data, x.label))
        else:
            leaves.append(Value(_real(x, f"{where}(inputs)[{i}]")))
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
    leaves = _leaves(inputs, "hessian")
    return [grad(g, leaves) for g in _gradient(f, leaves, "hessian")]


@enable_grad()  # f must record its graph even when called inside no_grad
def hvp(f: Callable[..., Value], inputs: Sequence[Value | float], v: Sequence[float]) -> list[float]:
    """H·v, the Hessian of f at ``inputs`` times the vector v, as a list of
    floats: ∇ₓ(∇f(x)·v), one double backward, without forming H."""
    leaves = _leaves(inputs, "hvp")
    v = [float(c) for c in v]
    if len(v) != len(leaves):
        raise ValueError(f"hvp: v has length {len(v)}, inputs {len(leaves)}")
    gs = _gradient(f, leaves, "hvp")
    return grad(dot(gs, v), leaves) if leaves else []
