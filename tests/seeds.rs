//! Exact values extracted from the four seed summaries.

use bulletin_search::model::{DocKind, Lang, Severity};

use crate::common::doc;

fn ids(d: &bulletin_search::extract::Document) -> Vec<String> {
    d.entries
        .iter()
        .map(|e| e.bulletin_id.unwrap().to_string())
        .collect()
}

fn kbs(d: &bulletin_search::extract::Document) -> Vec<u32> {
    d.entries.iter().map(|e| e.main_kb.unwrap().get()).collect()
}

#[test]
fn march_2007_danish_summary_has_no_bulletins() {
    let d = doc("da-dk/security-updates/SecurityBulletinSummaries/2007/ms07-mar.md");
    assert_eq!(d.kind, DocKind::Summary);
    assert_eq!(d.doc_id.as_deref(), Some("MS07-MAR"));
    assert_eq!(d.locale.as_deref(), Some("da-dk"));
    assert_eq!(d.lang, Some(Lang::Da));
    assert!(d.entries.is_empty());
    assert_eq!(d.published.unwrap().to_string(), "2007-03-13");
    assert_eq!(d.updated, None);
    assert!(d.acks.is_empty());
}

#[test]
fn april_2007_danish_summary_gives_six_bulletins_with_kbs_severities_and_credits() {
    let d = doc("ms07-apr.md");
    assert_eq!(d.kind, DocKind::Summary);
    assert_eq!(
        d.title,
        "Oversigt over sikkerhedsopdateringer fra Microsoft for april 2007"
    );
    assert_eq!(d.published.unwrap().to_string(), "2007-04-03");
    assert_eq!(d.updated.unwrap().to_string(), "2007-04-10");
    assert_eq!(d.version.as_deref(), Some("2.0"));
    assert_eq!(
        ids(d),
        [
            "MS07-017", "MS07-018", "MS07-019", "MS07-020", "MS07-021", "MS07-022"
        ]
    );
    assert_eq!(kbs(d), [925902, 925939, 931261, 932168, 930178, 931784]);
    let severities: Vec<_> = d.entries.iter().map(|e| e.severity.unwrap()).collect();
    assert_eq!(
        severities
            .iter()
            .filter(|s| **s == Severity::Critical)
            .count(),
        5
    );
    assert_eq!(
        severities[5],
        Severity::Important,
        "Alvorlig means important"
    );
    assert_eq!(
        d.entries[0].title,
        "Sårbarheder i GDI kan give mulighed for fjernudførelse af kode (925902)"
    );
    assert_eq!(
        d.entries[0].summary,
        "Denne opdatering løser sårbarheder i GDI, der kan give mulighed for fjernudførelse af kode."
    );
    assert_eq!(
        d.entries[0]
            .impacts
            .iter()
            .map(|i| i.code())
            .collect::<Vec<_>>(),
        ["remote-code-execution"]
    );
    assert_eq!(
        d.entries[5]
            .impacts
            .iter()
            .map(|i| i.code())
            .collect::<Vec<_>>(),
        ["elevation-of-privilege"]
    );
    assert_eq!(d.acks.len(), 12);
    assert_eq!(
        d.acks[0].text,
        "Alexander Sotirov fra Determina Security Research for at have rapporteret et problem, der er beskrevet i MS07-017."
    );
    let credited: Vec<String> = d
        .acks
        .iter()
        .map(|a| a.bulletin_ids[0].to_string())
        .collect();
    assert_eq!(
        credited,
        [
            "MS07-017", "MS07-017", "MS07-017", "MS07-017", "MS07-017", "MS07-017", "MS07-018",
            "MS07-019", "MS07-020", "MS07-021", "MS07-021", "MS07-022"
        ]
    );
}

#[test]
fn september_2007_norwegian_summary_keeps_the_source_error() {
    let d = doc("ms07-sep.md");
    assert_eq!(d.locale.as_deref(), Some("nb-no"));
    assert_eq!(d.lang, Some(Lang::Nb));
    assert_eq!(ids(d), ["MS07-051", "MS07-052", "MS07-053", "MS07-054"]);
    // What the document says: MS07-053 has MS07-052's KB.
    assert_eq!(kbs(d), [938827, 941522, 941522, 942099]);
    assert_eq!(d.acks.len(), 5);
    assert_eq!(d.acks[3].bulletin_ids[0].to_string(), "MS07-053");
}

#[test]
fn january_2007_dutch_summary_reads_pipe_tables() {
    let d = doc("ms07-jan.md");
    assert_eq!(d.lang, Some(Lang::Nl));
    assert_eq!(d.published.unwrap().to_string(), "2007-01-09");
    assert_eq!(ids(d), ["MS07-001", "MS07-002", "MS07-003", "MS07-004"]);
    assert_eq!(kbs(d), [921585, 927198, 925938, 929969]);
    assert_eq!(d.entries[0].severity, Some(Severity::Important));
    assert_eq!(d.acks.len(), 3);
    assert!(d.acks[0].text.starts_with("Jeff Gennari van CERT, Jie Ma van Fortinet Security Research Team, NSFOCUS Security Team en Greg MacManus van IDefense Labs"));
}

#[test]
fn the_hand_written_bulletin_takes_its_id_from_the_file_name() {
    let d = doc("ms07-053.md");
    assert_eq!(d.kind, DocKind::Bulletin);
    assert_eq!(d.bulletin_id.unwrap().to_string(), "MS07-053");
    assert_eq!(d.main_kb.unwrap().get(), 939778);
    assert_eq!(d.severity, Some(Severity::Important));
    assert_eq!(d.lang, Some(Lang::En));
    assert_eq!(
        d.affected,
        [
            "Windows Services for UNIX 3.0",
            "Subsystem for UNIX-based Applications"
        ]
    );
    assert_eq!(d.acks.len(), 1);
    assert_eq!(d.acks[0].cves[0].to_string(), "CVE-2007-3036");
}
