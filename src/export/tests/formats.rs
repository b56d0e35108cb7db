use super::fixtures::fixture;
use crate::export::Format;

#[test]
fn formats_parse_and_name_their_files() {
    assert_eq!(Format::parse("XLSX"), Some(Format::Xlsx));
    assert_eq!(Format::parse(" excel "), Some(Format::Xlsx));
    assert_eq!(Format::parse(".csv"), Some(Format::Csv));
    assert_eq!(Format::parse("json"), Some(Format::Json));
    assert_eq!(Format::parse("arsip"), Some(Format::Zip));
    assert_eq!(Format::parse("pdf"), None);
    let set = fixture().set;
    assert_eq!(Format::Xlsx.file_name(&set), "kipp-2025-20250505-1645.xlsx");
    assert_eq!(
        Format::Csv.file_name(&set),
        "kipp-2025-20250505-1645-csv.zip"
    );
    assert_eq!(Format::Json.file_name(&set), "kipp-2025-20250505-1645.json");
    assert_eq!(
        Format::Zip.file_name(&set),
        "kipp-2025-20250505-1645-bukti.zip"
    );
    assert_eq!(Format::Json.mime_type(), "application/json");
    for f in Format::ALL {
        assert_eq!(
            Format::parse(f.extension()).map(|p| p.extension()),
            Some(f.extension())
        );
    }
}
