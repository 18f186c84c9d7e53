"""The playground's Python side: run the editor's code, send what it prints and draws to the page.

``run(code)`` executes the code as a fresh ``__main__``; every message goes
through ``post`` as JSON (``js.postMessage`` in the browser's worker; a list,
``messages``, anywhere else, which is how the tests read it).  The root of the
last ``Value.backward()`` the code called is drawn, and its backward pass
stepped through, unless the code drew something itself with ``show``.
"""

import json
import linecache
import math
import sys
import traceback

from autograd import Value, backward_steps, draw_dot, no_grad

try:
    import js  # Pyodide, in the page's worker

    def post(msg: dict) -> None:
        js.postMessage(json.dumps(msg))

    messages = None
except ImportError:  # plain CPython (tests)
    messages: list = []

    def post(msg: dict) -> None:
        messages.append(msg)


MAX_FRAMES = 150  # the step-through is made for teaching-sized graphs
_state = {"root": None, "shown": False}
_backward = Value.backward


def _recording_backward(self, *args, **kwargs):
    _state["root"] = self
    return _backward(self, *args, **kwargs)


Value.backward = _recording_backward


def show(x, **options) -> None:
    """Draw a Value's graph (``draw_dot`` options apply, e.g. collapse="neuron") or any Drawing."""
    source = draw_dot(x, **options).source if isinstance(x, Value) else x.source
    _state["shown"] = True
    post({"type": "dot", "dot": source, "shown": True})


def boundary(model, X, y, *, title: str = "", resolution: int = 30) -> None:
    """Send the model's decision regions over the plane of ``X`` (score > 0 is class 1) to the page."""
    xs, ys = [p[0] for p in X], [p[1] for p in X]
    pad_x, pad_y = 0.15 * (max(xs) - min(xs)), 0.15 * (max(ys) - min(ys))
    x0, x1, y0, y1 = min(xs) - pad_x, max(xs) + pad_x, min(ys) - pad_y, max(ys) + pad_y
    grid = [
        [x0 + (x1 - x0) * (i + 0.5) / resolution, y1 - (y1 - y0) * (j + 0.5) / resolution]
        for j in range(resolution)
        for i in range(resolution)
    ]
    with no_grad():
        scores = model.batch(grid) if hasattr(model, "batch") else [model(p) for p in grid]
    z = [float(s.data if isinstance(s, Value) else s) for s in scores]
    post(
        {
            "type": "boundary",
            "n": resolution,
            "bounds": [x0, x1, y0, y1],
            "z": [round(v, 4) if math.isfinite(v) else 0.0 for v in z],
            "X": [[float(a), float(b)] for a, b in X],
            "y": [int(t) for t in y],
            "title": title,
        }
    )


class _Stdout:
    def write(self, text: str) -> int:
        if text:
            post({"type": "stdout", "text": text})
        return len(text)

    def flush(self) -> None:
        pass


def _error(exc: BaseException) -> str:
    # skip run()'s own frame: the traceback starts in the user's code
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next))


def _after(root) -> None:
    if root is None:
        return
    if not _state["shown"]:
        try:
            post({"type": "dot", "dot": draw_dot(root).source, "shown": False})
        except ValueError as e:  # GraphTooLarge
            post({"type": "note", "text": f"drawing of the last backward() skipped: {e}"})
    try:
        steps = backward_steps(root, max_frames=MAX_FRAMES)
    except ValueError:
        post({"type": "note", "text": f"step-through skipped: the last backward() has more than {MAX_FRAMES} steps"})
        return
    post(
        {
            "type": "steps",
            "dots": [steps.draw(i).source for i in range(len(steps))],
            "captions": [f.caption for f in steps],
        }
    )


def run(code: str) -> bool:
    """Run ``code``; True if it finished without an exception (its traceback is posted otherwise)."""
    _state.update(root=None, shown=False)
    linecache.cache["<editor>"] = (len(code), None, code.splitlines(True), "<editor>")
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = _Stdout()
    ok = True
    try:
        exec(compile(code, "<editor>", "exec"), {"__name__": "__main__"})
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the page shows them all
        ok = False
        post({"type": "error", "text": _error(exc)})
    finally:
        sys.stdout, sys.stderr = saved
    try:
        _after(_state["root"])
    except Exception as exc:
        post({"type": "error", "text": _error(exc)})
        ok = False
    return ok
