//! The command line: parses arguments, calls the library, maps outcomes to
//! exit codes (0 ok, 1 no hits, 2 error).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use bulletin_search::Engine;
use bulletin_search::index::{BuildOptions, build_index};
use bulletin_search::model::{DocKind, Lang, Severity};
use bulletin_search::search::{Filters, SearchRequest, SearchResponse, search};

/// Search Microsoft's security bulletin documentation in every language.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Build an index from documentation trees (any locale, folder or file).
    Index {
        /// Index directory (replaced only when the build succeeds).
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Documentation trees, sub-folders or files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Search the index.
    Search {
        /// Index directory.
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Only records written in this language (da, de, ja, …).
        #[arg(long)]
        lang: Option<Lang>,
        /// Only records of this kind (bulletin, summary, advisory, acknowledgments, other).
        #[arg(long)]
        kind: Option<DocKind>,
        /// Only records of this severity.
        #[arg(long)]
        severity: Option<Severity>,
        /// Only records of this year.
        #[arg(long)]
        year: Option<u64>,
        /// How many hits.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// The query's language (detected when absent).
        #[arg(long)]
        query_lang: Option<Lang>,
        /// Show each result through its version in this language when it has one.
        #[arg(long)]
        prefer_lang: Option<Lang>,
        /// Search the words as typed, without their translations.
        #[arg(long)]
        no_expand: bool,
        /// Print the query plan: detected language, translations with weights.
        #[arg(long)]
        explain: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The query: KB numbers, bulletin ids, CVE ids, words, "phrases".
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// Who found what: researchers, organisations and their credits.
    Credits {
        /// Index directory.
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Only credits of this organisation (any spelling).
        #[arg(long)]
        org: Option<String>,
        /// Only credits of this year.
        #[arg(long)]
        year: Option<u16>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Names, organisations, bulletin or CVE ids.
        #[arg(num_args = 0..)]
        query: Vec<String>,
    },
    /// Serve the JSON API and the web page.
    Serve {
        /// Index directory.
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Address to listen on (loopback by default).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Print the records extracted from files, as JSON lines (for inspection).
    Extract {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => main_job(),
        Some(Command::Index { index, json, paths }) => {
            let options = BuildOptions {
                progress: true,
                ..Default::default()
            };
            let report = build_index(&paths, &index, &options)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.render());
                println!("index written to {}", index.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Search {
            index,
            lang,
            kind,
            severity,
            year,
            limit,
            query_lang,
            prefer_lang,
            no_expand,
            explain,
            json,
            query,
        }) => {
            let engine = Engine::open(&index)?;
            let filters = Filters {
                lang,
                kind,
                severity,
                year,
            };
            let mut request = SearchRequest::new(&query.join(" "), limit);
            request.filters = filters;
            request.query_lang = query_lang;
            request.prefer_lang = prefer_lang;
            request.expand = !no_expand;
            request.explain = explain;
            let response = search(&engine, &request)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&response)?);
            } else {
                print_human(&response);
            }
            Ok(if response.hits.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Some(Command::Serve { index, addr }) => serve(&index, addr),
        Some(Command::Credits {
            index,
            org,
            year,
            json,
            query,
        }) => {
            let engine = Engine::open(&index)?;
            let found = engine
                .credits
                .search(&query.join(" "), org.as_deref(), year);
            let groups = bulletin_search::researchers::group(&found);
            if json {
                println!("{}", serde_json::to_string_pretty(&groups)?);
            } else {
                for g in &groups {
                    let orgs = if g.organisations.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", g.organisations.join(", "))
                    };
                    println!(
                        "{}{} — {} credit{}",
                        if g.researcher.is_empty() {
                            "—"
                        } else {
                            &g.researcher
                        },
                        orgs,
                        g.count,
                        if g.count == 1 { "" } else { "s" }
                    );
                    for c in &g.credits {
                        let subject = match (&c.bulletin_id, &c.advisory) {
                            (Some(b), _) => b.clone(),
                            (None, Some(a)) => format!("Advisory {a}"),
                            (None, None) => "-".to_string(),
                        };
                        println!(
                            "  {} {} {}  [{}]",
                            subject,
                            c.cves.join(" "),
                            c.title,
                            c.locales.join(" ")
                        );
                    }
                }
            }
            Ok(if groups.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Some(Command::Extract { paths }) => {
            let (docs, skipped, _, _) = bulletin_search::index::extract_all(&paths, false);
            for d in docs {
                println!("{}", serde_json::to_string(&d)?);
            }
            for s in skipped {
                eprintln!("skipped {}: {}", s.path, s.reason);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// With no arguments: make sure `index/` exists (built from `fixtures/`), then serve it.
fn main_job() -> anyhow::Result<ExitCode> {
    let index = PathBuf::from("index");
    ensure_default_index(&index)?;
    serve(&index, "127.0.0.1:8080".parse().expect("address"))
}

fn serve(index: &Path, addr: std::net::SocketAddr) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let engine = Engine::open(index)?;
    let r = &engine.report;
    eprintln!(
        "index {}: {} documents, {} records, {} bulletins",
        index.display(),
        r.documents_indexed,
        r.records,
        r.bulletins
    );
    let runtime = tokio::runtime::Runtime::new()?;
    runtime
        .block_on(bulletin_search::serve::serve(
            std::sync::Arc::new(engine),
            addr,
            |bound| println!("serving on http://{bound}/"),
        ))
        .with_context(|| format!("serving on {addr}"))?;
    Ok(ExitCode::SUCCESS)
}

fn ensure_default_index(index: &Path) -> anyhow::Result<()> {
    match Engine::open(index) {
        Ok(_) => return Ok(()),
        Err(bulletin_search::Error::NoIndex(_)) => {}
        Err(e) => eprintln!("{e}; rebuilding from the fixtures"),
    }
    let fixtures = [
        "fixtures".into(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
    ]
    .into_iter()
    .find(|p: &PathBuf| p.is_dir());
    let Some(fixtures) = fixtures else {
        bail!(
            "no index at {} and no fixtures/ folder to build one from",
            index.display()
        );
    };
    eprintln!("building {} from {} …", index.display(), fixtures.display());
    let report = build_index(&[fixtures], index, &BuildOptions::default())
        .context("building the default index")?;
    eprint!("{}", report.render());
    Ok(())
}

fn print_human(r: &SearchResponse) {
    let tty = std::io::stdout().is_terminal();
    let (on, off) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(e) = &r.explain {
        let t = &e.translation;
        println!(
            "query language: {} ({})",
            t.query_lang.as_deref().unwrap_or("unknown"),
            t.detected_by
        );
        for term in &t.terms {
            let tokens = if term.is_stop_word() {
                "stop word".to_string()
            } else {
                term.tokens.join(" ")
            };
            println!("  {} [{tokens}]", term.term);
            for (lang, ts) in &term.translations {
                let shown: Vec<String> = ts.iter().map(|(w, p)| format!("{w} {p:.2}")).collect();
                println!("    {lang}: {}", shown.join(", "));
            }
        }
    }
    println!("{} results in {:.1} ms", r.total, r.took_ms);
    for h in &r.hits {
        let id = h.bulletin_id.as_deref().unwrap_or(&h.kind);
        let kb =
            h.kb.as_deref()
                .map(|k| format!(" KB{k}"))
                .unwrap_or_default();
        let sev = h
            .severity
            .as_deref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        let date = h.published.as_deref().unwrap_or("");
        println!("\n{on}{id}{off}{kb}{sev} {} {date}  {}", h.lang, h.title);
        println!(
            "  {}  (languages: {}; matched in: {})",
            h.doc_id,
            h.languages.join(" "),
            h.matched_languages.join(" ")
        );
        let snippet = h
            .snippet
            .replace("<mark>", on)
            .replace("</mark>", off)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        println!("  {snippet}");
    }
}
