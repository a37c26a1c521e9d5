//! Strict EMVCo TLV: two-digit id, two-digit length 01–99 counting characters, value.
//! Templates (EMVCo MPM 4.7: 26–51 merchant account information, 62 additional data,
//! 64 language template, 80–99 unreserved templates) are parsed one level down.

use serde::Serialize;

use super::QrisError;

/// One data object; `children` is set for templates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Node {
    pub id: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Node>>,
}

impl Node {
    pub fn primitive(id: &str, value: impl Into<String>) -> Self {
        Self {
            id: id.to_owned(),
            value: value.into(),
            children: None,
        }
    }

    /// A template whose value is the encoding of its children.
    pub fn template(id: &str, children: Vec<Node>) -> Self {
        Self {
            id: id.to_owned(),
            value: encode(&children),
            children: Some(children),
        }
    }

    /// The child with `id`, for templates.
    pub fn child(&self, id: &str) -> Option<&Node> {
        self.children.as_ref()?.iter().find(|n| n.id == id)
    }
}

/// Whether a root id is a template (EMVCo MPM 4.7 and Table 3).
pub fn is_template(id: &str) -> bool {
    matches!(id.parse::<u8>(), Ok(26..=51 | 62 | 64 | 80..=99))
}

/// Parses one level of TLV. `scope` names the level in errors ("root", "ID 62").
pub fn parse_level(
    chars: &[char],
    offset_base: usize,
    scope: &str,
) -> Result<Vec<Node>, QrisError> {
    let mut nodes = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let at = offset_base + i;
        if i + 4 > chars.len() {
            return Err(QrisError::new(
                "tlv_truncated",
                "",
                format!("{scope}: truncated ID/length at offset {at}"),
            ));
        }
        let id: String = chars[i..i + 2].iter().collect();
        if !id.chars().all(|c| c.is_ascii_digit()) {
            return Err(QrisError::new(
                "tlv_invalid_id",
                "",
                format!("{scope}: non-numeric ID '{id}' at offset {at}"),
            ));
        }
        let len_text: String = chars[i + 2..i + 4].iter().collect();
        if !len_text.chars().all(|c| c.is_ascii_digit()) {
            return Err(QrisError::new(
                "tlv_invalid_length",
                &id,
                format!("{scope}: non-numeric length '{len_text}' for ID {id} at offset {at}"),
            ));
        }
        let len: usize = len_text.parse().unwrap_or(0);
        if len == 0 {
            return Err(QrisError::new(
                "tlv_zero_length",
                &id,
                format!("{scope}: zero length for ID {id} (must be 01..99)"),
            ));
        }
        let start = i + 4;
        if start + len > chars.len() {
            return Err(QrisError::new(
                "tlv_length_overrun",
                &id,
                format!(
                    "{scope}: ID {id} declares length {len} but only {} chars remain",
                    chars.len() - start
                ),
            ));
        }
        let value: String = chars[start..start + len].iter().collect();
        if nodes.iter().any(|n: &Node| n.id == id) {
            return Err(QrisError::new(
                "duplicate_id",
                &id,
                format!("{scope}: ID {id} appears twice (ids are unique per level)"),
            ));
        }
        nodes.push(Node {
            id,
            value,
            children: None,
        });
        i = start + len;
    }
    Ok(nodes)
}

/// Parses the root level and the templates under it.
pub fn parse(payload: &str) -> Result<Vec<Node>, QrisError> {
    let chars: Vec<char> = payload.chars().collect();
    let mut root = parse_level(&chars, 0, "root")?;
    let mut offset = 0;
    for node in &mut root {
        let value_chars: Vec<char> = node.value.chars().collect();
        let value_offset = offset + 4;
        offset = value_offset + value_chars.len();
        if is_template(&node.id) {
            let scope = format!("ID {}", node.id);
            node.children = Some(parse_level(&value_chars, value_offset, &scope)?);
        }
    }
    Ok(root)
}

/// Encodes nodes as TLV (lengths in characters).
pub fn encode(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        let value = match &node.children {
            Some(children) => encode(children),
            None => node.value.clone(),
        };
        out.push_str(&node.id);
        out.push_str(&format!("{:02}", value.chars().count()));
        out.push_str(&value);
    }
    out
}
