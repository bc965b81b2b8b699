"""The exception tree: one base, ValueError and OSError families."""

import pytest

import thematic


def test_hierarchy():
    assert issubclass(thematic.ThematicError, Exception)
    assert issubclass(thematic.ParamError, thematic.ThematicError)
    assert issubclass(thematic.ParamError, ValueError)
    assert issubclass(thematic.DataError, thematic.ThematicError)
    assert issubclass(thematic.DataError, ValueError)
    assert issubclass(thematic.IoError, thematic.ThematicError)
    assert issubclass(thematic.IoError, OSError)
    assert not issubclass(thematic.ParamError, thematic.DataError)


@pytest.mark.parametrize("cls", ["ThematicError", "ParamError", "DataError", "IoError"])
def test_classes_live_in_the_package(cls):
    exc = getattr(thematic, cls)
    assert exc.__module__ == "thematic"
    assert exc.__doc__


def test_param_error_is_caught_as_value_error():
    with pytest.raises(ValueError, match="n_clusters"):
        thematic.KMeans(0)
    try:
        thematic.KMeans(0)
    except thematic.ThematicError as e:
        assert type(e) is thematic.ParamError
