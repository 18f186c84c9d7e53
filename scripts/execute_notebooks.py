"""Execute notebooks in place, top to bottom, for committing with their outputs.

    python scripts/execute_notebooks.py                 # every notebook in notebooks/
    python scripts/execute_notebooks.py notebooks/04_moons.ipynb

No timing metadata is written, so re-running a seeded notebook changes
nothing unless its outputs change.
"""

import glob
import os
import sys
import time

import nbclient
import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def execute(path: str) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    client.execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(paths: list[str]) -> None:
    os.environ["PYTHONPATH"] = os.pathsep.join([ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])
    os.environ.setdefault("TQDM_DISABLE", "1")
    for path in paths or sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb"))):
        print(f"{os.path.basename(path)}: {execute(path):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
