import os
import subprocess
import sys

import pytest

from nn import MLP, demo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_runs_end_to_end_and_writes_its_files(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    assert demo.main(["--epochs", "2", "--seed", "1", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "train accuracy" in out and "test accuracy" in out
    names = sorted(os.listdir(tmp_path))
    assert names == ["decision_boundary.png", "graph.svg", "history.png", "model.json"]
    for name in names[:3]:
        assert (tmp_path / name).stat().st_size > 1000
    assert (tmp_path / "graph.svg").read_text().lstrip().startswith("<?xml")
    assert MLP.load(tmp_path / "model.json").architecture()["n_outs"] == [16, 16, 1]


def test_demo_as_a_module_with_another_dataset(tmp_path):
    pytest.importorskip("matplotlib")
    env = {**os.environ, "TQDM_DISABLE": "1", "PYTHONPATH": ROOT}
    r = subprocess.run([sys.executable, "-m", "nn.demo", "--dataset", "blobs", "--epochs", "1", "--out",
                        str(tmp_path / "o")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "test accuracy" in r.stdout
    assert sorted(os.listdir(tmp_path / "o")) == ["decision_boundary.png", "graph.svg", "history.png", "model.json"]


def test_demo_rejects_bad_arguments(capsys):
    with pytest.raises(SystemExit):
        demo.main(["--dataset", "mnist"])
    assert "mnist" in capsys.readouterr().err


def test_the_fallback_plots_work_where_nn_plot_is_missing(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setattr(demo, "_plotters", lambda: (demo._fallback_decision_boundary, demo._fallback_history_curves))
    assert demo.main(["--dataset", "circles", "--epochs", "1", "--out", str(tmp_path)]) == 0
    for name in ("decision_boundary.png", "history.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "graph.svg").stat().st_size > 1000


def test_the_fallback_graph_shows_every_node_with_its_label_and_op():
    m = MLP(2, [1], seed=0)
    out = m([1.0, 2.0])
    out.backward()
    src = demo._fallback_graph(out).source
    for text in ("x[0]", "x[1]", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b", "dot"):
        assert text in src
