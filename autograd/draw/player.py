"""The step-through player: SVG frames with captions, played by player.js in player.html.

``Player.html()`` fills the page template (player.html, player.css,
player.js, shipped with the package) with the frames as JSON.  In Jupyter
it shows inline in an iframe, with a still fallback beside it: a filmstrip
of the frames as one PNG, for front ends that run no script (an untrusted
notebook, nbviewer, GitHub, a sanitised HTML export).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path

__all__ = ["Player"]


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def fill(template: str, values: dict[str, str]) -> str:
    """``{{name}}`` → ``values[name]``, in one pass (a value that contains ``{{…}}`` stays as it is)."""
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m[1]], template)


class Player:
    """SVG frames with captions, played by a little vanilla-JS player.

    ``save(path)`` writes one self-contained HTML file; in Jupyter the same
    page shows inline (in an iframe, so several players on a page never clash)
    beside ``still``, PNG bytes shown where scripts do not run.
    """

    def __init__(self, svgs: list[str], captions: list[str], *, interval_ms: int = 900, still=None) -> None:
        if len(svgs) != len(captions) or not svgs:
            raise ValueError("Player: needs one caption per frame and at least one frame")
        self.svgs, self.captions, self.interval_ms = list(svgs), list(captions), int(interval_ms)
        self._still = still  # PNG bytes, or a function that makes them (rendered only when shown)

    def html(self) -> str:
        """The player as a complete HTML document."""
        data = json.dumps({"frames": self.svgs, "captions": self.captions, "interval": self.interval_ms})
        # "</script>" or "<!--" inside a <script> would end or derail it: JSON can spell "<" as \u003c
        data = data.replace("<", "\\u003c")
        pid = f"cr-player-{hashlib.sha1(data.encode()).hexdigest()[:12]}"  # from the content: same page each run
        return fill(
            _asset("player.html"),
            {
                "css": _asset("player.css").strip(),
                "js": _asset("player.js").strip(),
                "pid": pid,
                "last": str(len(self.svgs) - 1),
                "count": str(len(self.svgs)),
                "data": data,
            },
        )

    def save(self, path) -> str:
        """Write the player as one HTML file; returns the path."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return str(path)

    def still(self) -> bytes | None:
        """The still fallback as PNG bytes (a filmstrip of the frames), or None when there is none."""
        if callable(self._still):
            self._still = self._still()
        return self._still

    def _height(self) -> int:
        heights = [float(m[1]) for s in self.svgs if (m := re.search(r'<svg[^>]*height="([\d.]+)pt"', s))]
        return int(max(heights, default=300) * 4 / 3) + 120

    def __repr__(self) -> str:
        return f"<Player: {len(self.svgs)} frames; .save(path) writes one HTML file>"

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" style="width: 100%; border: none;" '
            f'height="{self._height()}" sandbox="allow-scripts"></iframe>'
        )

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        """The player as HTML, and its filmstrip as PNG: a front end that runs no script shows the PNG."""
        bundle = {"text/html": self._repr_html_()}
        png = self.still()
        if png is not None:
            data = base64.b64encode(png).decode("ascii")
            bundle["image/png"] = data
            # An untrusted JupyterLab still picks the HTML, sanitised: no iframe, no script. So the
            # HTML carries the filmstrip too, and where scripts run this one removes it again.
            sid = "cr-still-" + hashlib.sha1(data.encode()).hexdigest()[:12]
            bundle["text/html"] = (
                f'<img id="{sid}" src="data:image/png;base64,{data}" alt="the backward pass, frame by frame">'
                + bundle["text/html"]
                + f'<script>document.getElementById("{sid}").remove();</script>'
            )
        return {k: v for k, v in bundle.items() if (not include or k in include) and k not in (exclude or ())}
