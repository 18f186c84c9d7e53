"""Faster twins of the core's ``_apply`` and of Value's ``+ − · /`` (autograd/value.py).

An op in the core is a method that checks its operand, calls ``_apply``,
which calls the rule, then ``constant_grad`` and ``make_node``: four or
five Python calls for one node, where the node itself costs about as much
as two.  The twins build the very same node in one call, for the
operands that are nearly all of them (Values and numbers holding floats);
anything else goes to the core's definition, which also raises every
error, so the messages are the core's.  ``+`` and ``·`` are written out
here (``a + b`` with local grads (1, 1), ``a·b`` with (b, a)), as in
:func:`autograd.ops.add` and :func:`autograd.ops.mul`; tests/autograd/test_fast.py
pins both to the rules, at the edge values too.
"""

from __future__ import annotations

from .. import ops
from .. import value as _core
from ..value import Value, _recording
from .nodes import _SHARED, constant_grad, make_node

__all__ = ["apply", "add", "mul", "sub", "rsub", "neg", "truediv", "CORE_METHODS"]

_allocate = object.__new__
_ADD_GRADS = ops.add(1.0, 1.0)[1]  # the rule's own (1.0, 1.0), one tuple shared by every a + b
_PLUS_NUMBER = constant_grad(1.0)  # x + c: ∂/∂x = 1
_TIMES_MINUS_ONE = constant_grad(-1.0)  # −x = x·(−1)
_ARITH_ERRORS = _core._ARITH_ERRORS

# The core's methods, called for every case the twins leave to them.
CORE_METHODS = {name: getattr(Value, name) for name in
                ("__add__", "__radd__", "__mul__", "__rmul__", "__sub__", "__rsub__", "__neg__", "__truediv__")}
_core_add = CORE_METHODS["__add__"]
_core_mul = CORE_METHODS["__mul__"]
_core_sub = CORE_METHODS["__sub__"]
_core_rsub = CORE_METHODS["__rsub__"]
_core_neg = CORE_METHODS["__neg__"]
_core_truediv = CORE_METHODS["__truediv__"]
_core_apply = _core._apply

# Bound once: CPython 3.11 compiles ``name.get()`` for an imported name as an attribute load and a
# call, which makes a new bound-method object on every call; a bound method kept here is one call.
_recording_get = _recording.get
_shared_get = _SHARED.get


def apply(op: str, rule, parents: tuple, *operands) -> Value:
    """= ``autograd.value._apply``: the rule, the shared constant tuple and the node, in one call."""
    try:
        out, local = rule(*operands)
    except _ARITH_ERRORS:
        return _core_apply(op, rule, parents, *operands)  # raises the core's error, naming op and operands
    if len(local) > len(parents):
        c = local[0]
        local = _shared_get(c) or constant_grad(c)
    node = _allocate(Value)
    node.data = out
    node.grad = 0.0
    node.label = ""
    if _recording_get():
        node.op = op
        node.parents = parents
        node.local_grads = local
    else:
        node.op = ""
        node.parents = node.local_grads = ()
    return node


def add(self: Value, other) -> Value:
    """= ``Value.__add__`` (and ``__radd__``)."""
    a = self.data
    t = type(other)
    if t is Value:
        b = other.data
        if type(a) is float and type(b) is float:  # = ops.add: a + b, (1, 1)
            out = _allocate(Value)
            out.data = a + b
            out.grad = 0.0
            out.label = ""
            if _recording_get():
                out.op = "+"
                out.parents = (self, other)
                out.local_grads = _ADD_GRADS
            else:
                out.op = ""
                out.parents = out.local_grads = ()
            return out
    elif (t is float or t is int) and type(a) is float:  # a number folded in: x + c
        out = _allocate(Value)
        out.data = a + (other if t is float else float(other))
        out.grad = 0.0
        out.label = ""
        if _recording_get():
            out.op = "+"
            out.parents = (self,)
            out.local_grads = _PLUS_NUMBER
        else:
            out.op = ""
            out.parents = out.local_grads = ()
        return out
    return _core_add(self, other)


# The number of the last ``x·c`` and its local grads: ``y * 1.0001`` in a loop multiplies by the same
# float object every time, and an identity test costs a third of hashing it for _SHARED.  One tuple,
# replaced whole, so that another thread never reads one number beside another's grads.
_last_factor: tuple = (None, None)


def _remember_factor(c, local: tuple) -> None:
    global _last_factor
    _last_factor = (c, local)


def mul(self: Value, other) -> Value:
    """= ``Value.__mul__`` (and ``__rmul__``)."""
    a = self.data
    t = type(other)
    if t is Value:
        b = other.data
        if type(a) is float and type(b) is float:  # = ops.mul: a·b, (b, a)
            out = _allocate(Value)
            out.data = a * b
            out.grad = 0.0
            out.label = ""
            if _recording_get():
                out.op = "*"
                out.parents = (self, other)
                out.local_grads = (b, a)
            else:
                out.op = ""
                out.parents = out.local_grads = ()
            return out
    elif (t is float or t is int) and type(a) is float:  # x·c: ∂/∂x = c, shared
        c = other if t is float else float(other)
        out = _allocate(Value)
        out.data = a * c
        out.grad = 0.0
        out.label = ""
        if _recording_get():
            out.op = "*"
            out.parents = (self,)
            last = _last_factor
            if other is last[0]:  # the very number of the last x·c (a loop's constant): its tuple
                out.local_grads = last[1]
            else:
                out.local_grads = local = _shared_get(c) or constant_grad(c)
                _remember_factor(other, local)
        else:
            out.op = ""
            out.parents = out.local_grads = ()
        return out
    return _core_mul(self, other)


def neg(self: Value) -> Value:
    """= ``Value.__neg__``: x·(−1)."""
    a = self.data
    if type(a) is not float:
        return _core_neg(self)
    out = _allocate(Value)
    out.data = a * -1.0
    out.grad = 0.0
    out.label = ""
    if _recording_get():
        out.op = "*"
        out.parents = (self,)
        out.local_grads = _TIMES_MINUS_ONE
    else:
        out.op = ""
        out.parents = out.local_grads = ()
    return out


def sub(self: Value, other) -> Value:
    """= ``Value.__sub__``: a + (−1)·b, or x + (−c)."""
    if type(other) is Value:
        return add(self, neg(other))
    if type(other) is float or type(other) is int:
        return add(self, -float(other))
    return _core_sub(self, other)


def rsub(self: Value, other) -> Value:
    """= ``Value.__rsub__``: c − x = x·(−1) + c."""
    if type(other) is float or type(other) is int:
        return add(neg(self), float(other))
    return _core_rsub(self, other)


def truediv(self: Value, other) -> Value:
    """= ``Value.__truediv__``: ops.div's rule, called, in one call with the node."""
    a = self.data
    if type(other) is Value:
        b = other.data
        if type(a) is float and type(b) is float:
            try:
                out, local = ops.div(a, b)
            except _ARITH_ERRORS:
                return _core_truediv(self, other)  # the core's error
            return make_node(out, (self, other), local, "/")
    elif type(a) is float and (type(other) is float or type(other) is int):
        try:
            out, local = ops.div(a, float(other))
        except _ARITH_ERRORS:
            return _core_truediv(self, other)
        c = local[0]
        return make_node(out, (self,), _shared_get(c) or constant_grad(c), "/")
    return _core_truediv(self, other)


def _unary_twin(name: str, rule_name: str, op: str):
    """= ``Value.<name>`` for a one-operand op: its rule and the node in one call (errors: the core's).

    The rule is looked up in the table at each call, as the core's method does, so a rule that is
    replaced there (a test's wrong tanh, say) is the one both use."""
    core = getattr(Value, name)
    table = vars(ops)

    def method(self: Value) -> Value:
        a = self.data
        if type(a) is not float:
            return core(self)
        try:
            out, local = table[rule_name](a)
        except _ARITH_ERRORS:
            return core(self)  # raises the core's error, naming the op and the operand
        node = _allocate(Value)
        node.data = out
        node.grad = 0.0
        node.label = ""
        if _recording_get():
            node.op = op
            node.parents = (self,)
            node.local_grads = local
        else:
            node.op = ""
            node.parents = node.local_grads = ()
        return node

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"= ``Value.{name}``."
    return method


# The one-operand ops a learner's code calls most (Value method → rule, op)
_UNARY = {"exp": ("exp", "exp"), "log": ("log", "log"), "tanh": ("tanh", "tanh"), "sigmoid": ("sigmoid", "sigmoid"),
          "relu": ("relu", "relu"), "softplus": ("softplus", "softplus"), "sin": ("sin", "sin"), "cos": ("cos", "cos"),
          "__abs__": ("abs_", "abs")}
CORE_METHODS.update({name: getattr(Value, name) for name in _UNARY})

FAST_METHODS = {"__add__": add, "__radd__": add, "__mul__": mul, "__rmul__": mul, "__sub__": sub,
                "__rsub__": rsub, "__neg__": neg, "__truediv__": truediv}
FAST_METHODS.update({name: _unary_twin(name, rule_name, op) for name, (rule_name, op) in _UNARY.items()})
