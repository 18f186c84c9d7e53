"""Where a step's time goes: chainrule's forward, sort and backward loop beside plain floats.

    python benchmarks/breakdown.py [demo-step|demo-step-fast|mlp-step|digits-step|gpt-loop|chain|affine-chain]
                                   [--repeats N]

Each part is timed on its own (CPU time, median of the repeats, parts
interleaved in every repeat), with the same set-up as bench.py, and with the
cyclic collector off.  The graph built by the forward pass is freed outside
its timing, and timed apart.  The last line is what the collector adds when
it is on, as in a loop written by hand: the time its collections take
during one forward and backward (``gc.callbacks``), and how many there were
of each generation.  gpt-loop's reference is the minimal engine's own
``Value`` running the same code, not plain floats.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

import bench  # noqa: F401  (puts this checkout first on sys.path)
import data
import floor
import ours
import plain

from autograd.fast.sort import backward_order as _backward_order
from autograd.fast.sort import computed_order as _interior_order


def parts(workload: str) -> tuple[dict, object]:
    if workload == "chain":
        n = 10**5

        def build():
            return ours.chain_graph(bench.CHAIN_X0, n, bench.CHAIN_C)[0]

        return {"plain step": lambda: plain.chain(bench.CHAIN_X0, n, bench.CHAIN_C)}, build
    if workload == "affine-chain":
        n, (a, b) = 10**5, bench.AFFINE

        def build():
            return ours.affine_chain_graph(bench.CHAIN_X0, n, a, b)[0]

        return {
            "plain step": lambda: plain.affine_chain(bench.CHAIN_X0, n, a, b),
            "floor: bare nodes + backward loop": lambda: floor.affine_chain(bench.CHAIN_X0, n, a, b),
        }, build
    if workload == "gpt-loop":
        import gpt

        from autograd import Value

        matrices, doc, n_head, block_size = gpt.setup()
        own = gpt.MiniStep(matrices, n_head, block_size)
        swapped = gpt.MiniStep(matrices, n_head, block_size, value=Value)

        def own_forward():
            return gpt.mini_loss(own.sd, own.n_layer, n_head, block_size, doc)

        def own_step():
            own_forward().backward()  # its own sort and loop (its grads are never read here)

        return {"its own Value: forward only": own_forward, "its own Value: forward + backward": own_step}, (
            lambda: gpt.mini_loss(swapped.sd, swapped.n_layer, n_head, block_size, doc)
        )
    if workload in ("digits-step", "mlp-step"):
        X, Y = data.digits_batch(32)
        init = data.init_layers([64, 32, 10])
        fwd = ours.digits_forward if workload == "digits-step" else ours.mlp_forward
    else:
        X, Y = data.moons(100)
        init = data.init_layers([2, 16, 16, 1])
        fwd = ours.demo_forward_fast if workload == "demo-step-fast" else ours.demo_forward
    model = ours.make_model(init)
    layers = data.copy_layers(init)
    step = plain.digits_step if workload in ("digits-step", "mlp-step") else plain.demo_step
    return {
        "plain forward only": lambda: [plain._forward(layers, x) for x in X],
        "plain step": lambda: step(layers, X, Y, 0.0),
    }, lambda: fwd(model, X, Y)


WORKLOADS = ["demo-step", "demo-step-fast", "mlp-step", "digits-step", "gpt-loop", "chain", "affine-chain"]


def collections(build) -> tuple[float, dict]:
    """The collector on: (seconds its collections took during build() and backward, count per generation)."""
    spent, started, counts = [0.0], [0.0], {0: 0, 1: 0, 2: 0}

    def watch(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]
            counts[info["generation"]] += 1

    gc.callbacks.append(watch)
    try:
        build().backward()
    finally:
        gc.callbacks.remove(watch)
    return spent[0], counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workload", nargs="?", default="demo-step-fast", choices=WORKLOADS)
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    reference, build = parts(args.workload)
    root = build()
    timings = {
        "chainrule forward (build the graph)": build,
        "chainrule sort (_backward_order)": lambda: _backward_order(root),
        "chainrule backward()": root.backward,  # sort + loop; for a chain, one walk down (fast/sort.py)
        **reference,
    }
    gc.collect()
    gc.freeze()
    times: dict = {k: [] for k in timings}
    times["chainrule teardown (free the graph)"] = []
    spent, counts = [], []
    for _ in range(args.repeats):
        for k, f in timings.items():
            gc.collect()
            gc.disable()
            t0 = time.process_time()
            out = f()
            t1 = time.process_time()
            del out
            times[k].append(t1 - t0)
            if f is build:
                times["chainrule teardown (free the graph)"].append(time.process_time() - t1)
            gc.enable()
        gc.collect()
        t, c = collections(build)
        spent.append(t)
        counts.append(c)
    root.backward()
    order = _interior_order(root)  # leaves the grads as they are
    edges = sum(len(n.parents) for n in order)
    skipped = sum(len(n.parents) for n in order if n.grad == 0.0)
    print(f"{args.workload}: {len(order):,} interior nodes, {edges:,} edges ({skipped:,} skipped: grad 0)")
    for k, v in times.items():
        print(f"  {k:38s} {statistics.median(v) * 1e3:8.2f} ms")
    per_gen = ", ".join(f"gen {g}: {statistics.median(c[g] for c in counts):g}" for g in (0, 1, 2))
    print(f"  {'collector on: its collections':38s} {statistics.median(spent) * 1e3:8.2f} ms ({per_gen})")


if __name__ == "__main__":
    main()
