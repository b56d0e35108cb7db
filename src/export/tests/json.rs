//! The JSON export parsed back: every stored answer keyed by question id.

use serde_json::{Value, json};

use super::fixtures::{HIDDEN_ANSWER, ORPHAN_ID, dialog, fixture};
use crate::export::{JSON_FORMAT_VERSION, write_json};

#[test]
fn json_holds_every_answer_by_question_id() {
    let f = fixture();
    let d = dialog();
    let mut out = Vec::new();
    write_json(&f.set, &d, &mut out).unwrap();
    let doc: Value = serde_json::from_slice(&out).expect("valid JSON");

    assert_eq!(doc["format"], "kipp-bot-export");
    assert_eq!(doc["format_version"], JSON_FORMAT_VERSION);
    assert_eq!(doc["campaign"], "KIPP 2025");
    assert_eq!(doc["generated_at"], "2025-05-05T16:45:00");
    assert_eq!(doc["timezone"], "WIB");
    assert_eq!(doc["dialog_version"], d.version());
    let innovations = doc["innovations"].as_array().unwrap();
    assert_eq!(innovations.len(), 3);

    for (rec, json) in f.set.innovations.iter().zip(innovations) {
        assert_eq!(json["id"], rec.id);
        assert_eq!(
            json["unit"],
            json!({"code": rec.unit_code, "name": rec.unit_name})
        );
        assert_eq!(json["title"], rec.title);
        assert_eq!(json["state"], rec.state);
        assert_eq!(json["percent_complete"], rec.percent_complete);
        let answers = json["answers"].as_object().unwrap();
        for a in &rec.answers {
            let expected = serde_json::to_value(&a.value).unwrap();
            let got = if d.group_of(&a.question_id).is_some() {
                &answers[&a.question_id][usize::from(a.item)]
            } else {
                &answers[&a.question_id]
            };
            assert_eq!(got, &expected, "{} item {}", a.question_id, a.item);
        }
        assert_eq!(
            json["evidence"].as_array().unwrap().len(),
            rec.evidence.len()
        );
        assert_eq!(json["history"].as_array().unwrap().len(), rec.history.len());
        assert_eq!(json["missing"], json!(rec.missing));
    }

    let full = &innovations[0];
    assert_eq!(full["deadline"], "2025-06-03T23:59:00");
    assert_eq!(full["answers"][ORPHAN_ID]["type"], "text");
    assert_eq!(full["answers"]["inspirasi"]["text"], HIDDEN_ANSWER);
    assert_eq!(full["answers"]["nama_metrik"].as_array().unwrap().len(), 2);
    let metrics = full["metrics"].as_array().unwrap();
    // Two metrics, then the two testimonials (every group, in file order).
    assert_eq!(metrics.len(), 4);
    assert_eq!(metrics[1]["group"], "metrik");
    assert_eq!(metrics[3]["group"], "testimoni_penerima");
    assert_eq!(metrics[1]["item"], 1);
    assert_eq!(
        metrics[1]["values"]["nilai_sesudah"],
        json!({"type": "number", "value": 4350.5})
    );
    assert_eq!(metrics[1]["values"].as_object().unwrap().len(), 6);
    let evidence = &full["evidence"][0];
    assert_eq!(evidence["question_id"], "dasar_hukum");
    assert_eq!(evidence["original_name"], "SK Kepala Perpusnas.pdf");
    assert_eq!(evidence["sha256"], f.set.innovations[0].evidence[0].sha256);
    assert!(evidence.get("path").is_none(), "server paths stay private");
    assert_eq!(full["history"][0]["comment"], "Siap dinilai");
    // A metric with a gap: member answers are arrays indexed by item.
    let partial = &innovations[1];
    assert_eq!(
        partial["answers"]["nama_metrik"],
        json!([{"type": "text", "text": "Pengunjung"}])
    );
    assert_eq!(
        partial["metrics"][0]["values"].as_object().unwrap().len(),
        2
    );
    assert_eq!(innovations[2]["deadline"], Value::Null);
    assert_eq!(innovations[2]["answers"], json!({}));
}
