//! Answers in the caller's language (SPEC §11.1): with `Accept-Language: id` every problem's
//! `title`, `detail` and `errors[].message` is in Bahasa Indonesia, English otherwise. The
//! code writes its messages in English once; [`catalogue::ID`] holds their Bahasa twins, and
//! [`problems`] rewrites a problem document on its way out. Nothing else is translated here:
//! pages are written in Bahasa, and exports take `lang=id`.

mod catalogue;
mod catalogue_cities;
mod catalogue_payouts_cards;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;

/// The languages an answer can be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Id,
}

impl Lang {
    /// The caller's first choice in `Accept-Language` (`id`, `id-ID`, `in`), else English.
    pub fn from_header(value: Option<&str>) -> Self {
        let first = value
            .and_then(|v| {
                let mut ranges: Vec<(&str, f32)> = v
                    .split(',')
                    .filter_map(|range| {
                        let mut parts = range.split(';');
                        let tag = parts.next()?.trim();
                        let q = parts
                            .find_map(|p| p.trim().strip_prefix("q="))
                            .and_then(|q| q.parse().ok())
                            .unwrap_or(1.0);
                        (!tag.is_empty() && q > 0.0).then_some((tag, q))
                    })
                    .collect();
                // Stable: among equal weights the first named wins.
                ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
                ranges.first().map(|(tag, _)| *tag)
            })
            .unwrap_or("en");
        let primary = first.split('-').next().unwrap_or("").to_ascii_lowercase();
        if primary == "id" || primary == "in" {
            Self::Id
        } else {
            Self::En
        }
    }
}

/// `message` in `lang`: the catalogue's line whose English pattern matches, with the values
/// put back; a message the catalogue lacks stays as it is.
pub fn translate(message: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return message.to_owned();
    }
    catalogue::ID
        .iter()
        .chain(catalogue_payouts_cards::ID)
        .chain(catalogue_cities::ID)
        .find_map(|(en, id)| matches(en, message).map(|values| fill(id, &values)))
        .unwrap_or_else(|| message.to_owned())
}

/// The values the `{}` holes of `pattern` take in `text`, if `text` has its shape. A hole
/// takes the shortest run that lets the literal after it follow.
fn matches<'t>(pattern: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let mut pieces = pattern.split("{}");
    let head = pieces.next().unwrap_or("");
    let mut rest = text.strip_prefix(head)?;
    let mut values = Vec::new();
    let literals: Vec<&str> = pieces.collect();
    if literals.is_empty() {
        return rest.is_empty().then_some(values);
    }
    for (i, literal) in literals.iter().enumerate() {
        let last = i + 1 == literals.len();
        let end = if literal.is_empty() && last {
            rest.len()
        } else if last {
            // The last literal ends the text.
            if !rest.ends_with(literal) {
                return None;
            }
            rest.len() - literal.len()
        } else {
            rest.find(literal)?
        };
        if end == 0 {
            return None;
        }
        values.push(&rest[..end]);
        rest = &rest[end + literal.len()..];
    }
    Some(values)
}

fn fill(pattern: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut values = values.iter();
    let mut pieces = pattern.split("{}");
    out.push_str(pieces.next().unwrap_or(""));
    for piece in pieces {
        out.push_str(values.next().copied().unwrap_or(""));
        out.push_str(piece);
    }
    out
}

/// Rewrites a problem document (`application/problem+json`) into the caller's language.
/// Every other answer passes untouched.
pub async fn problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> actix_web::Result<ServiceResponse<BoxBody>> {
    let lang = Lang::from_header(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let res = next.call(req).await?;
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|ct| ct.as_bytes().starts_with(b"application/problem+json"));
    if lang == Lang::En || !is_problem {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes_limited(body, 256 * 1024)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("problem body too large"))?
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.into().to_string()))?;
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(mut doc) => {
            translate_problem(&mut doc, lang);
            serde_json::to_vec(&doc).unwrap_or_else(|_| bytes.to_vec())
        }
        Err(_) => bytes.to_vec(),
    };
    let mut res = head.set_body(BoxBody::new(body));
    res.headers_mut().remove(header::CONTENT_LENGTH);
    res.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        header::HeaderValue::from_static("id"),
    );
    Ok(ServiceResponse::new(req, res))
}

/// The problem's title, each field message, and the detail: a validation problem's detail
/// lists the fields again, so it is built anew from the translated messages.
fn translate_problem(doc: &mut serde_json::Value, lang: Lang) {
    let Some(doc) = doc.as_object_mut() else {
        return;
    };
    if let Some(title) = doc.get("title").and_then(|t| t.as_str()) {
        let title = translate(title, lang);
        doc.insert("title".into(), title.into());
    }
    let mut summary = Vec::new();
    if let Some(errors) = doc.get_mut("errors").and_then(|e| e.as_array_mut()) {
        for error in errors {
            let field = error["field"].as_str().unwrap_or("").to_owned();
            if let Some(message) = error.get("message").and_then(|m| m.as_str()) {
                let message = translate(message, lang);
                summary.push(format!("{field}: {message}"));
                error["message"] = message.into();
            }
        }
    }
    let validation = doc.get("code").and_then(|c| c.as_str()) == Some("validation_failed");
    let detail = if validation && !summary.is_empty() {
        summary.join("; ")
    } else {
        doc.get("detail")
            .and_then(|d| d.as_str())
            .map(|d| translate(d, lang))
            .unwrap_or_default()
    };
    doc.insert("detail".into(), detail.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_choice_of_accept_language_decides() {
        assert_eq!(Lang::from_header(Some("id")), Lang::Id);
        assert_eq!(Lang::from_header(Some("id-ID,id;q=0.9,en;q=0.8")), Lang::Id);
        assert_eq!(Lang::from_header(Some("en-US,id;q=0.5")), Lang::En);
        assert_eq!(Lang::from_header(Some("en;q=0.4, id")), Lang::Id);
        assert_eq!(Lang::from_header(None), Lang::En);
        assert_eq!(Lang::from_header(Some("")), Lang::En);
    }

    #[test]
    fn messages_take_their_values_along() {
        let id = |m| translate(m, Lang::Id);
        assert_eq!(id("must be exactly 16 digits"), "harus 16 digit");
        assert_eq!(
            id("must be at most 100 characters"),
            "paling banyak 100 karakter"
        );
        assert_eq!(
            id("this needs the role admin; you are auditor"),
            "perlu peran admin; peran Anda auditor"
        );
        assert_eq!(
            id("must be a whole rupiah amount from 1 to 100000000"),
            "harus rupiah bulat dari 1 sampai 100000000"
        );
        assert_eq!(id("nik is already in use"), "sudah dipakai");
        // A status is said in words, not as the API's value.
        assert_eq!(
            id("payout run 7 is approved: only a draft can be approved"),
            "bagi hasil 7 sudah disetujui: hanya draf yang dapat disetujui"
        );
        assert_eq!(
            id("attendant 3 is suspended: cards are printed for active attendants only"),
            "jukir 3 sedang diskors: kartu hanya dicetak untuk jukir aktif"
        );
        assert_eq!(id("something new"), "something new");
        assert_eq!(
            translate("must be exactly 16 digits", Lang::En),
            "must be exactly 16 digits"
        );
    }

    #[test]
    fn a_pattern_matches_the_whole_message_only() {
        assert_eq!(matches("is required", "is required"), Some(vec![]));
        assert_eq!(matches("is required", "is required: no"), None);
        assert_eq!(
            matches("zone {} does not exist", "zone 7 does not exist"),
            Some(vec!["7"])
        );
        assert_eq!(
            matches("zone {} does not exist", "zone  does not exist"),
            None
        );
        assert_eq!(
            matches("{} is already closed", "2026-11-30 is already closed"),
            Some(vec!["2026-11-30"])
        );
    }
}
