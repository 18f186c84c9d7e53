"""chainrule's benchmark: one process, engines interleaved, medians and ratios.

    python benchmarks/bench.py [--quick] [--only demo-step,chain,...] [--repeats N]

Workloads (see README, "Benchmarks"):
  demo-step       micrograd's moons training step, written as a micrograd user writes it
  demo-step-fast  the same step written the fastest way chainrule's API offers
  digits-step     MLP(64, [32, 10]), batch of 32, softmax cross-entropy, backward, SGD
  chain           x ← tanh(c·x) repeated: N ops (N/2 multiplies, N/2 tanh), N = 10⁴, 10⁵, 10⁶,
                  beside its floor (floor.py)
  mlp-step        digits-step written as a micrograd user writes it: model(x) per sample, builtin
                  sum, the softmax cross-entropy written out with (v − max).exp(), sum, .log()
  affine-chain    y ← y·1.0001 + 0.0001 repeated: N ops (N/2 multiplies, N/2 adds of a number),
                  N = 10⁶, beside the floor: the same nodes as bare __slots__ objects (floor.py)
  gpt-step        one GPT-from-scalars training step on one name (see gpt.py); × is against
                  the minimal reference-style engine there, not plain floats
  gpt-loop        that minimal engine's own GPT code, unchanged, run on its own Value and on
                  chainrule's Value (with and without the one line ``with gc_paused():``); ×
                  is against its own Value

demo-step and mlp-step also run their floors (floor.py): the same graph as bare
__slots__ nodes, backpropagated in the order it was made (a tape), after one
pass over its edges, or after chainrule's sort.

Engines marked "+ gc_paused" run the same code inside ``with autograd.gc_paused():``, the
one line a user adds to a loop of their own; the others run with the collector on.

Every engine starts from the same weights; the first step's gradients of each
engine are checked against the hand-written plain-float step (to 1e-9) before
anything is timed.  Then, in each repeat, every engine runs once, in an order
that rotates from repeat to repeat; the table shows medians and the ratio to
plain floats measured in the same run.  Times are the process's CPU time
(``time.process_time``), as the machine's cores are shared.  After set-up, ``gc.freeze()`` moves
everything built so far (imported modules, models, data) out of the garbage
collector's way, so the collections a step triggers cost what they would in a
small script; each timed run ends with ``gc.collect()`` (timed), so an engine
that leaves reference cycles behind pays for collecting them.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for p in (HERE, ROOT):  # this checkout's autograd/nn, not another package of that name
    if p in sys.path:
        sys.path.remove(p)
    sys.path.insert(0, p)

import data  # noqa: E402
import floor  # noqa: E402
import gpt  # noqa: E402
import others  # noqa: E402
import ours  # noqa: E402
import plain  # noqa: E402

LR = 0.05
CHAIN_C = 1.5
CHAIN_X0 = 0.3
AFFINE = (1.0001, 0.0001)  # y ← a·y + b


@dataclass
class Engine:
    name: str
    run: Callable[[], tuple]  # one step; returns (loss, flat grads) or (output, grad)
    cap: int = 10**9  # at most this many timed repeats (slow engines)
    note: str = ""
    times: list = field(default_factory=list)


@dataclass
class Workload:
    name: str
    engines: list
    n_ops: int = 0  # for chain: per-op times
    build: Callable | None = None  # for a chain: builds chainrule's graph, for bytes per node
    memory: dict = field(default_factory=dict)  # engine → (bytes/node after build, after backward)
    checks: dict = field(default_factory=dict)  # engine → max |grad − plain grad|


# ---------------------------------------------------------------- workloads
def demo_workloads(fast: bool):
    X, Y = data.moons(100)
    init = data.init_layers([2, 16, 16, 1])

    def engines(ours_run, name):
        layers = data.copy_layers(init)

        def plain_run():
            loss, grads = plain.demo_step(layers, X, Y, LR)
            return loss, plain.flat_grads(grads)

        es = [Engine("plain floats", plain_run), Engine("chainrule", ours_run)]
        if name == "demo-step":
            model2 = ours.make_model(init)
            es.append(Engine("chainrule + gc_paused", paused(lambda: ours.demo_step(model2, X, Y, LR))))
            es += floor_engines(floor.demo_forward, init, X, Y)
        if others.MgValue is not None and name == "demo-step":
            model = others.mg_model(init)
            es.append(Engine("micrograd", lambda: others.mg_demo_step(model, X, Y, LR), cap=2 if fast else 5))
        if others.torch is not None and name == "demo-step":
            torch = others.torch
            tX, tY = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
            es += torch_engines(
                init,
                fast,
                lambda m: others.torch_scalar_demo_step(m, X, Y, LR),
                lambda m: others.torch_batched_demo_step(m, tX, tY, LR),
            )
        return es

    model = ours.make_model(init)
    fmodel = ours.make_model(init)
    return [
        Workload("demo-step", engines(lambda: ours.demo_step(model, X, Y, LR), "demo-step")),
        Workload(
            "demo-step-fast",
            engines(lambda: ours.demo_step_fast(fmodel, X, Y, LR), "demo-step-fast"),
        ),
    ]


def digits_workloads(fast: bool):
    X, Y = data.digits_batch(32)
    init = data.init_layers([64, 32, 10])
    layers = data.copy_layers(init)

    def plain_run():
        loss, grads = plain.digits_step(layers, X, Y, LR)
        return loss, plain.flat_grads(grads)

    model = ours.make_model(init)
    es = [Engine("plain floats", plain_run), Engine("chainrule", lambda: ours.digits_step(model, X, Y, LR))]
    layers2 = data.copy_layers(init)

    def plain_run2():
        loss, grads = plain.digits_step(layers2, X, Y, LR)
        return loss, plain.flat_grads(grads)

    model2, model3 = ours.make_model(init), ours.make_model(init)
    mlp = Workload("mlp-step", [
        Engine("plain floats", plain_run2),
        Engine("chainrule", lambda: ours.mlp_step(model2, X, Y, LR)),
        Engine("chainrule + gc_paused", paused(lambda: ours.mlp_step(model3, X, Y, LR))),
        *floor_engines(floor.mlp_forward, init, X, Y),
    ])
    if others.torch is not None:
        torch = others.torch
        tinputs = [[torch.tensor(v, dtype=torch.float64) for v in x] for x in X]
        tX, tY = torch.tensor(X, dtype=torch.float64), torch.tensor(Y)
        es += torch_engines(
            init,
            fast,
            lambda m: others.torch_scalar_digits_step(m, tinputs, Y, LR),
            lambda m: others.torch_batched_digits_step(m, tX, tY, LR),
        )
    return [Workload("digits-step", es), mlp]


FLOOR_NAMES = {  # floor.ORDERS: how the floor's backward pass gets its order
    "tape": "floor: bare nodes from their tape (no sort)",
    "edges": "floor: bare nodes + one pass over the edges",
    "sort": "floor: bare nodes + chainrule's sort",
}


def floor_engines(forward, init, X, Y) -> list[Engine]:
    """The step's graph as bare nodes (floor.py), one engine per way of ordering it, each on its own weights."""

    def engine(order):
        net = floor.leaves(init)
        return Engine(FLOOR_NAMES[order], lambda: floor.step(forward, net, X, Y, LR, order))

    return [engine(order) for order in floor.ORDERS]


def paused(run):
    """``run`` inside ``with gc_paused():``, the one line a user adds to a loop of their own."""
    from autograd import gc_paused

    def run_paused():
        with gc_paused():
            return run()

    return run_paused


# The chains' floors (floor.py): their nodes kept on a tape for the backward loop, or held by the root alone
FLOOR_TAPE = "floor: bare __slots__ nodes"
FLOOR_ROOT = "floor, no tape"


def affine_workloads(fast: bool):
    n = 10**5 if fast else 10**6
    a, b = AFFINE
    es = [
        Engine("plain floats", lambda: plain.affine_chain(CHAIN_X0, n, a, b)),
        Engine("chainrule", lambda: ours.affine_chain(CHAIN_X0, n, a, b)),
        Engine(FLOOR_TAPE, lambda: floor.affine_chain(CHAIN_X0, n, a, b)),
        Engine(FLOOR_ROOT, lambda: floor.affine_chain(CHAIN_X0, n, a, b, tape=False)),
        Engine("chainrule + gc_paused", paused(lambda: ours.affine_chain(CHAIN_X0, n, a, b))),
        Engine("floor + gc_paused", paused(lambda: floor.affine_chain(CHAIN_X0, n, a, b))),
        Engine(FLOOR_ROOT + " + gc_paused", paused(lambda: floor.affine_chain(CHAIN_X0, n, a, b, tape=False))),
    ]
    w = Workload(f"affine-chain {n:.0e}".replace("e+0", "e"), es, n_ops=n)
    w.build = lambda: ours.affine_chain_graph(CHAIN_X0, n, a, b)
    return [w]


def torch_engines(init, fast: bool, scalar_step, batched_step) -> list[Engine]:
    """PyTorch per-scalar (slow: a few repeats) and batched, each on its own copy of the weights."""
    scalar, batched = others.TorchScalarNet(init), others.TorchBatchedNet(init)
    return [
        Engine("torch per-scalar", lambda: scalar_step(scalar), cap=2 if fast else 5),
        Engine("torch batched", lambda: batched_step(batched)),
    ]


MG_CHAIN_MAX = 10**4  # micrograd's recursive sort: deeper chains risk the C stack
TORCH_CHAIN_MAX = 10**5  # ~10 µs per op: 10⁶ would take minutes


def chain_workloads(fast: bool):
    sizes = [10**4, 10**5] if fast else [10**4, 10**5, 10**6]
    out = []
    for n in sizes:
        es = [
            Engine("plain floats", lambda n=n: plain.chain(CHAIN_X0, n, CHAIN_C)),
            Engine("chainrule", lambda n=n: ours.chain(CHAIN_X0, n, CHAIN_C)),
            Engine(FLOOR_TAPE, lambda n=n: floor.chain(CHAIN_X0, n, CHAIN_C)),
            Engine(FLOOR_ROOT, lambda n=n: floor.chain(CHAIN_X0, n, CHAIN_C, tape=False)),
            Engine("chainrule + gc_paused", paused(lambda n=n: ours.chain(CHAIN_X0, n, CHAIN_C))),
            Engine("floor + gc_paused", paused(lambda n=n: floor.chain(CHAIN_X0, n, CHAIN_C))),
            Engine(FLOOR_ROOT + " + gc_paused", paused(lambda n=n: floor.chain(CHAIN_X0, n, CHAIN_C, tape=False))),
        ]
        if others.MgValue is not None and n <= MG_CHAIN_MAX:
            es.append(
                Engine(
                    "micrograd",
                    lambda n=n: others.mg_chain(CHAIN_X0, n, CHAIN_C),
                    note="relu for tanh",
                )
            )
        if others.torch is not None and n <= TORCH_CHAIN_MAX:
            es.append(
                Engine(
                    "torch per-scalar",
                    lambda n=n: others.torch_scalar_chain(CHAIN_X0, n, CHAIN_C),
                    cap=3,
                )
            )
        out.append(Workload(f"chain {n:.0e}".replace("e+0", "e"), es, n_ops=n))
    return out


def gpt_workloads(fast: bool):
    matrices, doc, n_head, block_size = gpt.setup()
    mini = gpt.MiniStep(matrices, n_head, block_size)
    ours_step = gpt.OursStep(matrices, n_head)
    w = Workload("gpt-step", [
        Engine("minimal Value (reference style)", lambda: mini(doc), cap=3 if fast else 9),
        Engine("chainrule", lambda: ours_step(doc)),
    ])
    mem = gpt.graph_memory(matrices, doc, n_head, block_size)
    w.memory = {k: v[:2] for k, v in mem.items()}
    print("  gpt-step graph: " + ", ".join(f"{k} {v[2]:,} nodes, {v[1] * v[2] / 1e6:.1f} MB" for k, v in mem.items()))
    from autograd import Value

    own = gpt.MiniStep(matrices, n_head, block_size)
    swapped = gpt.MiniStep(matrices, n_head, block_size, value=Value)
    swapped_paused = gpt.MiniStep(matrices, n_head, block_size, value=Value, paused=True)
    cap = 3 if fast else 9
    loop = Workload("gpt-loop", [
        Engine("its own Value", lambda: own(doc), cap=cap),
        Engine("chainrule's Value", lambda: swapped(doc), cap=cap),
        Engine("chainrule's Value + gc_paused", lambda: swapped_paused(doc), cap=cap),
    ])
    return [w, loop]


# ---------------------------------------------------------------- checking, timing, memory
def check(w: Workload) -> None:
    """Run each engine's first step; compare its gradients with plain floats'."""
    ref = None
    for e in w.engines:
        out = e.run()
        grads = out[1] if isinstance(out[1], list) else [out[1]]
        if ref is None:
            ref = grads
            continue
        if "relu" in e.note:
            continue  # not the same computation
        if len(grads) != len(ref):
            raise SystemExit(f"{w.name}: {e.name} returned {len(grads)} gradients, plain {len(ref)}")
        err = max(abs(a - b) for a, b in zip(grads, ref))
        w.checks[e.name] = err
        close = all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(grads, ref))
        if e.name == "chainrule" and not close:
            raise SystemExit(f"{w.name}: chainrule's gradients differ from plain floats' by up to {err:.3g}")


GC_OFF = False  # --gc-off: a diagnostic, to see what automatic collections cost


def timed(run) -> float:
    # CPU time of this process: the 2 cores are shared, and time spent waiting
    # for a core is not the engine's
    if GC_OFF:
        gc.disable()
    t0 = time.process_time()
    run()
    gc.collect()
    t = time.process_time() - t0
    gc.enable()
    return t


def measure_memory(w: Workload) -> None:
    """Bytes per node of the chain's graph (tracemalloc), after building it and after backward."""
    n = w.n_ops

    def per_node(build, backward):
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        graph = build()
        built = tracemalloc.get_traced_memory()[0] - base
        backward(graph)
        after = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        del graph
        gc.collect()
        return built / n, after / n

    def plain_build():
        return plain.chain(CHAIN_X0, n, CHAIN_C)  # keeps its list of n/2 outputs only while it runs

    build = w.build or (lambda: ours.chain_graph(CHAIN_X0, n, CHAIN_C))
    w.memory["chainrule"] = per_node(build, lambda g: g[0].backward())
    if any(e.name == "micrograd" for e in w.engines):
        w.memory["micrograd"] = per_node(
            lambda: others.mg_chain_graph(CHAIN_X0, n, CHAIN_C), lambda g: others.mg_backward(g[0], n)
        )


def run_workload(w: Workload, repeats: int) -> None:
    check(w)
    gc.collect()
    gc.freeze()
    try:
        for r in range(repeats):
            k = r % len(w.engines)
            for e in w.engines[k:] + w.engines[:k]:
                if len(e.times) < e.cap:
                    e.times.append(timed(e.run))
    finally:
        gc.unfreeze()
    if w.n_ops:
        measure_memory(w)


# ---------------------------------------------------------------- report
def report(workloads) -> str:
    lines = [
        "| workload | engine | median | per op | × plain | bytes/node (built → after backward) | runs |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for w in workloads:
        base = statistics.median(w.engines[0].times)
        for e in w.engines:
            med = statistics.median(e.times)
            per_op = f"{med / w.n_ops * 1e9:,.0f} ns" if w.n_ops else ""
            mem = w.memory.get(e.name)
            mem = f"{mem[0]:,.0f} → {mem[1]:,.0f}" if mem else ""
            name = f"{e.name} ({e.note})" if e.note else e.name
            lines.append(f"| {w.name} | {name} | {_ms(med)} | {per_op} | {med / base:,.2f} | {mem} | {len(e.times)} |")
    return "\n".join(lines)


def _ms(t: float) -> str:
    return f"{t * 1e3:,.1f} ms" if t < 10 else f"{t:,.1f} s"


WORKLOADS = {
    "demo-step": demo_workloads,
    "demo-step-fast": demo_workloads,
    "digits-step": digits_workloads,
    "chain": chain_workloads,
    "mlp-step": digits_workloads,
    "affine-chain": affine_workloads,
    "gpt-step": gpt_workloads,
    "gpt-loop": gpt_workloads,
}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, chain up to 10⁵ (under a minute)")
    ap.add_argument("--only", default="", help="comma-separated: " + ",".join(WORKLOADS))
    ap.add_argument("--engines", default="", help="comma-separated engine names to run besides plain floats")
    ap.add_argument("--gc-off", action="store_true", help="diagnostic: no automatic gc during timed runs")
    ap.add_argument("--repeats", type=int, default=0, help="timed runs per engine (default 9, --quick 3)")
    args = ap.parse_args(argv)
    global GC_OFF
    GC_OFF = args.gc_off
    only = [s for s in args.only.split(",") if s] or list(WORKLOADS)
    for s in only:
        if s not in WORKLOADS:
            ap.error(f"--only: unknown workload {s!r} (choose from {', '.join(WORKLOADS)})")
    repeats = args.repeats or (3 if args.quick else 9)

    made, workloads = set(), []
    for s in only:
        if WORKLOADS[s] not in made:
            made.add(WORKLOADS[s])
            workloads += [w for w in WORKLOADS[s](args.quick) if w.name.split()[0] in only]
    if args.engines:
        keep = {"plain floats", "minimal Value (reference style)", "its own Value", *args.engines.split(",")}
        for w in workloads:
            w.engines = [e for e in w.engines if e.name in keep]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; repeats {repeats}", flush=True)
    for w in workloads:
        reps = max(3, (repeats + 1) // 2) if w.n_ops >= 10**6 else repeats  # ~3 s a run
        t0 = time.perf_counter()
        run_workload(w, reps)
        checks = ", ".join(f"{k} {v:.1e}" for k, v in w.checks.items())
        print(f"  {w.name}: {time.perf_counter() - t0:.1f} s; max |grad − plain|: {checks}", flush=True)
    print()
    print(report(workloads))


if __name__ == "__main__":
    main()
