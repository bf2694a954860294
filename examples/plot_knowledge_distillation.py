r"""
=======================================
Knowledge distillation with soft labels
=======================================

A :class:`~skxent.CrossEntropyClassifier` minimizes the mean cross-entropy
:math:`H(t_i, p_\theta(\cdot \mid x_i))` between a *target distribution*
:math:`t_i` and its prediction for every training row. A hard label is the
special case of a one-hot :math:`t_i`; but :math:`t_i` may be any
distribution over the classes, for instance the predicted probabilities of
another, larger model. Training a small "student" on a "teacher"'s
probabilities is knowledge distillation [1]_: a soft label such as "a 7, or
perhaps a 1" says more about a row than the bare "7", so the student learns
more from each row.

Here a perceptron teacher, trained on 800 labelled images of digits, teaches
a linear student on a few rows it has never seen, and we compare that student
with one trained on the true hard labels of the same rows.

.. [1] G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a
   Neural Network", NIPS Deep Learning Workshop, 2014.
"""

# %%
# Data and teacher
# ----------------
# The 1797 images of :func:`~sklearn.datasets.load_digits` (pixels scaled to
# [0, 1]) are split into 800 rows for the teacher, a pool of 497 rows from
# which the students draw their training rows, and 500 test rows. The
# teacher is a perceptron with one hidden layer of 64 units.
import matplotlib.pyplot as plt
import numpy as np
from scipy.special import softmax
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skxent import CrossEntropyClassifier
from skxent.metrics import cross_entropy_loss

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_rest, X_test, y_rest, y_test = train_test_split(
    X, y, test_size=500, stratify=y, random_state=0
)
X_teacher, X_pool, y_teacher, y_pool = train_test_split(
    X_rest, y_rest, train_size=800, stratify=y_rest, random_state=0
)

teacher = CrossEntropyClassifier(
    hidden_layer_sizes=(64,), alpha=1e-3, tol=1e-3, random_state=0
).fit(X_teacher, y_teacher)
teacher_ce = -teacher.score(X_test, y_test)
teacher_accuracy = np.mean(teacher.predict(X_test) == y_test)
print(
    f"teacher: held-out cross-entropy {teacher_ce:.3f} nats, "
    f"accuracy {teacher_accuracy:.3f}"
)

# %%
# Soft labels and temperature
# ---------------------------
# The teacher's probabilities on the pool are the soft labels. They are very
# confident (the largest is about 0.95 on average), so they differ little
# from hard labels. Dividing the teacher's log-probabilities by a
# *temperature* :math:`T > 1` before the softmax flattens them and brings out
# the small probabilities of the similar-looking classes. A student fit to
# these flattened targets learns logits :math:`T` times too small, so its
# logits are multiplied by :math:`T` when it predicts.
temperature = 3.0
log_proba = teacher.predict_log_proba(X_pool)
soft = softmax(log_proba, axis=1)
soft_hot = softmax(log_proba / temperature, axis=1)
print(
    f"mean largest soft label: T=1 {soft.max(axis=1).mean():.3f}, "
    f"T={temperature:g} {soft_hot.max(axis=1).mean():.3f}"
)
row = np.flatnonzero(soft.argmax(axis=1) == y_pool)[0]
for name, target in [("T=1", soft[row]), (f"T={temperature:g}", soft_hot[row])]:
    top = np.argsort(target)[::-1][:3]
    print(
        f"a {y_pool[row]} in the pool, {name}: "
        + ", ".join(f"p({k}) = {target[k]:.3f}" for k in top)
    )

# %%
# Students
# --------
# For each training size :math:`n`, three linear students are fit on the same
# :math:`n` pool rows (drawn five times, stratified by class): on the true
# hard labels, on the teacher's probabilities, and on the teacher's
# probabilities at temperature :math:`T = 3`. Only ``y`` changes: a 1-D array
# of labels or a 2-D array of probabilities per row. All are scored by
# cross-entropy and accuracy on the 500 test rows.


def evaluate(proba):
    return cross_entropy_loss(y_test, proba), np.mean(proba.argmax(axis=1) == y_test)


sizes = [20, 30, 50, 100, 200, 400]
kinds = ["hard labels", "soft labels, T=1", f"soft labels, T={temperature:g}"]
results = np.zeros((len(kinds), len(sizes), 2))
for j, n in enumerate(sizes):
    for seed in range(5):
        rows, _ = train_test_split(
            np.arange(len(y_pool)), train_size=n, stratify=y_pool, random_state=seed
        )
        student = CrossEntropyClassifier(alpha=1e-3)
        hard = student.fit(X_pool[rows], y_pool[rows]).predict_proba(X_test)
        soft_1 = student.fit(X_pool[rows], soft[rows]).predict_proba(X_test)
        student.fit(X_pool[rows], soft_hot[rows])
        soft_t = softmax(temperature * student.decision_function(X_test), axis=1)
        for i, proba in enumerate([hard, soft_1, soft_t]):
            results[i, j] += np.array(evaluate(proba)) / 5

print("held-out cross-entropy (nats) / accuracy")
print(" " * 18 + "".join(f"{f'n = {n}':>15}" for n in sizes))
for kind, rows in zip(kinds, results, strict=True):
    print(f"{kind:>17} " + "".join(f"{ce:>7.3f} / {acc:.3f}" for ce, acc in rows))

# %%
# The figure
# ----------
# Soft labels help at every size, and most with few rows: taught at
# temperature 3, the student on 50 rows has a lower held-out cross-entropy
# than the student on 400 hard-labelled rows. The soft-label students never
# see the true labels of their rows, only the teacher's opinion of them; what
# they gain is the teacher's knowledge of which digits look alike. Plain
# probabilities (:math:`T = 1`) are nearly one-hot and help much less.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
for i, (kind, marker) in enumerate(zip(kinds, "os^", strict=True)):
    left.plot(sizes, results[i, :, 0], marker + "-", label=kind)
    right.plot(sizes, results[i, :, 1], marker + "-", label=kind)
left.axhline(teacher_ce, color="k", linestyle="--", label="teacher (800 rows)")
right.axhline(teacher_accuracy, color="k", linestyle="--", label="teacher (800 rows)")
for ax in (left, right):
    ax.set_xscale("log")
    ax.minorticks_off()
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_xlabel("training rows of the linear student")
left.set_ylabel("held-out cross-entropy (nats)")
left.set_title("Student cross-entropy on 500 test digits")
left.legend()
right.set_ylabel("held-out accuracy")
right.set_title("Student accuracy on 500 test digits")
right.legend(loc="lower right")
fig.tight_layout()
