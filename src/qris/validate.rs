//! The rules a payload must meet as a whole, in order: structure (EMVCo MPM 4.6–4.7), the CRC
//! (4.7.3), the mandatory data objects (EMVCo MPM Table 3; QRIS adds 01, 61 and, on a static
//! code, the national repository template 51), then every field's format. The first broken
//! rule is the error.

use super::QrisError;
use super::crc::crc_hex;
use super::tlv::Node;

/// Longest payload EMVCo MPM and QRIS allow, in characters.
pub const MAX_LEN: usize = 512;

fn get<'a>(nodes: &'a [Node], id: &str) -> Option<&'a Node> {
    nodes.iter().find(|n| n.id == id)
}

/// Checks a parsed root level against the raw text it came from.
pub fn validate(raw: &str, nodes: &[Node]) -> Result<(), QrisError> {
    structure(raw, nodes)?;
    let qris = get(nodes, "58").is_some_and(|n| n.value == "ID");
    presence(nodes, qris)?;
    formats(nodes, qris)
}

/// EMVCo MPM 4.7.1–4.7.3: 00 first with value 01, 63 last, four upper-case hex digits, and the
/// CRC of everything before them.
fn structure(raw: &str, nodes: &[Node]) -> Result<(), QrisError> {
    match nodes.first() {
        Some(first) if first.id == "00" => {
            if first.value != "01" {
                return Err(QrisError::new(
                    "invalid_format_indicator",
                    "00",
                    format!(
                        "ID 00 payload format indicator must be '01', got '{}'",
                        first.value
                    ),
                ));
            }
        }
        _ => {
            return Err(QrisError::new(
                "format_indicator_not_first",
                "00",
                "ID 00 (payload format indicator) is not the first data object",
            ));
        }
    }
    let last = nodes.last().filter(|n| n.id == "63").ok_or_else(|| {
        QrisError::new(
            "crc_not_last",
            "63",
            "ID 63 (CRC) is not the last data object",
        )
    })?;
    let crc = &last.value;
    let hex_upper = crc.len() == 4
        && crc
            .chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c));
    if !hex_upper {
        let why = if crc.len() == 4 && crc.chars().all(|c| c.is_ascii_hexdigit()) {
            format!(
                "CRC {crc} must be upper-case hex ({})",
                crc.to_ascii_uppercase()
            )
        } else {
            format!("CRC '{crc}' is not 4 hex digits")
        };
        return Err(QrisError::new("invalid_crc_format", "63", why));
    }
    let covered = &raw[..raw.len() - 4];
    let computed = crc_hex(covered.as_bytes());
    if &computed != crc {
        return Err(QrisError::new(
            "crc_mismatch",
            "63",
            format!("CRC mismatch: payload says {crc}, computed {computed}"),
        ));
    }
    Ok(())
}

fn missing(id: &str, what: &str) -> QrisError {
    QrisError::new("missing_tag", id, format!("missing ID {id} ({what})"))
}

/// EMVCo MPM Table 3 mandatory objects; QRIS adds 01, 61 (postal code when the country is ID)
/// and, on a static code (01=11), the national repository template 51 with its NMID (QRIS 4.7.7).
fn presence(nodes: &[Node], qris: bool) -> Result<(), QrisError> {
    let has_account = nodes
        .iter()
        .any(|n| matches!(n.id.parse::<u8>(), Ok(2..=51)));
    if !has_account {
        return Err(missing("26", "merchant account information, one of 02..51"));
    }
    for (id, what) in [
        ("52", "MCC"),
        ("53", "currency"),
        ("58", "country"),
        ("59", "merchant name"),
        ("60", "merchant city"),
    ] {
        if get(nodes, id).is_none() {
            return Err(missing(id, what));
        }
    }
    if !qris {
        return Ok(());
    }
    let poi = get(nodes, "01").ok_or_else(|| missing("01", "point of initiation"))?;
    if poi.value == "11" {
        let national = get(nodes, "51");
        if national.is_none() {
            return Err(QrisError::new(
                "static_without_national_template",
                "51",
                "static QRIS (01=11) without ID 51 national repository template (QRIS 4.7.7)",
            ));
        }
        if national.and_then(|n| n.child("02")).is_none() {
            return Err(QrisError::new(
                "missing_nmid",
                "51",
                "ID 51 lacks sub-ID 02 (NMID)",
            ));
        }
    }
    if get(nodes, "61").is_none() {
        return Err(missing(
            "61",
            "postal code, mandatory when the country is ID",
        ));
    }
    Ok(())
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// EMVCo 4.7.8 amount: at most 13 characters, digits with an optional '.' and at most
/// `max_decimals` decimals ('2000.' is conforming), and not zero (QRIS 4.7.8.1).
pub fn check_amount(tag: &str, value: &str, max_decimals: usize) -> Result<(), QrisError> {
    let bad = |why: String| QrisError::new("invalid_amount", tag, why);
    if value.chars().count() > 13 {
        return Err(bad(format!("ID {tag} longer than 13")));
    }
    let (whole, decimals) = match value.split_once('.') {
        Some((w, d)) => (w, d),
        None => (value, ""),
    };
    let well_formed = all_digits(whole)
        && decimals.bytes().all(|b| b.is_ascii_digit())
        && decimals.len() <= max_decimals;
    if !well_formed {
        return Err(bad(format!(
            "ID {tag} amount '{value}' is not digits with optional '.' and <={max_decimals} decimals"
        )));
    }
    if value.bytes().all(|b| b == b'0' || b == b'.') {
        return Err(bad(format!("ID {tag} amount must be > 0")));
    }
    Ok(())
}

/// EMVCo 4.7.9–4.7.11: 55 is 01 (prompt), 02 (fixed, with 56) or 03 (percentage, with 57);
/// 56 and 57 appear only with their indicator.
fn check_tip(nodes: &[Node], max_decimals: usize) -> Result<(), QrisError> {
    let indicator = get(nodes, "55").map(|n| n.value.as_str());
    let fixed = get(nodes, "56");
    let percent = get(nodes, "57");
    let err = |tag: &str, why: &str| Err(QrisError::new("invalid_tip", tag, why.to_owned()));
    match indicator {
        None if fixed.is_some() => err("56", "ID 56 (fixed fee) requires ID 55=02"),
        None if percent.is_some() => err("57", "ID 57 (percentage fee) requires ID 55=03"),
        None => Ok(()),
        Some("01") if fixed.is_some() || percent.is_some() => {
            err("55", "ID 55=01 must not carry 56/57")
        }
        Some("01") => Ok(()),
        Some("02") => match (fixed, percent) {
            (None, _) => err("56", "ID 55=02 requires ID 56 (fixed fee)"),
            (_, Some(_)) => err("57", "ID 55=02 must not carry ID 57"),
            (Some(f), None) => check_amount("56", &f.value, max_decimals),
        },
        Some("03") => match (percent, fixed) {
            (None, _) => err("57", "ID 55=03 requires ID 57 (percentage fee)"),
            (_, Some(_)) => err("56", "ID 55=03 must not carry ID 56"),
            (Some(p), None) => {
                let v = &p.value;
                let ok = v.len() <= 5
                    && check_amount("57", v, 2).is_ok()
                    && v.split('.').next().is_some_and(|w| w.len() <= 2);
                if ok {
                    Ok(())
                } else {
                    Err(QrisError::new(
                        "invalid_tip",
                        "57",
                        format!("ID 57 percentage '{v}' must be 00.01..99.99 and <=5 chars"),
                    ))
                }
            }
        },
        Some(other) => Err(QrisError::new(
            "invalid_tip",
            "55",
            format!("ID 55 must be 01, 02 or 03, got '{other}'"),
        )),
    }
}

/// QRIS text (name, city): printable ASCII; '|' is excluded (QRIS 4.7).
fn qris_text(tag: &str, what: &str, value: &str) -> Result<(), QrisError> {
    if value.contains('|') {
        return Err(QrisError::new(
            "invalid_character",
            tag,
            format!("ID {tag} {what} contains '|' (excluded by QRIS)"),
        ));
    }
    if !value.chars().all(|c| (' '..='~').contains(&c)) {
        return Err(QrisError::new(
            "invalid_character",
            tag,
            format!("ID {tag} {what} must be printable ASCII"),
        ));
    }
    Ok(())
}

fn formats(nodes: &[Node], qris: bool) -> Result<(), QrisError> {
    let value = |id: &str| get(nodes, id).map(|n| n.value.as_str());
    if let Some(poi) = value("01")
        && poi != "11"
        && poi != "12"
    {
        return Err(QrisError::new(
            "invalid_point_of_initiation",
            "01",
            format!("ID 01 must be 11 (static) or 12 (dynamic), got '{poi}'"),
        ));
    }
    let mcc = value("52").unwrap_or_default();
    if mcc.len() != 4 || !all_digits(mcc) {
        return Err(QrisError::new(
            "invalid_mcc",
            "52",
            format!("ID 52 must be 4 digits, got '{mcc}'"),
        ));
    }
    let currency = value("53").unwrap_or_default();
    if currency.len() != 3 || !all_digits(currency) {
        return Err(QrisError::new(
            "invalid_currency",
            "53",
            format!("ID 53 must be a 3-digit ISO 4217 code, got '{currency}'"),
        ));
    }
    let max_decimals = if qris { 2 } else { 3 };
    if let Some(amount) = value("54") {
        check_amount("54", amount, max_decimals)?;
    }
    check_tip(nodes, max_decimals)?;
    let country = value("58").unwrap_or_default();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(QrisError::new(
            "invalid_country",
            "58",
            format!("ID 58 must be two upper-case letters, got '{country}'"),
        ));
    }
    let name = value("59").unwrap_or_default();
    let name_len = name.chars().count();
    if name_len > 25 {
        return Err(QrisError::new(
            "merchant_name_too_long",
            "59",
            format!("ID 59 merchant name longer than 25 ({name_len})"),
        ));
    }
    let city = value("60").unwrap_or_default();
    let city_len = city.chars().count();
    if city_len > 15 {
        return Err(QrisError::new(
            "merchant_city_too_long",
            "60",
            format!("ID 60 merchant city longer than 15 ({city_len})"),
        ));
    }
    if let Some(postal) = value("61")
        && postal.chars().count() > 10
    {
        return Err(QrisError::new(
            "invalid_postal_code",
            "61",
            "ID 61 postal code longer than 10",
        ));
    }
    if !qris {
        return Ok(());
    }
    if currency != "360" {
        return Err(QrisError::new(
            "currency_mismatch",
            "53",
            format!("ID 53 must be 360 (IDR) when the country is ID, got '{currency}'"),
        ));
    }
    qris_text("59", "merchant name", name)?;
    qris_text("60", "merchant city", city)?;
    // QRIS: domestic merchant account templates 26..45 carry GUI, PAN, merchant id, criteria.
    for node in nodes {
        if matches!(node.id.parse::<u8>(), Ok(26..=45)) {
            for sub in ["00", "01", "02", "03"] {
                if node.child(sub).is_none() {
                    return Err(QrisError::new(
                        "merchant_account_incomplete",
                        &node.id,
                        format!(
                            "ID {} lacks sub-ID {sub} (GUI, PAN, merchant id, criteria)",
                            node.id
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}
