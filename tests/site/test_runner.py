"""The playground's Python side and its examples, in plain CPython (no browser, no build)."""

import importlib.util
import re
from pathlib import Path

import pytest

PLAYGROUND = Path(__file__).resolve().parents[2] / "docs" / "playground"


@pytest.fixture
def runner():
    spec = importlib.util.spec_from_file_location("playground", PLAYGROUND / "runner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import sys

    sys.modules["playground"] = module  # the examples import show / boundary from it
    yield module
    module.Value.backward = module._backward  # undo the recording wrapper
    del sys.modules["playground"]


def _run(runner, name):
    runner.messages.clear()
    ok = runner.run((PLAYGROUND / "examples" / name).read_text())
    out = "".join(m["text"] for m in runner.messages if m["type"] == "stdout")
    return ok, out, runner.messages


def test_the_chain_rule_example_prints_the_readme_numbers_draws_and_steps(runner):
    ok, out, messages = _run(runner, "chain_rule.py")
    assert ok and out.strip() == "8.0 4.0 2.0"
    kinds = [m["type"] for m in messages]
    assert kinds.count("dot") == 1 and kinds.count("steps") == 1
    steps = next(m for m in messages if m["type"] == "steps")
    assert len(steps["dots"]) == len(steps["captions"]) == 6
    assert "digraph" in steps["dots"][0] and steps["captions"][-1].startswith("done")


def test_the_neuron_example_prints_micrographs_gradients(runner):
    ok, out, _ = _run(runner, "neuron.py")
    assert ok
    assert out.splitlines() == ["o = 0.7071", "x1.grad = -1.5  w1.grad = 1.0", "x2.grad = 0.5  w2.grad = 0.0"]


def test_the_moons_example_learns_and_sends_changing_boundaries(runner):
    ok, out, messages = _run(runner, "moons.py")
    assert ok, messages
    assert out.splitlines()[-1].endswith("accuracy 100%")
    boundaries = [m for m in messages if m["type"] == "boundary"]
    assert len(boundaries) >= 5
    assert boundaries[0]["z"] != boundaries[-1]["z"]
    assert len(boundaries[0]["z"]) == boundaries[0]["n"] ** 2
    # the example draws one prediction itself; the loss's graph is too large to step through: a note says so
    assert not any(m["type"] == "error" for m in messages)
    assert [m["type"] for m in messages].count("dot") == 1
    assert any(m["type"] == "note" and "step-through skipped" in m["text"] for m in messages)
    # that prediction was never backpropagated: its drawing shows data and no grads (all 0.0 would mislead)
    (drawing,) = [m["dot"] for m in messages if m["type"] == "dot" and m["shown"]]  # drawn by show(), says so
    assert re.search(r"\bdata\b", drawing) and not re.search(r"\bgrad\b", drawing)


def test_a_user_error_sends_the_traceback_of_the_users_code(runner):
    runner.messages.clear()
    assert runner.run("from autograd import Value\nx = Value(0.0)\ny = x.log()\n") is False
    (error,) = [m for m in runner.messages if m["type"] == "error"]
    assert 'File "<editor>", line 3' in error["text"] and "y = x.log()" in error["text"]
    assert "ValueError" in error["text"] and "log" in error["text"]
    assert "runner.py" not in error["text"].splitlines()[1]  # starts in the user's code


def test_a_syntax_error_is_reported_too(runner):
    runner.messages.clear()
    assert runner.run("print(1 +\n") is False
    (error,) = [m for m in runner.messages if m["type"] == "error"]
    assert "SyntaxError" in error["text"]
