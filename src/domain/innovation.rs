use std::fmt;

/// Where an innovation stands in the pipeline.
///
/// draft → submitted → (returned → submitted …) → approved → selected. A submitted or approved
/// innovation may be reopened back to draft; a selected one only after the selection is taken
/// back. [`InnovationState::after`] is the one table of these moves; who may make each one is
/// decided in `src/policy.rs`.
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

    /// The state `transition` leads to from this one, or why it cannot start here.
    ///
    /// The only place that says which state a transition starts from and where it goes.
    pub fn after(self, transition: Transition) -> Result<Self, NotAllowed> {
        match (self, transition) {
            (Self::Draft | Self::Returned, Transition::Submit) => Ok(Self::Submitted),
            (Self::Submitted | Self::Approved, Transition::Reopen) => Ok(Self::Draft),
            (Self::Submitted, Transition::Approve) => Ok(Self::Approved),
            (Self::Submitted, Transition::SendBack) => Ok(Self::Returned),
            (Self::Approved, Transition::Select) => Ok(Self::Selected),
            (Self::Selected, Transition::Unselect) => Ok(Self::Approved),
            (from, transition) => Err(NotAllowed { from, transition }),
        }
    }
}

impl fmt::Display for InnovationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change of state someone can ask for; [`InnovationState::after`] says where it may start
/// and where it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transition {
    /// Staff hand in a draft, or an innovation sent back to them, for review.
    Submit,
    /// A reviewer turns it back into a draft.
    Reopen,
    Approve,
    /// A reviewer returns it to its unit with comments.
    SendBack,
    /// The bureau chooses it for KIPP (at most the campaign's cap).
    Select,
    /// The bureau takes a selection back.
    Unselect,
}

impl Transition {
    pub const ALL: [Transition; 6] = [
        Self::Submit,
        Self::Reopen,
        Self::Approve,
        Self::SendBack,
        Self::Select,
        Self::Unselect,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Reopen => "reopen",
            Self::Approve => "approve",
            Self::SendBack => "send back",
            Self::Select => "select",
            Self::Unselect => "unselect",
        }
    }
}

impl fmt::Display for Transition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transition asked of an innovation in a state it does not start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {transition} an innovation that is {from}")]
pub struct NotAllowed {
    pub from: InnovationState,
    pub transition: Transition,
}

#[cfg(test)]
mod tests {
    use super::{InnovationState::*, Transition::*, *};

    /// Where each transition leads from each state, written out by hand: one row per state,
    /// one column per transition in the order of [`Transition::ALL`]
    /// (submit, reopen, approve, send back, select, unselect).
    const TABLE: [(InnovationState, [Option<InnovationState>; 6]); 5] = [
        (Draft, [Some(Submitted), None, None, None, None, None]),
        (
            Submitted,
            [
                None,
                Some(Draft),
                Some(Approved),
                Some(Returned),
                None,
                None,
            ],
        ),
        (Returned, [Some(Submitted), None, None, None, None, None]),
        (
            Approved,
            [None, Some(Draft), None, None, Some(Selected), None],
        ),
        (Selected, [None, None, None, None, None, Some(Approved)]),
    ];

    #[test]
    fn every_state_and_transition_goes_where_the_table_says() {
        assert_eq!(
            TABLE.map(|(state, _)| state),
            InnovationState::ALL,
            "one row per state"
        );
        for (from, row) in TABLE {
            for (transition, expected) in Transition::ALL.into_iter().zip(row) {
                let expected = expected.ok_or(NotAllowed { from, transition });
                assert_eq!(from.after(transition), expected, "{from} + {transition}");
            }
        }
    }

    #[test]
    fn staff_may_edit_exactly_what_they_may_submit() {
        for state in InnovationState::ALL {
            assert_eq!(state.is_editable(), state.after(Submit).is_ok(), "{state}");
        }
    }

    #[test]
    fn a_selection_is_taken_back_before_it_is_reopened() {
        assert!(Selected.after(Reopen).is_err());
        assert_eq!(
            Selected
                .after(Unselect)
                .and_then(|state| state.after(Reopen)),
            Ok(Draft)
        );
    }

    #[test]
    fn every_transition_starts_somewhere_and_every_state_is_reached_from_a_draft() {
        for transition in Transition::ALL {
            assert!(
                InnovationState::ALL
                    .into_iter()
                    .any(|state| state.after(transition).is_ok()),
                "{transition}"
            );
        }
        let mut reached = vec![Draft];
        // Each round reaches one step further; as many rounds as states is enough.
        for _ in InnovationState::ALL {
            let next: Vec<InnovationState> = reached
                .iter()
                .flat_map(|state| Transition::ALL.map(|t| state.after(t).ok()))
                .flatten()
                .collect();
            for to in next {
                if !reached.contains(&to) {
                    reached.push(to);
                }
            }
        }
        assert_eq!(reached.len(), InnovationState::ALL.len(), "{reached:?}");
    }

    #[test]
    fn refusals_name_the_state_and_the_transition() {
        assert_eq!(
            Draft.after(SendBack).map_err(|e| e.to_string()),
            Err("cannot send back an innovation that is draft".to_owned())
        );
    }
}
