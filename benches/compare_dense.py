"""Dense Euclidean k-means: thematic against scikit-learn's Lloyd, one timed fit each.

Gaussian blobs from `sklearn.datasets.make_blobs` (float32), n = 100,000 rows of d = 100
values around 50 centres, clustered with k = 50, one initialisation (greedy k-means++ in
both), the same `max_iter`, on all cores. Two sets of blobs: well separated (scikit-learn's
default centre box, +-10) and overlapping (centres in +-1.5, so the fits need a dozen
iterations or more). Each configuration is fitted once, untimed, to warm up, then timed once:
a quick comparison, not a benchmark (see `benches/benches/kmeans.rs` for that).

The two stop differently at the default tolerance (scikit-learn on the centres' shift,
thematic on the objective's relative decrease), so a second configuration runs both to a
fixed number of iterations (`tol=0`, `max_iter=20`) for a like-for-like cost per iteration.

Run from the repository root, with thematic built into the venv
(`cd crates/python && ../../.venv/bin/maturin develop --release`):

    .venv/bin/python benches/compare_dense.py [--n 100000] [--d 100] [--k 50]
"""

import argparse
import os
import time

import numpy as np
from sklearn.cluster import KMeans as SkKMeans
from sklearn.datasets import make_blobs

import thematic


def timed(fit):
    fit()  # warm-up: thread pools, page faults
    start = time.perf_counter()
    model = fit()
    return time.perf_counter() - start, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--d", type=int, default=100)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n, d, k = args.n, args.d, args.k
    print(f"cores={os.cpu_count()} load={os.getloadavg()[0]:.2f} n={n} d={d} k={k}")

    for name, box in [("separated", (-10.0, 10.0)), ("overlapping", (-1.5, 1.5))]:
        x, _ = make_blobs(
            n_samples=n, n_features=d, centers=k, center_box=box, random_state=args.seed
        )
        x = x.astype(np.float32)
        for max_iter, tol in [(100, 1e-4), (20, 0.0)]:
            t_ours, ours = timed(
                lambda: thematic.KMeans(
                    k, seed=args.seed, n_init=1, max_iter=max_iter, tol=tol, metric="euclidean"
                ).fit(x)
            )
            t_sk, sk = timed(
                lambda: SkKMeans(
                    k,
                    n_init=1,
                    max_iter=max_iter,
                    tol=tol,
                    algorithm="lloyd",
                    random_state=args.seed,
                ).fit(x)
            )
            print(
                f"{name:11} max_iter={max_iter:3} tol={tol:g}: "
                f"thematic {t_ours:6.3f}s ({ours.n_iter:2} iter, objective {ours.objective:.6g})  "
                f"sklearn {t_sk:6.3f}s ({sk.n_iter_:2} iter, inertia {sk.inertia_:.6g})  "
                f"speed-up x{t_sk / t_ours:.2f}"
            )


if __name__ == "__main__":
    main()
