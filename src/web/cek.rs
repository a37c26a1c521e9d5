//! `GET /cek/{spot_code}`: the citizen check (SPEC §13), rendered on the server so it works
//! without JavaScript on a weak signal; its form posts back to the same address. One small
//! stylesheet, cached for a year under its hash; no script at all.

use std::sync::OnceLock;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::html::esc;
use super::pages::{Asset, Page};
use crate::domain::{Hotline, ReportKind};
use crate::error::ApiError;
use crate::services::citizen::{self as service, PublicSpot, ReportInput};
use crate::services::identity::PublicAttendant;
use crate::state::AppState;

mod kta;

pub use kta::{card_page, kta_landing, post_card};

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

/// The page's address for a code, ready for an attribute (`/cek/JMB-PSR-001`).
fn cek_href(code: &str) -> String {
    esc(&format!("/cek/{}", crate::domain::path_segment(code)))
}

/// What the form had and what was wrong with it, to show again.
#[derive(Default)]
struct FormState {
    kind: String,
    note: String,
    amount: String,
    /// (where it is shown: `kind`, `amount_asked`, `note` or `form`; the message)
    errors: Vec<(String, String)>,
}

impl FormState {
    /// The message next to a field.
    fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| format!("<p class=\"error\">{}</p>", esc(m)))
            .collect()
    }

    /// Every message at the top of the form, each linked to its field: the form's address ends
    /// in `#lapor`, so a phone lands here after a refused submit, not two screens above.
    fn summary(&self) -> String {
        if self.errors.is_empty() {
            return String::new();
        }
        let items: String = self
            .errors
            .iter()
            .map(|(field, m)| {
                let anchor = match field.as_str() {
                    "kind" => Some("kind"),
                    "amount_asked" => Some("amount"),
                    "note" => Some("note"),
                    _ => None,
                };
                match anchor {
                    Some(id) => format!("<li><a href=\"#{id}\">{}</a></li>", esc(m)),
                    None => format!("<li>{}</li>", esc(m)),
                }
            })
            .collect();
        format!(
            "<div class=\"error-summary\" role=\"alert\"><strong>Laporan belum terkirim</strong><ul>{items}</ul></div>"
        )
    }
}

/// What a report form is about: an official spot, or a code no spot has (SPEC §13: the form is
/// offered there too, and the report carries the code as its location).
enum Subject<'a> {
    Spot(&'a PublicSpot),
    Unregistered(&'a str),
    /// A KTA card checked at `/cek/kta/{kta}` (SPEC §16) or `/cek/kta/{city}/{kta}` (§17),
    /// its holder if the number is issued.
    Card(&'a str, Option<&'a str>, Option<&'a PublicAttendant>),
}

impl Subject<'_> {
    /// Where the form posts: the page's own address.
    fn action(&self) -> String {
        match self {
            Self::Spot(s) => cek_href(&s.code),
            Self::Unregistered(code) => cek_href(code),
            Self::Card(kta, city, _) => esc(&crate::services::identity::check_path(*city, kta)),
        }
    }
}

/// The report form, posting back to the page's own address.
fn report_form(subject: &Subject, form: &FormState) -> String {
    let (kinds, intro, note_label): (&[ReportKind], String, &str) = match subject {
        Subject::Spot(_) => (
            &ReportKind::ALL,
            String::new(),
            "Keterangan (opsional, maks. 500 huruf)",
        ),
        Subject::Unregistered(code) => (
            &ReportKind::WITHOUT_SPOT,
            format!(
                "<p class=\"muted\">Laporan dicatat dengan lokasi “{}”. Tulis nama jalan atau patokan di keterangan.</p>",
                esc(code)
            ),
            "Keterangan (opsional, maks. 500 huruf): nama jalan, patokan, ciri-ciri juru parkir",
        ),
        Subject::Card(kta, _, _) => (
            &ReportKind::WITHOUT_SPOT,
            format!(
                "<p class=\"muted\">Laporan dicatat dengan kartu KTA “{}”. Tulis di mana kartu ini ditunjukkan (nama jalan atau patokan) di keterangan.</p>",
                esc(kta)
            ),
            "Keterangan (opsional, maks. 500 huruf): lokasi, ciri-ciri orang yang menunjukkan kartu",
        ),
    };
    let kinds: String = kinds
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
        "<section class=\"card\" id=\"lapor\"><h2>Laporkan</h2>{intro}{summary}
<form method=\"post\" action=\"{action}#lapor\">
<div class=\"kinds\" id=\"kind\">{kinds}</div>{kind_error}
<label for=\"amount\">Diminta membayar (Rp, opsional)</label>
<input id=\"amount\" name=\"amount_asked\" type=\"number\" min=\"0\" max=\"10000000\" step=\"1\" inputmode=\"numeric\" value=\"{amount}\">{amount_error}
<label for=\"note\">{note_label}</label>
<textarea id=\"note\" name=\"note\" maxlength=\"500\">{note}</textarea>{note_error}
<div class=\"hp\" aria-hidden=\"true\"><label>Jangan diisi <input name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></label></div>
<button type=\"submit\">Kirim laporan</button>
<p class=\"muted\">Tanpa identitas: alamat Anda tidak disimpan.</p>
</form></section>",
        summary = form.summary(),
        action = subject.action(),
        amount = esc(&form.amount),
        note = esc(&form.note),
        kind_error = form.error("kind"),
        amount_error = form.error("amount_asked"),
        note_error = form.error("note"),
    )
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
            "{face}<p class=\"duty\">Juru parkir bertugas: <strong>{name}</strong><br><span class=\"muted\">No. KTA <a href=\"{check}\">{kta}</a></span></p>",
            face = face_html(
                &a.name,
                a.photo_url
                    .as_ref()
                    .map(|_| crate::services::identity::public_photo_path(
                        a.city_code.as_deref(),
                        &a.kta_number
                    ))
                    .as_deref()
            ),
            name = esc(&a.name),
            check = esc(&crate::services::identity::check_path(
                a.city_code.as_deref(),
                &a.kta_number
            )),
            kta = esc(&a.kta_number)
        ),
        None => "<p class=\"duty none\">Tidak ada juru parkir resmi bertugas saat ini.</p>".into(),
    };
    let nmid = s
        .nmid
        .as_deref()
        .map(|n| format!("<div class=\"nmid\">NMID {}</div>", esc(n)))
        .unwrap_or_default();
    format!(
        "<section class=\"card\"><h1>{code}</h1><p class=\"muted\">{name} · {zone}</p>{status}</section>
<section class=\"card\"><h2>Tarif resmi</h2><ul class=\"tariffs\">{tariffs}</ul></section>
<section class=\"card\"><h2>Bayar dengan QRIS</h2><p class=\"muted\">Pastikan nama di aplikasi Anda sama:</p>
<div class=\"merchant\"><div class=\"name\">{merchant}</div>{nmid}<div class=\"muted\">Terminal {terminal}</div></div>
<p class=\"muted\">Nama lain atau nama pribadi? Jangan bayar, laporkan di bawah.</p></section>
<section class=\"card\">{duty}</section>
{form}",
        code = esc(&s.code),
        name = esc(&s.name),
        zone = esc(&s.zone),
        merchant = esc(&s.merchant_name),
        terminal = esc(&s.terminal_id),
        form = report_form(&Subject::Spot(s), form),
    )
}

/// The attendant's face, when they agreed to show it (SPEC §16), to compare with whoever
/// asks for money.
fn face_html(name: &str, photo_url: Option<&str>) -> String {
    match photo_url {
        Some(url) => format!(
            "<img class=\"face\" src=\"{}\" alt=\"Foto {}\" width=\"150\" height=\"200\">",
            esc(url),
            esc(name)
        ),
        None => String::new(),
    }
}

/// The city's hotline, to call or (a mobile number) to write on WhatsApp.
fn hotline_html(hotline: Option<&Hotline>) -> String {
    let Some(h) = hotline else {
        return String::new();
    };
    let whatsapp = h
        .whatsapp_href()
        .map(|href| format!(" <a class=\"call\" href=\"{}\">WhatsApp</a>", esc(href)))
        .unwrap_or_default();
    format!(
        "<p>Pengaduan Dishub: <strong>{shown}</strong></p><p class=\"hotline\"><a class=\"call\" href=\"{tel}\">Telepon</a>{whatsapp}</p>",
        shown = esc(h.shown()),
        tel = esc(&h.tel_href()),
    )
}

fn unregistered_html(code: &str, hotline: Option<&Hotline>, form: &FormState) -> String {
    format!(
        "<section class=\"card\"><h1>Kode {code} tidak terdaftar</h1>
<p>Kode ini bukan titik parkir resmi Dinas Perhubungan. Periksa lagi kode di papan titik parkir
(contoh: JMB-PSR-001).</p><p>Jika papan atau QR tampak palsu, atau ada yang meminta bayaran di sini, jangan bayar dan laporkan ke Dishub.</p>{hotline}</section>
{form}",
        code = esc(code),
        hotline = hotline_html(hotline),
        form = report_form(&Subject::Unregistered(code), form),
    )
}

fn respond(status: StatusCode, title: &str, body: &str) -> HttpResponse {
    cek().render(status, &[("{{TITLE}}", &esc(title)), ("{{BODY}}", body)])
}

/// The page of a spot or of an unregistered code, with the form as it stands.
fn form_page(
    status: StatusCode,
    subject: &Subject,
    hotline: Option<&Hotline>,
    form: &FormState,
) -> HttpResponse {
    match subject {
        Subject::Spot(spot) => respond(
            status,
            &format!("Cek {}", spot.code),
            &spot_html(spot, form),
        ),
        Subject::Unregistered(code) => respond(
            status,
            "Titik tidak ditemukan",
            &unregistered_html(code, hotline, form),
        ),
        Subject::Card(kta, city, found) => respond(
            status,
            &format!("Cek KTA {kta}"),
            &kta::card_html(kta, *city, *found, hotline, form),
        ),
    }
}

fn trouble(e: &ApiError) -> HttpResponse {
    respond(
        actix_web::ResponseError::status_code(e),
        "Gangguan",
        "<section class=\"card\"><h1>Sedang ada gangguan</h1><p>Coba lagi beberapa saat lagi.</p></section>",
    )
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let code = code.into_inner();
    let base = super::extract::public_base(&req, &state);
    match service::public_spot(&state, code.clone(), base).await {
        // People type codes in any case; the page lives at the code as printed (SPEC §13).
        Ok(spot) if spot.code != code => HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, format!("/cek/{}", spot.code)))
            .finish(),
        Ok(spot) => form_page(
            StatusCode::OK,
            &Subject::Spot(&spot),
            None,
            &FormState::default(),
        ),
        // Not registered, and still the place to report it (SPEC §13).
        Err(ApiError::NotFound(_)) => form_page(
            StatusCode::NOT_FOUND,
            &Subject::Unregistered(&code),
            service::hotline_of_sign(&state, code.clone())
                .await
                .as_ref(),
            &FormState::default(),
        ),
        Err(e) => trouble(&e),
    }
}

/// `GET /cek?code=`: the code as typed.
#[derive(Deserialize)]
pub struct Lookup {
    code: Option<String>,
    /// A KTA number as typed from an attendant's card (SPEC §16).
    kta: Option<String>,
}

fn landing_html(typed: &str, error: Option<&str>) -> String {
    format!(
        "<section class=\"card\"><h1>Cek titik parkir</h1>
<p>Ketik kode di papan titik parkir (contoh: JMB-PSR-001) untuk melihat tarif resmi, nama QRIS resmi, dan juru parkir yang bertugas.</p>
<form method=\"get\" action=\"/cek\">
<label for=\"code\">Kode titik</label>
<input id=\"code\" name=\"code\" type=\"text\" autocapitalize=\"characters\" autocomplete=\"off\" maxlength=\"25\" value=\"{}\" required>{}
<button type=\"submit\">Cek</button>
</form></section>
<section class=\"card\"><h2>Cek kartu juru parkir</h2>
<p>Ketik nomor KTA di kartu juru parkir (atau pindai QR di kartunya) untuk melihat apakah ia juru parkir resmi.</p>
<form method=\"get\" action=\"/cek\">
<label for=\"kta\">No. KTA</label>
<input id=\"kta\" name=\"kta\" type=\"text\" autocapitalize=\"characters\" autocomplete=\"off\" maxlength=\"32\" required>
<button type=\"submit\">Cek kartu</button>
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
    if let Some(kta) = query
        .kta
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        return HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                crate::services::identity::check_path(None, kta),
            ))
            .finish();
    }
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
    let path = crate::domain::path_segment(&code);
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

/// `POST /cek/{code}`: a report about the spot, or, for a code no spot has, a report without
/// a spot whose location is the code as typed (SPEC §13). Answers with a page: the reference,
/// or the form again with what was wrong.
pub async fn post(
    same_site: Result<super::extract::SameSite, ApiError>,
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Bytes,
) -> HttpResponse {
    let code = code.into_inner();
    if same_site.is_err() {
        return foreign_form();
    }
    let base = super::extract::public_base(&req, &state);
    let spot = match service::public_spot(&state, code.clone(), base).await {
        Ok(s) => Some(s),
        Err(ApiError::NotFound(_)) => None,
        Err(e) => return trouble(&e),
    };
    let subject = match &spot {
        Some(s) => Subject::Spot(s),
        None => Subject::Unregistered(&code),
    };
    receive(&req, &state, &subject, &form).await
}

fn foreign_form() -> HttpResponse {
    respond(
        StatusCode::FORBIDDEN,
        "Ditolak",
        "<section class=\"card\"><h1>Laporan ditolak</h1><p>Laporan hanya dapat dikirim dari halaman cek resmi ini.</p></section>",
    )
}

/// Takes in a report form about `subject`: the reference on a page, or the form again with
/// what was wrong.
async fn receive(
    req: &HttpRequest,
    state: &AppState,
    subject: &Subject<'_>,
    form: &[u8],
) -> HttpResponse {
    let hotline = match subject {
        Subject::Spot(s) => service::hotline_of_sign(state, s.code.clone()).await,
        Subject::Unregistered(code) => service::hotline_of_sign(state, (*code).to_owned()).await,
        Subject::Card(..) => crate::services::cities::letterhead(state)
            .await
            .ok()
            .and_then(|l| l.hotline),
    };
    let hotline = hotline.as_ref();
    // Text PostgreSQL can hold, or the field is named on the page (SPEC §10).
    if let Err(field) = super::extract::check_form(form) {
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
        return form_page(StatusCode::BAD_REQUEST, subject, hotline, &shown);
    }
    let f: ReportForm = serde_urlencoded::from_bytes(form).unwrap_or_default();
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
    let (spot_code, location) = match subject {
        Subject::Spot(s) => (Some(s.code.clone()), None),
        Subject::Unregistered(code) => (None, Some((*code).to_owned())),
        Subject::Card(kta, _, _) => (None, Some(format!("KTA {kta}"))),
    };
    let input = ReportInput {
        spot_code,
        location,
        kind: f.kind.unwrap_or_default(),
        note: f.note,
        amount_asked: amount,
        website: f.website,
    };
    let client = super::extract::client_address(req, state);
    match service::submit(state, input, client).await {
        Ok(received) => {
            let (about, back) = match subject {
                Subject::Spot(s) => (
                    format!("titik {}", esc(&s.code)),
                    format!(
                        "<a href=\"{}\">Kembali ke titik {}</a>",
                        cek_href(&s.code),
                        esc(&s.code)
                    ),
                ),
                Subject::Unregistered(code) => (
                    format!("lokasi “{}”", esc(code)),
                    "<a href=\"/cek\">Cek titik lain</a>".to_owned(),
                ),
                Subject::Card(kta, _, _) => (
                    format!("kartu KTA “{}”", esc(kta)),
                    "<a href=\"/cek\">Cek titik parkir</a>".to_owned(),
                ),
            };
            respond(
                StatusCode::CREATED,
                "Laporan diterima",
                &format!(
                    "<section class=\"card ok\"><h1>Terima kasih</h1><p>Laporan Anda tentang {about} sudah kami terima dan akan diperiksa petugas Dishub.</p>
<p>Nomor laporan Anda:</p><p class=\"ref\">{reference}</p><p class=\"muted\">Sebutkan nomor ini bila menghubungi Dishub.</p>
<p>{back}</p></section>",
                    reference = esc(&received.reference),
                ),
            )
        }
        Err(e) => {
            let status = actix_web::ResponseError::status_code(&e);
            shown.errors = match &e {
                ApiError::Validation(errors) => {
                    errors.iter().map(|fe| shown_error(&fe.field)).collect()
                }
                ApiError::TooManyRequests { .. } => vec![(
                    "form".into(),
                    "Terlalu banyak laporan dari jaringan Anda. Coba lagi nanti.".into(),
                )],
                _ => vec![("form".into(), "Sedang ada gangguan. Coba lagi.".into())],
            };
            form_page(status, subject, hotline, &shown)
        }
    }
}

/// Where the form shows the service's complaint about `field`, and what it says, in the
/// citizen's language.
fn shown_error(field: &str) -> (String, String) {
    let (at, message) = match field {
        "kind" => ("kind", "Pilih jenis laporan."),
        "note" => ("note", "Keterangan paling banyak 500 huruf."),
        "amount_asked" => (
            "amount_asked",
            "Isi jumlah rupiah dengan angka bulat (0–10.000.000).",
        ),
        // Only a hand-made post sends another kind for a code no spot has.
        "spot_code" => ("kind", "Pilih salah satu jenis laporan di atas."),
        "location" => (
            "form",
            "Kode di alamat halaman ini tidak dapat dicatat sebagai lokasi (paling banyak 200 huruf, tanpa karakter khusus). Ketik ulang kodenya di halaman /cek.",
        ),
        _ => ("form", "Laporan tidak dapat dikirim."),
    };
    (at.to_owned(), message.to_owned())
}

/// The page's weight in bytes (HTML template and stylesheet).
pub fn weight() -> usize {
    cek().total_bytes()
}
