//! What every writer reads: a snapshot of the campaign that the storage layer builds.
//! Plain data, no database handles: the writers are pure over these types.

use std::path::PathBuf;

use chrono::NaiveDateTime;

use crate::domain::AnswerValue;

/// Everything one export holds.
#[derive(Debug, Clone)]
pub struct ExportSet {
    /// e.g. "KIPP 2025".
    pub campaign_name: String,
    /// The bot's local time.
    pub generated_at: NaiveDateTime,
    /// The name of the bot's local time zone, e.g. "WIB"; every time in the set is local.
    pub timezone_label: String,
    pub innovations: Vec<InnovationRecord>,
}

/// One innovation with everything stored about it.
#[derive(Debug, Clone)]
pub struct InnovationRecord {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    /// Empty while the title question is unanswered.
    pub title: String,
    /// draft | submitted | returned | approved | selected
    pub state: String,
    /// First handed in after its unit's deadline.
    pub late: bool,
    pub percent_complete: u8,
    /// Local time.
    pub deadline: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
    /// Every stored answer, including ids the current dialog no longer has.
    pub answers: Vec<AnswerRecord>,
    pub evidence: Vec<EvidenceRecord>,
    /// Submitted, sent back, approved, selected, reopened.
    pub history: Vec<StateChange>,
    /// Human sentences, e.g. "Dasar hukum (SK) belum diunggah".
    pub missing: Vec<String>,
    /// What keeps it from SINOVIK (`Dialog::readiness`), as human sentences; empty: ready.
    pub sinovik_blockers: Vec<String>,
}

/// One stored answer: a question id and, for group members, the 0-based item (0 otherwise).
#[derive(Debug, Clone)]
pub struct AnswerRecord {
    pub question_id: String,
    pub item: u16,
    pub value: AnswerValue,
    pub answered_by: String,
    pub answered_at: NaiveDateTime,
}

/// One uploaded file.
#[derive(Debug, Clone)]
pub struct EvidenceRecord {
    pub id: i64,
    pub question_id: String,
    pub item: u16,
    /// document | photo | video (| audio)
    pub kind: String,
    pub original_name: Option<String>,
    pub mime_type: Option<String>,
    pub size_bytes: u64,
    /// Lower-case hex SHA-256 of the bytes, as recorded at upload.
    pub sha256: String,
    /// Where the bytes are on disk.
    pub path: PathBuf,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
}

/// One change of an innovation's state.
#[derive(Debug, Clone)]
pub struct StateChange {
    pub at: NaiveDateTime,
    pub actor: String,
    pub from: String,
    pub to: String,
    pub comment: Option<String>,
}
