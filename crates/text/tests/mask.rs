//! Behaviour of personal-data masking (issue 4, item 7).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use proptest::prelude::*;
use thematic_text::{
    MaskError, Masker, MaskerParams, PiiKind, PiiMatch, Replacement, TokenKind, tokenize,
};

/// The kinds and texts found in `text`, in order.
fn found(text: &str) -> Vec<(PiiKind, &str)> {
    Masker::default().find(text).into_iter().map(|m| (m.kind, &text[m.range])).collect()
}

/// Asserts that each case, embedded in a sentence, is found whole as `kind` and nothing else.
fn assert_found(kind: PiiKind, cases: &[&str]) {
    for case in cases {
        for text in [
            case.to_string(),
            format!("Contact: {case}."),
            format!("({case}) thanks"),
            format!("“{case}”, said the respondent"),
        ] {
            assert_eq!(found(&text), [(kind, *case)], "in {text:?}");
        }
    }
}

/// Asserts that nothing is found in each text, and that masking returns it borrowed.
fn assert_nothing(cases: &[&str]) {
    let masker = Masker::default();
    for text in cases {
        assert_eq!(found(text), [], "in {text:?}");
        assert!(matches!(masker.mask(text), Cow::Borrowed(t) if t == *text), "{text:?}");
    }
}

// ---------------------------------------------------------------------------------------
// E-mail addresses.
// ---------------------------------------------------------------------------------------

#[test]
fn emails_are_found() {
    assert_found(
        PiiKind::Email,
        &[
            "jane@example.org",
            "jane.doe+nhs@trust.nhs.uk",
            "j.hartley@example.org",
            "bev.marsh67@example.org",
            "dr.s.okafor@example.org",
            "first_last@sub.domain.example.co.uk",
            "o'brien@example.com",
            "JANE.DOE@EXAMPLE.ORG",
            "zoë.müller@beispiel.de",
            "user%team@example-hospital.nhs.net",
            "07700900123@sms.example.com",
        ],
    );
}

#[test]
fn non_emails_are_left_alone() {
    assert_nothing(&[
        "@handles alone are not addresses: @nhsengland @jane_doe",
        "a@b is not an address, nor is user@localhost",
        "buy 3@1.50 each",
        "email me @ the usual place",
        "jane@ example.org",
        "jane@.org",
        "the @ sign",
        "a@b.c",
    ]);
}

#[test]
fn email_edges_exclude_surrounding_punctuation() {
    assert_eq!(found("<jane@example.org>"), [(PiiKind::Email, "jane@example.org")]);
    assert_eq!(found("'jane@example.org'"), [(PiiKind::Email, "jane@example.org")]);
    assert_eq!(found("mailto:jane@example.org?"), [(PiiKind::Email, "jane@example.org")]);
    assert_eq!(found("jane@example.org..."), [(PiiKind::Email, "jane@example.org")]);
}

// ---------------------------------------------------------------------------------------
// Phone numbers.
// ---------------------------------------------------------------------------------------

#[test]
fn uk_phones_are_found() {
    assert_found(
        PiiKind::Phone,
        &[
            "07700 900123",
            "07700900123",
            "07700 900 123",
            "07700-900-123",
            "+44 7700 900123",
            "+447700900123",
            "+44 (0)20 7946 0958",
            "+44(0)20 7946 0958",
            "+44 07700 900123",
            "0044 20 7946 0958",
            "(020) 7946 0958",
            "020 7946 0958",
            "020-7946-0958",
            "0161 496 0000",
            "0161.496.0000",
            "0800 123 4567",
            "0800 123456",
            "01632 960001",
            "01632 960 001",
            "020\u{a0}7946\u{a0}0958",
        ],
    );
}

#[test]
fn international_phones_are_found() {
    assert_found(
        PiiKind::Phone,
        &[
            "+1 202-555-0143",
            "+1 (202) 555-0143",
            "+33 1 23 45 67 89",
            "+33 (0)1 23 45 67 89",
            "00 353 1 234 5678",
            "0033 1 23 45 67 89",
            "+353 1 234 5678",
            "+49 30 12345678",
            "+61 2 9876 5432",
            "+91 98765 43210",
        ],
    );
}

#[test]
fn numbers_that_are_not_phones_are_left_alone() {
    assert_nothing(&[
        "in 2024, and again in 2019 and 2020",
        "on 12/03/2024 and 2024-03-12 and 12.03.2024 and 01-02-2024",
        "at 10:30, 10.30am, 09:00-17:00 and 1400 hours",
        "it cost £1,200,000 or £1.2m, €3,500.50 and $12,345,678",
        "a 15% rise, +5% or -0.5%, up 12.5 per cent",
        "we waited 3 hours, then 10 minutes, 45 mins",
        "version 1.2.3, v2.0.1, release 10.4.12.1",
        "1234567 patients and 7654321 others; 9999999 too",
        "a reference count of 1,234,567,890 in prose",
        "scores 0 1 2 3 4 5 6 7 8 9 10",
        "the 0.0000001 risk",
        "IP 192.168.100.200 and 10.0.0.1",
        "card 4111 1111 1111 1111",
        "+10 points and +2024 more",
        "room 0123 and 000 111",
        "ISBN 978-0-306-40615-7",
        "phone 202-555-0143 without a country code",
        "1234 5678",
        "12 34 56 78 90",
    ]);
}

#[test]
fn a_phone_is_cut_from_surrounding_numbers() {
    assert_eq!(found("in 2019 0161 496 0000 2024"), [(PiiKind::Phone, "0161 496 0000")]);
    assert_eq!(found("07700 900123 2024"), [(PiiKind::Phone, "07700 900123")]);
    assert_eq!(found("+44 7700 900123 2024"), [(PiiKind::Phone, "+44 7700 900123")]);
    assert_eq!(
        found("07700 900123 or 020 7946 0958"),
        [(PiiKind::Phone, "07700 900123"), (PiiKind::Phone, "020 7946 0958")]
    );
    assert_eq!(found("tel:+447700900123;"), [(PiiKind::Phone, "+447700900123")]);
    // A stray '+' before a national number: the number is still masked.
    assert_eq!(found("+07700 900123"), [(PiiKind::Phone, "07700 900123")]);
}

#[test]
fn phones_inside_words_are_left_alone() {
    assert_nothing(&["ref07700900123", "07700900123abc", "x_07700900123", "é07700900123"]);
}

// ---------------------------------------------------------------------------------------
// UK postcodes.
// ---------------------------------------------------------------------------------------

#[test]
fn postcodes_are_found() {
    assert_found(
        PiiKind::Postcode,
        &[
            "SW1A 1AA", "SW1A1AA", "sw1a 1aa", "M1 1AE", "m11ae", "B33 8TH", "CR2 6XH", "DN55 1PT",
            "EC1A 1BB", "W1A 0AX", "GIR 0AA", "LS1 4AP", "M1 1ST", "BT1 5GS",
        ],
    );
    assert_eq!(found("SW1A\u{a0}1AA"), [(PiiKind::Postcode, "SW1A\u{a0}1AA")]);
}

#[test]
fn non_postcodes_are_left_alone() {
    assert_nothing(&[
        "M1 by itself, or SW1A, or the M25, is not personal",
        "XSW1A 1AAX and SW1A 1AAB",
        "QA1 1AA",  // Q never starts an area
        "AI1 1AA",  // I is never the second letter
        "SW1A 1CA", // C is never an inward letter
        "M1 1AM",   // nor M
        "Sw1a 1AA", // mixed case
        "the m25 4th junction and b12 2nd floor, a1 2hr drive",
        "A1 2hr",
        "M11 1AAA",
        "ÉSW1A 1AA",
        "SW1A 1AAé",
        "covid19 and mp3 and h264",
    ]);
}

// ---------------------------------------------------------------------------------------
// NHS numbers.
// ---------------------------------------------------------------------------------------

#[test]
fn valid_nhs_numbers_are_found() {
    assert_found(
        PiiKind::NhsNumber,
        &[
            // 9·10+4·9+3·8+4·7+7·6+6·5+5·4+9·3+1·2 = 299; 299 mod 11 = 2; 11 − 2 = 9 ✓
            "943 476 5919",
            // 9·10+4·9+3·8+4·7+7·6+6·5+5·4+9·3+1·2 = 299; 299 mod 11 = 2; 11 − 2 = 9 ✓
            "943-476-5919",
            // 9·10+4·9+3·8+4·7+7·6+6·5+5·4+9·3+1·2 = 299; 299 mod 11 = 2; 11 − 2 = 9 ✓
            "9434765919",
            // 4·10+0·9+1·8+0·7+2·6+3·5+4·4+5·3+6·2 = 118; 118 mod 11 = 8; 11 − 8 = 3 ✓
            "401 023 4563",
            // 4·10+5·9+0·8+5·7+5·6+7·5+7·4+1·3+0·2 = 216; 216 mod 11 = 7; 11 − 7 = 4 ✓
            "4505577104",
            // 6·10+0·9+0·8+0·7+0·6+0·5+0·4+0·3+1·2 = 62; 62 mod 11 = 7; 11 − 7 = 4 ✓
            "600 000 0014",
            // 7·10+0·9+0·8+0·7+0·6+0·5+0·4+0·3+2·2 = 74; 74 mod 11 = 8; 11 − 8 = 3 ✓
            "700-000-0023",
            // 4·10+0·9+0·8+0·7+0·6+0·5+0·4+0·3+1·2 = 42; 42 mod 11 = 9; 11 − 9 = 2 ✓
            "4000000012",
            // 4·10+0·9+0·8+0·7+0·6+0·5+0·4+4·3+1·2 = 54; 54 mod 11 = 10; 11 − 10 = 1 ✓
            "400 000 0411",
            // 4·10+0·9+0·8+0·7+0·6+0·5+0·4+0·3+2·2 = 44; 44 mod 11 = 0; 11 − 0 = 11 → 0 ✓
            "4000000020",
        ],
    );
}

#[test]
fn invalid_nhs_numbers_are_left_alone() {
    assert_nothing(&[
        // 943 476 5918: the check digit should be 9.
        "943 476 5918",
        "9434765910",
        // 123 456 7890: sum 210; 210 mod 11 = 1; 11 − 1 = 10, so no check digit is valid.
        "123 456 7890",
        "1234567890",
        // 401 023 4564: the check digit should be 3.
        "401-023-4564",
        // Mixed separators, wrong grouping, too many or too few digits.
        "943 476-5919",
        "9434 76 5919",
        "94347659190",
        "943476591",
        "943.476.5919",
        "943 476 59190",
        // Glued to letters.
        "NHS9434765919",
        "9434765919th",
    ]);
}

#[test]
fn nhs_number_in_a_sentence() {
    let text = "My NHS number is 943 476 5919, and my appointment is at 10:30 on 12/03/2024.";
    assert_eq!(
        Masker::default().mask(text),
        "My NHS number is [NHS number], and my appointment is at 10:30 on 12/03/2024."
    );
}

#[test]
fn a_uk_phone_that_passes_the_nhs_check_is_a_phone() {
    // 0123456789: 0·10+1·9+2·8+3·7+4·6+5·5+6·4+7·3+8·2 = 156; 156 mod 11 = 2; 11 − 2 = 9 ✓,
    // but a leading 0 then 1 is also a UK number.
    assert_eq!(found("call 0123456789"), [(PiiKind::Phone, "0123456789")]);
    // A 10-digit string starting 0 that fails the NHS check is still a phone.
    assert_eq!(found("call 0123456780"), [(PiiKind::Phone, "0123456780")]);
    // With phones off, the valid NHS reading remains.
    let nhs_only = Masker::params().phones(false).build().unwrap();
    let text = "call 0123456789";
    let got: Vec<_> = nhs_only.find(text).into_iter().map(|m| (m.kind, &text[m.range])).collect();
    assert_eq!(got, [(PiiKind::NhsNumber, "0123456789")]);
}

// ---------------------------------------------------------------------------------------
// URLs.
// ---------------------------------------------------------------------------------------

#[test]
fn personal_urls_are_found() {
    assert_found(
        PiiKind::Url,
        &[
            "https://www.linkedin.com/in/jane-doe-123/",
            "https://uk.linkedin.com/in/jane-doe",
            "linkedin.com/in/jane-doe",
            "www.linkedin.com/in/jane-doe",
            "https://www.facebook.com/jane.doe.7",
            "https://facebook.com/profile.php?id=100012345",
            "https://twitter.com/janedoe",
            "https://x.com/janedoe/status/1234",
            "x.com/janedoe",
            "https://www.instagram.com/jane.doe/",
            "https://www.tiktok.com/@janedoe",
            "https://example.com/user/jdoe",
            "https://example.com/users/42/settings",
            "https://www.reddit.com/u/janedoe",
            "https://example.org/profile/jane",
            "https://www.gov.uk/government/people/jane-doe",
            "https://example.ac.uk/~jdoe/",
            "https://mastodon.social/@janedoe",
            "https://example.com/contact?email=jane%40example.org",
            "https://example.com/form?name=Jane+Doe&x=1",
            "https://example.com/a?user=jdoe",
            "https://portal.example.nhs.uk/record?patient=123",
            "https://example.com/lookup?NHS=9434765919",
            "https://example.com/search?first_name=Jane",
            "http://jane:secret@example.com/",
            "www.example.com?name=jane",
            "www.jane@example.com",
            "https://example.com/?email=jane@example.org",
        ],
    );
}

#[test]
fn generic_urls_are_kept() {
    assert_nothing(&[
        "https://www.nhs.uk/conditions/asthma/",
        "see https://gov.uk/guidance.",
        "www.england.nhs.uk/digital/",
        "https://www.linkedin.com/company/nhs-england/",
        "https://twitter.com/search?q=nhs",
        "https://www.facebook.com/groups/",
        "https://example.com/profile",
        "https://example.com/users/",
        "https://example.com/?q=asthma&page=2",
        "https://example.com/?name=",
        "https://www.instagram.com/explore/",
        "example.com/user/jdoe is not a link without www or a scheme",
        "box.com/jdoe",
        "and/or, either/or, 50/50",
    ]);
}

#[test]
fn url_edges_follow_the_tokenizer() {
    let text = "See (https://x.com/janedoe), or https://example.com/u/jdoe.";
    assert_eq!(
        found(text),
        [(PiiKind::Url, "https://x.com/janedoe"), (PiiKind::Url, "https://example.com/u/jdoe")]
    );
    // Every personal URL the tokenizer sees as a URL token is masked whole.
    for t in tokenize(text).iter().filter(|t| t.kind == TokenKind::Url) {
        assert!(found(text).contains(&(PiiKind::Url, t.text)), "{}", t.text);
    }
}

#[test]
fn personal_data_inside_generic_urls_is_still_masked() {
    assert_eq!(
        Masker::default().mask("https://example.com/redirect?to=https://x.com/janedoe ok"),
        "https://example.com/redirect?to=[URL] ok"
    );
    assert_eq!(
        Masker::default().mask("https://www.nhs.uk/find-a-gp/results/SW1A1AA"),
        "https://www.nhs.uk/find-a-gp/results/[postcode]"
    );
}

// ---------------------------------------------------------------------------------------
// Overlaps, offsets, configuration.
// ---------------------------------------------------------------------------------------

#[test]
fn the_longest_candidate_wins_on_overlap() {
    // An e-mail address inside a personal URL: one URL match.
    let text = "https://example.com/?email=jane@example.org";
    assert_eq!(Masker::default().find(text), [PiiMatch { kind: PiiKind::Url, range: 0..43 }]);
    // Digits of a phone inside an e-mail address: one e-mail match.
    assert_eq!(
        found("07700900123@sms.example.com"),
        [(PiiKind::Email, "07700900123@sms.example.com")]
    );
    // A phone number inside a personal URL.
    assert_eq!(
        found("https://example.com/users/07700900123"),
        [(PiiKind::Url, "https://example.com/users/07700900123")]
    );
    // Switching the URL off leaves the inner e-mail address to be found.
    let no_urls = Masker::params().personal_urls(false).build().unwrap();
    let inner: Vec<_> = no_urls.find(text).into_iter().map(|m| &text[m.range]).collect();
    assert_eq!(inner, ["jane@example.org"]);
}

#[test]
fn matches_are_ordered_and_disjoint_with_unicode_around() {
    let text = "Écrivez à zoë@exemple.fr — ou appelez le +33 1 23 45 67 89 ☎️. \
                Café “SW1A 1AA”, 東京 07700 900123 🙂 NHS № 943 476 5919…";
    let masker = Masker::default();
    let found = masker.find(text);
    let kinds: Vec<_> = found.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [PiiKind::Email, PiiKind::Phone, PiiKind::Postcode, PiiKind::Phone, PiiKind::NhsNumber]
    );
    for w in found.windows(2) {
        assert!(w[0].range.end <= w[1].range.start);
    }
    for m in &found {
        assert!(text.is_char_boundary(m.range.start) && text.is_char_boundary(m.range.end));
    }
    assert_eq!(
        masker.mask(text),
        "Écrivez à [email] — ou appelez le [phone] ☎️. \
         Café “[postcode]”, 東京 [phone] 🙂 NHS № [NHS number]…"
    );
}

#[test]
fn every_kind_can_be_switched_off() {
    let text = "jane@example.org 07700 900123 SW1A 1AA 943 476 5919 https://x.com/janedoe";
    let all = Masker::default().find(text);
    assert_eq!(all.len(), 5);
    for kind in PiiKind::ALL {
        let masker = Masker::params().kind(kind, false).build().unwrap();
        assert!(!masker.masks(kind));
        let got: Vec<_> = masker.find(text).into_iter().map(|m| m.kind).collect();
        let want: Vec<_> = all.iter().map(|m| m.kind).filter(|&k| k != kind).collect();
        assert_eq!(got, want, "{kind} off");
    }
    let none = MaskerParams::none().build().unwrap();
    assert!(none.find(text).is_empty());
    assert!(matches!(none.mask(text), Cow::Borrowed(_)));
    for kind in PiiKind::ALL {
        let only = MaskerParams::none().kind(kind, true).build().unwrap();
        let got: Vec<_> = only.find(text).into_iter().map(|m| m.kind).collect();
        assert_eq!(got, [kind]);
    }
}

#[test]
fn fixed_replacement() {
    let masker =
        Masker::params().replacement(Replacement::Fixed("[redacted]".into())).build().unwrap();
    assert_eq!(
        masker.mask("Mail jane@example.org or call 07700 900123."),
        "Mail [redacted] or call [redacted]."
    );
}

#[test]
fn placeholders_name_the_kind() {
    let placeholders: Vec<_> = PiiKind::ALL.iter().map(|k| k.placeholder()).collect();
    assert_eq!(placeholders, ["[email]", "[phone]", "[postcode]", "[NHS number]", "[URL]"]);
}

#[test]
fn invalid_replacements_are_rejected() {
    let fixed = |s: &str| Masker::params().replacement(Replacement::Fixed(s.into())).build();
    assert!(matches!(fixed(""), Err(MaskError::BlankReplacement(_))));
    assert!(matches!(fixed("  \u{a0}"), Err(MaskError::BlankReplacement(_))));
    assert!(matches!(
        fixed("[redacted]\n"),
        Err(MaskError::ControlInReplacement { found: '\n', .. })
    ));
    assert!(matches!(
        fixed("see redacted@example.org"),
        Err(MaskError::PersonalReplacement { kind: PiiKind::Email, .. })
    ));
    // The check covers every kind, even one that is switched off.
    let off = Masker::params()
        .phones(false)
        .replacement(Replacement::Fixed("07700 900000".into()))
        .build();
    assert!(matches!(off, Err(MaskError::PersonalReplacement { kind: PiiKind::Phone, .. })));
    let err = fixed("").unwrap_err().to_string();
    assert!(err.contains("visible character"), "{err}");
}

#[test]
fn params_round_trip_through_serde() {
    let params =
        Masker::params().postcodes(false).replacement(Replacement::Fixed("[redacted]".into()));
    let json = serde_json::to_string(&params).unwrap();
    let back: MaskerParams = serde_json::from_str(&json).unwrap();
    assert_eq!(back, params);
    // Missing fields take defaults; unknown fields are errors.
    let partial: MaskerParams = serde_json::from_str(r#"{"phones": false}"#).unwrap();
    assert_eq!(partial, Masker::params().phones(false));
    assert!(serde_json::from_str::<MaskerParams>(r#"{"phone": false}"#).is_err());
    // A Masker deserialises through validation.
    let masker: Masker = serde_json::from_str(r#"{"replacement": "placeholder"}"#).unwrap();
    assert_eq!(masker, Masker::default());
    assert!(serde_json::from_str::<Masker>(r#"{"replacement": {"fixed": ""}}"#).is_err());
    assert_eq!(serde_json::to_string(&PiiKind::NhsNumber).unwrap(), r#""nhs_number""#);
}

#[test]
fn masker_is_shared_across_threads() {
    let masker = Masker::default();
    let texts: Vec<String> = (0..64).map(|i| format!("item {i}: call 07700 900{i:03}")).collect();
    std::thread::scope(|s| {
        for chunk in texts.chunks(16) {
            let masker = &masker;
            s.spawn(move || {
                for t in chunk {
                    assert!(masker.mask(t).ends_with("call [phone]"), "{t}");
                }
            });
        }
    });
}

// ---------------------------------------------------------------------------------------
// The bundled consultation.
// ---------------------------------------------------------------------------------------

/// Every contact detail that data/make_consultation.py plants (PII_SENTENCES), and its kind.
const PLANTED: [(&str, PiiKind); 9] = [
    ("07700 900461", PiiKind::Phone),
    ("j.hartley@example.org", PiiKind::Email),
    ("07700900218", PiiKind::Phone),
    ("bev.marsh67@example.org", PiiKind::Email),
    ("dr.s.okafor@example.org", PiiKind::Email),
    ("020 7946 0832", PiiKind::Phone),
    ("m.lindqvist@example.net", PiiKind::Email),
    ("regulatory@example.com", PiiKind::Email),
    ("+44 7700 900733", PiiKind::Phone),
];

#[test]
fn bundled_consultation_contact_details_are_all_masked_and_nothing_else() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/digital_clinical_safety_consultation.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "text").unwrap();
    let masker = Masker::default();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut rows = 0;
    let mut emails_tokenized = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let text = &record[col];
        rows += 1;
        let found = masker.find(text);
        for m in &found {
            let piece = &text[m.range.clone()];
            let planted = PLANTED.iter().find(|(p, _)| *p == piece);
            // Precision: the only personal data in the file is what the script plants.
            let Some((p, kind)) = planted else {
                panic!("unexpected {} {piece:?} in {text:?}", m.kind);
            };
            assert_eq!(m.kind, *kind, "{piece}");
            *seen.entry(p).or_default() += 1;
        }
        // Consistent with the tokenizer: every e-mail token it sees is masked.
        for t in tokenize(text).iter().filter(|t| t.kind == TokenKind::Email) {
            assert!(found.iter().any(|m| m.range.start <= t.start && t.end <= m.range.end));
            emails_tokenized += 1;
        }
        let masked = masker.mask(text);
        for (p, _) in PLANTED {
            assert!(!masked.contains(p), "{p} survived in {masked:?}");
        }
    }
    assert!(rows > 500, "{rows} rows");
    assert_eq!(emails_tokenized, 5);
    // Recall: each planted detail occurs (once) and was found.
    for (p, _) in PLANTED {
        assert_eq!(seen.get(p), Some(&1), "{p}");
    }
}

// ---------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------

/// Fragments of realistic text, personal data among them.
fn fragment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "jane@example.org",
        "07700 900123",
        "+44 (0)20 7946 0958",
        "SW1A 1AA",
        "m1 1ae",
        "943 476 5919",
        "https://x.com/janedoe",
        "https://www.nhs.uk/conditions/asthma/",
        "in 2024",
        "12/03/2024",
        "£1,200,000",
        "10:30",
        "waited 3 hours",
        "the app",
        "é",
        "东京",
        "🙂",
        "—",
        "(",
        ")",
        ".",
        ",",
        "+",
        "-",
        "0",
        "1",
        "@",
        "/",
        " ",
        "\n",
        "jane",
        "x@",
        ".org",
        "www.",
        "linkedin.com/in/",
        "?name=",
        "SW1A",
        "1AA",
        "44",
        "7700",
        "943",
        "_",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn mask_never_panics_and_ranges_are_valid(text in "\\PC{0,80}") {
        let masker = Masker::default();
        let found = masker.find(&text);
        for m in &found {
            prop_assert!(m.range.start < m.range.end && m.range.end <= text.len());
            prop_assert!(text.is_char_boundary(m.range.start));
            prop_assert!(text.is_char_boundary(m.range.end));
        }
        for w in found.windows(2) {
            prop_assert!(w[0].range.end <= w[1].range.start);
        }
        let _ = masker.mask(&text);
    }

    #[test]
    fn text_without_digits_at_slash_or_www_is_borrowed(
        text in prop_oneof!["[^0-9@/w]{0,80}", "[a-vx-zA-Z .,:;+()'\"!?%&=#~_-]{0,120}"]
    ) {
        let masked = Masker::default().mask(&text);
        prop_assert!(matches!(masked, Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn composed_text_masks_consistently(parts in prop::collection::vec(fragment(), 0..16)) {
        let text = parts.concat();
        let masker = Masker::default();
        let found = masker.find(&text);
        for m in &found {
            prop_assert!(text.is_char_boundary(m.range.start));
            prop_assert!(text.is_char_boundary(m.range.end));
        }
        for w in found.windows(2) {
            prop_assert!(w[0].range.end <= w[1].range.start);
        }
        let masked = masker.mask(&text);
        // Text outside the matches is kept byte for byte.
        let mut rebuilt = String::new();
        let mut last = 0;
        for m in &found {
            rebuilt.push_str(&text[last..m.range.start]);
            rebuilt.push_str(m.kind.placeholder());
            last = m.range.end;
        }
        rebuilt.push_str(&text[last..]);
        prop_assert_eq!(&*masked, rebuilt.as_str());
        // Masking is idempotent: placeholders never combine with their neighbours into new
        // personal data.
        prop_assert_eq!(masker.find(&masked), []);
    }
}
