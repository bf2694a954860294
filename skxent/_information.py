"""PLACEHOLDER."""


def entropy(p, *, base=None, axis=-1):
    raise NotImplementedError


def cross_entropy(p, q, *, base=None, axis=-1):
    raise NotImplementedError


def kl_divergence(p, q, *, base=None, axis=-1):
    raise NotImplementedError
