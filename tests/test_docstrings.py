"""Every public function, class and method has a valid numpydoc docstring."""

import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

import skxent  # noqa: E402  (after the importorskip that guards numpydoc)
import skxent.metrics  # noqa: E402

# Checks we do not enforce, and why:
# ES01 - an extended summary is welcome but not required for short methods;
# SA01 - "See Also" is required on classes and public functions below, not on
#        every method;
# RT02 - numpydoc wants a type-only Returns line for unnamed values; we name
#        return values as scikit-learn does ("self : object");
# EX01 - Examples are required on classes and public functions below; a
#        method is shown in its class's example, as in scikit-learn.
IGNORED = {"ES01", "SA01", "RT02", "EX01"}


def _public_objects():
    for module in (skxent, skxent.metrics):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            yield f"{module.__name__}.{name}", obj
            if inspect.isclass(obj):
                for method_name, method in vars(obj).items():
                    if callable(method) and not method_name.startswith("_"):
                        yield f"{module.__name__}.{name}.{method_name}", method


PUBLIC = dict(_public_objects())


@pytest.mark.parametrize("qualified_name", sorted(PUBLIC))
def test_numpydoc_valid(qualified_name):
    result = numpydoc_validate.validate(qualified_name)
    errors = [
        (code, message) for code, message in result["errors"] if code not in IGNORED
    ]
    assert not errors, f"{qualified_name}: {errors}"


TOP_LEVEL = sorted(
    f"{module.__name__}.{name}"
    for module in (skxent, skxent.metrics)
    for name in module.__all__
    if not inspect.ismodule(getattr(module, name))
)


@pytest.mark.parametrize("qualified_name", TOP_LEVEL)
def test_public_names_have_see_also_and_examples(qualified_name):
    result = numpydoc_validate.validate(qualified_name)
    assert not {"SA01", "EX01"} & {code for code, _ in result["errors"]}
