"""thematic.KMeans and thematic.KMeansModel: k-means of sparse rows (cosine) and of dense
rows (cosine or Euclidean)."""

import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp

from thematic import DataError, KMeans, KMeansModel, ParamError, Tfidf


def two_blobs(n=20, seed=0):
    """Rows near e0 + e1 (first half) and near e2 + e3 (second half), float64."""
    rng = np.random.default_rng(seed)
    dense = np.zeros((n, 6))
    dense[: n // 2, :2] = 1 + rng.random((n // 2, 2))
    dense[n // 2 :, 2:4] = 1 + rng.random((n - n // 2, 2))
    dense[:, 4:] = 0.1 * rng.random((n, 2))
    return sp.csr_matrix(dense)


def same_partition(labels, groups):
    """Whether `labels` split the rows exactly as `groups` do, up to renaming."""
    pairs = set(zip(labels.tolist(), groups))
    return len(pairs) == len(set(labels.tolist())) == len(set(groups))


def test_two_obvious_groups_are_found():
    x = two_blobs()
    model = KMeans(2, seed=7).fit(x)
    assert isinstance(model, KMeansModel)
    labels = model.labels_
    assert labels.dtype == np.uint32 and labels.shape == (20,)
    assert same_partition(labels, [0] * 10 + [1] * 10)
    assert model.converged and model.n_iter >= 1
    assert model.cluster_sizes == [10, 10]
    assert model.objective >= 0
    assert model.inertia_history[-1] == pytest.approx(model.objective)


def test_texts_about_two_themes(corpus):
    _, x = Tfidf().fit_transform(corpus)
    labels = KMeans(2).fit(x).labels_
    assert same_partition(labels, [0] * 5 + [1] * 5)


def test_same_seed_same_labels():
    x = sp.random(200, 50, density=0.1, format="csr", random_state=3, dtype=np.float32)
    a = KMeans(5, seed=11).fit(x)
    b = KMeans(5, seed=11).fit(x)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert a.objective == b.objective
    c = KMeans(5, seed=11, threads=1).fit(x)
    np.testing.assert_array_equal(a.labels_, c.labels_)


def test_pruned_and_plain_lloyd_give_the_same_model():
    x = sp.random(500, 80, density=0.08, format="csr", random_state=4, dtype=np.float32)
    plain = KMeans(6, seed=2, algorithm="lloyd").fit(x)
    assert KMeans(6).algorithm == "yinyang"
    for algorithm in ["hamerly", "yinyang"]:
        pruned = KMeans(6, seed=2, algorithm=algorithm).fit(x)
        np.testing.assert_array_equal(pruned.labels_, plain.labels_)
        assert pruned.objective == plain.objective
        np.testing.assert_array_equal(pruned.centroids, plain.centroids)


def test_kmeans_parallel_init_and_mini_batch_find_the_two_blobs():
    x = two_blobs()
    expected = KMeans(2, seed=3).fit(x).labels_
    for kwargs in [{"init": "k-means||"}, {"batch_size": 4}]:
        labels = KMeans(2, seed=3, **kwargs).fit(x).labels_
        assert same_partition(labels, expected), kwargs


def test_concurrent_fits_from_python_threads_agree():
    x = sp.random(300, 40, density=0.1, format="csr", random_state=5, dtype=np.float32)
    expected = KMeans(4, seed=1).fit(x).labels_
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: KMeans(4, seed=1).fit(x).labels_, range(4)))
    for labels in results:
        np.testing.assert_array_equal(labels, expected)


def test_input_forms_give_the_same_model():
    x = two_blobs()
    ref = KMeans(2).fit(x.astype(np.float32)).labels_
    np.testing.assert_array_equal(KMeans(2).fit(x).labels_, ref)  # float64
    np.testing.assert_array_equal(KMeans(2).fit(x.tocsc()).labels_, ref)  # converted
    np.testing.assert_array_equal(KMeans(2).fit(sp.csr_array(x)).labels_, ref)
    parts = (x.data, x.indices, x.indptr, x.shape)
    np.testing.assert_array_equal(KMeans(2).fit(parts).labels_, ref)


def test_unsorted_and_duplicate_indices_are_canonicalised():
    # Row 0 lists its columns out of order and column 1 twice (summed by scipy).
    data = np.array([1.0, 0.5, 0.5, 1.0, 1.0])
    indices = np.array([1, 0, 1, 2, 3])
    indptr = np.array([0, 3, 4, 5])
    x = sp.csr_matrix((data, indices, indptr), shape=(3, 4))
    assert not x.has_canonical_format
    model = KMeans(3).fit(x)
    assert sorted(model.labels_.tolist()) == [0, 1, 2]
    assert not x.has_canonical_format  # the caller's matrix is left alone


def test_predict_and_centroids():
    x = two_blobs()
    model = KMeans(2).fit(x)
    np.testing.assert_array_equal(model.predict(x), model.labels_)
    new = sp.csr_matrix(np.array([[0, 0, 1.0, 1.0, 0, 0], [1.0, 0, 0, 0, 0, 0]]))
    assert model.predict(new).tolist() == [model.labels_[-1], model.labels_[0]]
    c = model.centroids
    assert c.shape == (2, 6) and c.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(c, axis=1), 1.0, rtol=1e-5)
    assert (model.n_clusters, model.n_features) == (2, 6)
    with pytest.raises(DataError, match="columns"):
        model.predict(sp.csr_matrix(np.ones((1, 5))))


def test_pickle_round_trip():
    x = two_blobs()
    model = KMeans(2, seed=3).fit(x)
    back = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(back.labels_, model.labels_)
    np.testing.assert_array_equal(back.centroids, model.centroids)
    assert back.objective == model.objective
    np.testing.assert_array_equal(back.predict(x), model.labels_)
    params = pickle.loads(
        pickle.dumps(KMeans(4, seed=9, n_init=2, tol=0.0, threads=1, algorithm="lloyd"))
    )
    assert (params.n_clusters, params.seed, params.n_init, params.tol, params.threads) == (
        4, 9, 2, 0.0, 1,
    )
    assert params.algorithm == "lloyd"
    assert repr(params) == (
        "KMeans(n_clusters=4, seed=9, n_init=2, max_iter=100, tol=0.0, threads=1, "
        "algorithm='lloyd', metric='cosine')"
    )


def test_defaults():
    k = KMeans(3)
    assert (k.n_clusters, k.seed, k.n_init, k.max_iter, k.tol, k.threads) == (
        3, 42, 3, 100, 1e-4, None,
    )
    assert k.metric == "cosine"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_clusters": 0}, "n_clusters"),
        ({"n_clusters": -2}, "n_clusters"),
        ({"n_clusters": 2, "n_init": 0}, "n_init"),
        ({"n_clusters": 2, "max_iter": 0}, "max_iter"),
        ({"n_clusters": 2, "tol": -1e-3}, "tol"),
        ({"n_clusters": 2, "tol": float("nan")}, "tol"),
        ({"n_clusters": 2, "threads": 0}, "threads"),
        ({"n_clusters": 2, "seed": -1}, "seed"),
        ({"n_clusters": 2, "seed": 2**64}, "seed"),
        ({"n_clusters": 2, "algorithm": "elkan"}, "algorithm"),
        ({"n_clusters": 2, "init": "random"}, "init"),
        ({"n_clusters": 2, "batch_size": 0}, "batch_size"),
        ({"n_clusters": 2, "metric": "manhattan"}, "metric"),
    ],
)
def test_invalid_parameters_raise_param_error_naming_them(kwargs, name):
    with pytest.raises(ParamError, match=name):
        KMeans(**kwargs)
    with pytest.raises(ValueError, match=name):
        KMeans(**kwargs)


def test_largest_seed_is_valid():
    assert KMeans(2, seed=2**64 - 1).seed == 2**64 - 1


@pytest.mark.parametrize("kwargs", [{"n_clusters": 2.0}, {"n_clusters": 2, "seed": 1.5}])
def test_wrong_types_raise_type_error(kwargs):
    with pytest.raises(TypeError):
        KMeans(**kwargs)


def test_data_errors():
    x = two_blobs(4)
    with pytest.raises(DataError, match="5 clusters"):
        KMeans(5).fit(x)
    with pytest.raises(DataError, match="empty"):
        KMeans(2).fit(sp.csr_matrix((3, 4), dtype=np.float32))
    bad = x.copy()
    bad.data[0] = np.nan
    with pytest.raises(DataError, match="non-finite"):
        KMeans(2).fit(bad)
    with pytest.raises(DataError, match="indptr"):
        KMeans(2).fit((np.ones(2), np.array([0, 1]), np.array([0, 2]), (2, 2)))
    with pytest.raises(DataError, match="column"):
        KMeans(1).fit((np.ones(1), np.array([5]), np.array([0, 1]), (1, 2)))


def test_not_a_matrix_is_a_type_error():
    with pytest.raises(TypeError, match="scipy.sparse"):
        KMeans(2).fit([[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(TypeError, match="4 items"):
        KMeans(2).fit((np.ones(2), np.array([0, 1])))


# Dense rows ------------------------------------------------------------------------------


def gaussian_blobs(n=600, d=8, k=4, spread=8.0, seed=0, dtype=np.float32):
    """`n` rows around `k` well-separated centres, unit noise; the true label of each row."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-spread, spread, (k, d))
    truth = rng.integers(0, k, n)
    x = centres[truth] + rng.standard_normal((n, d))
    return x.astype(dtype), truth.tolist()


def test_euclidean_tiny_case_by_hand():
    # (0, 0) and (2, 0): mean (1, 0), squared distances 1 + 1; (10, 10), (10, 12), (10, 14):
    # mean (10, 12), squared distances 4 + 0 + 4.
    x = np.array([[0, 0], [10, 10], [2, 0], [10, 12], [10, 14]], dtype=np.float32)
    model = KMeans(2, metric="euclidean").fit(x)
    assert model.metric == "euclidean"
    assert same_partition(model.labels_, [0, 1, 0, 1, 1])
    assert model.objective == 10.0
    c = model.centroids
    np.testing.assert_array_equal(c[model.labels_[0]], [1, 0])
    np.testing.assert_array_equal(c[model.labels_[1]], [10, 12])
    # New points go to the nearest mean.
    new = np.array([[3, 3], [9, 20]], dtype=np.float32)
    assert model.predict(new).tolist() == [model.labels_[0], model.labels_[1]]


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_dense_blobs_are_found_and_predicted(metric):
    x, truth = gaussian_blobs()
    model = KMeans(4, seed=1, metric=metric).fit(x)
    assert same_partition(model.labels_, truth)
    np.testing.assert_array_equal(model.predict(x), model.labels_)
    assert model.centroids.shape == (4, 8) and model.metric == metric
    assert model.inertia_history[-1] == pytest.approx(model.objective)
    if metric == "cosine":
        np.testing.assert_allclose(np.linalg.norm(model.centroids, axis=1), 1.0, rtol=1e-5)


def test_dense_cosine_matches_the_sparse_path():
    x, _ = gaussian_blobs(n=800, d=10, k=5, spread=3.0, seed=4)
    x[::97] = 0.0  # a few zero rows: label 0, 1 each in the objective, in both paths
    dense = KMeans(5, seed=2).fit(x)
    sparse = KMeans(5, seed=2).fit(sp.csr_matrix(x))
    np.testing.assert_array_equal(dense.labels_, sparse.labels_)
    assert dense.objective == pytest.approx(sparse.objective, rel=1e-6)
    np.testing.assert_allclose(dense.centroids, sparse.centroids, atol=1e-5)
    # Either model predicts either form.
    np.testing.assert_array_equal(dense.predict(sp.csr_matrix(x)), dense.labels_)
    np.testing.assert_array_equal(sparse.predict(x), sparse.labels_)


def test_dense_input_forms_give_the_same_model():
    x, _ = gaussian_blobs(seed=5)
    ref = KMeans(4, metric="euclidean").fit(x)
    for other in [x.astype(np.float64), np.asfortranarray(x), np.hstack([x, x])[:, :8]]:
        model = KMeans(4, metric="euclidean").fit(other)
        np.testing.assert_array_equal(model.labels_, ref.labels_)
        assert model.objective == ref.objective
    # A float32 C-contiguous array is not modified (nor kept).
    before = x.copy()
    KMeans(4, metric="euclidean").fit(x)
    np.testing.assert_array_equal(x, before)


def test_dense_same_result_at_any_thread_count():
    x, _ = gaussian_blobs(n=3000, d=6, k=8, spread=2.0, seed=6)
    for metric in ["cosine", "euclidean"]:
        models = [KMeans(8, seed=3, metric=metric, threads=t).fit(x) for t in (1, 2, 8)]
        for m in models[1:]:
            np.testing.assert_array_equal(m.labels_, models[0].labels_)
            np.testing.assert_array_equal(m.centroids, models[0].centroids)
            assert m.objective == models[0].objective


def test_dense_pruned_and_plain_lloyd_give_the_same_model():
    x, _ = gaussian_blobs(n=2000, d=6, k=8, spread=1.5, seed=7)
    plain = KMeans(10, seed=2, metric="euclidean", algorithm="lloyd").fit(x)
    for algorithm in ["hamerly", "yinyang"]:
        pruned = KMeans(10, seed=2, metric="euclidean", algorithm=algorithm).fit(x)
        np.testing.assert_array_equal(pruned.labels_, plain.labels_)
        assert pruned.objective == plain.objective


def test_dense_init_and_mini_batch():
    x, truth = gaussian_blobs(n=2000, seed=8)
    for kwargs in [{"init": "k-means||"}, {"batch_size": 200}]:
        model = KMeans(4, seed=3, metric="euclidean", **kwargs).fit(x)
        assert same_partition(model.labels_, truth), kwargs
        np.testing.assert_array_equal(model.predict(x), model.labels_)


def test_euclidean_model_pickles_with_its_metric():
    x, _ = gaussian_blobs()
    model = KMeans(4, metric="euclidean").fit(x)
    back = pickle.loads(pickle.dumps(model))
    assert back.metric == "euclidean"
    np.testing.assert_array_equal(back.centroids, model.centroids)
    np.testing.assert_array_equal(back.predict(x), model.labels_)
    assert "metric='euclidean'" in repr(back)
    params = pickle.loads(pickle.dumps(KMeans(3, metric="euclidean")))
    assert params.metric == "euclidean"


def test_dense_data_errors():
    x, _ = gaussian_blobs(n=5)
    with pytest.raises(DataError, match="6 clusters"):
        KMeans(6, metric="euclidean").fit(x)
    bad = x.copy()
    bad[3, 2] = np.inf
    with pytest.raises(DataError, match="row 3, column 2"):
        KMeans(2, metric="euclidean").fit(bad)
    with pytest.raises(DataError, match="empty"):
        KMeans(2).fit(np.zeros((4, 3), dtype=np.float32))
    with pytest.raises(DataError, match="2-D"):
        KMeans(2).fit(np.ones(6))
    with pytest.raises(DataError, match="no column"):
        KMeans(2, metric="euclidean").fit(np.ones((4, 0)))
    with pytest.raises(DataError, match="fit_dense"):
        KMeans(2, metric="euclidean").fit(sp.csr_matrix(x))
    with pytest.raises(TypeError, match="floats"):
        KMeans(2).fit(np.ones((4, 3), dtype=np.int64))
    model = KMeans(2, metric="euclidean").fit(x)
    with pytest.raises(DataError, match="columns"):
        model.predict(np.ones((2, 7), dtype=np.float32))
    with pytest.raises(DataError, match="non-finite"):
        model.predict(bad)


def test_euclidean_objective_is_within_one_percent_of_scikit_learn():
    sklearn = pytest.importorskip("sklearn.cluster")
    x, _ = gaussian_blobs(n=5000, d=20, k=12, spread=6.0, seed=9)
    ours = KMeans(12, seed=0, n_init=3, metric="euclidean").fit(x)
    theirs = sklearn.KMeans(12, n_init=3, random_state=0, algorithm="lloyd").fit(x)
    assert ours.objective <= theirs.inertia_ * 1.01
    # The objective is the inertia of the labels and centroids, as scikit-learn defines it.
    c = ours.centroids.astype(np.float64)
    inertia = ((x.astype(np.float64) - c[ours.labels_]) ** 2).sum()
    assert ours.objective == pytest.approx(inertia, rel=1e-9)
