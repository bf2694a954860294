"""Plain-text tables for the command line."""

import math

__all__ = ["format_number", "format_table", "information_rows"]

LN2 = math.log(2.0)


def format_number(value, digits=4):
    """Format a float with fixed decimals; infinities and nan stay readable."""
    if isinstance(value, str):
        return value
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if round(value, digits) == 0:
        value = 0.0  # no "-0.0000" for a value that rounds to zero
    return f"{value:.{digits}f}"


def format_table(header, rows, indent=2):
    """Align ``rows`` under ``header``: text left-aligned, numbers right-aligned."""
    cells = [
        [format_number(cell) if isinstance(cell, float) else str(cell) for cell in row]
        for row in rows
    ]
    widths = [
        max(len(str(h)), *(len(row[j]) for row in cells)) for j, h in enumerate(header)
    ]
    numeric = [
        all(isinstance(row[j], (int, float)) for row in rows)
        for j in range(len(header))
    ]

    def line(values):
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return " " * indent + "  ".join(parts).rstrip()

    return "\n".join([line([str(h) for h in header]), *map(line, cells)])


def information_rows(pairs):
    """Rows of (quantity, nats, bits) for quantities measured in nats."""
    return [(name, value, value / LN2) for name, value in pairs]
