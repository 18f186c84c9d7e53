"""How long the playground takes to load: a ready editor, and its first example run.

    python benchmarks/playground_load.py [--site site] [--site other-site ...] [--loads 5]

Serves each built site (``python scripts/build_site.py``) from 127.0.0.1, opens
``playground/`` in headless Chromium ``--loads`` times, each in a fresh browser
context (nothing cached), with every other request blocked, and prints per load
the time from navigation to a ready editor and to the end of the first
example's run, and the median of each.  With several ``--site`` the loads are
interleaved (site A, site B, A, B, ...) so that a busy machine weighs on all alike.

The page's own phases (``window.playground.log``: what the status line said,
with the worker's clock) are printed for the median load, and the largest
files the page fetched, with their sizes.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, QuietHandler  # noqa: E402


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def load_once(browser, base: str, timeout_ms: int) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(base + "/") or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(base + "/playground/")
        # performance.now() is milliseconds since navigation started; polled every 20 ms
        # (the same for any version of the page)
        ready = page.wait_for_function(
            "window.playground && window.playground.ready && performance.now()", timeout=timeout_ms, polling=20
        ).json_value()
        first = page.wait_for_function(
            "window.playground.runs >= 1 && performance.now()", timeout=timeout_ms, polling=20
        ).json_value()
        log = page.evaluate("window.playground.log")
        output = page.inner_text("#output").strip()
        files = page.evaluate(
            "performance.getEntriesByType('resource')"
            ".map(e => [e.name, e.encodedBodySize, Math.round(e.startTime), Math.round(e.responseEnd)])"
        )
    finally:
        context.close()
    if blocked:
        raise SystemExit(f"the page asked for the network: {blocked}")
    return {"ready": ready, "first": first, "log": log, "output": output, "files": files}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", action="append", help="a built site (default: site/)")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for one load")
    args = parser.parse_args(argv)
    sites = [Path(s).resolve() for s in (args.site or [str(ROOT / "site")])]
    for s in sites:
        if not (s / "playground" / "index.html").is_file():
            raise SystemExit(f"{s} has no playground/index.html: run python scripts/build_site.py")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium on the PATH")
    from playwright.sync_api import sync_playwright

    servers = [serve(s) for s in sites]
    results: dict[Path, list[dict]] = {s: [] for s in sites}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for i in range(args.loads):
            for s, (_, base) in zip(sites, servers):
                r = load_once(browser, base, int(args.timeout * 1000))
                results[s].append(r)
                ready, first = r["ready"] / 1000, r["first"] / 1000
                print(f"{s.name} load {i + 1}: ready {ready:.2f} s, first example done {first:.2f} s")
        browser.close()
    for server, _ in servers:
        server.shutdown()

    for s in sites:
        rs = results[s]
        ready = statistics.median(r["ready"] for r in rs)
        first = statistics.median(r["first"] for r in rs)
        print(f"\n{s}: median of {len(rs)} loads: ready {ready / 1000:.2f} s, first example done {first / 1000:.2f} s")
        each = ", ".join(f"{r['ready'] / 1000:.2f}" for r in rs)
        print(f"  loads (ready, s): {each}")
        mid = sorted(rs, key=lambda r: r["ready"])[len(rs) // 2]
        print("  phases of the median load (the status line; ms on the page's clock):")
        for text, ms in mid["log"]:
            print(f"    {ms:7.0f}  {text}")
        print("  largest files fetched (bytes, fetch start..end ms):")
        for name, size, start, end in sorted(mid["files"], key=lambda f: -f[1])[:8]:
            print(f"    {size:>10,}  {start:6d}..{end:<6d} {name.split('/playground/', 1)[-1]}")
        print(f"  first example printed: {mid['output']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
