//! The `policyhub` command line: parses arguments, calls the library, prints, sets the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use policyhub::content::Date;
use policyhub::export::OtaExportOptions;
use policyhub::import::{GitImportOptions, HistoryReport, HtmlOptions, ImportOptions, OtaImportOptions};
use policyhub::terminal::Style;
use policyhub::{BuildOptions, Diagnostics};

#[derive(Parser)]
#[command(
    name = "policyhub",
    version,
    about = "A static-site generator for privacy-policy transparency hubs",
    long_about = "policyhub renders privacy-policy captures (content/<org>/<policy>/<YYYY-MM-DD>.md) into a \
versioned, cross-linked static site with a permanent anchor on every clause.",
    after_help = "Examples:\n  policyhub build                      build the hub in this folder into public/\n  policyhub build --root ~/hub -o /tmp/site\n  policyhub check                      validate without writing\n  policyhub init my-hub                start a new hub\n  policyhub release 2024-03            freeze the site as release 2024-03 in archive/\n  policyhub verify                     check every release in archive/"
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Also print the time of each build stage.
    #[arg(long, global = true)]
    timings: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
// Parsed once per run: the size of the import variant's many flags costs nothing.
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Build the site into the output folder (atomically: a failed build changes nothing).
    #[command(
        after_help = "Examples:\n  policyhub build\n  policyhub build --root path/to/hub --output /tmp/site\n  policyhub build --base-url https://example.org/hub\n  policyhub build --no-cache"
    )]
    Build {
        /// The hub's folder (holding site.toml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site [default: DIR/public].
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Overrides base_url of site.toml (e.g. for a preview host).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// A clean build: neither read nor update the build cache (DIR/.policyhub-cache).
        #[arg(long)]
        no_cache: bool,
    },
    /// Validate everything build validates, write nothing.
    #[command(after_help = "Examples:\n  policyhub check\n  policyhub check --root path/to/hub")]
    Check {
        /// The hub's folder (holding site.toml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Build the hub in memory, serve it, rebuild on every change and reload open pages.
    #[command(
        after_help = "Nothing is written to disk: the site is served from memory, so public/ is untouched.\n\nExamples:\n  policyhub serve\n  policyhub serve --port 8080 --open\n  policyhub serve --root path/to/hub --bind 0.0.0.0"
    )]
    Serve {
        /// The hub's folder (holding site.toml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// The port to listen on (a free one is taken if it is busy).
        #[arg(short, long, default_value_t = 8008)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Print the redline between any two versions of a policy, aligned by clause id.
    #[command(
        after_help = "FROM and TO are dates or version ids. A date (2016-01-01) picks the version in force that day, \
as the policy's /at/ page does, and says which; a version id is YYYY-MM-DD.N (2018-05-25.2; .1 for the first version \
of a day). The redline is the one the policy's compare page shows.\n\nExamples:\n  policyhub diff xmatters/privacy-policy                   the two latest versions\n  policyhub diff acme/privacy-policy 2016-01-01            from the version in force on 2016-01-01 to the latest\n  policyhub diff acme/privacy-policy 2019-05-01 2021-03-01"
    )]
    Diff {
        /// The policy, as ORG/POLICY (ORG alone means ORG/privacy-policy).
        policy: String,
        /// The older version: a date or an id [default: the version before TO].
        from: Option<String>,
        /// The newer version: a date or an id [default: the latest].
        to: Option<String>,
        /// The hub's folder (holding site.toml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Turn a raw capture (page text, web-archive extract or saved HTML page) into a version file.
    #[command(
        long_about = "Turn a raw capture into content/<org>/<policy>/<YYYY-MM-DD>.md (creating org.toml and \
policy.toml when missing). Reads the web-archive header (capture date, original and archive URL), a source \
URL on the first line, the effective date (\"Effective Date:\", \"will take effect on\", \"Updated:\", …) \
and the announced date (\"Posted on\", \"Published\", or \"Last updated\" before a later effective date); \
recovers headings and lists; drops page chrome (cookie banners, buttons, navigation, footers, copyright \
lines) and prints every line it dropped. Never replaces an existing version without --force.\n\n\
An HTML page (.html, .htm, .xhtml, a file that starts with <!doctype html> or <html>, or --html) is read \
first: the policy is found in it (its <main> or <article>, else Readability's main text; --select and \
--remove choose by hand), scripts, styles, frames, images, forms, navigation, cookie banners, footers and \
the Wayback Machine's toolbar are removed, and the rest goes through the steps above as Markdown. A \
Wayback capture gives captured, source and archive; its links get their original addresses back.\n\n\
Whole histories: --git REPO --path FILE imports every version a git branch published (its first-parent \
chain: one version per day whose text changed, `captured` = that day, `commit` recorded); --ota REPO \
imports an Open Terms Archive versions collection (one organisation per service folder, one policy per \
terms file). Re-running imports only what is new; a failed import changes nothing.",
        after_help = "Examples:\n  policyhub import capture.txt --org acme\n  policyhub import --git site-policy --path Policies/privacy.md --org acme --name \"Acme\"\n  policyhub import --ota ../versions --services \"Airbnb,PayPal\" --terms \"Privacy Policy\"\n  policyhub import page.txt --org acme --name \"Acme Corp\" --dry-run\n  policyhub import old.txt --org acme --effective 2013-06-01 --source https://acme.example/privacy\n  curl -s https://acme.example/privacy.txt | policyhub import - --org acme --root ~/hub\n  policyhub import saved-page.html --org acme\n  policyhub import page.html --org acme --select 'div.legal-text' --remove '.toc' --remove '.feedback'\n  curl -s https://acme.example/privacy | policyhub import - --html --org acme"
    )]
    Import {
        /// The capture: a text, Markdown or HTML file, or - for standard input.
        #[arg(value_name = "FILE|-", required_unless_present_any = ["git", "ota"], conflicts_with_all = ["git", "ota"])]
        file: Option<PathBuf>,
        /// Import a document's whole history from this git repository (a clone's folder).
        #[arg(long, value_name = "REPO", requires = "path", conflicts_with = "ota")]
        git: Option<PathBuf>,
        /// With --git: the document's path in the repository; repeat it, oldest first, for a
        /// document whose file moved (the last one that exists at a commit is read).
        #[arg(long, value_name = "FILE", requires = "git")]
        path: Vec<String>,
        /// Import an Open Terms Archive versions repository: every service's documents.
        #[arg(long, value_name = "REPO")]
        ota: Option<PathBuf>,
        /// With --ota: the declarations (a folder of <Service>.json and <Service>.history.json,
        /// or the declarations repository), for each version's source URL.
        #[arg(long, value_name = "DIR", requires = "ota")]
        declarations: Option<PathBuf>,
        /// With --ota: only these services, comma-separated (as the folders are named).
        #[arg(long, value_name = "A,B", requires = "ota", value_delimiter = ',')]
        services: Vec<String>,
        /// With --ota: only these terms types, comma-separated (e.g. "Privacy Policy").
        #[arg(long, value_name = "TYPES", requires = "ota", value_delimiter = ',')]
        terms: Vec<String>,
        /// Read the capture as an HTML page whatever its name (for standard input).
        #[arg(long)]
        html: bool,
        /// CSS selector of the element(s) holding the policy in an HTML page (repeatable).
        #[arg(long, value_name = "CSS")]
        select: Vec<String>,
        /// CSS selector of elements to drop from the policy in an HTML page (repeatable).
        #[arg(long, value_name = "CSS")]
        remove: Vec<String>,
        /// The organisation's slug (content/<org>/).
        #[arg(long, value_name = "SLUG", required_unless_present = "ota", conflicts_with = "ota")]
        org: Option<String>,
        /// The policy's slug (content/<org>/<policy>/).
        #[arg(long, default_value = "privacy-policy", value_name = "SLUG")]
        policy: String,
        /// The organisation's name, for a new org.toml (default: the slug).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// The date the version took effect; required when the capture names no date.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        effective: Option<Date>,
        /// The date the version was announced (made public), when the capture does not say.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        announced: Option<Date>,
        /// The original page's URL, when the capture does not carry it or carries a wrong one.
        #[arg(long, value_name = "URL")]
        source: Option<String>,
        /// A note kept as a comment at the top of the front matter (e.g. how a date was estimated).
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Replace an existing version file.
        #[arg(long)]
        force: bool,
        /// Print the version file instead of writing it (the report goes to stderr).
        #[arg(long)]
        dry_run: bool,
        /// The hub's folder (holding site.toml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Write the hub as an Open Terms Archive versions repository (one commit per version).
    #[command(
        long_about = "Write the hub as an Open Terms Archive versions repository in DIR, a new git repository: \
one folder per organisation (named as the organisation), one `<Policy title>.md` per policy holding the \
version's text without front matter, and one commit per version, all policies' versions in date order on \
`main`, the last texts checked out. Each commit is dated so that `policyhub import --ota DIR` gives the same \
versions back: the version's captured date when its text gives its effective date, else its effective date. \
Commits are made by `policyhub <policyhub@localhost>` at noon UTC: two exports of one hub have the same \
commit ids. DIR must not exist or be empty; a failed export leaves nothing. Whatever an import would not give \
back as the hub has it (a name that slugs otherwise, a text that gives another date, two versions of one day \
whose texts give no date) is printed as a warning.",
        after_help = "Examples:\n  policyhub export --ota ../versions\n  policyhub export --ota /tmp/ota --root path/to/hub\n  \
policyhub export --ota /tmp/ota && policyhub import --ota /tmp/ota --root /tmp/copy-of-hub"
    )]
    Export {
        /// The repository to create (a folder that does not exist or is empty).
        #[arg(long, value_name = "DIR", required = true)]
        ota: PathBuf,
        /// The hub's folder (holding site.toml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Freeze the built site as a new, immutable release in archive/.
    #[command(
        after_help = "Writes archive/NAME/NAME.tar.gz (the site), archive/NAME/SHA256SUMS (a manifest that \
`sha256sum -c` accepts), archive/NAME/release.toml, and records the release in archive/releases.toml. \
A name that exists is refused; an interrupted release leaves nothing behind. The date is the UTC day \
of SOURCE_DATE_EPOCH when set, else today. The next `policyhub build` publishes it under /releases/NAME/.\n\n\
Examples:\n  policyhub release 2024-03\n  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) policyhub release r1 --root path/to/hub"
    )]
    Release {
        /// The release's name: lowercase letters, digits and '-' (e.g. 2024-03).
        name: String,
        /// The hub's folder (holding site.toml and content/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Check every release in archive/ against its manifest and recorded hashes.
    #[command(
        after_help = "Reports every file missing, added or changed; exits with 1 on any mismatch.\n\n\
Examples:\n  policyhub verify\n  policyhub verify --root path/to/hub"
    )]
    Verify {
        /// The hub's folder (holding site.toml and archive/).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Create a new hub with an example organisation and policy.
    #[command(after_help = "Examples:\n  policyhub init my-hub && policyhub build --root my-hub")]
    Init {
        /// The folder to create (must not exist or be empty).
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal();
    let verb = match cli.command {
        Command::Import { .. } => "import",
        Command::Release { .. } => "release",
        Command::Verify { .. } => "verify",
        Command::Diff { .. } => "diff",
        Command::Export { .. } => "export",
        Command::Check { .. } => "check",
        Command::Serve { .. } => "serve",
        Command::Init { .. } => "init",
        Command::Build { .. } => "build",
    };
    let result = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            no_cache,
        } => {
            let options = BuildOptions {
                root,
                output,
                base_url,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
                cache: !no_cache,
            };
            policyhub::build(&options).map(|summary| {
                for problem in &summary.cache {
                    eprintln!("{}", problem.as_warning());
                }
                if !cli.quiet {
                    println!("built {summary} → {}", options.output_dir().display());
                }
                if cli.timings {
                    println!("stages: {}", summary.stages);
                }
            })
        }
        Command::Check { root } => policyhub::check(&BuildOptions::new(root)).map(|summary| {
            for warning in &summary.warnings {
                eprintln!("{}", warning.as_warning());
            }
            if !cli.quiet {
                println!("ok: {summary} (nothing written)");
            }
            if cli.timings {
                println!("stages: {}", summary.stages);
            }
        }),
        Command::Serve { root, port, bind, open } => policyhub::serve::serve(&policyhub::serve::ServeOptions {
            root,
            bind,
            port,
            open,
            quiet: cli.quiet,
            timings: cli.timings,
        }),
        Command::Diff { policy, from, to, root } => {
            let colour_out =
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal();
            let style = if colour_out { Style::Colour } else { Style::Plain };
            // A reader that stops early (`| head`) is no error.
            policyhub::terminal::diff(&root, &policy, from.as_deref(), to.as_deref(), style).map(|text| {
                let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            })
        }
        Command::Release { name, root } => {
            let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().filter(|v| !v.is_empty());
            policyhub::archive::release_date(epoch.as_deref(), std::time::SystemTime::now())
                .map_err(Diagnostics::from)
                .and_then(|date| policyhub::release(&root, &name, date))
                .map(|r| {
                    if !cli.quiet {
                        println!(
                            "released {} ({}): {} pages, {} files, {} bytes → archive/{}/{}.tar.gz ({} bytes){}",
                            r.name,
                            r.date,
                            r.pages,
                            r.files,
                            r.bytes,
                            r.name,
                            r.name,
                            r.tarball_bytes,
                            r.commit.as_ref().map_or(String::new(), |c| format!(", commit {c}"))
                        );
                        let published = policyhub::permalinks::release(&r.name);
                        println!("next: `policyhub build` publishes it under /{published}");
                    }
                })
        }
        Command::Verify { root } => {
            let report = policyhub::verify(&root);
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            if report.problems.is_empty() {
                if !cli.quiet {
                    println!(
                        "ok: {} release{}, {} files match their manifests",
                        report.releases,
                        if report.releases == 1 { "" } else { "s" },
                        report.files
                    );
                }
                Ok(())
            } else {
                Err(report.problems)
            }
        }
        Command::Export { ota, root } => {
            policyhub::export::export_ota(&OtaExportOptions { root, dir: ota }).map(|export| {
                for note in &export.notes {
                    eprintln!("{}", note.as_warning());
                }
                if !cli.quiet {
                    print!("{export}");
                }
            })
        }
        Command::Init { dir } => policyhub::init::init(&dir).map_err(Diagnostics::from).map(|()| {
            if !cli.quiet {
                println!(
                    "created a new hub in {}; next: policyhub build --root {}",
                    dir.display(),
                    dir.display()
                );
            }
        }),
        Command::Import {
            git: Some(repo),
            path,
            org,
            policy,
            name,
            source,
            force,
            dry_run,
            root,
            ..
        } => {
            let options = GitImportOptions {
                root,
                repo,
                paths: path,
                org: org.unwrap_or_default(),
                policy,
                name,
                source,
                force,
                dry_run,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
            };
            policyhub::import::import_git(&options).map(|report| print_history(&report, cli.quiet))
        }
        Command::Import {
            ota: Some(repo),
            declarations,
            services,
            terms,
            force,
            dry_run,
            root,
            ..
        } => {
            let options = OtaImportOptions {
                root,
                repo,
                declarations,
                services,
                terms,
                force,
                dry_run,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
            };
            policyhub::import::import_ota(&options).map(|report| print_history(&report, cli.quiet))
        }
        Command::Import {
            file,
            html,
            select,
            remove,
            org,
            policy,
            name,
            effective,
            announced,
            source,
            note,
            force,
            dry_run,
            root,
            ..
        } => {
            let options = ImportOptions {
                root,
                input: file.unwrap_or_default(),
                org: org.unwrap_or_default(),
                policy,
                name,
                effective,
                announced,
                source,
                note,
                force,
                dry_run,
                html: HtmlOptions {
                    force: html,
                    select,
                    remove,
                },
            };
            policyhub::import::import(&options).map(|report| {
                if dry_run {
                    print!("{}", report.text);
                    if !cli.quiet {
                        eprint!("{report}");
                    }
                } else if !cli.quiet {
                    print!("{report}");
                }
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            print_problems(&problems, colour, verb);
            ExitCode::FAILURE
        }
    }
}

/// `--effective`, `--announced`: a calendar date written YYYY-MM-DD.
fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>().map_err(|e| format!("{e} (write YYYY-MM-DD)"))
}

fn print_problems(problems: &Diagnostics, colour: bool, verb: &str) {
    let (red, bold, reset) = if colour {
        ("\x1b[31m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    for d in &problems.0 {
        let text = d.to_string();
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let first = first.replacen(": error: ", &format!(": {red}{bold}error{reset}: "), 1);
        eprintln!("{first}");
        if !rest.is_empty() {
            eprintln!("{rest}");
        }
    }
    let n = problems.0.len();
    eprintln!(
        "{red}{bold}{verb} failed{reset}: {n} error{}",
        if n == 1 { "" } else { "s" }
    );
}

/// jemalloc: the build allocates many short-lived strings on every core at once, where it
/// spends ~10% less time than the system allocator (scripts/bench, 1000x10).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Prints a history import's report (a dry run's too: it lists what would be written).
fn print_history(report: &HistoryReport, quiet: bool) {
    if !quiet || report.dry_run {
        print!("{report}");
    }
}
