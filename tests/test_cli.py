"""The ``skxent`` command line, checked against numpy and scipy references."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from sklearn.model_selection import KFold

from skxent._cli import main

IRIS_CSV = Path(__file__).resolve().parents[1] / "examples" / "data" / "iris.csv"


def _run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _value(out, label, column=0):
    """The number in column ``column`` of the report line starting with ``label``."""
    for line in out.splitlines():
        if line.strip().startswith(label):
            numbers = line.strip()[len(label) :].split()
            return float(numbers[column])
    raise AssertionError(f"no line {label!r} in:\n{out}")


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_fit_gaussian_matches_scipy(capsys):
    status, out, err = _run(capsys, "fit", str(IRIS_CSV), "--distribution", "gaussian")
    assert status == 0, err
    X = np.loadtxt(IRIS_CSV, delimiter=",", skiprows=1)
    covariance = np.cov(X, rowvar=False, bias=True) + 1e-6 * np.eye(4)
    reference = stats.multivariate_normal(X.mean(axis=0), covariance)
    mean_log_likelihood = reference.logpdf(X).mean()
    assert _value(out, "mean log-likelihood") == pytest.approx(
        mean_log_likelihood, abs=1e-4
    )
    assert _value(out, "mean log-likelihood", 1) == pytest.approx(
        mean_log_likelihood / math.log(2), abs=1e-4
    )
    assert _value(out, "entropy H(model)") == pytest.approx(
        reference.entropy(), abs=1e-4
    )
    n_parameters = 4 + 4 * 5 // 2
    assert _value(out, "AIC (whole data set)") == pytest.approx(
        -2 * reference.logpdf(X).sum() + 2 * n_parameters, abs=1e-3
    )
    assert _value(out, "sepal_length") == pytest.approx(X[:, 0].mean(), abs=1e-4)


def test_fit_categorical_reports_frequencies(capsys, tmp_path):
    path = _write(tmp_path, "color\nred\nred\nblue\nred\n")
    status, out, _ = _run(capsys, "fit", path, "-d", "categorical")
    assert status == 0
    rows = {
        tuple(line.split()[:2]): float(line.split()[2])
        for line in out.splitlines()
        if line.strip().startswith("color ")
    }
    assert rows == pytest.approx({("color", "red"): 0.75, ("color", "blue"): 0.25})
    assert _value(out, "entropy H(model)") == pytest.approx(
        stats.entropy([0.75, 0.25]), abs=1e-4
    )


def test_fit_bernoulli_reports_frequencies(capsys, tmp_path):
    path = _write(tmp_path, "a,b\n1,0\n1,1\n0,0\n1,0\n")
    status, out, _ = _run(capsys, "fit", path, "-d", "bernoulli")
    assert status == 0
    assert _value(out, "a") == pytest.approx(0.75, abs=1e-4)
    assert _value(out, "b") == pytest.approx(0.25, abs=1e-4)
    expected = 2 * stats.bernoulli(0.75).entropy()
    assert _value(out, "entropy H(model)") == pytest.approx(expected, abs=1e-4)


def _ranking(out):
    """Map family -> held-out nats/row from the ranking table, in rank order."""
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    return {row[1]: float(row[2]) for row in rows}


def test_select_ranks_by_held_out_cross_entropy(capsys, tmp_path):
    rng = np.random.default_rng(0)
    X = (rng.random((200, 3)) < [0.2, 0.5, 0.9]).astype(int)
    path = _write(tmp_path, "a,b,c\n" + "\n".join(",".join(map(str, r)) for r in X))
    status, out, err = _run(capsys, "select", path, "--cv", "4")
    assert status == 0, err
    ranking = _ranking(out)
    assert sorted(ranking) == ["bernoulli", "categorical", "gaussian"]
    assert list(ranking.values()) == sorted(ranking.values())
    # On binary columns the Bernoulli and categorical MLEs are the same model;
    # each fold's held-out cross-entropy is the Bernoulli log-loss of the
    # training frequencies, computed here directly.
    folds = KFold(n_splits=4, shuffle=True, random_state=0)
    expected = np.mean(
        [
            -stats.bernoulli(X[train].mean(axis=0)).logpmf(X[test]).sum(axis=1).mean()
            for train, test in folds.split(X)
        ]
    )
    assert ranking["bernoulli"] == pytest.approx(expected, abs=1e-4)
    assert ranking["categorical"] == pytest.approx(expected, abs=1e-4)


def test_select_on_iris_has_only_the_gaussian(capsys):
    status, out, _ = _run(capsys, "select", str(IRIS_CSV))
    assert status == 0
    assert "gaussian" in out and "bernoulli" not in out


@pytest.mark.parametrize(
    ("content", "argv", "message"),
    [
        (None, ["fit", "{missing}", "-d", "gaussian"], "no such file"),
        ("", ["fit", "{path}", "-d", "gaussian"], "empty"),
        ("a,b\n", ["fit", "{path}", "-d", "gaussian"], "no data rows"),
        ("a,b\n1,x\n2,y\n", ["fit", "{path}", "-d", "gaussian"], "not numeric"),
        (
            "a,b\n1,2\n3,4\n",
            ["fit", "{path}", "-d", "gaussian", "--columns", "c"],
            "unknown column 'c'",
        ),
        ("a,b\n1,2\n3,4,5\n", ["fit", "{path}", "-d", "gaussian"], "Expected 2 fields"),
        ("a,b\n1,2\n3\n", ["fit", "{path}", "-d", "gaussian"], "on line 3"),
        ("a,b\n1,\n3,4\n", ["fit", "{path}", "-d", "gaussian"], "1 missing value"),
        (
            "a\n0.5\n1\n",
            ["fit", "{path}", "-d", "bernoulli"],
            "column 0 ('a') has the value 0.5",
        ),
        ("a\n0.5\n1\n", ["fit", "{path}", "-d", "categorical"], "non-integer"),
        ("a\n1\n2\n", ["select", "{path}", "--cv", "3"], "more folds"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, tmp_path, content, argv, message):
    path = _write(tmp_path, content) if content is not None else ""
    argv = [a.format(path=path, missing=tmp_path / "nope.csv") for a in argv]
    status, out, err = _run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err and "Traceback" not in err


def test_python_dash_m_runs_the_command_line():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "skxent",
            "fit",
            str(IRIS_CSV),
            "-d",
            "gaussian",
            "--covariance-type",
            "diag",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "GaussianDistribution(covariance_type='diag')" in result.stdout


def test_python_dash_m_bad_file_has_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "skxent", "select", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"skxent: error: {tmp_path / 'missing.csv'}: no such file"
    )


def test_select_reports_an_unseen_held_out_category_as_inf(capsys, tmp_path):
    # "z" occurs once: the fold that holds it out never saw it, so the MLE
    # gives it probability zero and that fold's cross-entropy is infinite.
    path = _write(tmp_path, "c\na\nb\na\nb\na\nz\n")
    status, out, _ = _run(capsys, "select", path, "--cv", "2")
    assert status == 0
    assert _ranking(out) == {"categorical": np.inf}
    assert "n/a" in out  # no standard deviation of infinite scores
    assert "never seen in training" in out


def test_fit_uses_the_default_unknown_category_policy(capsys, tmp_path):
    path = _write(tmp_path, "c\na\nb\n")
    status, out, _ = _run(capsys, "fit", path, "-d", "categorical")
    assert status == 0
    assert out.startswith("CategoricalDistribution() fit to 2 rows")


def test_a_closed_output_pipe_ends_quietly(tmp_path):
    # As in `skxent fit ... | head -1`: the reader closes the pipe before the
    # report is written. A real pipe whose read end is closed makes the
    # writes fail with EPIPE, deterministically.
    code = (
        "import os, sys\n"
        "from skxent._cli import main\n"
        "read_end, write_end = os.pipe()\n"
        "os.close(read_end)\n"
        "os.dup2(write_end, sys.stdout.fileno())\n"
        f"status = main(['fit', {str(IRIS_CSV)!r}, '-d', 'gaussian'])\n"
        "print(status, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "1"
