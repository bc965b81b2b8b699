"""thematic.Tfidf and thematic.TfidfModel: matrices, vocabulary, pickling, parameters."""

import pickle
import sys

import numpy as np
import pytest
import scipy.sparse as sp

from thematic import Analyzer, DataError, KMeans, ParamError, Tfidf, TfidfModel

TEXTS = ["Alert fatigue is a risk", "Too many alerts", "Train staff on alerts"]


def row_norms(x):
    return np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())


def test_fit_transform_gives_a_float32_csr_with_unit_rows(corpus):
    model, x = Tfidf().fit_transform(corpus)
    assert isinstance(model, TfidfModel)
    assert sp.issparse(x) and x.format == "csr"
    assert x.dtype == np.float32
    assert x.shape == (len(corpus), model.n_features) == (len(corpus), len(model.vocabulary))
    assert x.has_sorted_indices
    np.testing.assert_allclose(row_norms(x), 1.0, rtol=1e-6)


def test_vocabulary_display_and_df():
    model, x = Tfidf().fit_transform(TEXTS)
    vocab = model.vocabulary
    assert vocab == sorted(vocab)
    alert = model.term_id("alert")
    assert vocab[alert] == "alert"
    assert model.df(alert) == 3
    assert model.display(alert) == "alerts"
    assert model.display(model.term_id("alert fatigu")) == "alerts fatigue"  # most common forms
    assert model.term_id("zebra") is None
    assert model.n_docs == 3 and len(model) == model.n_features
    # "alert" is in every text: its column is non-zero in every row.
    assert (x[:, alert].toarray().ravel() > 0).all()
    with pytest.raises(IndexError):
        model.display(len(vocab))
    with pytest.raises(IndexError):
        model.df(-1)


def test_idf_is_smooth_by_default():
    model, _ = Tfidf().fit_transform(TEXTS)
    idf = model.idf
    assert isinstance(idf, np.ndarray) and idf.dtype == np.float32
    df = np.array([model.df(i) for i in range(model.n_features)])
    np.testing.assert_allclose(idf, np.log((1 + 3) / (1 + df)) + 1, rtol=1e-6)
    raw, _ = Tfidf(smooth_idf=False).fit_transform(TEXTS)
    np.testing.assert_allclose(raw.idf, np.log(3 / df) + 1, rtol=1e-6)


def test_transform_matches_fit_transform_and_ignores_unknown_terms(corpus):
    model, x = Tfidf(sublinear_tf=True).fit_transform(corpus)
    y = model.transform(corpus)
    assert y.shape == x.shape
    np.testing.assert_allclose(y.toarray(), x.toarray(), atol=1e-7)
    z = model.transform(["zebra crossing", "alert fatigue", None, ""])
    assert z.shape == (4, model.n_features)
    assert z[1].nnz > 0
    assert z[0].nnz == 0 and z[2].nnz == 0 and z[3].nnz == 0


def test_document_frequency_limits(corpus):
    full, _ = Tfidf().fit_transform(corpus)
    common, _ = Tfidf(min_df=2).fit_transform(corpus)
    assert all(common.df(i) >= 2 for i in range(common.n_features))
    assert set(common.vocabulary) < set(full.vocabulary)
    rare, _ = Tfidf(max_df=0.3).fit_transform(corpus)
    assert all(rare.df(i) <= 3 for i in range(rare.n_features))
    top, x = Tfidf(max_features=5).fit_transform(corpus)
    assert top.n_features == 5 and x.shape[1] == 5
    assert Tfidf(min_df=0.2).min_df == 0.2 and Tfidf(min_df=2).min_df == 2
    assert isinstance(Tfidf().min_df, int) and isinstance(Tfidf().max_df, float)


def test_analyzer_is_used(corpus):
    model, _ = Tfidf().fit_transform(corpus, analyzer=Analyzer(ngram_range=(1, 1), stemmer=None))
    assert all(" " not in t for t in model.vocabulary)
    assert "alerts" in model.vocabulary
    assert model.analyzer == Analyzer(ngram_range=(1, 1), stemmer=None)


def test_same_matrix_at_any_thread_count(corpus):
    _, one = Tfidf(threads=1).fit_transform(corpus * 50)
    _, two = Tfidf(threads=2).fit_transform(corpus * 50)
    assert (one != two).nnz == 0


def test_pickle_round_trip(corpus):
    model, x = Tfidf(min_df=2, sublinear_tf=True).fit_transform(corpus)
    back = pickle.loads(pickle.dumps(model))
    assert isinstance(back, TfidfModel)
    assert back.vocabulary == model.vocabulary
    np.testing.assert_array_equal(back.idf, model.idf)
    assert back.display(0) == model.display(0)
    assert (back.transform(corpus) != x).nnz == 0
    params = pickle.loads(pickle.dumps(Tfidf(min_df=0.1, max_features=7)))
    assert (params.min_df, params.max_features) == (0.1, 7)
    assert repr(params).startswith("Tfidf(min_df=0.1, max_df=1.0, max_features=7")


def test_without_scipy_matrices_are_tuples(monkeypatch, corpus):
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    model, x = Tfidf().fit_transform(corpus)
    data, indices, indptr, shape = x
    assert shape == (len(corpus), model.n_features)
    assert data.dtype == np.float32 and indptr.shape == (len(corpus) + 1,)
    assert indices.dtype == indptr.dtype == np.int32
    norms = np.sqrt(np.add.reduceat(data.astype(np.float64) ** 2, indptr[:-1]))
    np.testing.assert_allclose(norms, 1.0, rtol=1e-6)
    # The tuple form is accepted where a matrix is expected.
    labels = KMeans(2).fit(x).labels_
    assert len(labels) == len(corpus)
    assert isinstance(model.transform(["alert"]), tuple)


def test_texts_must_be_strings():
    with pytest.raises(TypeError, match="single str"):
        Tfidf().fit_transform("alert fatigue")
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        Tfidf().fit_transform(["alert", 3])


def test_empty_vocabulary_is_a_data_error():
    with pytest.raises(DataError, match="empty vocabulary"):
        Tfidf().fit_transform(["the and of", "it is"])
    with pytest.raises(DataError):
        Tfidf().fit_transform([])


def test_df_range_empty_for_the_corpus_is_a_param_error():
    with pytest.raises(ParamError, match="max_df"):
        Tfidf(min_df=3, max_df=2).fit_transform(TEXTS)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"min_df": 1.5}, "min_df"),
        ({"min_df": -1}, "min_df"),
        ({"min_df": float("nan")}, "min_df"),
        ({"max_df": 0.0}, "max_df"),
        ({"max_df": 0}, "max_df"),
        ({"max_df": 1.01}, "max_df"),
        ({"max_features": 0}, "max_features"),
        ({"max_features": -2}, "max_features"),
        ({"threads": 0}, "threads"),
    ],
)
def test_invalid_parameters_raise_param_error_naming_them(kwargs, name):
    with pytest.raises(ParamError, match=name):
        Tfidf(**kwargs)


@pytest.mark.parametrize("kwargs", [{"min_df": "2"}, {"max_df": True}, {"threads": 1.5}])
def test_wrong_types_raise_type_error(kwargs):
    with pytest.raises(TypeError):
        Tfidf(**kwargs)
