"""The built site (site/, from `python scripts/build_site.py`) in headless Chromium.

Served from 127.0.0.1 by a server in this process; every other request is
blocked and recorded, so a page that needs a CDN fails its test.  The tests
skip, saying why, where the site is not built or Chromium or Playwright is missing.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from tests.browser import QuietHandler, chromium_or_skip

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
BUILD = "python scripts/build_site.py (after pip install -e '.[docs]' and npm ci)"


@pytest.fixture(scope="session")
def site_dir() -> Path:
    for need in ("index.html", "playground/index.html", "playground/wheels/manifest.json"):
        if not (SITE / need).is_file():
            pytest.skip(f"the site is not built (no site/{need}): run {BUILD}")
    return SITE


@pytest.fixture(scope="session")
def base_url(site_dir):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(site_dir):
    yield from chromium_or_skip(renderer=False)


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
