"""Where a ``--plot`` figure goes, decided before any work is done."""

import importlib.util
from pathlib import Path

from skxent._cli._data import CommandError

__all__ = ["figure_path"]


def figure_path(path, default_name):
    """The file a figure asked for as ``path`` is written to.

    A folder gets ``default_name`` inside it and a name without an extension
    gets ``.png`` (what matplotlib would write), so the path reported is the
    path written. Refused up front when matplotlib or the folder is missing.
    """
    if importlib.util.find_spec("matplotlib") is None:
        raise CommandError("--plot needs matplotlib: pip install 'skxent[plot]'")
    figure = Path(path)
    if figure.is_dir():
        figure = figure / default_name
    elif not figure.suffix:
        figure = figure.with_suffix(".png")
    folder = figure.resolve().parent
    if not folder.is_dir():
        raise CommandError(
            f"cannot write the figure to {figure}: no such folder {folder}"
        )
    return str(figure)
