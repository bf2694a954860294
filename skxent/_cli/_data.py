"""Reading a CSV file into named columns for the command line.

pandas does the parsing (its C reader is as fast as the disk allows); this
module adds what a command line needs around it: the delimiter sniffed from
the first lines, only the asked-for columns read, and every problem with the
file (missing values above all) reported as one line that names the column,
never a silent guess.
"""

import csv
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CommandError", "Table", "first_line", "plural", "read_table"]

#: Delimiters the sniffer may choose between; anything else needs --delimiter.
_DELIMITERS = ",;\t"

#: Bytes of the file the sniffer looks at: enough for a header and some rows.
_SNIFF_BYTES = 64 * 1024


class CommandError(Exception):
    """An error in the user's input, reported as one line and exit status 2."""


class Table:
    """The columns of a CSV file, as a DataFrame, and where they came from.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per selected CSV column; numeric columns are float64,
        any other column is kept as text.
    source : str
        The file name as the user gave it (``-`` for standard input).
    """

    def __init__(self, frame, source):
        self.frame = frame
        self.source = source

    @property
    def names(self):
        return [str(name) for name in self.frame.columns]

    @property
    def n_rows(self):
        return len(self.frame)

    def numeric_names(self):
        return [n for n in self.names if _is_numeric(self.frame[n])]

    def text_names(self):
        return [n for n in self.names if not _is_numeric(self.frame[n])]

    def restricted(self, names):
        return Table(self.frame[list(names)], self.source)

    def shape_text(self):
        return f"{plural(self.n_rows, 'row')} x {plural(len(self.names), 'column')}"


def plural(count, noun):
    """``"1 row"``, ``"2 rows"``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def read_table(path, *, columns=None, delimiter=None, header=True, drop_missing=False):
    """Read a CSV file (or standard input for ``"-"``) into a :class:`Table`.

    Parameters
    ----------
    path : str
        File name, or ``"-"`` for standard input.
    columns : list of str or None
        Read only these columns, in this order (all when None).
    delimiter : str or None
        Field separator; sniffed among comma, semicolon and tab when None.
    header : bool
        Whether the first row names the columns. Without one the columns are
        named ``x1``, ``x2``, ...
    drop_missing : bool
        Drop the rows with a missing value in a selected column (and say how
        many) instead of refusing the file.
    """
    source = path
    handle = _open(path)
    try:
        sample = handle.read(_SNIFF_BYTES)
        if not sample.strip():
            raise CommandError(f"{source}: the file is empty")
        delimiter = delimiter or _sniff_delimiter(sample)
        text = io.StringIO(sample + handle.read()) if path == "-" else None
    finally:
        if path != "-":
            handle.close()
    frame = _parse(path, text, source, delimiter, header, columns)
    if frame.empty and len(frame.columns):
        raise CommandError(f"{source}: the file has a header but no data rows")
    frame = _handle_missing(frame, source, header, drop_missing)
    return Table(frame, source)


def _open(path):
    if path == "-":
        return sys.stdin
    file = Path(path)
    if not file.exists():
        raise CommandError(f"{path}: no such file")
    if not file.is_file():
        raise CommandError(f"{path}: not a regular file")
    try:
        return file.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None


def _sniff_delimiter(sample):
    # The last line of the sample may be cut short; the sniffer needs whole
    # lines to count delimiters consistently.
    lines = sample.splitlines()[:50]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        # One column (no delimiter at all) or an ambiguous file: the comma,
        # and --delimiter for anything else.
        return ","


def _parse(path, text, source, delimiter, header, columns):
    """pandas.read_csv with the errors it raises turned into one line."""
    names = _column_names(path, text, source, delimiter, header)
    if columns is not None:
        unknown = [name for name in columns if name not in names]
        if unknown:
            raise CommandError(
                f"unknown column {unknown[0]!r}; the file has columns "
                f"{', '.join(names)}"
            )
    try:
        frame = pd.read_csv(
            text if text is not None else path,
            sep=delimiter,
            header=None,
            skiprows=1 if header else 0,
            names=names,
            usecols=columns,
            skipinitialspace=True,
            encoding="utf-8-sig",
            skip_blank_lines=True,
            engine="c",
        )
    except UnicodeDecodeError:
        raise CommandError(f"{source}: not a UTF-8 text file") from None
    except pd.errors.ParserError as exc:
        raise CommandError(
            f"{source}: cannot be read as CSV ({first_line(exc)})"
        ) from None
    except ValueError as exc:  # e.g. a row with more fields than the header
        raise CommandError(
            f"{source}: cannot be read as CSV ({first_line(exc)})"
        ) from None
    if text is not None:
        text.seek(0)
    if columns is not None:
        frame = frame[columns]
    return _typed(frame)


def _column_names(path, text, source, delimiter, header):
    try:
        first = pd.read_csv(
            text if text is not None else path,
            sep=delimiter,
            header=None,
            nrows=1,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )
    except UnicodeDecodeError:
        raise CommandError(f"{source}: not a UTF-8 text file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CommandError(
            f"{source}: cannot be read as CSV ({first_line(exc)})"
        ) from None
    if text is not None:
        text.seek(0)
    if not header:
        return [f"x{j + 1}" for j in range(first.shape[1])]
    names = [str(name).strip() for name in first.iloc[0]]
    if any(not name for name in names):
        raise CommandError(f"{source}: the header row has an empty column name")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CommandError(
            f"{source}: duplicate column name {duplicates[0]!r} in the header"
        )
    return names


def _typed(frame):
    """Numbers as float64, everything else as text (strings, not mixed)."""
    for name in frame.columns:
        column = frame[name]
        if _is_numeric(column):
            if column.dtype != np.float64:
                frame[name] = column.astype(np.float64)
        else:
            frame[name] = column.astype(object).where(column.isna(), column.astype(str))
    return frame


def _handle_missing(frame, source, header, drop_missing):
    missing = frame.isna()
    counts = missing.sum()
    if not counts.any():
        return frame
    if drop_missing:
        keep = ~missing.any(axis=1).to_numpy()
        dropped = int((~keep).sum())
        print(
            f"skxent: dropped {plural(dropped, 'row')} with missing values "
            f"(of {len(frame)})",
            file=sys.stderr,
        )
        frame = frame[keep].reset_index(drop=True)
        if frame.empty:
            raise CommandError(f"{source}: every row has a missing value")
        return _typed(frame)
    name = next(n for n in frame.columns if counts[n])
    first_line = int(np.flatnonzero(missing[name].to_numpy())[0]) + 1 + int(header)
    raise CommandError(
        f"{source}: column {name!r} has {plural(int(counts[name]), 'missing value')} "
        f"(empty, NA or similar; the first on line {first_line}); drop or impute "
        "them first, or pass --drop-missing"
    )


def _is_numeric(column):
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(
        column
    )


def first_line(exc):
    """An exception's message cut to one line, for a one-line error."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
