"""The live panel and the explorer in a real browser: a saved run in chromium, and a notebook in JupyterLab.

JupyterLab is started from the test on 127.0.0.1 (a free port, no token) and
stopped by its PID; the notebook is written by the test.  Waits are generous
and nothing is timed: the panel must show two different pictures while its
cell is still running, whenever that happens.  With CHAINRULE_SHOTS=DIR the
tests also save screenshots there.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import chromium_or_skip

pytest.importorskip("matplotlib", reason="the live view draws with matplotlib (pip install 'chainrule[live]')")

import nn  # noqa: E402
import nn.plot  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("CHAINRULE_SHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


@pytest.fixture(scope="module")
def browser():
    yield from chromium_or_skip()


def _click_point(frame, n: int) -> None:
    x, y = frame.evaluate(f"chainruleRun.pixelOf({n})")
    frame.locator("#cr-plane").click(position={"x": x, "y": y})


def test_the_saved_runs_slider_moves_the_boundary_and_a_click_draws_the_forward_pass(browser, tmp_path):
    X, y = nn.make_circles(120, noise=0.08, factor=0.5, seed=0)
    model = nn.MLP(2, [4, 4, 1], activation="relu", output_activation="sigmoid", seed=1)
    recorder = nn.plot.BoundaryRecorder(model, every=3)
    h = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=9, batch_size=16,
               seed=0, progress=False, callbacks=[recorder])
    path = nn.save_run(tmp_path / "run.html", model, X, y, recorder=recorder, history=h)
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(Path(path).as_uri())
    plane = page.locator("#cr-plane")
    assert plane.get_attribute("data-epoch") == "9"  # the last epoch kept, at first
    last = page.evaluate("document.getElementById('cr-plane').toDataURL()")
    slider = page.locator("#cr-epoch")
    slider.fill("0")  # sets the value and fires input
    assert plane.get_attribute("data-epoch") == "0"
    first = page.evaluate("document.getElementById('cr-plane').toDataURL()")
    assert first != last  # the boundary moved
    assert "epoch 0 (1 of 4 kept)" in page.locator("#cr-epoch-label").inner_text()

    _click_point(page, 5)
    graph = page.locator("#cr-graph")
    graph.locator("svg").wait_for(timeout=30_000)
    assert graph.get_attribute("data-point") == "5" and graph.get_attribute("data-epoch") == "0"
    caption = page.locator("#cr-graph-caption").inner_text()
    p = page.evaluate("chainruleRun.data.points[5]")
    with nn.plot._parameters_set(model, recorder.snapshots[0][1]):
        out = nn.predict(model, [p])[0]
    assert f"→ output {float(f'{out:.4g}')!r} → class" in caption
    texts = graph.locator("text").all_text_contents()
    assert "layers.0.neurons.0" in texts and any(t.startswith("out ") for t in texts)
    before = texts
    slider.fill("3")
    assert graph.get_attribute("data-epoch") == "9"
    assert graph.locator("text").all_text_contents() != before  # the same point's numbers at epoch 9
    _shot(page, "saved-run.png")
    assert not errors and all(u.startswith(("file:", "data:", "about:")) for u in requests)
    page.close()


# The training must outlast a few drawings on any machine: 40 epochs took 0.5 s on a fast one, and the
# browser saw one picture.  A callback makes each epoch last at least 0.1 s: 4 s or more in all.
NOTEBOOK_CELLS = [
    "import time, nn, nn.plot\n"
    "nn.live.LivePanel.budget = 0.5  # draw often: this notebook shows the panel changing, on any machine\n"
    "X, y = nn.make_circles(150, noise=0.08, factor=0.5, seed=0)\n"
    "model = nn.MLP(2, [6, 6, 1], activation='relu', output_activation='sigmoid', seed=1)\n"
    "recorder = nn.plot.BoundaryRecorder(model, every=10)\n"
    "def at_least_a_tenth(epoch, history):  # an epoch lasts 0.1 s or more\n"
    "    time.sleep(0.1)",
    "history = nn.fit(model, X, y, loss='bce', optimizer=nn.Adam(model.parameters(), lr=0.02), epochs=40,\n"
    "                 batch_size=16, seed=0, progress=False, callbacks=[recorder, at_least_a_tenth], live=True)",
    "nn.explore(model, X, y, recorder=recorder, history=history)",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on 127.0.0.1 serving tmp_path, with the repo on the kernel's path; its URL."""
    pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (pip install jupyterlab)")
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": src, "outputs": [], "execution_count": None}
                    for src in NOTEBOOK_CELLS],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    (tmp_path / "live.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"), "TQDM_DISABLE": "1"}  # fmt: skip
    log = open(tmp_path / "jupyterlab.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.token=", "--ServerApp.password=",
         f"--port={port}", "--ip=127.0.0.1", f"--ServerApp.root_dir={tmp_path}", "--ServerApp.port_retries=0",
         "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=True", "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited: {(tmp_path / 'jupyterlab.log').read_text(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not answer within 120 s")
                time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)  # the server shuts its kernels down, then exits
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        log.close()


def _accept_dialogs(page, seen: list) -> None:
    """Accept any modal dialog JupyterLab put up (on a fresh machine it can ask, for example, which kernel
    to start), which would take every click meant for the menus; its text is kept for a failure's message."""
    for _ in range(5):
        dialog = page.locator(".jp-Dialog")
        if not dialog.count():
            return
        seen.append(" ".join(dialog.first.inner_text().split())[:200])
        accept = dialog.first.locator(".jp-mod-accept")
        if accept.count():
            accept.first.click()
        else:
            page.keyboard.press("Escape")
        page.wait_for_timeout(500)


def test_jupyterlab_shows_the_panel_changing_while_training_and_the_explorer_draws_a_clicked_point(
        browser, jupyterlab):  # fmt: skip
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    page.goto(f"{jupyterlab}/lab/tree/live.ipynb")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
    news = page.locator(".jp-toast-button", has_text="No")  # JupyterLab asks about its news feed
    if news.count():
        news.first.click()
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    first_prompt = cells.first.locator(".jp-InputPrompt")
    dialogs: list[str] = []
    for _ in range(10):  # until the kernel has taken the cells (a click before it is ready does nothing)
        page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=120_000)
        _accept_dialogs(page, dialogs)
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function("p => /[0-9*]/.test(p.textContent)", arg=first_prompt.element_handle(),
                                   timeout=15_000)  # fmt: skip
            break
        except Exception:
            page.keyboard.press("Escape")
    else:
        pytest.fail(f"JupyterLab did not run the notebook's cells (dialogs it showed: {dialogs})")

    live_cell = cells.nth(1)
    seen_while_running: set[str] = set()
    deadline = time.monotonic() + 240
    shot = False
    while time.monotonic() < deadline:
        state = live_cell.evaluate(
            """c => ({prompt: c.querySelector('.jp-InputPrompt').textContent,
                      src: (c.querySelector('.jp-OutputArea-output img') || {}).src || null})""")
        running = "*" in state["prompt"]
        if running and state["src"]:
            seen_while_running.add(state["src"])
            if len(seen_while_running) == 2 and not shot:
                _shot(page, "jupyterlab-panel-mid-training.png")
                shot = True
        if not running and state["prompt"].strip("[]: \xa0") and state["src"]:
            break  # executed
        time.sleep(0.1)
    assert len(seen_while_running) >= 2, f"the panel showed {len(seen_while_running)} picture(s) while training"
    final = live_cell.locator(".jp-OutputArea-output img")
    assert final.count() == 1  # one display, updated in place

    explorer = cells.nth(2).locator("iframe")
    explorer.wait_for(timeout=240_000)
    frame = explorer.element_handle().content_frame()
    frame.wait_for_function("window.chainruleRun !== undefined", timeout=60_000)
    assert frame.locator("#cr-plane").get_attribute("data-epoch") == "40"
    _click_point(frame, 7)
    frame.locator("#cr-graph svg").wait_for(timeout=30_000)
    assert "→ output" in frame.locator("#cr-graph-caption").inner_text()
    assert "layers.1.neurons.0" in frame.locator("#cr-graph text").all_text_contents()
    explorer.scroll_into_view_if_needed()
    if SHOTS:
        explorer.screenshot(path=str(Path(SHOTS) / "jupyterlab-explorer.png"))
    page.close()
