# Type stubs of thematic; the docstrings live in the Rust sources (crates/python/src).
# tests/test_stubs.py checks that these names match the compiled module.
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from typing import Any, Optional, Tuple, TypedDict, Union

import numpy as np
import numpy.typing as npt

__version__: str

# A CSR matrix: scipy.sparse.csr_matrix when scipy is installed, else
# (data, indices, indptr, shape).
_CsrTuple = Tuple[npt.NDArray[np.float32], npt.NDArray[Any], npt.NDArray[Any], Tuple[int, int]]
_Matrix = Any
_Texts = Iterable[Optional[str]]

class ThematicError(Exception): ...
class ParamError(ThematicError, ValueError): ...
class DataError(ThematicError, ValueError): ...
class IoError(ThematicError, OSError): ...

class Analyzer:
    def __init__(
        self,
        stemmer: Optional[str] = "english",
        stop_words: Union[str, Sequence[str], None] = "english",
        ngram_range: Tuple[int, int] = (1, 2),
        min_chars: int = 2,
        keep_numbers: bool = False,
    ) -> None: ...
    def terms(self, text: str) -> list[str]: ...
    def tokens(self, text: str) -> list[tuple[str, str, int, int]]: ...
    def sentences(self, text: str) -> list[str]: ...
    def normalize(self, word: str) -> str: ...
    @property
    def stemmer(self) -> Optional[str]: ...
    @property
    def stop_words(self) -> list[str]: ...
    @property
    def ngram_range(self) -> tuple[int, int]: ...
    @property
    def min_chars(self) -> int: ...
    @property
    def keep_numbers(self) -> bool: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, json: str) -> Analyzer: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

class Tfidf:
    def __init__(
        self,
        min_df: Union[int, float] = 1,
        max_df: Union[int, float] = 1.0,
        max_features: Optional[int] = None,
        sublinear_tf: bool = False,
        smooth_idf: bool = True,
        threads: Optional[int] = None,
    ) -> None: ...
    def fit_transform(
        self, texts: _Texts, analyzer: Optional[Analyzer] = None
    ) -> tuple[TfidfModel, _Matrix]: ...
    def fit(self, texts: _Texts, analyzer: Optional[Analyzer] = None) -> TfidfModel: ...
    @property
    def min_df(self) -> Union[int, float]: ...
    @property
    def max_df(self) -> Union[int, float]: ...
    @property
    def max_features(self) -> Optional[int]: ...
    @property
    def sublinear_tf(self) -> bool: ...
    @property
    def smooth_idf(self) -> bool: ...
    @property
    def threads(self) -> Optional[int]: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, json: str) -> Tfidf: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

class TfidfModel:
    def transform(self, texts: _Texts) -> _Matrix: ...
    @property
    def vocabulary(self) -> list[str]: ...
    def display(self, term_id: int) -> str: ...
    def term_id(self, term: str) -> Optional[int]: ...
    def df(self, term_id: int) -> int: ...
    @property
    def idf(self) -> npt.NDArray[np.float32]: ...
    @property
    def n_features(self) -> int: ...
    @property
    def n_docs(self) -> int: ...
    @property
    def analyzer(self) -> Analyzer: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, json: str) -> TfidfModel: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __len__(self) -> int: ...

class KMeans:
    def __init__(
        self,
        n_clusters: int,
        seed: int = 42,
        n_init: int = 3,
        max_iter: int = 100,
        tol: float = 1e-4,
        threads: Optional[int] = None,
        algorithm: str = "yinyang",
        init: str = "k-means++",
        batch_size: Optional[int] = None,
        metric: str = "cosine",
    ) -> None: ...
    def fit(
        self, x: Union[_Matrix, _CsrTuple, npt.NDArray[np.floating[Any]]]
    ) -> KMeansModel: ...
    @property
    def n_clusters(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def n_init(self) -> int: ...
    @property
    def max_iter(self) -> int: ...
    @property
    def tol(self) -> float: ...
    @property
    def threads(self) -> Optional[int]: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def metric(self) -> str: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, json: str) -> KMeans: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

class KMeansModel:
    @property
    def labels_(self) -> npt.NDArray[np.uint32]: ...
    @property
    def objective(self) -> float: ...
    @property
    def n_iter(self) -> int: ...
    @property
    def converged(self) -> bool: ...
    @property
    def inertia_history(self) -> list[float]: ...
    @property
    def centroids(self) -> npt.NDArray[np.float32]: ...
    @property
    def cluster_sizes(self) -> list[int]: ...
    @property
    def n_clusters(self) -> int: ...
    @property
    def n_features(self) -> int: ...
    @property
    def metric(self) -> str: ...
    def predict(
        self, x: Union[_Matrix, _CsrTuple, npt.NDArray[np.floating[Any]]]
    ) -> npt.NDArray[np.uint32]: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, json: str) -> KMeansModel: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

class _TermWeight(TypedDict):
    term: str
    display: str
    weight: float
    share: float

class _Phrase(TypedDict):
    text: str
    stems: list[str]
    weight: float
    responses: int

class _Quote(TypedDict):
    row: int
    id: str
    respondent: Optional[str]
    group: Optional[str]
    question: Optional[str]
    text: str
    similarity: float

class _Theme(TypedDict):
    id: int
    label: str
    size: int
    respondents: int
    distinctiveness: float
    nearest_theme: Optional[int]
    top_terms: list[_TermWeight]
    phrases: list[_Phrase]
    quotes: list[_Quote]

class _CrossTabRow(TypedDict):
    split_by: str
    split: str
    theme: int
    group: str
    respondents: str
    group_respondents: str
    share: Optional[float]
    overall_share: Optional[float]
    lift: Optional[float]
    residual: Optional[float]
    ci_low: Optional[float]
    ci_high: Optional[float]

class _Findings(TypedDict):
    stance: list[dict[str, Any]]
    suggestions: int
    recommendations: list[dict[str, Any]]
    response_recommendations: list[list[int]]
    crosstab: list[_CrossTabRow]

class _Timings(TypedDict):
    analyse: float
    vectorise: float
    cluster: float
    label: float
    findings: float

class _Analysis(TypedDict):
    assignments: list[Optional[int]]
    themes: list[_Theme]
    findings: _Findings
    vocabulary_size: int
    nnz: int
    df_range: tuple[int, int]
    objective: float
    iterations: int
    converged: bool
    timings: _Timings

_Path = Union[str, PathLike[str]]

class _Responses(TypedDict):
    id: list[str]
    respondent: list[Optional[str]]
    group: list[Optional[str]]
    question: list[Optional[str]]
    channel: list[Optional[str]]
    text: list[str]
    attributes: list[dict[str, str]]

class _RowLocation(TypedDict):
    record: int
    line: Optional[int]

class _DroppedRow(TypedDict):
    file: str
    location: _RowLocation
    column: Optional[str]
    id: Optional[str]
    reason: str
    detail: str

class _InputReport(TypedDict):
    file: str
    format: str
    unit: str
    sha256: str
    bytes: int
    source: dict[str, Any]
    columns: list[str]
    mapping: list[tuple[str, str]]
    rows: int
    read: int
    kept: int
    dropped: dict[str, int]
    responses: int
    transcript: Optional[dict[str, Any]]

class _Campaign(TypedDict):
    id: int
    size: int
    representative: str
    text: str
    groups: list[tuple[str, int]]
    mean_similarity: float
    members: list[str]

class _IngestReport(TypedDict):
    inputs: list[_InputReport]
    read: int
    kept: int
    dropped: dict[str, int]
    dropped_rows: list[_DroppedRow]
    campaigns: list[_Campaign]
    campaigns_once: bool
    renamed_ids: list[tuple[str, str, str]]

class _Ingested(TypedDict):
    responses: _Responses
    report: _IngestReport

def analyse(
    texts: _Texts,
    ids: Optional[Iterable[Any]] = None,
    groups: Optional[Iterable[Optional[str]]] = None,
    respondents: Optional[Iterable[Optional[str]]] = None,
    questions: Optional[Iterable[Optional[str]]] = None,
    channels: Optional[Iterable[Optional[str]]] = None,
    attributes: Optional[Iterable[Optional[Mapping[str, Any]]]] = None,
    themes: int = 12,
    seed: int = 42,
    n_init: int = 3,
    max_iter: int = 100,
    threads: Optional[int] = None,
    top_terms: int = 10,
    quotes: int = 5,
    analyzer: Optional[Analyzer] = None,
    min_df: Union[int, float, None] = None,
    max_df: Union[int, float, None] = None,
    max_features: Optional[int] = None,
    algorithm: str = "yinyang",
    init: str = "k-means++",
    reduce: Optional[int] = None,
) -> _Analysis: ...
def ingest(
    paths: Union[_Path, Sequence[_Path]],
    *,
    format: Optional[str] = None,
    encoding: str = "auto",
    delimiter: Optional[str] = None,
    sheet: Union[str, int, None] = None,
    header_rows: Optional[int] = None,
    skip_rows: Optional[int] = None,
    strict: bool = False,
    text_column: Optional[str] = None,
    id_column: Optional[str] = None,
    respondent_column: Optional[str] = None,
    group_column: Union[str, Sequence[str], None] = None,
    question_column: Optional[str] = None,
    channel_column: Optional[str] = None,
    attribute_columns: Union[str, Sequence[str], None] = None,
    wide: bool = False,
    question_columns: Union[str, Sequence[str], None] = None,
    speaker_groups: Optional[_Path] = None,
    keep_facilitators: bool = False,
    passage_words: int = 120,
    keep_non_answers: bool = False,
    min_chars: int = 2,
    keep_duplicates: bool = False,
    count_campaign_members: bool = False,
    campaigns: bool = True,
    campaign_similarity: float = 0.8,
    campaign_min_size: int = 3,
) -> _Ingested: ...
def read_csv(
    path: _Path,
    text_column: Optional[str] = None,
    id_column: Optional[str] = None,
    respondent_column: Optional[str] = None,
    group_column: Optional[str] = None,
    question_column: Optional[str] = None,
    channel_column: Optional[str] = None,
    delimiter: Optional[str] = None,
    encoding: str = "auto",
) -> dict[str, list[Optional[str]]]: ...
