//! Pure EMVCo MPM / QRIS: parse, validate, build and render payloads. No I/O, no database.
//!
//! Sources: EMVCo QR Code Specification for Payment Systems, Merchant-Presented Mode (MPM)
//! v1.1, and Bank Indonesia's QRIS standard (ASPI QRIS 1.0), whose rules are cited by number.

pub mod build;
pub mod cache;
pub mod crc;
pub mod poster;
pub mod render;
pub mod tlv;
pub mod validate;

#[cfg(test)]
mod vectors;

use std::collections::BTreeMap;

use serde::Serialize;

pub use build::{MerchantAccountInfo, StaticSpec, dynamic_payload, static_payload, to_dynamic};
pub use tlv::Node;

/// A rejected payload: the broken rule's stable `code`, the `tag` it concerns ("" when the
/// payload is not even TLV) and a message naming the rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct QrisError {
    pub code: String,
    pub tag: String,
    pub message: String,
}

impl QrisError {
    pub fn new(code: &str, tag: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            tag: tag.to_owned(),
            message: message.into(),
        }
    }
}

/// A payload that passed every rule.
#[derive(Clone, Debug)]
pub struct Payload {
    raw: String,
    nodes: Vec<Node>,
}

/// Names of the additional data sub-IDs 01..09 (EMVCo MPM 4.8).
const ADDITIONAL_DATA_NAMES: &[(&str, &str)] = &[
    ("01", "bill_number"),
    ("02", "mobile_number"),
    ("03", "store_label"),
    ("04", "loyalty_number"),
    ("05", "reference_label"),
    ("06", "customer_label"),
    ("07", "terminal_label"),
    ("08", "purpose"),
    ("09", "consumer_data_request"),
];

impl Payload {
    /// Parses and validates a payload as a whole (TLV, CRC, EMVCo, and QRIS when 58=ID).
    pub fn parse(raw: &str) -> Result<Self, QrisError> {
        let length = raw.chars().count();
        if length > validate::MAX_LEN {
            return Err(QrisError::new(
                "payload_too_long",
                "",
                format!(
                    "payload is {length} characters; at most {} are allowed",
                    validate::MAX_LEN
                ),
            ));
        }
        let nodes = tlv::parse(raw)?;
        validate::validate(raw, &nodes)?;
        Ok(Self {
            raw: raw.to_owned(),
            nodes,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn value(&self, id: &str) -> Option<&str> {
        self.nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.value.as_str())
    }

    fn sub_value(&self, id: &str, sub: &str) -> Option<&str> {
        self.nodes
            .iter()
            .find(|n| n.id == id)
            .and_then(|n| n.child(sub))
            .map(|n| n.value.as_str())
    }

    /// Whether the payload follows the QRIS profile (country ID).
    pub fn is_qris(&self) -> bool {
        self.value("58") == Some("ID")
    }

    pub fn point_of_initiation(&self) -> Option<&str> {
        self.value("01")
    }

    /// National Merchant ID: 51/02 (QRIS 4.7.7).
    pub fn nmid(&self) -> Option<&str> {
        self.sub_value("51", "02")
    }

    pub fn terminal_label(&self) -> Option<&str> {
        self.sub_value("62", "07")
    }

    pub fn store_label(&self) -> Option<&str> {
        self.sub_value("62", "03")
    }

    pub fn bill_number(&self) -> Option<&str> {
        self.sub_value("62", "01")
    }

    pub fn merchant_name(&self) -> Option<&str> {
        self.value("59")
    }

    /// The amount (54) in whole rupiah, when it is one.
    pub fn amount_rupiah(&self) -> Option<i64> {
        let raw = self.value("54")?;
        let (whole, decimals) = raw.split_once('.').unwrap_or((raw, ""));
        if decimals.bytes().any(|b| b != b'0') {
            return None;
        }
        whole.parse().ok()
    }

    /// The payload re-encoded from its data objects with a fresh CRC (identity for a payload
    /// that passed validation).
    pub fn encode(&self) -> String {
        let body: Vec<Node> = self
            .nodes
            .iter()
            .filter(|n| n.id != "63")
            .cloned()
            .collect();
        build::with_crc(&tlv::encode(&body))
    }

    /// The decoded view `parkir qris decode` prints.
    pub fn decoded(&self) -> Decoded {
        let value = |id: &str| self.value(id).map(str::to_owned);
        let merchant_accounts = self
            .nodes
            .iter()
            .filter(|n| matches!(n.id.parse::<u8>(), Ok(2..=50)))
            .map(|n| MerchantAccountView {
                tag: n.id.clone(),
                gui: n.child("00").map(|c| c.value.clone()),
                pan: n.child("01").map(|c| c.value.clone()),
                merchant_id: n.child("02").map(|c| c.value.clone()),
                criteria: n.child("03").map(|c| c.value.clone()),
                value: n.children.is_none().then(|| n.value.clone()),
            })
            .collect();
        let mut additional_data = BTreeMap::new();
        if let Some(children) = self
            .nodes
            .iter()
            .find(|n| n.id == "62")
            .and_then(|n| n.children.as_ref())
        {
            for child in children {
                let name = ADDITIONAL_DATA_NAMES
                    .iter()
                    .find(|(id, _)| *id == child.id)
                    .map(|(_, name)| (*name).to_owned())
                    .unwrap_or_else(|| child.id.clone());
                additional_data.insert(name, child.value.clone());
            }
        }
        Decoded {
            profile: if self.is_qris() { "qris" } else { "emvco" },
            payload_format_indicator: value("00"),
            point_of_initiation: value("01"),
            merchant_accounts,
            national_gui: self.sub_value("51", "00").map(str::to_owned),
            nmid: self.nmid().map(str::to_owned),
            national_criteria: self.sub_value("51", "03").map(str::to_owned),
            mcc: value("52"),
            currency: value("53"),
            amount: value("54"),
            tip_indicator: value("55"),
            tip_fixed: value("56"),
            tip_percentage: value("57"),
            country: value("58"),
            merchant_name: value("59"),
            city: value("60"),
            postal_code: value("61"),
            additional_data,
            crc: value("63"),
            length: self.raw.chars().count(),
            tags: self.nodes.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct MerchantAccountView {
    pub tag: String,
    pub gui: Option<String>,
    pub pan: Option<String>,
    pub merchant_id: Option<String>,
    pub criteria: Option<String>,
    /// The raw value of a primitive merchant account object (02..25, card schemes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Everything a payload says, by name, plus the raw tag list.
#[derive(Debug, Serialize)]
pub struct Decoded {
    pub profile: &'static str,
    pub payload_format_indicator: Option<String>,
    pub point_of_initiation: Option<String>,
    pub merchant_accounts: Vec<MerchantAccountView>,
    pub national_gui: Option<String>,
    pub nmid: Option<String>,
    pub national_criteria: Option<String>,
    pub mcc: Option<String>,
    pub currency: Option<String>,
    pub amount: Option<String>,
    pub tip_indicator: Option<String>,
    pub tip_fixed: Option<String>,
    pub tip_percentage: Option<String>,
    pub country: Option<String>,
    pub merchant_name: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    /// Sub-IDs of 62 by name (bill_number, store_label, terminal_label, …); others by id.
    pub additional_data: BTreeMap<String, String>,
    pub crc: Option<String>,
    pub length: usize,
    pub tags: Vec<Node>,
}
