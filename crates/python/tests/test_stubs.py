"""The type stubs (__init__.pyi) and docstrings track the compiled module."""

import ast
import inspect
from pathlib import Path

import pytest

import thematic

STUBS = Path(__file__).resolve().parents[1] / "python" / "thematic" / "__init__.pyi"


def stub_tree():
    return ast.parse(STUBS.read_text(encoding="utf-8"))


def public(names):
    return {n for n in names if not n.startswith("_")}


def stub_classes():
    return {n.name: n for n in stub_tree().body if isinstance(n, ast.ClassDef)}


def test_every_export_has_a_stub_and_every_stub_exists():
    body = stub_tree().body
    names = {n.name for n in body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    names |= {t.id for n in body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    assert public(names) | {"__version__"} == set(thematic.__all__)
    assert public(dir(thematic._thematic)) == public(thematic.__all__)


@pytest.mark.parametrize("name", ["Analyzer", "Tfidf", "TfidfModel", "KMeans", "KMeansModel"])
def test_class_members_match(name):
    cls = getattr(thematic, name)
    stub = stub_classes()[name]
    in_stub = {n.name for n in stub.body if isinstance(n, ast.FunctionDef)} - {"__init__"}
    at_runtime = {n for n in vars(cls) if not n.startswith("__")} | {
        n for n in ("__reduce__", "__len__") if n in vars(cls)
    }
    assert public(in_stub) | (in_stub & {"__reduce__", "__len__"}) == at_runtime


@pytest.mark.parametrize(
    "name", ["Analyzer", "Tfidf", "KMeans", "analyse", "ingest", "read_csv"]
)
def test_signatures_match(name):
    obj = getattr(thematic, name)
    runtime = list(inspect.signature(obj).parameters)
    tree = stub_tree()
    node = next(n for n in tree.body if getattr(n, "name", None) == name)
    if isinstance(node, ast.ClassDef):
        node = next(n for n in node.body if getattr(n, "name", None) == "__init__")
        stub = [a.arg for a in node.args.args][1:]
    else:
        stub = [a.arg for a in node.args.args + node.args.kwonlyargs]
    assert stub == runtime


def test_keyword_only_parameters_match():
    """ingest's options are keyword-only, in the stub as at runtime."""
    node = next(n for n in stub_tree().body if getattr(n, "name", None) == "ingest")
    params = inspect.signature(thematic.ingest).parameters.values()
    runtime = [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert [a.arg for a in node.args.kwonlyargs] == runtime
    assert len(runtime) == 26


def test_public_api_is_documented():
    for name in thematic.__all__:
        obj = getattr(thematic, name)
        if inspect.isclass(obj) or callable(obj):
            assert obj.__doc__, name
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for member, value in vars(obj).items():
                if not member.startswith("_"):
                    assert value.__doc__, f"{name}.{member}"
