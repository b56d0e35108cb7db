//! Evidence files: fetched from Telegram into `EVIDENCE_DIR`, named by their SHA-256.
//!
//! A file is written to a temporary name, hashed while it streams, checked against its limit,
//! and only then renamed into place; a failed or interrupted download never leaves a file that
//! looks complete, and nothing is counted until the database row is committed.

use std::path::{Path, PathBuf};

use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::telegram::{TelegramClient, TelegramError};

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than the limit ({size} bytes)")]
    TooLarge { size: u64 },
    /// Telegram's public Bot API serves files of at most 20 MB.
    #[error("Telegram would not hand out the file: {0}")]
    NotDownloadable(String),
    #[error("the file is empty")]
    Empty,
    #[error(transparent)]
    Telegram(#[from] TelegramError),
    #[error("cannot write the evidence file: {0}")]
    Io(#[from] std::io::Error),
}

/// A file safely on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub sha256: String,
    pub size: u64,
    /// Relative to `EVIDENCE_DIR`: `ab/abcdef….pdf`.
    pub relative_path: String,
}

/// Downloads `file_id` into `evidence_dir`, refusing more than `max_bytes`.
pub async fn fetch(
    telegram: &TelegramClient,
    evidence_dir: &Path,
    file_id: &str,
    extension: &str,
    max_bytes: u64,
) -> Result<StoredFile, UploadError> {
    let file = telegram
        .get_file(file_id)
        .await
        .map_err(|error| match error {
            TelegramError::Refused { description, .. } => UploadError::NotDownloadable(description),
            other => UploadError::Telegram(other),
        })?;
    if u64::from(file.size) > max_bytes {
        return Err(UploadError::TooLarge {
            size: u64::from(file.size),
        });
    }
    let temp_dir = evidence_dir.join("tmp");
    tokio::fs::create_dir_all(&temp_dir).await?;
    let temp_path = temp_dir.join(format!("{}.part", rand::random::<u64>()));
    let result = write_file(telegram, &file.path, &temp_path, max_bytes).await;
    let (sha256, size) = match result {
        Ok(done) => done,
        Err(error) => {
            let _ = tokio::fs::remove_file(&temp_path).await;
            return Err(error);
        }
    };
    // Files are spread over folders named after the hash's first two hex digits.
    let folder: String = sha256.chars().take(2).collect();
    let relative_path = format!("{folder}/{sha256}{}", safe_extension(extension));
    let final_path = evidence_dir.join(&relative_path);
    if let Some(folder) = final_path.parent() {
        tokio::fs::create_dir_all(folder).await?;
    }
    // Same content, same name: a second upload of the same bytes replaces nothing.
    tokio::fs::rename(&temp_path, &final_path).await?;
    Ok(StoredFile {
        sha256,
        size,
        relative_path,
    })
}

async fn write_file(
    telegram: &TelegramClient,
    file_path: &str,
    temp_path: &PathBuf,
    max_bytes: u64,
) -> Result<(String, u64), UploadError> {
    let mut out = tokio::fs::File::create(temp_path).await?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    // A local Bot API server (`--local`) answers getFile with an absolute path on this machine.
    if Path::new(file_path).is_absolute() && tokio::fs::try_exists(file_path).await? {
        let mut source = tokio::fs::File::open(file_path).await?;
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let read = tokio::io::AsyncReadExt::read(&mut source, &mut buffer).await?;
            if read == 0 {
                break;
            }
            let chunk = buffer.get(..read).ok_or_else(|| {
                std::io::Error::other("a read reported more bytes than its buffer")
            })?;
            size = size.saturating_add(read as u64);
            if size > max_bytes {
                return Err(UploadError::TooLarge { size });
            }
            hasher.update(chunk);
            out.write_all(chunk).await?;
        }
    } else {
        let response = telegram.download(file_path).await?;
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| {
                UploadError::Telegram(TelegramError::Unavailable {
                    method: "download",
                    detail: error.without_url().to_string(),
                })
            })?;
            size = size.saturating_add(chunk.len() as u64);
            if size > max_bytes {
                return Err(UploadError::TooLarge { size });
            }
            hasher.update(&chunk);
            out.write_all(&chunk).await?;
        }
    }
    if size == 0 {
        return Err(UploadError::Empty);
    }
    out.flush().await?;
    out.sync_all().await?;
    Ok((hex::encode(hasher.finalize()), size))
}

/// `.pdf` from "Surat Keputusan.PDF"; nothing for names without a plain extension.
pub fn safe_extension(extension: &str) -> String {
    let extension = extension.trim_start_matches('.').to_ascii_lowercase();
    if (1..=8).contains(&extension.len()) && extension.chars().all(|c| c.is_ascii_alphanumeric()) {
        format!(".{extension}")
    } else {
        String::new()
    }
}

/// The extension of an uploaded file, from its name or else its MIME type.
pub fn extension_for(name: Option<&str>, mime: Option<&str>) -> String {
    if let Some((_, extension)) = name.and_then(|name| name.rsplit_once('.')) {
        let extension = safe_extension(extension);
        if !extension.is_empty() {
            return extension;
        }
    }
    let from_mime = match mime.unwrap_or("") {
        "application/pdf" => ".pdf",
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "video/mp4" => ".mp4",
        "application/msword" => ".doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => ".docx",
        "application/vnd.ms-excel" => ".xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => ".xlsx",
        _ => "",
    };
    from_mime.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_safe() {
        assert_eq!(extension_for(Some("SK Kepala.PDF"), None), ".pdf");
        assert_eq!(extension_for(Some("../../etc/passwd"), None), "");
        assert_eq!(extension_for(Some("a.p/df"), Some("image/png")), ".png");
        assert_eq!(extension_for(None, Some("image/jpeg")), ".jpg");
        assert_eq!(safe_extension("tar.gz"), "");
    }
}
