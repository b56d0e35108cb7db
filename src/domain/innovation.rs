use std::fmt;

/// Where an innovation stands in the pipeline.
///
/// draft → submitted → (returned → submitted …) → approved → selected. A coordinator or the bureau
/// may reopen a submitted or approved innovation back to draft; a selected one only after the
/// bureau takes the selection back (who may do what is decided in `src/policy.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InnovationState {
    Draft,
    Submitted,
    /// Sent back by a reviewer with comments; editable again like a draft.
    Returned,
    Approved,
    /// Chosen by the bureau to go forward to KIPP (at most the campaign's cap).
    Selected,
}

impl InnovationState {
    pub const ALL: [InnovationState; 5] = [
        Self::Draft,
        Self::Submitted,
        Self::Returned,
        Self::Approved,
        Self::Selected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
            Self::Selected => "selected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == raw.trim().to_ascii_lowercase())
    }

    /// Staff may change answers only in these states.
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

impl fmt::Display for InnovationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
