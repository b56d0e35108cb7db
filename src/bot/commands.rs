//! The commands, who may use them, and how a message is read as a command.
//!
//! [`COMMANDS`] is the single source for the per-role menu (setMyCommands) and `/help`; who may
//! use a command is the [`policy`](crate::policy) capability it names, checked on every call.

use teloxide::types::BotCommand;

use crate::{
    domain::{Lang, Role},
    policy::{self, Capability},
};

pub struct CommandInfo {
    pub name: &'static str,
    pub capability: Capability,
    pub description_id: &'static str,
    pub description_en: &'static str,
}

impl CommandInfo {
    pub fn allows(&self, role: Role) -> bool {
        policy::allows(role, self.capability)
    }

    pub fn description(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Id => self.description_id,
            Lang::En => self.description_en,
        }
    }
}

const EVERYONE: Capability = Capability::Basics;
const BUREAU: Capability = Capability::RunCampaign;
const STAFF: Capability = Capability::Draft;
const REVIEWERS: Capability = Capability::Review;

pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "start",
        capability: EVERYONE,
        description_id: "Mulai / daftar dengan tautan undangan",
        description_en: "Start / register with an invitation link",
    },
    CommandInfo {
        name: "help",
        capability: EVERYONE,
        description_id: "Perintah yang tersedia untuk Anda",
        description_en: "The commands available to you",
    },
    CommandInfo {
        name: "whoami",
        capability: EVERYONE,
        description_id: "Nama, peran, dan unit Anda",
        description_en: "Your name, role and unit",
    },
    CommandInfo {
        name: "lang",
        capability: EVERYONE,
        description_id: "Ganti bahasa (Indonesia / English)",
        description_en: "Change language (Indonesian / English)",
    },
    CommandInfo {
        name: "new",
        capability: STAFF,
        description_id: "Mulai inovasi baru untuk unit Anda",
        description_en: "Start a new innovation for your unit",
    },
    CommandInfo {
        name: "list",
        capability: EVERYONE,
        description_id: "Daftar inovasi dan kelengkapannya",
        description_en: "The innovations and how complete they are",
    },
    CommandInfo {
        name: "review",
        capability: EVERYONE,
        description_id: "Ringkasan inovasi; ubah jawaban, atau setujui/kembalikan",
        description_en: "An innovation's summary; change answers, or approve/send back",
    },
    CommandInfo {
        name: "submit",
        capability: STAFF,
        description_id: "Kirim inovasi yang sudah lengkap",
        description_en: "Submit a complete innovation",
    },
    CommandInfo {
        name: "reopen",
        capability: REVIEWERS,
        description_id: "Buka kembali inovasi yang sudah dikirim",
        description_en: "Reopen a submitted innovation",
    },
    CommandInfo {
        name: "status",
        capability: EVERYONE,
        description_id: "Tenggat unit, penutupan nasional, sisa hari",
        description_en: "Unit deadline, national close, days left",
    },
    CommandInfo {
        name: "digest",
        capability: REVIEWERS,
        description_id: "Ringkasan kemajuan sekarang",
        description_en: "The progress digest, now",
    },
    CommandInfo {
        name: "cancel",
        capability: EVERYONE,
        description_id: "Batalkan yang sedang berjalan",
        description_en: "Cancel what is in progress",
    },
    CommandInfo {
        name: "deadline",
        capability: BUREAU,
        description_id: "Tetapkan tenggat unit atau penutupan nasional",
        description_en: "Set the units' deadline or the national close",
    },
    CommandInfo {
        name: "broadcast",
        capability: BUREAU,
        description_id: "Kirim pengumuman",
        description_en: "Send an announcement",
    },
    CommandInfo {
        name: "select",
        capability: BUREAU,
        description_id: "Pilih inovasi yang disetujui untuk KIPP",
        description_en: "Select an approved innovation for KIPP",
    },
    CommandInfo {
        name: "unselect",
        capability: BUREAU,
        description_id: "Batalkan pilihan KIPP sebuah inovasi",
        description_en: "Take back an innovation's KIPP selection",
    },
    CommandInfo {
        name: "export",
        capability: REVIEWERS,
        description_id: "Ekspor data (Excel, CSV, JSON, arsip bukti)",
        description_en: "Export the data (Excel, CSV, JSON, evidence archive)",
    },
    CommandInfo {
        name: "proposal",
        capability: EVERYONE,
        description_id: "Draf proposal sebuah inovasi (DOCX dan Markdown)",
        description_en: "An innovation's proposal draft (DOCX and Markdown)",
    },
    CommandInfo {
        name: "units",
        capability: BUREAU,
        description_id: "Daftar dan tambah unit kerja",
        description_en: "List and add work units",
    },
    CommandInfo {
        name: "invite",
        capability: BUREAU,
        description_id: "Buat tautan undangan",
        description_en: "Create an invitation link",
    },
    CommandInfo {
        name: "invitations",
        capability: BUREAU,
        description_id: "Undangan yang berlaku; cabut undangan",
        description_en: "Open invitations; revoke one",
    },
    CommandInfo {
        name: "users",
        capability: BUREAU,
        description_id: "Daftar pengguna",
        description_en: "List the users",
    },
    CommandInfo {
        name: "user",
        capability: BUREAU,
        description_id: "Ubah peran/unit, atau nonaktifkan pengguna",
        description_en: "Change a user's role/unit, or deactivate them",
    },
];

pub fn command_info(name: &str) -> Option<&'static CommandInfo> {
    COMMANDS.iter().find(|info| info.name == name)
}

/// The commands a role sees, in the menu and in `/help`.
pub fn commands_for(role: Role) -> impl Iterator<Item = &'static CommandInfo> {
    COMMANDS.iter().filter(move |info| info.allows(role))
}

/// The menu shown to strangers (and to everyone before a per-chat menu is set).
pub fn public_menu(lang: Lang) -> Vec<BotCommand> {
    ["start", "help"]
        .into_iter()
        .filter_map(command_info)
        .map(|info| BotCommand::new(info.name, info.description(lang)))
        .collect()
}

pub fn menu_for(role: Role, lang: Lang) -> Vec<BotCommand> {
    commands_for(role)
        .map(|info| BotCommand::new(info.name, info.description(lang)))
        .collect()
}

/// A message read as a command: `/name@bot args` → ("name", "args").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCommand<'a> {
    pub name: String,
    pub args: &'a str,
}

pub fn parse_command<'a>(text: &'a str, bot_username: &str) -> Option<ParsedCommand<'a>> {
    let rest = text.strip_prefix('/')?;
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (name, addressee) = head.split_once('@').unwrap_or((head, ""));
    if !addressee.is_empty() && !addressee.eq_ignore_ascii_case(bot_username) {
        return None;
    }
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(ParsedCommand {
        name: name.to_ascii_lowercase(),
        args: args.trim(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands() {
        let parsed = parse_command("/start abc", "kipp_bot").unwrap();
        assert_eq!((parsed.name.as_str(), parsed.args), ("start", "abc"));
        let parsed = parse_command("/Help@KIPP_bot", "kipp_bot").unwrap();
        assert_eq!(parsed.name, "help");
        assert!(parse_command("/help@other_bot", "kipp_bot").is_none());
        assert!(parse_command("hello", "kipp_bot").is_none());
        assert!(parse_command("/", "kipp_bot").is_none());
        assert!(parse_command("/<b>", "kipp_bot").is_none());
    }

    #[test]
    fn menus_follow_roles() {
        let staff: Vec<_> = commands_for(Role::Staff).map(|c| c.name).collect();
        assert!(staff.contains(&"help") && !staff.contains(&"invite"));
        let bureau: Vec<_> = commands_for(Role::Bureau).map(|c| c.name).collect();
        assert!(bureau.contains(&"invite") && bureau.contains(&"units"));
    }
}
