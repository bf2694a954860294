"""Bayes' rule in log space, shared by mixtures and generative classifiers.

A mixture's responsibilities and a generative classifier's class
probabilities are the same computation: a prior over ``K`` alternatives
(components or classes) and the log-likelihood of each row under each, turned
into the posterior of each alternative given the row,

.. math::

    \\log p(k \\mid x_i) = \\log \\pi_k + \\log p(x_i \\mid k) - \\log p(x_i),
    \\qquad
    \\log p(x_i) = \\operatorname{logsumexp}_k(\\log \\pi_k + \\log p(x_i \\mid k)).

Arrays are laid out ``(n_alternatives, n_samples)``: each alternative's
values are contiguous, so the reductions over the few alternatives of each
row (maximum, sum) are elementwise operations between long rows, some fifty
times faster than reducing many short rows of an ``(n_samples,
n_alternatives)`` array.

A row that every alternative gives probability zero (``log p(x_i) = -inf``,
e.g. a value outside the support of every component) has no posterior: the
likelihood is zero for every ``k`` and Bayes' rule is 0/0. Such a row gets
the prior as its posterior (the likelihood carries no information to update
it), never nan.
"""

import numpy as np

__all__ = ["log_posterior", "posterior"]


def _shifted_joint(log_prior, log_likelihood):
    """The joint minus each row's maximum, the maxima, and the impossible rows.

    A row whose joint is all ``-inf`` is shifted by 0, so that it stays
    ``-inf`` rather than becoming ``-inf - -inf = nan``.
    """
    joint = log_likelihood + log_prior[:, np.newaxis]
    maxima = joint.max(axis=0)
    impossible = np.isneginf(maxima)
    maxima[impossible] = 0.0
    joint -= maxima
    return joint, maxima, impossible


def log_posterior(log_prior, log_likelihood):
    """Log-posterior of each alternative and log-evidence of each row.

    Parameters
    ----------
    log_prior : ndarray of shape (n_alternatives,)
        ``log pi_k``; ``-inf`` for an alternative of prior zero.
    log_likelihood : ndarray of shape (n_alternatives, n_samples)
        ``log p(x_i | k)``; may contain ``-inf``.

    Returns
    -------
    log_posterior : ndarray of shape (n_alternatives, n_samples)
        ``log p(k | x_i)``, the shifted joint minus the log of its
        exponentials' sum, so finite wherever the joint is finite.
    log_evidence : ndarray of shape (n_samples,)
        ``log p(x_i)``, ``-inf`` for a row impossible under every alternative
        (whose posterior is then the prior).
    """
    joint, maxima, impossible = _shifted_joint(log_prior, log_likelihood)
    sums = np.exp(joint).sum(axis=0)
    sums[impossible] = 1.0
    log_sums = np.log(sums)
    joint -= log_sums
    log_evidence = log_sums + maxima
    if impossible.any():
        joint[:, impossible] = log_prior[:, np.newaxis]
        log_evidence[impossible] = -np.inf
    return joint, log_evidence


def posterior(log_prior, log_likelihood):
    """Posterior probabilities of each alternative and log-evidence of each row.

    The probabilities are the stable softmax of the joint (exponentiated
    after subtracting each row's maximum, then divided by the row's sum), so
    every row sums to one to round-off and none overflows.

    Parameters
    ----------
    log_prior : ndarray of shape (n_alternatives,)
        ``log pi_k``; ``-inf`` for an alternative of prior zero.
    log_likelihood : ndarray of shape (n_alternatives, n_samples)
        ``log p(x_i | k)``; may contain ``-inf``.

    Returns
    -------
    posterior : ndarray of shape (n_alternatives, n_samples)
        ``p(k | x_i)``; the prior for a row impossible under every
        alternative.
    log_evidence : ndarray of shape (n_samples,)
        ``log p(x_i)``.
    """
    joint, maxima, impossible = _shifted_joint(log_prior, log_likelihood)
    np.exp(joint, out=joint)
    sums = joint.sum(axis=0)
    sums[impossible] = 1.0
    joint /= sums
    log_evidence = np.log(sums) + maxima
    if impossible.any():
        joint[:, impossible] = np.exp(log_prior)[:, np.newaxis]
        log_evidence[impossible] = -np.inf
    return joint, log_evidence
