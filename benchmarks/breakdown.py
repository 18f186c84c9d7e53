"""Where a step's time goes: chainrule's forward, sort and backward loop beside plain floats.

    python benchmarks/breakdown.py [demo-step-fast|digits-step|chain|affine-chain] [--repeats N]

Each part is timed on its own (CPU time, median of the repeats, parts
interleaved in every repeat), with the same set-up as bench.py.  The graph
built by the forward pass is freed outside its timing, and timed apart.
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
    if workload == "digits-step":
        X, Y = data.digits_batch(32)
        init = data.init_layers([64, 32, 10])
        fwd = ours.digits_forward
    else:
        X, Y = data.moons(100)
        init = data.init_layers([2, 16, 16, 1])
        fwd = ours.demo_forward_fast
    model = ours.make_model(init)
    layers = data.copy_layers(init)
    step = plain.digits_step if workload == "digits-step" else plain.demo_step
    return {
        "plain forward only": lambda: [plain._forward(layers, x) for x in X],
        "plain step": lambda: step(layers, X, Y, 0.0),
    }, lambda: fwd(model, X, Y)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workload", nargs="?", default="demo-step-fast", choices=["demo-step-fast", "digits-step", "chain",
                                                                      "affine-chain"])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    reference, build = parts(args.workload)
    root = build()
    timings = {
        "chainrule forward (build the graph)": build,
        "chainrule sort (_backward_order)": lambda: _backward_order(root),
        "chainrule backward (sort + loop)": root.backward,
        **reference,
    }
    gc.collect()
    gc.freeze()
    times: dict = {k: [] for k in timings}
    times["chainrule teardown (free the graph)"] = []
    for _ in range(args.repeats):
        for k, f in timings.items():
            gc.collect()
            t0 = time.process_time()
            out = f()
            t1 = time.process_time()
            del out
            times[k].append(t1 - t0)
            if f is build:
                times["chainrule teardown (free the graph)"].append(time.process_time() - t1)
    root.backward()
    order = _interior_order(root)  # leaves the grads as they are
    edges = sum(len(n.parents) for n in order)
    skipped = sum(len(n.parents) for n in order if n.grad == 0.0)
    print(f"{args.workload}: {len(order):,} interior nodes, {edges:,} edges ({skipped:,} skipped: grad 0)")
    for k, v in times.items():
        print(f"  {k:38s} {statistics.median(v) * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
