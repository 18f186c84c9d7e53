import json
import os
import random

import pytest

from nn import MLP, ModelFileError


def model(seed=0, **kw):
    m = MLP(3, [4, 2], "tanh", "sigmoid", seed=seed, **kw)
    rng = random.Random(seed)
    for p in m.parameters():  # awkward floats, to show they round-trip exactly
        p.data = rng.uniform(-1, 1) / 3.0 * 10 ** rng.randint(-12, 12)
    return m


def test_state_dict_round_trip():
    a, b = model(0), model(1)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    assert list(a.state_dict()) == [n for n, _ in a.named_parameters()]


def test_save_and_load_round_trip_floats_exactly(tmp_path):
    a = model()
    path = tmp_path / "m.json"
    a.save(path)
    b = MLP.load(path)
    assert b.state_dict() == a.state_dict()
    assert b.architecture() == a.architecture()
    assert [p.label for p in b.parameters()] == [n for n, _ in b.named_parameters()]
    x = [0.1, -0.2, 0.3]
    assert [v.data for v in b(x)] == [v.data for v in a(x)]
    c = model(5)
    c.load_weights(path)
    assert c.state_dict() == a.state_dict()
    doc = json.loads(path.read_text())
    assert doc["architecture"] == {"type": "MLP", "n_in": 3, "n_outs": [4, 2], "activation": "tanh",
                                   "output_activation": "sigmoid"}


def test_save_is_atomic_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    model(0).save(path)
    before = path.read_bytes()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        model(1).save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.json"]


def test_saving_non_finite_parameters_is_refused(tmp_path):
    m = model()
    m.parameters()[2].data = float("nan")
    with pytest.raises(ValueError, match="layers.0.neurons.0.w.2.*not finite"):
        m.save(tmp_path / "m.json")
    assert not (tmp_path / "m.json").exists()


def good_text(tmp_path):
    path = tmp_path / "good.json"
    model(0).save(path)
    return path.read_text()


def bad_files(text):
    doc = json.loads(text)
    other = json.loads(text)
    other["architecture"]["n_outs"] = [5, 2]
    extra = json.loads(text)
    extra["parameters"]["layers.9.neurons.0.b"] = 1.0
    missing = json.loads(text)
    del missing["parameters"]["layers.1.neurons.1.b"]
    stringy = json.loads(text)
    stringy["parameters"]["layers.1.neurons.1.b"] = "0.5"
    name = next(iter(doc["parameters"]))
    doc["parameters"][name] = "@@"
    placeholder = json.dumps(doc)

    def with_first(raw):
        return placeholder.replace('"@@"', raw)

    return {
        "empty": ("", "empty"),
        "truncated": (text[: len(text) // 2], "not valid JSON"),
        "corrupt": (text.replace(":", ";", 3), "not valid JSON"),
        "not a model": ('{"hello": 1}', "not a chainrule model"),
        "other version": (text.replace('"version": 1', '"version": 99'), "version 99"),
        "NaN": (with_first("NaN"), "non-finite number NaN"),
        "Infinity": (with_first("-Infinity"), "non-finite number -Infinity"),
        "overflow": (with_first("1e999"), "not finite"),
        "other architecture": (json.dumps(other), "another architecture"),
        "extra parameter": (json.dumps(extra), "unexpected 1"),
        "missing parameter": (json.dumps(missing), "missing 1"),
        "string parameter": (json.dumps(stringy), "must be a number"),
        "huge integer": (with_first("1" + "0" * 400), "not finite"),
        "too many digits": (with_first("1" * 5000), "not valid JSON"),
        "deep nesting": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    }


@pytest.mark.parametrize("case", [
    "empty", "truncated", "corrupt", "not a model", "other version", "NaN", "Infinity", "overflow",
    "other architecture", "extra parameter", "missing parameter", "string parameter",
    "huge integer", "too many digits", "deep nesting", "binary"])
def test_bad_files_raise_a_clear_error_and_leave_the_model_unchanged(tmp_path, case):
    path = tmp_path / "bad.json"
    if case == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage\x89PNG\r\n")
        words = "not UTF-8"
    else:
        text, words = bad_files(good_text(tmp_path))[case]
        path.write_text(text)
    m = model(7)
    before = m.state_dict()
    with pytest.raises(ModelFileError, match=words):
        m.load_weights(path)
    assert m.state_dict() == before
    if case != "other architecture":  # MLP.load builds whatever architecture the file names
        with pytest.raises(ModelFileError, match=words):
            MLP.load(path)


def test_load_state_dict_checks_everything_before_changing_anything():
    m = model(0)
    before = m.state_dict()
    bad = dict(before)
    bad[list(bad)[-1]] = float("inf")
    with pytest.raises(ModelFileError, match="not finite"):
        m.load_state_dict(bad)
    assert m.state_dict() == before
    with pytest.raises(ModelFileError, match="must be a number"):
        m.load_state_dict({**before, list(before)[0]: True})


def test_callable_activations_cannot_be_saved(tmp_path):
    m = MLP(2, [2, 1], activation=lambda v: v, seed=0)
    with pytest.raises(ValueError, match="callable"):
        m.save(tmp_path / "m.json")


def test_a_tiny_file_declaring_a_huge_model_is_rejected_before_building_it(tmp_path, monkeypatch):
    import nn.module

    built = []
    real_init = nn.module.MLP.__init__

    def init(self, n_in, n_outs, *args, **kw):
        built.append((n_in, n_outs))
        assert n_in < 1000, "load built the huge model the file declares"
        real_init(self, n_in, n_outs, *args, **kw)

    monkeypatch.setattr(nn.module.MLP, "__init__", init)
    doc = json.loads(good_text(tmp_path))
    doc["architecture"].update(n_in=200_000, n_outs=[5])
    doc["parameters"] = {}
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelFileError, match="1000005 parameters but it holds 0"):
        MLP.load(path)
    m = model(7)
    before = m.state_dict()
    with pytest.raises(ModelFileError, match="another architecture"):
        m.load_weights(path)
    assert m.state_dict() == before
    assert all(n == 3 for n, _ in built)  # only our 3-input models were built


def test_load_state_dict_accepts_numpy_scalars():
    np = pytest.importorskip("numpy")
    a, b = model(0), model(1)
    state = a.state_dict()
    b.load_state_dict({k: np.float32(v) for k, v in state.items()})
    assert b.state_dict() == {k: float(np.float32(v)) for k, v in state.items()}
    b.load_state_dict({k: np.int64(i) for i, k in enumerate(state)})
    assert list(b.state_dict().values()) == [float(i) for i in range(len(state))]


def test_save_errors_name_the_target_not_the_temp_file(tmp_path):
    m = model(0)
    target = tmp_path / "no_such_dir" / "m.json"
    with pytest.raises(FileNotFoundError) as e:
        m.save(target)
    assert e.value.filename == str(target) and ".tmp-" not in str(e.value)
    (tmp_path / "adir.json").mkdir()
    with pytest.raises(IsADirectoryError) as e:
        m.save(tmp_path / "adir.json")
    assert e.value.filename == str(tmp_path / "adir.json") and ".tmp-" not in str(e.value)
    assert sorted(os.listdir(tmp_path)) == ["adir.json"]  # no temp file left behind


def test_save_takes_str_and_pathlike_and_refuses_bytes_clearly(tmp_path):
    m = model(0)
    m.save(str(tmp_path / "a.json"))
    m.save(tmp_path / "b.json")
    assert MLP.load(tmp_path / "a.json").state_dict() == MLP.load(str(tmp_path / "b.json")).state_dict()
    with pytest.raises(TypeError, match=r"save\(path\) must be a str or an os.PathLike.*bytes"):
        m.save(os.fsencode(str(tmp_path / "c.json")))
    with pytest.raises(TypeError, match=r"save\(path\)"):
        m.save(5)
    assert sorted(os.listdir(tmp_path)) == ["a.json", "b.json"]


@pytest.mark.parametrize("parameters", [[], [1.0, 2.0], "x", 3, None, {"a": 1.0}])
def test_the_size_is_checked_before_building_whatever_the_shape_of_parameters(tmp_path, monkeypatch, parameters):
    # a 172-byte file with "parameters": [] once built the whole declared model (n = 2000: 29 s, 817 MiB)
    import nn.layers

    def refuse(cls, architecture, **kw):
        raise AssertionError(f"load built the model the file declares: {architecture!r}")

    monkeypatch.setattr(nn.layers.MLP, "from_architecture", classmethod(refuse))
    doc = json.loads(good_text(tmp_path))
    doc["architecture"].update(n_in=2000, n_outs=[2000, 1])
    doc["parameters"] = parameters
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(doc))
    assert path.stat().st_size < 300
    with pytest.raises(ModelFileError, match="parameters"):
        MLP.load(path)


def test_loading_builds_the_set_of_names_once_not_once_per_key(monkeypatch, tmp_path):
    # `n not in set(names)` rebuilt the set for every key: 40,200 parameters took 90 s
    import nn.io

    calls = []

    def counting_set(*args):
        calls.append(1)
        return set(*args)

    monkeypatch.setattr(nn.io, "set", counting_set, raising=False)
    counts = []
    for m in (MLP(2, [1], seed=0), MLP(10, [50, 20], seed=0)):  # 3 and 1,570 parameters
        calls.clear()
        m.load_state_dict(m.state_dict())
        m.save(tmp_path / "m.json")
        MLP.load(tmp_path / "m.json")
        m.load_weights(tmp_path / "m.json")
        counts.append(len(calls))
    assert counts[0] == counts[1]  # as many sets for 1,570 parameters as for 3


@pytest.mark.parametrize("change", [{"version": True}, {"n_in": 3.0}, {"n_outs": [4.0, 2]}, {"n_outs": [4, True]},
                                    {"extra": 1}])
def test_load_weights_refuses_what_mlp_load_refuses(tmp_path, change):
    doc = json.loads(good_text(tmp_path))
    if "version" in change:
        doc.update(change)
    else:
        doc["architecture"].update(change)
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelFileError):
        MLP.load(path)
    m = model(7)
    before = m.state_dict()
    with pytest.raises(ModelFileError):
        m.load_weights(path)
    assert m.state_dict() == before


def _in_a_child_as_nobody(work) -> list[str]:
    """What ``work()`` returns (lines), run in a forked child: as an unprivileged user when we are root,
    for whom open() refuses no file."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            os.write(write, "\n".join(work()).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        out = f.read()
    os.waitpid(pid, 0)
    return out.split("\n")


def test_save_refuses_a_read_only_file_as_open_would():
    import shutil
    import tempfile

    directory = tempfile.mkdtemp()  # under /tmp, where the unprivileged child can reach it
    try:
        os.chmod(directory, 0o777)
        path = os.path.join(directory, "m.json")
        model(0).save(path)
        os.chmod(path, 0o444)
        before = open(path, "rb").read()

        def work():
            seen = []
            for what, write in (("open", lambda: open(path, "w")), ("save", lambda: model(1).save(path))):
                try:
                    write()
                    seen.append(f"{what} writes")
                except PermissionError as e:
                    seen.append(f"{what} refuses {e.filename}")
            return seen

        assert _in_a_child_as_nobody(work) == [f"open refuses {path}", f"save refuses {path}"]
        assert open(path, "rb").read() == before
        assert os.listdir(directory) == ["m.json"]
    finally:
        shutil.rmtree(directory)


def test_save_through_a_symlink_writes_the_file_it_points_to(tmp_path):
    real = tmp_path / "real.json"
    model(0).save(real)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    model(1).save(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert MLP.load(real).state_dict() == model(1).state_dict()


def test_a_killed_save_leaves_a_temp_file_that_the_next_save_removes(tmp_path):
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", "import os\nfrom nn import MLP\n"
                           "os.fsync = lambda fd: os._exit(9)  # killed while writing\n"
                           "MLP(3, [4, 2], seed=0).save('m.json')\n"],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": root})
    assert done.returncode == 9
    assert len(os.listdir(tmp_path)) == 1  # the killed save's temp file
    model(1).save(tmp_path / "m.json")
    assert os.listdir(tmp_path) == ["m.json"]
