#!/usr/bin/env python3
"""Times thematic's spherical k-means against scikit-learn's Lloyd k-means on one TF-IDF matrix.

usage: benches/compare_kmeans.py [--k 50] [--max-iter 100] [--repeat 1] [--gen 100000,1000000]
                                 [--threads N] [--no-build] [--json] CSV...

For each corpus CSV (gen_corpus.py output: id,respondent_id,group,question,text,theme,
recommendation), in one process:

* builds ONE matrix with `thematic.Tfidf(min_df=2, max_df=0.5, sublinear_tf=True)
  .fit_transform(texts, analyzer=thematic.Analyzer())` (float32 CSR, L2-normalised rows) and
  drops the rows with no non-zero; each kept row keeps its planted `theme` (rows planted -1
  are clustered but left out of NMI);
* fits on that matrix, same k, max_iter, seed, n_init=1, tol=1e-4:
  - thematic `KMeans(k, seed, n_init=1, max_iter, tol=1e-4, threads)` on the float32 CSR;
  - scikit-learn `KMeans(k, algorithm="lloyd", init="k-means++", n_init=1, max_iter,
    random_state=seed, tol=1e-4)` on a float64 copy and on the float32 CSR;
* reports for each: fit wall seconds (best of --repeat), iterations, seconds per iteration,
  NMI against the planted themes, and two objectives computed from the labels alone, the
  same way for every labeling: spherical sum(1 - cos(x_i, normalised sum of its cluster))
  and SSE sum(||x_i - mean of its cluster||^2) (scikit-learn's inertia definition);
* peak RSS of the process after each step, the CSR size and k x n_features x 4 bytes.

The thematic package is rebuilt first (`maturin develop --release -m crates/python/Cargo.toml`
in the virtualenv $THEMATIC_VENV, default <repo>/.venv) unless --no-build is given; the
script re-runs itself with the venv's Python when started with another one.
"""
import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.abspath(os.environ.get("THEMATIC_VENV", os.path.join(ROOT, ".venv")))
GEN_CORPUS = os.path.join(ROOT, "..", "shared", "tools", "gen_corpus.py")
GEN_DIR = "/tmp/thematic-bench"
NOTES = [
    "scikit-learn's Lloyd is Euclidean k-means on the unit rows (centroids are cluster means,"
    " not normalised); thematic is spherical (centroids normalised, cosine assignment). Both"
    " objectives below are recomputed from each labeling's clusters, so they compare the"
    " partitions, not the algorithms' own bookkeeping.",
    "Fit time includes each library's k-means++ initialisation and input conversion (the"
    " float64 copy for 'sklearn f64' is made before timing). Convergence rules differ:"
    " thematic stops when the objective improves by less than tol (relative); scikit-learn"
    " when labels stop changing or the centre shift falls below tol x mean feature variance.",
    "speedup = sklearn s / thematic s; rel diff = (thematic - sklearn) / sklearn (negative:"
    " thematic's partition is better on that measure).",
]


# --------------------------------------------------------------------------------------------
# Environment helpers (also used by quality_fft.py)
# --------------------------------------------------------------------------------------------

def log(msg):
    print(msg, file=sys.stderr, flush=True)


def in_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def ensure_venv(script):
    """Re-runs `script` with the venv's Python (made by setup_venv.sh if missing), and inside
    it installs scipy / maturin when they are missing."""
    if not in_venv():
        if os.environ.get("THEMATIC_BENCH_IN_VENV"):
            sys.exit(f"{os.path.basename(script)}: could not switch to the virtualenv {VENV}")
        python = os.path.join(VENV, "bin", "python")
        if not os.path.exists(python):
            python = subprocess.run(["bash", os.path.join(HERE, "setup_venv.sh")], check=True,
                                    stdout=subprocess.PIPE, text=True).stdout.strip()
        env = dict(os.environ, THEMATIC_BENCH_IN_VENV="1", THEMATIC_VENV=VENV)
        os.execve(python, [python, os.path.abspath(script)] + sys.argv[1:], env)
    missing = []
    for module, requirement in [("numpy", "numpy"), ("scipy", "scipy"),
                                ("sklearn", "scikit-learn"), ("threadpoolctl", "threadpoolctl")]:
        try:
            __import__(module)
        except ImportError:
            missing.append(requirement)
    if not os.path.exists(os.path.join(VENV, "bin", "maturin")):
        missing.append("maturin>=1.9,<2")
    if missing:
        log("installing " + " ".join(missing) + f" into {VENV}")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check"] + missing, check=True)


def build_thematic():
    """`maturin develop --release` of crates/python into the venv, so `import thematic` is
    the current source."""
    cmd = [os.path.join(VENV, "bin", "maturin"), "develop", "--release", "-m",
           "crates/python/Cargo.toml", "--quiet"]
    log("$ " + " ".join(cmd))
    env = dict(os.environ, VIRTUAL_ENV=VENV, PATH=os.path.join(VENV, "bin") + os.pathsep
               + os.environ.get("PATH", ""))
    env.pop("CONDA_PREFIX", None)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=sys.stderr)  # keep stdout clean
    if result.returncode != 0:
        sys.exit("maturin develop failed (another engineer may be mid-edit); retry, or pass"
                 " --no-build to measure the package already installed")
    log(f"built in {time.perf_counter() - start:.1f} s")


def thread_info(threads):
    """Thread counts: thematic's, and threadpoolctl's view of scikit-learn's pools."""
    them = threads or int(os.environ.get("THEMATIC_NUM_THREADS") or 0) or os.cpu_count()
    pools = []
    try:
        from threadpoolctl import threadpool_info
        import sklearn.cluster  # noqa: F401  (loads its OpenMP runtime)
        for p in threadpool_info():
            pools.append({k: p.get(k) for k in
                          ("user_api", "internal_api", "prefix", "version", "num_threads")})
    except ImportError:
        pass
    return them, pools


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def rss_now_mb():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


# --------------------------------------------------------------------------------------------
# Objectives from labels alone
# --------------------------------------------------------------------------------------------

def objectives(x, labels):
    """(spherical, sse) of the partition `labels` of the CSR rows `x`, in float64.

    spherical = sum_i (1 - cos(x_i, s_c)) with s_c the sum of x_i's cluster (its normalised
    sum has the same direction); sse = sum_i ||x_i - m_c||^2 with m_c the cluster mean,
    = sum_i ||x_i||^2 - ||s_c||^2 / n_c per cluster. One cluster at a time, so memory stays
    O(nnz of a cluster + n_features)."""
    import numpy as np

    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    spherical = 0.0
    sse = 0.0
    for rows in np.split(order, bounds):
        if rows.size == 0:
            continue
        xc = x[rows].astype(np.float64)
        s = np.asarray(xc.sum(axis=0)).ravel()
        s_norm = float(np.sqrt(s @ s))
        row_norms = np.sqrt(np.asarray(xc.multiply(xc).sum(axis=1)).ravel())
        dots = xc @ s
        ok = row_norms > 0
        if s_norm > 0:
            spherical += float(np.sum(1.0 - dots[ok] / (row_norms[ok] * s_norm)))
        spherical += float(np.count_nonzero(~ok))
        sse += float(np.sum(row_norms ** 2) - s_norm ** 2 / rows.size)
    return spherical, sse


# --------------------------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------------------------

def generate(sizes):
    os.makedirs(GEN_DIR, exist_ok=True)
    paths = []
    for n in sizes:
        path = os.path.join(GEN_DIR, f"c{n}.csv")
        if not os.path.exists(path):
            log(f"generating {path}")
            tmp = path + ".tmp"
            subprocess.run(["python3", GEN_CORPUS, "--n", str(n), "--out", tmp], check=True)
            os.replace(tmp, path)
        paths.append(path)
    return paths


def read_corpus(path):
    csv.field_size_limit(sys.maxsize)
    texts, themes = [], []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            texts.append(row["text"] or "")
            theme = (row.get("theme") or "").strip()
            themes.append(int(theme) if theme else -1)
    return texts, themes


def timed(fit, repeat):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fit()
        seconds = time.perf_counter() - start
        best = seconds if best is None else min(best, seconds)
    return best, result


def compare(path, args):
    import numpy as np
    import thematic
    from sklearn.cluster import KMeans as SkKMeans
    from sklearn.metrics import normalized_mutual_info_score

    memory = []

    def step(name):
        memory.append({"step": name, "peak_rss_mb": round(peak_rss_mb(), 1),
                       "rss_mb": round(rss_now_mb(), 1)})
        log(f"  {name}: peak RSS {memory[-1]['peak_rss_mb']:.0f} MiB")

    log(f"{path}: reading")
    step("start")
    texts, themes = read_corpus(path)
    step("read csv")
    start = time.perf_counter()
    _, x = thematic.Tfidf(min_df=2, max_df=0.5, sublinear_tf=True).fit_transform(
        texts, analyzer=thematic.Analyzer())
    tfidf_s = time.perf_counter() - start
    n_docs = x.shape[0]
    keep = np.flatnonzero(np.diff(x.indptr) > 0)
    if keep.size < n_docs:
        x = x[keep]
    themes = np.asarray(themes, dtype=np.int64)[keep]
    del texts
    x.sort_indices()
    step("tfidf")
    planted = themes >= 0
    n, n_features = x.shape
    csr_bytes = x.data.nbytes + x.indices.nbytes + x.indptr.nbytes
    log(f"  matrix {n} x {n_features}, nnz {x.nnz}, {x.dtype}; tfidf {tfidf_s:.2f} s")

    limits = None
    if args.threads:
        from threadpoolctl import threadpool_limits
        limits = threadpool_limits(limits=args.threads)

    runs = []

    def record(name, seconds, labels, n_iter, own_objective):
        labels = np.asarray(labels, dtype=np.int64)
        nmi = normalized_mutual_info_score(themes[planted], labels[planted])
        sph, sse = objectives(x, labels)
        runs.append({"method": name, "fit_s": seconds, "n_iter": int(n_iter),
                     "s_per_iter": seconds / max(int(n_iter), 1), "nmi": nmi,
                     "spherical": sph, "sse": sse, "own_objective": float(own_objective),
                     "clusters_used": int(np.unique(labels).size)})
        log(f"  {name}: {seconds:.2f} s, {n_iter} iterations, NMI {nmi:.4f}")

    log("  thematic KMeans (float32)")
    km = thematic.KMeans(args.k, seed=args.seed, n_init=1, max_iter=args.max_iter, tol=1e-4,
                         threads=args.threads)
    seconds, model = timed(lambda: km.fit(x), args.repeat)
    step("thematic fit")
    record("thematic f32", seconds, model.labels_, model.n_iter, model.objective)
    runs[-1]["converged"] = bool(model.converged)
    del model

    def sklearn_fit(data, name):
        log(f"  scikit-learn KMeans lloyd ({data.dtype})")
        sk = SkKMeans(n_clusters=args.k, algorithm="lloyd", init="k-means++", n_init=1,
                      max_iter=args.max_iter, random_state=args.seed, tol=1e-4)
        seconds, fitted = timed(lambda: sk.fit(data), args.repeat)
        step(name + " fit")
        record(name, seconds, fitted.labels_, fitted.n_iter_, fitted.inertia_)
        runs[-1]["converged"] = bool(fitted.n_iter_ < args.max_iter)

    x64 = x.astype(np.float64)
    step("float64 copy")
    sklearn_fit(x64, "sklearn f64")
    del x64
    sklearn_fit(x, "sklearn f32")
    if limits is not None:
        limits.restore_original_limits()

    base = runs[0]
    for r in runs[1:]:
        r["speedup"] = r["fit_s"] / base["fit_s"]
        r["rel_spherical"] = (base["spherical"] - r["spherical"]) / r["spherical"]
        r["rel_sse"] = (base["sse"] - r["sse"]) / r["sse"]
    return {
        "corpus": os.path.basename(path), "n_docs": n_docs, "n_rows": n,
        "dropped_empty": n_docs - n, "n_planted": int(planted.sum()),
        "n_themes": int(np.unique(themes[planted]).size), "n_features": n_features,
        "nnz": int(x.nnz), "csr_bytes": int(csr_bytes),
        "centroid_bytes": int(args.k * n_features * 4), "tfidf_s": tfidf_s,
        "runs": runs, "memory": memory,
    }


def fmt_table(head, body, left=1):
    """Plain-text table; the first `left` columns left-aligned, the rest right-aligned."""
    widths = [max(len(c) for c in col) for col in zip(head, *body)]
    lines = []
    for i, line in enumerate([head] + body):
        lines.append("  ".join(c.rjust(w) if j >= left else c.ljust(w)
                               for j, (c, w) in enumerate(zip(line, widths))))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_report(result, args, them_threads, pools):
    for c in result["corpora"]:
        print(f"\n{c['corpus']}: {c['n_docs']} responses, {c['n_rows']} rows kept"
              f" ({c['dropped_empty']} empty dropped), {c['n_planted']} with a planted theme"
              f" ({c['n_themes']} themes); {c['n_features']} features, nnz {c['nnz']};"
              f" TF-IDF {c['tfidf_s']:.2f} s")
        print(f"CSR (data+indices+indptr) {c['csr_bytes'] / 2**20:.1f} MiB;"
              f" k x n_features x 4 = {c['centroid_bytes'] / 2**20:.1f} MiB"
              f" (k={args.k})\n")
        head = ["method", "fit s", "iters", "s/iter", "speedup", "NMI", "spherical obj",
                "rel diff", "SSE", "rel diff", "conv"]
        body = []
        for r in c["runs"]:
            body.append([r["method"], f"{r['fit_s']:.3f}", str(r["n_iter"]),
                         f"{r['s_per_iter']:.4f}",
                         f"{r['speedup']:.2f}x" if "speedup" in r else "-",
                         f"{r['nmi']:.4f}", f"{r['spherical']:.1f}",
                         f"{r['rel_spherical']:+.3%}" if "rel_spherical" in r else "-",
                         f"{r['sse']:.1f}",
                         f"{r['rel_sse']:+.3%}" if "rel_sse" in r else "-",
                         "yes" if r["converged"] else "no"])
        print(fmt_table(head, body))
        print()
        print(fmt_table(["after step", "peak RSS MiB", "RSS MiB"],
                        [[m["step"], f"{m['peak_rss_mb']:.0f}", f"{m['rss_mb']:.0f}"]
                         for m in c["memory"]]))
    print(f"\nk={args.k}, max_iter={args.max_iter}, n_init=1, seed={args.seed}, tol=1e-4,"
          f" best of {args.repeat}; {platform.machine()}, {os.cpu_count()} logical CPUs")
    print(f"threads: thematic {them_threads}"
          f"{' (--threads)' if args.threads else ' (THEMATIC_NUM_THREADS or all cores)'};"
          f" scikit-learn {'limited to ' + str(args.threads) if args.threads else 'OpenMP default (all cores)'}")
    for p in pools:
        print(f"  threadpoolctl: {p['user_api']}/{p['internal_api']} {p['prefix']}"
              f" {p['version']} num_threads={p['num_threads']}")
    for note in NOTES:
        print("note: " + note)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*", help="gen_corpus.py CSV files")
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--max-iter", type=int, default=100)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--repeat", type=int, default=1, help="fits per method; the fastest counts")
    ap.add_argument("--gen", default="", help="sizes to generate, e.g. 100000,1000000")
    ap.add_argument("--threads", type=int, default=None,
                    help="threads for both (default: all cores)")
    ap.add_argument("--no-build", action="store_true", help="skip maturin develop")
    ap.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = ap.parse_args()
    if args.repeat < 1 or args.k < 1 or args.max_iter < 1:
        ap.error("--repeat, --k and --max-iter must be at least 1")
    sizes = [int(s) for s in args.gen.split(",") if s.strip()]
    if not args.corpora and not sizes:
        ap.error("no corpus: give CSV files or --gen")
    ensure_venv(__file__)
    corpora = args.corpora + generate(sizes)
    if not args.no_build:
        build_thematic()
    them_threads, pools = thread_info(args.threads)
    result = {"k": args.k, "max_iter": args.max_iter, "seed": args.seed, "repeat": args.repeat,
              "thematic_threads": them_threads, "threadpools": pools, "notes": NOTES,
              "corpora": [compare(path, args) for path in corpora]}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result, args, them_threads, pools)


if __name__ == "__main__":
    main()
