"""The course's exercise checks: ``check(name, answer)`` says right, or not yet with a hint.

::

    from nn.course import check

    dL_dc = ...                     # the student's answer; ``...`` (or None) means not attempted
    check("01.dL_dc", dL_dc)        # prints "✓ right", "✗ not yet: <hint>" or "not attempted yet"

A check never raises: a wrong answer, a function of the student's that
raises, or a rule that fails ``autograd.testing.check_primitive`` is
reported as a hint.  Each exercise is a function in :data:`EXERCISES` that
returns ``None`` when the answer is right, or the hint.  Some checks take
context from the notebook (``check("02.dy_dx", dy_dx, w=w, y=y)``) so the
expected answer is computed, never written into the notebook.

It lives in ``nn`` because the course sits above both packages: its checks
use ``nn`` (models, ``zero_grad``) as well as ``autograd``, and ``autograd``
never imports ``nn``.
"""

from __future__ import annotations

import math
from typing import Any, Callable

__all__ = ["check", "EXERCISES", "RIGHT", "NOT_YET", "NOT_ATTEMPTED"]

RIGHT = "✓ right"
NOT_YET = "✗ not yet: "
NOT_ATTEMPTED = "not attempted yet"

Check = Callable[..., "str | None"]
EXERCISES: dict[str, Check] = {}


def exercise(name: str) -> Callable[[Check], Check]:
    def register(f: Check) -> Check:
        EXERCISES[name] = f
        return f

    return register


def _placeholder(answer: Any) -> bool:
    return answer is ... or answer is None


def check(name: str, answer: Any, **context: Any) -> None:
    """Print whether ``answer`` to exercise ``name`` is right, or a hint."""
    if name not in EXERCISES:
        print(f"{NOT_YET}there is no exercise {name!r}; known: {', '.join(sorted(EXERCISES))}")
        return
    if _placeholder(answer):
        print(f"{name}: {NOT_ATTEMPTED} (replace the ... with your answer and run the cell again)")
        return
    try:
        hint = EXERCISES[name](answer, **context)
    except _Unattempted:
        print(f"{name}: {NOT_ATTEMPTED} (your function still returns ... or None)")
        return
    except Exception as e:  # the student's code raised: say so, never a traceback
        hint = f"your answer raised {type(e).__name__}: {e}"
    print(f"{name}: {RIGHT}" if hint is None else f"{name}: {NOT_YET}{hint}")


class _Unattempted(Exception):
    pass


# ---------------------------------------------------------------- kinds of check
def _number(answer: Any, want: float, hint: str, *, rel: float = 1e-6, abs_: float = 1e-9,
            wrong: dict[float, str] | None = None) -> str | None:
    """A predicted number: right within tolerance; a known wrong value gets its own hint."""
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return f"give a number, not {answer!r}"
    if math.isclose(x, want, rel_tol=rel, abs_tol=abs_):
        return None
    for value, why in (wrong or {}).items():
        if math.isclose(x, value, rel_tol=rel, abs_tol=abs_):
            return why
    return hint


def _call(f: Callable, *args: Any) -> Any:
    out = f(*args)
    if _placeholder(out):
        raise _Unattempted
    return out


def _derivative(f_prime: Any, f: Callable[[float], float], points: list[float], hint: str,
                eps: float = 1e-6, tol: float = 1e-5) -> str | None:
    """A student's derivative, checked at several points against central differences of f."""
    if not callable(f_prime):
        return "give a function of x (def ...(x): return ...)"
    for x in points:
        got = float(_call(f_prime, x))
        want = (f(x + eps) - f(x - eps)) / (2 * eps)
        if not abs(got - want) <= tol * (1 + abs(want)):
            return f"at x = {x:g} yours gives {got:.6g}, the slope is {want:.6g}. {hint}"
    return None


def _array(answer: Any, want: Any, name: str, hints: list[tuple[Any, str]] | None = None) -> str | None:
    """A matrix: its shape first, then its entries; a known mistake gets its own hint."""
    import numpy as np

    got = np.asarray(answer, dtype=float)
    want = np.asarray(want, dtype=float)
    if got.shape != want.shape:
        return f"{name} has shape {got.shape}, it should be {want.shape} (the shape of the parameter it differentiates)"
    if np.allclose(got, want, rtol=1e-9, atol=1e-12):
        return None
    for wrong, why in hints or []:
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=1e-9, atol=1e-12):
            return why
    return f"the shape is right but the entries are not; largest difference {np.max(np.abs(got - want)):.3g}"


def _rule(op: Any, hint: str) -> str | None:
    """A custom_op rule, property-tested with check_primitive; the hint names what is wrong."""
    from autograd import CustomOp
    from autograd.gradcheck import GradcheckError
    from autograd.testing import check_primitive

    if not isinstance(op, CustomOp):
        return "give the op that @custom_op(...) made (the decorated function), not " + repr(op)
    try:
        check_primitive(op, seed=0, max_examples=50)
    except GradcheckError as e:
        return f"{hint} check_primitive found: {e}"
    return None


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# ---------------------------------------------------------------- 01 derivatives and the chain rule
@exercise("01.g_prime")
def _(answer):
    return _derivative(answer, lambda x: math.sin(x) * x**2, [-2.0, -0.3, 0.0, 0.7, 1.9],
                       "g = sin(x)·x² is a product: g' = cos(x)·x² + sin(x)·2x.")


def _chain_numbers():
    a, b, c = 2.0, -1.0, 0.5
    t = math.tanh(a * b + c)
    dv = a * (1 - t * t)  # ∂L/∂v = ∂L/∂t · ∂t/∂v
    return a, b, c, t, dv


@exercise("01.dL_dc")
def _(answer):
    a, b, c, t, dv = _chain_numbers()
    return _number(answer, dv, "multiply the local derivatives along the path L ← t ← v ← c: "
                   "∂L/∂t = a (L = t·a), ∂t/∂v = 1 − t² (tanh), ∂v/∂c = 1 (+ passes the gradient on).",
                   wrong={1 - t * t: "that is ∂t/∂c; L = t·a multiplies it by ∂L/∂t = a = 2.",
                          a: "that is only ∂L/∂t; tanh's local derivative 1 − t² comes next on the path."})


@exercise("01.grad_a_with_equals")
def _(answer):
    a, b, c, t, dv = _chain_numbers()
    full, last = t + dv * b, dv * b
    return _number(answer, last, "with =, a.grad keeps only the path written last (step 6, through u = a·b): "
                   "∂L/∂u · b.",
                   wrong={full: "that is the right gradient, with +=. With =, step 6 overwrites the t that step 2 "
                                "wrote: only ∂L/∂u · b is left.",
                          t: "that is the first path (step 2, L = t·a); step 6, later, overwrites it with =."})


def _naive_backward(node: Any) -> None:
    # notebook 01's wrong backward: push node.grad to each parent and recurse, with no topological order
    for parent, local in zip(node.parents, node.local_grads):
        parent.grad += local * node.grad
        _naive_backward(parent)


@exercise("01.naive_double_count")
def _(answer):
    from autograd import Value, grad

    x = Value(1.0)
    s = x * 3
    L3 = s * s
    right = grad(L3, x)
    L3.grad = 1.0
    _naive_backward(L3)
    first_visit = s.data * 3.0  # what x receives when s is reached the first time
    return _number(answer, x.grad, "L₃ = s·s has two edges to s, each with local derivative s = 3. After the first "
                   "edge s.grad is 3 and the recursion pushes 3·3 to x; after the second edge s.grad is 6, and the "
                   "recursion pushes all of it again, times 3.",
                   wrong={right: "that is the right gradient, the one backward() gives; the naive pass visits s once "
                                 "per edge and pushes s.grad each time, so the first path is counted twice.",
                          first_visit: "that is what x receives on the first visit of s; the second edge visits s "
                                       "again, and pushes what s.grad holds by then."})


@exercise("01.central_evaluations")
def _(answer):
    n = 1000
    return _number(answer, 2 * n, "central differences evaluate f twice per input: at x + h·eᵢ and at x − h·eᵢ.",
                   wrong={n + 1: "that is forward differences, f(x) once and f(x + h·eᵢ) per input; numeric_grad "
                                 "uses central differences, f(x + h·eᵢ) and f(x − h·eᵢ) for each input.",
                          n: "that is forward mode, one jvp per input; numeric_grad needs two evaluations per input.",
                          1: "that is reverse mode (one evaluation, then one backward pass); numeric_grad has no "
                             "graph and must evaluate f around each input."})


# ---------------------------------------------------------------- 02 a neuron
@exercise("02.sigmoid_prime")
def _(answer):
    return _derivative(answer, _sigmoid, [-4.0, -1.0, 0.0, 0.5, 3.0],
                       "σ'(z) = σ(z)·(1 − σ(z)); write σ(z) as 1 / (1 + math.exp(-z)).")


@exercise("02.dy_dx")
def _(answer, *, w, y):
    want = [(1 - y.data**2) * wi.data for wi in w]
    try:
        got = [float(g) for g in answer]
    except TypeError:
        return "give a list of three numbers, [∂y/∂x0, ∂y/∂x1, ∂y/∂x2]"
    if len(got) != 3:
        return f"give three numbers, one per input; you gave {len(got)}"
    if all(math.isclose(g, v, rel_tol=1e-9, abs_tol=1e-12) for g, v in zip(got, want)):
        return None
    return ("z = Σ wᵢ·xᵢ + b, so ∂z/∂xᵢ = wᵢ (multiply swaps: the gradient to xᵢ is scaled by the other "
            "operand); times ∂y/∂z = 1 − y².")


@exercise("02.without_zero_grad")
def _(answer):
    return _number(answer, 2.0, "backward adds into .grad (+=); what was left there from the previous pass?",
                   wrong={1.0: "backward adds (+=) into .grad, and without zero_grad the previous pass's gradient "
                               "is still there: the same gradient is added to itself."})


# ---------------------------------------------------------------- 03 backprop with matrices
def _matrices(seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    m = 5
    return rng.standard_normal((1, m)), rng.standard_normal((3, m)), rng.standard_normal((1, 3)), m


@exercise("03.dW2")
def _(answer):
    delta2, A1, _W2, m = _matrices()
    if not callable(answer):
        return "give a function my_dW2(delta2, A1, m)"
    got = _call(answer, delta2, A1, m)
    return _array(got, delta2 @ A1.T / m, "dW2", [
        (delta2 @ A1.T, "dW2 is ∂J/∂W2 and J is the mean over the m observations: divide the sum δ2·A1ᵀ by m."),
        (A1 @ delta2.T, "that is dW2 transposed: δ2 (1×m) times A1ᵀ (m×3) gives the (1×3) shape of W2."),
    ])


@exercise("03.delta1")
def _(answer):
    import numpy as np

    delta2, A1, W2, m = _matrices(1)
    if not callable(answer):
        return "give a function my_delta1(W2, delta2, A1)"
    got = _call(answer, W2, delta2, A1)
    return _array(got, (W2.T @ delta2) * (1 - A1**2), "δ1", [
        (W2.T @ delta2, "that is ∂ℓ/∂A1 = W2ᵀ·δ2; multiply elementwise by tanh's derivative 1 − A1²."),
        ((W2.T @ delta2) * (1 - np.tanh(A1) ** 2), "A1 is already tanh(Z1): use 1 − A1², not 1 − tanh(A1)²."),
        ((W2.T @ delta2) * (1 - A1**2) / m, "δ1 is each observation's own error, ∂ℓᵢ/∂Z1, one column each: "
                                             "no 1/m (that comes in dW and db, the gradients of the mean J)."),
    ])


@exercise("03.rmse_grad")
def _(answer):
    import numpy as np

    from autograd import Value
    from nn.losses import rmse

    if not callable(answer):
        return "give a function my_rmse_grad(Y_hat, Y)"
    rng = np.random.default_rng(3)
    for m in (4, 7):
        Y_hat, Y = rng.standard_normal((1, m)), rng.standard_normal((1, m))
        predictions = [Value(float(v)) for v in Y_hat[0]]
        rmse(predictions, Y[0].tolist()).backward()
        want = np.array([[p.grad for p in predictions]])
        J = np.sqrt(np.mean((Y_hat - Y) ** 2))
        hint = _array(_call(answer, Y_hat.copy(), Y.copy()), want, "∂J/∂Ŷ", [
            ((Y_hat - Y) / m, "that is the gradient of ½·MSE; the square root multiplies the gradient of "
                              "MSE, 2(ŷᵢ − yᵢ)/m, by 1/(2·RMSE)."),
            ((Y_hat - Y) / J, "that is δ2 = m·∂J/∂Ŷ, what the code uses; the gradient of J itself has 1/m more."),
            ((Y_hat - Y) / (2 * m * J), "d√u/du = 1/(2√u), and du/dŷᵢ = 2(ŷᵢ − yᵢ)/m: the 2s cancel."),
            ((Y_hat - Y) / (m * J**2), "the chain rule through √u gives 1/(2√u) = 1/(2·RMSE), not 1/RMSE²."),
        ])
        if hint is not None:
            return f"on a batch of m = {m}: {hint}"
    return None


@exercise("03.db1_shape")
def _(answer):
    try:
        got = tuple(answer)
    except TypeError:
        return "give a shape, a tuple such as (2, 5)"
    if got == (3, 1):
        return None
    return "a gradient has the shape of its parameter: b1 is one bias per hidden unit, as a column."


# ---------------------------------------------------------------- 04 moons
@exercise("04.n_params")
def _(answer):
    return _number(answer, 41, "each neuron has one weight per input and a bias: 4·(3+1) + 4·(4+1) + 1·(4+1).",
                   wrong={36: "each neuron has a bias too.", 37: "each neuron has a bias too."})


@exercise("04.hinge_grad")
def _(answer):
    if not callable(answer):
        return "give a function hinge_grad(s, y)"
    for s, y in [(0.3, 1), (2.0, 1), (-0.5, 1), (0.3, -1), (-2.0, -1), (1.5, -1)]:
        want = -y if 1 - y * s > 0 else 0.0
        got = float(_call(answer, s, y))
        if not math.isclose(got, want, abs_tol=1e-12):
            return (f"at s = {s}, y = {y:+d} yours gives {got:g}, the slope is {want:g}: inside the margin "
                    "(1 − y·s > 0) the loss is 1 − y·s, whose slope in s is −y; outside it is 0.")
    return None


@exercise("04.train_step")
def _(answer):
    import nn

    if not callable(answer):
        return "give a function train_step(model, x, target, lr)"

    def loss_of(model, x, target):
        return (model(x) - target) ** 2

    def reference(model, x, target, lr):
        model.zero_grad()
        loss_of(model, x, target).backward()
        for p in model.parameters():
            p.data -= lr * p.grad

    theirs, ours = (nn.MLP(2, [3, 1], seed=3) for _ in range(2))
    x, target = [0.5, -1.0], 0.7
    before = [p.data for p in theirs.parameters()]
    for k in range(3):
        _call_step(answer, theirs, x, target, 0.1)
        if k == 0 and [p.data for p in theirs.parameters()] == before and not any(p.grad for p in theirs.parameters()):
            raise _Unattempted  # nothing changed: the step is still ...
        reference(ours, x, target, 0.1)
        if not all(math.isclose(a.data, b.data, rel_tol=1e-9, abs_tol=1e-12)
                   for a, b in zip(theirs.parameters(), ours.parameters())):
            if k == 0:
                return ("after one step the parameters differ: zero the gradients, call loss.backward(), "
                        "then p.data -= lr * p.grad for every parameter.")
            return ("the first step is right, the next is not: gradients accumulate (+=) across backward "
                    "calls; call model.zero_grad() before loss.backward().")
    return None


def _call_step(f, model, x, target, lr):
    f(model, x, target, lr)


# ---------------------------------------------------------------- 05 circles
@exercise("05.bce_grad")
def _(answer):
    if not callable(answer):
        return "give a function bce_grad(p, y)"
    for p, y in [(0.2, 1), (0.9, 1), (0.3, 0), (0.75, 0)]:
        want = -(y / p) + (1 - y) / (1 - p)
        got = float(_call(answer, p, y))
        if not math.isclose(got, want, rel_tol=1e-9):
            return (f"at p = {p}, y = {y} yours gives {got:.6g}, the slope is {want:.6g}: "
                    "ℓ = −[y·log p + (1 − y)·log(1 − p)], and (log p)' = 1/p, (log(1 − p))' = −1/(1 − p).")
    return None


@exercise("05.dloss_dz")
def _(answer):
    if not callable(answer):
        return "give a function dloss_dz(z, y)"
    for z, y in [(2.0, 1), (2.0, 0), (-0.5, 1), (0.0, 0)]:
        want = _sigmoid(z) - y
        got = float(_call(answer, z, y))
        if not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12):
            return (f"at z = {z}, y = {y} yours gives {got:.6g}, the slope is {want:.6g}: multiply the BCE slope "
                    "−y/p + (1 − y)/(1 − p) by σ'(z) = p·(1 − p) and simplify.")
    return None


@exercise("05.relu_grad_at")
def _(answer):
    try:
        got = [float(g) for g in answer]
    except TypeError:
        return "give a list of four numbers, one per z"
    if got == [0.0, 0.0, 1.0, 1.0]:
        return None
    return "ReLU is max(0, z): its slope is 0 where z < 0 and 1 where z > 0."


@exercise("05.layer_backward")
def _(answer):
    import numpy as np

    if not callable(answer):
        return "give a function layer_backward(dZ, A_prev, W) returning (dW, db, dA_prev)"
    rng = np.random.default_rng(5)
    m = 7
    dZ, A_prev, W = rng.standard_normal((3, m)), rng.standard_normal((4, m)), rng.standard_normal((3, 4))
    got = _call(answer, dZ, A_prev, W)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return "return three arrays: dW, db, dA_prev"
    if any(_placeholder(g) for g in got):
        raise _Unattempted
    dW, db, dA_prev = got
    return (_array(dW, dZ @ A_prev.T / m, "dW", [
                (dZ @ A_prev.T, "J is the mean over the m points (columns): divide dZ·A_prevᵀ by m."),
            ])
            or _array(db, dZ.mean(axis=1, keepdims=True), "db", [
                (dZ.sum(axis=1, keepdims=True), "db averages dZ over the points, as dW does: the mean, not the sum."),
            ])
            or _array(dA_prev, W.T @ dZ, "dA_prev", [
                (W.T @ dZ / m, "dA_prev has no 1/m: dZ is per point, and so is dA_prev; only the parameters' "
                               "gradients average over the batch."),
            ]))


# ---------------------------------------------------------------- 06 digits
@exercise("06.softmax_ce_grad")
def _(answer):
    if not callable(answer):
        return "give a function softmax_ce_grad(z, y) returning a list"
    for z, y in [([2.0, -1.0, 0.5, 3.0], 0), ([0.1, 0.2, 0.3], 2)]:
        e = [math.exp(v - max(z)) for v in z]
        p = [v / sum(e) for v in e]
        want = [pk - (k == y) for k, pk in enumerate(p)]
        got = [float(g) for g in _call(answer, z, y)]
        if len(got) != len(want) or not all(math.isclose(g, v, rel_tol=1e-9, abs_tol=1e-12) for g, v in zip(got, want)):
            if len(got) == len(want) and all(math.isclose(g, v, rel_tol=1e-9, abs_tol=1e-12) for g, v in zip(got, p)):
                return "that is the softmax p itself; the true class's entry is p_y − 1."
            return "∂ℓ/∂z_k = p_k − [k = y]: the softmax, minus 1 at the true class."
    return None


@exercise("06.logsumexp_big")
def _(answer):
    return _number(answer, 1000 + math.log(2), "log(e^1000 + e^1000) = 1000 + log(1 + e^0): shift by the max.",
                   rel=1e-9, wrong={math.inf: "that is the naive overflow; shift by the max first.",
                                    1000.0: "close: the two equal terms add log 2."})


@exercise("06.initial_loss")
def _(answer):
    return _number(answer, math.log(10), "an untrained network is about as unsure as it can be: p ≈ 1/10 per class.",
                   rel=1e-3, abs_=1e-3)


@exercise("06.momentum_step")
def _(answer):
    if not callable(answer):
        return "give a function momentum_step(p, b, g, lr, mu) returning (new p, new b)"
    for p, b, g, lr, mu in [(1.0, 0.0, 0.5, 0.1, 0.9), (0.3, 2.0, -1.0, 0.05, 0.9), (-2.0, -0.4, 0.7, 0.2, 0.5)]:
        got = _call(answer, p, b, g, lr, mu)
        try:
            new_p, new_b = (float(x) for x in got)
        except (TypeError, ValueError):
            return "return two numbers: the new parameter and the new buffer"
        want_b = mu * b + g
        want_p = p - lr * want_b
        if math.isclose(new_b, want_b, rel_tol=1e-9, abs_tol=1e-12) and math.isclose(new_p, want_p, rel_tol=1e-9,
                                                                                         abs_tol=1e-12):
            continue
        if math.isclose(new_b, mu * b + (1 - mu) * g, rel_tol=1e-9, abs_tol=1e-12):
            return ("that buffer is a running average, μb + (1 − μ)g (dampening = μ); torch's SGD momentum "
                    "adds the whole gradient: b ← μb + g.")
        if math.isclose(new_p, p - lr * g, rel_tol=1e-9, abs_tol=1e-12):
            return ("that is the plain SGD step; with momentum the step follows the buffer: "
                    "p ← p − lr·b, after b ← μb + g.")
        if math.isclose(new_b, want_b, rel_tol=1e-9, abs_tol=1e-12) and math.isclose(new_p, p - lr * b, rel_tol=1e-9,
                                                                                        abs_tol=1e-12):
            return "update the buffer first, then step with the new buffer: p ← p − lr·(μb + g)."
        return (f"for p = {p}, b = {b}, g = {g}, lr = {lr}, μ = {mu} you give ({new_p:.6g}, {new_b:.6g}); "
                "first b ← μb + g, then p ← p − lr·b.")
    return None


# ---------------------------------------------------------------- 07 gradient checking
@exercise("07.fixed_sigmoid")
def _(answer):
    return _rule(answer, "the sigmoid's derivative is s·(1 − s), with s = σ(a).")


@exercise("07.fixed_times")
def _(answer):
    return _rule(answer, "for out = a·b, ∂out/∂a = b and ∂out/∂b = a: multiply swaps its operands.")


@exercise("07.best_eps")
def _(answer):
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return "give a number such as 1e-3"
    if 1e-7 <= x <= 1e-4:
        return None
    if x > 1e-4:
        return "too big: the truncation error of central differences grows as ε²."
    return "too small: rounding error grows as 1/ε (about 1e-16 / ε)."


@exercise("07.rel_error")
def _(answer):
    a, n = 0.2500, 0.2505
    want = abs(a - n) / max(abs(a), abs(n))
    return _number(answer, want, "|a − n| / max(|a|, |n|): the difference, relative to the larger of the two.",
                   rel=1e-2, wrong={abs(a - n): "that is the absolute difference |a − n|; divide it by max(|a|, |n|).",
                                    n / a: "that is the ratio n / a; the relative error is |a − n| / max(|a|, |n|).",
                                    100 * want: "that is a percentage; give the plain ratio."})


@exercise("07.relu_kink")
def _(answer):
    return _number(answer, 0.5, "relu(ε) = ε and relu(−ε) = 0: the chord from −ε to ε rises by ε over 2ε.",
                   wrong={0.0: "that is the engine's convention for relu′(0); central differences take the chord "
                               "from −ε to +ε, which sees both sides of the kink.",
                          1.0: "that is the slope on the right of 0 only; the central difference also sees the "
                               "flat left side."})


@exercise("07.sigmoid_max_slope")
def _(answer):
    return _number(answer, 0.25, "σ′ = s·(1 − s) with s = σ(z) between 0 and 1: where is s·(1 − s) largest?",
                   wrong={1.0: "that is tanh's largest slope (at 0); the sigmoid is flatter: σ′ = s·(1 − s).",
                          0.5: "that is σ(0) itself; its slope there is σ(0)·(1 − σ(0))."})


# ---------------------------------------------------------------- 08 higher order
@exercise("08.sigmoid_second")
def _(answer):
    return _derivative(answer, lambda x: _sigmoid(x) * (1 - _sigmoid(x)), [-3.0, -0.5, 0.0, 0.8, 2.5],
                       "differentiate σ' = s·(1 − s) once more with s' = s·(1 − s): the product rule gives "
                       "s·(1 − s)·(1 − 2s).")


@exercise("08.hessian")
def _(answer):
    return _array(answer, [[4.0, 2.0], [2.0, 0.0]], "H", [
        ([[2.0, 2.0], [2.0, 0.0]], "∂²f/∂x² = 2y, at y = 2."),
        ([[4.0, 2.0], [2.0, 1.0]], "f is linear in y: ∂²f/∂y² = 0."),
    ])


@exercise("08.newton_steps_quadratic")
def _(answer):
    return _number(answer, 1, "Newton minimises the quadratic model of f; for a quadratic f the model is f itself.")


# ---------------------------------------------------------------- 09 a GPT from scalars
@exercise("09.initial_loss")
def _(answer, *, vocab_size):
    return _number(answer, math.log(vocab_size), f"an untrained model gives each of the {vocab_size} tokens about "
                   "the same probability; the loss is −log of it.", rel=0.05)


@exercise("09.keys_at")
def _(answer):
    return _number(answer, 6, "causal attention sees the positions up to and including its own: 0, 1, …, 5.",
                   wrong={5: "its own position counts too.", 16: "it is causal: no position after its own."})


@exercise("09.weights_sum")
def _(answer):
    return _number(answer, 1, "the weights are a softmax over the keys.")


# ---------------------------------------------------------------- 00 build your own engine
# The student's class follows micrograd's protocol: Value(data), .data, .grad (0.0 to start), and
# each op sets out._backward, a function that adds out.grad times the local derivative into the
# parents' .grad.  The checks call one op's _backward by hand, then the student's whole backward
# on random expression graphs drawn by autograd.testing, replayed on the student's class.
def _op_check(cls: Any, op: str) -> str | None:
    if not isinstance(cls, type):
        return "give your class, Value"
    cases_by_op: dict[str, list[tuple[tuple[float, ...], Callable[..., Any], tuple[float, ...]]]] = {
        "add": [((2.0, -3.0), lambda a, b: a + b, (1.0, 1.0)), ((1.5,), lambda a: a + a, (2.0,))],
        "mul": [((2.0, -3.0), lambda a, b: a * b, (-3.0, 2.0)), ((1.5,), lambda a: a * a, (3.0,))],
        "tanh": [((0.5,), lambda a: a.tanh(), (1 - math.tanh(0.5) ** 2,))],
    }
    cases = cases_by_op[op]
    for data, f, want in cases:
        xs = [cls(x) for x in data]
        out = f(*xs)
        if _placeholder(out):
            raise _Unattempted
        forward: dict[str, Callable[[Any], float]] = {"add": sum, "mul": math.prod, "tanh": lambda d: math.tanh(d[0])}
        want_out = forward[op](
            [data[0], data[0]] if len(data) == 1 and op != "tanh" else data)
        if not math.isclose(float(out.data), want_out, rel_tol=1e-12, abs_tol=1e-12):
            return f"the forward is wrong: {op} of {list(data)} gives {out.data!r}, it should be {want_out!r}"
        out.grad = 1.0
        out._backward()
        got = tuple(x.grad for x in xs)
        if not all(math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-12) for g, w in zip(got, want)):
            shared = len(data) == 1 and op != "tanh"
            if shared and math.isclose(got[0], want[0] / 2, rel_tol=1e-9):
                return (f"on a {'+' if op == 'add' else '*'} a (one node used twice) a.grad is {got[0]!r}, "
                        f"it should be {want[0]!r}: add into .grad with +=, never =, so that both uses count.")
            rule = {"add": "∂(a + b)/∂a = 1 and ∂(a + b)/∂b = 1",
                    "mul": "∂(a·b)/∂a = b and ∂(a·b)/∂b = a: multiply swaps",
                    "tanh": "∂tanh(a)/∂a = 1 − tanh(a)²: use out.data"}[op]
            return (f"after out._backward() with out.grad = 1 the parents' grads are {list(got)}, "
                    f"they should be {list(want)}: {rule}, times out.grad.")
    return None


for _name in ("add", "mul", "tanh"):
    EXERCISES[f"00.{_name}"] = lambda answer, _op=_name: _op_check(answer, _op)


@exercise("00.backward")
def _(answer):
    """The student's engine against chainrule on random graphs of add, mul and tanh, shrunk by hypothesis."""
    import functools
    import operator

    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as seeded

    from autograd import grad
    from autograd.testing import expressions

    if not isinstance(answer, type):
        return "give your class, Value"
    for op in ("add", "mul", "tanh"):
        hint = _op_check(answer, op)  # raises _Unattempted while an op is still ...
        if hint is not None:
            return f"first {op} (above): {hint}"
    a, b = answer(2.0), answer(-3.0)
    out = a * b + a
    out.backward()
    if out.grad == 0:
        raise _Unattempted
    ops = {"add": operator.add, "mul": operator.mul, "tanh": lambda v: v.tanh(),
           "sum": lambda vs: functools.reduce(operator.add, vs)}
    failing: list = []

    @seeded(0)
    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(expressions(3, ops=["add", "mul", "tanh"], max_ops=8))
    def agrees_with_chainrule(expr):
        xs = [answer(x.data) for x in expr.inputs]
        out = expr(*xs, ops=ops)
        out.backward()
        want = grad(expr.value, list(expr.inputs))
        got = [x.grad for x in xs]
        if not all(math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-9) for g, w in zip(got, want)):
            failing.append((expr, got, want))
            raise AssertionError

    try:
        agrees_with_chainrule()
    except AssertionError:
        expr, got, want = failing[-1]  # hypothesis replays the shrunk example last
        return (f"on this graph (shrunk by hypothesis)\n{expr!r}\nyour grads are {got}, chainrule's {want}. "
                "backward must visit each node once, after every node that uses it (a topological order, "
                "then reversed), set the output's grad to 1.0, and call each node's _backward.")
    return None
