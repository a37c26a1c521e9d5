//! `GET/POST /cek/kta/{kta}`: the public check of a KTA card (SPEC §16), where the card's QR
//! leads — the verdict, the holder's face and duty, the hotline and a report form.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

use super::{
    FormState, Subject, cek_href, face_html, foreign_form, form_page, hotline_html, receive,
    report_form, respond, trouble,
};
use crate::domain::Hotline;
use crate::error::ApiError;
use crate::services::identity::PublicAttendant;
use crate::state::AppState;
use crate::web::html::esc;

/// The verdict at the top of a card's page, readable at a glance in the sun.
fn verdict_html(status: Option<&str>) -> &'static str {
    match status {
        Some("active") => "<p class=\"verdict ok\">✔ JURU PARKIR RESMI</p>",
        Some("suspended") => "<p class=\"verdict bad\">✖ DISKORS: tidak boleh memungut parkir</p>",
        Some(_) => "<p class=\"verdict bad\">✖ KARTU TIDAK BERLAKU: tidak lagi bertugas</p>",
        None => "<p class=\"verdict bad\">✖ BUKAN JURU PARKIR RESMI</p>",
    }
}

/// `/cek/kta/{kta}`: who holds the card, whether they may collect, where they are on duty,
/// the hotline, and a report form (open at once when the card is not valid; folded for a
/// valid one, for a face or a name that does not match it).
pub(super) fn card_html(
    kta: &str,
    city: Option<&str>,
    found: Option<&PublicAttendant>,
    hotline: Option<&Hotline>,
    form: &FormState,
) -> String {
    let Some(a) = found else {
        return format!(
            "{verdict}<section class=\"card\"><h1>KTA {kta} tidak terdaftar</h1>
<p>Periksa lagi nomor di kartu. Bila sama persis, kartu ini tidak dikeluarkan Dinas Perhubungan dan orang yang menunjukkannya <strong>bukan juru parkir resmi</strong>.</p>
<p>Jangan bayar tunai kepadanya. Bayar hanya lewat QRIS resmi di papan titik parkir, atau laporkan ke Dishub.</p>{hotline}</section>
{form}",
            verdict = verdict_html(None),
            kta = esc(kta),
            hotline = hotline_html(hotline),
            form = report_form(&Subject::Card(kta, city, None), form),
        );
    };
    let active = a.status == "active";
    // The page's own address for the photo: the policy admits this origin only.
    let face = match &a.photo_url {
        Some(_) => face_html(
            &a.name,
            Some(&crate::services::identity::public_photo_path(
                a.city_code.as_deref(),
                &a.kta_number,
            )),
        ),
        None => "<p class=\"muted\">Foto tidak ditampilkan untuk umum.</p>".to_owned(),
    };
    let zone = a
        .zone
        .as_deref()
        .map(|z| format!("<p class=\"muted\">Wilayah tugas: {}</p>", esc(z)))
        .unwrap_or_default();
    let duty = match &a.spot_on_duty {
        Some(spot) => format!(
            "<p class=\"duty\">Bertugas sekarang di <a class=\"code\" href=\"{href}\">{code}</a><br><span class=\"muted\">{name}</span></p>{check}",
            href = cek_href(&spot.code),
            code = esc(&spot.code),
            name = esc(&spot.name),
            check = if a.photo_url.is_none() {
                format!(
                    "<p>Tanpa foto: pastikan ia memang berada di titik {}.</p>",
                    esc(&spot.code)
                )
            } else {
                String::new()
            },
        ),
        None if active => "<p class=\"duty none\">Tidak sedang bertugas saat ini.</p>".to_owned(),
        None => String::new(),
    };
    let advice = if active {
        "<p>Cocokkan wajah dan nama dengan orang yang meminta bayaran. Bayar hanya lewat QRIS resmi titik parkir.</p>"
    } else {
        "<p>Jangan bayar kepadanya. Laporkan ke Dishub.</p>"
    };
    let report = report_form(&Subject::Card(kta, a.city_code.as_deref(), Some(a)), form);
    // A valid card's form waits folded, unless it is being shown again with its errors.
    let report = if active && form.errors.is_empty() {
        format!(
            "<details class=\"card fold\"><summary>Wajah atau nama tidak cocok? Laporkan</summary>{report}</details>"
        )
    } else {
        report
    };
    format!(
        "{verdict}<section class=\"card who\">{face}<h1>{name}</h1><p class=\"muted\">No. KTA {kta}</p>{zone}</section>
<section class=\"card\">{duty}{advice}{hotline}</section>
{report}",
        verdict = verdict_html(Some(&a.status)),
        name = esc(&a.name),
        kta = esc(&a.kta_number),
        hotline = hotline_html(hotline),
    )
}

/// `GET /cek/kta/{kta}` or `/cek/kta/{city_code}/{kta}`: the public check of a KTA card
/// (SPEC §16, §17), where the card's QR leads; the card's city answers.
pub async fn card_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    match crate::services::identity::card_address(&state, path.into_inner()).await {
        Ok((acting, city, kta)) => {
            crate::state::in_city(acting, card_page_in(req, state, city, kta)).await
        }
        Err(e) => trouble(&e),
    }
}

async fn card_page_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    city: Option<String>,
    kta: String,
) -> HttpResponse {
    let base = crate::web::extract::public_base(&req, &state);
    let hotline = crate::services::cities::letterhead(&state)
        .await
        .ok()
        .and_then(|l| l.hotline);
    let hotline = hotline.as_ref();
    match crate::services::identity::public_attendant(&state, kta.clone(), base).await {
        // Typed in another case or with spaces: the page lives at the number as issued.
        Ok(a) if a.kta_number != kta => HttpResponse::MovedPermanently()
            .insert_header((
                header::LOCATION,
                crate::services::identity::check_path(city.as_deref(), &a.kta_number),
            ))
            .finish(),
        Ok(a) => form_page(
            StatusCode::OK,
            &Subject::Card(&kta, city.as_deref(), Some(&a)),
            hotline,
            &FormState::default(),
        ),
        Err(ApiError::NotFound(_)) if city.is_none() => {
            // Typed without its city: another city may have issued it.
            match crate::services::identity::cities_of_kta(&state, kta.clone()).await {
                Ok(cities) if cities.len() == 1 && cities[0].is_some() => HttpResponse::SeeOther()
                    .insert_header((
                        header::LOCATION,
                        crate::services::identity::check_path(cities[0].as_deref(), &kta),
                    ))
                    .finish(),
                Ok(cities) if cities.len() > 1 => which_city(&kta, &cities),
                _ => form_page(
                    StatusCode::NOT_FOUND,
                    &Subject::Card(&kta, None, None),
                    hotline,
                    &FormState::default(),
                ),
            }
        }
        Err(ApiError::NotFound(_)) => form_page(
            StatusCode::NOT_FOUND,
            &Subject::Card(&kta, city.as_deref(), None),
            hotline,
            &FormState::default(),
        ),
        Err(e) => trouble(&e),
    }
}

/// A number several cities issued, typed without its city: which one is on the card.
fn which_city(kta: &str, cities: &[Option<String>]) -> HttpResponse {
    let links: String = cities
        .iter()
        .map(|code| {
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                esc(&crate::services::identity::check_path(code.as_deref(), kta)),
                esc(code.as_deref().unwrap_or("kota ini"))
            )
        })
        .collect();
    respond(
        StatusCode::OK,
        &format!("Cek KTA {kta}"),
        &format!(
            "<section class=\"card\"><h1>KTA {kta} ada di beberapa kota</h1>\
<p>Pilih kota yang tertulis di kartu (atau pindai QR di kartunya):</p><ul>{links}</ul></section>",
            kta = esc(kta)
        ),
    )
}

/// `GET /cek/kta` (a card's address with its number cut off): the page where one is typed.
pub async fn kta_landing() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/cek#kta"))
        .finish()
}

/// `POST /cek/kta/{kta}`: a report about a card no one holds, or whose holder may not
/// collect; its location is the card's number (SPEC §16).
pub async fn post_card(
    same_site: Result<crate::web::extract::SameSite, ApiError>,
    req: HttpRequest,
    state: web::Data<AppState>,
    kta: web::Path<String>,
    form: web::Bytes,
) -> HttpResponse {
    if same_site.is_err() {
        return foreign_form();
    }
    let (acting, city, kta) =
        match crate::services::identity::card_address(&state, kta.into_inner()).await {
            Ok(found) => found,
            Err(e) => return trouble(&e),
        };
    crate::state::in_city(acting, async move {
        let base = crate::web::extract::public_base(&req, &state);
        let found =
            match crate::services::identity::public_attendant(&state, kta.clone(), base).await {
                Ok(a) => Some(a),
                Err(ApiError::NotFound(_)) => None,
                Err(e) => return trouble(&e),
            };
        let subject = Subject::Card(&kta, city.as_deref(), found.as_ref());
        receive(&req, &state, &subject, &form).await
    })
    .await
}
