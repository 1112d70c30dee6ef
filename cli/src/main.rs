use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

mod args;
mod backend;
mod buffers;
mod chunked_reader;
mod commands;
mod exit;
mod input;
mod inputs;
mod local;
mod login;
mod ordered;
mod output;
mod pieces;
mod pipeline;
mod remote;
mod reveal_file;
mod stack;

use args::{Cli, Command};
use service::Home;

/// Anonymizing allocates per value (the JSON tree, masked and tokenized strings, sealed
/// vault items) on several threads; glibc's malloc took a quarter of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3's `mi_option_purge_delay`, which libmimalloc-sys does not name; checked
/// against its default below before it is set.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const MI_PURGE_DELAY_DEFAULT_MS: std::ffi::c_long = 1000;

/// Freed memory stays with the process instead of going back to the kernel a second
/// later: each piece of a run allocates and frees tens of MB, and memory given back is
/// zeroed by the kernel again on its next first touch (a quarter of a records run's page
/// faults). The price is peak memory: pages freed by one piece stay with the process for
/// the next (about 50 MB more on 300,000 records), still bounded by the pieces in flight.
fn keep_freed_memory() {
    // SAFETY: called first thing in `main`, before any other thread exists (mimalloc's
    // option setters are not thread safe); reading and setting an option touches nothing
    // else. An option index that does not hold the purge delay's default is left alone.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == MI_PURGE_DELAY_DEFAULT_MS {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&cli.log))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match cli.command {
        // One text is detected on one thread: worker threads would only cost their start,
        // about a millisecond.
        Command::Detect(_) | Command::Eval(_) => tokio::runtime::Builder::new_current_thread(),
        // The server is the one command whose throughput scales with cores.
        Command::Serve(_) => worker_threads(
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
        ),
        _ => worker_threads(2),
    }
    .enable_all()
    .build()
    .expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("piiflow: {e:#}");
            exit::code_for(&e)
        }
    }
}

fn worker_threads(n: usize) -> tokio::runtime::Builder {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.worker_threads(n);
    builder
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let home = Home::locate(cli.home);
    // On every run, not only when the home is created: a home that another user owns, or
    // that group or others can write, could hold a keyring or vault planted there.
    if !matches!(cli.command, Command::Eval(_)) {
        home.check()
            .with_context(|| format!("checking the piiflow home {}", home.root().display()))?;
    }
    if let Some(api) = cli.api.filter(|a| !a.trim().is_empty()) {
        return remote(&home, &api, cli.command).await;
    }
    match cli.command {
        Command::Anonymize(a) => commands::anonymize::run(&home, a).await,
        Command::Detect(a) => commands::detect::run(&home, a).await,
        Command::Reidentify(a) => commands::reidentify::run(&home, a).await,
        Command::Erase(a) => commands::reidentify::erase(&home, a).await,
        Command::Keys(a) => commands::keys::run(&home, a).await,
        Command::Audit(a) => commands::reidentify::audit(&home, a).await,
        Command::Run(a) => commands::run::run(&home, a).await,
        Command::Executions(a) => commands::run::executions(&home, a).await,
        Command::Serve(a) => commands::serve::run(&home, a).await,
        Command::Token(a) => commands::token::run(&home, a),
        Command::Eval(a) => commands::eval::run(a),
        Command::Login(a) => commands::login::login(&home, a).await,
        Command::Logout(a) => commands::login::logout(&home, a).await,
        Command::Documents(_) => anyhow::bail!(
            "documents runs through a deployed API: give --api URL (or PIIFLOW_API); \
             locally, piiflow run does the same"
        ),
    }
}

/// With `--api`, the data commands go to the deployed API; the others stay local.
async fn remote(home: &Home, api: &str, command: Command) -> anyhow::Result<()> {
    let client = || remote::ApiClient::connect(home, api);
    match command {
        Command::Anonymize(a) => remote::anonymize(&client().await?, a).await,
        Command::Reidentify(a) => remote::reidentify(&client().await?, a).await,
        Command::Erase(a) => remote::erase(&client().await?, a).await,
        Command::Audit(a) => remote::audit(&client().await?, a).await,
        Command::Documents(a) => remote::documents(&client().await?, a).await,
        Command::Detect(_) | Command::Run(_) | Command::Executions(_) | Command::Eval(_) => {
            anyhow::bail!("this command runs locally only: drop --api (and unset PIIFLOW_API)")
        }
        Command::Keys(a) => commands::keys::run(home, a).await,
        Command::Serve(a) => commands::serve::run(home, a).await,
        Command::Token(a) => commands::token::run(home, a),
        Command::Login(a) => commands::login::login(home, a).await,
        Command::Logout(a) => commands::login::logout(home, a).await,
    }
}
