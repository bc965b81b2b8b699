//! End-to-end tests of the `thematic` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bundled() -> PathBuf {
    repo().join("data/digital_clinical_safety_consultation.csv")
}

/// The shared data sets sit beside the checkout (`../shared`), as in CI.
fn shared(rel: &str) -> PathBuf {
    let base = std::env::var_os("THEMATIC_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"));
    let path = base.join(rel);
    assert!(path.exists(), "{} is missing: put ../shared beside the checkout", path.display());
    path
}

fn thematic(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thematic")).args(args).output().expect("run thematic")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

fn input_ids(path: &Path, id_column: &str) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let idx = r.headers().unwrap().iter().position(|h| h == id_column).unwrap();
    r.records().map(|r| r.unwrap()[idx].to_owned()).collect()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn manifest_recs(path: &Path) -> u64 {
    json(path)["recommendations"]["recommendations"].as_u64().unwrap()
}

fn analyse(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["analyse", input.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    thematic(&args)
}

#[test]
fn bundled_data_runs_with_no_options_and_writes_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let o = analyse(&bundled(), dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));

    let assignments = read_csv(&dir.path().join("assignments.csv"));
    let ids = input_ids(&bundled(), "id");
    let kept: Vec<String> = assignments.iter().map(|r| r[0].clone()).collect();
    let dropped = dropped_ids(dir.path());
    assert_accounted(&ids, &kept, &dropped);
    // Empty answers and non-answers are dropped, not themed; kept ones get one of the 12.
    let mut r = csv::Reader::from_path(bundled()).unwrap();
    for record in r.records() {
        let record = record.unwrap();
        if record[4].trim().is_empty() {
            assert!(dropped.contains(&record[0].to_owned()), "empty answer {} kept", &record[0]);
        }
    }
    for row in &assignments {
        if !row[1].is_empty() {
            assert!(row[1].parse::<u32>().unwrap() < 12);
        }
    }
    // Every table of the analysis is written.
    for table in [
        "responses",
        "themes",
        "quotes",
        "recommendations",
        "crosstab",
        "campaigns",
        "dropped",
        "inputs",
    ] {
        assert!(dir.path().join(format!("{table}.csv")).exists(), "{table}.csv");
    }

    let themes = json(&dir.path().join("themes.json"));
    let themes = themes.as_array().unwrap();
    assert_eq!(themes.len(), 12);
    let sizes: u64 = themes.iter().map(|t| t["size"].as_u64().unwrap()).sum();
    let assigned = assignments.iter().filter(|r| !r[1].is_empty()).count() as u64;
    assert_eq!(sizes, assigned);
    for t in themes {
        let id = t["id"].as_u64().unwrap().to_string();
        assert!(!t["label"].as_str().unwrap().is_empty());
        assert!(t["top_terms"].as_array().unwrap().len() <= 10);
        let quotes = t["quotes"].as_array().unwrap();
        assert!(!quotes.is_empty() && quotes.len() <= 5);
        assert!(t["stance"]["n"].as_u64().unwrap() == t["size"].as_u64().unwrap());
        assert!(!t["crosstab"].as_array().unwrap().is_empty());
        for q in quotes {
            let qid = q["id"].as_str().unwrap();
            let row = assignments.iter().find(|r| r[0] == qid).unwrap();
            assert_eq!(row[1], id, "quote {qid} is not in theme {id}");
            assert!(q["group"].as_str().is_some());
        }
    }
    let themes_csv = read_csv(&dir.path().join("themes.csv"));
    assert_eq!(themes_csv.len(), 12);

    let manifest = json(&dir.path().join("manifest.json"));
    assert_eq!(manifest["seed"], 42);
    assert_eq!(manifest["parameters"]["themes"], 12);
    assert_eq!(manifest["inputs"][0]["read"], ids.len() as u64);
    assert_eq!(manifest["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    // Labels are unique.
    let labels: std::collections::HashSet<&str> =
        themes.iter().map(|t| t["label"].as_str().unwrap()).collect();
    assert_eq!(labels.len(), 12);

    // Recommendations: ranked from 1, each supported by at least one respondent, with a
    // respondent and share column per stakeholder group of the bundled data.
    let recs = read_csv(&dir.path().join("recommendations.csv"));
    assert!(recs.len() >= 10, "{} recommendations", recs.len());
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r[0], (i + 1).to_string());
        assert!(r[2].parse::<u64>().unwrap() >= 1);
    }
    let header = csv::Reader::from_path(dir.path().join("recommendations.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    assert!(header.iter().any(|h| h == "Clinicians: share"), "{header:?}");
    assert_eq!(manifest_recs(&dir.path().join("manifest.json")), recs.len() as u64);

    // Cross-tabs suppress small cells.
    let crosstab = read_csv(&dir.path().join("crosstab.csv"));
    assert!(crosstab.iter().any(|r| r[5] == "<5"));
    assert!(
        crosstab.iter().all(|r| r[5] == "<5" || r[5] == "[c]" || r[5].parse::<u64>().unwrap() >= 5)
    );

    // Personal data planted in the bundled answers never reaches quotes or recommendations.
    for file in ["quotes.csv", "recommendations.csv", "themes.json", "recommendations.json"] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(!text.contains("07700"), "{file} quotes a phone number");
        assert!(!text.contains("@example"), "{file} quotes an e-mail address");
    }

    let manifest = json(&dir.path().join("manifest.json"));
    for stage in ["ingest", "analyse", "vectorise", "cluster", "label", "findings", "write"] {
        assert!(manifest["timings"][stage].as_f64().unwrap() >= 0.0, "{stage}");
    }
    assert_eq!(manifest["responses"]["total"], kept.len() as u64);
    assert_eq!(manifest["ingest"]["read"], ids.len() as u64);
    assert_eq!(manifest["ingest"]["kept"], kept.len() as u64);
}

/// Ids of the input rows not kept, from `dropped.csv`.
fn dropped_ids(dir: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(dir.join("dropped.csv")).unwrap();
    let idx = r.headers().unwrap().iter().position(|h| h == "id").unwrap();
    r.records().map(|r| r.unwrap()[idx].to_owned()).collect()
}

/// Every input id is either kept (in input order) or dropped, never both, never lost.
fn assert_accounted(ids: &[String], kept: &[String], dropped: &[String]) {
    assert_eq!(kept.len() + dropped.len(), ids.len(), "rows read != kept + dropped");
    let mut all: Vec<&String> = kept.iter().chain(dropped).collect();
    all.sort();
    let mut want: Vec<&String> = ids.iter().collect();
    want.sort();
    assert_eq!(all, want);
    let order: Vec<&String> = ids.iter().filter(|id| kept.contains(id)).collect();
    assert_eq!(order, kept.iter().collect::<Vec<_>>());
}

#[test]
fn nhs_fft_every_row_appears_in_assignments() {
    let input = shared("data/nhs-fft-pxtextmining/fft_v6_multilabel.csv");
    let dir = tempfile::tempdir().unwrap();
    let o = analyse(&input, dir.path(), &["--themes", "20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let assignments = read_csv(&dir.path().join("assignments.csv"));
    let ids = input_ids(&input, "id");
    assert_eq!(ids.len(), 7400);
    let kept: Vec<String> = assignments.iter().map(|r| r[0].clone()).collect();
    assert_accounted(&ids, &kept, &dropped_ids(dir.path()));
    let assigned = assignments.iter().filter(|r| !r[1].is_empty()).count();
    assert!(assigned > 5000, "only {assigned} of 7400 answers got a theme");
}

#[test]
fn same_seed_same_themes_whatever_the_thread_count() {
    // The same themes with pruning (default) and plain Lloyd, at 1 and 2 threads.
    let runs: Vec<String> = [("1", "yinyang"), ("2", "hamerly"), ("2", "lloyd")]
        .iter()
        .map(|(threads, algorithm)| {
            let dir = tempfile::tempdir().unwrap();
            let args = ["--threads", threads, "--seed", "7", "--algorithm", algorithm];
            let o = analyse(&bundled(), dir.path(), &args);
            assert!(o.status.success(), "{}", stderr(&o));
            std::fs::read_to_string(dir.path().join("assignments.csv")).unwrap()
                + &std::fs::read_to_string(dir.path().join("themes.csv")).unwrap()
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[1], runs[2]);
}

#[test]
fn lsa_reduction_clusters_the_embedding_and_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let o = analyse(&bundled(), dir.path(), &["--reduce", "50", "--themes", "8"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest = json(&dir.path().join("manifest.json"));
    assert_eq!(manifest["parameters"]["reduce"], 50);
    assert!(manifest["timings"]["reduce"].as_f64().unwrap() > 0.0);
    let themes = json(&dir.path().join("themes.json"));
    assert_eq!(themes.as_array().unwrap().len(), 8);
    // Every response with usable text still gets a theme.
    let assignments = read_csv(&dir.path().join("assignments.csv"));
    let kept: Vec<String> = assignments.iter().map(|r| r[0].clone()).collect();
    assert_accounted(&input_ids(&bundled(), "id"), &kept, &dropped_ids(dir.path()));
}

#[test]
fn columns_with_spaces_are_selected_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.csv");
    let mut text = String::from("Response ID,Stakeholder group,Your answer\n");
    for i in 0..30 {
        let answer =
            if i % 2 == 0 { "alert fatigue from pop-up alerts" } else { "staff training time" };
        text += &format!("r{i},Clinicians,{answer} {i}\n");
    }
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let o = analyse(
        &input,
        &out,
        &[
            "--text-column",
            "Your answer",
            "--id-column",
            "Response ID",
            "--group-column",
            "Stakeholder group",
            "--themes",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_csv(&out.join("assignments.csv"));
    assert_eq!(rows.len(), 30);
    assert_eq!(rows[3][0], "r3");
    // The two kinds of answer fall in two different themes.
    assert_ne!(rows[0][1], rows[1][1]);
    assert!(rows.iter().step_by(2).all(|r| r[1] == rows[0][1]));
}

fn assert_fails(o: &Output, needles: &[&str]) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err}");
    }
}

#[test]
fn bad_input_gives_clear_errors_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let write = |name: &str, content: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    };

    assert_fails(&analyse(&dir.path().join("missing.csv"), &out, &[]), &["missing.csv"]);
    let p = write("nocol.csv", b"id,answer\n1,hello\n");
    assert_fails(&analyse(&p, &out, &[]), &["nocol.csv", "\"text\"", "\"answer\""]);
    assert_fails(&analyse(&p, &out, &["--text-column", "Comments"]), &["\"Comments\""]);
    let p = write("ragged.csv", b"id,text\n1,one\n2,two,three\n");
    assert_fails(&analyse(&p, &out, &["--strict"]), &["ragged.csv", "record 2", "line 3"]);
    let p = write("latin1.csv", b"id,text\n1,caf\xe9\n");
    assert_fails(
        &analyse(&p, &out, &["--encoding", "utf-8"]),
        &["latin1.csv", "record 1", "UTF-8", "byte offset 13"],
    );
    assert_fails(&analyse(&p, &out, &["--encoding", "klingon"]), &["encoding", "klingon"]);
    assert_fails(&analyse(&p, &out, &["--format", "docx"]), &["format", "docx"]);
    assert_fails(&analyse(&p, &out, &["--sheet", "2", "--format", "xlsx"]), &["latin1.csv"]);
    let p = write("empty.csv", b"");
    assert_fails(&analyse(&p, &out, &[]), &["empty.csv", "empty"]);
    let p = write("blank.csv", b"id,text\n1,\n2,  \n3,the and of\n");
    assert_fails(&analyse(&p, &out, &[]), &["empty vocabulary"]);
    let p = write("few.csv", b"id,text\n1,alert fatigue\n2,staff training\n");
    assert_fails(&analyse(&p, &out, &["--themes", "5"]), &["only 2 of 2 responses", "5 themes"]);
    assert_fails(&analyse(&bundled(), &out, &["--themes", "0"]), &["themes"]);
    assert_fails(&analyse(&bundled(), &out, &["--min-df=-3"]), &["--min-df"]);
    assert_fails(&analyse(&bundled(), &out, &["--max-df", "1.5"]), &["max_df", "1.5"]);
    assert_fails(&analyse(&bundled(), &out, &["--n-init", "0"]), &["n_init"]);
    assert_fails(&analyse(&bundled(), &out, &["--threads", "0"]), &["--threads"]);
    assert_fails(&analyse(&bundled(), &out, &["--algorithm", "elkan"]), &["--algorithm", "elkan"]);
    assert_fails(&analyse(&bundled(), &out, &["--reduce", "0"]), &["n_components", "0"]);
    assert_fails(&analyse(&bundled(), &out, &["--init", "random"]), &["--init", "random"]);
    assert_fails(&analyse(&bundled(), &out, &["--reduce", "100000"]), &["100000"]);
    assert_fails(&analyse(&bundled(), &out, &["--language", "klingon"]), &["klingon"]);
    assert!(!out.join("assignments.csv").exists());
}

fn choose_k(input: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["choose-k", input.to_str().unwrap()];
    args.extend_from_slice(extra);
    thematic(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The `k` of each table row and the recommended `k` printed by `choose-k`.
fn parse_table(text: &str) -> (Vec<usize>, usize) {
    let ks = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("k "))
        .skip(1)
        .map_while(|l| l.get(1..6).and_then(|k| k.trim().parse().ok()))
        .collect();
    let recommended = text
        .lines()
        .find_map(|l| l.strip_prefix("recommended k = "))
        .expect("no recommendation printed")
        .trim()
        .parse()
        .unwrap();
    (ks, recommended)
}

#[test]
fn choose_k_on_bundled_data_prints_a_table_and_a_recommended_k_in_range() {
    // The default range with one k-means run per seed, to keep the debug build quick.
    let o = choose_k(&bundled(), &["--n-init", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for column in ["objective", "silhouette", "calinski_h", "davies_b", "stability", "min_share"] {
        assert!(out.contains(column), "{column} missing from\n{out}");
    }
    assert!(out.contains("rule: highest silhouette"), "{out}");
    let (ks, recommended) = parse_table(&out);
    // 4 to 30 is wider than 20, so the default grid is geometric.
    assert_eq!(ks, [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 18, 20, 22, 25, 27, 30], "{out}");
    assert!((4..=30).contains(&recommended), "{out}");
    let star = out.lines().find(|l| l.starts_with('*')).expect("no row marked *");
    assert_eq!(star[1..6].trim(), recommended.to_string());

    // A narrow range tries every k in it, and --json gives the same recommendation as the
    // table, with every score of every k.
    let narrow = ["--min-themes", "5", "--max-themes", "9", "--seeds", "2"];
    let o = choose_k(&bundled(), &narrow);
    assert!(o.status.success(), "{}", stderr(&o));
    let (ks, recommended) = parse_table(&stdout(&o));
    assert_eq!(ks, [5, 6, 7, 8, 9]);
    assert!((5..=9).contains(&recommended));
    let o = choose_k(&bundled(), &[&narrow[..], &["--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let s = &v["selection"];
    assert_eq!(s["recommended"], recommended as u64);
    assert_eq!(s["seeds"], 2);
    assert_eq!(s["rows"].as_array().unwrap().len(), ks.len());
    for row in s["rows"].as_array().unwrap() {
        for field in ["objective", "silhouette", "calinski_harabasz", "davies_bouldin"] {
            assert!(row[field].as_f64().unwrap().is_finite(), "{field} in {row}");
        }
        let stability = row["stability"].as_f64().unwrap();
        assert!((-0.5..=1.0).contains(&stability), "{row}");
        let (min, max) = (row["min_share"].as_f64().unwrap(), row["max_share"].as_f64().unwrap());
        assert!(0.0 <= min && min <= max && max <= 1.0, "{row}");
    }
    assert!(v["usable"].as_u64().unwrap() <= v["responses"].as_u64().unwrap());
}

#[test]
fn analyse_themes_auto_records_the_selection_and_fits_the_recommended_k() {
    let dir = tempfile::tempdir().unwrap();
    // One k-means run per seed keeps the debug build quick; the final fit uses it too.
    let range = ["--min-themes", "6", "--max-themes", "14", "--n-init", "1"];
    let o = analyse(&bundled(), dir.path(), &[&["--themes", "auto"][..], &range].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest = json(&dir.path().join("manifest.json"));
    let selection = &manifest["k_selection"];
    let recommended = selection["recommended"].as_u64().unwrap();
    assert!((6..=14).contains(&recommended), "{selection}");
    let ks: Vec<u64> =
        selection["rows"].as_array().unwrap().iter().map(|r| r["k"].as_u64().unwrap()).collect();
    assert_eq!(ks, (6..=14).collect::<Vec<_>>());
    assert!(selection["rule"].as_str().unwrap().contains("silhouette"));
    assert_eq!(
        manifest["parameters"]["themes"],
        serde_json::json!({"auto": {"min": 6, "max": 14}})
    );
    assert_eq!(manifest["kmeans"]["themes"], recommended);
    assert!(manifest["timings"]["choose_k"].as_f64().unwrap() >= 0.0);
    let themes = json(&dir.path().join("themes.json"));
    assert_eq!(themes.as_array().unwrap().len() as u64, recommended);

    // choose-k over the same range recommends the same k.
    let o = choose_k(&bundled(), &range);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(parse_table(&stdout(&o)).1 as u64, recommended);

    // The recorded k and seed reproduce the themes with a fixed number of themes.
    let seed = manifest["kmeans"]["seed"].as_u64().unwrap().to_string();
    let fixed = tempfile::tempdir().unwrap();
    let k = recommended.to_string();
    let o = analyse(&bundled(), fixed.path(), &["--themes", &k, "--seed", &seed, "--n-init", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for file in ["assignments.csv", "themes.csv"] {
        let read = |d: &Path| std::fs::read_to_string(d.join(file)).unwrap();
        assert_eq!(read(dir.path()), read(fixed.path()), "{file} differs");
    }
    // A fixed number of themes records no selection.
    assert!(json(&fixed.path().join("manifest.json"))["k_selection"].is_null());
}

#[test]
fn bad_theme_ranges_exit_2_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let auto =
        |extra: &[&str]| analyse(&bundled(), &out, &[&["--themes", "auto"][..], extra].concat());
    assert_fails(&auto(&["--min-themes", "1"]), &["min_themes", "1", "at least 2"]);
    assert_fails(&auto(&["--min-themes", "10", "--max-themes", "5"]), &["max_themes", "5", "10"]);
    assert_fails(&auto(&["--seeds", "0"]), &["seeds 0"]);
    assert_fails(&choose_k(&bundled(), &["--min-themes", "1"]), &["min_themes", "1"]);
    assert_fails(
        &choose_k(&bundled(), &["--min-themes", "10", "--max-themes", "5"]),
        &["max_themes", "5"],
    );
    assert_fails(&choose_k(&bundled(), &["--seeds", "0"]), &["seeds 0"]);
    assert_fails(&analyse(&bundled(), &out, &["--themes", "lots"]), &["--themes", "auto"]);
    assert_fails(&analyse(&bundled(), &out, &["--min-themes", "5"]), &["--themes auto"]);
    let few = dir.path().join("few.csv");
    std::fs::write(&few, "id,text\n1,alert fatigue\n2,staff training\n3,record errors\n").unwrap();
    assert_fails(
        &choose_k(&few, &["--min-themes", "2", "--max-themes", "3"]),
        &["few.csv", "max_themes", "only 3"],
    );
    assert!(!out.join("assignments.csv").exists());
}

#[test]
fn detect_suggestions_writes_one_row_per_input_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("s.csv");
    std::fs::write(
        &input,
        "ref,sentence\n\
         a,NHS England should publish a national incident dashboard.\n\
         b,The ward was clean and the staff were kind.\n\
         c,\"Please provide training for all staff, before go-live.\"\n\
         d,\n",
    )
    .unwrap();
    let out = dir.path().join("d.csv");
    let o = thematic(&[
        "detect-suggestions",
        input.to_str().unwrap(),
        "--text-column",
        "sentence",
        "--id-column",
        "ref",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_csv(&out);
    let got: Vec<(&str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(got, [("a", "1"), ("b", "0"), ("c", "1"), ("d", "0")]);
    assert_eq!(rows[0][3], "modal:should");
    assert!(rows.iter().all(|r| r[2].parse::<f32>().is_ok_and(|s| (0.0..=1.0).contains(&s))));
    // A missing column is named.
    let o =
        thematic(&["detect-suggestions", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("text"), "{}", stderr(&o));
}

#[test]
fn validate_reports_agreement_with_human_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = analyse(&bundled(), &out, &["--themes", "6"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Code each response by its own stakeholder group: a coding the themes partly follow.
    let codes = dir.path().join("codes.csv");
    let mut w = csv::Writer::from_path(&codes).unwrap();
    w.write_record(["id", "code"]).unwrap();
    let mut r = csv::Reader::from_path(bundled()).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record([&rec[0], &rec[2]]).unwrap();
    }
    w.flush().unwrap();
    let o = thematic(&[
        "validate",
        out.to_str().unwrap(),
        "--codes",
        codes.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let assigned =
        read_csv(&out.join("assignments.csv")).iter().filter(|r| !r[1].is_empty()).count();
    assert_eq!(v["compared"].as_u64().unwrap() as usize, assigned);
    // Coded rows that ingest did not keep (empty answers, non-answers, campaign copies) have
    // no theme to compare: they are reported as missing, not silently matched.
    assert_eq!(v["missing"].as_u64().unwrap() as usize, dropped_ids(&out).len());
    let a = &v["agreement"];
    assert_eq!(a["n_codes"], 6);
    for m in ["nmi", "ari", "accuracy"] {
        let x = a[m].as_f64().unwrap();
        assert!((-1.0..=1.0).contains(&x), "{m} = {x}");
    }
    assert_eq!(a["matches"].as_array().unwrap().len(), 6);
    // The report names its measures; a bad codes column is an error naming it.
    let o = thematic(&["validate", out.to_str().unwrap(), "--codes", codes.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Cohen's kappa"));
    let o = thematic(&[
        "validate",
        out.to_str().unwrap(),
        "--codes",
        codes.to_str().unwrap(),
        "--code-column",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope"), "{}", stderr(&o));
}

#[test]
fn survey_and_transcripts_are_analysed_together_and_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let transcripts = repo().join("data/transcripts");
    let speakers = repo().join("data/speakers.csv");
    let o = thematic(&[
        "analyse",
        bundled().to_str().unwrap(),
        transcripts.to_str().unwrap(),
        "--speaker-groups",
        speakers.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--parquet",
        "--xlsx",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // One survey and five transcripts, each accounted for: read = kept + dropped.
    let inputs = read_csv(&dir.path().join("inputs.csv"));
    assert_eq!(inputs.len(), 6);
    let mut r = csv::Reader::from_path(dir.path().join("inputs.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in &inputs {
        let n = |name: &str| row[col(name)].parse::<u64>().unwrap();
        assert_eq!(n("read"), n("kept") + n("dropped"), "{row:?}");
    }
    assert_eq!(inputs[0][col("unit")], "row");
    assert!(inputs[1..].iter().all(|r| r[col("unit")] == "turn"));
    // Every channel reaches the responses table.
    let mut r = csv::Reader::from_path(dir.path().join("responses.csv")).unwrap();
    let channel = r.headers().unwrap().iter().position(|h| h == "channel").unwrap();
    let channels: std::collections::BTreeSet<String> =
        r.records().map(|r| r.unwrap()[channel].to_owned()).collect();
    assert_eq!(channels.into_iter().collect::<Vec<_>>(), ["interview", "survey", "workshop"]);
    // Facilitators' turns are dropped with their reason, campaigns kept once.
    let dropped = std::fs::read_to_string(dir.path().join("dropped.csv")).unwrap();
    assert!(dropped.contains(",facilitator,"));
    assert!(dropped.contains(",campaign duplicate,"));
    assert!(read_csv(&dir.path().join("campaigns.csv")).len() >= 2);
    for table in ["responses", "themes", "dropped", "inputs"] {
        assert!(dir.path().join(format!("{table}.parquet")).exists(), "{table}.parquet");
    }
    assert!(dir.path().join("thematic.xlsx").exists());
    let manifest = json(&dir.path().join("manifest.json"));
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), 6);
    assert_eq!(
        manifest["ingest"]["read"].as_u64().unwrap(),
        manifest["ingest"]["kept"].as_u64().unwrap()
            + manifest["ingest"]["dropped"]
                .as_object()
                .unwrap()
                .values()
                .map(|v| v.as_u64().unwrap())
                .sum::<u64>()
    );
}

#[test]
fn hostile_cells_are_made_inert_unless_formulas_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("hostile.csv");
    let mut text = String::from("id,text\n");
    for i in 0..12 {
        let answer = if i % 2 == 0 {
            "=HYPERLINK(\"http://evil.example\",\"alert fatigue from pop-up alerts\")"
        } else {
            "@SUM(1+1) staff training time on new systems"
        };
        text += &format!("r{i},\"{}\"\n", answer.replace('"', "\"\""));
    }
    std::fs::write(&input, text).unwrap();
    let text_of = |out: &Path| -> Vec<String> {
        let mut r = csv::Reader::from_path(out.join("responses.csv")).unwrap();
        let t = r.headers().unwrap().iter().position(|h| h == "text").unwrap();
        r.records().map(|r| r.unwrap()[t].to_owned()).collect()
    };
    let out = dir.path().join("safe");
    // Identical long answers from 6 people would be a campaign, kept once: not under test.
    let o = analyse(&input, &out, &["--themes", "2", "--no-campaigns"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let texts = text_of(&out);
    assert_eq!(texts.len(), 12);
    assert!(texts[0].starts_with("'=HYPERLINK("), "{}", texts[0]);
    assert!(texts[1].starts_with("'@SUM("), "{}", texts[1]);
    let out = dir.path().join("raw");
    let o = analyse(&input, &out, &["--themes", "2", "--no-campaigns", "--allow-formulas"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let texts = text_of(&out);
    assert!(texts[0].starts_with("=HYPERLINK("), "{}", texts[0]);
}

#[test]
fn a_qualtrics_export_is_analysed_by_question_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("qualtrics.csv");
    // Qualtrics' layout: codes, question texts, import ids, then one row per respondent.
    let mut text = String::from(
        "ResponseId,Q1,Q2\nResponse ID,Which best describes you?,What should change?\n\
         \"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\
         \"{\"\"ImportId\"\":\"\"QID2_TEXT\"\"}\"\n",
    );
    for i in 0..30 {
        let answer =
            if i % 2 == 0 { "alert fatigue from pop-up alerts" } else { "staff training time" };
        text += &format!("R_{i:03},Clinician,{answer} {i}\n");
    }
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let args = ["--question-columns", "Q2", "--respondent-column", "ResponseId"];
    let o =
        analyse(&input, &out, &[&args[..], &["--group-column", "Q1", "--themes", "2"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_csv(&out.join("responses.csv"));
    // The question texts and import ids are not responses.
    assert_eq!(rows.len(), 30);
    assert_eq!(rows[0][..4], ["1:Q2", "R_000", "Clinician", "What should change?"]);
    let inputs = read_csv(&out.join("inputs.csv"));
    let header = csv::Reader::from_path(out.join("inputs.csv")).unwrap().headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(inputs[0][column("export")], "Qualtrics");
    assert_eq!(inputs[0][column("header rows")], "3");
    assert_eq!(inputs[0][column("rows")], "30");

    assert_fails(
        &analyse(&input, &out, &[&args[..], &["--header-rows", "0"]].concat()),
        &["header-rows"],
    );
}
