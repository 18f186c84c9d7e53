"""``python -m nn.demo --dataset names``: train the GPT from scalars on names, print samples, write pictures.

Writes into the output directory ``model.json`` (reload with ``nn.GPT.load``),
``loss.png`` (the loss of each step and its running mean) and
``attention.png`` (each head's attention weights over one name).
"""

from __future__ import annotations

import os
import random
import time

from .gpt import GPT, plot_attention, train_gpt
from .io import write_atomic
from .text import CharTokenizer, load_names

DEFAULT_STEPS = 200  # about 6 s; --full trains the reference's 1,000 steps (about 30 s)
FULL_STEPS = 1000


def running_mean(xs: list[float], k: int = 50) -> list[float]:
    out, total = [], 0.0
    for i, x in enumerate(xs):
        total += x - (xs[i - k] if i >= k else 0.0)
        out.append(total / min(i + 1, k))
    return out


def plot_loss(losses: list[float], path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.4), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(range(1, len(losses) + 1), losses, lw=0.6, alpha=0.4, label="one name per step")
    ax.plot(range(1, len(losses) + 1), running_mean(losses), lw=1.6, label="running mean (50 steps)")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy")
    ax.set_title("GPT from scalars on names")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="png")


def run(out: str, steps: int, seed: int = 42, samples: int = 10, temperature: float = 0.5) -> list[str]:
    """Train, print samples, write the files; returns the paths written."""
    names = load_names()
    tok = CharTokenizer(names)
    docs = names[:]
    random.Random(seed).shuffle(docs)
    model = GPT(tok.vocab_size, seed=seed)
    print(f"names: {len(names)} names, {tok.vocab_size} tokens; {model}")
    t = time.perf_counter()
    history = train_gpt(model, [tok.document(d) for d in docs], steps)
    losses = history["loss"]
    print(f"trained {steps} steps in {time.perf_counter() - t:.1f} s; loss {losses[0]:.3f} → "
          f"{running_mean(losses)[-1]:.3f} (mean of the last {min(50, steps)})")
    print("samples (temperature 0.5):")
    for s in range(samples):
        print("  " + tok.decode(model.sample(tok.bos, temperature=temperature, seed=seed + s)))
    written = [os.path.join(out, "model.json"), os.path.join(out, "loss.png"), os.path.join(out, "attention.png")]
    model.save(written[0], chars=tok.chars)
    write_atomic(written[1], lambda f: plot_loss(losses, f), where="nn.demo")
    name = docs[0]
    write_atomic(written[2], lambda f: plot_attention(model, [tok.bos, *tok.encode(name)], ["<bos>", *name], path=f),
                 where="nn.demo")
    return written
