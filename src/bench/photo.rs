//! `parkir bench photo`: a phone's 20-megapixel JPEG uploaded as an attendant's photo through
//! the in-process server (`PUT /attendants/{id}/photo`, until the stored 300×400 JPEG is
//! committed), against the same run's bare decode of that file with the `image` crate; and the
//! memory the upload takes at its peak.

use std::time::Instant;

use diesel::{Connection, PgConnection};
use secrecy::{ExposeSecret, SecretString};

use super::BenchDb;
use crate::config::Settings;

pub struct PhotoBench {
    pub megapixels: f64,
    pub upload_bytes: usize,
    pub stored_bytes: usize,
    /// Best of the runs: the PUT's round trip, answered once the photo is stored.
    pub upload_ms: f64,
    /// Best of the runs: `image::load_from_memory` of the same bytes, nothing else.
    pub decode_ms: f64,
    /// Peak resident memory while uploading, above what the process held before.
    pub peak_growth_mb: f64,
    pub peak_rss_mb: f64,
}

/// A 5472×3648 (20 MP, 3:2) photo-like JPEG: smooth light and shade with fine grain, as a
/// phone camera writes it at quality 85 (some 3–5 MB).
pub fn phone_jpeg() -> anyhow::Result<Vec<u8>> {
    let (w, h) = (5472u32, 3648u32);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let image = image::RgbImage::from_fn(w, h, |x, y| {
        // xorshift: the grain of a small sensor.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let grain = (seed % 9) as f64 - 4.0;
        let (fx, fy) = (f64::from(x) / f64::from(w), f64::from(y) / f64::from(h));
        let light = 150.0 + 60.0 * (fx * 6.0).sin() * (fy * 4.0).cos();
        let px = |base: f64| (base + grain).clamp(0.0, 255.0) as u8;
        image::Rgb([
            px(light + 20.0 * fy),
            px(light * 0.9),
            px(light * 0.7 + 40.0 * fx),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&image)?;
    Ok(out)
}

/// Resets the kernel's peak-RSS mark of this process (`/proc/self/clear_refs`, value 5), so
/// the next reading of `VmHWM` is the peak from here on.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn run(mut settings: Settings, runs: usize) -> anyhow::Result<PhotoBench> {
    let runs = runs.max(1);
    let jpeg = phone_jpeg()?;
    anyhow::ensure!(
        jpeg.len() <= crate::domain::photo::MAX_UPLOAD_BYTES,
        "the bench photo is {} bytes, over the upload limit",
        jpeg.len()
    );
    let (decode_ms, decoded) =
        super::reconcile::best_of(runs, || Ok(image::load_from_memory(&jpeg)?.dimensions_mp()))?;

    let db = BenchDb::create(settings.database_url.expose_secret())?;
    settings.database_url = SecretString::from(db.url.clone());
    settings.bind = "127.0.0.1:0".into();
    let attendant = {
        let mut conn = PgConnection::establish(&db.url)?;
        let hash = crate::auth::hash_secret("bench-password-2026")?;
        crate::db::users::insert_staff_user(&mut conn, "bench-admin", &hash, "admin")?;
        crate::db::attendants::insert_attendant(
            &mut conn,
            &crate::db::attendants::NewAttendant {
                nik: "1571010505850001",
                name: "Jukir Bench",
                phone: "+6281200000001",
                kta_number: "KTA-BENCH-1",
                pin_hash: "x",
            },
        )?
        .id
    };
    let (port, handle, server) = super::serve(&settings)?;
    let base = format!("http://127.0.0.1:{port}");
    let measured = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(upload(&base, attendant, &jpeg, runs));
    actix_web::rt::System::new().block_on(handle.stop(true));
    let _ = server.join();
    let (upload_ms, stored_bytes, before_mb, peak_mb) = measured?;
    Ok(PhotoBench {
        megapixels: decoded,
        upload_bytes: jpeg.len(),
        stored_bytes,
        upload_ms,
        decode_ms,
        peak_growth_mb: peak_mb - before_mb,
        peak_rss_mb: peak_mb,
    })
}

trait Megapixels {
    fn dimensions_mp(&self) -> f64;
}

impl Megapixels for image::DynamicImage {
    fn dimensions_mp(&self) -> f64 {
        f64::from(self.width()) * f64::from(self.height()) / 1e6
    }
}

/// Logs in, then PUTs the photo `runs` times; (best ms, stored bytes, RSS before, peak RSS).
async fn upload(
    base: &str,
    attendant: i64,
    jpeg: &[u8],
    runs: usize,
) -> anyhow::Result<(f64, usize, f64, f64)> {
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "bench-admin", "password": "bench-password-2026"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = login["access_token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no token: {login}"))?
        .to_owned();
    reset_peak();
    let before = super::rss_peak_mb();
    let mut best = f64::MAX;
    let mut stored = 0;
    for _ in 0..runs {
        let body = jpeg.to_vec();
        let started = Instant::now();
        let answer: serde_json::Value = client
            .put(format!("{base}/api/v1/attendants/{attendant}/photo"))
            .bearer_auth(&token)
            .header("content-type", "image/jpeg")
            .body(body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        best = best.min(started.elapsed().as_secs_f64() * 1000.0);
        stored = answer["bytes"].as_u64().unwrap_or(0) as usize;
    }
    Ok((best, stored, before, super::rss_peak_mb()))
}
