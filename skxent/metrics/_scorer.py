"""PLACEHOLDER."""


def make_cross_entropy_scorer(base=None):
    raise NotImplementedError


neg_cross_entropy_scorer = None
