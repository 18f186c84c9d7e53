"""Optimizers with ``torch.optim``'s update rules, and learning-rate schedules.

``lr`` is a number or a schedule: any callable ``lr(k)`` of the step index
k = 0, 1, 2 ... (e.g. micrograd's ``lambda k: 1.0 - 0.9 * k / 100``,
:class:`StepLR`, :class:`CosineLR`).  Each ``step()`` uses ``lr(k)`` for
the k-th step; ``optimizer.lr`` is the rate the next step will use.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Union

from autograd import Value

from ._checks import checked_int, checked_number, is_number

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "StepLR", "CosineLR"]

LR = Union[float, Callable[[int], float]]


class Optimizer:
    """Holds the parameters, the step count and the learning rate (number or schedule)."""

    def __init__(self, params: Iterable[Value], lr: LR) -> None:
        name = type(self).__name__
        if callable(params) or hasattr(params, "parameters"):  # model.parameters, or the model itself
            raise TypeError(
                f"{name}(params) must be a list of Values, got {type(params).__name__}: "
                "call parameters(), as in model.parameters()"
            )
        try:
            self._params = list(params)
        except TypeError:
            raise TypeError(f"{name}(params) must be a list of Values, got {type(params).__name__}") from None
        if not self._params:
            raise ValueError(f"{name}(params) is empty")
        first: dict[int, int] = {}
        for i, p in enumerate(self._params):
            if not isinstance(p, Value):
                raise TypeError(f"{name}(params)[{i}] must be a Value, got {type(p).__name__}")
            j = first.setdefault(id(p), i)
            if j != i:  # torch warns and updates it twice; a step would count its gradient twice
                raise ValueError(f"{name}(params): params[{i}] is params[{j}]; list each parameter once")
        if not callable(lr):
            checked_number(lr, f"{name}(lr)", 0.0)
        self._lr = lr  # a number, or a schedule: lr(k)
        self.steps = 0

    @property
    def params(self) -> list[Value]:
        """The parameters this optimizer updates.  Read-only: its state (momenta, moments) is per parameter."""
        return self._params

    @params.setter
    def params(self, value) -> None:
        raise AttributeError(
            f"{type(self).__name__}.params is read-only (the optimizer's state is per parameter): "
            f"build a new {type(self).__name__}(params, ...) instead"
        )

    @property
    def schedule(self) -> Callable[[int], float] | None:
        """The lr schedule, or None for a constant rate.  Read-only: assign ``lr`` (a number or a schedule)."""
        return self._lr if callable(self._lr) else None

    @schedule.setter
    def schedule(self, value) -> None:
        raise AttributeError(f"{type(self).__name__}.schedule is read-only: assign lr (a number or a schedule) instead")

    @property
    def lr(self) -> float:
        """The learning rate of the next step; assign a number or a schedule to change it."""
        if not callable(self._lr):
            return float(self._lr)
        lr = self._lr(self.steps)
        if not is_number(lr) or not math.isfinite(lr):
            raise ValueError(f"{type(self).__name__}: the lr schedule gave {lr!r} at step {self.steps}")
        return float(lr)

    @lr.setter
    def lr(self, value: LR) -> None:
        if not callable(value):
            checked_number(value, f"{type(self).__name__}.lr", 0.0)
        self._lr = value

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """One update of every parameter from its gradient; if anything fails, nothing changes."""
        lr = self.lr
        grads = _numbers([p.grad for p in self.params], type(self).__name__, "grad")
        data = _numbers([p.data for p in self.params], type(self).__name__, "data")
        new_data, state = self._update(lr, grads, data)  # computes only: the commit below cannot fail
        for p, d in zip(self.params, new_data):
            p.data = d
        for name, value in state.items():
            setattr(self, name, value)
        self.steps += 1

    def _update(self, lr: float, grads: list[float], data: list[float]) -> tuple[list[float], dict]:
        """(new parameter values, new optimizer state by attribute name), changing nothing."""
        raise NotImplementedError


def _numbers(xs: list, optimizer: str, what: str) -> list[float]:
    """Each of a step's grads (or data) as a float, in place; the check per item costs a type test for a float."""
    for i, x in enumerate(xs):
        if type(x) is not float:
            xs[i] = _number(x, f"{optimizer}.step: params[{i}].{what}")
    return xs


def _number(x, where: str) -> float:
    """A gradient or a parameter's data as a float: after backward(create_graph=True) the grads are Values,
    and torch's optimizers update with the numbers, never building a graph of the update."""
    if isinstance(x, Value):
        x = x.data
    if not is_number(x):
        raise TypeError(f"{where} must be a number, got {type(x).__name__}: {x!r}")
    return float(x)


class SGD(Optimizer):
    """torch.optim.SGD: g ← ∇ + λθ;  b ← μb + (1 − τ)g (b = g at the first step);
    g ← g + μb (Nesterov) or b;  θ ← θ − lr·g."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: LR,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        dampening: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = checked_number(momentum, "SGD(momentum)", 0.0)
        self.weight_decay = checked_number(weight_decay, "SGD(weight_decay)", 0.0)
        self.dampening = checked_number(dampening, "SGD(dampening)", 0.0)
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("SGD(nesterov=True) needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)
        self.buffers: list[float] | None = None

    def _update(self, lr: float, grads: list[float], data: list[float]) -> tuple[list[float], dict]:
        mu, wd, nesterov = self.momentum, self.weight_decay, self.nesterov
        if wd:
            grads = [g + wd * x for g, x in zip(grads, data)]
        if mu == 0.0:
            return [x - lr * g for x, g in zip(data, grads)], {}
        keep = 1.0 - self.dampening
        bufs = list(grads) if self.buffers is None else [mu * b + keep * g for b, g in zip(self.buffers, grads)]
        steps = [g + mu * b for g, b in zip(grads, bufs)] if nesterov else bufs
        return [x - lr * s for x, s in zip(data, steps)], {"buffers": bufs}


class Adam(Optimizer):
    """torch.optim.Adam: m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
    θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε); weight decay adds λθ to g."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: LR = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"{name}(betas) must be a pair of numbers, got {betas!r}")
        self.betas = (checked_number(betas[0], f"{name}(betas[0])", 0.0, 1.0, below_maximum=True),
                      checked_number(betas[1], f"{name}(betas[1])", 0.0, 1.0, below_maximum=True))
        self.eps = checked_number(eps, f"{name}(eps)", 0.0)
        self.weight_decay = checked_number(weight_decay, f"{name}(weight_decay)", 0.0)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    _decoupled = False

    def _update(self, lr: float, grads: list[float], data: list[float]) -> tuple[list[float], dict]:
        b1, b2 = self.betas
        t = self.steps + 1
        step_size = lr / (1.0 - b1**t)
        c2 = math.sqrt(1.0 - b2**t)
        eps, wd = self.eps, self.weight_decay
        m, v, new = list(self.m), list(self.v), list(data)
        for i, g in enumerate(grads):
            if wd:
                if self._decoupled:
                    new[i] *= 1.0 - lr * wd
                else:
                    g = g + wd * new[i]
            mi = m[i] = m[i] + (1.0 - b1) * (g - m[i])  # torch: exp_avg.lerp_(grad, 1 − β₁)
            vi = v[i] = v[i] * b2 + (1.0 - b2) * g * g
            new[i] -= step_size * mi / (math.sqrt(vi) / c2 + eps)
        return new, {"m": m, "v": v}


class AdamW(Adam):
    """torch.optim.AdamW: Adam with decoupled weight decay, θ ← θ(1 − lr·λ) before the Adam step."""

    _decoupled = True

    def __init__(
        self,
        params: Iterable[Value],
        lr: LR = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)


class RMSprop(Optimizer):
    """torch.optim.RMSprop: g ← ∇ + λθ;  v ← αv + (1 − α)g²;  centred: ḡ ← αḡ + (1 − α)g, ṽ = v − ḡ²;
    d = √ṽ + ε;  θ ← θ − lr·g/d, or with momentum b ← μb + g/d, θ ← θ − lr·b (v, ḡ, b start at 0)."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: LR = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        # torch accepts any alpha ≥ 0; past 1 the weight 1 − α of g² is negative and v, then √v, fails
        self.alpha = checked_number(alpha, "RMSprop(alpha)", 0.0, 1.0)
        self.eps = checked_number(eps, "RMSprop(eps)", 0.0)
        self.weight_decay = checked_number(weight_decay, "RMSprop(weight_decay)", 0.0)
        self.momentum = checked_number(momentum, "RMSprop(momentum)", 0.0)
        if not isinstance(centered, bool):
            raise TypeError(f"RMSprop(centered) must be True or False, got {type(centered).__name__}: {centered!r}")
        self.centered = centered
        n = len(self.params)
        self.v = [0.0] * n  # running mean of g²  (torch: square_avg)
        self.g_avg = [0.0] * n  # running mean of g, used when centered  (torch: grad_avg)
        self.buffers = [0.0] * n  # momentum buffers  (torch: momentum_buffer)

    def _update(self, lr: float, grads: list[float], data: list[float]) -> tuple[list[float], dict]:
        alpha, eps, wd, mu, centered = self.alpha, self.eps, self.weight_decay, self.momentum, self.centered
        v, g_avg, bufs, new = list(self.v), list(self.g_avg), list(self.buffers), list(data)
        for i, g in enumerate(grads):
            if wd:
                g = g + wd * new[i]
            vi = v[i] = v[i] * alpha + (1.0 - alpha) * g * g
            if centered:
                gi = g_avg[i] = g_avg[i] + (1.0 - alpha) * (g - g_avg[i])  # torch: grad_avg.lerp_(grad, 1 − α)
                vi = vi - gi * gi
            d = math.sqrt(vi) + eps
            if mu > 0:
                b = bufs[i] = bufs[i] * mu + g / d
                new[i] -= lr * b
            else:
                new[i] -= lr * g / d
        return new, {"v": v, "g_avg": g_avg, "buffers": bufs}


class Adagrad(Optimizer):
    """torch.optim.Adagrad: g ← ∇ + λθ;  s ← s + g² (s starts at initial_accumulator_value);
    θ ← θ − lr/(1 + (t − 1)·lr_decay) · g/(√s + ε) at step t = 1, 2 ..."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: LR = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr)
        self.lr_decay = checked_number(lr_decay, "Adagrad(lr_decay)", 0.0)
        self.weight_decay = checked_number(weight_decay, "Adagrad(weight_decay)", 0.0)
        self.initial_accumulator_value = checked_number(
            initial_accumulator_value, "Adagrad(initial_accumulator_value)", 0.0)
        self.eps = checked_number(eps, "Adagrad(eps)", 0.0)
        self.sums = [self.initial_accumulator_value] * len(self.params)  # Σ g² so far  (torch: state_sum)

    def _update(self, lr: float, grads: list[float], data: list[float]) -> tuple[list[float], dict]:
        wd, eps = self.weight_decay, self.eps
        clr = lr / (1.0 + self.steps * self.lr_decay)
        sums, new = list(self.sums), list(data)
        for i, g in enumerate(grads):
            if wd:
                g = g + wd * new[i]
            s = sums[i] = sums[i] + g * g
            new[i] -= clr * g / (math.sqrt(s) + eps)
        return new, {"sums": sums}


class StepLR:
    """lr(k) = lr₀ · γ^⌊k / step_size⌋  (torch.optim.lr_scheduler.StepLR)."""

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1) -> None:
        self.base = checked_number(lr, "StepLR(lr)", 0.0)
        self.step_size = checked_int(step_size, "StepLR(step_size)", 1)
        self.gamma = checked_number(gamma, "StepLR(gamma)", 0.0)

    def __call__(self, k: int) -> float:
        return self.base * self.gamma ** (k // self.step_size)

    def __repr__(self) -> str:
        return f"StepLR({self.base}, step_size={self.step_size}, gamma={self.gamma})"


class CosineLR:
    """lr(k) = η_min + (lr₀ − η_min)(1 + cos(πk/T))/2  (torch's CosineAnnealingLR, for k ≤ T)."""

    def __init__(self, lr: float, T_max: int, eta_min: float = 0.0) -> None:
        self.base = checked_number(lr, "CosineLR(lr)", 0.0)
        self.T_max = checked_int(T_max, "CosineLR(T_max)", 1)
        self.eta_min = checked_number(eta_min, "CosineLR(eta_min)", 0.0)

    def __call__(self, k: int) -> float:
        return self.eta_min + (self.base - self.eta_min) * (1.0 + math.cos(math.pi * k / self.T_max)) / 2.0

    def __repr__(self) -> str:
        return f"CosineLR({self.base}, T_max={self.T_max}, eta_min={self.eta_min})"
