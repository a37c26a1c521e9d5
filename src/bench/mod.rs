//! `parkir bench …`: measurements printed as one `key=value` line each. Benchmarks report;
//! tests never assert timings. Benches that need PostgreSQL make their own database next to
//! `DATABASE_URL`'s and drop it afterwards.

pub mod alerts;
pub mod callbacks;
pub mod cities;
pub mod failover;
pub mod monthly;
pub mod photo;
pub mod qr;
pub mod reconcile;
pub mod scale;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

/// The application on a free port on its own actix system thread, as the benches run it:
/// its port, the handle that stops it, and the thread to join afterwards.
pub fn serve(
    settings: &crate::config::Settings,
) -> anyhow::Result<(
    u16,
    actix_web::dev::ServerHandle,
    std::thread::JoinHandle<()>,
)> {
    let secret = secrecy::SecretString::from("bench-secret-bench-secret-bench-secret");
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let settings = settings.clone();
    let server = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match crate::startup::Application::build(&settings, &secret) {
                Ok(app) => {
                    let _ = ready_tx.send(Ok((app.port(), app.handle())));
                    let _ = app.run_until_stopped().await;
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            }
        })
    });
    let (port, handle) = ready_rx.recv()??;
    Ok((port, handle, server))
}

/// A scratch database for one bench run; dropped (forcefully) when this is dropped.
pub struct BenchDb {
    pub url: String,
    maintenance: String,
    name: String,
}

impl BenchDb {
    /// Creates `<dbname>_bench_<pid>` on the server of `database_url` and migrates it.
    pub fn create(database_url: &str) -> anyhow::Result<Self> {
        let (maintenance, base) = crate::db::split_database_url(database_url)?;
        let name = format!("{base}_bench_{}", std::process::id());
        // The maintenance URL ends its path in `/postgres` (before any `?options`).
        let url = match maintenance.split_once('?') {
            Some((path, options)) => format!(
                "{}/{name}?{options}",
                path.strip_suffix("/postgres").unwrap_or(path)
            ),
            None => format!(
                "{}/{name}",
                maintenance
                    .strip_suffix("/postgres")
                    .unwrap_or(&maintenance)
            ),
        };
        let mut admin = PgConnection::establish(&maintenance)?;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))?;
        admin.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
        let mut conn = crate::db::establish_created(&url)?;
        crate::db::migrate(&mut conn)?;
        Ok(Self {
            url,
            maintenance,
            name,
        })
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.maintenance) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Peak resident set size of this process, in MiB (Linux `VmHWM`).
pub fn rss_peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}
