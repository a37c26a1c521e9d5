//! `parkir bench qr --count N`: static spot QR PNGs at 4 px/module, ECC M, without the cache.

use std::time::Instant;

use crate::qris::build::with_crc;
use crate::qris::render::{Ecc, png};
use crate::qris::tlv::{Node, encode};
use crate::qris::{Payload, StaticSpec, static_payload};

pub struct QrBench {
    pub renders_per_s: f64,
    pub png_bytes: usize,
    pub payload_chars: usize,
    /// PNG size of a 250-character payload at 4 px/module (the sign-size budget is 1 KB).
    pub png_bytes_250: usize,
}

fn spot_spec(i: usize) -> StaticSpec {
    StaticSpec::of_spot(
        &crate::demo::merchant_spec(),
        &format!("JMB-BENCH-{i:05}"),
        &format!("JMBBENCH{i:05}"),
    )
}

pub fn run(count: usize) -> anyhow::Result<QrBench> {
    let payloads: Vec<String> = (0..count.max(1))
        .map(|i| static_payload(&spot_spec(i)).map_err(|e| anyhow::anyhow!(e.message)))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    let mut total_bytes = 0;
    for payload in &payloads {
        total_bytes += png(payload, Ecc::M, 4).map_err(anyhow::Error::msg)?.len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let p = payload_of_length(250)?;
    Ok(QrBench {
        renders_per_s: payloads.len() as f64 / elapsed,
        png_bytes: total_bytes / payloads.len(),
        payload_chars: payloads[0].chars().count(),
        png_bytes_250: png(&p, Ecc::M, 4).map_err(anyhow::Error::msg)?.len(),
    })
}

/// A valid static payload of exactly `target` characters: a spot payload plus an unreserved
/// template 99 (EMVCo MPM 4.7.12) holding filler.
fn payload_of_length(target: usize) -> anyhow::Result<String> {
    let mut spec = spot_spec(0);
    spec.store_label = None;
    spec.terminal_label = None;
    let base = static_payload(&spec).map_err(|e| anyhow::anyhow!(e.message))?;
    let parsed = Payload::parse(&base).map_err(|e| anyhow::anyhow!(e.message))?;
    let mut nodes: Vec<Node> = parsed
        .nodes()
        .iter()
        .filter(|n| n.id != "63")
        .cloned()
        .collect();
    let gui = Node::primitive("00", "ID.CO.PARKIR.WWW");
    // 4 (99 header) + 20 (its 00) + 4 (its 01 header) + filler = what is missing.
    let filler = target
        .checked_sub(base.chars().count() + 4 + 20 + 4)
        .filter(|f| (1..=75).contains(f))
        .ok_or_else(|| anyhow::anyhow!("cannot pad a spot payload to {target} characters"))?;
    nodes.push(Node::template(
        "99",
        vec![gui, Node::primitive("01", "9".repeat(filler))],
    ));
    let padded = with_crc(&encode(&nodes));
    Payload::parse(&padded).map_err(|e| anyhow::anyhow!(e.message))?;
    anyhow::ensure!(padded.chars().count() == target, "padding missed {target}");
    Ok(padded)
}
