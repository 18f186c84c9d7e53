"""The benchmark's hand-written plain-float steps compute what the engine computes.

Nothing here is timed: a wrong reference would make every ratio in the
README meaningless, so its gradients are checked against chainrule's.
"""

import math
import os
import sys

import pytest

BENCHMARKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks")
sys.path.insert(0, BENCHMARKS)

import bench  # noqa: E402
import ours  # noqa: E402
import plain  # noqa: E402


@pytest.mark.parametrize("make", [bench.demo_workloads, bench.digits_workloads])
def test_plain_steps_give_chainrules_gradients(make):
    for w in make(True):
        w.engines = [e for e in w.engines if e.name in ("plain floats", "chainrule")]
        bench.check(w)  # stops the run (SystemExit) when they differ by more than 1e-9
        assert w.checks["chainrule"] < 1e-12


def test_plain_chain_gives_chainrules_output_and_gradient():
    out, g = plain.chain(0.3, 1000, 1.5)
    out2, g2 = ours.chain(0.3, 1000, 1.5)
    assert out == out2 and math.isclose(g, g2, rel_tol=1e-12)
    out, g = plain.chain(0.3, 20, 0.9)  # a short chain: a gradient far from 0
    out2, g2 = ours.chain(0.3, 20, 0.9)
    assert out == out2 and g > 1e-3 and math.isclose(g, g2, rel_tol=1e-12)


@pytest.mark.parametrize("tape", [True, False])
def test_the_chains_floors_give_chainrules_output_and_gradient(tape):
    import floor

    for n, c in ((1000, 1.5), (20, 0.9)):  # the long chain's gradient underflows towards 0, the short one's not
        out, g = floor.chain(0.3, n, c, tape=tape)
        out2, g2 = ours.chain(0.3, n, c)
        assert out == out2 and g == g2
    out, g = floor.affine_chain(0.3, 1000, 1.0001, 0.0001, tape=tape)
    out2, g2 = ours.affine_chain(0.3, 1000, 1.0001, 0.0001)
    assert out == out2 and g == g2 and g > 1.0


def test_the_minimal_gpt_engine_gives_chainrules_loss_and_gradients():
    import gpt

    matrices, doc, n_head, block_size = gpt.setup()
    loss_mini, g_mini = gpt.MiniStep(matrices, n_head, block_size)(doc)
    loss_ours, g_ours = gpt.OursStep(matrices, n_head)(doc)
    assert math.isclose(loss_mini, loss_ours, rel_tol=1e-12)
    assert len(g_mini) == len(g_ours) == 4192
    assert max(abs(a - b) for a, b in zip(g_mini, g_ours)) < 1e-12
    assert max(abs(a) for a in g_ours) > 1e-3


@pytest.mark.parametrize("workload", ["demo-step", "mlp-step", "gpt-loop"])
def test_breakdown_builds_the_workloads_graph_and_counts_the_collections(workload):
    import breakdown

    from autograd import Value, topological_order

    reference, build = breakdown.parts(workload)
    root = build()
    assert isinstance(root, Value) and len(topological_order(root)) > 1000
    assert set(reference) and all(callable(f) for f in reference.values())
    spent, counts = breakdown.collections(build)
    assert spent >= 0.0 and set(counts) == {0, 1, 2}
    assert counts[0] >= 1  # a graph this size makes the collector run when it is on


def _floor_cases():
    """workload → (initial weights, X, Y, chainrule's forward, the floor's forward, plain floats' step)"""
    import floor

    data = bench.data
    X, Y = data.moons(100)
    Xd, Yd = data.digits_batch(32)
    return {
        "demo-step": (data.init_layers([2, 16, 16, 1]), X, Y, ours.demo_forward, floor.demo_forward, plain.demo_step),
        "mlp-step": (data.init_layers([64, 32, 10]), Xd, Yd, ours.mlp_forward, floor.mlp_forward, plain.digits_step),
    }


@pytest.mark.parametrize("workload", ["demo-step", "mlp-step"])
def test_the_floor_builds_chainrules_graph_node_for_node(workload):
    """The floor is a floor of *this* graph: the same nodes, in chainrule's own order once sorted."""
    import floor

    from autograd.fast.sort import backward_order

    init, X, Y, ours_forward, floor_forward, _ = _floor_cases()[workload]
    ours_order = backward_order(ours_forward(ours.make_model(init), X, Y))
    root, tape = floor_forward(floor.leaves(init), X, Y)
    floor_order = backward_order(root)

    def nodes(order):
        return [(n.op, len(n.parents), n.data, n.local_grads) for n in order]

    assert len(ours_order) > 3000 and nodes(floor_order) == nodes(ours_order)
    assert {id(n) for n in tape} == {id(n) for n in floor_order}  # the tape holds every node once
    assert len(tape) == len(floor_order)


@pytest.mark.parametrize("workload", ["demo-step", "mlp-step"])
@pytest.mark.parametrize("order", ["tape", "edges", "sort"])
def test_the_floors_step_gives_plain_floats_gradients(workload, order):
    import floor

    init, X, Y, _, forward, plain_step = _floor_cases()[workload]
    loss, grads = floor.step(forward, floor.leaves(init), X, Y, bench.LR, order)
    ref_loss, ref_grads = plain_step(bench.data.copy_layers(init), X, Y, bench.LR)
    ref_grads = plain.flat_grads(ref_grads)
    assert math.isclose(loss, ref_loss, rel_tol=1e-12) and len(grads) == len(ref_grads)
    assert max(abs(a - b) for a, b in zip(grads, ref_grads)) < 1e-12
    assert max(abs(g) for g in grads) > 1e-3


def test_the_floors_step_rejects_an_unknown_order():
    import floor

    init, X, Y, _, _, _ = _floor_cases()["mlp-step"]
    with pytest.raises(ValueError, match="order: expected one of"):
        floor.step(floor.mlp_forward, floor.leaves(init), X, Y, bench.LR, "sorted")
