"""The gpt-step workload: one training step of the GPT from scalars on one name.

Two engines run the same step (forward over the name's positions, backward,
Adam with β₁ = 0.85, β₂ = 0.99, ε = 1e-8):

- ``MiniValue``: a minimal scalar engine in the style of the best-known
  GPT-from-scalars code (four slots, operators only), and the model written
  the way that code writes it, with builtin ``sum`` and comprehensions: every
  multiply and every add is its own node.  Written for this benchmark.
- chainrule's ``nn.GPT``: one ``dot`` node per row of a matrix product, fused
  log-sum-exp, the cyclic GC paused.
"""

from __future__ import annotations

import math
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

BETAS = (0.85, 0.99)
EPS = 1e-8
LR = 0.01


# ---------------------------------------------------------------- the minimal engine
class MiniValue:
    """A number, its gradient, its children and ∂self/∂child for each."""

    __slots__ = ("data", "grad", "children", "local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0.0
        self.children = children
        self.local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, MiniValue) else MiniValue(other)
        return MiniValue(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, MiniValue) else MiniValue(other)
        return MiniValue(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, k):
        return MiniValue(self.data**k, (self,), (k * self.data ** (k - 1),))

    def log(self):
        return MiniValue(math.log(self.data), (self,), (1.0 / self.data,))

    def exp(self):
        e = math.exp(self.data)
        return MiniValue(e, (self,), (e,))

    def relu(self):
        return MiniValue(max(0.0, self.data), (self,), (float(self.data > 0),))

    def __neg__(self):
        return self * -1.0

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # depth-first, children before the node; a stack, not recursion
            v, done = stack.pop()
            if done:
                order.append(v)
            elif v not in seen:
                seen.add(v)
                stack.append((v, True))
                stack.extend((c, False) for c in v.children)
        self.grad = 1.0
        for v in reversed(order):
            for child, local in zip(v.children, v.local_grads):
                child.grad += local * v.grad


# ---------------------------------------------------------------- the model, written as that code writes it
def mini_model(matrices: dict, value=MiniValue) -> dict:
    """The weights as ``value`` leaves: the rest of the code only uses their operators, so any
    scalar engine's Value class runs it unchanged (the gpt-loop workload passes chainrule's)."""
    return {name: [[value(x) for x in row] for row in W] for name, W in matrices.items()}


def mini_linear(x, w):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def mini_softmax(logits):
    top = max(v.data for v in logits)
    exps = [(v - top).exp() for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def mini_rmsnorm(x):
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def mini_gpt(sd, n_layer, n_head, token, pos, keys, values):
    x = [t + p for t, p in zip(sd["wte"][token], sd["wpe"][pos])]
    x = mini_rmsnorm(x)
    hd = len(x) // n_head
    for li in range(n_layer):
        res = x
        x = mini_rmsnorm(x)
        q = mini_linear(x, sd[f"layer{li}.attn_wq"])
        k = mini_linear(x, sd[f"layer{li}.attn_wk"])
        v = mini_linear(x, sd[f"layer{li}.attn_wv"])
        keys[li].append(k)
        values[li].append(v)
        joined = []
        for h in range(n_head):
            s = slice(h * hd, (h + 1) * hd)
            q_h = q[s]
            k_h = [kt[s] for kt in keys[li]]
            v_h = [vt[s] for vt in values[li]]
            scores = [sum(q_h[j] * kt[j] for j in range(hd)) / hd**0.5 for kt in k_h]
            a = mini_softmax(scores)
            joined.extend(sum(a[t] * v_h[t][j] for t in range(len(v_h))) for j in range(hd))
        x = mini_linear(joined, sd[f"layer{li}.attn_wo"])
        x = [p + r for p, r in zip(x, res)]
        res = x
        x = mini_rmsnorm(x)
        x = [h.relu() for h in mini_linear(x, sd[f"layer{li}.mlp_fc1"])]
        x = mini_linear(x, sd[f"layer{li}.mlp_fc2"])
        x = [p + r for p, r in zip(x, res)]
    return mini_linear(x, sd["lm_head"])


def mini_loss(sd, n_layer, n_head, block_size, tokens):
    n = min(block_size, len(tokens) - 1)
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = []
    for pos in range(n):
        probs = mini_softmax(mini_gpt(sd, n_layer, n_head, tokens[pos], pos, keys, values))
        losses.append(-probs[tokens[pos + 1]].log())
    return (1 / n) * sum(losses)


class MiniStep:
    """One training step of the minimal engine: loss, backward, Adam (the reference's update), zero grads.

    ``value=autograd.Value`` runs the same code on chainrule's Value (the gpt-loop workload);
    ``paused=True`` wraps the step in ``with gc_paused():``, the one line a user adds.
    """

    def __init__(self, matrices, n_head, block_size, steps=1000, value=MiniValue, paused=False):
        self.sd = mini_model(matrices, value)
        self.n_layer = sum(1 for k in matrices if k.endswith(".attn_wq"))
        self.n_head, self.block_size, self.steps = n_head, block_size, steps
        self.params = [p for W in self.sd.values() for row in W for p in row]
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0
        self.paused = paused

    def __call__(self, tokens):
        if self.paused:  # the one line a user adds to a loop of their own
            from autograd import gc_paused

            with gc_paused():
                return self.step(tokens)
        return self.step(tokens)

    def step(self, tokens):
        loss = mini_loss(self.sd, self.n_layer, self.n_head, self.block_size, tokens)
        loss.backward()
        grads = [p.grad for p in self.params]
        b1, b2 = BETAS
        lr = LR * (1 - self.t / self.steps)
        self.t += 1
        for i, p in enumerate(self.params):
            self.m[i] = b1 * self.m[i] + (1 - b1) * p.grad
            self.v[i] = b2 * self.v[i] + (1 - b2) * p.grad**2
            m_hat = self.m[i] / (1 - b1**self.t)
            v_hat = self.v[i] / (1 - b2**self.t)
            p.data -= lr * m_hat / (v_hat**0.5 + EPS)
            p.grad = 0.0
        return loss.data, grads


# ---------------------------------------------------------------- chainrule's step
class OursStep:
    """One training step of nn.GPT: loss, backward, nn.Adam, zero grads (GC paused, as train_gpt)."""

    def __init__(self, matrices, n_head, steps=1000):
        from autograd import gc_paused
        from nn.gpt import GPT, linear_decay
        from nn.optim import Adam

        self.model = GPT.from_matrices(matrices, n_head)
        self.params = [p for W in self.model._matrix_table().values() for row in W for p in row]
        self.opt = Adam(self.model.parameters(), lr=linear_decay(LR, steps), betas=BETAS, eps=EPS)
        self.paused = gc_paused

    def __call__(self, tokens):
        with self.paused():
            loss = self.model.loss(tokens)
            loss.backward()
            grads = [p.grad for p in self.params]
            self.opt.step()
            for p in self.params:
                p.grad = 0.0
            value = loss.data
            del loss  # freed by reference counting before the pause's young collection: nothing left to scan
        return value, grads


def setup(seed: int = 42):
    """(matrices of a fresh default GPT, a tokenized name, n_head, block_size)."""
    from nn.gpt import GPT
    from nn.text import CharTokenizer, load_names

    names = load_names()
    tok = CharTokenizer(names)
    docs = names[:]
    random.Random(seed).shuffle(docs)
    doc = next(d for d in docs if len(d) == 6)  # a typical name: 7 positions
    model = GPT(tok.vocab_size, seed=seed)
    return model.matrices(), tok.document(doc), model.n_head, model.block_size


def graph_memory(matrices, doc, n_head, block_size) -> dict:
    """engine → (bytes per node of one step's graph after building it, after backward), by tracemalloc."""
    import gc
    import tracemalloc

    from autograd import topological_order

    def per_node(build, count, backward):
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        loss = build()
        built = tracemalloc.get_traced_memory()[0] - base
        backward(loss)
        after = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        n = count(loss)
        return built / n, after / n, n

    def mini_count(root):
        seen, stack = set(), [root]
        while stack:
            v = stack.pop()
            if v not in seen:
                seen.add(v)
                stack.extend(v.children)
        return len(seen)

    mini = MiniStep(matrices, n_head, block_size)
    ours = OursStep(matrices, n_head)
    return {
        "minimal Value (reference style)": per_node(
            lambda: mini_loss(mini.sd, mini.n_layer, n_head, block_size, doc), mini_count, lambda v: v.backward()
        ),
        "chainrule": per_node(lambda: ours.model.loss(doc), lambda v: len(topological_order(v)),
                              lambda v: v.backward()),
    }
