#!/usr/bin/env python3
"""Times thematic's analyse + TF-IDF against scikit-learn's TfidfVectorizer on the same texts.

usage: benches/compare_tfidf.py [--gen 10000,100000] [--repeat 3] [--json] CSV...

For each corpus CSV (one response per record; the text column is `text` unless
--text-column says otherwise; an empty text counts as ""), in the same run:

* thematic: `tfidf-bench` (built here with `cargo build --release -p thematic-benches --bin
  tfidf-bench`) with the pipeline defaults (min_df=2, max_df=0.5, sublinear tf), once on all
  threads and once on one thread; each the best of --repeat runs;
* scikit-learn: `TfidfVectorizer(lowercase=True, stop_words="english", ngram_range=(1, 2),
  min_df=2, max_df=0.5, sublinear_tf=True, dtype=float32).fit_transform(texts)`, single
  threaded, best of --repeat runs.

Only fitting is timed, never CSV reading. --gen N,M,... generates corpora with
../shared/tools/gen_corpus.py into /tmp/thematic-bench/cN.csv (kept between runs) and adds
them to the list.

scikit-learn and numpy come from a virtualenv at $THEMATIC_VENV (default <repo>/.venv), made
and filled by benches/setup_venv.sh when missing; the script re-runs itself there.
"""
import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN_CORPUS = os.path.join(ROOT, "..", "shared", "tools", "gen_corpus.py")
GEN_DIR = "/tmp/thematic-bench"
NOTES = [
    "thematic additionally stems (Snowball English), and its bigrams never span a stop word,"
    " punctuation or a line break; scikit-learn forms bigrams over the words left after"
    " removing stop words. Vocabularies and nnz therefore differ.",
    "Times are wall seconds of fitting only (no CSV reading), best of the repeats;"
    " ratio = sklearn s / thematic s (all threads). scikit-learn runs on one thread.",
]


def ensure_venv():
    """Re-runs this script in the benchmark virtualenv unless sklearn is importable."""
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("THEMATIC_COMPARE_IN_VENV"):
        sys.exit("compare_tfidf: scikit-learn is still missing inside the virtualenv")
    python = subprocess.run(
        ["bash", os.path.join(HERE, "setup_venv.sh")], check=True, stdout=subprocess.PIPE, text=True
    ).stdout.strip()
    env = dict(os.environ, THEMATIC_COMPARE_IN_VENV="1")
    os.execve(python, [python, os.path.abspath(__file__)] + sys.argv[1:], env)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build_binary():
    """Builds tfidf-bench and returns the path of the executable."""
    cmd = ["cargo", "build", "--release", "-p", "thematic-benches", "--bin", "tfidf-bench",
           "--message-format=json-render-diagnostics"]
    log("$ " + " ".join(cmd[:-1]))
    out = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") and \
                msg["target"]["name"] == "tfidf-bench":
            return msg["executable"]
    sys.exit("compare_tfidf: cargo built no tfidf-bench executable")


def generate(sizes):
    os.makedirs(GEN_DIR, exist_ok=True)
    paths = []
    for n in sizes:
        path = os.path.join(GEN_DIR, f"c{n}.csv")
        if not os.path.exists(path):
            log(f"generating {path}")
            tmp = path + ".tmp"
            subprocess.run([sys.executable, GEN_CORPUS, "--n", str(n), "--out", tmp], check=True)
            os.replace(tmp, path)
        paths.append(path)
    return paths


def run_thematic(binary, path, text_column, repeat, threads=None):
    cmd = [binary, path, "--text-column", text_column, "--repeat", str(repeat)]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def read_texts(path, text_column):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        return [row[text_column] or "" for row in csv.DictReader(f)]


def run_sklearn(texts, repeat):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    best = None
    for _ in range(repeat):
        vectorizer = TfidfVectorizer(
            lowercase=True, stop_words="english", ngram_range=(1, 2), min_df=2, max_df=0.5,
            sublinear_tf=True, dtype=np.float32,
        )
        start = time.perf_counter()
        x = vectorizer.fit_transform(texts)
        seconds = time.perf_counter() - start
        if best is None or seconds < best["seconds"]:
            best = {"seconds": seconds, "vocabulary": len(vectorizer.vocabulary_), "nnz": int(x.nnz)}
        del vectorizer, x
    return best


def compare(binary, path, args):
    log(f"{path}: thematic")
    them = run_thematic(binary, path, args.text_column, args.repeat)
    one = run_thematic(binary, path, args.text_column, args.repeat, threads=1)
    log(f"{path}: scikit-learn")
    texts = read_texts(path, args.text_column)
    text_bytes = sum(len(t.encode("utf-8")) for t in texts)
    assert len(texts) == them["n_docs"] and text_bytes == them["text_bytes"], (
        "thematic and Python read different texts")
    sk = run_sklearn(texts, args.repeat)
    return {
        "corpus": os.path.basename(path),
        "n_docs": len(texts),
        "text_mb": text_bytes / 1e6,
        "thematic_s": them["total_s"],
        "thematic_analyse_s": them["analyse_s"],
        "thematic_vectorise_s": them["vectorise_s"],
        "thematic_threads": them["threads"],
        "thematic_1t_s": one["total_s"],
        "sklearn_s": sk["seconds"],
        "ratio": sk["seconds"] / them["total_s"],
        "ratio_1t": sk["seconds"] / one["total_s"],
        "thematic_vocabulary": them["vocabulary"],
        "sklearn_vocabulary": sk["vocabulary"],
        "thematic_nnz": them["nnz"],
        "sklearn_nnz": sk["nnz"],
    }


def print_table(rows, repeat):
    threads = rows[0]["thematic_threads"] if rows else 0
    head = ["corpus", "n", "MB", f"thematic s ({threads}t)", "thematic s (1t)", "sklearn s",
            "ratio", "ratio 1t", "vocab thematic", "vocab sklearn", "nnz thematic", "nnz sklearn"]
    body = [[r["corpus"], str(r["n_docs"]), f"{r['text_mb']:.1f}", f"{r['thematic_s']:.3f}",
             f"{r['thematic_1t_s']:.3f}", f"{r['sklearn_s']:.3f}", f"{r['ratio']:.1f}x",
             f"{r['ratio_1t']:.1f}x", str(r["thematic_vocabulary"]), str(r["sklearn_vocabulary"]),
             str(r["thematic_nnz"]), str(r["sklearn_nnz"])] for r in rows]
    widths = [max(len(c) for c in col) for col in zip(head, *body)]
    for i, line in enumerate([head] + body):
        print("  ".join(c.rjust(w) if j else c.ljust(w) for j, (c, w) in enumerate(zip(line, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nbest of {repeat}; {platform.machine()}, {os.cpu_count()} logical CPUs")
    for note in NOTES:
        print("note: " + note)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*", help="CSV files, one response per record")
    ap.add_argument("--gen", default="", help="comma-separated sizes to generate, e.g. 10000,100000")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool; the best counts")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    sizes = [int(s) for s in args.gen.split(",") if s.strip()]
    if not args.corpora and not sizes:
        ap.error("no corpus: give CSV files or --gen")
    ensure_venv()
    corpora = args.corpora + generate(sizes)
    binary = build_binary()
    rows = [compare(binary, path, args) for path in corpora]
    if args.json:
        print(json.dumps({"repeat": args.repeat, "notes": NOTES, "rows": rows}, indent=2))
    else:
        print_table(rows, args.repeat)


if __name__ == "__main__":
    main()
