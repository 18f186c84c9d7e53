"""State dicts and model files: JSON with the architecture and every parameter.

A leaf: it imports no model class.  It reads and writes an architecture (a
dict, as ``MLP.architecture()`` gives) and the parameters (a state dict);
``MLP.load`` builds the model from what :func:`read_model` returns.

Floats round-trip exactly (JSON numbers are written with ``repr``, the
shortest string that reads back to the same float).  Saving writes a temp
file in the target's directory and renames it over the target, so a crash
never leaves a half-written model (:func:`write_atomic`, which the GPT and the
demo use too).  Loading checks everything before it
changes anything: a bad file raises :class:`ModelFileError` and leaves the
model as it was.
"""

from __future__ import annotations

import errno
import json
import math
import os
import tempfile
from typing import TYPE_CHECKING

from ._checks import is_int, is_number

if TYPE_CHECKING:
    from autograd import Value

__all__ = ["ModelFileError", "save", "write_atomic", "read_model", "load_weights", "load_state_dict", "describe",
           "FORMAT", "VERSION"]

FORMAT = "chainrule.nn"
VERSION = 1


class ModelFileError(ValueError):
    """A model file (or state dict) that cannot be loaded: corrupt, truncated, other architecture, non-finite."""


def _checked_state(module, state, where: str) -> list[tuple[Value, float]]:
    """(parameter, new value) pairs once ``state`` matches ``module`` exactly; else ModelFileError."""
    if not isinstance(state, dict):
        raise ModelFileError(f"{where}: parameters must be a mapping of names to numbers, got {type(state).__name__}")
    named = list(module.named_parameters())
    names = [n for n, _ in named]
    known = set(names)  # once: rebuilt per key, loading was quadratic (40,200 parameters: 90 s)
    missing = [n for n in names if n not in state]
    unexpected = [n for n in state if n not in known]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing {len(missing)} (first {missing[0]!r})")
        if unexpected:
            parts.append(f"unexpected {len(unexpected)} (first {unexpected[0]!r})")
        raise ModelFileError(
            f"{where}: parameter names do not match this model's {len(names)} parameters: {', '.join(parts)}"
        )
    pairs = []
    for name, p in named:
        v = state[name]
        if not is_number(v):  # numpy scalars too
            raise ModelFileError(f"{where}: parameter {name!r} must be a number, got {type(v).__name__}: {v!r}")
        try:
            v = float(v)  # a huge integer (1e400 written as digits) overflows
        except (OverflowError, ValueError) as e:
            raise ModelFileError(f"{where}: parameter {name!r} is not finite ({e})") from None
        if not math.isfinite(v):
            raise ModelFileError(f"{where}: parameter {name!r} is not finite ({v!r})")
        pairs.append((p, v))
    return pairs


def load_state_dict(module, state: dict, *, where: str = "load_state_dict") -> None:
    """Set every parameter of ``module`` from ``state``; on any error (ModelFileError) nothing changes."""
    for p, v in _checked_state(module, state, where):
        p.data = v


def save(model, path) -> None:
    """Write ``model``'s architecture and parameters to ``path`` as JSON, atomically."""
    state = model.state_dict()
    for name, v in state.items():
        if not math.isfinite(v):
            raise ValueError(f"save: parameter {name!r} is not finite ({v!r}); refusing to write it")
    doc = {"format": FORMAT, "version": VERSION, "architecture": model.architecture(), "parameters": state}
    text = json.dumps(doc, indent=1, allow_nan=False) + "\n"
    if not isinstance(path, (str, os.PathLike)) or isinstance(os.fspath(path), bytes):
        raise TypeError(f"save(path) must be a str or an os.PathLike naming a text path, got {type(path).__name__}: "
                        f"{path!r}")
    write_atomic(os.fspath(path), lambda f: f.write(text.encode("utf-8")), where="save")


def write_atomic(path: str, write, *, where: str = "save") -> None:
    """Call ``write(f)`` on a new binary file beside ``path``'s target, then rename it over the target.

    As ``open(path, "w")`` would, it refuses a target this user may not write (PermissionError) and a
    directory (IsADirectoryError), and it follows a symlink: the file it points to is replaced, the link
    stays.  The temp file is named ``.<name>.tmp-<pid>-…``: one a killed save left behind (its process
    is gone) is removed by the next save to the same target."""
    target = os.path.realpath(path)
    directory, name = os.path.split(target)
    if os.path.isdir(target):
        raise IsADirectoryError(errno.EISDIR, f"{where}: cannot write the file: it is a directory", path)
    if os.path.exists(target) and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, f"{where}: cannot write the file: permission denied", path)
    prefix = f".{name}.tmp-"
    _remove_stale_temp_files(directory, prefix)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}-", suffix=os.path.splitext(name)[1], dir=directory)
    except OSError as e:
        raise _naming(e, path, where) from None
    try:
        os.chmod(tmp, _mode(target))
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError):
            raise _naming(e, path, where) from None
        raise


def _remove_stale_temp_files(directory: str, prefix: str) -> None:
    """Remove ``<prefix><pid>-…`` files whose process no longer runs: what a killed save left."""
    try:
        names = [n for n in os.listdir(directory) if n.startswith(prefix)]
    except OSError:
        return
    for n in names:
        pid = n[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _running(int(pid)):
            continue
        try:
            os.unlink(os.path.join(directory, n))
        except OSError:
            pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it runs
        return True
    return True


def _naming(e: OSError, path: str, where: str = "save") -> OSError:
    """The same error, naming the target ``path`` instead of the hidden temp file beside it."""
    if e.errno is None:
        return e
    return type(e)(e.errno, f"{where}: cannot write the file: {e.strerror}", path)


def _mode(path: str) -> int:
    """The target's permissions if it exists, else what a plain open() would give (mkstemp's are 0600)."""
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class _NonFiniteLiteral(ValueError):
    pass


def _reject_constant(name: str):
    raise _NonFiniteLiteral(f"non-finite number {name}")


def read_document(path, *, fmt: str, version: int, where: str, kind: str) -> dict:
    """The JSON object in ``path``, checked as every chainrule file is: UTF-8 text, not empty, valid JSON
    with no NaN or Infinity, an object whose ``"format"`` is ``fmt`` and ``"version"`` is ``version``.
    Errors are ModelFileErrors that start with ``where`` (how the file is named) and name ``kind``."""
    with open(os.fspath(path), "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ModelFileError(f"{where} is not UTF-8 text (binary or corrupt): {e}") from None
    if not text.strip():
        raise ModelFileError(f"{where} is empty")
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except _NonFiniteLiteral as e:  # a NaN or Infinity literal
        raise ModelFileError(f"{where} is not valid JSON: it contains a {e}") from None
    except ValueError as e:  # JSONDecodeError, or an integer with more digits than Python converts
        raise ModelFileError(f"{where} is not valid JSON (corrupt or truncated): {e}") from None
    except RecursionError:
        raise ModelFileError(f"{where} is not a {kind}: its JSON is nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        raise ModelFileError(f"{where} is not a {kind} (no \"format\": {fmt!r})")
    if not is_int(doc.get("version")) or doc["version"] != version:  # true == 1 in Python, not here
        raise ModelFileError(f"{where} has version {doc.get('version')!r}; this chainrule reads version {version}")
    return doc


def _read(path) -> dict:
    """The checked document in ``path`` (format, version, architecture, parameters)."""
    where = describe(path)
    doc = read_document(path, fmt=FORMAT, version=VERSION, where=where, kind="chainrule model")
    _check_architecture(doc.get("architecture"), where)
    if "parameters" not in doc:
        raise ModelFileError(f"{where} has no parameters")
    if not isinstance(doc["parameters"], dict):
        raise ModelFileError(f"{where}: parameters must be a mapping of names to numbers, "
                             f"got {type(doc['parameters']).__name__}")
    return doc


_ARCHITECTURE_KEYS = ("type", "n_in", "n_outs", "activation", "output_activation")


def _check_architecture(arch, where: str) -> None:
    """An MLP description with exactly the keys ``MLP.architecture()`` writes, its sizes ints ≥ 1 (not 3.0 or
    true, which compare equal to 3 and 1), its activations names; building the model checks the names."""
    if not isinstance(arch, dict) or arch.get("type") != "MLP":
        raise ModelFileError(f"{where}: architecture must be an MLP description, got {arch!r}")
    if set(arch) != set(_ARCHITECTURE_KEYS):
        raise ModelFileError(f"{where}: architecture must have the keys {', '.join(_ARCHITECTURE_KEYS)}, got {arch!r}")
    n_outs = arch["n_outs"]
    if not isinstance(n_outs, list) or not n_outs or any(not is_int(n) or n < 1 for n in [arch["n_in"], *n_outs]):
        raise ModelFileError(f"{where}: architecture sizes n_in and n_outs must be ints ≥ 1, got {arch!r}")
    if not isinstance(arch["activation"], str) or not isinstance(arch["output_activation"], str):
        raise ModelFileError(f"{where}: architecture activations must be names, got {arch!r}")


def describe(path) -> str:
    """How errors name a model file: ``model file 'm.json'``."""
    return f"model file {os.fspath(path)!r}"


def _declared_count(arch: dict) -> int:
    """How many parameters a checked architecture declares: Σ (n_in + 1)·n_out over its layers."""
    sizes = [arch["n_in"], *arch["n_outs"]]
    return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))


def read_model(path) -> tuple[dict, dict]:
    """(architecture, parameters) from a file written by :func:`save`, checked as far as a file can be
    without building its model; the caller builds it and fills it with :func:`load_state_dict`."""
    doc = _read(path)
    # Count before building: a tiny file must not make us build a huge model just to reject it.
    declared, params = _declared_count(doc["architecture"]), doc["parameters"]
    if declared != len(params):
        diff = f"missing {declared - len(params)}" if declared > len(params) else f"unexpected {len(params) - declared}"
        raise ModelFileError(
            f"{describe(path)}: its architecture has {declared} parameters but it holds {len(params)} ({diff})"
        )
    return doc["architecture"], params


def load_weights(model, path) -> None:
    """Fill ``model`` from ``path``, whose architecture must equal the model's; on any error nothing changes."""
    doc = _read(path)
    where = describe(path)
    mine = model.architecture()
    if doc["architecture"] != mine:
        raise ModelFileError(f"{where} holds another architecture: {doc['architecture']!r}, this model is {mine!r}")
    for p, v in _checked_state(model, doc["parameters"], where):
        p.data = v
