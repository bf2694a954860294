"""Early stopping of L-BFGS by held-out cross-entropy, as an iteration callback.

L-BFGS on a perceptron keeps lowering the training objective long after the
model has stopped generalising: on small tables the held-out cross-entropy
reaches its minimum within a few dozen iterations and then rises while the
gradient is still far above ``tol``. :class:`IterationMonitor` is called by
scipy after every iteration; it records the training objective, and, given a
held-out loss, the held-out score, remembers the parameters of the best one
and raises ``StopIteration`` (which scipy's ``minimize`` honours) after
``n_iter_no_change`` iterations without a new best.
"""

import numpy as np
from sklearn.model_selection import train_test_split

__all__ = ["IterationMonitor", "validation_split"]


class IterationMonitor:
    """L-BFGS callback recording the objective and, optionally, stopping early.

    Parameters
    ----------
    held_out_loss : callable or None
        ``theta -> mean held-out cross-entropy``; ``None`` only records the
        training objective.
    n_iter_no_change : int
        Iterations without a new best held-out score before stopping.

    Attributes
    ----------
    loss_curve : list of float
        Training objective after every iteration.
    validation_scores : list of float
        Negative held-out cross-entropy after every iteration.
    best_theta : ndarray or None
        Parameters of the best held-out score so far.
    stopped : bool
        Whether the monitor stopped the optimiser.
    """

    def __init__(self, held_out_loss=None, n_iter_no_change=10):
        self.held_out_loss = held_out_loss
        self.n_iter_no_change = n_iter_no_change
        self.loss_curve = []
        self.validation_scores = []
        self.best_theta = None
        self.stopped = False
        self._best_score = -np.inf
        self._since_best = 0

    def __call__(self, intermediate_result):
        self.loss_curve.append(float(intermediate_result.fun))
        if self.held_out_loss is None:
            return
        score = -self.held_out_loss(intermediate_result.x)
        self.validation_scores.append(score)
        # Strict improvement: a plateau counts as no change, as it should for
        # a score whose rise is the sign of overfitting.
        if score > self._best_score:
            self._best_score = score
            self.best_theta = intermediate_result.x.copy()
            self._since_best = 0
            return
        self._since_best += 1
        if self._since_best >= self.n_iter_no_change:
            self.stopped = True
            raise StopIteration

    @property
    def best_score(self):
        """The best held-out score seen (``-inf`` before any)."""
        return self._best_score


def validation_split(target, sample_weight, *, validation_fraction, rng):
    """Row indices of the training and validation parts.

    Stratified by the most probable class of each target, as
    ``MLPClassifier`` stratifies by label, so that both parts hold every
    class when they can; one-hot soft labels are then split exactly as the
    hard labels they equal. A class too rare to appear on both sides (which
    scikit-learn's splitter refuses to stratify) gives an unstratified split.

    Raises
    ------
    ValueError
        If there are too few rows of positive weight to split.
    """
    # Only rows of positive weight are split: a row of weight zero counts on
    # neither side, and could leave the held-out part with no weight at all.
    rows = np.flatnonzero(sample_weight > 0)
    stratify = target[rows].argmax(axis=1)
    seed = rng.randint(np.iinfo(np.int32).max)
    try:
        train, validation = train_test_split(
            rows, test_size=validation_fraction, stratify=stratify, random_state=seed
        )
    except ValueError:
        train, validation = train_test_split(
            rows, test_size=validation_fraction, random_state=seed
        )
    return np.sort(train), np.sort(validation)
