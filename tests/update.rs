//! A changed tree updates the index in use file by file (see
//! `index::update`), and what the update holds is what a full build of the
//! same tree holds.

use std::path::{Path, PathBuf};

use bulletin_search::Engine;
use bulletin_search::extract::Document;
use bulletin_search::index::cache;
use bulletin_search::index::update::UpdateCounts;
use bulletin_search::index::{BuildOptions, Report, build_index, store};
use bulletin_search::search::{SearchRequest, search};
use tantivy::Document as _;
use tantivy::{Index, TantivyDocument};

use crate::common::{fixture_docs, fixtures, scratch};

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the fixtures under the scratch folder `name`: (folder, tree).
fn fixture_tree(name: &str) -> (PathBuf, PathBuf) {
    let base = scratch(name);
    let tree = base.join("tree");
    copy_tree(&fixtures(), &tree);
    (base, tree)
}

/// Indexes `tree` into `dir`: a full build, or an update of the index in use.
fn build(tree: &Path, dir: &Path) -> Report {
    build_index(&[tree.to_path_buf()], dir, &BuildOptions::default()).unwrap()
}

/// Every stored record of an index, as JSON, sorted.
fn stored_records(index: &Index) -> Vec<String> {
    let searcher = index.reader().unwrap().searcher();
    let schema = index.schema();
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(0).unwrap();
        for doc in segment.doc_ids_alive() {
            let d: TantivyDocument = store.get(doc).unwrap();
            out.push(d.to_json(&schema));
        }
    }
    out.sort();
    out
}

/// A search's answer without its timing, and its hits' scores apart.
fn answer(engine: &Engine, q: &str) -> (serde_json::Value, Vec<f64>) {
    let mut req = SearchRequest::new(q, 20);
    req.facets = true;
    let mut v = serde_json::to_value(search(engine, &req).unwrap()).unwrap();
    v["took_ms"] = 0.into();
    let scores = (v["hits"].as_array_mut().unwrap().iter_mut())
        .map(|h| {
            h.as_object_mut()
                .unwrap()
                .remove("score")
                .unwrap()
                .as_f64()
                .unwrap()
        })
        .collect();
    (v, scores)
}

/// A JSON file of the generation in use, its timings (`…_secs`) left out.
fn generation_file(dir: &Path, name: &str) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.retain(|k, _| !k.ends_with("_secs"));
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let (generation, _) = store::current(dir).unwrap().unwrap();
    let mut v = serde_json::from_slice(&std::fs::read(generation.join(name)).unwrap()).unwrap();
    strip(&mut v);
    v
}

/// One file edited (a product name of MS07-017, which every record of that
/// bulletin carries, so the summaries describing it change too), one
/// renamed (removed and added): the update deletes and adds the records of those
/// files and of the files whose records the change moved, keeps the rest,
/// and then holds what a full build holds, record for record; the
/// generation it started from is untouched.
#[test]
fn an_update_holds_what_a_full_build_of_the_same_tree_holds() {
    let (base, tree) = fixture_tree("update");
    let dir = base.join("index");
    let first = build(&tree, &dir);
    assert_eq!(first.update, None);
    let before = Engine::open(&dir).unwrap();
    let before_records = stored_records(&before.index);

    let bulletin = tree.join("en-us/security-updates/SecurityBulletins/2007/ms07-017.md");
    let text = std::fs::read_to_string(&bulletin).unwrap();
    let edited = text.replacen(
        "-   Windows Vista – [Download",
        "-   Windows Vista Ultimate – [Download",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&bulletin, edited).unwrap();
    let summaries = tree.join("nb-no/security-updates/SecurityBulletinSummaries/2007");
    std::fs::rename(
        summaries.join("ms07-sep.md"),
        summaries.join("ms07-sep-ny.md"),
    )
    .unwrap();

    let updated = build(&tree, &dir);
    let full_dir = base.join("full");
    let full = build(&tree, &full_dir);
    assert_eq!(full.update, None);
    assert_eq!(
        updated.update,
        Some(UpdateCounts {
            // The edited and the renamed file; the rest came from the
            // cache of extracted documents.
            files_extracted: 2,
            // MS07-053, MS08-067, and the March and January summaries.
            files_kept: 4,
            // The edited MS07-017, and the April summary, whose MS07-017
            // entry carries that bulletin's product names.
            files_rewritten: 2,
            files_added: 1,
            files_removed: 1,
            // 1 + 7 (April: its record and 6 entries) + 5 (September,
            // renamed: its records are added under the new name and
            // deleted under the old).
            records_added: 13,
            records_deleted: 13,
        })
    );
    assert_eq!(updated.records, full.records);
    let (updated_engine, full_engine) = (
        Engine::open(&dir).unwrap(),
        Engine::open(&full_dir).unwrap(),
    );
    assert_eq!(updated_engine.generation, "gen-000002");
    assert_eq!(
        stored_records(&updated_engine.index),
        stored_records(&full_engine.index)
    );
    assert_ne!(stored_records(&updated_engine.index), before_records);
    for name in [
        "lexicon.json",
        "credits.json",
        "products.json",
        "records.json",
    ] {
        assert!(
            generation_file(&dir, name) == generation_file(&full_dir, name),
            "{name} differs"
        );
    }
    for q in [
        "KB925902",
        "Windows Vista Ultimate",
        "sårbarhed GDI",
        "beveiligingslek",
        "MS07-053",
        "ms07-sep",
    ] {
        let (updated, updated_scores) = answer(&updated_engine, q);
        let (full, full_scores) = answer(&full_engine, q);
        assert!(!full_scores.is_empty(), "{q}");
        assert_eq!(updated, full, "{q}");
        // The scores differ only by the statistics of the records deleted
        // (tantivy counts them until their segment is merged, and then
        // estimates its lengths from their quantised form): well under 1%.
        for (u, f) in updated_scores.iter().zip(&full_scores) {
            assert!((u - f).abs() <= 0.01 * f, "{q}: {u} against {f}");
        }
    }
    // The generation the update started from still holds what it held.
    let old = Index::open_in_dir(dir.join("gen-000001")).unwrap();
    assert_eq!(stored_records(&old), before_records);
}

/// One small edit leaves the update's records in a segment of their own
/// (too few deleted to merge): a group whose versions are then in two
/// segments still lists every language it matched in, as after a full
/// build.
#[test]
fn a_group_in_two_segments_matches_in_the_languages_of_both() {
    let (base, tree) = fixture_tree("update-segments");
    let dir = base.join("index");
    build(&tree, &dir);
    let page = tree.join("en-us/security-updates/SecurityBulletins/2007/ms07-053.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let edited = text.replacen("Windows Services for UNIX", "Windows Services for Unix", 1);
    assert_ne!(edited, text);
    std::fs::write(&page, edited).unwrap();
    let updated = build(&tree, &dir);
    assert_eq!(updated.update.as_ref().map(|u| u.records_added), Some(1));
    let full_dir = base.join("full");
    build(&tree, &full_dir);
    let (updated, full) = (
        Engine::open(&dir).unwrap(),
        Engine::open(&full_dir).unwrap(),
    );
    assert_eq!(updated.index.searchable_segments().unwrap().len(), 2);
    assert_eq!(full.index.searchable_segments().unwrap().len(), 1);
    for q in ["MS07-053 Windows", "MS07-053", "Crystal Reports"] {
        assert_eq!(answer(&updated, q).0, answer(&full, q).0, "{q}");
    }
    // The English page, rewritten, and the Norwegian September summary's
    // entry, kept where it was.
    let (hits, _) = answer(&updated, "MS07-053 Windows");
    assert_eq!(hits["hits"][0]["group"], "MS07-053");
    assert_eq!(
        hits["hits"][0]["matched_languages"],
        serde_json::json!(["en", "nb"])
    );
}

/// Every document of the fixtures, and of the corpus where it is present,
/// reads back from the cache of extracted documents as it was extracted:
/// every field, the two its JSON form leaves out, and the body.
#[test]
fn every_document_reads_back_from_the_cache_as_extracted() {
    let mut docs: Vec<&Document> = fixture_docs().iter().collect();
    match crate::corpus::corpus() {
        Some(c) => docs.extend(&c.docs),
        None => println!("NOTICE: ../shared/corpus is absent: the fixtures alone are read back"),
    }
    for d in docs {
        let mut copy = d.clone();
        let packed = cache::pack(&mut copy).unwrap();
        let back = cache::unpack(&packed).unwrap();
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(d).unwrap(),
            "{}",
            d.path
        );
        assert_eq!(back.date_lines, d.date_lines, "{}", d.path);
        assert_eq!(back.listings, d.listings, "{}", d.path);
        assert_eq!(back.body, d.body, "{}", d.path);
        // A damaged entry gives nothing back.
        assert!(cache::unpack(&packed[..packed.len() - 1]).is_none() || d.body.is_empty());
    }
}
