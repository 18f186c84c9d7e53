"""A GPT from scalars: embeddings, RMSNorm, causal attention with a KV cache, a feed-forward block.

The model of the well-known GPT-from-scalars example, block by block::

    x = RMSNorm(wte[token] + wpe[pos])
    for each layer:
        x = x + Wo · Attention(RMSNorm(x))           (causal, n_head heads)
        x = x + W₂ · relu(W₁ · RMSNorm(x))          (W₁ is 4·n_embd × n_embd)
    logits = lm_head · x

It reads one position at a time: each attention layer appends that
position's key and value (lists of live Values) to a :class:`KVCache`, and
the next positions attend over them, so the gradient of a later loss flows
back through the cache.  Every matrix is out × in and ``W · x`` is
``[dot(W[o], x) for each row o]``: one fused ``dot`` node per row.
A parameter's label is its matrix's name and place, ``layer0.attn_wq.3.7``
(row 3, column 7), so a drawing can group nodes by module.
"""

from __future__ import annotations

import json
import math
import os
import random
from typing import TYPE_CHECKING, Iterator, Sequence

import autograd
from autograd import Value, dot, gc_paused, logsumexp, no_grad

from . import io
from .io import ModelFileError
from .module import Module
from .optim import Adam

if TYPE_CHECKING:
    from autograd.draw import Drawing  # graphviz is imported only when drawing

__all__ = [
    "Embedding",
    "Linear",
    "RMSNorm",
    "KVCache",
    "CausalSelfAttention",
    "FeedForward",
    "GPT",
    "train_gpt",
    "plot_attention",
]

INIT_STD = 0.08  # weights ~ N(0, 0.08²), as the reference draws them
RMS_EPS = 1e-5


def _size(n, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name} must be an int, got {type(n).__name__}: {n!r}")
    if n < 1:
        raise ValueError(f"{name} must be at least 1, got {n}")
    return n


def _matrix(n_out: int, n_in: int, rng: random.Random, name: str) -> list[list[Value]]:
    return [[Value(rng.gauss(0.0, INIT_STD), f"{name}.{o}.{j}") for j in range(n_in)] for o in range(n_out)]


def _named(name: str, W: list[list[Value]]) -> Iterator[tuple[str, Value]]:
    for o, row in enumerate(W):
        for j, w in enumerate(row):
            yield f"{name}.{o}.{j}", w


# ---------------------------------------------------------------- blocks
class Embedding(Module):
    """A table of ``num`` vectors of size ``dim``: ``emb(i)`` is row i (a list of parameters)."""

    def __init__(self, num: int, dim: int, *, rng: random.Random | None = None, name: str = "weight") -> None:
        self.num, self.dim, self.name = _size(num, "Embedding(num)"), _size(dim, "Embedding(dim)"), name
        self.weight = _matrix(num, dim, rng or random.Random(), name)

    def __call__(self, i: int) -> list[Value]:
        if isinstance(i, bool) or not isinstance(i, int):
            raise TypeError(f"{self.name}: an index must be an int, got {type(i).__name__}: {i!r}")
        if not 0 <= i < self.num:
            raise ValueError(f"{self.name}: index {i} is out of range (0 … {self.num - 1})")
        return self.weight[i]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        return _named(self.name, self.weight)

    def __repr__(self) -> str:
        return f"Embedding({self.num}, {self.dim})"


class Linear(Module):
    """y = W·x without a bias: ``[Σⱼ W[o][j]·x[j] for each row o]``, one ``dot`` node per row."""

    def __init__(self, n_in: int, n_out: int, *, rng: random.Random | None = None, name: str = "weight") -> None:
        self.n_in, self.n_out, self.name = _size(n_in, "Linear(n_in)"), _size(n_out, "Linear(n_out)"), name
        self.weight = _matrix(n_out, n_in, rng or random.Random(), name)

    def __call__(self, x: Sequence[Value]) -> list[Value]:
        if len(x) != self.n_in:
            raise ValueError(f"{self.name}: expected {self.n_in} inputs, got {len(x)}")
        return [dot(row, x) for row in self.weight]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        return _named(self.name, self.weight)

    def __repr__(self) -> str:
        return f"Linear({self.n_in} → {self.n_out}, no bias)"


class RMSNorm(Module):
    """xᵢ / √(mean(x²) + ε), with no learned gain (ε = 1e-5)."""

    def __init__(self, eps: float = RMS_EPS) -> None:
        self.eps = float(eps)

    def __call__(self, x: Sequence[Value]) -> list[Value]:
        ms = dot(x, x) * (1.0 / len(x))  # one node for Σ xᵢ²
        scale = (ms + self.eps) ** -0.5
        return [xi * scale for xi in x]

    def __repr__(self) -> str:
        return "RMSNorm()"


class KVCache:
    """The keys and values of the positions seen so far, per layer: lists of live Values.

    They are the very nodes the earlier positions computed, so a later
    position's loss reaches the earlier positions' weights through them.
    """

    def __init__(self, n_layer: int) -> None:
        self.keys: list[list[list[Value]]] = [[] for _ in range(n_layer)]
        self.values: list[list[list[Value]]] = [[] for _ in range(n_layer)]

    def __len__(self) -> int:
        return len(self.keys[0]) if self.keys else 0


def softmax(logits: Sequence[Value]) -> list[Value]:
    """e^zᵢ / Σⱼ e^zⱼ as e^(zᵢ − logsumexp z): no overflow for any finite z."""
    minus_lse = logsumexp(logits) * -1.0  # one node, shared by every weight
    return [(z + minus_lse).exp() for z in logits]


class CausalSelfAttention(Module):
    """Multi-head self-attention over the cached positions, one new position at a time.

    For each head h (the slice of size d = n_embd / n_head):
    aₜ = softmax_t(q·kₜ / √d) over the cached positions t ≤ now, out = Σₜ aₜ·vₜ;
    the heads are joined and mapped by Wo.
    """

    def __init__(self, n_embd: int, n_head: int, *, rng: random.Random | None = None, prefix: str = "") -> None:
        self.n_embd, self.n_head = _size(n_embd, "n_embd"), _size(n_head, "n_head")
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be a multiple of n_head ({n_head})")
        self.head_dim, self.prefix = n_embd // n_head, prefix
        rng = rng or random.Random()
        self.wq, self.wk, self.wv, self.wo = (
            Linear(n_embd, n_embd, rng=rng, name=f"{prefix}attn_{w}") for w in ("wq", "wk", "wv", "wo")
        )

    def __call__(self, x: Sequence[Value], keys: list, values: list, weights: list | None = None,
                 trace: list | None = None) -> list[Value]:
        """The output at this position; appends its key and value to ``keys``/``values`` (one layer's cache).

        ``weights``, if a list, receives each head's attention weights (floats);
        ``trace``, if a list, (name, outputs) of each head and of Wo (for drawing).
        """
        q, k, v = self.wq(x), self.wk(x), self.wv(x)
        keys.append(k)
        values.append(v)
        d, scale = self.head_dim, 1.0 / math.sqrt(self.head_dim)
        out = []
        for h in range(self.n_head):
            s = slice(h * d, (h + 1) * d)
            q_h = q[s]
            a = softmax([dot(q_h, k_t[s]) * scale for k_t in keys])
            if weights is not None:
                weights.append([w.data for w in a])
            v_h = [v_t[s] for v_t in values]
            out += [dot(a, [v_t[j] for v_t in v_h]) for j in range(d)]
            if trace is not None:
                trace.append((f"{self.prefix}head{h}", out[s]))
        y = self.wo(out)
        if trace is not None:
            trace.append((f"{self.prefix}attn_wo", y))
        return y

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for lin in (self.wq, self.wk, self.wv, self.wo):
            yield from lin.named_parameters()

    def __repr__(self) -> str:
        return f"CausalSelfAttention(n_embd={self.n_embd}, n_head={self.n_head})"


class FeedForward(Module):
    """W₂ · relu(W₁ · x), 4× wider inside, no biases."""

    def __init__(self, n_embd: int, *, rng: random.Random | None = None, prefix: str = "") -> None:
        rng = rng or random.Random()
        self.fc1 = Linear(n_embd, 4 * n_embd, rng=rng, name=f"{prefix}mlp_fc1")
        self.fc2 = Linear(4 * n_embd, n_embd, rng=rng, name=f"{prefix}mlp_fc2")

    def __call__(self, x: Sequence[Value]) -> list[Value]:
        return self.fc2([h.relu() for h in self.fc1(x)])

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        yield from self.fc1.named_parameters()
        yield from self.fc2.named_parameters()

    def __repr__(self) -> str:
        return f"FeedForward({self.fc1.n_in} → {self.fc1.n_out} → {self.fc2.n_out})"


class Block(Module):
    """x + attn(RMSNorm(x)), then x + mlp(RMSNorm(x))."""

    def __init__(self, n_embd: int, n_head: int, *, rng: random.Random, index: int) -> None:
        self.index = index
        self.norm1, self.norm2 = RMSNorm(), RMSNorm()
        self.attn = CausalSelfAttention(n_embd, n_head, rng=rng, prefix=f"layer{index}.")
        self.mlp = FeedForward(n_embd, rng=rng, prefix=f"layer{index}.")

    def __call__(self, x, cache: KVCache, weights: list | None = None, trace: list | None = None) -> list[Value]:
        i = self.index

        def note(name: str, vs: list[Value]) -> list[Value]:
            if trace is not None:
                trace.append((f"layer{i}.{name}", vs))
            return vs

        a = self.attn(note("norm1", self.norm1(x)), cache.keys[i], cache.values[i], weights, trace)
        x = note("residual1", [xi + ai for xi, ai in zip(x, a)])
        m = note("mlp", self.mlp(note("norm2", self.norm2(x))))
        return note("residual2", [xi + mi for xi, mi in zip(x, m)])

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        yield from self.attn.named_parameters()
        yield from self.mlp.named_parameters()


# ---------------------------------------------------------------- the model
def _layer_names(i: int) -> list[str]:
    return [f"layer{i}.{n}" for n in ("attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2")]


class GPT(Module):
    """A character-level GPT: ``GPT(vocab_size, n_embd=16, n_head=4, n_layer=1, block_size=16, seed=...)``.

    The default is the 4,192-parameter model of the GPT-from-scalars example
    for 27 tokens.  Weights ~ N(0, 0.08²) from ``random.Random(seed)``, drawn
    matrix by matrix in the order of :meth:`matrices`.
    """

    def __init__(
        self,
        vocab_size: int,
        n_embd: int = 16,
        n_head: int = 4,
        n_layer: int = 1,
        block_size: int = 16,
        *,
        seed: int | None = None,
    ) -> None:
        self.vocab_size = _size(vocab_size, "GPT(vocab_size)")
        self.n_embd = _size(n_embd, "GPT(n_embd)")
        self.n_head = _size(n_head, "GPT(n_head)")
        self.n_layer = _size(n_layer, "GPT(n_layer)")
        self.block_size = _size(block_size, "GPT(block_size)")
        if n_embd % n_head:
            raise ValueError(f"GPT: n_embd ({n_embd}) must be a multiple of n_head ({n_head})")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"GPT(seed) must be an int or None, got {type(seed).__name__}")
        self.seed = seed
        rng = random.Random(seed)
        # the reference's order of draws: wte, wpe, lm_head, then each layer
        self.wte = Embedding(vocab_size, n_embd, rng=rng, name="wte")
        self.wpe = Embedding(block_size, n_embd, rng=rng, name="wpe")
        self.lm_head = Linear(n_embd, vocab_size, rng=rng, name="lm_head")
        self.norm = RMSNorm()
        self.layers = [Block(n_embd, n_head, rng=rng, index=i) for i in range(n_layer)]

    # ------------------------------------------------------------ forward
    def forward(self, token: int, pos: int, cache: KVCache, weights: list | None = None,
                trace: list | None = None) -> list[Value]:
        """The logits of the next token after ``token`` at position ``pos``; extends ``cache``.

        ``trace``, if a list, receives (module name, its outputs) in the order they run: what
        :meth:`position_graph` names the boxes of a drawing by.
        """
        if isinstance(pos, bool) or not isinstance(pos, int) or not 0 <= pos < self.block_size:
            raise ValueError(f"GPT: position {pos!r} is out of range (0 … {self.block_size - 1})")
        x = [t + p for t, p in zip(self._token(token), self.wpe(pos))]
        if trace is not None:
            trace.append(("embedding", x))
        x = self.norm(x)
        if trace is not None:
            trace.append(("norm", x))
        for block in self.layers:
            x = block(x, cache, weights, trace)
        logits = self.lm_head(x)
        if trace is not None:
            trace.append(("lm_head", logits))
        return logits

    __call__ = forward

    def _token(self, token) -> list[Value]:
        if isinstance(token, bool) or not isinstance(token, int) or not 0 <= token < self.vocab_size:
            raise ValueError(f"GPT: token id {token!r} is not in the vocabulary (0 … {self.vocab_size - 1})")
        return self.wte.weight[token]

    def _check_tokens(self, tokens) -> list[int]:
        if isinstance(tokens, (str, bytes)) or not hasattr(tokens, "__len__"):
            raise TypeError(f"GPT.loss: expected a list of token ids, got {type(tokens).__name__}: {tokens!r}")
        tokens = list(tokens)
        if len(tokens) < 2:
            raise ValueError(f"GPT.loss: a document needs at least 2 tokens ([BOS, BOS] at least), got {tokens!r}")
        for i, t in enumerate(tokens):
            if isinstance(t, bool) or not isinstance(t, int) or not 0 <= t < self.vocab_size:
                raise ValueError(
                    f"GPT.loss: tokens[{i}] = {t!r} is not a token id of this model (0 … {self.vocab_size - 1})"
                )
        return tokens

    def loss(self, tokens: Sequence[int]) -> Value:
        """Mean over positions of −log softmax(logits)[next token], as one Value.

        ``tokens`` is one document, ``[BOS, …, BOS]``.  A document longer than
        the block is cut, as the reference does: only its first ``block_size``
        positions are predicted (n = min(block_size, len(tokens) − 1)).
        """
        tokens = self._check_tokens(tokens)
        n = min(self.block_size, len(tokens) - 1)
        cache = KVCache(self.n_layer)
        losses = []
        for pos in range(n):
            logits = self.forward(tokens[pos], pos, cache)
            # −log softmax(z)[y] = logsumexp(z) − z_y: stable for any finite logits
            losses.append(logsumexp(logits) - logits[tokens[pos + 1]])
        return autograd.sum(losses) * (1.0 / n)

    def position_graph(self, tokens: Sequence[int], pos: int) -> tuple[Value, dict[Value, str]]:
        """The loss at position ``pos`` (−log softmax(logits)[tokens[pos + 1]]), and node → module name.

        The names are the boxes of :meth:`draw_position`: ``embedding``,
        ``norm``, per layer ``layer0.norm1``, ``layer0.head0`` … (the head's
        weights, rows h·d … (h+1)·d of wq, wk and wv, under it as
        ``layer0.head0.wq`` …), ``layer0.attn_wo``, ``layer0.residual1``,
        ``layer0.norm2``, ``layer0.mlp``, ``layer0.residual2``, ``lm_head``;
        what the earlier positions computed is ``positions 0–{pos−1}``, but
        for their keys and values, which belong to their head.  The loss's
        last two nodes have no name.  For ``draw_dot(loss, groups=names)``.
        """
        tokens = self._check_tokens(tokens)
        if isinstance(pos, bool) or not isinstance(pos, int) or not 0 <= pos < min(self.block_size, len(tokens) - 1):
            raise ValueError(f"GPT.position_graph: position {pos!r} has no next token to predict "
                             f"(0 … {min(self.block_size, len(tokens) - 1) - 1} for these {len(tokens)} tokens)")
        d = self.n_embd // self.n_head
        names: dict[Value, str] = {}
        for name, p in self.named_parameters():  # a weight belongs to its module wherever it is read
            matrix, row_index = name.rsplit(".", 2)[:2]
            if matrix in ("wte", "wpe"):
                names[p] = "embedding"
            elif "attn_w" in matrix and not matrix.endswith("wo"):
                layer, w = matrix.split(".attn_")
                names[p] = f"{layer}.head{int(row_index) // d}.{w}"
            else:
                names[p] = matrix.rsplit("_", 1)[0] if ".mlp_" in matrix else matrix
        cache = KVCache(self.n_layer)
        for t in range(pos):
            self.forward(tokens[t], t, cache)
        earlier = f"positions 0–{pos - 1}" if pos > 1 else "position 0"
        _claim([v for kv in cache.keys + cache.values for row in kv for v in row], earlier, names)
        for i in range(self.n_layer):  # but the keys and values in the cache are their heads'
            for h in range(self.n_head):
                for kv in (cache.keys[i], cache.values[i]):
                    for row in kv:
                        for v in row[h * d:(h + 1) * d]:
                            names[v] = f"layer{i}.head{h}"
        trace: list = []
        logits = self.forward(tokens[pos], pos, cache, trace=trace)
        for name, outputs in trace:
            _claim(outputs, name, names)
        return logsumexp(logits) - logits[tokens[pos + 1]], names

    def draw_position(self, tokens: Sequence[int], pos: int, *, expand_head: int | None = 0, layer: int = 0,
                      **options) -> Drawing:
        """One position's loss drawn by module: a box per embedding, norm, head, Wo, residual, MLP, lm_head.

        ``expand_head`` (of ``layer``) is drawn node by node: its queries,
        keys and values, the scores q·kₜ/√d, the softmax and the weighted sum
        of the values, its weights three boxes (wq, wk, wv rows); None draws
        every head as a box.  ``options`` go to :func:`autograd.draw_dot`
        (the defaults: top to bottom, which fits a notebook best, and no grads: a
        forward graph has none yet).
        """
        if expand_head is not None and not (isinstance(expand_head, int) and 0 <= expand_head < self.n_head):
            raise ValueError(f"GPT.draw_position(expand_head): expected a head 0 … {self.n_head - 1} or None, "
                             f"got {expand_head!r}")
        if not (isinstance(layer, int) and 0 <= layer < self.n_layer):
            raise ValueError(f"GPT.draw_position(layer): expected 0 … {self.n_layer - 1}, got {layer!r}")
        loss, names = self.position_graph(tokens, pos)
        options.setdefault("show_grad", False)
        options.setdefault("rankdir", "TB")
        expand = () if expand_head is None else (f"layer{layer}.head{expand_head}",)
        return autograd.draw_dot(loss, groups=names, expand=expand, **options)

    def attention(self, tokens: Sequence[int]) -> list[list[list[list[float]]]]:
        """Attention weights ``[layer][head][position][earlier position]`` over ``tokens`` (no graph)."""
        tokens = list(tokens)[: self.block_size]
        for t in tokens:
            self._token(t)
        cache = KVCache(self.n_layer)
        out: list[list[list[list[float]]]] = [[[] for _ in range(self.n_head)] for _ in range(self.n_layer)]
        with no_grad():
            for pos, t in enumerate(tokens):
                weights: list = []
                self.forward(t, pos, cache, weights)
                for k, w in enumerate(weights):  # layer-major: n_head entries per layer
                    out[k // self.n_head][k % self.n_head].append(w)
        return out

    def sample(self, bos: int, *, temperature: float = 1.0, seed: int | None = None,
               rng: random.Random | None = None) -> list[int]:
        """Token ids drawn one at a time from softmax(logits / temperature), starting after ``bos``.

        Stops at the end token (``bos``, not returned) or after ``block_size`` tokens.
        Same seed, same sample.
        """
        self._token(bos)
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not temperature > 0:
            raise ValueError(f"GPT.sample(temperature) must be a number > 0, got {temperature!r}")
        rng = rng or random.Random(seed)
        cache = KVCache(self.n_layer)
        out, token = [], bos
        ids = range(self.vocab_size)
        with no_grad():
            for pos in range(self.block_size):
                z = [v.data / temperature for v in self.forward(token, pos, cache)]
                c = max(z)
                token = rng.choices(ids, weights=[math.exp(zi - c) for zi in z])[0]
                if token == bos:
                    break
                out.append(token)
        return out

    # ------------------------------------------------------------ parameters
    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        yield from self.wte.named_parameters()
        yield from self.wpe.named_parameters()
        yield from self.lm_head.named_parameters()
        for block in self.layers:
            yield from block.named_parameters()

    def _matrix_table(self) -> dict[str, list[list[Value]]]:
        d = {"wte": self.wte.weight, "wpe": self.wpe.weight, "lm_head": self.lm_head.weight}
        for b in self.layers:
            for name, lin in zip(_layer_names(b.index), (b.attn.wq, b.attn.wk, b.attn.wv, b.attn.wo,
                                                        b.mlp.fc1, b.mlp.fc2)):
                d[name] = lin.weight
        return d

    def matrices(self, grads: bool = False) -> dict[str, list[list[float]]]:
        """name → rows of floats (``.data``, or ``.grad`` with ``grads=True``), each matrix out × in."""
        attr = "grad" if grads else "data"
        return {name: [[getattr(w, attr) for w in row] for row in W] for name, W in self._matrix_table().items()}

    def shapes(self) -> dict[str, tuple[int, int]]:
        return {name: (len(W), len(W[0])) for name, W in self._matrix_table().items()}

    @classmethod
    def from_matrices(cls, d: dict, n_head: int) -> GPT:
        """A GPT with the weights in ``d`` (names and shapes as :meth:`matrices`); the sizes follow from the shapes.

        Missing, unexpected or misshapen matrices and non-finite numbers raise
        ValueError naming the matrix (``ModelFileError`` is one).
        """
        if not isinstance(d, dict):
            raise TypeError(f"GPT.from_matrices: expected a dict of name → rows, got {type(d).__name__}")
        for name in ("wte", "wpe", "lm_head"):
            if name not in d:
                raise ValueError(f"GPT.from_matrices: matrix {name!r} is missing")
        vocab, n_embd = _shape(d["wte"], "wte")
        block_size, _ = _shape(d["wpe"], "wpe")
        layers = sorted({k.split(".")[0] for k in d if k.startswith("layer")})
        n_layer = len(layers)
        if n_layer == 0:
            raise ValueError("GPT.from_matrices: no layers (expected layer0.attn_wq …)")
        expected = {"wte": (vocab, n_embd), "wpe": (block_size, n_embd), "lm_head": (vocab, n_embd)}
        for i in range(n_layer):
            q, k, v, o, fc1, fc2 = _layer_names(i)
            expected.update({q: (n_embd, n_embd), k: (n_embd, n_embd), v: (n_embd, n_embd), o: (n_embd, n_embd),
                             fc1: (4 * n_embd, n_embd), fc2: (n_embd, 4 * n_embd)})
        for name in d:
            if name not in expected:
                raise ValueError(f"GPT.from_matrices: unexpected matrix {name!r} (expected {', '.join(expected)})")
        checked = {}
        for name, shape in expected.items():
            if name not in d:
                raise ValueError(f"GPT.from_matrices: matrix {name!r} is missing")
            got = _shape(d[name], name)
            if got != shape:
                raise ValueError(f"GPT.from_matrices: matrix {name!r} is {got[0]} × {got[1]}, expected "
                                 f"{shape[0]} × {shape[1]}")
            checked[name] = _floats(d[name], name)
        _size(n_head, "GPT.from_matrices(n_head)")
        model = cls(vocab, n_embd, n_head, n_layer, block_size, seed=0)
        for name, W in model._matrix_table().items():
            for row, src in zip(W, checked[name]):
                for w, x in zip(row, src):
                    w.data = x
        return model

    def architecture(self) -> dict:
        return {"type": "GPT", "vocab_size": self.vocab_size, "n_embd": self.n_embd, "n_head": self.n_head,
                "n_layer": self.n_layer, "block_size": self.block_size}

    def __repr__(self) -> str:
        return (f"GPT(vocab_size={self.vocab_size}, n_embd={self.n_embd}, n_head={self.n_head}, "
                f"n_layer={self.n_layer}, block_size={self.block_size})  # {self.num_parameters()} parameters")

    # ------------------------------------------------------------ files
    def save(self, path, *, chars: str | None = None) -> None:
        """Write the architecture and matrices as JSON, atomically (``chars``: a tokenizer's, to keep with it)."""
        save_gpt(self, path, chars=chars)

    @classmethod
    def load(cls, path) -> GPT:
        """A GPT read from a file written by :meth:`save`; ``ModelFileError`` for anything else."""
        return load_gpt(path)[0]


def _claim(outputs: Sequence[Value], name: str, names: dict[Value, str]) -> None:
    """Name every node under ``outputs`` that has no name yet (what the module made: its inputs have one)."""
    stack = [v for v in outputs if v not in names]
    while stack:
        v = stack.pop()
        if v in names:
            continue
        names[v] = name
        stack.extend(p for p in v.parents if p not in names)


def _shape(W, name: str) -> tuple[int, int]:
    if not isinstance(W, (list, tuple)) or not W or not all(isinstance(r, (list, tuple)) for r in W):
        raise ValueError(f"GPT.from_matrices: matrix {name!r} must be a non-empty list of rows")
    n = len(W[0])
    for o, row in enumerate(W):
        if len(row) != n:
            raise ValueError(f"GPT.from_matrices: matrix {name!r}: row {o} has {len(row)} numbers, row 0 has {n}")
    if n == 0:
        raise ValueError(f"GPT.from_matrices: matrix {name!r} has empty rows")
    return len(W), n


def _floats(W, name: str) -> list[list[float]]:
    out = []
    for o, row in enumerate(W):
        r = []
        for j, x in enumerate(row):
            if isinstance(x, bool) or not isinstance(x, (int, float)):
                raise ValueError(f"GPT.from_matrices: {name}[{o}][{j}] must be a number, got {type(x).__name__}")
            try:
                x = float(x)
            except OverflowError:
                x = math.inf
            if not math.isfinite(x):
                raise ValueError(f"GPT.from_matrices: {name}[{o}][{j}] is not finite ({x!r})")
            r.append(x)
        out.append(r)
    return out


# ---------------------------------------------------------------- files
FORMAT = "chainrule.nn.gpt"
VERSION = 1
_MAX_SIZE = 4096  # no size of a file's architecture may exceed this: a tiny file cannot ask for a huge model


def save_gpt(model: GPT, path, *, chars: str | None = None) -> None:
    """JSON ``{format, version, architecture, chars, matrices}``, written to a temp file and renamed over ``path``."""
    if not isinstance(path, (str, os.PathLike)) or isinstance(os.fspath(path), bytes):
        raise TypeError(f"GPT.save(path) must be a str or os.PathLike, got {type(path).__name__}")
    if chars is not None and (not isinstance(chars, str) or len(chars) + 1 != model.vocab_size):
        raise ValueError(f"GPT.save(chars) must be a str of vocab_size − 1 = {model.vocab_size - 1} characters")
    doc = {"format": FORMAT, "version": VERSION, "architecture": model.architecture(), "chars": chars,
           "matrices": model.matrices()}
    text = json.dumps(doc, allow_nan=False)  # ValueError for a non-finite weight: nothing is written
    io.write_atomic(os.fspath(path), lambda f: f.write(text.encode("utf-8")), where="GPT.save")


def load_gpt(path) -> tuple[GPT, str | None]:
    """(model, chars) from a file written by :func:`save_gpt`; ModelFileError for a bad file."""
    where = f"GPT model file {os.fspath(path)!r}"
    doc = io.read_document(path, fmt=FORMAT, version=VERSION, where=where, kind="chainrule GPT file")
    arch = doc.get("architecture")
    keys = ("vocab_size", "n_embd", "n_head", "n_layer", "block_size")
    if not isinstance(arch, dict) or arch.get("type") != "GPT" or any(
        isinstance(arch.get(k), bool) or not isinstance(arch.get(k), int) or not 1 <= arch[k] <= _MAX_SIZE
        for k in keys
    ):
        raise ModelFileError(f"{where}: the architecture must be a GPT with sizes 1 … {_MAX_SIZE}, got {arch!r}")
    chars = doc.get("chars")
    if chars is not None and (not isinstance(chars, str) or len(chars) + 1 != arch["vocab_size"]):
        raise ModelFileError(f"{where}: chars must be a str of vocab_size − 1 characters, got {chars!r}")
    mats = doc.get("matrices")
    if not isinstance(mats, dict):
        raise ModelFileError(f"{where} has no matrices")
    # shapes before building: a tiny file must not make us build a huge model to reject it
    v, e, b = arch["vocab_size"], arch["n_embd"], arch["block_size"]
    expected = {"wte": (v, e), "wpe": (b, e), "lm_head": (v, e)}
    for i in range(arch["n_layer"]):
        for name, shape in zip(_layer_names(i), [(e, e)] * 4 + [(4 * e, e), (e, 4 * e)]):
            expected[name] = shape
    if set(mats) != set(expected):
        missing, extra = sorted(set(expected) - set(mats)), sorted(set(mats) - set(expected))
        raise ModelFileError(f"{where}: matrices do not match its architecture (missing {missing}, unexpected {extra})")
    try:
        for name, shape in expected.items():
            if _shape(mats[name], name) != shape:
                raise ValueError(f"matrix {name!r} is {_shape(mats[name], name)}, its architecture says {shape}")
        model = GPT.from_matrices(mats, arch["n_head"])
    except (ValueError, TypeError) as err:
        raise ModelFileError(f"{where}: {err}") from None
    return model, chars


# ---------------------------------------------------------------- training
def linear_decay(lr: float, steps: int):
    """lr(k) = lr · (1 − k / steps): from lr down to 0 over the run."""
    return lambda k: lr * (1.0 - k / steps)


def train_gpt(
    model: GPT,
    documents: Sequence[Sequence[int]],
    steps: int = 1000,
    *,
    lr: float = 0.01,
    betas: tuple[float, float] = (0.85, 0.99),
    eps: float = 1e-8,
    progress: bool = True,
    optimizer: Adam | None = None,
) -> dict[str, list[float]]:
    """Train on one document per step (documents[k % len], in the given order); returns {"loss": [...]}.

    Adam (β₁ = 0.85, β₂ = 0.99, ε = 1e-8) with lr decaying linearly to 0
    over ``steps``, as the reference.  Each step runs inside ``gc_paused()``
    (the graphs hold no cycles; one young-generation collection after each step).  Shuffle ``documents`` with a
    seeded ``random.Random`` first to get the reference's order of names.
    """
    steps = _size(steps, "train_gpt(steps)")
    if not documents:
        raise ValueError("train_gpt(documents) is empty")
    params = model.parameters()
    opt = optimizer or Adam(params, lr=linear_decay(lr, steps), betas=betas, eps=eps)
    history: dict[str, list[float]] = {"loss": []}
    bar = None
    if progress and os.environ.get("TQDM_DISABLE", "").strip().lower() in ("", "0", "false", "no"):
        from tqdm.auto import tqdm

        bar = tqdm(total=steps, unit="step", desc="train_gpt", disable=False)
    try:
        for k in range(steps):
            with gc_paused():
                loss = model.loss(documents[k % len(documents)])
                loss.backward()
                opt.step()
                for p in params:
                    p.grad = 0.0
                history["loss"].append(loss.data)
                del loss  # freed by reference counting before the young collection: nothing left to scan
            if bar is not None:
                bar.set_postfix(loss=f"{history['loss'][-1]:.4f}", refresh=False)
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return history


# ---------------------------------------------------------------- pictures
def plot_attention(model: GPT, tokens: Sequence[int], labels: Sequence[str] | None = None, *, layer: int = 0,
                   path=None):
    """Heatmaps of each head's attention weights over ``tokens`` (rows: position, columns: earlier positions).

    ``labels`` names the tokens on the axes (e.g. ``["<bos>", "e", "m", …]``).
    Returns the matplotlib figure; with ``path`` it is also saved there.
    """
    from matplotlib.figure import Figure  # no pyplot: no global state, works headless

    weights = model.attention(tokens)[layer]
    n = len(weights[0])
    labels = list(labels)[:n] if labels is not None else [str(t) for t in tokens][:n]
    fig = Figure(figsize=(2.6 * model.n_head + 0.8, 2.8))
    axes = fig.subplots(1, model.n_head, squeeze=False)
    for h, ax in enumerate(axes[0]):
        grid = [[row[t] if t < len(row) else float("nan") for t in range(n)] for row in weights[h]]
        im = ax.imshow(grid, vmin=0.0, vmax=1.0, cmap="viridis")
        ax.set_title(f"layer {layer}, head {h}", fontsize=9)
        ax.set_xticks(range(n), labels, fontsize=7)
        ax.set_yticks(range(n), labels, fontsize=7)
        ax.set_xlabel("attends to", fontsize=8)
        if h == 0:
            ax.set_ylabel("position", fontsize=8)
    fig.colorbar(im, ax=list(axes[0]), shrink=0.8)
    if path is not None:
        fig.savefig(path, dpi=100, bbox_inches="tight", format="png")
    return fig
