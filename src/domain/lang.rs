//! The two languages the bot speaks.

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "id" | "indonesia" | "in" => Some(Lang::Id),
            "en" | "english" | "inggris" => Some(Lang::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_names() {
        assert_eq!(Lang::parse(" EN "), Some(Lang::En));
        assert_eq!(Lang::parse("Indonesia"), Some(Lang::Id));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::default(), Lang::Id);
        assert_eq!(Lang::En.code(), "en");
        assert_eq!(serde_json::to_string(&Lang::Id).unwrap(), "\"id\"");
    }
}
