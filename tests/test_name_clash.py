"""A foreign package named `autograd` earlier on the path gets a clear error."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_nn_names_the_clash_with_another_autograd(tmp_path):
    fake = tmp_path / "autograd"
    fake.mkdir()
    (fake / "__init__.py").write_text("# a stand-in for HIPS autograd\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), ROOT])}
    r = subprocess.run([sys.executable, "-c", "import nn"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode != 0
    assert "HIPS autograd" in r.stderr and str(fake) in r.stderr and "pip uninstall autograd" in r.stderr


def test_with_ours_first_nn_imports(tmp_path):
    env = {**os.environ, "PYTHONPATH": ROOT}
    r = subprocess.run([sys.executable, "-c", "import nn, autograd; print(autograd.Value)"], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
