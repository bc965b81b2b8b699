"""thematic.analyse and thematic.read_csv: the end-to-end pipeline and its input."""

import pytest

import thematic
from thematic import Analyzer, DataError, IoError, ParamError, analyse, read_csv


def test_one_assignment_per_text_and_none_for_empty_text(corpus):
    texts = corpus + ["", None, "the and of"]
    result = analyse(texts, themes=2)
    assignments = result["assignments"]
    assert len(assignments) == len(texts)
    assert assignments[-3:] == [None, None, None]
    assert all(a in (0, 1) for a in assignments[:-3])
    # The two obvious themes.
    assert len(set(assignments[:5])) == 1 and len(set(assignments[5:10])) == 1
    assert assignments[0] != assignments[5]


def test_themes_are_labelled_with_terms_and_quotes(corpus):
    result = analyse(corpus, ids=[f"r{i}" for i in range(10)], themes=2, top_terms=4, quotes=2)
    themes = result["themes"]
    assert [t["id"] for t in themes] == [0, 1]
    assert sum(t["size"] for t in themes) == 10
    by_id = {t["id"]: t for t in themes}
    alert_theme = by_id[result["assignments"][0]]
    assert "alert" in alert_theme["label"]
    assert len(alert_theme["top_terms"]) == 4
    assert set(alert_theme["top_terms"][0]) == {"term", "display", "weight", "share"}
    # The label leads with the theme's best phrase or term.
    best = [alert_theme["top_terms"][0]["display"]] + [p["text"] for p in alert_theme["phrases"][:1]]
    assert any(alert_theme["label"].startswith(b) for b in best), alert_theme["label"]
    for theme in themes:
        assert 1 <= len(theme["quotes"]) <= 2
        for q in theme["quotes"]:
            assert q["text"] == corpus[q["row"]]  # nothing personal to mask here
            assert q["id"] == f"r{q['row']}"
            assert result["assignments"][q["row"]] == theme["id"]
            assert -1.0 <= q["similarity"] <= 1.0


def test_summary_and_timings(corpus):
    result = analyse(corpus, themes=2)
    assert result["vocabulary_size"] > 0 and result["nnz"] > 0
    assert result["df_range"] == (1, 10)  # small corpus: every term kept
    assert isinstance(result["converged"], bool) and result["iterations"] >= 1
    assert set(result["timings"]) == {"analyse", "vectorise", "cluster", "label", "findings"}
    assert all(v >= 0 for v in result["timings"].values())


def test_groups_are_reported_with_quotes(corpus):
    groups = ["Clinicians"] * 5 + ["Managers", None, "Managers", "Managers", None]
    result = analyse(corpus, groups=groups, themes=2, quotes=5)
    for theme in result["themes"]:
        for q in theme["quotes"]:
            assert q["group"] == groups[q["row"]]


def test_findings_rank_recommendations_by_group_and_mask_quotes(corpus):
    texts = corpus + [
        "NHS England should fund a clinical safety officer in every trust.",
        "Every trust should have a funded clinical safety officer, call me on 07700 900461.",
    ]
    groups = ["Clinicians"] * 5 + ["Patients"] * 5 + ["Managers", "Patients"]
    result = analyse(texts, groups=groups, themes=2, quotes=12)
    findings = result["findings"]
    assert len(findings["stance"]) == 2
    assert all(abs(sum(s[k] for k in ("support", "oppose", "propose_change", "neutral")) - 1) < 1e-9
               for s in findings["stance"])
    assert findings["suggestions"] >= 2
    recs = findings["recommendations"]
    assert [r["rank"] for r in recs] == list(range(1, len(recs) + 1))
    officer = next(r for r in recs if "safety officer" in r["text"])
    assert officer["respondents"] == 2
    assert {g["group"] for g in officer["groups"]} == {"Clinicians", "Managers", "Patients"}
    assert all("07700" not in p["text"] for p in officer["phrasings"])
    quoted = [q["text"] for t in result["themes"] for q in t["quotes"]]
    assert any("[phone]" in q for q in quoted)
    assert all("07700" not in q for q in quoted)
    cells = findings["crosstab"]
    assert cells and all(isinstance(c["respondents"], str) for c in cells)
    assert any(c["respondents"] == "<5" for c in cells)


def test_same_seed_same_result(corpus):
    a = analyse(corpus * 3, themes=3, seed=5)
    b = analyse(corpus * 3, themes=3, seed=5, threads=1)
    assert a["assignments"] == b["assignments"]
    assert a["themes"] == b["themes"]


def test_pipeline_options(corpus):
    result = analyse(corpus, themes=2, analyzer=Analyzer(stemmer=None), max_features=6)
    assert result["vocabulary_size"] == 6
    terms = {w["term"] for t in result["themes"] for w in t["top_terms"]}
    assert terms and all(" " in t or t.isalpha() for t in terms)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"themes": 0}, "themes"),
        ({"themes": -1}, "themes"),
        ({"n_init": 0}, "n_init"),
        ({"max_iter": 0}, "max_iter"),
        ({"threads": 0}, "threads"),
        ({"top_terms": 0}, "top_terms"),
        ({"quotes": -1}, "quotes"),
        ({"seed": -5}, "seed"),
        ({"min_df": 2.5}, "min_df"),
        ({"max_features": 0}, "max_features"),
        ({"ids": ["a", "b"]}, "ids"),
        ({"groups": ["x"]}, "groups"),
    ],
)
def test_invalid_parameters_raise_param_error_naming_them(corpus, kwargs, name):
    with pytest.raises(ParamError, match=name):
        analyse(corpus, **{"themes": 2, **kwargs})


def test_too_few_usable_texts_is_a_data_error():
    with pytest.raises(DataError, match="only 2 of 3 responses"):
        analyse(["alert fatigue", "staff training", ""], themes=3)
    with pytest.raises(DataError):
        analyse(["", "the"], themes=1)


def test_texts_must_be_a_sequence_of_strings():
    with pytest.raises(TypeError):
        analyse("alert fatigue", themes=1)


def test_read_csv_then_analyse(tmp_path, corpus):
    path = tmp_path / "responses.csv"
    rows = ["id,Group,text"] + [
        f'r{i},{"Clinicians" if i < 5 else "Managers"},"{t}"' for i, t in enumerate(corpus)
    ]
    rows.append("r10,Managers,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    d = read_csv(path)
    assert set(d) == {"id", "respondent", "group", "question", "channel", "text"}
    assert d["id"] == [f"r{i}" for i in range(11)]
    assert d["text"][:10] == corpus and d["text"][10] == ""
    assert d["group"][0] == "Clinicians" and d["respondent"] == [None] * 11
    result = analyse(d["text"], ids=d["id"], groups=d["group"], themes=2)
    assert result["assignments"][10] is None
    assert read_csv(str(path), text_column="TEXT")["text"] == d["text"]


def test_read_csv_errors_are_os_errors(tmp_path):
    with pytest.raises(IoError, match="missing.csv") as info:
        read_csv(tmp_path / "missing.csv")
    assert isinstance(info.value, OSError)
    path = tmp_path / "no_text.csv"
    path.write_text("id,answer\n1,hello\n", encoding="utf-8")
    with pytest.raises(IoError, match="text"):
        read_csv(path)
    with pytest.raises(ParamError, match="delimiter"):
        read_csv(path, delimiter=";;")


def test_docstring_example():
    result = thematic.analyse(
        ["too many alerts", "alert fatigue", "train staff", "staff training"], themes=2
    )
    assert len(result["assignments"]) == 4


def test_analyse_options_for_the_clustering():
    texts = [f"alert fatigue pop-up alerts {i}" for i in range(20)] + [
        f"staff training time {i}" for i in range(20)
    ]
    base = thematic.analyse(texts, themes=2, seed=1)
    for kwargs in [{"algorithm": "lloyd"}, {"algorithm": "hamerly"}, {"init": "k-means||"}]:
        other = thematic.analyse(texts, themes=2, seed=1, **kwargs)
        assert same_partition(other["assignments"], base["assignments"]), kwargs
    reduced = thematic.analyse(texts, themes=2, seed=1, reduce=5)
    assert same_partition(reduced["assignments"], base["assignments"])
    with pytest.raises(thematic.ParamError, match="algorithm"):
        thematic.analyse(texts, themes=2, algorithm="elkan")
    with pytest.raises(thematic.ParamError, match="init"):
        thematic.analyse(texts, themes=2, init="random")


def same_partition(a, b):
    return all((a[i] == a[j]) == (b[i] == b[j]) for i in range(len(a)) for j in range(len(a)))
