"""Reading a CSV file into named columns for the command line."""

import csv
from pathlib import Path

import numpy as np

__all__ = ["CommandError", "Table", "read_table"]


class CommandError(Exception):
    """An error in the user's input, reported as one line and exit status 2."""


class Table:
    """Named columns of equal length, each numeric (float64) or text (object)."""

    def __init__(self, names, columns):
        self.names = list(names)
        self.columns = list(columns)

    @property
    def n_rows(self):
        return self.columns[0].shape[0]

    def is_numeric(self, name):
        return self.columns[self.names.index(name)].dtype.kind == "f"

    def select(self, names):
        """Return the table restricted to ``names`` (all columns if None)."""
        if names is None:
            return self
        unknown = [name for name in names if name not in self.names]
        if unknown:
            raise CommandError(
                f"unknown column {unknown[0]!r}; the file has columns "
                f"{', '.join(self.names)}"
            )
        return Table(names, [self.columns[self.names.index(n)] for n in names])

    def numeric_matrix(self, distribution):
        """Return the columns as a float matrix, or explain which is not numeric."""
        for name in self.names:
            if not self.is_numeric(name):
                raise CommandError(
                    f"column {name!r} is not numeric; the {distribution} "
                    "distribution needs numbers (try --distribution categorical "
                    "or --columns)"
                )
        return np.column_stack(self.columns)

    def object_matrix(self):
        """Return the columns as an object matrix (numbers stay numbers)."""
        matrix = np.empty((self.n_rows, len(self.names)), dtype=object)
        for j, column in enumerate(self.columns):
            matrix[:, j] = column
        return matrix


def read_table(path):
    """Read a CSV file with a header row into a :class:`Table`.

    A column whose every cell parses as a number becomes float64; any other
    column is kept as text. Empty cells are refused rather than guessed.
    """
    rows = _read_rows(Path(path))
    header, body = rows[0], rows[1:]
    _check_header(header, path)
    if not body:
        raise CommandError(f"{path}: the file has a header but no data rows")
    for line_number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise CommandError(
                f"{path}, line {line_number}: expected {len(header)} fields, "
                f"got {len(row)}"
            )
    columns = [
        _parse_column(name, cells, path)
        for name, cells in zip(header, zip(*body, strict=True), strict=True)
    ]
    return Table(header, columns)


def _read_rows(path):
    if not path.exists():
        raise CommandError(f"{path}: no such file")
    if not path.is_file():
        raise CommandError(f"{path}: not a regular file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle) if row]
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not a UTF-8 text file") from None
    except (OSError, csv.Error) as exc:
        raise CommandError(f"{path}: cannot be read as CSV ({exc})") from None
    if not rows:
        raise CommandError(f"{path}: the file is empty")
    return rows


def _check_header(header, path):
    names = [name.strip() for name in header]
    if any(not name for name in names):
        raise CommandError(f"{path}: the header row has an empty column name")
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise CommandError(
            f"{path}: duplicate column name {sorted(duplicates)[0]!r} in the header"
        )
    header[:] = names


def _parse_column(name, cells, path):
    cells = [cell.strip() for cell in cells]
    if "" in cells:
        row = cells.index("") + 2
        raise CommandError(
            f"{path}, line {row}: column {name!r} has an empty cell; fill or drop "
            "missing values first"
        )
    try:
        values = np.array([float(cell) for cell in cells])
    except ValueError:
        return np.array(cells, dtype=object)
    if not np.all(np.isfinite(values)):
        raise CommandError(f"{path}: column {name!r} contains nan or inf")
    return values
