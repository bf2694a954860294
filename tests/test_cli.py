"""The ``skxent`` command line, checked against numpy and scipy references."""

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
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
    # 0/1 data call for probability masses: no density is ranked beside them.
    from skxent.distributions._registry import FAMILIES

    discrete = {c._family.name for c in FAMILIES if c._family.kind == "discrete"}
    assert {"bernoulli", "categorical"} <= set(ranking) <= discrete
    assert "Ranked: discrete families, since every value is an integer" in out
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


def test_select_on_iris_ranks_only_densities(capsys):
    from skxent.distributions._registry import FAMILIES

    status, out, _ = _run(capsys, "select", str(IRIS_CSV))
    assert status == 0
    ranking = _ranking(out)
    continuous = {c._family.name for c in FAMILIES if c._family.kind == "continuous"}
    assert "gaussian" in ranking and set(ranking) <= continuous
    assert "Ranked: continuous families" in out


def test_select_on_numbers_and_a_text_label_says_what_it_left_out(capsys, tmp_path):
    X = np.loadtxt(IRIS_CSV, delimiter=",", skiprows=1)
    species = np.repeat(["setosa", "versicolor", "virginica"], 50)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(species=species)
    path = tmp_path / "iris_species.csv"
    frame.to_csv(path, index=False)
    status, out, err = _run(capsys, "select", str(path), "--cv", "3")
    assert status == 0, err
    assert "Left out 1 text column (species)" in out
    assert "4 columns" in out
    # The ranking is that of the numbers alone.
    status, alone, _ = _run(
        capsys, "select", str(path), "--cv", "3", "--columns", "a,b,c,d"
    )
    assert _ranking(out) == _ranking(alone)


def test_select_per_column_ranks_each_column_and_sums_the_best(capsys, tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "size": rng.gamma(3.0, 2.0, size=400),
            "count": rng.poisson(4.0, size=400),
            "colour": rng.choice(["red", "green", "blue"], size=400),
        }
    )
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False)
    status, out, err = _run(capsys, "select", str(path), "--per-column", "--cv", "4")
    assert status == 0, err
    sections = out.split("Best family per column")[0].split(
        "Held-out cross-entropy of "
    )[1:]
    assert [s.split()[1] for s in sections] == ["'size'", "'count'", "'colour'"]
    bests = [_ranking(section) for section in sections]
    assert next(iter(bests[0])) in {"gamma", "lognormal", "student_t", "gaussian"}
    assert set(bests[1]) <= {"poisson", "negative_binomial", "categorical"}
    assert list(bests[2]) == ["categorical"]
    total = sum(next(iter(b.values())) for b in bests)
    reported = re.search(r"Per-column product of the best families: ([0-9.]+)", out)
    assert float(reported.group(1)) == pytest.approx(total, abs=2e-4)
    # One progress line per candidate on stderr.
    assert err.count("[DistributionSelector]") >= 5


def test_select_json_matches_the_selector(capsys):
    import json

    from skxent import DistributionSelector

    status, out, err = _run(
        capsys, "select", str(IRIS_CSV), "--columns", "petal_width", "--json"
    )
    assert status == 0, err
    (ranking,) = json.loads(out)["rankings"]
    frame = pd.read_csv(IRIS_CSV)[["petal_width"]]
    folds = KFold(5, shuffle=True, random_state=0)
    for candidate in ranking["candidates"]:
        if candidate["status"] != "ranked":
            continue
        name = candidate["family"]
        reference = DistributionSelector(candidates=[name], cv=folds).fit(frame)
        assert candidate["cross_entropy_nats"] == pytest.approx(
            -reference.best_score_, rel=1e-12
        )
    assert (
        ranking["best"]
        == min(
            (c for c in ranking["candidates"] if c["status"] == "ranked"),
            key=lambda c: c["cross_entropy_nats"],
        )["family"]
    )


def test_alpha_removes_the_inf_of_an_unseen_held_out_category(capsys, tmp_path):
    # "z" occurs once: without smoothing the fold that holds it out gives it
    # probability zero. The categories are declared from the whole file, so
    # --alpha reaches "z" in every fold.
    path = _write(tmp_path, "c\na\nb\na\nb\na\nz\n")
    status, out, _ = _run(capsys, "select", path, "--cv", "2")
    assert status == 0 and _ranking(out)["categorical"] == np.inf
    status, out, _ = _run(capsys, "select", path, "--cv", "2", "--alpha", "1")
    assert status == 0
    assert np.isfinite(_ranking(out)["categorical"])


def test_select_refuses_an_option_no_ranked_family_takes(capsys, tmp_path):
    path = _write(tmp_path, "c\na\nb\na\n")
    status, out, err = _run(capsys, "select", path, "--cv", "2", "--reg-covar", "1")
    assert status == 2 and out == ""
    assert "--reg-covar applies to none of the families ranked" in err


def test_select_plot_writes_one_panel_per_column(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    status, out, err = _run(
        capsys,
        "select",
        str(IRIS_CSV),
        "--per-column",
        "--columns",
        "sepal_length,petal_width",
        "--plot",
        str(tmp_path / "fig"),
    )
    assert status == 0, err
    assert f"Figure written to {tmp_path / 'fig.png'}" in out
    assert (tmp_path / "fig.png").stat().st_size > 10_000


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
    assert "never seen in the training folds" in out


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


# -- reading real CSV files -------------------------------------------------------


def _stderr_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_sniffed(capsys, tmp_path, delimiter):
    X = np.loadtxt(IRIS_CSV, delimiter=",", skiprows=1)
    header = IRIS_CSV.read_text().splitlines()[0].split(",")
    lines = [delimiter.join(header)] + [delimiter.join(map(str, row)) for row in X]
    path = _write(tmp_path, "\n".join(lines) + "\n")
    status, out, err = _run(capsys, "fit", path, "-d", "gaussian")
    assert status == 0, err
    assert _value(out, "sepal_length") == pytest.approx(X[:, 0].mean(), abs=1e-4)
    assert "4 columns" in out


def test_an_explicit_delimiter_overrides_the_sniffer(capsys, tmp_path):
    # Commas inside the numbers' text would fool nothing, but a file with one
    # column and a "|" separator has no sniffable delimiter at all.
    path = _write(tmp_path, "a|b\n1|2\n3|5\n4|4\n")
    status, out, err = _run(capsys, "fit", path, "-d", "gaussian", "--delimiter", "|")
    assert status == 0, err
    assert _value(out, "b") == pytest.approx(np.mean([2, 5, 4]), abs=1e-4)


def test_no_header_names_the_columns(capsys, tmp_path):
    path = _write(tmp_path, "1,2\n3,5\n4,4\n")
    status, out, err = _run(capsys, "fit", path, "-d", "gaussian", "--no-header")
    assert status == 0, err
    assert "3 rows x 2 columns" in out
    assert _value(out, "x1") == pytest.approx(np.mean([1, 3, 4]), abs=1e-4)


def test_standard_input_is_read_for_a_dash():
    result = subprocess.run(
        [sys.executable, "-m", "skxent", "fit", "-", "-d", "gaussian"],
        input=IRIS_CSV.read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    X = np.loadtxt(IRIS_CSV, delimiter=",", skiprows=1)
    assert _value(result.stdout, "petal_width") == pytest.approx(
        X[:, 3].mean(), abs=1e-4
    )


@pytest.mark.parametrize("marker", ["NA", "", "nan", "NULL", "N/A"])
def test_missing_values_are_reported_with_column_and_count(capsys, tmp_path, marker):
    path = _write(tmp_path, f"a,b\n1,{marker}\n2,3\n3,{marker}\n4,5\n")
    status, out, err = _run(capsys, "fit", path, "-d", "gaussian")
    assert status == 2 and out == ""
    assert "column 'b' has 2 missing values" in _stderr_line(err)
    assert "line 2" in err


def test_drop_missing_drops_and_says_how_many(capsys, tmp_path):
    path = _write(tmp_path, "a,b\n1,NA\n2,3\n3,\n4,5\n")
    status, out, err = _run(capsys, "fit", path, "-d", "gaussian", "--drop-missing")
    assert status == 0
    assert "dropped 2 rows with missing values (of 4)" in err
    assert "2 rows x 2 columns" in out
    assert _value(out, "a") == pytest.approx(3.0, abs=1e-4)


def test_only_the_asked_for_columns_are_read_and_checked(capsys, tmp_path):
    # The text column and the missing value lie outside --columns.
    path = _write(tmp_path, "a,name,b\n1,x,\n2,y,3\n4,z,5\n")
    status, out, err = _run(capsys, "fit", path, "-d", "gaussian", "--columns", "a")
    assert status == 0, err
    assert "3 rows x 1 column of" in out
    assert _value(out, "a") == pytest.approx(np.mean([1, 2, 4]), abs=1e-4)


def test_a_column_given_twice_is_refused(capsys, tmp_path):
    path = _write(tmp_path, "a,b\n1,2\n3,4\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["fit", path, "-d", "gaussian", "--columns", "a,a"])
    assert exit_info.value.code == 2
    assert "column 'a' is given twice" in capsys.readouterr().err


# -- options and errors -----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["select", "{path}", "--seed", "-1"], "--seed: must be in [0, 2**32)"),
        (["select", "{path}", "--seed", str(2**32)], "--seed: must be in [0, 2**32)"),
        (["fit", "{path}", "-d", "bernoulli", "--alpha", "inf"], "--alpha: must be"),
        (["fit", "{path}", "-d", "gaussian", "--reg-covar", "inf"], "--reg-covar"),
        (["fit", "{path}", "-d", "gaussian", "--reg-covar", "x"], "not a number"),
        (["select", "{path}", "--cv", "1"], "at least 2 folds"),
    ],
)
def test_the_parser_refuses_what_the_estimator_would(capsys, tmp_path, argv, message):
    path = _write(tmp_path, "a\n0\n1\n1\n")
    with pytest.raises(SystemExit) as exit_info:
        main([a.format(path=path) for a in argv])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_an_option_the_family_does_not_take_is_refused(capsys, tmp_path):
    path = _write(tmp_path, "a\n0\n1\n1\n")
    status, out, err = _run(capsys, "fit", path, "-d", "bernoulli", "--reg-covar", "1")
    assert status == 2 and out == ""
    assert "--reg-covar does not apply to the bernoulli distribution" in (
        _stderr_line(err)
    )
    assert "--alpha" in err  # what it does take


def test_a_singular_fit_is_one_line_and_status_2(capsys, tmp_path):
    path = _write(tmp_path, "a,b\n1,2\n1,3\n1,4\n")
    status, out, err = _run(capsys, "fit", path, "-d", "gaussian", "--reg-covar", "0")
    assert status == 2 and out == ""
    assert "zero variance" in _stderr_line(err)


def test_huge_smoothing_prints_no_warning(tmp_path):
    path = _write(tmp_path, "a\n0\n1\n1\n")
    argv = ["fit", path, "-d", "bernoulli", "--alpha", "1e308"]
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "skxent", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_full_disk_is_one_line_and_status_1(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "skxent", "fit", str(IRIS_CSV), "-d", "gaussian"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 1
    assert _stderr_line(result.stderr) == (
        "skxent: error: cannot write the output (No space left on device)"
    )


def test_a_closed_standard_output_is_one_line_and_status_1():
    code = (
        "import os, sys\n"
        "os.close(1)\n"
        "sys.stdout = None\n"
        "from skxent._cli import main\n"
        f"sys.exit(main(['fit', {str(IRIS_CSV)!r}, '-d', 'gaussian']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "standard output is closed" in _stderr_line(result.stderr)


def test_version_and_help():
    version = subprocess.run(
        [sys.executable, "-m", "skxent", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    import skxent

    assert version.stdout.strip() == f"skxent {skxent.__version__}"
    bare = subprocess.run(
        [sys.executable, "-m", "skxent"], capture_output=True, text=True, check=True
    )
    assert bare.stdout.startswith("usage: skxent")
    assert "select" in bare.stdout and "demo" in bare.stdout


def test_distribution_help_lists_every_registered_family(capsys):
    from skxent.distributions._registry import family_names

    with pytest.raises(SystemExit):
        main(["fit", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert f"one of: {', '.join(family_names())}" in out


def test_every_registered_family_can_be_fit_from_the_command_line(capsys, tmp_path):
    # Each family's shared-suite data, written to CSV and fit from the
    # command line, gives the estimator's own fit on the same table.
    from skxent.distributions._registry import FAMILIES
    from tests.family_cases import all_cases

    cases = all_cases()
    for cls in FAMILIES:
        name = cls._family.name
        X = cases[name].make_data(np.random.default_rng(0), 60)
        frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(X.shape[1])])
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False)
        status, out, err = _run(capsys, "fit", str(path), "-d", name)
        assert status == 0, (name, err)
        # The command line never thresholds: binarize=None where it exists.
        fixed = {"binarize": None} if "binarize" in cls().get_params() else {}
        reference = cls(**fixed)
        assert out.startswith(f"{reference!r} fit to 60 rows"), out
        data = pd.read_csv(path)
        expected = reference.fit(data).score(data)
        assert _value(out, "mean log-likelihood") == pytest.approx(expected, abs=1e-4)


def test_a_slow_step_says_what_it_is_doing(monkeypatch):
    import io
    import time

    from skxent._cli import _progress

    monkeypatch.setattr(_progress, "PATIENCE", 0.05)
    stream = io.StringIO()
    with _progress.slow_step("reading big.csv", stream):
        time.sleep(0.3)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "skxent: reading big.csv..."
    assert re.fullmatch(r"skxent: reading big.csv: done in \d+\.\d s", lines[1])
    quiet = io.StringIO()
    with _progress.slow_step("reading small.csv", quiet):
        pass
    assert quiet.getvalue() == ""
