"""Every Python example in the guide runs and prints what its comments say, as the README's do."""

import re
from pathlib import Path

import pytest

from tests.test_readme import _check, _instrument

GUIDE = Path(__file__).resolve().parents[2] / "docs"
BLOCKS = [
    (page, i, block)
    for page in sorted(GUIDE.glob("**/*.md"))
    for i, block in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S))
]


def test_the_guide_has_examples():
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("page, index, block", BLOCKS, ids=[f"{p.relative_to(GUIDE)}:{i}" for p, i, _ in BLOCKS])
def test_docs_example_runs_and_prints_what_it_says(page, index, block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = _instrument(block)
    exec(compile(code, f"{page.name} block {index}", "exec"), {"_check": _check, "__name__": "docs"})
