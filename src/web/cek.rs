//! `GET /cek/{spot_code}`: the citizen check (SPEC §13), rendered on the server so it works
//! without JavaScript on a weak signal; its form posts back to the same address. One small
//! stylesheet, cached for a year under its hash; no script at all.

use std::sync::OnceLock;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::pages::{Asset, Page};
use crate::domain::ReportKind;
use crate::error::ApiError;
use crate::services::citizen::{self as service, PublicSpot, ReportInput};
use crate::state::AppState;

static ASSETS: [Asset; 1] = [Asset {
    placeholder: "{{CSS_HASH}}",
    stem: "cek",
    ext: "css",
    body: include_str!("cek/cek.css"),
    content_type: "text/css; charset=utf-8",
}];

fn cek() -> &'static Page {
    static PAGE: OnceLock<Page> = OnceLock::new();
    PAGE.get_or_init(|| Page::new(include_str!("cek/page.html"), &ASSETS))
}

pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    cek().asset(&name)
}

/// Text for HTML: the five characters that could end an element or an attribute.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// What the form had and what was wrong with it, to show again.
#[derive(Default)]
struct FormState {
    kind: String,
    note: String,
    amount: String,
    errors: Vec<(String, String)>,
}

impl FormState {
    fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(m)))
            .collect()
    }
}

fn spot_html(s: &PublicSpot, form: &FormState) -> String {
    let status = if s.active {
        "<span class=\"status on\">Titik resmi · aktif</span>"
    } else {
        "<span class=\"status off\">Titik tidak aktif</span>"
    };
    let tariffs: String = s
        .tariffs
        .as_object()
        .map(|t| {
            t.iter()
                .map(|(class, v)| {
                    format!(
                        "<li>{}<b>{}</b></li>",
                        esc(&crate::qris::poster::vehicle_label(class)),
                        crate::domain::Rupiah(v.as_i64().unwrap_or(0)).display_id()
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let duty = match &s.attendant {
        Some(a) => format!(
            "<p class=\"duty\">Juru parkir bertugas: <strong>{}</strong><br><span class=\"muted\">KTA {}</span></p>",
            esc(&a.name),
            esc(&a.kta_number)
        ),
        None => "<p class=\"duty none\">Tidak ada juru parkir resmi bertugas saat ini.</p>".into(),
    };
    let nmid = s
        .nmid
        .as_deref()
        .map(|n| format!("<div class=\"nmid\">NMID {}</div>", esc(n)))
        .unwrap_or_default();
    let kinds: String = ReportKind::ALL
        .iter()
        .map(|k| {
            format!(
                "<label><input type=\"radio\" name=\"kind\" value=\"{}\"{}> {}</label>",
                k.as_str(),
                if form.kind == k.as_str() {
                    " checked"
                } else {
                    ""
                },
                esc(k.label())
            )
        })
        .collect();
    format!(
        "<section class=\"card\"><h1>{code}</h1><p class=\"muted\">{name} · {zone}</p>{status}</section>
<section class=\"card\"><h2>Tarif resmi</h2><ul class=\"tariffs\">{tariffs}</ul></section>
<section class=\"card\"><h2>Bayar dengan QRIS</h2><p class=\"muted\">Pastikan nama di aplikasi Anda sama:</p>
<div class=\"merchant\"><div class=\"name\">{merchant}</div>{nmid}<div class=\"muted\">Terminal {terminal}</div></div>
<p class=\"muted\">Nama lain atau nama pribadi? Jangan bayar, laporkan di bawah.</p></section>
<section class=\"card\">{duty}</section>
<section class=\"card\"><h2>Laporkan</h2>
<form method=\"post\" action=\"/cek/{code_attr}\">
<div class=\"kinds\">{kinds}</div>{kind_error}
<label for=\"amount\">Diminta membayar (Rp, opsional)</label>
<input id=\"amount\" name=\"amount_asked\" type=\"number\" min=\"0\" max=\"10000000\" step=\"1\" inputmode=\"numeric\" value=\"{amount}\">{amount_error}
<label for=\"note\">Keterangan (opsional, maks. 500 huruf)</label>
<textarea id=\"note\" name=\"note\" maxlength=\"500\">{note}</textarea>{note_error}
<div class=\"hp\" aria-hidden=\"true\"><label>Jangan diisi <input name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></label></div>
{general}<button type=\"submit\">Kirim laporan</button>
<p class=\"muted\">Tanpa identitas: alamat Anda tidak disimpan.</p>
</form></section>",
        code = esc(&s.code),
        code_attr = esc(&s.code),
        name = esc(&s.name),
        zone = esc(&s.zone),
        merchant = esc(&s.merchant_name),
        terminal = esc(&s.terminal_id),
        amount = esc(&form.amount),
        note = esc(&form.note),
        kind_error = form.error("kind"),
        amount_error = form.error("amount_asked"),
        note_error = form.error("note"),
        general = form.error("form"),
    )
}

fn respond(status: StatusCode, title: &str, body: &str) -> HttpResponse {
    cek().render(status, &[("{{TITLE}}", &esc(title)), ("{{BODY}}", body)])
}

fn not_found(code: &str) -> HttpResponse {
    respond(
        StatusCode::NOT_FOUND,
        "Titik tidak ditemukan",
        &format!(
            "<section class=\"card\"><h1>Kode {} tidak terdaftar</h1>
<p>Kode ini bukan titik parkir resmi Dinas Perhubungan. Periksa lagi kode di papan titik parkir
(contoh: JMB-PSR-001).</p><p>Jika papan atau QR tampak palsu, jangan bayar dan laporkan ke Dishub.</p></section>",
            esc(code)
        ),
    )
}

pub async fn page(state: web::Data<AppState>, code: web::Path<String>) -> HttpResponse {
    let code = code.into_inner();
    match service::public_spot(&state, code.clone()).await {
        // People type codes in any case; the page lives at the code as printed (SPEC §13).
        Ok(spot) if spot.code != code => HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, format!("/cek/{}", spot.code)))
            .finish(),
        Ok(spot) => respond(
            StatusCode::OK,
            &format!("Cek {}", spot.code),
            &spot_html(&spot, &FormState::default()),
        ),
        Err(ApiError::NotFound(_)) => not_found(&code),
        Err(e) => respond(
            actix_web::ResponseError::status_code(&e),
            "Gangguan",
            "<section class=\"card\"><h1>Sedang ada gangguan</h1><p>Coba lagi beberapa saat lagi.</p></section>",
        ),
    }
}

/// `GET /cek?code=`: the code as typed.
#[derive(Deserialize)]
pub struct Lookup {
    code: Option<String>,
}

fn landing_html(typed: &str, error: Option<&str>) -> String {
    format!(
        "<section class=\"card\"><h1>Cek titik parkir</h1>
<p>Ketik kode di papan titik parkir (contoh: JMB-PSR-001) untuk melihat tarif resmi, nama QRIS resmi, dan juru parkir yang bertugas.</p>
<form method=\"get\" action=\"/cek\">
<label for=\"code\">Kode titik</label>
<input id=\"code\" name=\"code\" type=\"text\" autocapitalize=\"characters\" autocomplete=\"off\" maxlength=\"25\" value=\"{}\" required>{}
<button type=\"submit\">Cek</button>
</form></section>",
        esc(typed),
        error
            .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e)))
            .unwrap_or_default()
    )
}

/// `GET /cek`: a field for the code on the sign; `GET /cek?code=x` answers 303 to `/cek/X`
/// (SPEC §13), where an unknown code says so.
pub async fn landing(query: web::Query<Lookup>) -> HttpResponse {
    let typed = query.code.as_deref().map(str::trim).unwrap_or_default();
    if query.code.is_none() {
        return respond(StatusCode::OK, "Cek titik parkir", &landing_html("", None));
    }
    if typed.is_empty() {
        return respond(
            StatusCode::BAD_REQUEST,
            "Cek titik parkir",
            &landing_html("", Some("Isi kode titik dari papan parkir.")),
        );
    }
    let code = typed.to_uppercase();
    // Codes are letters, digits, '-', '_' and '.'; anything else typed is escaped.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    let path = percent_encoding::utf8_percent_encode(&code, SEGMENT);
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/cek/{path}")))
        .finish()
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    kind: Option<String>,
    note: Option<String>,
    amount_asked: Option<String>,
    website: Option<String>,
}

pub async fn post(
    same_site: Result<super::extract::SameSite, ApiError>,
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Bytes,
) -> HttpResponse {
    let code = code.into_inner();
    if same_site.is_err() {
        return respond(
            StatusCode::FORBIDDEN,
            "Ditolak",
            "<section class=\"card\"><h1>Laporan ditolak</h1><p>Laporan hanya dapat dikirim dari halaman cek resmi ini.</p></section>",
        );
    }
    let spot = match service::public_spot(&state, code.clone()).await {
        Ok(s) => s,
        Err(_) => return not_found(&code),
    };
    // Text PostgreSQL can hold, or the field is named on the page (SPEC §10).
    if let Err(field) = super::extract::check_form(&form) {
        let shown_at = match field.as_str() {
            "kind" | "note" | "amount_asked" => field,
            _ => "form".to_owned(),
        };
        let shown = FormState {
            errors: vec![(
                shown_at,
                "Isian memuat karakter yang tidak terbaca; ketik ulang.".to_owned(),
            )],
            ..FormState::default()
        };
        return respond(
            StatusCode::BAD_REQUEST,
            &format!("Cek {}", spot.code),
            &spot_html(&spot, &shown),
        );
    }
    let f: ReportForm = serde_urlencoded::from_bytes(&form).unwrap_or_default();
    let mut shown = FormState {
        kind: f.kind.clone().unwrap_or_default(),
        note: f.note.clone().unwrap_or_default(),
        amount: f.amount_asked.clone().unwrap_or_default(),
        errors: vec![],
    };
    let amount = match f.amount_asked.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) => Some(serde_json::Value::from(n)),
            Err(_) => Some(serde_json::Value::from(raw)),
        },
    };
    let input = ReportInput {
        spot_code: Some(spot.code.clone()),
        location: None,
        kind: f.kind.unwrap_or_default(),
        note: f.note,
        amount_asked: amount,
        website: f.website,
    };
    let client = super::extract::client_address(&req, &state);
    match service::submit(&state, input, client).await {
        Ok(received) => respond(
            StatusCode::CREATED,
            "Laporan diterima",
            &format!(
                "<section class=\"card ok\"><h1>Terima kasih</h1><p>Laporan Anda tentang {} sudah kami terima dan akan diperiksa petugas Dishub.</p>
<p>Nomor laporan Anda:</p><p class=\"ref\">{}</p><p class=\"muted\">Sebutkan nomor ini bila menghubungi Dishub.</p>
<p><a href=\"/cek/{}\">Kembali ke titik {}</a></p></section>",
                esc(&spot.code),
                esc(&received.reference),
                esc(&spot.code),
                esc(&spot.code)
            ),
        ),
        Err(e) => {
            let status = actix_web::ResponseError::status_code(&e);
            shown.errors = match &e {
                ApiError::Validation(errors) => errors
                    .iter()
                    .map(|fe| (fe.field.clone(), indonesian(&fe.field)))
                    .collect(),
                ApiError::TooManyRequests { .. } => vec![(
                    "form".into(),
                    "Terlalu banyak laporan dari jaringan Anda. Coba lagi nanti.".into(),
                )],
                _ => vec![("form".into(), "Sedang ada gangguan. Coba lagi.".into())],
            };
            respond(
                status,
                &format!("Cek {}", spot.code),
                &spot_html(&spot, &shown),
            )
        }
    }
}

/// The form's messages, in the citizen's language.
fn indonesian(field: &str) -> String {
    match field {
        "kind" => "Pilih jenis laporan.".into(),
        "note" => "Keterangan paling banyak 500 huruf.".into(),
        "amount_asked" => "Isi jumlah rupiah dengan angka bulat (0–10.000.000).".into(),
        _ => "Laporan tidak dapat dikirim.".into(),
    }
}

/// The page's weight in bytes (HTML template and stylesheet).
pub fn weight() -> usize {
    cek().total_bytes()
}
