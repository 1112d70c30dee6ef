//! The files one `anonymize` reads and where each copy goes, local or remote: the input
//! itself, or every file below a directory (which needs `--out DIR`).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use mask::Summary;

use crate::args::{AnonymizeArgs, InputFormat};
use crate::input::{files_below, is_stdin, resolve_format};

/// One input file, its format and its copy (`None`: standard output).
pub struct InputFile {
    pub path: PathBuf,
    pub format: InputFormat,
    pub target: Option<PathBuf>,
    /// Below a directory: the path relative to it, for the progress bar.
    pub rel: Option<PathBuf>,
}

impl InputFile {
    /// What errors about this file call it.
    pub fn label(&self) -> String {
        if is_stdin(&self.path) {
            "standard input".into()
        } else {
            self.path.display().to_string()
        }
    }
}

/// The files of one run, in the order they are read (sorted below a directory).
pub struct Inputs {
    pub files: Vec<InputFile>,
    pub directory: bool,
}

impl Inputs {
    pub fn of(args: &AnonymizeArgs) -> Result<Self> {
        let input = &args.input.input;
        if is_stdin(input) || !input.is_dir() {
            return Ok(Self {
                files: vec![InputFile {
                    path: input.clone(),
                    format: resolve_format(input, args.input.format),
                    target: args.out.clone(),
                    rel: None,
                }],
                directory: false,
            });
        }
        let Some(out_dir) = args.out.as_deref() else {
            bail!(
                "{} is a directory: pass --out DIR for the anonymized copies",
                input.display()
            );
        };
        let files = files_below(input)?
            .into_iter()
            .map(|path| {
                let rel = path
                    .strip_prefix(input)
                    .expect("files_below yields paths below input")
                    .to_path_buf();
                InputFile {
                    format: resolve_format(&path, args.input.format),
                    target: Some(out_dir.join(&rel)),
                    rel: Some(rel),
                    path,
                }
            })
            .collect();
        Ok(Self {
            files,
            directory: true,
        })
    }

    /// Runs `per_file` on each file in turn, stopping at the first error (which names the
    /// file); below a directory a bar counts the files. The summaries add up.
    pub async fn each(
        &self,
        show_progress: bool,
        mut per_file: impl AsyncFnMut(&InputFile) -> Result<Summary>,
    ) -> Result<Summary> {
        let bar = files_bar(show_progress && self.directory, self.files.len());
        let mut total = Summary::default();
        for file in &self.files {
            if let Some(rel) = &file.rel {
                bar.set_message(rel.display().to_string());
            }
            let summary = per_file(file)
                .await
                .with_context(|| format!("anonymizing {}", file.label()))?;
            total.merge(&summary);
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok(total)
    }
}

/// A bar counting files, hidden unless `visible`.
pub fn files_bar(visible: bool, files: usize) -> ProgressBar {
    progress_bar(
        visible,
        files as u64,
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files {msg}",
    )
}

/// A bar counting bytes, hidden unless `visible`.
pub fn bytes_bar(visible: bool, bytes: u64) -> ProgressBar {
    progress_bar(
        visible,
        bytes,
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
    )
}

fn progress_bar(visible: bool, len: u64, template: &str) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    ProgressBar::new(len)
        .with_style(ProgressStyle::with_template(template).expect("valid template"))
}
