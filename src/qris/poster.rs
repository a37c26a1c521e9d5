//! The printable A6 sign of a spot (SVG, 105 × 148 mm): the QR at ECC Q, the merchant name
//! exactly as the payer's app will show it (tag 59), NMID, terminal id, spot code, zone,
//! tariffs, "Bayar hanya ke QR resmi" and the complaint line.

use std::collections::BTreeMap;

use super::render::{Ecc, svg_group};

/// What the sign says besides the QR.
pub struct PosterText<'a> {
    pub merchant_name: &'a str,
    pub nmid: Option<&'a str>,
    pub terminal_id: &'a str,
    pub spot_code: &'a str,
    pub spot_name: &'a str,
    pub zone_name: &'a str,
    /// Rupiah per vehicle class.
    pub tariffs: &'a BTreeMap<String, i64>,
    pub complaint_line: &'a str,
}

/// The Indonesian name of a vehicle class as signs write it.
pub fn vehicle_label(class: &str) -> String {
    match class {
        "motorcycle" => "Motor".into(),
        "car" => "Mobil".into(),
        "truck" => "Truk".into(),
        "bus" => "Bus".into(),
        "bicycle" => "Sepeda".into(),
        other => {
            let mut chars = other.replace('_', " ").chars().collect::<Vec<_>>();
            if let Some(first) = chars.first_mut() {
                *first = first.to_ascii_uppercase();
            }
            chars.into_iter().collect()
        }
    }
}

/// "Motor Rp2.000 · Mobil Rp3.000": motorcycles first, then cars, then the rest by name.
pub fn tariff_line(tariffs: &BTreeMap<String, i64>) -> String {
    let rank = |c: &str| match c {
        "motorcycle" => 0,
        "car" => 1,
        _ => 2,
    };
    let mut classes: Vec<_> = tariffs.iter().collect();
    classes.sort_by_key(|(c, _)| (rank(c), (*c).clone()));
    classes
        .into_iter()
        .map(|(c, amount)| {
            format!(
                "{} {}",
                vehicle_label(c),
                crate::domain::Rupiah(*amount).display_id()
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// XML text escaping for the few characters that need it.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The sign as an SVG document in millimetres (viewBox in tenths of a millimetre).
pub fn poster_svg(payload: &str, text: &PosterText) -> Result<String, String> {
    let qr = svg_group(payload, Ecc::Q, 150.0, 300.0, 750.0)?;
    let line = |y: u32, size: u32, weight: &str, content: &str| {
        format!(
            r#"<text x="525" y="{y}" font-size="{size}" font-weight="{weight}" text-anchor="middle">{}</text>"#,
            escape(content)
        )
    };
    let mut body = String::new();
    body.push_str(r##"<rect width="1050" height="1480" fill="#fff"/>"##);
    body.push_str(r##"<rect x="0" y="0" width="1050" height="230" fill="#0b4f9c"/>"##);
    body.push_str(
        r##"<text x="525" y="105" font-size="80" font-weight="700" text-anchor="middle" fill="#fff">PARKIR RESMI</text>"##,
    );
    body.push_str(&format!(
        r##"<text x="525" y="185" font-size="44" text-anchor="middle" fill="#fff">{}</text>"##,
        escape(text.zone_name)
    ));
    body.push_str(r#"<text x="525" y="285" font-size="40" font-weight="700" text-anchor="middle">QRIS</text>"#);
    body.push_str(&qr);
    body.push_str(&line(1110, 54, "700", text.merchant_name));
    if let Some(nmid) = text.nmid {
        body.push_str(&line(1165, 34, "400", &format!("NMID: {nmid}")));
    }
    body.push_str(&line(
        1210,
        34,
        "400",
        &format!("Titik {} · Terminal {}", text.spot_code, text.terminal_id),
    ));
    body.push_str(&line(1255, 30, "400", text.spot_name));
    body.push_str(&line(1320, 46, "700", &tariff_line(text.tariffs)));
    body.push_str(&line(1385, 40, "700", "Bayar hanya ke QR resmi"));
    body.push_str(&line(1440, 26, "400", text.complaint_line));
    Ok(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="105mm" height="148mm" viewBox="0 0 1050 1480" font-family="Helvetica, Arial, sans-serif">{body}</svg>"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tariffs_read_like_the_sign() {
        let mut t = BTreeMap::new();
        t.insert("car".to_owned(), 3000);
        t.insert("motorcycle".to_owned(), 2000);
        t.insert("truck".to_owned(), 5000);
        assert_eq!(
            tariff_line(&t),
            "Motor Rp2.000 · Mobil Rp3.000 · Truk Rp5.000"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("A&B <C>"), "A&amp;B &lt;C&gt;");
    }
}
