"""Every Python example in the README runs, and prints what its comments say.

A line ``print(...)  # 8.0 4.0 2.0   (note)`` must print ``8.0 4.0 2.0``:
the comment up to the first run of two spaces.
"""

import contextlib
import io
import os
import re

import pytest

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")
PRINT = re.compile(r"^(\s*)print\((.*)\)\s*#\s*(.+?)(?:\s{2,}.*)?$")


def _blocks():
    text = open(README, encoding="utf-8").read()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def _instrument(code):
    """Turn each commented print into a check of what it prints."""
    lines = []
    for line in code.splitlines():
        m = PRINT.match(line)
        if m:
            indent, args, expected = m.groups()
            line = f"{indent}_check(lambda: print({args}), {expected.strip()!r})"
        lines.append(line)
    return "\n".join(lines)


def _check(fn, expected):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn()
    assert out.getvalue().strip() == expected


@pytest.mark.parametrize("index", range(len(_blocks())))
def test_readme_example_runs_and_prints_what_it_says(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = _instrument(_blocks()[index])
    exec(compile(code, f"README.md block {index}", "exec"), {"_check": _check, "__name__": "readme"})


def test_the_instrumentation_can_fail():
    with pytest.raises(AssertionError):
        exec(_instrument("print(1 + 1)  # 3"), {"_check": _check})


def test_ci_runs_the_readmes_test_command_verbatim():
    text = open(README, encoding="utf-8").read()
    setup = text.split("## Set-up", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = setup.strip().splitlines()
    command = lines[lines.index(next(line for line in lines if "run every test" in line)) + 1].strip()
    assert "pytest" in command
    ci = open(os.path.join(os.path.dirname(README), ".ci", "run"), encoding="utf-8").read()
    assert command in ci.splitlines(), f".ci/run does not run the README's test command: {command}"
