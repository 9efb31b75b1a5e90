use std::path::PathBuf;
fn main() {
    let p = PathBuf::from(std::env::args().nth(1).unwrap());
    let quiet = std::env::args().nth(2).is_some();
    let (files, _) = bulletin_search::ingest::discover(&[p]);
    for (path, shown) in files {
        let src = match bulletin_search::ingest::read(&path, &shown) { Ok(s) => s, Err(e) => { eprintln!("SKIP {e:?}"); continue } };
        let doc = bulletin_search::parse::parse(&src.text);
        let mut d = bulletin_search::extract::extract(&src, &doc);
        d.body.clear();
        if !quiet { println!("{}", serde_json::to_string_pretty(&d).unwrap()); } else {
            println!("{}", serde_json::to_string(&d).unwrap());
        }
    }
}
