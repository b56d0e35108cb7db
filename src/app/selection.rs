//! How full the bureau's selection is: how many of the campaign's slots are taken (per group
//! when the cap is split by kelompok) and how many approved innovations wait to be selected.

use super::{App, AppError};
use crate::{
    dialog::GROUP_QUESTION,
    domain::{AnswerValue, InnovationState, Lang},
};

/// One group's share of the selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSlots {
    /// The option id of the group question (`umum`, `replikasi`).
    pub group: String,
    pub selected: u32,
    pub cap: u32,
}

/// The selection at a glance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionSlots {
    pub selected: u32,
    pub cap: u32,
    /// Empty when the cap is not split.
    pub groups: Vec<GroupSlots>,
    /// Approved innovations not selected (yet).
    pub approved_waiting: u32,
}

impl App {
    /// A group's name as the person reads it (the option's label), or its id.
    pub fn group_label(&self, group: &str, lang: Lang) -> String {
        self.dialog
            .question(GROUP_QUESTION)
            .map_or(group, |question| question.option_label(group, lang))
            .to_owned()
    }

    /// The option of the group question the innovation answered, if any.
    pub async fn group_of(&self, innovation_id: i64) -> Result<Option<String>, AppError> {
        Ok(self
            .storage
            .answers(innovation_id)
            .await?
            .into_iter()
            .find(|answer| answer.question_id == GROUP_QUESTION && answer.item == 0)
            .and_then(|answer| match answer.value {
                AnswerValue::Choice { option } => Some(option),
                _ => None,
            }))
    }

    /// How many slots are taken, per group when split, and how many approved innovations wait.
    pub async fn selection_slots(&self) -> Result<SelectionSlots, AppError> {
        let campaign = self.dialog.campaign();
        let mut slots = SelectionSlots {
            selected: 0,
            cap: campaign.max_innovations,
            groups: campaign
                .max_selected_per_group
                .iter()
                .map(|(group, cap)| GroupSlots {
                    group: group.clone(),
                    selected: 0,
                    cap: *cap,
                })
                .collect(),
            approved_waiting: 0,
        };
        for innovation in self.storage.innovations(None).await? {
            match innovation.state {
                InnovationState::Approved => {
                    slots.approved_waiting = slots.approved_waiting.saturating_add(1);
                }
                InnovationState::Selected => {
                    slots.selected = slots.selected.saturating_add(1);
                    if slots.groups.is_empty() {
                        continue;
                    }
                    let group = self.group_of(innovation.id).await?;
                    if let Some(share) = slots
                        .groups
                        .iter_mut()
                        .find(|share| Some(&share.group) == group.as_ref())
                    {
                        share.selected = share.selected.saturating_add(1);
                    }
                }
                _ => {}
            }
        }
        Ok(slots)
    }
}
