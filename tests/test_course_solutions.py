"""The course with the reference solutions filled in: every check says ✓.

nbmake runs each notebook as given (every check says "not attempted yet");
this test fills each cell tagged ``exercise`` with its solution from
notebooks/solutions.json, runs the notebook with nbclient (up to its last
check, when no later cell mentions a name the solutions bind), and asserts
that every check printed "✓ right" and none "✗ not yet" or "not attempted".
"""

import ast
import json
import os
import re

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
    """The notebook with its solutions, up to its last check if nothing after it uses what they define.

    nbmake runs every cell as given; here a solution could only change a later cell through a
    name it defines, so when no later cell mentions one the rest (training, in 06 and 09) is not
    run twice.
    """
    nb = nbformat.read(os.path.join(NOTEBOOKS, name), as_version=4)
    defined = set()
    for cell in exercise_cells(nb):
        cell.source = SOLUTIONS[name][cell.id]
        defined |= names_defined(cell.source)
    last = nb.cells.index(exercise_cells(nb)[-1]) + 1  # its check
    rest = " ".join(c.source for c in nb.cells[last + 1:] if c.cell_type == "code")
    if not any(re.search(rf"\b{re.escape(n)}\b", rest) for n in defined):
        nb.cells = nb.cells[: last + 1]
    return nb


def names_defined(source: str) -> set:
    """The names a cell binds at top level (a function's own locals are its business)."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        for target in getattr(node, "targets", []):
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}  # x = ..., Value.add = ...
    return names


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


def test_a_notebook_is_cut_after_its_last_check_only_where_nothing_later_uses_a_solution():
    assert names_defined("def f(x):\n    p = 1\n    return p\n\n\nValue.f = f\nn = 2") == {"f", "Value", "n"}
    assert len(filled("00_build_your_own_engine.ipynb").cells) == len(nbformat.read(
        os.path.join(NOTEBOOKS, "00_build_your_own_engine.ipynb"), as_version=4).cells)  # its last cell uses Value
