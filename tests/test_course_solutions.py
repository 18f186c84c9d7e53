"""The course with the reference solutions filled in: every check says ✓.

nbmake runs each notebook as given (every check says "not attempted yet");
this test fills each cell tagged ``exercise`` with its solution from
notebooks/solutions.json, runs the notebook with nbclient, and asserts that
every check printed "✓ right" and none "✗ not yet" or "not attempted".
"""

import json
import os

import nbclient
import nbformat
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = os.path.join(ROOT, "notebooks")
SOLUTIONS = json.load(open(os.path.join(NOTEBOOKS, "solutions.json"), encoding="utf-8"))
ALL = sorted(f for f in os.listdir(NOTEBOOKS) if f.endswith(".ipynb"))


def exercise_cells(nb):
    return [c for c in nb.cells if "exercise" in c.get("metadata", {}).get("tags", [])]


def filled(name: str):
    nb = nbformat.read(os.path.join(NOTEBOOKS, name), as_version=4)
    for cell in exercise_cells(nb):
        cell.source = SOLUTIONS[name][cell.id]
    return nb


def printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


@pytest.mark.parametrize("name", ALL)
def test_every_notebook_has_three_exercises_each_with_a_solution_and_a_check(name):
    nb = nbformat.read(os.path.join(NOTEBOOKS, name), as_version=4)
    cells = exercise_cells(nb)
    assert len(cells) >= 3, f"{name}: {len(cells)} cells tagged exercise"
    assert set(SOLUTIONS.get(name, {})) == {c.id for c in cells}, "notebooks/solutions.json: one solution per exercise"
    for cell in cells:
        following = nb.cells[nb.cells.index(cell) + 1]
        assert following.source.startswith("check("), f"{cell.id}: the cell after an exercise calls check"
        assert "not attempted yet" in printed(following), f"{cell.id}: committed as given, not attempted"


@pytest.mark.parametrize("name", ALL)
def test_with_the_solutions_every_check_passes(name, tmp_path):
    nb = filled(name)
    try:
        nbclient.NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": NOTEBOOKS}},
        ).execute()
    finally:
        nbformat.write(nb, tmp_path / name)  # the filled notebook, to open when a check fails
    checks = [nb.cells[nb.cells.index(c) + 1] for c in exercise_cells(nb)]  # the check after each exercise
    for cell in checks:
        out = printed(cell)
        assert "✓ right" in out and "✗" not in out and "not attempted" not in out, f"{cell.id}: {out!r}"
