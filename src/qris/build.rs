//! Builds static and dynamic QRIS payloads for a spot from its acquirer-issued merchant account.

use super::crc::crc_hex;
use super::tlv::{Node, encode};
use super::{Payload, QrisError};
use crate::domain::MerchantAccountSpec;

/// The national repository GUI of template 51 (QRIS 4.7.7).
pub const QRIS_NATIONAL_GUI: &str = "ID.CO.QRIS.WWW";
/// MCC 7523: automobile parking lots and garages.
pub const MCC_PARKING: &str = "7523";

/// Merchant account information (template 26): the acquirer's GUI, the merchant PAN, the
/// merchant id and the criteria (QRIS 4.7.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerchantAccountInfo {
    pub gui: String,
    pub pan: String,
    pub merchant_id: String,
    pub criteria: String,
}

/// What a spot's static payload is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticSpec {
    pub account: MerchantAccountInfo,
    pub nmid: String,
    pub mcc: String,
    pub merchant_name: String,
    pub city: String,
    pub postal_code: String,
    /// 62/03: the spot code printed on the sign.
    pub store_label: Option<String>,
    /// 62/07: the spot's terminal id, what callbacks are matched by.
    pub terminal_label: Option<String>,
}

impl StaticSpec {
    /// The static QR of one spot paid into `merchant`: the merchant account's fields, the spot
    /// code as store label (62/03) and its terminal id as terminal label (62/07). The one
    /// mapping from a merchant account to QRIS.
    pub fn of_spot(merchant: &MerchantAccountSpec, spot_code: &str, terminal_id: &str) -> Self {
        Self {
            account: MerchantAccountInfo {
                gui: merchant.gui.clone(),
                pan: merchant.pan.clone(),
                merchant_id: merchant.merchant_id.clone(),
                criteria: merchant.criteria.clone(),
            },
            nmid: merchant.nmid.clone(),
            mcc: merchant.mcc.clone(),
            merchant_name: merchant.name.clone(),
            city: merchant.city.clone(),
            postal_code: merchant.postal_code.clone(),
            store_label: Some(spot_code.to_owned()),
            terminal_label: Some(terminal_id.to_owned()),
        }
    }
}

/// Appends `6304` and the CRC of everything so far (EMVCo MPM 4.7.3).
pub fn with_crc(body: &str) -> String {
    let covered = format!("{body}6304");
    let crc = crc_hex(covered.as_bytes());
    covered + &crc
}

fn checked(id: &str, value: &str) -> Result<Node, QrisError> {
    let len = value.chars().count();
    if !(1..=99).contains(&len) {
        return Err(QrisError::new(
            "invalid_length",
            id,
            format!("ID {id} value must be 1 to 99 characters, got {len}"),
        ));
    }
    Ok(Node::primitive(id, value))
}

fn nodes(
    spec: &StaticSpec,
    amount: Option<i64>,
    bill_number: Option<&str>,
) -> Result<Vec<Node>, QrisError> {
    let a = &spec.account;
    let mut root = vec![
        checked("00", "01")?,
        checked("01", if amount.is_some() { "12" } else { "11" })?,
        Node::template(
            "26",
            vec![
                checked("00", &a.gui)?,
                checked("01", &a.pan)?,
                checked("02", &a.merchant_id)?,
                checked("03", &a.criteria)?,
            ],
        ),
        Node::template(
            "51",
            vec![
                checked("00", QRIS_NATIONAL_GUI)?,
                checked("02", &spec.nmid)?,
                checked("03", &a.criteria)?,
            ],
        ),
        checked("52", &spec.mcc)?,
        checked("53", "360")?,
    ];
    if let Some(amount) = amount {
        root.push(checked("54", &amount.to_string())?);
    }
    root.push(checked("58", "ID")?);
    root.push(checked("59", &spec.merchant_name)?);
    root.push(checked("60", &spec.city)?);
    root.push(checked("61", &spec.postal_code)?);
    let mut additional = Vec::new();
    if let Some(bill) = bill_number {
        additional.push(checked("01", bill)?);
    }
    if let Some(store) = &spec.store_label {
        additional.push(checked("03", store)?);
    }
    if let Some(terminal) = &spec.terminal_label {
        additional.push(checked("07", terminal)?);
    }
    if !additional.is_empty() {
        let template = Node::template("62", additional);
        checked("62", &template.value)?;
        root.push(template);
    }
    for node in &root {
        if node.children.is_some() {
            checked(&node.id, &node.value)?;
        }
    }
    Ok(root)
}

/// A static payload (POI 11): the spot's printed QR. Validated as a whole before it is returned.
pub fn static_payload(spec: &StaticSpec) -> Result<String, QrisError> {
    let payload = with_crc(&encode(&nodes(spec, None, None)?));
    Payload::parse(&payload).map(|p| p.as_str().to_owned())
}

/// A dynamic payload (POI 12) for one charge: 54 = the amount in whole rupiah, 62/01 = the
/// charge reference the gateway's callback will carry back (QRIS 4.7.8, EMVCo 4.8.1).
pub fn dynamic_payload(
    spec: &StaticSpec,
    amount_rupiah: i64,
    bill_number: &str,
) -> Result<String, QrisError> {
    let fixed = Payload::parse(&static_payload(spec)?)?;
    to_dynamic(&fixed, amount_rupiah, Some(bill_number))
}

/// Turns a validated static payload into a dynamic one for a single charge: 01 becomes 12,
/// 54 is the amount (any tip/fee objects 55–57 are dropped: a parking tariff is exact), and
/// 62/01 carries the bill number; the other objects are kept as issued and the CRC is
/// recomputed (QRIS 4.7.8; EMVCo MPM 4.8.1). Works for composed and imported payloads alike.
pub fn to_dynamic(
    static_payload: &Payload,
    amount_rupiah: i64,
    bill_number: Option<&str>,
) -> Result<String, QrisError> {
    if amount_rupiah <= 0 {
        return Err(QrisError::new(
            "invalid_amount",
            "54",
            "ID 54 amount must be > 0",
        ));
    }
    if bill_number.is_some_and(|b| b.chars().count() > 25) {
        return Err(QrisError::new(
            "invalid_length",
            "62",
            "62/01 bill number must be at most 25 characters",
        ));
    }
    let mut root: Vec<Node> = static_payload
        .nodes()
        .iter()
        .filter(|n| !matches!(n.id.as_str(), "54" | "55" | "56" | "57" | "63"))
        .cloned()
        .collect();
    for node in &mut root {
        if node.id == "01" {
            node.value = "12".into();
        }
    }
    let mut additional: Vec<Node> = root
        .iter()
        .find(|n| n.id == "62")
        .and_then(|n| n.children.clone())
        .unwrap_or_default();
    if let Some(bill) = bill_number {
        additional.retain(|n| n.id != "01");
        additional.push(checked("01", bill)?);
        additional.sort_by(|a, b| a.id.cmp(&b.id));
    }
    root.retain(|n| n.id != "62");
    if !additional.is_empty() {
        let template = Node::template("62", additional);
        checked("62", &template.value)?;
        root.push(template);
    }
    root.push(checked("54", &amount_rupiah.to_string())?);
    // Keep ascending order after 00/01 so the result reads like an acquirer's.
    root.sort_by(|a, b| a.id.cmp(&b.id));
    let payload = with_crc(&encode(&root));
    Payload::parse(&payload).map(|p| p.as_str().to_owned())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn jambi() -> StaticSpec {
        StaticSpec {
            account: MerchantAccountInfo {
                gui: "ID.CO.BANKJAMBI.WWW".into(),
                pan: "9360011300000001234".into(),
                merchant_id: "DSHJMB000000001".into(),
                criteria: "UKE".into(),
            },
            nmid: "ID1026100000123".into(),
            mcc: MCC_PARKING.into(),
            merchant_name: "DISHUB KOTA JAMBI".into(),
            city: "JAMBI".into(),
            postal_code: "36124".into(),
            store_label: Some("JMB-PSR-001".into()),
            terminal_label: Some("JMBPSR001".into()),
        }
    }

    #[test]
    fn a_static_spot_payload_carries_spot_and_terminal() {
        let raw = static_payload(&jambi()).unwrap();
        let p = Payload::parse(&raw).unwrap();
        assert_eq!(p.point_of_initiation(), Some("11"));
        assert_eq!(p.nmid(), Some("ID1026100000123"));
        assert_eq!(p.store_label(), Some("JMB-PSR-001"));
        assert_eq!(p.terminal_label(), Some("JMBPSR001"));
        assert_eq!(p.value("52"), Some("7523"));
        assert!(p.value("54").is_none());
        assert!(raw.starts_with("000201010211"));
    }

    #[test]
    fn a_dynamic_payload_carries_amount_and_reference() {
        let raw = dynamic_payload(&jambi(), 2000, "PKR2611230001ABCD").unwrap();
        let p = Payload::parse(&raw).unwrap();
        assert_eq!(p.point_of_initiation(), Some("12"));
        assert_eq!(p.amount_rupiah(), Some(2000));
        assert_eq!(p.bill_number(), Some("PKR2611230001ABCD"));
        assert!(dynamic_payload(&jambi(), 0, "X").is_err());
        assert!(dynamic_payload(&jambi(), 2000, &"X".repeat(26)).is_err());
    }

    #[test]
    fn an_imported_static_payload_becomes_dynamic_with_its_own_objects() {
        // A fictional acquirer's static parking QR (from the shared vectors).
        let imported = "00020101021126700020ID.CO.CONTOHBANK.WWW01189360999900000000170213PKR00000001070303UMI51440014ID.CO.QRIS.WWW0215ID10259990001070303UMI5204752353033605802ID5924PARKIR JL BRAGA TITIK 076007BANDUNG61054011162270312SPOT-BRG-0070707JKR01076304C80E";
        let fixed = Payload::parse(imported).unwrap();
        let dynamic = Payload::parse(&to_dynamic(&fixed, 3000, Some("PKR1")).unwrap()).unwrap();
        assert_eq!(dynamic.point_of_initiation(), Some("12"));
        assert_eq!(dynamic.amount_rupiah(), Some(3000));
        assert_eq!(dynamic.bill_number(), Some("PKR1"));
        assert_eq!(dynamic.terminal_label(), Some("JKR0107"));
        assert_eq!(dynamic.store_label(), Some("SPOT-BRG-007"));
        assert_eq!(dynamic.nmid(), fixed.nmid());
    }

    #[test]
    fn a_spec_breaking_qris_rules_is_refused_with_the_rule() {
        let mut spec = jambi();
        spec.merchant_name = "DINAS PERHUBUNGAN KOTA JAMBI".into();
        let err = static_payload(&spec).unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.tag.as_str()),
            ("merchant_name_too_long", "59")
        );
    }
}
