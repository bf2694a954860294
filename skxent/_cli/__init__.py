"""The ``skxent`` command line: the demo, and distributions fit to a CSV file.

Errors in the user's input are reported as one line on stderr with exit
status 2, never as a traceback; so are the machine's refusals (out of
memory, a full disk, a closed standard output), with exit status 1.
"""

import argparse
import errno
import os
import sys

from skxent._cli._data import CommandError, read_table
from skxent._cli._demo import run_demo
from skxent._cli._families import family_names
from skxent._cli._fit import run_fit
from skxent._cli._progress import slow_step
from skxent._cli._select import run_select

__all__ = ["main"]

_COMMANDS = {"fit": run_fit, "select": run_select}


def main(argv=None):
    """Run the command line with ``argv`` (default ``sys.argv[1:]``).

    Returns
    -------
    status : int
        0 on success, 2 on an error in the user's input, 1 when the machine
        refuses (memory, disk, output).
    """
    parser = _parser()
    options = parser.parse_args(argv)
    if sys.stdout is None:  # started with fd 1 closed (``skxent ... >&-``)
        return _fail("standard output is closed; nowhere to write the report", 1)
    if options.command is None:
        parser.print_help()
        return 0
    try:
        if options.command == "demo":
            run_demo(options, sys.stdout)
        else:
            with slow_step(f"reading {options.file}"):
                table = read_table(
                    options.file,
                    columns=options.columns,
                    delimiter=options.delimiter,
                    header=not options.no_header,
                    drop_missing=options.drop_missing,
                )
            _COMMANDS[options.command](table, options, sys.stdout)
        sys.stdout.flush()
    except CommandError as error:
        return _fail(str(error), 2)
    except MemoryError:
        return _fail("out of memory; try fewer --columns or a smaller file", 1)
    except BrokenPipeError:
        # The reader of our output (``skxent ... | head``) has gone: stop
        # quietly, and keep Python from complaining when it flushes stdout.
        _silence_stdout()
        return 1
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EBADF, errno.EIO):
            raise
        _silence_stdout()
        return _fail(f"cannot write the output ({os.strerror(error.errno)})", 1)
    return 0


def _fail(message, status):
    try:
        print(f"skxent: error: {message}", file=sys.stderr, flush=True)
    except OSError:
        pass
    return status


def _silence_stdout():
    """Point fd 1 at /dev/null, so that the final flush at exit cannot fail."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        sys.stdout = open(os.devnull, "w")


def _version():
    from skxent import __version__

    return __version__


def _parser():
    parser = argparse.ArgumentParser(
        prog="skxent",
        description="Fit probability distributions by maximum likelihood "
        "(minimum cross-entropy) and compare them by held-out cross-entropy.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="the library's story on data bundled with scikit-learn"
    )
    demo.add_argument(
        "--plot",
        metavar="FILE.png",
        default=None,
        help="also save a figure of the results (needs matplotlib); .png is "
        "added to a name without an extension",
    )
    fit = commands.add_parser("fit", help="fit one distribution to a CSV file")
    fit.add_argument(
        "--distribution",
        "-d",
        choices=family_names(),
        required=True,
        metavar="FAMILY",
        help=f"the family to fit, one of: {', '.join(family_names())}",
    )
    select = commands.add_parser(
        "select", help="rank distributions by k-fold held-out cross-entropy"
    )
    select.add_argument(
        "--cv", type=_fold_count, default=5, help="number of folds (default 5)"
    )
    select.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="seed of the fold shuffle, 0 <= seed < 2**32 (default 0)",
    )
    select.add_argument(
        "--per-column",
        action="store_true",
        help="rank the families for each column on its own",
    )
    select.add_argument(
        "--json",
        action="store_true",
        help="print the rankings as JSON (for programs) instead of tables",
    )
    select.add_argument(
        "--plot",
        metavar="FILE.png",
        default=None,
        help="also save the fitted densities over each column's histogram "
        "(needs matplotlib)",
    )
    for command in (fit, select):
        _add_common_options(command)
    return parser


def _add_common_options(command):
    command.add_argument("file", help="CSV file, or - for standard input")
    reading = command.add_argument_group("reading the file")
    reading.add_argument(
        "--columns",
        type=_column_list,
        default=None,
        help="comma-separated columns to use (default all); only these are read",
    )
    reading.add_argument(
        "--delimiter",
        type=_delimiter,
        default=None,
        help="field separator (default: sniffed among comma, semicolon and tab; "
        "'tab' for a tab)",
    )
    reading.add_argument(
        "--no-header",
        action="store_true",
        help="the first row is data; the columns are named x1, x2, ...",
    )
    reading.add_argument(
        "--drop-missing",
        action="store_true",
        help="drop rows with missing values (empty, NA, ...) instead of refusing "
        "the file",
    )
    model = command.add_argument_group(
        "model options (each applies to the families with that parameter)"
    )
    model.add_argument(
        "--alpha",
        type=_finite_non_negative,
        default=None,
        help="additive smoothing of the discrete families (their default: 0, "
        "the pure MLE)",
    )
    model.add_argument(
        "--covariance-type",
        default=None,
        choices=("full", "diag", "spherical"),
        help="covariance structure of the gaussian and lognormal families",
    )
    model.add_argument(
        "--reg-covar",
        type=_finite_non_negative,
        default=None,
        help="added to the covariance diagonal (gaussian default 1e-6)",
    )
    model.add_argument(
        "--dof",
        type=_finite_positive,
        default=None,
        help="fixed degrees of freedom of the student_t family (default: estimated)",
    )


def _fold_count(text):
    value = _integer(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"needs at least 2 folds, got {value}")
    return value


def _seed(text):
    value = _integer(text)
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be in [0, 2**32), got {value}")
    return value


def _integer(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def _float(text):
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _finite_non_negative(text):
    value = _float(text)
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be finite and >= 0, got {text}")
    return value


def _finite_positive(text):
    value = _float(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be finite and > 0, got {text}")
    return value


def _delimiter(text):
    text = {"tab": "\t", "\\t": "\t"}.get(text, text)
    if len(text) != 1:
        raise argparse.ArgumentTypeError(
            f"must be one character (or 'tab'), got {text!r}"
        )
    return text


def _column_list(text):
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"empty column name in {text!r}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise argparse.ArgumentTypeError(f"column {repeated[0]!r} is given twice")
    return names
