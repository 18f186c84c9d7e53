"""The node, the topological sort and the backward pass.

A :class:`Value` holds a number, the Values it was computed from
(``parents``) and the derivative of itself with respect to each of them
(``local_grads``), both filled in by the rule in :mod:`autograd.ops` when
the op runs.  ``backward`` then needs no closures: it walks the graph from
the output back to the inputs and applies the chain rule,
``parent.grad += local_grad * node.grad``.
"""

from __future__ import annotations

import builtins
import functools
import gc
import inspect
import numbers
import operator
from typing import Iterable, Sequence, Union

from . import ops
from .ops import VALUE

__all__ = [
    "Value",
    "Operand",
    "sum",
    "dot",
    "linear",
    "linear_batch",
    "logsumexp",
    "grad",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "topological_order",
]

_new = object.__new__
_grad_enabled = True
_ARITH_ERRORS = (ValueError, OverflowError, ZeroDivisionError)


class Value:
    """A real number that remembers how it was computed.

    ``data`` is the number, ``grad`` the derivative of the last
    ``backward()`` root with respect to it, ``op`` the primitive that made it
    (``""`` for a leaf), ``parents`` its operands (in order, with repeats:
    ``a*a`` has ``a`` twice) and ``local_grads`` ∂self/∂parent for each.
    Values compare equal only to themselves and hash by identity, so they
    can live in sets and dicts; ``<``, ``<=``, ``>``, ``>=`` compare ``data``.
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")

    def __init__(self, data: float, label: str = "") -> None:
        if type(data) is not float:
            data = _real(data, "Value(data)")
        if type(label) is not str:
            raise TypeError(f"Value(label): expected a str, got {type(label).__name__}: {label!r}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()
        self.local_grads = ()

    # ------------------------------------------------------------ arithmetic
    def __add__(self, other: Operand) -> Value:
        if type(other) is not Value:
            if type(other) is not float:
                other = _operand(other)
                if other is NotImplemented:
                    return other
            if type(other) is float:  # a number: folded in, not a parent
                out, local = ops.add(self.data, other)
                return _node(out, (self,), _SINGLES.get(local[0]) or _single(local[0]), "+")
        out, local = ops.add(self.data, other.data)
        return _node(out, (self, other), local, "+")

    __radd__ = __add__

    def __mul__(self, other: Operand) -> Value:
        if type(other) is not Value:
            if type(other) is not float:
                other = _operand(other)
                if other is NotImplemented:
                    return other
            if type(other) is float:  # a number: folded in, not a parent
                out, local = ops.mul(self.data, other)
                return _node(out, (self,), _SINGLES.get(local[0]) or _single(local[0]), "*")
        out, local = ops.mul(self.data, other.data)
        return _node(out, (self, other), local, "*")

    __rmul__ = __mul__

    def __pow__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            try:
                out, local = ops.powv(self.data, other.data)
            except _ARITH_ERRORS as e:
                raise _op_error(e, f"{_show(self)} ** {_show(other)}") from None
            return _node(out, (self, other), local, "**")
        b = _operand(other)
        if b is NotImplemented:
            return b
        try:
            out, local = ops.pow(self.data, b)
        except _ARITH_ERRORS as e:
            raise _op_error(e, f"{_show(self)} ** {b!r}") from None
        return _node(out, (self,), local, _pow_op(b))

    def __rpow__(self, other: Operand) -> Value:
        base = _operand(other)
        if base is NotImplemented:
            return base
        return Value(base) ** self

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return self + other * -1.0
        b = _operand(other)
        return b if b is NotImplemented else self + -b

    def __rsub__(self, other: Operand) -> Value:
        a = _operand(other)
        return a if a is NotImplemented else self * -1.0 + a

    def __truediv__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _div(self, other, (self, other))
        b = _operand(other)
        return b if b is NotImplemented else _div(self, b, (self,))

    def __rtruediv__(self, other: Operand) -> Value:
        a = _operand(other)
        if a is NotImplemented:
            return a
        c = Value(a)  # a leaf: ∂(c/x)/∂x = −c/x² needs c, and the leaf keeps it exactly
        return _div(c, self, (c, self))

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _unary(self, ops.abs_, "abs")

    # ------------------------------------------------------------ functions
    def exp(self) -> Value:
        """eˣ; OverflowError past x ≈ 709.78, as ``math.exp``."""
        return _unary(self, ops.exp, "exp")

    def log(self) -> Value:
        """Natural log; ValueError for x ≤ 0, as ``math.log``."""
        return _unary(self, ops.log, "log")

    def tanh(self) -> Value:
        out, local = ops.tanh(self.data)  # never raises: no _unary wrapper
        return _node(out, (self,), local, "tanh")

    def sigmoid(self) -> Value:
        """1 / (1 + e⁻ˣ), finite for every finite x."""
        out, local = ops.sigmoid(self.data)  # never raises: no _unary wrapper
        return _node(out, (self,), local, "sigmoid")

    def relu(self) -> Value:
        out, local = ops.relu(self.data)  # never raises: no _unary wrapper
        return _node(out, (self,), local, "relu")

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x if x > 0 else slope·x."""
        slope = _real(slope, "leaky_relu(slope)")
        out, local = ops.leaky_relu(self.data, slope)
        return _node(out, (self,), local, "leaky_relu")

    def softplus(self) -> Value:
        """ln(1 + eˣ), finite for every finite x."""
        return _unary(self, ops.softplus, "softplus")

    def sin(self) -> Value:
        return _unary(self, ops.sin, "sin")

    def cos(self) -> Value:
        return _unary(self, ops.cos, "cos")

    def sqrt(self) -> Value:
        """x ** 0.5 (ValueError for x < 0)."""
        return self**0.5

    # ------------------------------------------------------------ comparisons
    def __lt__(self, other: Operand) -> bool:
        return self.data < _data(other)

    def __le__(self, other: Operand) -> bool:
        return self.data <= _data(other)

    def __gt__(self, other: Operand) -> bool:
        return self.data > _data(other)

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _data(other)

    # identity equality and hashing are object's: keep them (every visited
    # set in the sort relies on them).
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f"label={self.label!r}, " if self.label else ""
        return f"Value({label}data={self.data!r}, grad={self.grad!r})"

    def draw(self, **options):
        """This Value's graph as a Graphviz drawing: ``autograd.draw_dot(self, **options)``."""
        from .viz import draw_dot  # graphviz is imported only when drawing

        return draw_dot(self, **options)

    # ------------------------------------------------------------ backward
    def backward(self, gradient: float | Value = 1.0, *, create_graph: bool = False) -> None:
        """Fill ``grad`` of every Value this one depends on with ∂self/∂it.

        Interior nodes' grads are recomputed on every call; leaves (inputs
        and parameters) accumulate, as in PyTorch, until you zero them.
        ``gradient`` seeds the output (∂L/∂self when self feeds a larger L).

        ``create_graph=True``: each leaf's ``grad`` becomes a Value with a
        graph (added as Values to what it held), which can be differentiated
        again; interior nodes get floats; ``gradient`` may then be a Value
        too.  Reset a leaf with ``x.grad = 0.0``
        (this also breaks the reference cycle between a leaf and its grad's
        graph; ``grad(..., create_graph=True)`` makes none).
        """
        if create_graph:
            from .higher import backward_graph

            if not isinstance(gradient, Value):
                gradient = _real(gradient, "backward(gradient)")
            return backward_graph(self, gradient)
        gradient = _real(gradient, "backward(gradient)")
        order = _backward_order(self)  # sets every interior grad to 0.0 too
        self.grad += gradient
        for node in reversed(order):
            g = node.grad
            if g == 0.0:
                continue  # adds 0 to every parent: skip (a dead ReLU's whole neuron, say)
            # chain rule: parent.grad += local * g for each parent; += sums over paths
            parents = node.parents
            if len(parents) == 1:  # a unary op (about half the nodes): the same, without a zip to set up
                parents[0].grad += node.local_grads[0] * g
                continue
            for parent, local in zip(parents, node.local_grads):
                parent.grad += local * g


Operand = Union[Value, float, int]


# ---------------------------------------------------------------- building nodes
def _node(data: float, parents: tuple, local_grads: tuple, op: str) -> Value:
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if _grad_enabled:
        out.op = op
        out.parents = parents
        out.local_grads = local_grads
    else:
        out.op = ""
        out.parents = out.local_grads = ()
    return out


make_node = _node  # the public name for code above the core (custom ops, fused ops): make_node(data, parents, local_grads, op)


def _unary(a: Value, rule, op: str) -> Value:
    try:
        out, local = rule(a.data)
    except _ARITH_ERRORS as e:
        raise _op_error(e, f"{op}({_show(a)})") from None
    return _node(out, (a,), local, op)


# (d,) for a constant local derivative d (the c of a·c or a + c), one tuple
# shared by every node with that d: a graph's constants repeat (−1 for every
# subtraction, 1/n for a mean, 1 for every added constant), and each shared
# tuple saves 48 bytes a node.  0.0 is left out (it equals −0.0 as a key),
# and so is NaN (it equals nothing).
_SINGLES: dict[float, tuple] = {}


def _single(d: float) -> tuple:
    t = (d,)
    if d != 0.0 and d == d and len(_SINGLES) < 4096:
        _SINGLES[d] = t
    return t


def _div(a: Value, b, parents: tuple) -> Value:
    """a / b with b a Value or a number (a number: one parent, a constant local grad)."""
    try:
        out, local = ops.div(a.data, b.data if isinstance(b, Value) else b)
    except ZeroDivisionError:
        raise ZeroDivisionError(f"division by zero: {_show(a)} / {_show(b)}") from None
    return _node(out, parents, local[: len(parents)], "/")


def _real(x, where: str) -> float:
    """``x`` as a float, or a TypeError that names where and what it was."""
    if type(x) is float:
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where}: expected a real number (int or float), got {type(x).__name__}: {x!r}")
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{where}: {x!r} is too large for a float") from None


def _operand(x):
    """The other operand of an arithmetic op: a Value, a float, or NotImplemented."""
    if isinstance(x, Value) or type(x) is float:
        return x
    if type(x) is int:  # 1 - v, sum(values) starting at 0: skip the slower ABC check
        return float(x)
    if isinstance(x, bool):
        raise TypeError(f"cannot combine a Value with a bool ({x!r}); use 1.0 or 0.0")
    if isinstance(x, numbers.Real):
        return float(x)
    return NotImplemented


def _data(x) -> float:
    return x.data if isinstance(x, Value) else _real(x, "comparison")


def _show(v) -> str:
    if not isinstance(v, Value):
        return repr(v)
    return f"{v.label}={v.data!r}" if v.label else f"Value({v.data!r})"


def _op_error(e: Exception, what: str) -> Exception:
    return type(e)(f"{what}: {e}")


_POW_OPS: dict[float, str] = {}


def _pow_op(b: float) -> str:
    """The op name of ``a ** b`` for a number b, e.g. ``"**2"``, ``"**-0.5"``.

    The exponent is written exactly (``float(op[2:]) == b``), so the node
    can be differentiated again without storing b elsewhere.
    """
    op = _POW_OPS.get(b)
    if op is None:
        op = f"**{int(b)}" if float(b).is_integer() and builtins.abs(b) < 2**53 else f"**{float(b)!r}"
        if len(_POW_OPS) < 4096:
            _POW_OPS[b] = op
    return op


def pow_exponent(op: str) -> float:
    """The number b of a ``a ** b`` node's op (``"**2"`` → 2.0)."""
    return float(op[2:])


def _as_values(items, where: str) -> tuple:
    """Items as Values: numbers become leaves, anything else is a TypeError."""
    out = []
    for i, x in enumerate(items):
        if isinstance(x, Value):
            out.append(x)
        else:
            out.append(Value(_real(x, f"{where}[{i}]")))
    return tuple(out)


def _seq(xs) -> Sequence:
    return xs if type(xs) is list or type(xs) is tuple else tuple(xs)


# ---------------------------------------------------------------- fused ops
def sum(values: Iterable[Operand]) -> Value:  # noqa: A001
    """Σᵢ vᵢ as one node (numbers among the values are added as constants)."""
    values = _seq(values)
    try:
        out, local = ops.sum_([v.data for v in values])
        if type(out) is float and values:  # else something with a .data that is no Value: a tensor?
            return _node(out, values if type(values) is tuple else tuple(values), local, "sum")
    except (AttributeError, TypeError):
        pass
    parents = tuple(v for v in values if isinstance(v, Value))
    const = builtins.sum((_real(v, f"sum(values)[{i}]") for i, v in enumerate(values) if not isinstance(v, Value)), 0.0)
    out, local = ops.sum_([v.data for v in parents])
    return _node(out + const, parents, local, "sum") if parents else Value(out + const)


def dot(ws: Sequence[Operand], xs: Sequence[Operand], bias: Operand | None = None) -> Value:
    """b + Σᵢ wᵢ·xᵢ as one node: a neuron's weighted sum.

    With Values on both sides the node is ``dot``: parents ``(*ws, *xs, bias)``,
    so the gradient reaches the xs too.  When the ws are Values and the xs all
    numbers (a neuron reading data), the numbers are constants, as a tensor
    without ``requires_grad`` in PyTorch: the node is ``dotc``, with parents
    ``(*ws, bias)`` (a leaf 0.0 when no bias is given) and the numbers as the
    local grads; they get no node and no gradient, and drawings show them as
    inputs ``x[i]``.  Any other number (among the ws, in a mixed xs, or the
    bias) becomes a leaf Value.
    """
    if type(ws) is not list and type(ws) is not tuple:
        ws = tuple(ws)
    if type(xs) is not list and type(xs) is not tuple:
        xs = tuple(xs)
    if len(ws) != len(xs):
        raise ValueError(f"dot: ws and xs differ in length ({len(ws)} and {len(xs)})")
    if not ws and bias is None:
        return Value(0.0)
    try:
        wd = [w.data for w in ws]
        xd = [x.data for x in xs]
        if bias is None:
            out, local = ops.dot(wd, xd)
            parents = (*ws, *xs)
        else:
            out, local = ops.dot(wd, xd, bias.data)
            parents = (*ws, *xs, bias)
        if type(out) is float:  # else something with a .data that is no Value: a tensor?
            return _node(out, parents, local, "dot")
    except (AttributeError, TypeError):
        pass
    converted = bias is not None and not isinstance(bias, Value)
    if converted:
        bias = Value(_real(bias, "dot(bias)"))
    if ws and all(isinstance(w, Value) for w in ws) and not any(isinstance(x, Value) for x in xs):
        cs = [_real(x, f"dot(xs)[{i}]") for i, x in enumerate(xs)]  # data: constants
        b = Value(0.0) if bias is None else bias
        out, local = ops.dotc([w.data for w in ws], cs, b.data)
        return _node(out, (*ws, b), local, "dotc")
    ws2, xs2 = _as_values(ws, "dot(ws)"), _as_values(xs, "dot(xs)")
    if not converted and all(a is b for a, b in zip((*ws, *xs), (*ws2, *xs2))):
        # every operand a Value already, yet the fast path made no float
        for v in (*ws, *xs, bias):
            if v is not None and type(v.data) is not float:
                raise TypeError(f"dot: a Value holds {type(v.data).__name__} data, not a float: {v.data!r}")
        raise TypeError("dot: the weighted sum of these Values is not a float")
    return dot(ws2, xs2, bias)


# name → rule, for the activations linear() builds as it goes (their rules never raise)
LINEAR_ACTIVATIONS = {"relu": ops.relu, "tanh": ops.tanh, "sigmoid": ops.sigmoid}


def linear(
    W: Sequence[Sequence[Value]], xs: Sequence[Operand], bias: Sequence[Value], activation: str | None = None
) -> list[Value]:
    """A layer of neurons: ``[f(dot(W[j], xs, bias[j])) for each row j]``, built faster.

    The same nodes as those calls make (``dot`` or ``dotc``, see :func:`dot`,
    then the ``activation`` node: None, "relu", "tanh" or "sigmoid"), but xs
    is read once for all rows and the rows' tuples are shared where they can be.
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
    W = list(W)
    bias = list(bias)
    if len(bias) != len(W):
        raise ValueError(f"{where}: {len(W)} rows of weights but {len(bias)} biases")
    if activation is None:
        act = None
    else:
        act = LINEAR_ACTIVATIONS.get(activation) if isinstance(activation, str) else None
        if act is None:
            raise ValueError(f"{where}(activation): expected None, 'relu', 'tanh' or 'sigmoid', got {activation!r}")
    n = len(W[0]) if W else 0
    for j, w in enumerate(W):
        if len(w) != n:
            raise ValueError(f"{where}: row {j} of the weights has {len(w)} entries, row 0 has {n}")
    try:  # each row: (weights, their data, bias, its data)
        rows = [(w, [v.data for v in w], b, b.data) for w, b in zip(W, bias)]
    except AttributeError:
        rows = None  # numbers among the weights: dot() decides what becomes a leaf
    if type(X) is not list and type(X) is not tuple:
        X = list(X)
    shared = None  # each row's (w.data, b.data, (*w, b)): (*w, b) is the parents of its dotc nodes
    joined = [] if len(X) > 1 else None  # each row's (w.data, b.data, w, (b,), (*w.data, 1)), for dot nodes
    outs = []
    for i, x in enumerate(X):
        if type(x) is tuple:
            xs = x
        elif type(x) is list:
            xs = tuple(x)
        elif isinstance(x, (Value, numbers.Number, str)):
            raise TypeError(f"{where}: input {i} must be a sequence of {n} numbers or Values, got {type(x).__name__}")
        else:
            xs = tuple(x)
        if len(xs) != n and W:
            raise ValueError(f"{where}: input {i} has {len(xs)} entries, the weights {n}")
        if rows is None:
            outs.append(_by_dot(W, xs, bias, act, activation))
            continue
        const = False
        try:
            xd = tuple([v.data for v in xs])  # Values: dot nodes
        except AttributeError:
            if any(isinstance(v, Value) for v in xs):  # Values and numbers mixed: the numbers become leaves
                xs = _as_values(xs, f"{where}: input {i}")
                xd = tuple([v.data for v in xs])
            else:  # data: dotc nodes, the numbers their local grads
                xd = [v if type(v) is float else _real(v, f"{where}: input {i}[{k}]") for k, v in enumerate(xs)]
                const = True
        try:
            if not _grad_enabled:
                zs = _leaves(rows, xd, act)
            elif const:
                if shared is None:
                    shared = [(wd, bd, (*w, b)) for w, wd, b, bd in rows]
                zs = _dotc_nodes(shared, xd)
            elif joined is None:
                zs = _dot_nodes(rows, xs, xd)
            else:
                if not joined:
                    joined += [(wd, bd, tuple(w), (b,), (*wd, 1.0)) for w, wd, b, bd in rows]
                zs = _dot_nodes_joined(joined, xs, xd)
        except TypeError:  # a .data that is no number: a numpy scalar's is a memoryview
            zs = None
        if zs is None:  # something in W, bias or x is not what it seemed
            error = _not_values(where, W, bias, i, xs)
            if error is not None:
                raise error
            outs.append(_by_dot(W, x, bias, act, activation))  # numbers of other types: dot() converts them
            continue
        if act is ops.relu and _grad_enabled:
            _relu_nodes(zs)
        elif act is not None and _grad_enabled:  # (_leaves applied it already)
            for k, z in enumerate(zs):
                zs[k] = _activate(z, act, activation)
        outs.append(zs)
    return outs


# The node builders of linear_batch: ops.dotc, ops.dot and ops.relu inlined, with
# shared tuples (tests check that the nodes equal those of dot() and .relu()).
# Each returns None when a sum is no float: a weight that is no Value holding a float.
def _dotc_nodes(shared, xd: list) -> list | None:
    """Data: each row's parents (*w, b) made once for the batch, one local-grads tuple for all rows."""
    local = (*xd, 1.0)  # ∂dotc/∂(w, b) = (*x, 1)
    zs = []
    append = zs.append
    for wd, bd, parents in shared:
        z = _fsum(map(_fmul, wd, xd), bd)
        if type(z) is not float:
            return None
        node = _new(Value)
        node.data = z
        node.grad = 0.0
        node.label = ""
        node.op = "dotc"
        node.parents = parents
        node.local_grads = local
        append(node)
    return zs


def _dot_nodes(rows, xs: tuple, xd: tuple) -> list | None:
    """One input: each node's tuples built at once (the rows' tuples that a batch
    makes once and joins would cost more than they save for a single input)."""
    zs = []
    append = zs.append
    for w, wd, b, bd in rows:
        z = _fsum(map(_fmul, wd, xd), bd)
        if type(z) is not float:
            return None
        node = _new(Value)
        node.data = z
        node.grad = 0.0
        node.label = ""
        node.op = "dot"
        node.parents = (*w, *xs, b)
        node.local_grads = (*xd, *wd, 1.0)
        append(node)
    return zs


def _dot_nodes_joined(joined, xs: tuple, xd: tuple) -> list | None:
    """A batch: each row's tuples, made once, joined with the input's."""
    zs = []
    append = zs.append
    for wd, bd, wt, bt, wd1 in joined:
        z = _fsum(map(_fmul, wd, xd), bd)
        if type(z) is not float:
            return None
        node = _new(Value)
        node.data = z
        node.grad = 0.0
        node.label = ""
        node.op = "dot"
        node.parents = wt + xs + bt
        node.local_grads = xd + wd1
        append(node)
    return zs


def _relu_nodes(zs: list) -> None:
    for k, z in enumerate(zs):
        d = z.data
        node = zs[k] = _new(Value)
        if d > 0.0:
            node.data = d
            node.local_grads = _ONE
        else:
            node.data = 0.0 if d <= 0.0 else d  # NaN stays NaN
            node.local_grads = _ZERO
        node.grad = 0.0
        node.label = ""
        node.op = "relu"
        node.parents = (z,)


def _leaves(rows, xd, act) -> list | None:
    """Under no_grad: the same numbers, as leaves."""
    zs = [_fsum(map(_fmul, wd, xd), bd) for _, wd, _, bd in rows]
    if not all(type(z) is float for z in zs):
        return None
    return [Value(z if act is None else act(z)[0]) for z in zs]


_ONE, _ZERO = ops.relu(1.0)[1], ops.relu(0.0)[1]  # relu's local grads: (1.0,) and (0.0,)


def _by_dot(W, xs, bias, act, activation: str | None) -> list[Value]:
    """linear's nodes for one input the slow way, by dot() per row: numbers of any type, leaves for mixed xs."""
    zs = [dot(w, xs, b) for w, b in zip(W, bias)]
    return zs if act is None else [_activate(z, act, activation) for z in zs]


def _not_values(where: str, W, bias, i: int, xs) -> TypeError | None:
    """The error for a weighted sum that is no float: which operand is no number (None: all are)."""
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


def _activate(z: Value, rule, op: str) -> Value:
    out, local = rule(z.data)
    return _node(out, (z,), local, op)


_fsum = builtins.sum
_fmul = operator.mul


def logsumexp(values: Iterable[Operand]) -> Value:
    """ln Σᵢ e^vᵢ as one node, computed shifted by the max: no overflow."""
    values = _as_values(_seq(values), "logsumexp(values)")
    if not values:
        raise ValueError("logsumexp: needs at least one value")
    out, local = ops.logsumexp([v.data for v in values])
    return _node(out, values, local, "logsumexp")


# ---------------------------------------------------------------- graph order
def _interior_order(root: Value) -> list[Value]:
    """The non-leaf nodes under ``root``, parents before children.

    Iterative depth-first search: no recursion, so any depth works.  The node
    being expanded and the iterator over its parents are locals; the path
    back to the root is on two stacks (nodes, and where each one's scan
    stopped), so nothing is allocated per node but its iterator.
    """
    if not root.parents:
        return []
    order = []
    visited = {root}
    nodes, iters = [], []
    node, it = root, iter(root.parents)
    # The iterators are the only container objects this allocates, and they
    # hold no cycles: without a pause, a deep graph triggers collections that
    # traverse the whole graph again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        while True:
            for p in it:
                if p.parents and p not in visited:
                    visited.add(p)
                    nodes.append(node)
                    iters.append(it)
                    node, it = p, iter(p.parents)
                    break
            else:
                order.append(node)
                if not nodes:
                    return order
                node, it = nodes.pop(), iters.pop()
    finally:
        if collecting:
            gc.enable()


def _backward_order(root: Value) -> list[Value]:
    """:func:`_interior_order` for ``backward``, which also sets every interior grad to 0.0.

    backward resets those grads anyway, so the sort marks a visited node by
    setting its ``grad`` to ``zero``: a float 0.0 made by this call, a new
    object that no other grad can be, so ``p.grad is zero`` tells a visited
    node, and the mark is already the reset value (no pass to undo the marks;
    an interrupt leaves only zeros behind).  The node being expanded and its
    parent iterator are locals; the path back to the root is on two stacks.
    """
    if not root.parents:
        return []
    zero = float("0")  # a new float object on every call in CPython (only literals are shared)
    order = []
    nodes, iters = [], []  # the path: each node's child, and where that child's scan stopped
    node, it = root, iter(root.parents)
    collecting = gc.isenabled()
    gc.disable()  # as in _interior_order
    try:
        root.grad = zero
        while True:
            for p in it:
                if p.parents and p.grad is not zero:
                    p.grad = zero
                    nodes.append(node)
                    iters.append(it)
                    node, it = p, iter(p.parents)
                    break
            else:  # every parent of node is in the order: node goes next
                order.append(node)
                if not nodes:
                    return order
                node, it = nodes.pop(), iters.pop()
    finally:
        if collecting:
            gc.enable()


def topological_order(root: Value) -> list[Value]:
    """Every node under ``root`` (leaves too), each after all its parents."""
    leaves, seen = [], set()
    interior = _interior_order(root)
    for node in interior:
        for p in node.parents:
            if not p.parents and p not in seen:
                seen.add(p)
                leaves.append(p)
    return leaves + interior if interior else [root]


# ---------------------------------------------------------------- grad, no_grad
def grad(
    output: Value, inputs: Value | Sequence[Value], *, create_graph: bool = False
) -> float | list[float] | Value | list[Value]:
    """∂output/∂input for each input, leaving every ``.grad`` untouched.

    One input gives one float; a sequence gives a list.  An input the
    output does not depend on gets 0.0.  With ``create_graph=True`` the
    gradients are Values with graphs, to be differentiated again (a constant
    ``Value(0.0)`` for an input the output does not depend on).
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad(output): expected a Value, got {type(output).__name__}")
    single = isinstance(inputs, Value)
    targets = [inputs] if single else list(inputs)
    for i, x in enumerate(targets):
        if not isinstance(x, Value):
            raise TypeError(f"grad(inputs)[{i}]: expected a Value, got {type(x).__name__}")
    if create_graph:
        from .higher import grad_graph

        result = grad_graph(output, targets)
        return result[0] if single else result
    grads = {output: 1.0}
    get = grads.get
    for node in reversed(_interior_order(output)):
        g = get(node)
        if g is None:
            continue
        for parent, local in zip(node.parents, node.local_grads):
            grads[parent] = get(parent, 0.0) + local * g
    result = [get(x, 0.0) for x in targets]
    return result[0] if single else result


def is_grad_enabled() -> bool:
    """Whether ops record the graph (False inside ``no_grad``)."""
    return _grad_enabled


class _GradMode:
    _enabled: bool

    def __new__(cls, fn=None):
        if fn is None:
            return super().__new__(cls)
        return cls()(fn)  # @no_grad without parentheses

    def __init__(self, fn=None) -> None:
        self._saved: list[bool] = []

    def __enter__(self) -> None:
        global _grad_enabled
        self._saved.append(_grad_enabled)
        _grad_enabled = self._enabled

    def __exit__(self, *exc) -> None:
        global _grad_enabled
        _grad_enabled = self._saved.pop()

    def __call__(self, fn):
        """Use as a decorator: ``fn`` runs inside this mode."""
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}: decorates a function, got {type(fn).__name__}")
        if inspect.isgeneratorfunction(fn):  # its body would run after the mode has ended
            raise TypeError(f"{type(self).__name__}: cannot decorate the generator function {fn.__name__}; "
                            f"use `with {type(self).__name__}():` inside it")

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with type(self)():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradMode):
    """``with no_grad():`` ops inside record no graph (results are leaves).

    Nestable, restored on exit even when the block raises; also a decorator.
    Not thread-local: one flag for the process.
    """

    _enabled = False


class enable_grad(_GradMode):
    """``with enable_grad():`` turns recording back on inside ``no_grad``."""

    _enabled = True


# The elementary functions as Value ops, for rules evaluated on Values.
VALUE.exp = Value.exp
VALUE.log = Value.log
VALUE.tanh = Value.tanh
VALUE.sin = Value.sin
VALUE.cos = Value.cos
VALUE.sigmoid = Value.sigmoid
VALUE.softplus = Value.softplus
VALUE.pow = staticmethod(operator.pow)
VALUE.pow_or_inf = staticmethod(operator.pow)
