"""``skxent demo``: it runs, its numbers are right, and --plot writes a figure."""

import contextlib
import io

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skxent._cli import main


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """Run the demo once for the whole module (it takes a few seconds)."""
    figure = tmp_path_factory.mktemp("demo") / "demo.png"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["demo", "--plot", str(figure)])
    return status, out.getvalue(), figure


def _number(out, label):
    for line in out.splitlines():
        if line.strip().startswith(label):
            return float(line.split()[-1])
    raise AssertionError(f"no line {label!r} in the demo output")


def test_demo_succeeds_and_reports_progress(demo_run):
    status, out, _ = demo_run
    assert status == 0
    assert "[" in out.splitlines()[0] and "s]" in out.splitlines()[0]
    for model in ("CrossEntropyClassifier", "LogisticRegression", "MLPClassifier"):
        assert model in out


def test_demo_identity_matches_a_hand_computation(demo_run):
    _, out, _ = demo_run
    # The demo's model: additive smoothing (alpha=1) of the first 100 training
    # labels of the same split; its held-out cross-entropy by hand.
    _, y = load_digits(return_X_y=True)
    y_train, y_test = train_test_split(y, test_size=0.3, random_state=0, stratify=y)
    counts = np.bincount(y_train[:100], minlength=10)
    q = (counts + 1.0) / (100 + 10)
    p_test = np.bincount(y_test, minlength=10) / len(y_test)
    expected_ce = -np.mean(np.log(q[y_test]))
    expected_h = -np.sum(p_test * np.log(p_test))
    assert _number(out, "-score(test)") == pytest.approx(expected_ce, abs=1e-4)
    assert _number(out, "H(p_test, p_model)") == pytest.approx(expected_ce, abs=1e-4)
    assert _number(out, "H(p_test) ") == pytest.approx(expected_h, abs=1e-4)
    assert _number(out, "D(p_test || p_model)") == pytest.approx(
        expected_ce - expected_h, abs=1e-4
    )


def test_demo_gaussian_identity_close_to_monte_carlo(demo_run):
    _, out, _ = demo_run
    closed_form = _number(out, "H(p) + D(p||q), closed form")
    sampled = _number(out, "H(p, q), 200k samples of p")
    # 200k draws: the Monte Carlo standard error here is about 0.005 nats.
    assert sampled == pytest.approx(closed_form, abs=0.03)


def test_demo_classifiers_are_accurate(demo_run):
    _, out, _ = demo_run
    section = out.split("== classifiers on the digits")[1].split("==")[1]
    accuracies = [float(line.split()[-2]) for line in section.strip().splitlines()[1:]]
    assert len(accuracies) == 4
    assert min(accuracies) > 0.9


def test_demo_writes_a_png(demo_run):
    _, out, figure = demo_run
    assert f"Figure written to {figure}" in out
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_demo_plot_to_a_missing_folder_fails_first_in_one_line(capsys, tmp_path):
    status = main(["demo", "--plot", str(tmp_path / "missing-dir" / "x.png")])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""  # refused before any work
    assert len(captured.err.strip().splitlines()) == 1
    assert "missing-dir" in captured.err and "no such folder" in captured.err


def test_demo_plot_without_matplotlib_fails_first_in_one_line(
    capsys, tmp_path, monkeypatch
):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: (
            None if name == "matplotlib" else real_find_spec(name, *args)
        ),
    )
    status = main(["demo", "--plot", str(tmp_path / "x.png")])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err.strip() == (
        "skxent: error: --plot needs matplotlib: pip install 'skxent[plot]'"
    )
