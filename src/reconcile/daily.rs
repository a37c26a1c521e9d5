//! One row per attendant per business day, assembled from aggregates the database computes.
//!
//! Rules (SPEC §8, docs/reconciliation.md):
//! - only `paid` payments count; gross = non-cash + cash; fees as recorded, never computed;
//! - attendant share = Σ over share versions of floor(gross of that version × bps / 10000); the
//!   city gets the rest, so attendant + city = gross exactly;
//! - target = the daily target in force at the start of the day of the zone the attendant was on
//!   duty in (the highest, if several); shortfall = max(0, target − gross);
//! - payments credited to nobody form one row of their own (`attendant_id` null), flagged
//!   `unmatched_payments`, whose money is the city's until resolved.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{PaymentFlag as Flag, ShareBps, split};

/// Paid payments of one attendant (or of nobody), one share version, cash or not.
#[derive(Clone, Debug)]
pub struct PaymentAggregate {
    pub attendant_id: Option<i64>,
    pub share_bps: Option<i32>,
    pub cash: bool,
    pub count: i64,
    pub amount: i64,
    pub fees: i64,
    pub not_a_tariff: bool,
    pub outside_duty: bool,
}

/// A spot an attendant was on duty at, or was paid at, that day.
#[derive(Clone, Debug)]
pub struct SpotOfDay {
    pub attendant_id: Option<i64>,
    pub spot_id: i64,
    pub spot_code: String,
    pub zone_id: i64,
}

#[derive(Default)]
pub struct Inputs {
    pub aggregates: Vec<PaymentAggregate>,
    pub duties: Vec<SpotOfDay>,
    pub paid_at_spots: Vec<SpotOfDay>,
    pub names: HashMap<i64, String>,
    /// Daily target per zone, in force at the start of the day.
    pub targets: HashMap<i64, Option<i64>>,
    /// Spots that had payments nobody was on duty for.
    pub outside_duty_spots: BTreeSet<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Row {
    pub attendant_id: Option<i64>,
    pub name: String,
    pub spots: Vec<String>,
    pub tx_count: i64,
    pub noncash_gross: i64,
    pub cash_gross: i64,
    pub gross: i64,
    pub fees: i64,
    pub attendant_share: i64,
    pub city_share: i64,
    pub target: Option<i64>,
    pub shortfall: i64,
    pub flags: Vec<String>,
    pub zone_ids: Vec<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Totals {
    pub tx_count: i64,
    pub noncash_gross: i64,
    pub cash_gross: i64,
    pub gross: i64,
    pub fees: i64,
    pub attendant_share: i64,
    pub city_share: i64,
    pub target: i64,
    pub shortfall: i64,
}

/// The name of the row of payments credited to nobody.
pub const UNATTRIBUTED_NAME: &str = "(tidak teratribusi / unattributed)";

/// Builds the rows, attendants by name then id, the unattributed row last.
pub fn assemble(inputs: &Inputs) -> (Vec<Row>, Totals) {
    let mut rows: BTreeMap<Option<i64>, Row> = BTreeMap::new();
    let mut by_share: HashMap<(Option<i64>, Option<i32>), i64> = HashMap::new();
    let mut on_duty: HashMap<i64, BTreeSet<i64>> = HashMap::new();
    let mut spots: HashMap<Option<i64>, BTreeSet<String>> = HashMap::new();
    let mut zones: HashMap<Option<i64>, BTreeSet<i64>> = HashMap::new();

    for d in &inputs.duties {
        if let Some(id) = d.attendant_id {
            on_duty.entry(id).or_default().insert(d.zone_id);
            rows.entry(Some(id)).or_default();
        }
        spots
            .entry(d.attendant_id)
            .or_default()
            .insert(d.spot_code.clone());
        zones.entry(d.attendant_id).or_default().insert(d.zone_id);
    }
    for s in &inputs.paid_at_spots {
        spots
            .entry(s.attendant_id)
            .or_default()
            .insert(s.spot_code.clone());
        zones.entry(s.attendant_id).or_default().insert(s.zone_id);
    }
    for a in &inputs.aggregates {
        let row = rows.entry(a.attendant_id).or_default();
        row.tx_count += a.count;
        row.fees += a.fees;
        if a.cash {
            row.cash_gross += a.amount;
        } else {
            row.noncash_gross += a.amount;
        }
        if a.not_a_tariff && !Flag::AmountNotATariff.is_in(&row.flags) {
            row.flags.push(Flag::AmountNotATariff.as_str().into());
        }
        if a.attendant_id.is_none() && a.outside_duty && !Flag::OutsideDuty.is_in(&row.flags) {
            row.flags.push(Flag::OutsideDuty.as_str().into());
        }
        *by_share.entry((a.attendant_id, a.share_bps)).or_default() += a.amount;
    }
    // A duty spot that had payments nobody was on duty for: the attendant's row says so.
    let duty_spots: HashMap<i64, BTreeSet<i64>> =
        inputs.duties.iter().fold(HashMap::new(), |mut m, d| {
            if let Some(id) = d.attendant_id {
                m.entry(id).or_default().insert(d.spot_id);
            }
            m
        });

    let mut out = Vec::with_capacity(rows.len());
    for (attendant_id, mut row) in rows {
        row.attendant_id = attendant_id;
        row.gross = row.noncash_gross + row.cash_gross;
        row.attendant_share = match attendant_id {
            None => 0,
            Some(_) => attendant_share(
                by_share
                    .iter()
                    .filter(|((who, _), _)| *who == attendant_id)
                    .map(|((_, bps), gross)| (*bps, *gross)),
            ),
        };
        row.city_share = row.gross - row.attendant_share;
        row.spots = spots
            .remove(&attendant_id)
            .unwrap_or_default()
            .into_iter()
            .collect();
        row.zone_ids = zones
            .remove(&attendant_id)
            .unwrap_or_default()
            .into_iter()
            .collect();
        match attendant_id {
            Some(id) => {
                row.name = inputs
                    .names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("#{id}"));
                if let Some(duty_zones) = on_duty.get(&id) {
                    row.target = duty_zones
                        .iter()
                        .filter_map(|z| inputs.targets.get(z).copied().flatten())
                        .max();
                    if row.noncash_gross == 0 {
                        row.flags.push(Flag::NoNoncashWhileOnDuty.as_str().into());
                    }
                }
                let spots_of_duty = duty_spots.get(&id);
                if spots_of_duty
                    .is_some_and(|s| s.iter().any(|s| inputs.outside_duty_spots.contains(s)))
                {
                    row.flags.push(Flag::OutsideDuty.as_str().into());
                }
            }
            None => {
                row.name = UNATTRIBUTED_NAME.into();
                row.flags.insert(0, Flag::UnmatchedPayments.as_str().into());
            }
        }
        row.shortfall = row.target.map(|t| (t - row.gross).max(0)).unwrap_or(0);
        if row.shortfall > 0 {
            row.flags.push(Flag::Shortfall.as_str().into());
        }
        out.push(row);
    }
    let totals = totals_of(&out);
    out.sort_by(|a, b| {
        (a.attendant_id.is_none(), &a.name, a.attendant_id).cmp(&(
            b.attendant_id.is_none(),
            &b.name,
            b.attendant_id,
        ))
    });
    (out, totals)
}

/// An attendant's share of gross valued under several share versions: Σ floor(gross of the
/// version × bps / 10000). Gross without a version (no zone terms found) is all the city's.
pub fn attendant_share(by_version: impl IntoIterator<Item = (Option<i32>, i64)>) -> i64 {
    by_version
        .into_iter()
        .map(|(bps, gross)| bps.map(|b| split(gross, ShareBps(b)).0).unwrap_or(0))
        .sum()
}

/// The sums of a set of rows (all of a day's, or a zone's).
/// What a close freezes: the day's rows and totals as they stood.
#[derive(Serialize, Deserialize)]
pub struct Frozen {
    pub rows: Vec<Row>,
    pub totals: Totals,
}

/// The rows a day's report shows: a closed day's frozen rows (those of one zone, with their
/// totals, when `zone_id` is given) — late payments never change them, they are listed as
/// adjustments — else the rows computed now by `live`.
pub fn rows_of_day<E>(
    frozen: Option<Frozen>,
    zone_id: Option<i64>,
    live: impl FnOnce() -> Result<(Vec<Row>, Totals), E>,
) -> Result<(Vec<Row>, Totals), E> {
    match (frozen, zone_id) {
        (Some(frozen), None) => Ok((frozen.rows, frozen.totals)),
        (Some(frozen), Some(zone)) => {
            let rows: Vec<Row> = frozen
                .rows
                .into_iter()
                .filter(|r| r.zone_ids.contains(&zone))
                .collect();
            let totals = totals_of(&rows);
            Ok((rows, totals))
        }
        (None, _) => live(),
    }
}

pub fn totals_of(rows: &[Row]) -> Totals {
    rows.iter().fold(Totals::default(), |mut t, r| {
        t.tx_count += r.tx_count;
        t.noncash_gross += r.noncash_gross;
        t.cash_gross += r.cash_gross;
        t.gross += r.gross;
        t.fees += r.fees;
        t.attendant_share += r.attendant_share;
        t.city_share += r.city_share;
        t.target += r.target.unwrap_or(0);
        t.shortfall += r.shortfall;
        t
    })
}

/// Column headers of the CSV export, in English or (`id`) in Bahasa Indonesia for Dishub staff.
pub fn csv_headers(indonesian: bool) -> [&'static str; 12] {
    if indonesian {
        [
            "Juru Parkir",
            "Titik",
            "Transaksi",
            "Non-Tunai",
            "Tunai",
            "Bruto",
            "Biaya",
            "Bagian Jukir",
            "Bagian Pemkot",
            "Target",
            "Kurang Setor",
            "Catatan",
        ]
    } else {
        [
            "attendant",
            "spots",
            "tx_count",
            "noncash_gross",
            "cash_gross",
            "gross",
            "fees",
            "attendant_share",
            "city_share",
            "target",
            "shortfall",
            "flags",
        ]
    }
}

/// A text cell made safe to open in a spreadsheet: one that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be read as a formula, so it gets a leading `'` (SPEC §10;
/// OWASP "CSV injection").
pub fn safe_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A CSV writer for an export. In English: commas, quotes where needed. For Indonesian Excel
/// (`lang=id`, SPEC §10): a UTF-8 BOM first (or Excel reads the names as Latin-1), `;` between
/// fields (the list separator of the Indonesian locale, where `,` is the decimal comma) and
/// every text field quoted, so a name like `Budi;=1+1;` stays one cell.
pub fn csv_writer(indonesian: bool) -> csv::Writer<Vec<u8>> {
    if indonesian {
        csv::WriterBuilder::new()
            .delimiter(b';')
            .quote_style(csv::QuoteStyle::NonNumeric)
            .from_writer(b"\xEF\xBB\xBF".to_vec())
    } else {
        csv::Writer::from_writer(Vec::new())
    }
}

/// The rows and a total line as CSV (whole rupiah, flags separated by `;`).
pub fn to_csv(rows: &[Row], totals: &Totals, indonesian: bool) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv_writer(indonesian);
    w.write_record(csv_headers(indonesian))?;
    for r in rows {
        w.write_record([
            safe_cell(&r.name),
            safe_cell(&r.spots.join(" ")),
            r.tx_count.to_string(),
            r.noncash_gross.to_string(),
            r.cash_gross.to_string(),
            r.gross.to_string(),
            r.fees.to_string(),
            r.attendant_share.to_string(),
            r.city_share.to_string(),
            r.target.map(|t| t.to_string()).unwrap_or_default(),
            r.shortfall.to_string(),
            safe_cell(&if indonesian {
                Flag::labels_id(&r.flags).join(", ")
            } else {
                r.flags.join(";")
            }),
        ])?;
    }
    w.write_record([
        if indonesian { "TOTAL" } else { "total" }.to_owned(),
        String::new(),
        totals.tx_count.to_string(),
        totals.noncash_gross.to_string(),
        totals.cash_gross.to_string(),
        totals.gross.to_string(),
        totals.fees.to_string(),
        totals.attendant_share.to_string(),
        totals.city_share.to_string(),
        totals.target.to_string(),
        totals.shortfall.to_string(),
        String::new(),
    ])?;
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_that_a_spreadsheet_would_run_get_a_quote() {
        for (raw, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+62812", "'+62812"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("Ahmad Fauzi", "Ahmad Fauzi"),
            ("", ""),
        ] {
            assert_eq!(super::safe_cell(raw), safe);
        }
    }

    use super::*;

    fn agg(
        attendant: Option<i64>,
        bps: i32,
        cash: bool,
        count: i64,
        amount: i64,
    ) -> PaymentAggregate {
        PaymentAggregate {
            attendant_id: attendant,
            share_bps: Some(bps),
            cash,
            count,
            amount,
            fees: 0,
            not_a_tariff: false,
            outside_duty: false,
        }
    }

    fn duty(attendant: i64, spot: i64, zone: i64) -> SpotOfDay {
        SpotOfDay {
            attendant_id: Some(attendant),
            spot_id: spot,
            spot_code: format!("S{spot}"),
            zone_id: zone,
        }
    }

    #[test]
    fn shares_per_version_target_shortfall_and_the_unattributed_row() {
        let inputs = Inputs {
            aggregates: vec![
                agg(Some(1), 6000, false, 3, 6001),
                agg(Some(1), 6500, false, 1, 3000),
                agg(Some(1), 6000, true, 1, 2000),
                agg(None, 6000, false, 1, 2000),
            ],
            duties: vec![duty(1, 10, 100), duty(2, 11, 100)],
            paid_at_spots: vec![],
            names: HashMap::from([(1, "Ahmad".to_owned()), (2, "Budi".to_owned())]),
            targets: HashMap::from([(100, Some(60_000))]),
            outside_duty_spots: BTreeSet::new(),
        };
        let (rows, totals) = assemble(&inputs);
        assert_eq!(rows.len(), 3);
        let ahmad = &rows[0];
        assert_eq!(ahmad.gross, 11_001);
        assert_eq!(ahmad.cash_gross, 2000);
        // floor(8001 × 0.6) + floor(3000 × 0.65) = 4800 + 1950
        assert_eq!(ahmad.attendant_share, 6750);
        assert_eq!(ahmad.city_share, 11_001 - 6750);
        assert_eq!(ahmad.target, Some(60_000));
        assert_eq!(ahmad.shortfall, 60_000 - 11_001);
        let budi = &rows[1];
        assert_eq!(budi.gross, 0);
        assert!(
            budi.flags
                .contains(&Flag::NoNoncashWhileOnDuty.as_str().to_owned())
        );
        let nobody = &rows[2];
        assert_eq!(nobody.attendant_id, None);
        assert_eq!(nobody.attendant_share, 0);
        assert_eq!(nobody.city_share, 2000);
        assert_eq!(nobody.flags[0], Flag::UnmatchedPayments.as_str());
        assert_eq!(totals.gross, 13_001);
        assert_eq!(totals.attendant_share + totals.city_share, totals.gross);
    }
}
