"""The ``skxent`` command line: the demo, and distributions fit to a CSV file.

Errors in the user's input are reported as one line on stderr with exit
status 2, never as a traceback.
"""

import argparse
import os
import sys

from skxent._cli._data import CommandError, read_table
from skxent._cli._demo import run_demo
from skxent._cli._families import FAMILIES
from skxent._cli._fit import run_fit
from skxent._cli._select import run_select

__all__ = ["main"]

_COMMANDS = {"fit": run_fit, "select": run_select}


def main(argv=None):
    """Run the command line with ``argv`` (default ``sys.argv[1:]``).

    Returns
    -------
    status : int
        0 on success, 2 on an error in the user's input.
    """
    options = _parser().parse_args(argv)
    try:
        if options.command == "demo":
            run_demo(options, sys.stdout)
        else:
            table = read_table(options.file).select(options.columns)
            _COMMANDS[options.command](table, options, sys.stdout)
    except CommandError as error:
        print(f"skxent: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of our output (``skxent ... | head``) has gone: stop
        # quietly, and keep Python from complaining when it flushes stdout.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _parser():
    parser = argparse.ArgumentParser(
        prog="skxent",
        description="Fit probability distributions by maximum likelihood "
        "(minimum cross-entropy) and compare them by held-out cross-entropy.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="the library's story on data bundled with scikit-learn"
    )
    demo.add_argument(
        "--plot",
        metavar="FILE.png",
        default=None,
        help="also save a figure of the results (needs matplotlib)",
    )
    fit = commands.add_parser("fit", help="fit one distribution to a CSV file")
    fit.add_argument("--distribution", "-d", choices=FAMILIES, required=True)
    select = commands.add_parser(
        "select", help="rank distributions by k-fold held-out cross-entropy"
    )
    select.add_argument(
        "--cv", type=_positive_int, default=5, help="number of folds (default 5)"
    )
    select.add_argument(
        "--seed", type=int, default=0, help="seed of the fold shuffle (default 0)"
    )
    for command in (fit, select):
        _add_common_options(command)
    return parser


def _add_common_options(command):
    command.add_argument("file", help="CSV file with a header row")
    command.add_argument(
        "--columns",
        type=_column_list,
        default=None,
        help="comma-separated columns to use (default all)",
    )
    command.add_argument(
        "--alpha",
        type=_non_negative_float,
        default=0.0,
        help="additive smoothing of the discrete families (default 0: the pure MLE)",
    )
    command.add_argument(
        "--covariance-type",
        default="full",
        choices=("full", "diag", "spherical"),
        help="gaussian covariance structure (default full)",
    )
    command.add_argument(
        "--reg-covar",
        type=_non_negative_float,
        default=1e-6,
        help="added to the gaussian covariance diagonal (default 1e-6)",
    )


def _positive_int(text):
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"needs at least 2 folds, got {value}")
    return value


def _non_negative_float(text):
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _column_list(text):
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"empty column name in {text!r}")
    return names
