//! Zones and what is versioned on them: tariffs per vehicle class.

use std::collections::BTreeMap;

use super::money::Rupiah;

/// A registry code (zones, spots): 1..=max letters, digits, '-', '_' or '.'.
pub fn parse_code(raw: &str, max: usize) -> Result<String, String> {
    let ok = !raw.is_empty()
        && raw.len() <= max
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "must be 1 to {max} letters, digits, '-', '_' or '.'"
        ))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneCode(String);

impl ZoneCode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        parse_code(raw, 32).map(Self)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A vehicle class (`motorcycle`, `car`, `truck`, …): lower-case letters, digits and '_'.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct VehicleClass(String);

impl VehicleClass {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut chars = raw.chars();
        let ok = raw.len() <= 32
            && chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err("must be lower-case letters, digits or '_' (e.g. motorcycle, car)".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The tariff of every vehicle class of a zone; at least one class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tariffs(BTreeMap<String, Rupiah>);

impl Tariffs {
    /// Parses the map, naming the offending key as `tariffs.<class>` in the error.
    pub fn parse(raw: &BTreeMap<String, i64>) -> Result<Self, (String, String)> {
        if raw.is_empty() {
            return Err((
                "tariffs".into(),
                "must name at least one vehicle class, e.g. {\"motorcycle\": 2000}".into(),
            ));
        }
        let mut out = BTreeMap::new();
        for (class, amount) in raw {
            let field = format!("tariffs.{class}");
            VehicleClass::parse(class).map_err(|m| (field.clone(), m))?;
            let amount = Rupiah::parse_positive(*amount).map_err(|m| (field, m))?;
            out.insert(class.clone(), amount);
        }
        Ok(Self(out))
    }

    pub fn get(&self, class: &VehicleClass) -> Option<Rupiah> {
        self.0.get(class.as_str()).copied()
    }

    pub fn classes(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.0).unwrap_or_default()
    }

    /// Reads what [`Tariffs::to_json`] stored; a malformed stored value yields no classes.
    pub fn from_json(value: &serde_json::Value) -> Self {
        Self(serde_json::from_value(value.clone()).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tariffs_name_the_bad_class() {
        let mut raw = BTreeMap::new();
        raw.insert("motorcycle".to_owned(), 2000);
        raw.insert("car".to_owned(), 0);
        assert_eq!(Tariffs::parse(&raw).unwrap_err().0, "tariffs.car");
        raw.insert("car".to_owned(), 3000);
        raw.insert("Bus".to_owned(), 3000);
        assert_eq!(Tariffs::parse(&raw).unwrap_err().0, "tariffs.Bus");
        assert!(Tariffs::parse(&BTreeMap::new()).is_err());
    }
}
