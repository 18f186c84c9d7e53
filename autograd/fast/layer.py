"""A layer of neurons in one call: ``linear`` and ``linear_batch``.

Their twin, the definition, is ``[act(dot(W[j], x, bias[j])) for each row j]``
(:func:`autograd.dot`, then the activation's Value method); these build the
very same nodes faster (tests/autograd/test_fast.py): the weights are read
once for a whole batch, each input once for all rows, and tuples that rows
or samples can share are made once.  The weighted sum ``b + Σᵢ wᵢ·xᵢ`` and
relu's branch are written out here, as in :func:`autograd.ops.dot`,
:func:`autograd.ops.dotc` and :func:`autograd.ops.relu`: a call per node
costs more than the node; test_fast pins each copy to its rule, at the
edge values (±0, ±inf, NaN) too.
"""

from __future__ import annotations

import numbers
import operator
from typing import Sequence

from .. import fused, ops
from ..value import Operand, Value, _recording, real
from .nodes import _recording_get, make_node

__all__ = ["linear", "linear_batch", "LINEAR_ACTIVATIONS"]

# The activations linear builds as it goes, by name (their rules never raise).
LINEAR_ACTIVATIONS = {"relu": ops.relu, "tanh": ops.tanh, "sigmoid": ops.sigmoid}

_allocate = object.__new__  # as in nodes.py: a Value without __init__'s checks
_times = operator.mul


def linear(
    W: Sequence[Sequence[Value]], xs: Sequence[Operand], bias: Sequence[Value], activation: str | None = None
) -> list[Value]:
    """A layer of neurons: ``[f(dot(W[j], xs, bias[j])) for each row j]``, built faster.

    The same nodes as those calls make (``dot`` or ``dotc``, see :func:`autograd.dot`,
    then the ``activation`` node: None, "relu", "tanh" or "sigmoid").
    """
    return linear_batch(W, [xs], bias, activation, where="linear")[0]


def linear_batch(
    W: Sequence[Sequence[Value]],
    X: Sequence[Sequence[Operand]],
    bias: Sequence[Value],
    activation: str | None = None,
    *,
    where: str = "linear_batch",
) -> list[list[Value]]:
    """:func:`linear` for each input of a batch ``X``: a list of output lists.

    The weights' data is read once for the whole batch; each sample still gets
    its own nodes, as in ``[linear(W, x, bias, activation) for x in X]``.
    """
    W, bias = list(W), list(bias)
    if len(bias) != len(W):
        raise ValueError(f"{where}: {len(W)} rows of weights but {len(bias)} biases")
    rule = None if activation is None else LINEAR_ACTIVATIONS.get(activation) if isinstance(activation, str) else 0
    if rule is None and activation is not None or rule == 0:
        raise ValueError(f"{where}(activation): expected None, 'relu', 'tanh' or 'sigmoid', got {activation!r}")
    op = activation or ""  # the activation node's op (a name here whenever rule is not None)
    if type(X) is list and len(X) == 1 and W and _recording_get():  # model(x): one input, its own loop
        outs = _one_input(W, X[0], bias, rule, op)
        if outs is not None:
            return [outs]
    n = len(W[0]) if W else 0
    for j, w in enumerate(W):
        if len(w) != n:
            raise ValueError(f"{where}: row {j} of the weights has {len(w)} entries, row 0 has {n}")
    try:  # each row: (weights, their numbers, bias, its number)
        rows = [(w, [v.data for v in w], b, b.data) for w, b in zip(W, bias)]
    except AttributeError:
        rows = None  # numbers among the weights: dot() decides what becomes a leaf
    if type(X) is not list and type(X) is not tuple:
        X = list(X)
    recording = _recording.get()
    shared = _Shared(rows)
    outs = []
    for i, x in enumerate(X):
        xs = _input(x, i, n, where)
        if len(xs) != n and W:
            raise ValueError(f"{where}: input {i} has {len(xs)} entries, the weights {n}")
        zs = None
        if rows is not None:
            try:
                zs = _weighted_sums(rows, shared, xs, i, where, recording)
            except TypeError:  # a .data that is no number: a numpy scalar's is a memoryview
                zs = None
            if zs is None:  # something in W, bias or x is not what it seemed
                error = _not_floats(where, W, bias, i, xs)
                if error is not None:
                    raise error
        if zs is None:  # numbers of other types: dot() converts them, one row at a time
            zs = [fused.dot(w, xs, b) for w, b in zip(W, bias)]
            outs.append(zs if rule is None else [_activate(z, rule, op) for z in zs])
        elif rule is not None and recording:
            outs.append(_relu_nodes(zs) if rule is ops.relu else [_activate(z, rule, op) for z in zs])
        elif rule is not None:
            outs.append([Value(rule(z.data)[0]) for z in zs])  # no_grad: leaves
        else:
            outs.append(zs)
    return outs


def _one_input(W: list, x, bias: list, rule, op: str) -> list | None:
    """One input (a sequence of Values, or of floats): each row's dot (dotc) node and its activation,
    the same nodes as the batch path, in one loop with nothing to share.  None: anything unusual
    (numbers and Values mixed, a wrong length, a .data that is no float ...); the general path
    then builds the nodes or raises its error."""
    if type(x) is not list and type(x) is not tuple:
        return None
    xs = tuple(x)
    try:
        x_data = tuple([v.data for v in xs])  # Values: dot nodes, ∂/∂w = x.data and ∂/∂x = w.data
        numbers = False
    except AttributeError:  # numbers: dotc nodes, whose local grads (*x, 1) are the same for every row
        for v in xs:
            if type(v) is not float:
                return None
        x_data, numbers = xs, True
    dotc_local = (*x_data, 1.0)
    n = len(x_data)
    relu = rule is ops.relu
    outs = []
    try:
        for w, b in zip(W, bias):
            w_data = [v.data for v in w]
            if len(w_data) != n:
                return None
            z = sum(map(_times, w_data, x_data), b.data)  # = ops.dot's (ops.dotc's) value
            if type(z) is not float:
                return None
            node = _allocate(Value)
            node.data = z
            node.grad = 0.0
            node.label = ""
            if numbers:
                node.op = "dotc"
                node.parents = (*w, b)
                node.local_grads = dotc_local
            else:
                node.op = "dot"
                node.parents = (*w, *xs, b)
                node.local_grads = (*x_data, *w_data, 1.0)
            if relu:  # = ops.relu, as _relu_nodes
                out = _allocate(Value)
                out.grad = 0.0
                out.label = ""
                out.op = "relu"
                out.parents = (node,)
                if z <= 0.0:
                    out.data = 0.0
                    out.local_grads = _RELU_OFF
                else:
                    out.data = z
                    out.local_grads = _RELU_ON
                node = out
            elif rule is not None:
                node = _activate(node, rule, op)
            outs.append(node)
    except (AttributeError, TypeError):  # a weight that is no Value, a .data that is no number
        return None
    return outs if len(outs) == len(W) == len(bias) else None


class _Shared:
    """The tuples that a batch's nodes share, made on first use: for each row,
    ``data_parents`` = (*w, b), the parents of its dotc nodes, and ``joined`` =
    (w.data, b.data, tuple(w), (b,), (*w.data, 1.0)), joined with each input's
    tuples into the parents and local grads of its dot nodes."""

    __slots__ = ("rows", "data_parents", "joined")
    data_parents: list[tuple] | None
    joined: list[tuple] | None

    def __init__(self, rows) -> None:
        self.rows, self.data_parents, self.joined = rows, None, None


def _input(x, i: int, n: int, where: str) -> tuple:
    if type(x) is tuple:
        return x
    if type(x) is list:
        return tuple(x)
    if isinstance(x, (Value, numbers.Number, str)):
        raise TypeError(f"{where}: input {i} must be a sequence of {n} numbers or Values, got {type(x).__name__}")
    return tuple(x)


def _weighted_sums(rows, shared: _Shared, xs: tuple, i: int, where: str, recording: bool):
    """Each row's dot (Values in xs) or dotc (numbers) node for input xs; None when a sum is no float."""
    try:
        x_data = tuple([v.data for v in xs])  # Values: dot nodes
    except AttributeError:
        if any(isinstance(v, Value) for v in xs):  # Values and numbers mixed: the numbers become leaves
            xs = fused.as_values(xs, f"{where}: input {i}")
            x_data = tuple([v.data for v in xs])
        else:  # data: dotc nodes, the numbers their local grads
            data = [v if type(v) is float else real(v, f"{where}: input {i}[{k}]") for k, v in enumerate(xs)]
            if not recording:
                return _leaves(rows, data)
            if shared.data_parents is None:
                shared.data_parents = [(*w, b) for w, _, b, _ in rows]
            return _dotc_nodes(rows, shared.data_parents, data)
    if not recording:
        return _leaves(rows, x_data)
    if shared.joined is None:
        shared.joined = [(w_data, b_data, tuple(w), (b,), (*w_data, 1.0)) for w, w_data, b, b_data in rows]
    return _dot_nodes(shared.joined, xs, x_data)


def _dotc_nodes(rows, data_parents: list, x_data: list) -> list | None:
    """Data: each row's parents (*w, b) made once for the batch, one local-grads tuple for all rows."""
    local = (*x_data, 1.0)  # ∂dotc/∂(w, b) = (*x, 1), as ops.dotc
    zs = []
    for (_, w_data, _, b_data), parents in zip(rows, data_parents):
        z = sum(map(_times, w_data, x_data), b_data)  # = ops.dotc's value
        if type(z) is not float:
            return None
        zs.append(_node(z, parents, local, "dotc"))
    return zs


def _dot_nodes(joined, xs: tuple, x_data: tuple) -> list | None:
    """Each row's tuples made once per call, joined with each input's: parents (*w, *x, b), grads (*x, *w, 1)."""
    zs = []
    for w_data, b_data, w_tuple, b_tuple, w_grads in joined:
        z = sum(map(_times, w_data, x_data), b_data)
        if type(z) is not float:
            return None
        zs.append(_node(z, w_tuple + xs + b_tuple, x_data + w_grads, "dot"))
    return zs


def _node(data: float, parents: tuple, local_grads: tuple, op: str) -> Value:
    out = _allocate(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.op = op
    out.parents = parents
    out.local_grads = local_grads
    return out


_RELU_ON, _RELU_OFF = ops.relu(1.0)[1], ops.relu(0.0)[1]  # relu's local grads, (1.0,) and (0.0,), shared


def _relu_nodes(zs: list) -> list:
    """``z.relu()`` for each z: = ops.relu, with its two local-grads tuples shared."""
    outs = []
    for z in zs:
        d = z.data
        if d <= 0.0:
            outs.append(_node(0.0, (z,), _RELU_OFF, "relu"))
        else:  # d > 0, or NaN (it stays NaN and passes the gradient on)
            outs.append(_node(d, (z,), _RELU_ON, "relu"))
    return outs


def _leaves(rows, x_data) -> list | None:
    """Under no_grad: the same numbers, as leaves."""
    zs = [sum(map(_times, w_data, x_data), b_data) for _, w_data, _, b_data in rows]
    return [Value(z) for z in zs] if all(type(z) is float for z in zs) else None


def _activate(z: Value, rule, op: str) -> Value:
    out, local = rule(z.data)
    return make_node(out, (z,), local, op)


def _not_floats(where: str, W, bias, i: int, xs) -> TypeError | None:
    """The error for a weighted sum that is no float: which operand holds no float (None: all do)."""

    def what(v) -> str:
        return type(v).__name__ if type(v) is not Value else f"a Value holding {type(v.data).__name__}"

    for j, (w, b) in enumerate(zip(W, bias)):
        for name, v in [*((f"W[{j}][{k}]", v) for k, v in enumerate(w)), (f"bias[{j}]", b)]:
            if type(v) is not Value or type(v.data) is not float:
                return TypeError(f"{where}: the weights and biases must be Values holding floats; {name} is {what(v)}")
    for k, v in enumerate(xs):
        if isinstance(v, Value) and type(v.data) is not float or not isinstance(v, (Value, numbers.Real)):
            return TypeError(f"{where}: input {i}[{k}] must be a number or a Value holding a float, got {what(v)}")
    return None
