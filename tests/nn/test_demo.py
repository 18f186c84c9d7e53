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


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_demo_checks_the_output_directory_before_training(tmp_path, capsys, where):
    afile = tmp_path / "afile"
    afile.write_text("not a directory")
    out = str(afile if where == "a file" else afile / "sub")
    with pytest.raises(SystemExit) as e:
        demo.main(["--epochs", "1", "--out", out])
    assert e.value.code == 2
    captured = capsys.readouterr()
    assert f"--out {out!r} cannot be used as the output directory" in captured.err
    assert "Traceback" not in captured.err
    assert "training" not in captured.out  # it stopped before training
    assert afile.read_text() == "not a directory"


def test_without_a_graphviz_renderer_the_demo_writes_dot_text_and_says_how_to_install(tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    from autograd.draw import render as viz

    monkeypatch.setattr(viz, "_find_dot", lambda: None)
    monkeypatch.setattr(viz, "_load_wasi", lambda: None)
    assert demo.main(["--epochs", "1", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "graph.gv").read_text().startswith("digraph")
    assert not (tmp_path / "graph.svg").exists()
    assert "apt-get install" in capsys.readouterr().err


def test_the_digits_demo_draws_its_graph_one_box_per_neuron(tmp_path):
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    assert demo.main(["--dataset", "digits", "--epochs", "1", "--out", str(tmp_path)]) == 0
    svg = (tmp_path / "graph.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "layers.1" in svg


def test_the_names_demo_trains_the_gpt_prints_samples_and_writes_its_files(tmp_path, capsys, monkeypatch):
    pytest.importorskip("matplotlib")
    from nn import GPT

    monkeypatch.setenv("TQDM_DISABLE", "1")
    assert demo.main(["--dataset", "names", "--steps", "3", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "trained 3 steps" in out and "samples" in out and "4192 parameters" in out
    assert sorted(os.listdir(tmp_path)) == ["attention.png", "loss.png", "model.json"]
    assert GPT.load(tmp_path / "model.json").num_parameters() == 4192
    assert (tmp_path / "attention.png").stat().st_size > 1000


@pytest.mark.parametrize("planted", ["model.json is a directory", "graph.svg is a directory",
                                     "history.png is a symlink", "decision_boundary.png is a symlink"])
def test_demo_checks_every_output_before_training(tmp_path, capsys, planted):
    # it died with a traceback after training, or wrote its pictures through links planted in --out
    name, what = planted.split(" is a ")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    if what == "directory":
        (out / name).mkdir()
    else:
        (out / name).symlink_to(victim)
    with pytest.raises(SystemExit) as e:
        demo.main(["--epochs", "1", "--out", str(out)])
    assert e.value.code == 2
    captured = capsys.readouterr()
    assert name in captured.err and what in captured.err
    assert "Traceback" not in captured.err
    assert "training" not in captured.out
    assert victim.read_text() == "keep me"
