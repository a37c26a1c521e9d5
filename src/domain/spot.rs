//! A parking spot's identity: its printed code, terminal id and position.

use super::zone::parse_code;

/// The code printed on the spot's sign; it is also the QRIS store label (62/03, ≤ 25).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpotCode(String);

impl SpotCode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        parse_code(raw, 25).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The default terminal id: the code's last 16 letters and digits, upper-cased (the
    /// distinguishing number of a code is usually at its end).
    pub fn default_terminal_id(&self) -> TerminalId {
        let alnum: Vec<char> = self
            .0
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let start = alnum.len().saturating_sub(16);
        TerminalId(alnum[start..].iter().collect())
    }
}

/// The spot's terminal id: the QRIS terminal label (62/07) callbacks are matched by; ≤ 16.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminalId(String);

impl TerminalId {
    pub fn parse(raw: &str) -> Result<Self, String> {
        parse_code(raw, 16).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A position inside Indonesia's bounding box, which catches swapped or mistyped coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

impl Coordinates {
    pub fn parse_latitude(value: f64) -> Result<f64, String> {
        if value.is_finite() && (-11.5..=6.5).contains(&value) {
            Ok(value)
        } else {
            Err("must be a latitude inside Indonesia (-11.5 to 6.5)".into())
        }
    }

    pub fn parse_longitude(value: f64) -> Result<f64, String> {
        if value.is_finite() && (94.5..=141.5).contains(&value) {
            Ok(value)
        } else {
            Err("must be a longitude inside Indonesia (94.5 to 141.5)".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_terminal_id_keeps_the_last_sixteen_alphanumerics() {
        let code = SpotCode::parse("JBI-PSR-001").unwrap();
        assert_eq!(code.default_terminal_id().as_str(), "JBIPSR001");
        let long = SpotCode::parse("jambi-telanaipura-0123456").unwrap();
        assert_eq!(long.default_terminal_id().as_str(), "LANAIPURA0123456");
    }
}
