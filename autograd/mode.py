"""Grad mode and the float guard: per thread (and per asyncio task), as PyTorch's grad mode.

``no_grad`` in one thread leaves every other thread recording.
"""

from __future__ import annotations

import contextvars
import functools
import inspect

__all__ = ["no_grad", "enable_grad", "is_grad_enabled", "FloatOfValue"]

# Grad mode, per thread (and per asyncio task), as PyTorch's: no_grad in one thread leaves the others recording.
_recording = contextvars.ContextVar("chainrule_grad_enabled", default=True)
# True while a rule runs on Values for higher order (autograd/higher.py), where float() of a Value
# would turn part of the graph into a number: a derivative silently lost.  Per thread, as grad mode.
_rule_on_values = contextvars.ContextVar("chainrule_rule_on_values", default=False)


class FloatOfValue(TypeError):
    """``float()`` of a Value inside a rule running on Values (write ``m.data(a)``, ``m.exp(a)``)."""


def is_grad_enabled() -> bool:
    """Whether ops record the graph in this thread (False inside ``no_grad``)."""
    return _recording.get()


class _GradMode:
    _enabled: bool

    def __new__(cls, fn=None):
        return super().__new__(cls) if fn is None else cls()(fn)  # @no_grad without parentheses

    def __init__(self, fn=None) -> None:
        self._tokens: list = []

    def __enter__(self) -> None:
        self._tokens.append(_recording.set(self._enabled))

    def __exit__(self, *exc) -> None:
        _recording.reset(self._tokens.pop())

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
    """``with no_grad():`` ops inside record no graph (results are leaves); also a decorator.

    Nestable, restored on exit even when the block raises; per thread, as PyTorch's.
    """

    _enabled = False


class enable_grad(_GradMode):
    """``with enable_grad():`` turns recording back on inside ``no_grad``."""

    _enabled = True
