//! The serde mirror of a dialog file: every TOML value with its place in the file.
//!
//! The file is read into a generic tree of [`Node`]s, each wrapped in [`toml::Spanned`], rather
//! than into `#[serde(deny_unknown_fields)]` structs: serde stops at the first unknown key or
//! wrong type, while the bureau needs every problem of a file in one run. `model.rs` walks this
//! tree with the small readers below, collecting every problem with its line number.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

/// One TOML value. Table entries keep the file's order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    /// A TOML date-time literal, as written (`2025-06-03T23:59:00`).
    Datetime(String),
    Array(Vec<Spanned<Node>>),
    Table(Vec<(String, Spanned<Node>)>),
}

/// The key under which the `toml` crate hands a date-time literal to a generic visitor.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl Node {
    /// The TOML name of this value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::String(_) => "a string",
            Self::Integer(_) => "an integer",
            Self::Float(_) => "a decimal number",
            Self::Boolean(_) => "true/false",
            Self::Datetime(_) => "a date-time",
            Self::Array(_) => "a list",
            Self::Table(_) => "a table",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>,
    {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Boolean(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Integer(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E>
    where
        E: de::Error,
    {
        i64::try_from(v)
            .map(Node::Integer)
            .map_err(|_| E::custom("integer too large"))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_seq<A>(self, mut seq: A) -> Result<Node, A::Error>
    where
        A: SeqAccess<'de>,
    {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A>(self, mut map: A) -> Result<Node, A::Error>
    where
        A: MapAccess<'de>,
    {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == TOML_DATETIME_KEY {
                let text: String = map.next_value()?;
                return Ok(Node::Datetime(text));
            }
            entries.push((key, map.next_value::<Spanned<Node>>()?));
        }
        Ok(Node::Table(entries))
    }
}

/// Reads the file into its tree. A syntax error is the one problem that stops the reading.
pub fn parse_document(src: &str) -> Result<Spanned<Node>, toml::de::Error> {
    let entries: Vec<(String, Spanned<Node>)> = match toml::from_str::<Node>(src)? {
        Node::Table(entries) => entries,
        _ => Vec::new(),
    };
    Ok(Spanned::new(0..0, Node::Table(entries)))
}

/// Byte offset → 1-based line number.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(src: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i.saturating_add(1)))
            .collect();
        Self { starts }
    }

    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }

    pub fn line_of(&self, span: &Range<usize>) -> usize {
        self.line(span.start)
    }
}

/// A table of the tree with its place in the file.
#[derive(Debug, Clone)]
pub struct TableRef<'a> {
    pub entries: &'a [(String, Spanned<Node>)],
    pub span: Range<usize>,
}

impl<'a> TableRef<'a> {
    pub fn of(node: &'a Spanned<Node>) -> Option<Self> {
        match node.get_ref() {
            Node::Table(entries) => Some(Self {
                entries,
                span: node.span(),
            }),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&'a Spanned<Node>> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn keys(&self) -> impl Iterator<Item = (&'a str, &'a Spanned<Node>)> + 'a {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_keeps_order_spans_and_datetimes() {
        let src = "[campaign]\nid = \"x\"\nd = 2025-06-03T23:59:00\n\n[[sections]]\nid = \"a\"\n";
        let doc = parse_document(src).unwrap();
        let lines = LineIndex::new(src);
        let root = TableRef::of(&doc).unwrap();
        let campaign = TableRef::of(root.get("campaign").unwrap()).unwrap();
        assert_eq!(
            campaign.get("d").unwrap().get_ref(),
            &Node::Datetime("2025-06-03T23:59:00".into())
        );
        assert_eq!(lines.line_of(&campaign.get("d").unwrap().span()), 3);
        let Node::Array(sections) = root.get("sections").unwrap().get_ref() else {
            panic!()
        };
        assert_eq!(lines.line_of(&sections[0].span()), 5);
    }

    #[test]
    fn line_index() {
        let lines = LineIndex::new("a\nb\n\nc");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(2), 2);
        assert_eq!(lines.line(4), 3);
        assert_eq!(lines.line(5), 4);
    }
}
