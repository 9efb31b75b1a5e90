//! The command line: parses arguments, calls the library, maps outcomes to
//! exit codes (0 ok, 1 no hits, 2 error).

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use bulletin_search::index::{BuildOptions, build_index};
use bulletin_search::ingest::WalkOptions;
use bulletin_search::model::{BulletinId, DocKind, Impact, Lang, Severity};
use bulletin_search::search::{Filters, SearchRequest, search};
use bulletin_search::serve::Limits;
use bulletin_search::{Engine, print};

// jemalloc returns freed memory to the system: with the system allocator
// a build's resident memory kept growing while tantivy wrote (freed buffers
// of its indexing threads stayed with the process; mimalloc kept more).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
        /// Follow symbolic links inside the trees (loops are detected and skipped).
        #[arg(long)]
        follow: bool,
        /// Build even when the files and the program are those of the index
        /// in use (else that index is kept and the run says so).
        #[arg(long)]
        force: bool,
        /// Documentation trees, sub-folders or files (a file named here is
        /// read whatever its extension).
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
        /// Only bulletins affecting a product of these words ("Windows Vista").
        #[arg(long)]
        product: Option<String>,
        /// Only records of this impact (remote-code-execution, elevation-of-privilege, …).
        #[arg(long)]
        impact: Option<Impact>,
        /// Only records released on or after this day (2007-04-03, 2007-04 or 2007).
        #[arg(long, value_parser = |s: &str| day_arg(s, false))]
        from: Option<u64>,
        /// Only records released on or before this day (2008-12-31, 2008-12 or 2008).
        #[arg(long, value_parser = |s: &str| day_arg(s, true))]
        to: Option<u64>,
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
    /// The bulletins that replaced one, directly or not, oldest first, each
    /// with its KB.
    Chain {
        /// Index directory.
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Only replacements stated for a product of these words ("Windows XP").
        #[arg(long)]
        product: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The bulletin (MS06-014).
        bulletin: BulletinId,
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
        /// Follow symbolic links inside the trees (loops are detected and skipped).
        #[arg(long)]
        follow: bool,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        // A closed stdout (`| head`) ends the run quietly, as ripgrep does.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => main_job(),
        Some(Command::Index {
            index,
            json,
            follow,
            force,
            paths,
        }) => {
            let options = BuildOptions {
                progress: true,
                walk: WalkOptions { follow },
                force,
                ..Default::default()
            };
            let report = build_index(&paths, &index, &options)?;
            let mut out = stdout();
            if json {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                write!(out, "{}", report.render())?;
                if report.unchanged {
                    writeln!(out, "index in {} kept", index.display())?;
                } else {
                    writeln!(out, "index written to {}", index.display())?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Search {
            index,
            lang,
            kind,
            severity,
            year,
            product,
            impact,
            from,
            to,
            limit,
            query_lang,
            prefer_lang,
            no_expand,
            explain,
            json,
            query,
        }) => {
            if let (Some(a), Some(b)) = (from, to)
                && a > b
            {
                anyhow::bail!("--from must not be after --to");
            }
            let engine = Engine::open(&index)?;
            let filters = Filters {
                lang,
                kind,
                severity,
                year,
                product,
                impact,
                from,
                to,
            };
            let mut request = SearchRequest::new(&query.join(" "), limit);
            request.filters = filters;
            request.query_lang = query_lang;
            request.prefer_lang = prefer_lang;
            request.expand = !no_expand;
            request.explain = explain;
            let response = search(&engine, &request)?;
            let colour = std::io::stdout().is_terminal();
            answer(json, &response, response.hits.is_empty(), |out, r| {
                print::search_results(out, r, colour)
            })
        }
        Some(Command::Serve { index, addr }) => serve(&index, addr),
        Some(Command::Chain {
            index,
            product,
            json,
            bulletin,
        }) => {
            let engine = Engine::open(&index)?;
            let Some(chain) = engine.products.chain(bulletin, product.as_deref()) else {
                bail!("{bulletin} is not in the index in {}", index.display());
            };
            answer(json, &chain, chain.links.is_empty(), print::chain)
        }
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
            answer(json, &groups, groups.is_empty(), |out, g| {
                print::credits(out, g)
            })
        }
        Some(Command::Extract { follow, paths }) => {
            let extracted =
                bulletin_search::index::extract_all(&paths, WalkOptions { follow }, false);
            for s in &extracted.skipped {
                eprintln!("skipped {}: {}", s.path, s.reason);
            }
            let mut out = stdout();
            for d in &extracted.docs {
                serde_json::to_writer(&mut out, d)?;
                writeln!(out)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints a command's answer to stdout, as JSON or by `printer`; exits 1
/// when it is `empty` (nothing found), 0 otherwise.
fn answer<T: serde::Serialize + ?Sized>(
    json: bool,
    value: &T,
    empty: bool,
    printer: impl FnOnce(&mut BufWriter<std::io::StdoutLock<'static>>, &T) -> std::io::Result<()>,
) -> anyhow::Result<ExitCode> {
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)?;
    } else {
        printer(&mut out, value)?;
    }
    out.flush()?;
    Ok(if empty {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
    let runtime = tokio::runtime::Runtime::new()?;
    let served = runtime.block_on(bulletin_search::serve::serve(
        index.to_path_buf(),
        addr,
        Limits::default(),
        |bound, engine| {
            let r = &engine.report;
            eprintln!(
                "index {} ({}): {} documents, {} records, {} bulletins",
                index.display(),
                if engine.generation.is_empty() {
                    "one generation"
                } else {
                    &engine.generation
                },
                r.documents_indexed,
                r.records,
                r.bulletins
            );
            let mut out = std::io::stdout();
            let _ = writeln!(out, "serving on http://{bound}/").and_then(|()| out.flush());
        },
    ));
    // Searches still running on the blocking pool get a moment, not forever.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    served.with_context(|| format!("serving on {addr}"))?;
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

fn stdout() -> BufWriter<std::io::StdoutLock<'static>> {
    BufWriter::new(std::io::stdout().lock())
}

/// Whether an error is, at bottom, a write to a closed pipe (`… | head`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// A `--from`/`--to` day as the index holds it (see `search::day_bound`).
fn day_arg(text: &str, end: bool) -> Result<u64, String> {
    bulletin_search::search::day_bound(text, end).ok_or_else(|| {
        format!("{text:?} is not a day (2007-04-03), month (2007-04) or year (2007)")
    })
}
