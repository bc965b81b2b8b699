"""thematic.ingest: every input format into one table of responses, with accounting."""

import shutil
from pathlib import Path

import pytest

import thematic
from thematic import IoError, ParamError, analyse, ingest

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "crates" / "io" / "tests" / "fixtures"
CSV = FIXTURES / "csv"
FORMATS = FIXTURES / "formats"
TRANSCRIPTS = FIXTURES / "transcripts"
DATA = REPO / "data"
SURVEY = DATA / "digital_clinical_safety_consultation.csv"

COLUMNS = {"id", "respondent", "group", "question", "channel", "text", "attributes"}
REASONS = {
    "empty",
    "non-answer",
    "too-short",
    "exact-duplicate",
    "campaign-duplicate",
    "unreadable",
    "facilitator",
    "unmapped-speaker",
}


def check_accounting(result):
    """Every unit read is kept or dropped with a reason, overall and per input, and the
    columns hold one value per kept response."""
    report, responses = result["report"], result["responses"]
    assert set(responses) == COLUMNS
    n = len(responses["text"])
    assert all(len(column) == n for column in responses.values())
    assert report["read"] == report["kept"] + sum(report["dropped"].values())
    assert set(report["dropped"]) <= REASONS
    assert len(report["dropped_rows"]) == sum(report["dropped"].values())
    for reason, count in report["dropped"].items():
        assert sum(r["reason"] == reason for r in report["dropped_rows"]) == count
    assert report["read"] == sum(i["read"] for i in report["inputs"])
    assert report["kept"] == sum(i["kept"] for i in report["inputs"])
    for i in report["inputs"]:
        assert i["read"] == i["kept"] + sum(i["dropped"].values()), i["file"]
    assert sum(i["responses"] for i in report["inputs"]) == n
    assert len(set(responses["id"])) == n, "ids are unique"
    return report, responses


# The formats fixtures hold one table: six responses, the third with no text.
SURVEY_FORMATS = ["survey.json", "survey.jsonl", "survey.parquet", "survey.xlsx", "survey.xls",
                  "survey.ods", "survey_wrapped.json"]


@pytest.mark.parametrize("name", SURVEY_FORMATS)
def test_every_format_gives_the_same_responses(name):
    report, d = check_accounting(ingest(FORMATS / name))
    assert report["read"] == 6 and report["kept"] == 5
    assert report["dropped"] == {"empty": 1}
    (dropped,) = report["dropped_rows"]
    assert dropped["reason"] == "empty" and dropped["location"]["record"] == 3
    assert dropped["file"].endswith(name)
    assert d["id"] == ["1", "2", "4", "5", "6"]
    assert d["respondent"] == ["1001", "1002", "1004", "1005", "1006"]
    assert d["group"] == ["Residents", "Business", "Charity", "Business", "Residents"]
    assert d["question"] == ["Q1", "Q1", "Q2", "Q2", "Q2"]
    assert d["channel"] == ["survey"] * 5
    assert d["text"][1] == "Café — naïve £ pricing worries me."
    assert d["text"][2] == "More buses, please.\nAnd safer crossings."
    assert d["text"][3] == "0042"  # a numeric-looking answer stays text
    assert d["attributes"] == [{}] * 5  # none unless asked for
    (input_,) = report["inputs"]
    assert input_["format"] == Path(name).suffix.lstrip(".")
    assert input_["unit"] == "row" and input_["rows"] == 6
    assert len(input_["sha256"]) == 64 and input_["bytes"] == (FORMATS / name).stat().st_size
    assert ("text", "text") in [tuple(m) for m in input_["mapping"]]


def test_attribute_columns_by_name_and_pattern():
    d = ingest(FORMATS / "survey.parquet", attribute_columns=["weight", "sub*"])["responses"]
    first = d["attributes"][0]
    assert list(first) == ["weight", "submitted", "submitted_at"]  # column order
    assert first == {"weight": "1", "submitted": "2024-03-01",
                     "submitted_at": "2024-03-01T09:30:00"}
    one = ingest(FORMATS / "survey.parquet", attribute_columns="consent")["responses"]
    assert [a["consent"] for a in one["attributes"]] == ["true", "false", "true", "false", "true"]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("utf8.csv", "UTF-8"),
        ("utf8_bom.csv", "UTF-8"),
        ("utf16le_bom.csv", "UTF-16LE"),
        ("utf16be_bom.csv", "UTF-16BE"),
    ],
)
def test_csv_encodings_are_detected(name, encoding):
    report, d = check_accounting(ingest(CSV / name))
    assert d["text"] == ["café", "naïve — costs £5, twice"]
    assert d["group"] == ["Clinicians", "Patients"]
    assert d["id"] == ["1", "2"]
    assert report["inputs"][0]["source"]["encoding"] == encoding


def test_windows_1252_is_detected_or_named():
    report, d = check_accounting(ingest(CSV / "windows1252.csv"))
    assert d["text"] == ["€5 for a café", "it’s fine"]
    assert report["inputs"][0]["source"]["encoding"] == "windows-1252"
    assert ingest(CSV / "windows1252.csv", encoding="cp1252")["responses"]["text"] == d["text"]
    with pytest.raises(IoError, match=r"windows1252\.csv.*UTF-8"):
        ingest(CSV / "windows1252.csv", encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "delimiter", "texts"),
    [
        ("semicolon.csv", ";", ["Gut; sehr gut", "Il a dit, bonjour"]),
        ("pipe.csv", "|", ["a, b; c", "x|y"]),
        ("tab.tsv", "\t", ["hello, world", "quoted\ttab"]),
    ],
)
def test_delimiters_are_detected(name, delimiter, texts):
    report, d = check_accounting(ingest(CSV / name))
    assert d["text"] == texts
    assert report["inputs"][0]["source"]["delimiter"] == delimiter


def test_a_given_delimiter_is_used():
    # Read with a comma, the semicolon file has one column per line and no "text" column.
    with pytest.raises(IoError, match=r"semicolon\.csv.*text"):
        ingest(CSV / "semicolon.csv", delimiter=",")
    d = ingest(CSV / "tab.tsv", delimiter="\\t")["responses"]
    assert d["text"] == ["hello, world", "quoted\ttab"]


def test_quoted_newlines_and_trailing_commas():
    _, d = check_accounting(ingest(CSV / "quoted_newlines.csv"))
    assert d["text"] == ['Line one\r\nline two "quoted"', "after", "a\nb\nc", "end"]
    report, d = check_accounting(ingest(CSV / "trailing_commas.csv", min_chars=1))
    assert d["text"][:2] == ["a", "b"]


def test_ragged_rows_are_accounted_unless_strict():
    report, d = check_accounting(ingest(CSV / "ragged.csv", min_chars=1))
    assert report["dropped"] == {"unreadable": 2}
    assert d["id"] == ["1", "4"] and d["text"] == ["a", "d"]
    unreadable = [r for r in report["dropped_rows"] if r["reason"] == "unreadable"]
    assert [r["location"]["record"] for r in unreadable] == [2, 3]
    # One letter is too short to carry a theme by default.
    report, d = check_accounting(ingest(CSV / "ragged.csv"))
    assert report["kept"] == 0 and report["dropped"] == {"unreadable": 2, "too-short": 2}
    with pytest.raises(IoError, match=r"ragged\.csv.*record 2"):
        ingest(CSV / "ragged.csv", strict=True)


def test_wide_workbook_with_question_columns():
    report, d = check_accounting(
        ingest(FORMATS / "wide.xlsx", question_columns=["Q*"],
               attribute_columns=["Organisation type"])
    )
    # Three respondents × three questions, one answer of each left empty.
    assert report["read"] == 9 and report["kept"] == 6
    assert report["dropped"] == {"empty": 3}
    assert report["inputs"][0]["unit"] == "answer"
    # Input order: row by row, then question by question.
    assert list(zip(d["respondent"], d["question"])) == [
        ("2001", "Q1"), ("2001", "Q2"),
        ("2002", "Q1"), ("2002", "Q3"),
        ("2003", "Q2"), ("2003", "Q3"),
    ]
    by_answer = dict(zip(zip(d["respondent"], d["question"]), d["text"]))
    assert by_answer[("2001", "Q2")] == "Fewer cars."
    assert by_answer[("2003", "Q2")] == "Café — naïve £ support."
    types = {"2001": "Resident", "2002": "Business", "2003": "Charity"}
    assert d["attributes"] == [{"Organisation type": types[r]} for r in d["respondent"]]
    # The same with `wide` and the closed column given a role: it is not an open question.
    other = ingest(FORMATS / "wide.xlsx", wide=True, group_column="Organisation type")
    o = other["responses"]
    assert sorted(zip(o["respondent"], o["question"], o["text"])) == sorted(
        zip(d["respondent"], d["question"], d["text"])
    )
    assert o["group"] == [types[r] for r in o["respondent"]]


def test_sheets_by_name_and_number():
    first = ingest(FORMATS / "survey.xlsx")["responses"]
    assert ingest(FORMATS / "survey.xlsx", sheet=1)["responses"] == first
    with pytest.raises(IoError, match=r"survey\.xlsx.*no sheet"):
        ingest(FORMATS / "survey.xlsx", sheet="Nope")
    with pytest.raises(ParamError, match="sheet"):
        ingest(FORMATS / "survey.xlsx", sheet=0)
    with pytest.raises(TypeError, match="sheet"):
        ingest(FORMATS / "survey.xlsx", sheet=1.5)


def test_transcript_with_speaker_groups():
    report, d = check_accounting(
        ingest(TRANSCRIPTS / "plain.txt", speaker_groups=TRANSCRIPTS / "speakers.csv")
    )
    (input_,) = report["inputs"]
    assert input_["unit"] == "turn" and input_["format"] == "txt"
    assert input_["transcript"] is not None
    # The facilitator's two turns are dropped; everyone else is mapped to a group.
    assert report["dropped"].get("facilitator") == 2
    assert "Welcome" not in " ".join(d["text"])
    assert set(d["group"]) == {"Patients and public"}
    assert "I can't get through on the phone" in d["text"][0]
    assert all(c == d["channel"][0] for c in d["channel"])
    kept = ingest(TRANSCRIPTS / "plain.txt", keep_facilitators=True)
    assert "facilitator" not in kept["report"]["dropped"]
    assert any("Welcome" in t for t in kept["responses"]["text"])
    assert set(kept["responses"]["group"]) == {None}  # no mapping, no groups


def test_passage_words_splits_long_turns():
    long = ingest(TRANSCRIPTS / "plain.txt", passage_words=1000)["responses"]
    short = ingest(TRANSCRIPTS / "plain.txt", passage_words=5)["responses"]
    assert len(short["text"]) > len(long["text"])
    assert " ".join(short["text"]).split() == " ".join(long["text"]).split()


def test_bundled_survey():
    report, d = check_accounting(ingest(SURVEY))
    assert report["read"] == 810
    assert report["dropped"]["empty"] == 22  # README: some rows have an empty answer
    assert len(d["text"]) == 810 - sum(report["dropped"].values())
    assert set(d["group"]) == {
        "Clinicians", "Patients and public", "Health and care managers",
        "Suppliers and industry", "Clinical safety officers", "Government and regulators",
    }
    assert {q[:3] for q in d["question"]} == {"Q1:", "Q2:", "Q3:"}
    assert all(r.startswith("R") and i.startswith(r + "-Q") for r, i in zip(d["respondent"], d["id"]))
    assert set(d["channel"]) == {"survey"}
    # Campaigns are kept once: each campaign has one kept member, its representative.
    kept = set(d["id"])
    for c in report["campaigns"]:
        assert c["representative"] in kept and c["members"][0] == c["representative"]
        assert not kept & set(c["members"][1:])
        assert c["size"] == len(c["members"]) >= 3
    assert report["dropped"].get("campaign-duplicate", 0) == sum(
        c["size"] - 1 for c in report["campaigns"]
    )


def test_bundled_survey_and_transcripts_directory():
    result = ingest([SURVEY, DATA / "transcripts"], speaker_groups=DATA / "speakers.csv")
    report, d = check_accounting(result)
    files = [Path(i["file"]).name for i in report["inputs"]]
    # The directory stands for its transcripts, sorted; make_transcripts.py is not one.
    assert files == [SURVEY.name] + sorted(
        p.name for p in (DATA / "transcripts").iterdir() if p.suffix in {".txt", ".vtt", ".srt"}
    )
    assert [i["unit"] for i in report["inputs"]] == ["row"] + ["turn"] * (len(files) - 1)
    assert report["dropped"].get("facilitator", 0) > 0
    assert set(d["channel"]) == {"survey", "workshop", "interview"}
    survey_groups = set(ingest(SURVEY)["responses"]["group"])
    transcript_groups = {g for g, c in zip(d["group"], d["channel"]) if c != "survey"}
    assert transcript_groups - {None} <= survey_groups
    assert len(transcript_groups - {None}) >= 4


def test_list_of_paths_makes_ids_unique():
    one = ingest(CSV / "utf8.csv")
    both = ingest([CSV / "utf8.csv", str(CSV / "utf8_bom.csv")])
    report, d = check_accounting(both)
    assert len(report["inputs"]) == 2
    assert d["text"] == one["responses"]["text"] * 2
    assert d["id"][:2] == ["1", "2"]
    # The second file's ids repeat the first's: made unique and reported.
    assert len(report["renamed_ids"]) == 2
    assert [new for _, _, new in report["renamed_ids"]] == d["id"][2:]
    assert [old for _, old, _ in report["renamed_ids"]] == ["1", "2"]


def test_directory_input(tmp_path):
    shutil.copy(CSV / "utf8.csv", tmp_path / "b.csv")
    shutil.copy(FORMATS / "survey.jsonl", tmp_path / "a.jsonl")
    (tmp_path / "notes.md").write_text("not an input\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    shutil.copy(CSV / "utf8.csv", tmp_path / "sub" / "c.csv")  # not recursive
    report, d = check_accounting(ingest(tmp_path))
    assert [Path(i["file"]).name for i in report["inputs"]] == ["a.jsonl", "b.csv"]
    assert report["read"] == 6 + 2 and report["kept"] == 5 + 2
    assert ingest(str(tmp_path))["responses"] == d
    (tmp_path / "empty").mkdir()
    with pytest.raises(IoError, match="empty.*no file of a known format"):
        ingest(tmp_path / "empty")


def screening_csv(tmp_path):
    letter = ("We object to the closure of the ward because it will harm patients "
              "in the whole county and nobody asked us")
    rows = [
        ("1", "p1", "Q1", "The ward should stay open at night."),
        ("2", "p2", "Q1", "n/a"),
        ("3", "p3", "Q1", "x"),
        ("4", "p1", "Q1", "The ward should stay open at night."),  # exact duplicate
        ("5", "p4", "Q1", "The ward should stay open at night."),  # another respondent
        ("6", "p5", "Q1", letter),
        ("7", "p6", "Q1", letter + " at all"),
        ("8", "p7", "Q1", letter + " about it"),
        ("9", "p8", "Q1", ""),
    ]
    path = tmp_path / "screening.csv"
    lines = ["id,respondent,question,text"] + [",".join(f'"{c}"' for c in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_screening_and_its_switches(tmp_path):
    path = screening_csv(tmp_path)
    report, d = check_accounting(ingest(path))
    assert report["read"] == 9
    assert report["dropped"] == {
        "empty": 1, "non-answer": 1, "too-short": 1, "exact-duplicate": 1,
        "campaign-duplicate": 2,
    }
    assert d["id"] == ["1", "5", "6"]
    (campaign,) = report["campaigns"]
    assert campaign["size"] == 3 and campaign["representative"] == "6"
    assert campaign["members"] == ["6", "7", "8"]
    assert report["campaigns_once"] is True

    def kept(**kwargs):
        return ingest(path, **kwargs)["responses"]["id"]

    assert kept(keep_non_answers=True) == ["1", "2", "5", "6"]
    assert kept(min_chars=1) == ["1", "3", "5", "6"]
    assert kept(keep_duplicates=True) == ["1", "4", "5", "6"]
    assert kept(count_campaign_members=True) == ["1", "5", "6", "7", "8"]
    assert kept(campaigns=False) == ["1", "5", "6", "7", "8"]
    assert kept(campaign_min_size=4) == ["1", "5", "6", "7", "8"]
    assert kept(campaign_similarity=1.0) == ["1", "5", "6", "7", "8"]
    counted = ingest(path, count_campaign_members=True)["report"]
    assert counted["campaigns_once"] is False and len(counted["campaigns"]) == 1


def test_group_from_several_columns(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text(
        "text,Capacity,Organisation type\n"
        "Fund the safety officers properly,Individual,\n"
        "Publish the hazard logs openly,On behalf of an organisation,NHS trust\n",
        encoding="utf-8",
    )
    d = ingest(path, group_column=["Capacity", "Organisation type"])["responses"]
    assert d["group"] == ["Individual", "On behalf of an organisation / NHS trust"]
    assert d["id"] == ["1", "2"]  # record numbers without an id column
    assert ingest(path, group_column="capacity")["responses"]["group"][1] == (
        "On behalf of an organisation"
    )


def test_column_options(tmp_path):
    path = tmp_path / "renamed.csv"
    path.write_text(
        "Response ID,Who,Sector,Topic,Via,Answer\n"
        "a1,w1,Clinicians,Alerts,email,Too many alerts in the EPR\n",
        encoding="utf-8",
    )
    d = ingest(path, text_column="answer", id_column="Response ID", respondent_column="Who",
               group_column="Sector", question_column="Topic", channel_column="Via")["responses"]
    assert d == {
        "id": ["a1"], "respondent": ["w1"], "group": ["Clinicians"], "question": ["Alerts"],
        "channel": ["email"], "text": ["Too many alerts in the EPR"], "attributes": [{}],
    }
    with pytest.raises(IoError, match=r"renamed\.csv.*\"Nope\"") as info:
        ingest(path, text_column="Answer", group_column="Nope")
    assert isinstance(info.value, OSError)


def test_format_option_overrides_the_extension(tmp_path):
    path = tmp_path / "export.dat"
    shutil.copy(CSV / "utf8.csv", path)
    with pytest.raises(IoError, match=r"export\.dat.*format"):
        ingest(path)
    assert ingest(path, format="csv")["responses"]["text"] == ["café", "naïve — costs £5, twice"]
    assert ingest(path, format=".CSV")["report"]["inputs"][0]["format"] == "csv"


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        (CSV / "missing.csv", r"missing\.csv"),
        (CSV / "empty.csv", r"empty\.csv"),
        (CSV / "unclosed_quote.csv", r"unclosed_quote\.csv.*record 2"),
        (CSV / "utf16_bad_surrogate.csv", r"utf16_bad_surrogate\.csv.*byte offset"),
        (FORMATS / "truncated.parquet", r"truncated\.parquet"),
        (FORMATS / "truncated.json", r"truncated\.json"),
        (FORMATS / "truncated.xlsx", r"truncated\.xlsx"),
        (FORMATS / "not_a_zip.xlsx", r"not_a_zip\.xlsx"),
        (FORMATS / "bad_utf8.jsonl", r"bad_utf8\.jsonl"),
        (TRANSCRIPTS / "bad_timestamp.srt", r"bad_timestamp\.srt"),
    ],
)
def test_errors_are_io_errors_naming_the_file(path, pattern):
    with pytest.raises(IoError, match=pattern) as info:
        ingest(path, strict=True)
    assert isinstance(info.value, OSError)
    assert isinstance(info.value, thematic.ThematicError)


def test_a_pattern_matching_no_column_names_the_file():
    with pytest.raises(IoError, match=r"wide\.xlsx.*no column \"Nope\*\".*\"Q1\""):
        ingest(FORMATS / "wide.xlsx", question_columns=["Nope*"])
    with pytest.raises(IoError, match=r"wide\.xlsx.*\"Region\""):
        ingest(FORMATS / "wide.xlsx", wide=True, attribute_columns=["Region"])


def test_invalid_utf8_names_the_byte():
    with pytest.raises(IoError, match=r"invalid_utf8\.csv.*byte offset 18"):
        ingest(CSV / "invalid_utf8.csv", encoding="utf-8")
    # Detected as Windows-1252 otherwise.
    assert ingest(CSV / "invalid_utf8.csv")["responses"]["text"] == ["ok", "café"]
    # The same for transcripts: `encoding` applies to them too.
    with pytest.raises(IoError, match=r"invalid_utf8\.txt.*line 2.*byte offset 28"):
        ingest(TRANSCRIPTS / "invalid_utf8.txt", encoding="utf-8")
    assert ingest(TRANSCRIPTS / "invalid_utf8.txt")["report"]["read"] >= 1


def test_speaker_mapping_errors_name_the_file():
    for name in ["speakers_bad_role.csv", "speakers_conflict.csv", "speakers_syntax.toml"]:
        with pytest.raises(IoError, match=name.replace(".", r"\.")):
            ingest(TRANSCRIPTS / "plain.txt", speaker_groups=TRANSCRIPTS / name)
    with pytest.raises(IoError, match=r"nope\.csv"):
        ingest(TRANSCRIPTS / "plain.txt", speaker_groups=TRANSCRIPTS / "nope.csv")


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"format": "docx"}, "format"),
        ({"encoding": "ebcdic"}, "encoding"),
        ({"delimiter": ";;"}, "delimiter"),
        ({"delimiter": "é"}, "delimiter"),
        ({"campaign_similarity": 1.5}, "campaign_similarity"),
        ({"campaign_similarity": 0.0}, "campaign_similarity"),
        ({"campaign_min_size": 1}, "campaign_min_size"),
        ({"campaign_min_size": -1}, "campaign_min_size"),
        ({"passage_words": 0}, "passage_words"),
        ({"min_chars": -1}, "min_chars"),
        # A wide survey's answers are its open-question columns, not one text column.
        ({"wide": True, "text_column": "text"}, "text_column"),
    ],
)
def test_invalid_options_raise_param_error_naming_them(kwargs, name):
    with pytest.raises(ParamError, match=name):
        ingest(FORMATS / "wide.xlsx", **kwargs)


def test_paths_argument_types(tmp_path):
    with pytest.raises(ParamError, match="paths"):
        ingest([])
    with pytest.raises(TypeError, match="paths"):
        ingest(5)
    with pytest.raises(TypeError, match=r"paths\[1\]"):
        ingest([CSV / "utf8.csv", 5])
    with pytest.raises(TypeError, match="group_column"):
        ingest(CSV / "utf8.csv", group_column=[1])
    with pytest.raises(TypeError):
        ingest(CSV / "utf8.csv", "text")  # options are keyword-only
    assert ingest((p for p in [CSV / "utf8.csv"]))["report"]["read"] == 2


def test_report_is_plain_python():
    import json

    report = ingest([FORMATS / "survey.xlsx", TRANSCRIPTS / "interview.srt"])["report"]
    assert json.loads(json.dumps(report)) == report
    assert [i["format"] for i in report["inputs"]] == ["xlsx", "srt"]


def test_ingest_feeds_analyse(tmp_path, corpus):
    """Every column ingest returns is an argument of analyse; the cross-tabs follow."""
    path = tmp_path / "survey.csv"
    lines = ["id,respondent,group,question,region,text"]
    for i, text in enumerate(corpus * 2):
        group = "Clinicians" if i % 2 else "Patients"
        region = "North" if i % 3 else "South"
        lines.append(f'r{i},p{i % 7},{group},Q{1 + i // 10},{region},"{text} {i}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    d = ingest(path, attribute_columns=["region"])["responses"]
    assert len(d["text"]) == 20
    result = analyse(d["text"], ids=d["id"], groups=d["group"], respondents=d["respondent"],
                     questions=d["question"], channels=d["channel"],
                     attributes=d["attributes"], themes=2)
    assert len(result["assignments"]) == 20
    # Seven respondents answered the twenty texts: themes count respondents, not texts.
    assert sum(t["respondents"] for t in result["themes"]) <= 2 * 7
    assert all(t["respondents"] <= 7 for t in result["themes"])
    for theme in result["themes"]:
        for q in theme["quotes"]:
            assert q["respondent"] == d["respondent"][q["row"]]
            assert q["question"] == d["question"][q["row"]]
    splits = {row["split_by"] for row in result["findings"]["crosstab"]}
    assert splits == {"none", "question", "channel", "attribute:region"}
    by_region = {row["split"] for row in result["findings"]["crosstab"]
                 if row["split_by"] == "attribute:region"}
    assert {"North", "South"} <= by_region
    assert len(result["findings"]["response_recommendations"]) == 20


def test_analyse_per_text_columns_are_checked(corpus):
    with pytest.raises(ParamError, match="respondents"):
        analyse(corpus, respondents=["a"], themes=2)
    with pytest.raises(ParamError, match="questions"):
        analyse(corpus, questions=["a"] * 11, themes=2)
    with pytest.raises(ParamError, match="channels"):
        analyse(corpus, channels=[], themes=2)
    with pytest.raises(ParamError, match="attributes"):
        analyse(corpus, attributes=[{}], themes=2)
    with pytest.raises(TypeError, match="one dict per text"):
        analyse(corpus, attributes={"region": "North"}, themes=2)
    with pytest.raises(TypeError, match=r"attributes\[0\]"):
        analyse(corpus, attributes=[5] + [None] * 9, themes=2)
    # Pairs and None work as well as dicts; None values are no attribute.
    attributes = [[("region", "North")], None, {"region": None}] + [{"region": "South"}] * 7
    result = analyse(corpus, attributes=attributes, themes=2)
    by_region = {r["split"] for r in result["findings"]["crosstab"]
                 if r["split_by"] == "attribute:region"}
    assert {"North", "South"} <= by_region


def test_analyse_quotes_default_to_five(corpus):
    result = analyse(corpus, themes=2)
    assert max(len(t["quotes"]) for t in result["themes"]) == 5


EXPORTS = FIXTURES / "exports"


def test_qualtrics_export_is_read_with_its_question_texts():
    report, d = check_accounting(ingest(
        EXPORTS / "qualtrics.csv", respondent_column="ResponseId",
        group_column="Which of these best describes you?",
        question_columns=["Q2", "What should change*"],
    ))
    source = report["inputs"][0]["source"]
    assert source["export"] == "Qualtrics"
    assert source["header_rows"] == 3
    assert d["id"] == ["1:Q2", "1:Q3_TEXT", "2:Q2", "2:Q3_TEXT"]
    assert d["question"][:2] == ["What works well in the service today?",
                                 "What should change? - Text"]
    assert d["group"][2] == "Clinician"
    # Read with one header row, the question texts would be a respondent's answers.
    report, d = check_accounting(ingest(EXPORTS / "qualtrics.csv", header_rows=1, wide=True))
    assert "What works well in the service today?" in d["text"]


def test_titles_are_skipped_unless_asked_otherwise():
    report, d = check_accounting(ingest(EXPORTS / "titled.csv"))
    assert report["inputs"][0]["source"]["skipped_rows"] == 1
    assert d["group"] == ["Patient", "Clinician"]
    with pytest.raises(IoError, match="no column \"text\""):
        ingest(EXPORTS / "titled.csv", skip_rows=0)


@pytest.mark.parametrize("option, value", [("header_rows", 0), ("header_rows", 11),
                                           ("header_rows", -1), ("skip_rows", -2)])
def test_header_options_are_checked(option, value):
    with pytest.raises(ParamError, match=option):
        ingest(EXPORTS / "titled.csv", **{option: value})
