use std::fmt;

/// A work unit's short code, e.g. `PUSDATIN` or `UPT-BUNG-HATTA`: upper-case ASCII letters, digits,
/// `-` and `_`, 2 to 24 characters. Typed codes are upper-cased, so `upt-aceh` is `UPT-ACEH`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim().to_ascii_uppercase();
        let valid_chars = code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if (2..=24).contains(&code.len()) && valid_chars {
            Ok(Self(code))
        } else {
            Err(format!(
                "unit code {raw:?} must be 2-24 letters, digits, '-' or '_', e.g. PUSDATIN"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A unit's full name, e.g. "Pusat Data dan Informasi": 2 to 120 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName(String);

impl UnitName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let length = name.chars().count();
        if (2..=120).contains(&length) && !name.chars().any(char::is_control) {
            Ok(Self(name))
        } else {
            Err(format!(
                "unit name must be 2-120 characters, e.g. \"Pusat Data dan Informasi\" (got {length})"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
