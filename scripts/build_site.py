"""Build the site into site/: the docs (MkDocs, --strict) and the playground's runtime.

    python scripts/build_site.py        # after `pip install -e '.[docs]'` and `npm ci`

1. ``mkdocs build --strict``: a broken link, a bad docstring reference or a
   public name with no API entry fails the build.
2. Copies the files the pages load from node_modules/ (the Pyodide runtime,
   Graphviz in WebAssembly, MathJax), so the site needs no CDN.
3. Builds chainrule's own wheel from this checkout and downloads the pure-Python
   wheels of its dependencies (graphviz, tqdm); writes their files into one
   ``files.json.gz``, and makes (with Node, scripts/playground_snapshot.mjs) a
   snapshot of Pyodide's memory with autograd, nn and the playground's runner
   imported.  The page restores the snapshot and writes the files (a few
   seconds less than starting Python and importing the package); if it cannot,
   it starts Python and installs the wheels with ``loadPackage``.  No network.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
# only what the pages load: no source maps, type stubs, consoles or node-only files
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
COPIES = [  # (from node_modules, to site/, files)
    ("pyodide", "playground/vendor/pyodide", PYODIDE_FILES),
    ("@hpcc-js/wasm-graphviz/dist", "playground/vendor/graphviz", ["index.js"]),
    ("@hpcc-js/wasm-graphviz", "playground/vendor/graphviz", ["LICENSE"]),
    ("mathjax/es5", "assets/vendor/mathjax", ["tex-svg-full.js"]),
    ("mathjax", "assets/vendor/mathjax", ["LICENSE"]),
]
DEPENDENCIES = ["graphviz", "tqdm"]  # chainrule's own, pure Python
# what the playground's worker runs once the wheels are installed (and the snapshot holds done)
SETUP = "import sys; sys.path.insert(0, '/home/pyodide'); import playground, autograd, nn"


def wheel_files(wheels: list[Path]) -> dict[str, str]:
    """Every file of these (pure-Python) wheels, by its path in site-packages."""
    files: dict[str, str] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as z:
            for name in z.namelist():
                if not name.endswith("/"):
                    files[name] = z.read(name).decode("utf-8")
    return files


def run(*cmd: str) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default=str(ROOT / "site"))
    args = parser.parse_args(argv)
    site = Path(args.site_dir).resolve()
    if not NODE.is_dir():
        sys.exit("node_modules/ is missing: run `npm ci` first (package-lock.json pins the Pyodide runtime)")
    if shutil.which("node") is None:
        sys.exit("node is missing: the playground's Python snapshot is made with Node (the one npm runs on)")
    t0 = time.perf_counter()

    run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site))
    for source_map in site.glob("assets/**/*.map"):  # the theme's source maps: for its developers, 1.3 MB
        source_map.unlink()

    for src, dst, names in COPIES:
        (site / dst).mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy2(NODE / src / name, site / dst / name)

    wheels = site / "playground" / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), ".")
    # wheels for the Python inside Pyodide, whatever Python runs this script
    lock = json.loads((NODE / "pyodide" / "pyodide-lock.json").read_text())
    py = ".".join(lock["info"]["python"].split(".")[:2])
    run(
        sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
        "--python-version", py, "-d", str(wheels), *DEPENDENCIES,
    )  # fmt: skip
    names = sorted(p.name for p in wheels.glob("*.whl"))
    ours = [n for n in names if n.startswith("chainrule-")]
    if len(ours) != 1:
        sys.exit(f"expected one chainrule wheel in {wheels}, found {ours}")
    manifest = {
        "chainrule": ours[0].split("-")[1],
        "pyodide": lock["info"]["python"],
        "wheels": ours + [n for n in names if n.split("-")[0] in DEPENDENCIES],
        "setup": SETUP,
        "files": "files.json.gz",
        "snapshot": "python.snapshot.gz",
    }
    (wheels / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    files = wheel_files([wheels / w for w in manifest["wheels"]])
    text = json.dumps(files, separators=(",", ":")).encode()
    (wheels / manifest["files"]).write_bytes(gzip.compress(text, mtime=0))
    run("node", str(ROOT / "scripts" / "playground_snapshot.mjs"), str(site / "playground"))

    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"site built in {time.perf_counter() - t0:.1f} s: {site} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
