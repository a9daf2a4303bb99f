//! The `qiaolink` command: serve, migrate, import, export, users and tokens, demo data.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use qiaolink::auth::Role;
use qiaolink::config::Config;
use qiaolink::{cli, db};

#[derive(Parser)]
#[command(name = "qiaolink", version, about = "Outreach CRM for overseas-affairs offices")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations and load the place hierarchy.
    Migrate,
    /// Serve the web UI and the API.
    Serve {
        /// Do not run the search sync worker in this process.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run the search sync worker alone (for deployments with separate workers).
    Worker,
    /// Rebuild the search index from the database and swap it in.
    Reindex,
    /// Import files in the interchange format (.jsonl, .csv, .xlsx, a folder or a .zip).
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Store nothing when any record is invalid.
        #[arg(long)]
        strict: bool,
        /// Check everything, store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export in the interchange format (.jsonl, .xlsx, .zip, .csv with --type, or a folder).
    Export {
        /// organization, person, membership or interaction.
        #[arg(long = "type")]
        record_type: Option<String>,
        /// Only this country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: Option<String>,
        file: PathBuf,
    },
    /// Look for duplicate people now (the server's worker does it in the background).
    Duplicates {
        /// Compare everyone again, not only the people changed since (after an upgrade).
        #[arg(long)]
        all: bool,
        /// Score the proposed pairs against known pairs (JSON Lines of {"a", "b", "hard"}).
        #[arg(long)]
        eval: Option<PathBuf>,
    },
    /// Score search relevance on a query set against a running server.
    Relevance {
        /// Queries in the development-set format (JSON Lines).
        queries: PathBuf,
        /// The server to ask.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        /// An API token (any role).
        #[arg(long, env = "QIAOLINK_TOKEN")]
        token: String,
        /// Also list the queries that failed.
        #[arg(long)]
        verbose: bool,
    },
    /// Benchmarks against a running server (see BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Write demo data in the interchange format (and import it with --load).
    Demo {
        /// How many people.
        #[arg(long, default_value_t = 5000)]
        people: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write it.
        #[arg(long, default_value = "data/demo.jsonl")]
        out: PathBuf,
        /// Import it into the database too.
        #[arg(long)]
        load: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Searches as officers type them, from many clients at once.
    Search {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        #[arg(long, env = "QIAOLINK_TOKEN")]
        token: String,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[arg(long, default_value_t = 20000)]
        requests: usize,
        /// Ask without facet counts, as a search box does while the user types.
        #[arg(long)]
        without_facets: bool,
    },
    /// The overview and the country reports, straight on the database, as an officer's role
    /// reads them.
    Reports {
        /// Rounds of the overview and of each of the largest countries' reports.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// How soon a new person is found by search, under steady writes.
    Freshness {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        /// An officer's or admin's token (it creates and then deletes people).
        #[arg(long, env = "QIAOLINK_TOKEN")]
        token: String,
        /// Writes a second.
        #[arg(long, default_value_t = 20)]
        rate: u32,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
    },
    /// A realistic mix at a fixed rate: search as you type, page views, lists, writes and
    /// check-ins, timed from when each request was due (see BENCHMARKS.md). Draws names and
    /// records from DATABASE_URL, the server's database; removes what it makes.
    Load {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        /// An officer's or admin's token (it writes and checks guests in).
        #[arg(long, env = "QIAOLINK_TOKEN")]
        token: String,
        /// Requests a second.
        #[arg(long, default_value_t = 100.0)]
        rate: f64,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Seeds the order of the requests and the choices among the records drawn.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only requests of this kind, to see what one kind costs.
        #[arg(long, value_enum)]
        only: Option<qiaolink::bench::Kind>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff user.
    Add {
        #[arg(long)]
        email: String,
        /// admin, officer, event_staff or viewer.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
        /// The password; asked for when absent.
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new API token (shown once).
    Create {
        /// admin, officer, event_staff or viewer.
        #[arg(long)]
        role: String,
        /// What the token is for, e.g. "nightly sync".
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let _ = dotenvy::dotenv();
    qiaolink::logging::init();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let ok = std::process::ExitCode::SUCCESS;
    let config = Config::from_env;
    match cli.command {
        Command::Migrate => {
            let applied = db::migrate(&config()?.database_url).await?;
            println!("migrations applied: {applied}; the database is current");
        }
        Command::Serve { no_worker } => cli::serve(config()?, !no_worker).await?,
        Command::Worker => cli::worker(config()?).await?,
        Command::Reindex => {
            let n = cli::reindex(config()?).await?;
            println!("search index rebuilt: {n} documents");
        }
        Command::Import { files, strict, dry_run } => {
            let report = cli::import(&config()?, &files, strict, dry_run, std::io::stderr().is_terminal()).await?;
            print!("{}", cli::report_text(&report));
            if report.rejected() > 0 {
                return Ok(std::process::ExitCode::from(1));
            }
        }
        Command::Export {
            record_type,
            country,
            file,
        } => {
            let counts = cli::export(&config()?, record_type.as_deref(), country.as_deref(), &file).await?;
            let parts: Vec<String> = counts.iter().map(|(t, n)| format!("{n} {t}")).collect();
            println!("exported to {}: {}", file.display(), parts.join(", "));
        }
        Command::Duplicates { all, eval } => {
            let (compared, open) = cli::find_duplicates(&config()?, all).await?;
            println!("{compared} people compared; {open} open candidate pairs");
            if let Some(path) = eval {
                print!("{}", cli::evaluate_duplicates(&config()?, &path).await?);
            }
        }
        Command::Relevance {
            queries,
            url,
            token,
            verbose,
        } => {
            let figures = qiaolink::relevance::score(url.trim_end_matches('/'), &token, &queries).await?;
            print!("{}", qiaolink::relevance::table(&figures));
            if verbose {
                for (category, f) in figures.iter().filter(|(k, _)| *k != "all") {
                    for failure in &f.failures {
                        println!("{category}: {failure}");
                    }
                }
            }
        }
        Command::Bench {
            command:
                BenchCommand::Search {
                    url,
                    token,
                    clients,
                    requests,
                    without_facets,
                },
        } => {
            let mut queries = qiaolink::bench::sample_queries(&config()?.database_url, 5000, 1).await?;
            if without_facets {
                queries.iter_mut().for_each(|q| q["facets"] = serde_json::Value::Bool(false));
            }
            println!(
                "search, {clients} clients, {} distinct queries: {}",
                queries.len(),
                qiaolink::bench::search_load(&url, &token, queries, clients, requests).await?
            );
        }
        Command::Bench {
            command: BenchCommand::Reports { rounds },
        } => {
            let (overview, countries) = qiaolink::bench::reports(&config()?.database_url, rounds).await?;
            println!("reports overview: {overview}");
            println!("country reports (the 5 largest countries): {countries}");
        }
        Command::Bench {
            command: BenchCommand::Freshness { url, token, rate, seconds },
        } => {
            let interval = std::time::Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
            let summary = qiaolink::bench::freshness(&url, &token, interval, std::time::Duration::from_secs(seconds)).await?;
            println!("write to searchable, {rate} writes/s for {seconds} s: {summary}");
        }
        Command::Bench {
            command:
                BenchCommand::Load {
                    url,
                    token,
                    rate,
                    seconds,
                    seed,
                    only,
                },
        } => {
            let report = qiaolink::bench::load(
                &config()?.database_url,
                &url,
                &token,
                rate,
                std::time::Duration::from_secs(seconds),
                seed,
                only,
            )
            .await?;
            print!("{report}");
            if report.errors() > 0 || report.left_behind.is_some() {
                return Ok(std::process::ExitCode::from(1));
            }
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    name,
                    password,
                },
        } => {
            let role = parse_role(&role)?;
            let password = match password {
                Some(p) => p,
                None => cli::prompt_password()?,
            };
            let id = cli::add_user(&config()?, &email, name.as_deref(), role, &password).await?;
            println!("user {email} created ({}) with id {id}", role.as_str());
        }
        Command::Token {
            command: TokenCommand::Create { role, name },
        } => {
            let role = parse_role(&role)?;
            let token = cli::create_token(&config()?, &name, role).await?;
            println!("{token}");
        }
        Command::Demo { people, seed, out, load } => {
            let counts = cli::write_demo(&out, people, seed)?;
            println!(
                "demo data written to {}: {} organizations, {} people ({} of them again from another list), {} interactions",
                out.display(),
                counts.organizations,
                counts.people,
                counts.relisted,
                counts.interactions
            );
            if load {
                let report = cli::import(&config()?, &[out], false, false, std::io::stderr().is_terminal()).await?;
                print!("{}", cli::report_text(&report));
            }
        }
    }
    Ok(ok)
}

fn parse_role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text).ok_or_else(|| anyhow::anyhow!("\"{text}\" is not a role: use admin, officer, event_staff or viewer"))
}
