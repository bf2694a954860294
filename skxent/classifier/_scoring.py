"""The score every skxent classifier shares: minus the mean cross-entropy."""

from skxent.metrics._loss import mean_cross_entropy_of_log_proba

__all__ = ["CrossEntropyScoreMixin"]


class CrossEntropyScoreMixin:
    """``score`` as minus the mean cross-entropy, from ``predict_log_proba``.

    Listed before :class:`~sklearn.base.ClassifierMixin`, whose ``score`` is
    the accuracy, so that ``GridSearchCV`` and ``cross_val_score`` select a
    skxent classifier by held-out cross-entropy.
    """

    def score(self, X, y, sample_weight=None):
        """Return the negative mean cross-entropy of targets and model, in nats.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Hard labels from ``classes_`` or soft labels over the classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows.

        Returns
        -------
        score : float
            ``-sum_i w_i H(t_i, p(. | x_i)) / sum_i w_i``; equals
            ``-sklearn.metrics.log_loss`` on hard labels. Higher is better.
        """
        return -mean_cross_entropy_of_log_proba(
            y, self.predict_log_proba(X), self.classes_, sample_weight=sample_weight
        )
