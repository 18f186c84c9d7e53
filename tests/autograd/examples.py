"""Graphs that several test modules draw and step through."""

from autograd import Value


def lecture():
    """L = (a*b + c) * f, with the numbers of the classic first lecture; returns L and its nodes by name."""
    a, b, c, f = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L, dict(a=a, b=b, c=c, f=f, e=e, d=d, L=L)
