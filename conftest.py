"""Put this checkout first on sys.path, so tests import our `autograd` and `nn`
even where PyPI's HIPS `autograd` (same import name) is installed."""

import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
if sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)

import autograd  # noqa: E402

if os.path.dirname(os.path.dirname(os.path.abspath(autograd.__file__))) != ROOT:
    raise ImportError(
        f"`import autograd` found {autograd.__file__}, not chainrule's {ROOT}/autograd: "
        "another package named autograd (HIPS autograd, `pip install autograd`) shadows it. "
        "Run `pip uninstall autograd` or use a separate virtual environment."
    )

# Notebooks run in their own kernel processes (nbmake): give them this checkout first too.
os.environ["PYTHONPATH"] = os.pathsep.join([ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])
