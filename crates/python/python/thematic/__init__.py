"""thematic: thematic analysis of consultation responses.

Free-text answers become terms (:class:`Analyzer`), TF-IDF vectors (:class:`Tfidf`),
themes by spherical k-means (:class:`KMeans`), and labelled themes with representative
quotes (:func:`analyse`, which runs every stage). :func:`ingest` reads the consultation's
inputs (survey exports in any format, long or wide, and transcripts), screens them and
accounts for every row; its columns feed :func:`analyse`. The work is done in Rust, with the
GIL released; matrices are ``scipy.sparse.csr_matrix`` when scipy is installed.

>>> import thematic
>>> result = thematic.analyse(["too many alerts", "alert fatigue", "train staff",
...                            "staff training"], themes=2)
>>> len(result["assignments"])
4

Errors derive from :class:`ThematicError`: :class:`ParamError` and :class:`DataError` are
also ``ValueError``, :class:`IoError` is also ``OSError``.
"""

from thematic._thematic import (
    Analyzer,
    DataError,
    IoError,
    KMeans,
    KMeansModel,
    ParamError,
    ThematicError,
    Tfidf,
    TfidfModel,
    __version__,
    analyse,
    ingest,
    read_csv,
)

__all__ = [
    "Analyzer",
    "DataError",
    "IoError",
    "KMeans",
    "KMeansModel",
    "ParamError",
    "ThematicError",
    "Tfidf",
    "TfidfModel",
    "__version__",
    "analyse",
    "ingest",
    "read_csv",
]
