"""The built site (site/, from `python scripts/build_site.py`) in headless Chromium.

Served from 127.0.0.1 by a server in this process; every other request is
blocked and recorded, so a page that needs a CDN fails its test.  The tests
skip, saying why, where the site is not built or Chromium or Playwright is missing.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from tests.browser import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
BUILD = "python scripts/build_site.py (after pip install -e '.[docs]' and npm ci)"


class _Handler(http.server.SimpleHTTPRequestHandler):
    # WebAssembly streams only as application/wasm; module workers need a JS type for .mjs
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
    }

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_dir() -> Path:
    for need in ("index.html", "playground/index.html", "playground/wheels/manifest.json"):
        if not (SITE / need).is_file():
            pytest.skip(f"the site is not built (no site/{need}): run {BUILD}")
    return SITE


@pytest.fixture(scope="session")
def base_url(site_dir):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(site_dir):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium on the PATH (apt-get install -y chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Offline:
    """A page that may load only from the local server: other requests are aborted and kept in ``blocked``."""

    def __init__(self, browser, base_url: str) -> None:
        self.base_url = base_url
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser, base_url):
    o = Offline(browser, base_url)
    yield o
    o.close()
