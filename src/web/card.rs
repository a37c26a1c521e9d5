//! The KTA card as a printable page (SPEC §16): one card at ID-1 size (85.6 × 54 mm), or a
//! zone's cards eight to an A4 sheet. The page stands alone — its stylesheet inline (allowed
//! by its hash in the pages' policy, [`super::pages`]), the photo a `data:` image, the QR an
//! inline SVG — so the console can open it as it came, and a file saved from it prints the same.

use base64::Engine;
use chrono::Datelike;

use super::html::esc;
use crate::qris::render::{Ecc, svg_group};
use crate::services::identity::{Card, CardSheet};

/// The card's stylesheet, inlined in every card page.
pub const STYLE: &str = include_str!("card/card.css");

/// Cards on one A4 sheet: two across, four down.
pub const PER_SHEET: usize = 8;

/// The QR of the card's public check, as inline SVG. ECC Q: a quarter of the symbol may be
/// smudged or folded and it still reads.
fn qr(url: &str) -> Result<String, String> {
    let group = svg_group(url, Ecc::Q, 0.0, 0.0, 100.0)?;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\" role=\"img\" aria-label=\"QR cek KTA\">{group}</svg>"
    ))
}

fn card_html(sheet: &CardSheet, card: &Card) -> Result<String, String> {
    let photo = match &card.photo {
        Some(jpeg) => format!(
            "<img class=\"photo\" alt=\"Foto {}\" src=\"data:image/jpeg;base64,{}\">",
            esc(&card.name),
            base64::engine::general_purpose::STANDARD.encode(jpeg)
        ),
        None => "<div class=\"photo\">Tempel pas foto 3×4</div>".to_owned(),
    };
    let zone = card
        .zone
        .as_deref()
        .map(|z| format!("<dt>Wilayah tugas</dt><dd>{}</dd>", esc(z)))
        .unwrap_or_default();
    // The address without its scheme, for someone who types it.
    let shown_url = card
        .check_url
        .split_once("://")
        .map_or(card.check_url.as_str(), |(_, rest)| rest);
    let hotline = sheet
        .hotline
        .as_deref()
        .map(|h| format!("<br>Pengaduan Dishub: {}", esc(h)))
        .unwrap_or_default();
    Ok(format!(
        "<article class=\"card\" data-kta=\"{kta}\">
<header class=\"band\"><div class=\"office\">{office}</div><div class=\"title\">Kartu Tanda Anggota · Juru Parkir</div></header>
{photo}
<div class=\"who\"><div class=\"name\">{name}</div>
<div class=\"kta\">{kta}</div>
<dl>{zone}<dt>Berlaku s.d.</dt><dd>31 Desember {year}</dd></dl></div>
<div class=\"qr\">{qr}<div class=\"hint\">Pindai untuk cek keaslian</div></div>
<div class=\"foot\">Cek: {shown_url}{hotline}</div>
</article>",
        office = esc(&sheet.office.name),
        name = esc(&card.name),
        kta = esc(&card.kta_number),
        year = card.valid_until.year(),
        qr = qr(&card.check_url)?,
        shown_url = esc(shown_url),
    ))
}

/// On screen only: the QR holds the address this page was asked at, not the public one.
fn public_url_warning(sheet: &CardSheet) -> String {
    match (sheet.public_url_set, sheet.cards.first()) {
        (false, Some(card)) => format!(
            "<p class=\"warning\">PARKIR_PUBLIC_URL belum diatur: QR kartu menunjuk ke {}. Atur alamat publik layanan sebelum mencetak kartu untuk dipakai.</p>",
            esc(&card.check_url)
        ),
        _ => String::new(),
    }
}

/// One card on a page of its own size (for a card printer, or to cut from plain paper).
pub fn single_page(sheet: &CardSheet) -> Result<String, String> {
    let cards = sheet
        .cards
        .iter()
        .map(|c| {
            Ok(format!(
                "<div class=\"single\">{}</div>",
                card_html(sheet, c)?
            ))
        })
        .collect::<Result<String, String>>()?;
    let title = sheet
        .cards
        .first()
        .map(|c| format!("KTA {}", c.kta_number))
        .unwrap_or_else(|| "KTA".into());
    Ok(page(
        &title,
        &format!("{}{cards}", public_url_warning(sheet)),
    ))
}

/// A zone's cards, eight to an A4 sheet, in the order given.
pub fn sheet_page(sheet: &CardSheet) -> Result<String, String> {
    let zone = sheet.zone.as_deref().unwrap_or_default();
    let body = if sheet.cards.is_empty() {
        format!(
            "<div class=\"sheet\"><p class=\"empty\">Belum ada juru parkir aktif yang bertugas di {}.</p></div>",
            esc(zone)
        )
    } else {
        sheet
            .cards
            .chunks(PER_SHEET)
            .map(|chunk| {
                let cards = chunk
                    .iter()
                    .map(|c| card_html(sheet, c))
                    .collect::<Result<String, String>>()?;
                Ok(format!("<section class=\"sheet\">{cards}</section>"))
            })
            .collect::<Result<String, String>>()?
    };
    Ok(page(
        &format!("KTA {zone}"),
        &format!("{}{body}", public_url_warning(sheet)),
    ))
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::identity::Card;

    fn card(name: &str) -> Card {
        Card {
            name: name.into(),
            kta_number: "001/KTA/2026".into(),
            zone: Some("Pasar <Angso> Duo".into()),
            photo: None,
            check_url: "https://parkir.example/cek/kta/001%2FKTA%2F2026".into(),
            valid_until: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        }
    }

    #[test]
    fn a_sheet_holds_eight_and_escapes_what_it_prints() {
        let sheet = CardSheet {
            office: crate::config::Office::default(),
            hotline: Some("0811-7400-100".into()),
            public_url_set: true,
            zone: Some("Pasar".into()),
            cards: (0..9).map(|i| card(&format!("Jukir {i}"))).collect(),
        };
        let html = sheet_page(&sheet).unwrap();
        assert_eq!(html.matches("<section class=\"sheet\">").count(), 2);
        assert_eq!(html.matches("<article class=\"card\"").count(), 9);
        assert!(html.contains("Pasar &lt;Angso&gt; Duo"));
        assert!(html.contains("31 Desember 2026"));
        assert!(html.contains(
            "Cek: parkir.example/cek/kta/001%2FKTA%2F2026<br>Pengaduan Dishub: 0811-7400-100"
        ));
        assert!(!html.contains("PARKIR_PUBLIC_URL"));
    }
}
