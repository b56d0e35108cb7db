//! Every fixed text the exports show, in Indonesian and English, in one place.

use crate::domain::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Txt {
    // Sheets (also the CSV file names, lower-cased).
    SheetInnovations,
    SheetMetrics,
    SheetEvidence,
    // Column headers.
    UnitCode,
    UnitName,
    Id,
    InnovationId,
    Title,
    State,
    PercentComplete,
    Deadline,
    Created,
    LastChange,
    ChangedBy,
    StillMissing,
    OtherAnswers,
    History,
    Group,
    ItemNo,
    Question,
    FileName,
    ArchivePath,
    Kind,
    Mime,
    SizeBytes,
    Sha256,
    UploadedBy,
    UploadedAt,
    CountSuffix,
    FilesSuffix,
    SinovikReady,
    SinovikBlockers,
    Yes,
    NotYet,
    BlockerCount,
    // Proposal.
    ProposalDraft,
    Unit,
    By,
    Complete,
    Late,
    EvidenceList,
    MissingList,
    NothingMissing,
    NoEvidence,
    NotAnswered,
    NotUploaded,
    Untitled,
    Words,
    OverLimit,
    UnderMinimum,
    No,
    BoxTotal,
    // Archive.
    MissingFileNote,
}

impl Txt {
    pub(crate) fn get(self, lang: Lang) -> &'static str {
        let (id, en) = match self {
            Self::SheetInnovations => ("Inovasi", "Innovations"),
            Self::SheetMetrics => ("Metrik", "Metrics"),
            Self::SheetEvidence => ("Bukti", "Evidence"),
            Self::UnitCode => ("Kode unit", "Unit code"),
            Self::UnitName => ("Nama unit", "Unit name"),
            Self::Id => ("ID", "ID"),
            Self::InnovationId => ("ID inovasi", "Innovation ID"),
            Self::Title => ("Judul", "Title"),
            Self::State => ("Status", "State"),
            Self::PercentComplete => ("% lengkap", "% complete"),
            Self::Deadline => ("Tenggat", "Deadline"),
            Self::Created => ("Dibuat", "Created"),
            Self::LastChange => ("Perubahan terakhir", "Last change"),
            Self::ChangedBy => ("Diubah oleh", "Changed by"),
            Self::StillMissing => ("Belum lengkap", "Still missing"),
            Self::OtherAnswers => (
                "Jawaban lain (pertanyaan yang sudah dihapus)",
                "Other answers (questions no longer asked)",
            ),
            Self::History => ("Riwayat status", "State history"),
            Self::Group => ("Kelompok pertanyaan", "Question group"),
            Self::ItemNo => ("No. item", "Item no."),
            Self::Question => ("Pertanyaan", "Question"),
            Self::FileName => ("Nama file", "File name"),
            Self::ArchivePath => ("Berkas di arsip", "Path in archive"),
            Self::Kind => ("Jenis", "Kind"),
            Self::Mime => ("MIME", "MIME"),
            Self::SizeBytes => ("Ukuran (byte)", "Size (bytes)"),
            Self::Sha256 => ("SHA-256", "SHA-256"),
            Self::UploadedBy => ("Diunggah oleh", "Uploaded by"),
            Self::UploadedAt => ("Diunggah pada", "Uploaded at"),
            Self::CountSuffix => ("jumlah", "count"),
            Self::FilesSuffix => ("jumlah file", "files"),
            Self::SinovikReady => ("Siap SINOVIK", "SINOVIK-ready"),
            Self::SinovikBlockers => ("Kendala SINOVIK", "SINOVIK blockers"),
            Self::Yes => ("ya", "yes"),
            Self::NotYet => ("tidak", "no"),
            Self::BlockerCount => ("kendala", "blockers"),
            Self::ProposalDraft => ("Draf proposal", "Proposal draft"),
            Self::Unit => ("Unit", "Unit"),
            Self::By => ("oleh", "by"),
            Self::Complete => ("lengkap", "complete"),
            Self::Late => ("terlambat", "late"),
            Self::EvidenceList => ("Daftar bukti", "Evidence"),
            Self::MissingList => ("Yang belum lengkap", "Still missing"),
            Self::NothingMissing => ("Tidak ada: semua sudah lengkap.", "Nothing: all complete."),
            Self::NoEvidence => ("Belum ada file.", "No files yet."),
            Self::NotAnswered => ("belum diisi", "not answered"),
            Self::NotUploaded => ("belum diunggah", "not uploaded"),
            Self::Untitled => ("(belum ada judul)", "(untitled)"),
            Self::Words => ("kata", "words"),
            Self::OverLimit => ("melebihi batas", "over the limit"),
            Self::UnderMinimum => ("di bawah minimum", "under the minimum"),
            Self::No => ("No.", "No."),
            Self::BoxTotal => ("Seluruh kotak", "Whole box"),
            Self::MissingFileNote => (
                "File bukti ini tidak ditemukan di server saat arsip dibuat.",
                "This evidence file was not found on the server when the archive was made.",
            ),
        };
        match lang {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

/// The state as the exports show it: its name, and "terlambat" when it was first handed in
/// after its unit's deadline.
pub(crate) fn state_shown(state: &str, late: bool, lang: Lang) -> String {
    let name = state_label(state, lang);
    if late {
        format!("{name} · {}", Txt::Late.get(lang))
    } else {
        name.to_owned()
    }
}

/// The human name of an innovation state; unknown states are shown as stored.
pub(crate) fn state_label(state: &str, lang: Lang) -> &str {
    let (id, en) = match state {
        "draft" => ("Draf", "Draft"),
        "submitted" => ("Diajukan", "Submitted"),
        "returned" => ("Dikembalikan", "Returned"),
        "approved" => ("Disetujui", "Approved"),
        "selected" => ("Terpilih", "Selected"),
        _ => return state,
    };
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// The human name of an evidence kind; unknown kinds are shown as stored.
pub(crate) fn kind_label(kind: &str, lang: Lang) -> &str {
    let (id, en) = match kind {
        "document" => ("Dokumen", "Document"),
        "photo" => ("Foto", "Photo"),
        "video" => ("Video", "Video"),
        "audio" => ("Audio", "Audio"),
        _ => return kind,
    };
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}
