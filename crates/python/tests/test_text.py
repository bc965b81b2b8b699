"""thematic.Analyzer: terms, tokens, sentences, parameters."""

import pickle

import pytest

import thematic
from thematic import Analyzer, ParamError

SENTENCE = "The NHS should fund clinical safety training."


def test_terms_of_a_sentence():
    assert Analyzer().terms(SENTENCE) == [
        "nhs", "fund", "clinic", "fund clinic", "safeti", "clinic safeti", "train",
        "safeti train",
    ]


def test_a_list_of_stop_words_extends_the_english_list():
    a = Analyzer(stop_words=["NHS"])
    assert a.terms(SENTENCE) == [
        "fund", "clinic", "fund clinic", "safeti", "clinic safeti", "train", "safeti train",
    ]
    assert "nhs" in a.stop_words and "the" in a.stop_words
    assert len(a.stop_words) == len(Analyzer().stop_words) + 1


def test_stop_words_are_dropped_and_break_ngrams():
    a = Analyzer()
    assert a.terms("the and of it") == []
    assert "the" in a.stop_words
    # "staff" and "training" are not joined across "the".
    assert a.terms("staff the training") == ["staff", "train"]


def test_no_stop_words():
    a = Analyzer(stop_words=None, stemmer=None, ngram_range=(1, 1))
    assert a.terms("The cat") == ["the", "cat"]
    assert a.stop_words == []


def test_stemmer_none_keeps_words():
    assert Analyzer(stemmer=None, ngram_range=(1, 1)).terms("Training nurses") == [
        "training", "nurses",
    ]
    assert Analyzer(stemmer="English").stemmer == "english"
    assert Analyzer(stemmer=None).stemmer is None


@pytest.mark.parametrize(
    ("ngram_range", "expected"),
    [
        ((1, 1), ["fund", "clinic", "safeti"]),
        ((2, 2), ["fund clinic", "clinic safeti"]),
        ((1, 3), ["fund", "clinic", "fund clinic", "safeti", "clinic safeti",
                  "fund clinic safeti"]),
    ],
)
def test_ngram_range(ngram_range, expected):
    a = Analyzer(ngram_range=ngram_range)
    assert a.ngram_range == ngram_range
    assert a.terms("fund clinical safety") == expected


def test_numbers_and_min_chars():
    assert Analyzer(ngram_range=(1, 1)).terms("wait 3.5 days") == ["wait", "day"]
    assert Analyzer(ngram_range=(1, 1), keep_numbers=True).terms("wait 3.5 days") == [
        "wait", "3.5", "day",
    ]
    assert Analyzer(ngram_range=(1, 1), stemmer=None).terms("go ab xyz") == ["go", "ab", "xyz"]
    assert Analyzer(ngram_range=(1, 1), stemmer=None, min_chars=3).terms("go ab xyz") == ["xyz"]


def test_tokens_have_kinds_and_character_offsets():
    text = "Héllo wörld 😀 3.5 me@example.org https://x.org/a, don't"
    tokens = Analyzer().tokens(text)
    assert [(t, k) for t, k, _, _ in tokens] == [
        ("Héllo", "word"), ("wörld", "word"), ("😀", "emoji"), ("3.5", "number"),
        ("me@example.org", "email"), ("https://x.org/a", "url"), ("don't", "word"),
    ]
    for token, _, start, end in tokens:
        assert text[start:end] == token


def test_sentences():
    text = "Fix the alerts! Train staff, e.g. nurses.\n- Fund it"
    assert Analyzer().sentences(text) == ["Fix the alerts!", "Train staff, e.g. nurses.", "Fund it"]


def test_normalize():
    a = Analyzer()
    assert a.normalize("NHS\u2019s") == "nhs"
    assert a.normalize("Don't") == "don't"
    assert a.normalize("patients'") == "patients"


def test_defaults_and_repr():
    a = Analyzer()
    assert (a.stemmer, a.ngram_range, a.min_chars, a.keep_numbers) == ("english", (1, 2), 2, False)
    assert repr(a).startswith("Analyzer(stemmer='english', stop_words=<")


def test_pickle_round_trip():
    a = Analyzer(stemmer="french", stop_words=["merci"], ngram_range=(1, 3), keep_numbers=True)
    b = pickle.loads(pickle.dumps(a))
    assert b == a
    assert b.terms("Merci pour les formations 2024") == a.terms("Merci pour les formations 2024")
    assert Analyzer.from_json(a.to_json()) == a
    assert Analyzer(stop_words=None) != Analyzer()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"ngram_range": (0, 2)}, "ngram_range"),
        ({"ngram_range": (2, 1)}, "ngram_range"),
        ({"ngram_range": (1, 4)}, "ngram_range"),
        ({"ngram_range": (-1, 2)}, "ngram_range"),
        ({"min_chars": 0}, "min_chars"),
        ({"min_chars": -3}, "min_chars"),
        ({"stemmer": "klingon"}, "stemmer"),
        ({"stop_words": "french"}, "stop_words"),
    ],
)
def test_invalid_parameters_raise_param_error_naming_them(kwargs, name):
    with pytest.raises(ParamError, match=name):
        Analyzer(**kwargs)
    with pytest.raises(ValueError):
        Analyzer(**kwargs)


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError):
        Analyzer(stop_words=3)
    with pytest.raises(TypeError):
        Analyzer(min_chars="2")
    with pytest.raises(TypeError):
        Analyzer().terms(None)


def test_analyzer_is_exported():
    assert thematic.Analyzer is Analyzer
    assert Analyzer.__module__ == "thematic"
