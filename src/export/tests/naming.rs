//! Archive names: readable, ASCII, bounded, never a path.

use crate::export::naming::{
    evidence_file_name, innovation_folder, is_precompressed, root_file_name, slug, unit_folder,
};

#[test]
fn slugs_fold_accents_and_drop_everything_else() {
    assert_eq!(slug("Dasar hukum (SK)", 30), "dasar-hukum-sk");
    assert_eq!(slug("Désa Mékar — Ñusa", 30), "desa-mekar-nusa");
    assert_eq!(slug("../../etc/passwd", 30), "etc-passwd");
    assert_eq!(slug("a\u{0}b\nc", 30), "a-b-c");
    assert_eq!(slug("Straße", 30), "strasse");
    assert_eq!(slug("日本語", 30), "");
    assert_eq!(slug("abc def ghi", 5), "abc-d");
    assert_eq!(slug("abc def", 4), "abc");
}

#[test]
fn evidence_names() {
    let name = |label, original, mime, kind| evidence_file_name(1, label, original, mime, kind);
    assert_eq!(
        name(
            "Dasar hukum (SK)",
            Some("SK Kepala.pdf"),
            Some("application/pdf"),
            "document"
        ),
        "01-dasar-hukum-sk-sk-kepala.pdf"
    );
    assert_eq!(
        name(
            "Dasar hukum (SK)",
            Some("../../etc/passwd"),
            None,
            "document"
        ),
        "01-dasar-hukum-sk-passwd.bin"
    );
    assert_eq!(
        name("Foto", Some("..\\..\\x.JPG"), None, "photo"),
        "01-foto-x.jpg"
    );
    assert_eq!(
        name("Foto", None, Some("image/png"), "photo"),
        "01-foto.png"
    );
    assert_eq!(name("Foto", None, None, "photo"), "01-foto.jpg");
    assert_eq!(
        name("Video", Some(".hidden"), None, "video"),
        "01-video-hidden.mp4"
    );
    assert_eq!(
        name("Data", Some("laporan.tar.gz"), None, "document"),
        "01-data-laporan-tar.gz"
    );
    assert_eq!(
        name("Data", Some("a.<script>"), None, "document"),
        "01-data-a-script.bin"
    );
    let long = "sangat panjang ".repeat(20) + ".pdf";
    let long = name(
        "Laporan evaluasi yang sangat penting sekali",
        Some(&long),
        None,
        "document",
    );
    assert!(long.len() <= 80, "{long}");
    assert!(long.ends_with(".pdf"));
    assert!(!long.contains("--"));
    assert_eq!(
        evidence_file_name(123, "", None, None, "document"),
        "123.bin"
    );
}

#[test]
fn folders_and_root_names() {
    assert_eq!(unit_folder("PUSDATIN"), "PUSDATIN");
    assert_eq!(unit_folder("PUS/DATIN"), "PUS-DATIN");
    assert_eq!(unit_folder(".."), "UNIT");
    assert_eq!(unit_folder(""), "UNIT");
    assert_eq!(innovation_folder(12, "LAYAR KACA"), "012-layar-kaca");
    assert_eq!(innovation_folder(1234, ""), "1234");
    assert_eq!(root_file_name("KIPP 2025.xlsx"), "KIPP_2025.xlsx");
    assert_eq!(root_file_name("../../.bashrc"), "bashrc");
    assert_eq!(root_file_name(""), "file");
    assert!(is_precompressed("a.PDF"));
    assert!(is_precompressed("x.jpg"));
    assert!(!is_precompressed("x.txt"));
    assert!(!is_precompressed("proposal.md"));
}
