//! Output goes to stdout, or to a file that appears only once it is complete: a failed
//! run never leaves a half-anonymized file that looks finished.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Bytes a writer of a command's output gathers before each write to its file or stdout.
pub const OUTPUT_BUFFER: usize = 1 << 16;

/// Standard output as a file of its own, buffered by `OUTPUT_BUFFER`: Rust's `Stdout` is
/// line-buffered and hands each buffer of lines to the kernel as two writes (up to its last
/// newline, then the rest), where a file takes one.
pub fn stdout_writer() -> Result<BufWriter<File>> {
    use std::os::fd::AsFd;
    let fd = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .context("opening standard output")?;
    Ok(BufWriter::with_capacity(OUTPUT_BUFFER, File::from(fd)))
}

pub enum Output {
    Stdout(BufWriter<File>),
    File {
        writer: BufWriter<File>,
        partial: PathBuf,
        target: PathBuf,
    },
}

impl Output {
    pub fn open(target: Option<&Path>) -> Result<Self> {
        match target {
            None => Ok(Output::Stdout(stdout_writer()?)),
            Some(target) => {
                if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("creating {}", parent.display()))?;
                }
                let mut name = target.file_name().unwrap_or_default().to_os_string();
                name.push(".partial");
                let partial = target.with_file_name(name);
                let file = File::create(&partial)
                    .with_context(|| format!("creating {}", partial.display()))?;
                Ok(Output::File {
                    writer: BufWriter::with_capacity(OUTPUT_BUFFER, file),
                    partial,
                    target: target.to_path_buf(),
                })
            }
        }
    }

    pub fn finish(mut self) -> Result<()> {
        match &mut self {
            Output::Stdout(w) => Ok(w.flush()?),
            Output::File {
                writer,
                partial,
                target,
            } => {
                writer.flush()?;
                writer.get_ref().sync_all()?;
                std::fs::rename(&*partial, &*target)
                    .with_context(|| format!("moving output into {}", target.display()))?;
                // Renamed: nothing is left for Drop to clean up.
                partial.clear();
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { writer, .. } => writer.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { writer, .. } => writer.flush(),
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Output::File { partial, .. } = self
            && !partial.as_os_str().is_empty()
        {
            let _ = std::fs::remove_file(partial);
        }
    }
}
