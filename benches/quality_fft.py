#!/usr/bin/env python3
"""Theme quality of thematic vs scikit-learn text clustering against human labels (NHS FFT).

usage: benches/quality_fft.py [--csv ../shared/data/nhs-fft-pxtextmining/fft_v6_multilabel.csv]
                              [--seeds 5] [--no-build] [--json]

Takes the rows with exactly one human label (`n_labels == 1`; label column `label`, every
label kept, "Labelling not possible" and "Not assigned" included), sets k = the number of
distinct labels among them, and for seeds 0..S-1 scores three clusterings against the labels
with NMI and adjusted Rand (mean +- sample sd over the seeds):

* thematic: `thematic.analyse(texts, themes=k, seed=s)` (the default pipeline). Rows it leaves
  unassigned (None: no usable term) form one extra cluster, -1, for the metrics;
* sklearn tfidf+kmeans: `TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2,
  max_df=0.5, sublinear_tf=True)` then `KMeans(n_clusters=k, n_init=5, random_state=s)`;
* sklearn LSA: the same TfidfVectorizer, `TruncatedSVD(100, random_state=s)`,
  `Normalizer(copy=False)`, then `KMeans(n_clusters=k, n_init=5, random_state=s)`, as
  scikit-learn's example "Clustering text documents using k-means".

scikit-learn's pipelines assign every row, including rows whose vector is all zero.

Each is also reported with its largest cluster's share of the responses (thematic: the largest
theme, the unassigned rows are shown apart) next to the largest label's share: no theme
should hold more than half the responses when no label does.

Two variants of the rows: "all" (every single-label row) and "usable" (without the rows whose
text is empty after trimming, or that thematic leaves unassigned because no term of theirs
survives its analyser and vocabulary; k is recounted).

The thematic package is rebuilt first with `maturin develop --release` in the virtualenv
(see compare_kmeans.py) unless --no-build is given.
"""
import argparse
import collections
import csv
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare_kmeans import ROOT, build_thematic, ensure_venv, fmt_table, log  # noqa: E402

DEFAULT_CSV = os.path.join(ROOT, "..", "shared", "data", "nhs-fft-pxtextmining",
                           "fft_v6_multilabel.csv")
METHODS = ["thematic", "sklearn tfidf+kmeans", "sklearn LSA(100)+kmeans"]
NOTES = [
    "thematic rows left unassigned (None) count as one extra cluster -1 in NMI/ARI; 'largest'"
    " for thematic is its largest theme (unassigned rows excluded from it, shown apart).",
    "scikit-learn's pipelines assign every row, all-zero vectors included.",
    "Each method's time is wall seconds per seed of the whole fit (vectorise + cluster).",
]


def read_rows(path):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("n_labels") or "").strip() == "1"]
    return [r["text"] or "" for r in rows], [r["label"] for r in rows]


def cluster_thematic(texts, k, seed):
    import thematic
    result = thematic.analyse(texts, themes=k, seed=seed)
    return [-1 if a is None else a for a in result["assignments"]]


def sklearn_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer
    return TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2, max_df=0.5,
                           sublinear_tf=True)


def cluster_sklearn(texts, k, seed):
    from sklearn.cluster import KMeans
    x = sklearn_tfidf().fit_transform(texts)
    return KMeans(n_clusters=k, n_init=5, random_state=seed).fit(x).labels_


def cluster_lsa(texts, k, seed):
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer
    x = sklearn_tfidf().fit_transform(texts)
    lsa = make_pipeline(TruncatedSVD(n_components=100, random_state=seed), Normalizer(copy=False))
    return KMeans(n_clusters=k, n_init=5, random_state=seed).fit(lsa.fit_transform(x)).labels_


FITS = {"thematic": cluster_thematic, "sklearn tfidf+kmeans": cluster_sklearn,
        "sklearn LSA(100)+kmeans": cluster_lsa}


def mean_sd(values):
    import numpy as np
    a = np.asarray(values, dtype=np.float64)
    return float(a.mean()), float(a.std(ddof=1)) if a.size > 1 else 0.0


def evaluate(variant, texts, labels, seeds):
    import numpy as np
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    counts = collections.Counter(labels)
    k = len(counts)
    n = len(texts)
    label_share = counts.most_common(1)[0][1] / n
    log(f"{variant}: {n} rows, k={k}")
    rows = []
    for method in METHODS:
        scores = collections.defaultdict(list)
        for seed in seeds:
            start = time.perf_counter()
            assigned = np.asarray(FITS[method](texts, k, seed))
            scores["seconds"].append(time.perf_counter() - start)
            scores["nmi"].append(normalized_mutual_info_score(labels, assigned))
            scores["ari"].append(adjusted_rand_score(labels, assigned))
            themed = assigned[assigned >= 0]
            sizes = np.bincount(themed) if themed.size else np.zeros(1, dtype=np.int64)
            scores["largest"].append(sizes.max() / n)
            scores["unassigned"].append(float(np.count_nonzero(assigned < 0)) / n)
            scores["clusters"].append(int(np.count_nonzero(sizes)))
            log(f"  {method} seed {seed}: NMI {scores['nmi'][-1]:.4f}"
                f" ARI {scores['ari'][-1]:.4f} ({scores['seconds'][-1]:.2f} s)")
        row = {"variant": variant, "method": method, "n": n, "k": k,
               "largest_label_share": label_share}
        for key, values in scores.items():
            row[key], row[key + "_sd"] = mean_sd(values)
        row["per_seed"] = {key: list(map(float, v)) for key, v in scores.items()}
        rows.append(row)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", default=DEFAULT_CSV)
    ap.add_argument("--seeds", type=int, default=5, help="seeds 0..S-1")
    ap.add_argument("--no-build", action="store_true", help="skip maturin develop")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args()
    if args.seeds < 1:
        ap.error("--seeds must be at least 1")
    ensure_venv(__file__)
    if not args.no_build:
        build_thematic()
    import thematic
    import sklearn.cluster  # noqa: F401  (imported here so that no timing includes it)
    import sklearn.decomposition  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401

    texts, labels = read_rows(args.csv)
    empty = [not t.strip() for t in texts]
    # Unassigned rows depend on the analyser and vocabulary only, not on the seed or k.
    unusable = [a is None for a in
                thematic.analyse(texts, themes=len(set(labels)), seed=0)["assignments"]]
    keep = [i for i in range(len(texts)) if not (empty[i] or unusable[i])]
    seeds = list(range(args.seeds))
    rows = evaluate("all", texts, labels, seeds)
    rows += evaluate("usable", [texts[i] for i in keep], [labels[i] for i in keep], seeds)
    info = {"csv": os.path.relpath(os.path.abspath(args.csv), ROOT), "seeds": seeds,
            "single_label_rows": len(texts), "empty_text": sum(empty),
            "thematic_unassigned": sum(unusable), "usable_rows": len(keep)}
    if args.json:
        print(json.dumps({**info, "notes": NOTES, "rows": rows}, indent=2))
        return
    print(f"{info['csv']}: {info['single_label_rows']} single-label rows;"
          f" variant 'usable' drops {info['empty_text']} with empty text and"
          f" {info['thematic_unassigned']} thematic leaves unassigned"
          f" -> {info['usable_rows']} rows. Seeds {seeds[0]}..{seeds[-1]}, mean +- sd.\n")
    head = ["variant", "method", "n", "k", "NMI", "ARI", "largest cluster", "largest label",
            "unassigned", "clusters", "s/seed"]
    body = [[r["variant"], r["method"], str(r["n"]), str(r["k"]),
             f"{r['nmi']:.3f} +- {r['nmi_sd']:.3f}", f"{r['ari']:.3f} +- {r['ari_sd']:.3f}",
             f"{r['largest']:.1%} +- {r['largest_sd']:.1%}", f"{r['largest_label_share']:.1%}",
             f"{r['unassigned']:.1%}", f"{r['clusters']:.1f}", f"{r['seconds']:.2f}"]
            for r in rows]
    print(fmt_table(head, body, left=2))
    print()
    for note in NOTES:
        print("note: " + note)


if __name__ == "__main__":
    main()
