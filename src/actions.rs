//! Button payloads (`callback_data`, at most 64 bytes). Anything that does not parse is treated
//! as a stale or forged button; every action is checked against the presser's role and unit
//! again, and questionnaire buttons name the question they belong to, so a button under an
//! older question cannot answer the current one.

use crate::domain::{Lang, Role};
use crate::export::Format;
use crate::policy::Capability;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SetLanguage(Lang),
    InviteRole(Role),
    InviteUnit {
        role: Role,
        unit_id: i64,
    },
    RevokeInvitation(i64),
    /// A button under a question: `question` is the question's index in the dialog file
    /// (groups count as one index, then their members), `item` the group item.
    Step {
        innovation: i64,
        question: u16,
        item: u16,
        step: Step,
    },
    Resume(i64),
    Review(i64),
    Edit {
        innovation: i64,
        question: u16,
        item: u16,
    },
    RemoveFile {
        innovation: i64,
        evidence: i64,
    },
    Submit(i64),
    /// A step of composing broadcast `id`.
    Broadcast {
        id: i64,
        step: BroadcastStep,
    },
    /// A reviewer approves a submitted innovation.
    Approve(i64),
    /// A reviewer starts (or goes on) writing comments to send an innovation back.
    SendBack(i64),
    /// The reviewer picks the question their next message comments on.
    CommentOn {
        innovation: i64,
        question: u16,
        item: u16,
    },
    /// Sends the drafted comments: the innovation goes back to its unit.
    SendComments(i64),
    /// Drops the drafted comments.
    CancelSendBack(i64),
    /// The bureau selects an approved innovation for KIPP, or takes the selection back.
    Select(i64),
    Unselect(i64),
    Export(Format),
    Proposal(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastStep {
    Everyone,
    PickUnits,
    ToggleUnit(i64),
    UnitsDone,
    Incomplete,
    Coordinators,
    Send,
    Cancel,
}

impl BroadcastStep {
    fn encode(self) -> String {
        match self {
            Self::Everyone => "a".into(),
            Self::PickUnits => "u".into(),
            Self::ToggleUnit(unit) => format!("t{unit}"),
            Self::UnitsDone => "ud".into(),
            Self::Incomplete => "i".into(),
            Self::Coordinators => "c".into(),
            Self::Send => "s".into(),
            Self::Cancel => "x".into(),
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "a" => Self::Everyone,
            "u" => Self::PickUnits,
            "ud" => Self::UnitsDone,
            "i" => Self::Incomplete,
            "c" => Self::Coordinators,
            "s" => Self::Send,
            "x" => Self::Cancel,
            _ => Self::ToggleUnit(raw.strip_prefix('t')?.parse().ok()?),
        })
    }
}

/// A button under a question is the dialog's own [`Press`](crate::dialog::Press): the
/// payload only adds its encoding.
pub use crate::dialog::Press as Step;

impl Step {
    fn encode(self) -> String {
        match self {
            Step::Choose(option) => format!("c{option}"),
            Step::Tick(option) => format!("k{option}"),
            Step::Untick(option) => format!("u{option}"),
            Step::Toggle(option) => format!("t{option}"),
            Step::Done => "ok".into(),
            Step::Yes => "y".into(),
            Step::No => "n".into(),
            Step::Skip => "s".into(),
            Step::Back => "b".into(),
            Step::Pause => "p".into(),
            Step::ClearDraft => "x".into(),
            Step::AddAnother(yes) => format!("a{}", u8::from(yes)),
        }
    }

    fn parse(raw: &str) -> Option<Step> {
        Some(match raw {
            "ok" => Step::Done,
            "y" => Step::Yes,
            "n" => Step::No,
            "s" => Step::Skip,
            "b" => Step::Back,
            "p" => Step::Pause,
            "x" => Step::ClearDraft,
            "a1" => Step::AddAnother(true),
            "a0" => Step::AddAnother(false),
            _ => match raw.split_at_checked(1)? {
                ("c", n) => Step::Choose(n.parse().ok()?),
                ("k", n) => Step::Tick(n.parse().ok()?),
                ("u", n) => Step::Untick(n.parse().ok()?),
                ("t", n) => Step::Toggle(n.parse().ok()?),
                _ => return None,
            },
        })
    }
}

impl Action {
    /// What a role must be allowed (see [`crate::policy`]) to press this button at all; acts on
    /// one innovation are checked again against that innovation by the handler.
    pub fn capability(&self) -> Capability {
        match self {
            // Resume falls back to the summary for those who may not answer.
            Self::SetLanguage(_) | Self::Resume(_) | Self::Review(_) | Self::Proposal(_) => {
                Capability::Basics
            }
            Self::Step { .. } | Self::Edit { .. } | Self::RemoveFile { .. } | Self::Submit(_) => {
                Capability::Draft
            }
            Self::Approve(_)
            | Self::SendBack(_)
            | Self::CommentOn { .. }
            | Self::SendComments(_)
            | Self::CancelSendBack(_)
            | Self::Export(_) => Capability::Review,
            Self::InviteRole(_)
            | Self::InviteUnit { .. }
            | Self::RevokeInvitation(_)
            | Self::Broadcast { .. }
            | Self::Select(_)
            | Self::Unselect(_) => Capability::RunCampaign,
        }
    }

    pub fn encode(&self) -> String {
        match self {
            Action::SetLanguage(lang) => format!("lang:{}", lang.code()),
            Action::InviteRole(role) => format!("inv:r:{role}"),
            Action::InviteUnit { role, unit_id } => format!("inv:u:{role}:{unit_id}"),
            Action::RevokeInvitation(id) => format!("rev:{id}"),
            Action::Step {
                innovation,
                question,
                item,
                step,
            } => format!("d:{innovation}:{question}:{item}:{}", step.encode()),
            Action::Resume(id) => format!("r:{id}"),
            Action::Review(id) => format!("v:{id}"),
            Action::Edit {
                innovation,
                question,
                item,
            } => format!("e:{innovation}:{question}:{item}"),
            Action::RemoveFile {
                innovation,
                evidence,
            } => format!("x:{innovation}:{evidence}"),
            Action::Submit(id) => format!("s:{id}"),
            Action::Broadcast { id, step } => format!("b:{id}:{}", step.encode()),
            Action::Approve(id) => format!("ap:{id}"),
            Action::SendBack(id) => format!("sb:{id}"),
            Action::CommentOn {
                innovation,
                question,
                item,
            } => format!("cq:{innovation}:{question}:{item}"),
            Action::SendComments(id) => format!("sc:{id}"),
            Action::CancelSendBack(id) => format!("cc:{id}"),
            Action::Select(id) => format!("sel:{id}"),
            Action::Unselect(id) => format!("uns:{id}"),
            Action::Export(format) => format!("ex:{}", crate::exporting::format_name(*format)),
            Action::Proposal(id) => format!("pr:{id}"),
        }
    }

    pub fn parse(data: &str) -> Option<Action> {
        let parts: Vec<&str> = data.split(':').collect();
        match parts.as_slice() {
            ["lang", code] => Lang::parse(code).map(Action::SetLanguage),
            ["inv", "r", role] => Role::parse(role).map(Action::InviteRole),
            ["inv", "u", role, unit_id] => Some(Action::InviteUnit {
                role: Role::parse(role)?,
                unit_id: unit_id.parse().ok()?,
            }),
            ["rev", id] => id.parse().ok().map(Action::RevokeInvitation),
            ["d", innovation, question, item, step] => Some(Action::Step {
                innovation: innovation.parse().ok()?,
                question: question.parse().ok()?,
                item: item.parse().ok()?,
                step: Step::parse(step)?,
            }),
            ["r", id] => id.parse().ok().map(Action::Resume),
            ["v", id] => id.parse().ok().map(Action::Review),
            ["e", innovation, question, item] => Some(Action::Edit {
                innovation: innovation.parse().ok()?,
                question: question.parse().ok()?,
                item: item.parse().ok()?,
            }),
            ["x", innovation, evidence] => Some(Action::RemoveFile {
                innovation: innovation.parse().ok()?,
                evidence: evidence.parse().ok()?,
            }),
            ["s", id] => id.parse().ok().map(Action::Submit),
            ["b", id, step] => Some(Action::Broadcast {
                id: id.parse().ok()?,
                step: BroadcastStep::parse(step)?,
            }),
            ["ap", id] => id.parse().ok().map(Action::Approve),
            ["sb", id] => id.parse().ok().map(Action::SendBack),
            ["cq", innovation, question, item] => Some(Action::CommentOn {
                innovation: innovation.parse().ok()?,
                question: question.parse().ok()?,
                item: item.parse().ok()?,
            }),
            ["sc", id] => id.parse().ok().map(Action::SendComments),
            ["cc", id] => id.parse().ok().map(Action::CancelSendBack),
            ["sel", id] => id.parse().ok().map(Action::Select),
            ["uns", id] => id.parse().ok().map(Action::Unselect),
            ["ex", code] => Format::ALL
                .into_iter()
                .find(|format| crate::exporting::format_name(*format) == *code)
                .map(Action::Export),
            ["pr", id] => id.parse().ok().map(Action::Proposal),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_within_telegrams_limit() {
        let actions = [
            Action::SetLanguage(Lang::En),
            Action::InviteRole(Role::Coordinator),
            Action::InviteUnit {
                role: Role::Staff,
                unit_id: 42,
            },
            Action::RevokeInvitation(7),
            Action::Step {
                innovation: i64::MAX,
                question: u16::MAX,
                item: u16::MAX,
                step: Step::Toggle(u16::MAX),
            },
            Action::Step {
                innovation: 1,
                question: 2,
                item: 0,
                step: Step::AddAnother(false),
            },
            Action::Resume(3),
            Action::Review(3),
            Action::Edit {
                innovation: 3,
                question: 4,
                item: 1,
            },
            Action::RemoveFile {
                innovation: 3,
                evidence: i64::MAX,
            },
            Action::Submit(9),
            Action::Broadcast {
                id: i64::MAX,
                step: BroadcastStep::ToggleUnit(i64::MAX),
            },
            Action::Broadcast {
                id: 2,
                step: BroadcastStep::UnitsDone,
            },
            Action::Approve(i64::MAX),
            Action::SendBack(4),
            Action::CommentOn {
                innovation: i64::MAX,
                question: u16::MAX,
                item: u16::MAX,
            },
            Action::SendComments(4),
            Action::CancelSendBack(4),
            Action::Select(5),
            Action::Unselect(5),
            Action::Export(Format::Xlsx),
            Action::Export(Format::Csv),
            Action::Export(Format::Json),
            Action::Export(Format::Zip),
            Action::Proposal(6),
        ];
        for action in actions {
            let data = action.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Action::parse(&data), Some(action));
        }
        for forged in [
            "ex:pdf",
            "cq:1:2",
            "sel:",
            "rev:x",
            "nonsense",
            "d:1:2:3:zz",
            "d:1:2:3",
            "e:-:1:1",
            "",
        ] {
            assert_eq!(Action::parse(forged), None, "{forged}");
        }
    }

    /// Every variant of `Action`, `Step` and `BroadcastStep` with ids at their longest (`i64::MAX`,
    /// and `i64::MIN`, whose minus sign is one byte more), u16 indexes at `u16::MAX`.
    fn every_action_at_its_longest() -> Vec<Action> {
        let steps = [
            Step::Choose(u16::MAX),
            Step::Tick(u16::MAX),
            Step::Untick(u16::MAX),
            Step::Toggle(u16::MAX),
            Step::Done,
            Step::Yes,
            Step::No,
            Step::Skip,
            Step::Back,
            Step::Pause,
            Step::ClearDraft,
            Step::AddAnother(true),
            Step::AddAnother(false),
        ];
        let mut actions = Vec::new();
        for id in [i64::MAX, i64::MIN] {
            let broadcast_steps = [
                BroadcastStep::Everyone,
                BroadcastStep::PickUnits,
                BroadcastStep::ToggleUnit(id),
                BroadcastStep::UnitsDone,
                BroadcastStep::Incomplete,
                BroadcastStep::Coordinators,
                BroadcastStep::Send,
                BroadcastStep::Cancel,
            ];
            actions.extend([Lang::Id, Lang::En].map(Action::SetLanguage));
            actions.extend(Role::ALL.map(Action::InviteRole));
            actions.extend(Role::ALL.map(|role| Action::InviteUnit { role, unit_id: id }));
            actions.push(Action::RevokeInvitation(id));
            actions.extend(steps.map(|step| Action::Step {
                innovation: id,
                question: u16::MAX,
                item: u16::MAX,
                step,
            }));
            actions.push(Action::Resume(id));
            actions.push(Action::Review(id));
            actions.push(Action::Edit {
                innovation: id,
                question: u16::MAX,
                item: u16::MAX,
            });
            actions.push(Action::RemoveFile {
                innovation: id,
                evidence: id,
            });
            actions.push(Action::Submit(id));
            actions.extend(broadcast_steps.map(|step| Action::Broadcast { id, step }));
            actions.push(Action::Approve(id));
            actions.push(Action::SendBack(id));
            actions.push(Action::CommentOn {
                innovation: id,
                question: u16::MAX,
                item: u16::MAX,
            });
            actions.push(Action::SendComments(id));
            actions.push(Action::CancelSendBack(id));
            actions.push(Action::Select(id));
            actions.push(Action::Unselect(id));
            actions.extend(Format::ALL.map(Action::Export));
            actions.push(Action::Proposal(id));
        }
        actions
    }

    /// Which variant an action is; no wildcard, so a new variant does not compile until it is
    /// named here (and then the test below asks for it in the list above).
    fn variant(action: &Action) -> usize {
        match action {
            Action::SetLanguage(_) => 0,
            Action::InviteRole(_) => 1,
            Action::InviteUnit { .. } => 2,
            Action::RevokeInvitation(_) => 3,
            Action::Step { .. } => 4,
            Action::Resume(_) => 5,
            Action::Review(_) => 6,
            Action::Edit { .. } => 7,
            Action::RemoveFile { .. } => 8,
            Action::Submit(_) => 9,
            Action::Broadcast { .. } => 10,
            Action::Approve(_) => 11,
            Action::SendBack(_) => 12,
            Action::CommentOn { .. } => 13,
            Action::SendComments(_) => 14,
            Action::CancelSendBack(_) => 15,
            Action::Select(_) => 16,
            Action::Unselect(_) => 17,
            Action::Export(_) => 18,
            Action::Proposal(_) => 19,
        }
    }

    #[test]
    fn every_variant_fits_64_bytes_with_the_largest_ids() {
        let actions = every_action_at_its_longest();
        let mut seen = [false; 20];
        for action in actions {
            seen[variant(&action)] = true;
            let data = action.encode();
            assert!(
                data.len() <= crate::telegram::split::CALLBACK_DATA_BYTES,
                "{} bytes: {data}",
                data.len()
            );
            assert_eq!(Action::parse(&data), Some(action), "{data}");
        }
        assert!(
            seen.iter().all(|seen| *seen),
            "a variant is missing: {seen:?}"
        );
    }
}
