"""Sphinx configuration of the skxent documentation.

Build with warnings as errors (examples included) from the repository root::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Nothing is downloaded at build time: there is no intersphinx. References to
scikit-learn, SciPy and NumPy objects, and scikit-learn glossary terms used by
docstrings that skxent inherits from scikit-learn, are turned into plain links
to those projects' online documentation by :func:`_link_to_upstream` below.
MathJax is loaded by the reader's browser, not by the build. skxent must be
installed (``pip install -e ".[docs]"``).
"""

import importlib
import os
import re
import warnings
from pathlib import Path

from docutils import nodes

import skxent

# -- Project -------------------------------------------------------------------

project = "skxent"
author = "The skxent developers"
copyright = "The skxent developers"
release = skxent.__version__
version = re.match(r"\d+\.\d+", release).group(0)

# -- General -------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinxarg.ext",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"
add_module_names = False
pygments_style = "sphinx"

# -- autodoc / autosummary / numpydoc --------------------------------------------

autosummary_generate = True
autodoc_typehints = "none"
autodoc_member_order = "groupwise"
# numpydoc would list the class members a second time, next to the methods that
# the autosummary class template documents: keep one listing.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- sphinx-gallery ---------------------------------------------------------------

sphinx_gallery_conf = {
    # Paths relative to this file.
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Execute every examples/plot_*.py; data files are not examples.
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py|/data/",
    "image_scrapers": ("matplotlib",),
    "within_subsection_order": "FileNameSortKey",
    # "Examples using X" mini-galleries on the API pages.
    "doc_module": ("skxent",),
    "backreferences_dir": "generated/backreferences",
    # Link names in the example code to these pages only: a reference URL for
    # another project would make sphinx-gallery download its search index.
    "reference_url": {"skxent": None},
    "remove_config_comments": True,
    "download_all_examples": False,
    "show_memory": False,
    "plot_gallery": "True",
    # A failing example fails the build.
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
}

# Examples must not pop up windows or wait on them.
os.environ.setdefault("MPLBACKEND", "agg")
warnings.filterwarnings(
    "ignore",
    category=UserWarning,
    message="Matplotlib is currently using agg, which is a non-GUI backend",
)

# -- HTML ------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skxent {release}"
html_static_path = ["_static"]
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_sidebars = {"index": [], "neighbours": [], "cli": []}

# -- Links to upstream documentation without intersphinx -----------------------------

_UPSTREAM = {
    "sklearn": "https://scikit-learn.org/stable/modules/generated/{}.html",
    "scipy": "https://docs.scipy.org/doc/scipy/reference/generated/{}.html",
    "numpy": "https://numpy.org/doc/stable/reference/generated/{}.html",
}
_SKLEARN_DOCS = "https://scikit-learn.org/stable/"
# Labels of scikit-learn's user guide that its docstrings refer to with :ref:.
_SKLEARN_LABELS = {
    "metadata_routing": "metadata_routing.html",
    "accuracy_score": "modules/model_evaluation.html#accuracy-score",
    "scoring_parameter": "modules/model_evaluation.html#scoring-parameter",
    "scoring": "modules/model_evaluation.html#scoring-parameter",
    "cross_validation": "modules/cross_validation.html",
    "grid_search": "modules/grid_search.html",
    "glossary": "glossary.html",
}


def _upstream_url(target):
    """Documentation URL of a public scikit-learn, SciPy or NumPy object."""
    parts = target.split(".")
    if parts[0] not in _UPSTREAM:
        return None
    # The longest importable prefix is the module; the next name is the class
    # or function that has its own page, anything deeper an anchor on it.
    for cut in range(len(parts) - 1, 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        if not callable(getattr(module, parts[cut], None)):
            return None
        page = _UPSTREAM[parts[0]].format(".".join(parts[: cut + 1]))
        return page if cut + 1 == len(parts) else f"{page}#{target}"
    return None


def _term_anchor(term):
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def _link_to_upstream(app, env, node, contnode):
    """Resolve references that only scikit-learn, SciPy or NumPy document.

    Called for every reference Sphinx cannot resolve in this project: Python
    objects of those libraries become links to their API pages, scikit-learn
    glossary terms and user guide labels (in docstrings skxent inherits) become
    links to scikit-learn's pages. Anything else stays unresolved.
    """
    domain, reftype = node.get("refdomain"), node.get("reftype")
    target = node.get("reftarget", "")
    if domain == "py":
        url = _upstream_url(target)
    elif domain == "std" and reftype == "term":
        url = f"{_SKLEARN_DOCS}glossary.html#{_term_anchor(target)}"
    elif domain == "std" and reftype == "ref" and target in _SKLEARN_LABELS:
        url = _SKLEARN_DOCS + _SKLEARN_LABELS[target]
    else:
        return None
    if url is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url)
    reference += contnode
    return reference


# A numpydoc "name : type" line whose type has a bare fitted-attribute name.
_TYPED_NAME = re.compile(r"^(\s*\*{0,2}\w+(?:, \w+)* : )(.*)$")
_FITTED_NAME = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?![\w`])")


def _quote_fitted_names(app, what, name, obj, options, lines):
    """Write fitted-attribute names in numpydoc types as literals.

    In reST a bare word ending in an underscore, as in
    ``ndarray of shape (n_features_in_,)``, is a link to a target of that name
    and fails the build. scikit-learn quotes it with backticks; this makes the
    docs independent of the habit. Only the type part of ``name : type`` lines
    is touched, never prose or math. Runs before numpydoc.
    """
    for i, line in enumerate(lines):
        match = _TYPED_NAME.match(line)
        if match:
            head, kind = match.groups()
            lines[i] = head + _FITTED_NAME.sub(r"``\1``", kind)


def _write_family_table(app):
    """Write the registry's family table where user_guide/families.rst includes it."""
    from skxent.distributions._registry import family_table_rst

    target = Path(app.srcdir) / "user_guide" / "family_table.inc"
    text = family_table_rst()
    if not target.exists() or target.read_text() != text:
        target.write_text(text)


def setup(app):
    app.connect("builder-inited", _write_family_table)
    app.connect("autodoc-process-docstring", _quote_fitted_names, priority=400)
    app.connect("missing-reference", _link_to_upstream)
