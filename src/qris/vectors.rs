//! The QRIS engine against the shared vectors (tests/fixtures), and its properties.

use proptest::prelude::*;
use serde_json::Value;

use super::{MerchantAccountInfo, Payload, StaticSpec, dynamic_payload, static_payload};

fn vectors() -> Vec<Value> {
    let text = include_str!("../../tests/fixtures/qris_vectors.json");
    serde_json::from_str(text).expect("vectors parse")
}

/// The rule each constructed vector's `rejection` names, as our error code.
fn expected_code(rejection: &str) -> &'static str {
    let table = [
        ("CRC mismatch", "crc_mismatch"),
        ("lowercase", "invalid_crc_format"),
        ("declares length", "tlv_length_overrun"),
        ("non-numeric length", "tlv_invalid_length"),
        ("zero length", "tlv_zero_length"),
        ("truncated ID/length", "tlv_truncated"),
        ("amount", "invalid_amount"),
        ("longer than 13", "invalid_amount"),
        ("missing ID", "missing_tag"),
        ("(CRC) is not the last", "crc_not_last"),
        ("is not the first", "format_indicator_not_first"),
        ("merchant name longer", "merchant_name_too_long"),
        ("merchant city longer", "merchant_city_too_long"),
        ("ID 55", "invalid_tip"),
        ("ID 57", "invalid_tip"),
        ("without ID 51", "static_without_national_template"),
        ("contains '|'", "invalid_character"),
    ];
    table
        .iter()
        .find(|(needle, _)| rejection.contains(needle))
        .map(|(_, code)| *code)
        .unwrap_or_else(|| panic!("no code for rejection {rejection:?}"))
}

fn check_expected_fields(payload: &Payload, expect: &Value, name: &str) {
    let fields = [
        ("point_of_initiation", "01"),
        ("mcc", "52"),
        ("currency", "53"),
        ("amount", "54"),
        ("country", "58"),
        ("merchant_name", "59"),
        ("city", "60"),
        ("postal_code", "61"),
        ("crc", "63"),
    ];
    for (key, tag) in fields {
        if let Some(want) = expect.get(key) {
            assert_eq!(payload.value(tag), want.as_str(), "{name}: {key}");
        }
    }
    if let Some(want) = expect.get("nmid") {
        assert_eq!(payload.nmid(), want.as_str(), "{name}: nmid");
    }
    if let Some(want) = expect.get("additional_data").and_then(Value::as_object) {
        let template = payload
            .nodes()
            .iter()
            .find(|n| n.id == "62")
            .unwrap_or_else(|| panic!("{name}: no 62"));
        for (sub, value) in want {
            let got = template.child(sub).map(|n| n.value.as_str());
            assert_eq!(got, value.as_str(), "{name}: 62/{sub}");
        }
    }
}

#[test]
fn every_vector_gets_its_verdict_and_fields() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 70);
    for (i, v) in vectors.iter().enumerate() {
        let raw = v["payload"].as_str().unwrap();
        let name = format!("vector {i} ({}: {})", v["scheme"], v["reason"]);
        let parsed = Payload::parse(raw);
        let valid = v["valid"].as_bool().unwrap();
        if v["crc_valid"] == Value::Bool(false) {
            assert!(parsed.is_err(), "{name}: a bad CRC must be refused");
        }
        // QRIS and full EMVCo MPM vectors strictly. "crc+tlv" vectors (PromptPay, VietQR)
        // omit EMVCo-mandatory objects such as 52 and 59: Parkir refuses them, and only
        // their bad CRCs are checked above.
        if v["profile"] == "crc+tlv" {
            continue;
        }
        assert_eq!(parsed.is_ok(), valid, "{name}: {:?}", parsed.as_ref().err());
        match parsed {
            Ok(payload) => {
                check_expected_fields(&payload, &v["expect"], &name);
                assert_eq!(payload.encode(), raw, "{name}: re-encoding is the identity");
                if v["profile"] == "qris" {
                    assert!(payload.is_qris(), "{name}");
                }
            }
            Err(err) => {
                if let Some(rejection) = v["expect"]["rejection"].as_str() {
                    assert_eq!(err.code, expected_code(rejection), "{name}: {err:?}");
                }
                if let Some(correct) = v["expect"]["correct_payload"].as_str() {
                    assert!(
                        Payload::parse(correct).is_ok(),
                        "{name}: the corrected payload"
                    );
                    assert_eq!(err.tag, "63", "{name}");
                }
            }
        }
    }
}

#[test]
fn rejections_name_the_rule_and_the_tag() {
    let v = vectors();
    let crc = v
        .iter()
        .find(|v| v["reason"] == "CRC mismatch: last hex digit altered")
        .unwrap();
    let err = Payload::parse(crc["payload"].as_str().unwrap()).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.tag.as_str()),
        ("crc_mismatch", "63")
    );
    assert_eq!(
        err.message,
        "CRC mismatch: payload says C800, computed C80E"
    );
}

fn jambi_spec() -> StaticSpec {
    super::build::tests::jambi()
}

/// CRC-16 detects every burst of up to 16 bits, so no single changed character survives.
#[test]
fn every_single_character_substitution_of_a_spot_payload_is_refused() {
    for raw in [
        static_payload(&jambi_spec()).unwrap(),
        dynamic_payload(&jambi_spec(), 2000, "PKR26112300001").unwrap(),
    ] {
        let chars: Vec<char> = raw.chars().collect();
        for i in 0..chars.len() {
            for c in (' '..='~').filter(|c| *c != chars[i]) {
                let mut changed = chars.clone();
                changed[i] = c;
                let changed: String = changed.into_iter().collect();
                assert!(Payload::parse(&changed).is_err(), "accepted {changed}");
            }
        }
    }
}

fn qris_text(max: usize) -> impl Strategy<Value = String> {
    // Printable ASCII without '|', not starting or ending with a space trimmed away nowhere.
    proptest::collection::vec(
        prop_oneof![
            Just(' '),
            proptest::char::range('!', '{'),
            Just('}'),
            Just('~')
        ],
        1..=max,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn spec_strategy() -> impl Strategy<Value = StaticSpec> {
    (
        qris_text(25),
        qris_text(15),
        "[0-9]{5}",
        "[A-Z0-9-]{1,25}",
        "[A-Z0-9]{1,16}",
        "ID[0-9]{13}",
        "[0-9]{16,19}",
        "[A-Z0-9]{1,15}",
    )
        .prop_map(
            |(name, city, postal, store, terminal, nmid, pan, mid)| StaticSpec {
                account: MerchantAccountInfo {
                    gui: "ID.CO.BANKJAMBI.WWW".into(),
                    pan,
                    merchant_id: mid,
                    criteria: "UMI".into(),
                },
                nmid,
                mcc: "7523".into(),
                merchant_name: name,
                city,
                postal_code: postal,
                store_label: Some(store),
                terminal_label: Some(terminal),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn build_parse_build_is_the_identity(spec in spec_strategy(), amount in 1i64..1_000_000_000, bill in "[A-Z0-9]{1,25}") {
        let fixed = static_payload(&spec).unwrap();
        let parsed = Payload::parse(&fixed).unwrap();
        prop_assert_eq!(parsed.encode(), fixed.clone());
        prop_assert_eq!(parsed.merchant_name(), Some(spec.merchant_name.as_str()));
        prop_assert_eq!(parsed.terminal_label(), spec.terminal_label.as_deref());
        let dynamic = dynamic_payload(&spec, amount, &bill).unwrap();
        let parsed = Payload::parse(&dynamic).unwrap();
        prop_assert_eq!(parsed.encode(), dynamic.clone());
        prop_assert_eq!(parsed.amount_rupiah(), Some(amount));
        prop_assert_eq!(parsed.bill_number(), Some(bill.as_str()));
    }

    #[test]
    fn arbitrary_text_is_refused_or_reads_back_as_itself(raw in "\\PC{0,600}") {
        // Never a panic; and what is accepted is exactly what re-encodes to the same text.
        if let Ok(parsed) = Payload::parse(&raw) {
            prop_assert_eq!(parsed.encode(), raw);
        }
    }

    #[test]
    fn truncated_or_extended_payloads_are_refused(spec in spec_strategy(), cut in 0usize..260, tail in "\\PC{0,8}") {
        let raw = static_payload(&spec).unwrap();
        let cut: String = raw.chars().take(cut).collect();
        // A truncated payload loses its CRC (the last tag): always refused.
        prop_assert!(cut.len() == raw.len() || Payload::parse(&cut).is_err());
        let extended = format!("{raw}{tail}");
        prop_assume!(!tail.is_empty());
        prop_assert!(Payload::parse(&extended).is_err());
    }

    #[test]
    fn a_random_substitution_is_refused(spec in spec_strategy(), at in any::<prop::sample::Index>(), c in proptest::char::range(' ', '~')) {
        let raw = static_payload(&spec).unwrap();
        let mut chars: Vec<char> = raw.chars().collect();
        let i = at.index(chars.len());
        prop_assume!(chars[i] != c);
        chars[i] = c;
        let changed: String = chars.into_iter().collect();
        prop_assert!(Payload::parse(&changed).is_err());
    }
}
