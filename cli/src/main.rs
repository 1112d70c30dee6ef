use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

mod args;
mod backend;
mod chunked_reader;
mod commands;
mod exit;
mod input;
mod local;
mod output;
mod pipeline;

use args::{Cli, Command};
use service::Home;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&cli.log))
        .with_writer(std::io::stderr)
        .init();
    // The server is the one command whose throughput scales with cores.
    let workers = match cli.command {
        Command::Serve(_) => std::thread::available_parallelism().map_or(2, |n| n.get()),
        _ => 2,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
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

async fn run(cli: Cli) -> anyhow::Result<()> {
    let home = Home::locate(cli.home);
    // On every run, not only when the home is created: a home that another user owns, or
    // that group or others can write, could hold a keyring or vault planted there.
    if !matches!(cli.command, Command::Eval(_)) {
        home.check()
            .with_context(|| format!("checking the piiflow home {}", home.root().display()))?;
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
    }
}
