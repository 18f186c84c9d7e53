"""MkDocs hooks: keep the API reference tied to the public names.

* ``::: autograd.NAME`` for a name that ``autograd`` exports lazily (through
  a module ``__getattr__``, as ``draw_dot``), or whose name is also a
  submodule's (``gradcheck``), is rewritten to the module that defines it,
  found by importing it, so the page survives internal moves.
* Every name in ``autograd.__all__``, ``autograd.testing.__all__`` and
  ``nn.__all__`` must have an entry on the API pages, or the build fails.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import re
import sys

from mkdocs.exceptions import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLIC = ("autograd", "autograd.testing", "nn")
DIRECTIVE = re.compile(r"^::: ((?:autograd|nn)(?:\.\w+)*)[ \t]*$", re.M)
_seen: set[str] = set()


def _module(name: str):
    if sys.path[:1] != [ROOT]:
        sys.path.insert(0, ROOT)  # this checkout's packages, not an installed copy
    return importlib.import_module(name)


def _target(path: str) -> str:
    """The path mkdocstrings can find statically for the public ``path``."""
    module_name, _, name = path.rpartition(".")
    if module_name not in PUBLIC:
        return path
    module = _module(module_name)
    obj = getattr(module, name)
    lazy = name not in vars(module)  # exported by a module __getattr__
    # `autograd.gradcheck` is the function at run time, but a static reader finds the submodule of that name
    shadowed = (
        not inspect.ismodule(obj) and hasattr(module, "__path__") and importlib.util.find_spec(path) is not None
    )
    if (lazy or shadowed) and hasattr(obj, "__qualname__"):
        return f"{obj.__module__}.{obj.__qualname__}"  # document it where it is defined
    return path


def on_pre_build(config, **kwargs):
    _seen.clear()


def on_page_markdown(markdown, page, config, files, **kwargs):
    def rewrite(m):
        _seen.add(m.group(1))
        return f"::: {_target(m.group(1))}"

    return DIRECTIVE.sub(rewrite, markdown)


def on_post_build(config, **kwargs):
    missing = [
        f"{module}.{name}" for module in PUBLIC for name in _module(module).__all__ if f"{module}.{name}" not in _seen
    ]
    if missing:
        raise PluginError("public names with no entry in docs/api/: " + ", ".join(missing))
