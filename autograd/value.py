"""The node: a number that remembers how it was computed, and the backward pass.

A :class:`Value` holds a number (``data``), the Values it was computed from
(``parents``) and ∂self/∂parent for each (``local_grads``), both given by
the op's rule in :mod:`autograd.ops` (read it next).  ``backward`` walks the
graph from the output back and applies the chain rule.  :mod:`autograd.fast`
puts faster twins of ``make_node``, ``constant_grad``, ``computed_order``
and ``backward_pass`` in place; tests/autograd/test_fast.py proves them equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence, Union, overload

from . import ops
from .mode import FloatOfValue, _recording, _rule_on_values, enable_grad, is_grad_enabled, no_grad
from .operands import _number, real
from .operands import show as _show

if TYPE_CHECKING:
    from .draw.render import Drawing

__all__ = ["Value", "Operand", "grad", "no_grad", "enable_grad", "is_grad_enabled", "topological_order"]

_ARITH_ERRORS = (ValueError, OverflowError, ZeroDivisionError)


class Value:
    """A real number that remembers how it was computed.

    ``data`` is the number, ``grad`` ∂root/∂self after ``root.backward()``,
    ``op`` the primitive that made it (``""`` for a leaf), ``parents`` its
    operands (in order, with repeats: ``a*a`` has ``a`` twice) and
    ``local_grads`` ∂self/∂parent for each.  ``==`` and hashing are by
    identity (Values live in sets and dicts); ``<`` ``<=`` ``>`` ``>=`` compare data.
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")
    data: float
    grad: float  # a Value after backward(create_graph=True)
    label: str
    op: str
    parents: tuple[Value, ...]
    local_grads: tuple[float, ...]

    def __init__(self, data: float, label: str = "") -> None:
        if type(label) is not str:
            raise TypeError(f"Value(label): expected a str, got {type(label).__name__}: {label!r}")
        self.data = data if type(data) is float else real(data, "Value(data)")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()
        self.local_grads = ()

    # ------------------------------------------------------------ arithmetic
    def __add__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _apply("+", ops.add, (self, other), self.data, other.data)
        c = _number(other)  # a number is folded in: one parent
        return c if c is NotImplemented else _apply("+", ops.add, (self,), self.data, c)

    __radd__ = __add__

    def __mul__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _apply("*", ops.mul, (self, other), self.data, other.data)
        c = _number(other)
        return c if c is NotImplemented else _apply("*", ops.mul, (self,), self.data, c)

    __rmul__ = __mul__

    def __truediv__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _apply("/", ops.div, (self, other), self.data, other.data)
        c = _number(other)
        return c if c is NotImplemented else _apply("/", ops.div, (self,), self.data, c)

    def __rtruediv__(self, other: Operand) -> Value:
        c = _number(other)  # c / x: a leaf for c, since ∂(c/x)/∂x = −c/x² needs it
        return c if c is NotImplemented else Value(c) / self

    def __pow__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _apply("**", ops.powv, (self, other), self.data, other.data)
        b = _number(other)  # a number exponent is written into the op: "**2", "**-0.5"
        return b if b is NotImplemented else _apply(pow_op(b), ops.pow, (self,), self.data, b)

    def __rpow__(self, other: Operand) -> Value:
        c = _number(other)
        return c if c is NotImplemented else Value(c) ** self

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Operand) -> Value:  # a − b = a + (−1)·b
        if isinstance(other, Value):
            return self + other * -1.0
        c = _number(other)
        return c if c is NotImplemented else self + -c

    def __rsub__(self, other: Operand) -> Value:
        c = _number(other)
        return c if c is NotImplemented else self * -1.0 + c

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _apply("abs", ops.abs_, (self,), self.data)

    # ------------------------------------------------------------ functions
    def exp(self) -> Value:
        """eˣ; OverflowError past x ≈ 709.78, as ``math.exp``."""
        return _apply("exp", ops.exp, (self,), self.data)

    def log(self) -> Value:
        """Natural log; ValueError for x ≤ 0, as ``math.log``."""
        return _apply("log", ops.log, (self,), self.data)

    def tanh(self) -> Value:
        return _apply("tanh", ops.tanh, (self,), self.data)

    def sigmoid(self) -> Value:
        """1 / (1 + e⁻ˣ), finite for every finite x."""
        return _apply("sigmoid", ops.sigmoid, (self,), self.data)

    def relu(self) -> Value:
        return _apply("relu", ops.relu, (self,), self.data)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x if x > 0 else slope·x."""
        return _apply("leaky_relu", ops.leaky_relu, (self,), self.data, real(slope, "leaky_relu(slope)"))

    def softplus(self) -> Value:
        """ln(1 + eˣ), finite for every finite x."""
        return _apply("softplus", ops.softplus, (self,), self.data)

    def sin(self) -> Value:
        return _apply("sin", ops.sin, (self,), self.data)

    def cos(self) -> Value:
        return _apply("cos", ops.cos, (self,), self.data)

    def sqrt(self) -> Value:
        """x ** 0.5 (ValueError for x < 0)."""
        return self**0.5

    # numpy's names; each a rule in ops.py; domain and overflow errors as Python's math
    def tan(self) -> Value: return _apply("tan", ops.tan, (self,), self.data)  # noqa: E704
    def sinh(self) -> Value: return _apply("sinh", ops.sinh, (self,), self.data)  # noqa: E704
    def cosh(self) -> Value: return _apply("cosh", ops.cosh, (self,), self.data)  # noqa: E704
    def arcsin(self) -> Value: return _apply("arcsin", ops.arcsin, (self,), self.data)  # noqa: E704
    def arccos(self) -> Value: return _apply("arccos", ops.arccos, (self,), self.data)  # noqa: E704
    def arctan(self) -> Value: return _apply("arctan", ops.arctan, (self,), self.data)  # noqa: E704
    def arcsinh(self) -> Value: return _apply("arcsinh", ops.arcsinh, (self,), self.data)  # noqa: E704
    def arccosh(self) -> Value: return _apply("arccosh", ops.arccosh, (self,), self.data)  # noqa: E704
    def arctanh(self) -> Value: return _apply("arctanh", ops.arctanh, (self,), self.data)  # noqa: E704
    def log1p(self) -> Value: return _apply("log1p", ops.log1p, (self,), self.data)  # noqa: E704
    def expm1(self) -> Value: return _apply("expm1", ops.expm1, (self,), self.data)  # noqa: E704
    def log2(self) -> Value: return _apply("log2", ops.log2, (self,), self.data)  # noqa: E704
    def log10(self) -> Value: return _apply("log10", ops.log10, (self,), self.data)  # noqa: E704
    def exp2(self) -> Value: return _apply("exp2", ops.exp2, (self,), self.data)  # noqa: E704
    def sign(self) -> Value: return _apply("sign", ops.sign, (self,), self.data)  # noqa: E704

    # ------------------------------------------------------------ comparisons, conversions
    # comparisons compare the numbers (and return bools: no node, no gradient)
    def __lt__(self, other: Operand) -> bool:
        return self.data < _data(other)

    def __le__(self, other: Operand) -> bool:
        return self.data <= _data(other)

    def __gt__(self, other: Operand) -> bool:
        return self.data > _data(other)

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _data(other)

    __eq__ = object.__eq__  # identity: every visited set of the sort relies on it
    __hash__ = object.__hash__

    def __float__(self) -> float:
        if _rule_on_values.get():
            raise FloatOfValue(f"float() of {_show(self)} inside a rule on Values: use m.data(a), m.exp(a) ...")
        return self.data

    def __repr__(self) -> str:
        label = f"label={self.label!r}, " if self.label else ""
        return f"Value({label}data={self.data!r}, grad={self.grad!r})"

    def __reduce__(self):  # pickle and copy.deepcopy: the graph as a flat list, no recursion (graphcopy.py)
        from .graphcopy import reduce_value

        return reduce_value(self)

    def draw(self, **options) -> Drawing:
        """This Value's graph as a Graphviz drawing: ``autograd.draw_dot(self, **options)``."""
        from . import draw_dot  # graphviz is imported only when drawing

        return draw_dot(self, **options)

    # ------------------------------------------------------------ backward
    def backward(self, gradient: float | Value = 1.0, *, create_graph: bool = False) -> None:
        """Fill ``grad`` of every Value this one depends on with ∂self/∂it.

        Computed nodes' grads are recomputed on every call; leaves (inputs and
        parameters) accumulate, as in PyTorch, until zeroed.  ``gradient``
        seeds the output.  ``create_graph=True``: each leaf's ``grad`` becomes
        a Value with a graph, to differentiate again (reset it with
        ``x.grad = 0.0``, which also breaks the cycle leaf → grad → leaf).
        """
        if create_graph:  # higher order: autograd/higher.py
            if not isinstance(gradient, Value):
                gradient = real(gradient, "backward(gradient)")
            return HIGHER_ORDER["backward"](self, gradient)
        backward_pass(self, real(gradient, "backward(gradient)"))


Operand = Union[Value, float, int]


def _data(x) -> float:
    return x.data if isinstance(x, Value) else real(x, "comparison")


def make_node(data: float, parents: tuple, local_grads: tuple, op: str) -> Value:
    """The result of an op: a node with its parents and local grads (a leaf inside ``no_grad``)."""
    out = Value(data)
    if _recording.get():
        out.op, out.parents, out.local_grads = op, parents, local_grads
    return out


def constant_grad(c: float) -> tuple:
    """The local grads ``(c,)`` of an op with a number folded in (``x + c``: 1, ``x·c``: c, ``x / c``: 1/c)."""
    return (c,)


def _apply(op: str, rule, parents: tuple, *operands) -> Value:
    """The node ``op`` of ``parents``: its rule's value and local grads, or an error naming op and operands."""
    try:
        out, local = rule(*operands)
    except _ARITH_ERRORS as e:
        names = [_show(p) for p in parents] + [repr(c) for c in operands[len(parents) :]]
        infix = op == "/" or op.startswith("**")
        what = f"{names[0]} {op[:2] if infix else op} {names[1]}" if infix else f"{op}({', '.join(names)})"
        raise type(e)(f"{what}: {e}") from None
    if len(local) > len(parents):  # a number folded in (x + c, x·c, x / c): its local grad is a constant
        local = constant_grad(local[0])
    return make_node(out, parents, local, op)


def pow_op(b: float) -> str:
    """The op of ``a ** b`` for a number b, written exactly (``"**2"``, ``"**-0.5"``): ``float(op[2:]) == b``."""
    return f"**{int(b)}" if b.is_integer() and abs(b) < 2**53 else f"**{b!r}"


# ---------------------------------------------------------------- the backward pass
def topological_order(root: Value) -> list[Value]:
    """Every node under ``root``, each after all its parents: the leaves, then the computed nodes."""
    computed = computed_order(root)
    leaves: list[Value] = []
    seen: set[Value] = set()
    for node in computed:  # the leaves in the order the computed nodes first use them
        for p in node.parents:
            if not p.parents and p not in seen:
                seen.add(p)
                leaves.append(p)
    return leaves + computed if computed else [root]


def computed_order(root: Value) -> list[Value]:
    """The computed (non-leaf) nodes under ``root``, each after all its parents (depth-first, no recursion)."""
    if not root.parents:
        return []
    order, visited = [], {root}
    stack = [(root, iter(root.parents))]  # each node being expanded, and where its scan of parents stands
    while stack:
        node, parents = stack[-1]
        for p in parents:
            if p.parents and p not in visited:
                visited.add(p)
                stack.append((p, iter(p.parents)))
                break
        else:  # every parent of node is in the order: node goes next
            order.append(node)
            stack.pop()
    return order


def backward_pass(root: Value, gradient: float) -> None:
    """``root.backward(gradient)``: the chain rule over the graph, from the root back to the leaves."""
    order = computed_order(root)
    for node in order:
        node.grad = 0.0  # computed nodes' grads are recomputed; leaves' accumulate
    root.grad += gradient
    for node in reversed(order):  # children before parents: a node's grad is complete when it is reached
        g = node.grad
        if g == 0.0:
            continue  # a zero gradient adds nothing, even through an infinite local derivative (0·√x at 0)
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * g  # chain rule; += sums over the paths


# one input: a float (a Value with create_graph=True); a sequence of inputs: a list of them
@overload
def grad(output: Value, inputs: Value, *, create_graph: Literal[False] = False) -> float: ...
@overload
def grad(output: Value, inputs: Sequence[Value], *, create_graph: Literal[False] = False) -> list[float]: ...
@overload
def grad(output: Value, inputs: Value, *, create_graph: Literal[True]) -> Value: ...
@overload
def grad(output: Value, inputs: Sequence[Value], *, create_graph: Literal[True]) -> list[Value]: ...
@overload
def grad(output: Value, inputs: Value, *, create_graph: bool) -> float | Value: ...
@overload
def grad(output: Value, inputs: Sequence[Value], *, create_graph: bool) -> list[float] | list[Value]: ...
def grad(
    output: Value, inputs: Value | Sequence[Value], *, create_graph: bool = False
) -> float | Value | list[float] | list[Value]:
    """∂output/∂input: a float for one input, a list for a sequence; every ``.grad`` untouched.

    An input the output does not depend on gets 0.0.  ``create_graph=True``:
    Values with graphs, to differentiate again (``Value(0.0)`` for such an input).
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad(output): expected a Value, got {type(output).__name__}")
    single = isinstance(inputs, Value)
    targets = [inputs] if isinstance(inputs, Value) else list(inputs)
    for i, x in enumerate(targets):
        if not isinstance(x, Value):
            raise TypeError(f"grad(inputs)[{i}]: expected a Value, got {type(x).__name__}")
    if create_graph:
        result = HIGHER_ORDER["grad"](output, targets)
    else:
        grads = {output: 1.0}  # the same chain rule as backward_pass, on a private table
        for node in reversed(computed_order(output)):
            g = grads.get(node, 0.0)
            if g == 0.0:
                continue
            for parent, local in zip(node.parents, node.local_grads):
                grads[parent] = grads.get(parent, 0.0) + local * g
        result = [grads.get(x, 0.0) for x in targets]
    return result[0] if single else result


# backward(create_graph=True) and grad(create_graph=True): put here by autograd/higher.py
HIGHER_ORDER: dict = {}
