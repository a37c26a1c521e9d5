//! The printable A6 sign of a spot (SVG, 105 × 148 mm): the QR at ECC Q, the merchant name
//! exactly as the payer's app will show it (tag 59), NMID, terminal id, spot code, zone,
//! tariffs, "Bayar hanya ke QR resmi" and the complaint line.

use std::collections::BTreeMap;

use super::render::Ecc;

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
    tariff_parts(tariffs).join(" · ")
}

/// Each class with its tariff, in the sign's order.
pub fn tariff_parts(tariffs: &BTreeMap<String, i64>) -> Vec<String> {
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
        .collect()
}

/// XML text escaping for the few characters that need it.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Page width and height, and the printer's margin, in tenths of a millimetre: nothing is
/// drawn within 6 mm of the edge.
const WIDTH: f64 = 1050.0;
const HEIGHT: f64 = 1480.0;
const MARGIN: f64 = 60.0;
/// Room for a line of text: the page less the margins, less a further 3 mm on each side for
/// how far a real font may differ from [`text_width`]'s estimate.
const TEXT_ROOM: f64 = WIDTH - 2.0 * MARGIN - 60.0;

/// The smallest size of what a motorist must be able to read on the sign (the complaint line):
/// 9 pt as printed. The console prints four signs to an A4 sheet, each 136 mm high instead of
/// 148 (`.poster-sheet` in the console's stylesheet), so 9 pt × 0.3528 mm × 148/136 = 3.46 mm,
/// in tenths of a millimetre rounded up.
pub const SMALLEST_READABLE: f64 = 35.0;

/// The width of `text` at `size`, estimated from Helvetica's advance widths by character class
/// (upper case 0.72 em, lower case and digits 0.56, spaces and punctuation 0.3), bold 7 % wider.
/// It errs wide: a line it fits has room in any sans-serif the printer substitutes.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'A'..='Z' => 0.72,
            'a'..='z' | '0'..='9' => 0.56,
            ' ' | '.' | ',' | ':' | ';' | '·' | '-' | '/' | '\'' | '(' | ')' => 0.3,
            _ => 0.75,
        })
        .sum();
    em * size * if bold { 1.07 } else { 1.0 }
}

/// The font size at which `text` fits [`TEXT_ROOM`], at most `size`.
fn fitting(text: &str, size: f64, bold: bool) -> f64 {
    let w = text_width(text, size, bold);
    if w <= TEXT_ROOM {
        size
    } else {
        (size * TEXT_ROOM / w).floor()
    }
}

/// Text lines from `y` down: each centred, shrunk to fit the page's width.
struct Lines {
    y: f64,
    svg: String,
}

impl Lines {
    fn push(&mut self, size: f64, bold: bool, content: &str) {
        let size = fitting(content, size, bold);
        self.y += size * 1.2;
        self.svg.push_str(&format!(
            r#"<text x="525" y="{:.0}" font-size="{size:.0}" font-weight="{}" text-anchor="middle">{}</text>"#,
            self.y,
            if bold { 700 } else { 400 },
            escape(content)
        ));
    }

    /// `parts` joined with `sep`, on as few lines as keep the size at `min` or more.
    fn push_wrapped(&mut self, size: f64, min: f64, bold: bool, parts: &[&str], sep: &str) {
        for line in wrap(size, min, bold, parts, sep) {
            self.push(size, bold, &line);
        }
    }
}

/// `parts` joined with `sep` into as few lines as keep each at `min` or more when fitted from
/// `size` (a single part too long for that still gets a line of its own).
fn wrap(size: f64, min: f64, bold: bool, parts: &[&str], sep: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    for part in parts {
        let candidate = [line.as_slice(), &[*part]].concat().join(sep);
        if !line.is_empty() && fitting(&candidate, size, bold) < min {
            lines.push(line.join(sep));
            line.clear();
        }
        line.push(part);
    }
    if !line.is_empty() {
        lines.push(line.join(sep));
    }
    lines
}

/// Lines the complaint line may take: with the longest values the registry allows and the
/// "Cek resmi" line, a third would run past the bottom margin.
pub const COMPLAINT_LINES: usize = 2;

/// What a poster says about complaints unless `PARKIR_COMPLAINT_LINE` says otherwise.
pub const DEFAULT_COMPLAINT_LINE: &str =
    "Ada pungutan di luar tarif? Laporkan ke Dishub: sebutkan kode titik di atas";

/// Whether a complaint line (`PARKIR_COMPLAINT_LINE`) prints at [`SMALLEST_READABLE`] on at
/// most [`COMPLAINT_LINES`] lines; the error says how long it may be.
pub fn check_complaint_line(text: &str) -> Result<(), String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let lines = wrap(SMALLEST_READABLE, SMALLEST_READABLE, false, &words, " ");
    let readable = lines
        .iter()
        .all(|l| fitting(l, SMALLEST_READABLE, false) >= SMALLEST_READABLE);
    if lines.len() > COMPLAINT_LINES || !readable {
        return Err(format!(
            "must fit {COMPLAINT_LINES} lines of the poster at 9 pt (about 90 characters; no word longer than about 45)"
        ));
    }
    Ok(())
}

/// The sign as an SVG document in millimetres (viewBox in tenths of a millimetre). Long values
/// (a 25-character spot code, four vehicle classes, a long merchant name) shrink or wrap;
/// nothing reaches the printer's margin. `public_url`, when set, adds the line
/// "Cek resmi: {public_url}/cek/{code}".
pub fn poster_svg(
    payload: &str,
    text: &PosterText,
    public_url: Option<&str>,
) -> Result<String, String> {
    let mut body = String::new();
    body.push_str(&format!(
        r##"<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>"##
    ));
    body.push_str(&format!(
        r##"<rect x="{MARGIN}" y="{MARGIN}" width="{}" height="170" rx="24" fill="#0b4f9c"/>"##,
        WIDTH - 2.0 * MARGIN
    ));
    body.push_str(
        r##"<text x="525" y="148" font-size="72" font-weight="700" text-anchor="middle" fill="#fff">PARKIR RESMI</text>"##,
    );
    body.push_str(&format!(
        r##"<text x="525" y="205" font-size="{:.0}" text-anchor="middle" fill="#fff">{}</text>"##,
        fitting(text.zone_name, 40.0, false).min(40.0),
        escape(text.zone_name)
    ));
    body.push_str(r#"<text x="525" y="275" font-size="36" font-weight="700" text-anchor="middle">QRIS</text>"#);
    // The QR: 660 wide (its quiet zone included), centred under the heading.
    body.push_str(&super::render::svg_group(
        payload,
        Ecc::Q,
        195.0,
        290.0,
        660.0,
    )?);
    let mut lines = Lines {
        y: 955.0,
        svg: String::new(),
    };
    lines.push(50.0, true, text.merchant_name);
    if let Some(nmid) = text.nmid {
        lines.push(32.0, false, &format!("NMID: {nmid}"));
    }
    lines.push(
        32.0,
        false,
        &format!("Titik {} · Terminal {}", text.spot_code, text.terminal_id),
    );
    let words: Vec<&str> = text.spot_name.split_whitespace().collect();
    lines.push_wrapped(28.0, 24.0, false, &words, " ");
    let tariffs: Vec<String> = tariff_parts(text.tariffs);
    let tariffs: Vec<&str> = tariffs.iter().map(String::as_str).collect();
    lines.push_wrapped(42.0, 34.0, true, &tariffs, " · ");
    lines.push(38.0, true, "Bayar hanya ke QR resmi");
    // Wrapped rather than shrunk: at one line it would print at about 5 pt.
    let words: Vec<&str> = text.complaint_line.split_whitespace().collect();
    lines.push_wrapped(SMALLEST_READABLE, SMALLEST_READABLE, false, &words, " ");
    if let Some(url) = public_url {
        lines.push(
            26.0,
            true,
            &format!(
                "Cek resmi: {}/cek/{}",
                url.trim_end_matches('/'),
                text.spot_code
            ),
        );
    }
    if lines.y > HEIGHT - MARGIN - 8.0 {
        return Err(format!(
            "the poster's text runs to {:.0} of {HEIGHT}: too many lines",
            lines.y
        ));
    }
    body.push_str(&lines.svg);
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

    /// The poster rasterised at 2 px/mm with the machine's fonts.
    fn raster(svg: &str) -> resvg::tiny_skia::Pixmap {
        let mut options = resvg::usvg::Options::default();
        options.fontdb_mut().load_system_fonts();
        assert!(
            !options.fontdb.is_empty(),
            "no system fonts: install fonts-dejavu or fonts-liberation (scripts/test does)"
        );
        let tree = resvg::usvg::Tree::from_str(svg, &options).expect("valid SVG");
        let (w, h) = (210, 296);
        let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
        let scale = w as f32 / tree.size().width();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        pixmap
    }

    fn longest_poster(public_url: Option<&str>) -> String {
        let mut tariffs = BTreeMap::new();
        for class in ["motorcycle", "car", "bus", "truck"] {
            tariffs.insert(class.to_owned(), 10_000_000);
        }
        let text = PosterText {
            merchant_name: "DINAS PERHUBUNGAN KOTA JA",
            nmid: Some("ID1026100000123"),
            terminal_id: "WWWWWWWWWWWWWWWW",
            spot_code: "JMB-WWWWWWWWWWWWWWWWW-999",
            spot_name: &"Jl. Lintas Timur Sumatera Simpang Rimbo ".repeat(3)[..100],
            zone_name: &"Zona Perdagangan Pasar Angso Duo ".repeat(4)[..100],
            tariffs: &tariffs,
            complaint_line: "Ada pungutan di luar tarif? Laporkan ke Dishub: sebutkan kode titik di atas",
        };
        poster_svg(
            "00020101021126570011ID.CO.QRIS.WWW0215ID10261000001230303UKE5204752353033605802ID5925DINAS PERHUBUNGAN KOTA JA6005JAMBI61053612462290325JMB-WWWWWWWWWWWWWWWWW-99963040000",
            &text,
            public_url,
        )
        .expect("the longest values make a poster")
    }

    #[test]
    fn the_longest_values_stay_inside_the_printers_margin_and_the_qr_still_scans() {
        for url in [None, Some("https://parkir.jambikota.go.id")] {
            let svg = longest_poster(url);
            assert_eq!(
                svg.contains("Cek resmi: https://parkir.jambikota.go.id/cek/JMB-"),
                url.is_some()
            );
            let pixmap = raster(&svg);
            let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
            // 6 mm = 12 px of margin: every pixel there is white.
            let margin = 12;
            let mut inked = Vec::new();
            for y in 0..h {
                for x in 0..w {
                    if x >= margin && x < w - margin && y >= margin && y < h - margin {
                        continue;
                    }
                    let p = pixmap.pixel(x as u32, y as u32).unwrap();
                    if p.red() < 250 || p.green() < 250 || p.blue() < 250 {
                        inked.push((x, y));
                    }
                }
            }
            assert!(
                inked.is_empty(),
                "ink in the margin at {:?}",
                &inked[..inked.len().min(5)]
            );
            // Text was drawn: the tariff lines are not blank.
            let dark = pixmap.pixels().iter().filter(|p| p.red() < 100).count();
            assert!(dark > 5_000, "{dark} dark pixels");
            // The QR decodes from the raster (at a finer scale).
            let mut options = resvg::usvg::Options::default();
            options.fontdb_mut().load_system_fonts();
            let tree = resvg::usvg::Tree::from_str(&svg, &options).unwrap();
            let mut fine = resvg::tiny_skia::Pixmap::new(630, 888).unwrap();
            let scale = 630.0 / tree.size().width();
            resvg::render(
                &tree,
                resvg::tiny_skia::Transform::from_scale(scale, scale),
                &mut fine.as_mut(),
            );
            let gray = image::GrayImage::from_fn(630, 888, |x, y| {
                image::Luma([fine.pixel(x, y).unwrap().red()])
            });
            let mut prepared = rqrr::PreparedImage::prepare(gray);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1);
            let (_, content) = grids[0].decode().expect("QR decodes");
            assert!(content.contains("JMB-WWWWWWWWWWWWWWWWW-999"));
        }
    }

    #[test]
    fn four_classes_wrap_onto_two_lines() {
        let svg = longest_poster(None);
        assert!(
            svg.contains("Motor Rp10.000.000 · Mobil Rp10.000.000<"),
            "{svg}"
        );
        assert!(
            svg.contains(">Bus Rp10.000.000 · Truk Rp10.000.000<"),
            "{svg}"
        );
    }

    /// Every `<text>` of the sign: (font size, content).
    fn texts(svg: &str) -> Vec<(f64, String)> {
        svg.split("<text ")
            .skip(1)
            .map(|t| {
                let size = t.split("font-size=\"").nth(1).unwrap();
                let size: f64 = size[..size.find('"').unwrap()].parse().unwrap();
                let content = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
                (size, content.to_owned())
            })
            .collect()
    }

    #[test]
    fn the_complaint_line_prints_at_nine_points_or_more() {
        let line = "Ada pungutan di luar tarif? Laporkan ke Dishub: sebutkan kode titik di atas";
        for url in [None, Some("https://parkir.jambikota.go.id")] {
            let svg = longest_poster(url);
            let parts: Vec<(f64, String)> = texts(&svg)
                .into_iter()
                .filter(|(_, t)| line.contains(t.as_str()))
                .collect();
            let joined: Vec<&str> = parts.iter().map(|(_, t)| t.as_str()).collect();
            assert_eq!(joined.join(" "), line, "{svg}");
            for (size, text) in &parts {
                // In tenths of a millimetre at 136/148 of the size: 9 pt is 3.175 mm.
                let points = size / 10.0 * 136.0 / 148.0 / 0.3528;
                assert!(points >= 9.0, "{text:?} prints at {points:.1} pt");
            }
        }
    }

    #[test]
    fn a_complaint_line_longer_than_two_readable_lines_is_refused() {
        assert!(check_complaint_line(DEFAULT_COMPLAINT_LINE).is_ok());
        assert!(check_complaint_line("Pengaduan: WA 0811-7400-100").is_ok());
        let three = "Ada pungutan di luar tarif? Laporkan ke Dishub Kota Jambi lewat WhatsApp 0811-7400-100: sebutkan kode titik di atas";
        assert!(check_complaint_line(three).is_err());
        assert!(check_complaint_line(&"W".repeat(40)).is_err());
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("A&B <C>"), "A&amp;B &lt;C&gt;");
    }
}
