//! Where a server may read documents and write results: paths are judged by where they
//! really are (symlinks and `..` resolved), never by how they are spelled.

use std::path::{Component, Path, PathBuf};

use crate::EngineError;

/// Directories a caller's `file://` references must really lie in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRoots {
    /// Each root as given (absolute) and as it really is.
    roots: Vec<(PathBuf, PathBuf)>,
}

impl DocumentRoots {
    /// Each directory must exist.
    pub fn new(dirs: impl IntoIterator<Item = PathBuf>) -> Result<Self, EngineError> {
        let mut roots = Vec::new();
        for dir in dirs {
            let real = std::fs::canonicalize(&dir)
                .ok()
                .filter(|p| p.is_dir())
                .ok_or_else(|| {
                    EngineError::InvalidInput(format!(
                        "documents root {} is not a directory",
                        dir.display()
                    ))
                })?;
            let given = if dir.is_absolute() {
                lexical(&dir)
            } else {
                real.clone()
            };
            roots.push((given, real));
        }
        if roots.is_empty() {
            return Err(EngineError::InvalidInput(
                "at least one documents root is needed".into(),
            ));
        }
        Ok(Self { roots })
    }

    /// The real roots, for messages.
    pub fn dirs(&self) -> impl Iterator<Item = &Path> {
        self.roots.iter().map(|(_, real)| real.as_path())
    }

    /// Whether `real` (already resolved) lies in a root.
    pub fn contains(&self, real: &Path) -> bool {
        self.roots.iter().any(|(_, root)| real.starts_with(root))
    }

    /// The real path of the existing regular file `path`, if it lies in a root. A path that
    /// is outside even as spelled is refused before the file system is asked anything, so the
    /// answer says nothing about what exists outside.
    pub fn resolve_file(&self, path: &Path) -> Result<PathBuf, EngineError> {
        self.resolve(path, false)
    }

    /// The real path of the existing directory `path` (a job's source), if it lies in a
    /// root; checked as [`DocumentRoots::resolve_file`] checks a file.
    pub fn resolve_dir(&self, path: &Path) -> Result<PathBuf, EngineError> {
        self.resolve(path, true)
    }

    fn resolve(&self, path: &Path, dir: bool) -> Result<PathBuf, EngineError> {
        let what = if dir { "directory" } else { "file" };
        if !path.is_absolute() {
            return Err(EngineError::InvalidInput(
                "file:// references must be absolute paths".into(),
            ));
        }
        let spelled = lexical(path);
        if !self
            .roots
            .iter()
            .any(|(given, real)| spelled.starts_with(given) || spelled.starts_with(real))
        {
            return Err(self.outside());
        }
        let unreadable = || EngineError::InvalidInput(format!("`source` is not a readable {what}"));
        let real = std::fs::canonicalize(path).map_err(|_| unreadable())?;
        if !self.contains(&real) {
            return Err(self.outside());
        }
        if !std::fs::metadata(&real).is_ok_and(|m| if dir { m.is_dir() } else { m.is_file() }) {
            return Err(unreadable());
        }
        Ok(real)
    }

    fn outside(&self) -> EngineError {
        let dirs: Vec<String> = self.dirs().map(|d| d.display().to_string()).collect();
        EngineError::InvalidInput(format!(
            "`source` lies outside the documents roots ({}); symlinks and `..` are resolved \
             before this check",
            dirs.join(", ")
        ))
    }
}

/// `path` with `.` and `..` taken out as text, for the check before the file system is
/// asked. Never the final word: symlinks can still lead elsewhere.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The real path of `dir`, created owner-only first if it is missing.
pub fn real_dir(dir: &Path) -> Result<PathBuf, EngineError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .and_then(|()| std::fs::canonicalize(dir))
        .map_err(|e| EngineError::InvalidInput(format!("cannot create {}: {e}", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(dir: &Path) -> DocumentRoots {
        DocumentRoots::new([dir.to_path_buf()]).unwrap()
    }

    #[test]
    fn a_file_inside_resolves_to_its_real_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.txt"), "x").unwrap();
        let r = roots(dir.path());
        let real = r
            .resolve_file(&dir.path().join("sub/../sub/./a.txt"))
            .unwrap();
        assert_eq!(
            real,
            std::fs::canonicalize(dir.path().join("sub/a.txt")).unwrap()
        );
    }

    #[test]
    fn dot_dot_and_symlink_escapes_are_outside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("docs");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        let r = roots(&root);
        for path in [
            root.join("../secret.txt"),
            root.join("link.txt"),
            root.join("up/secret.txt"),
            dir.path().join("secret.txt"),
        ] {
            let err = r.resolve_file(&path).unwrap_err().to_string();
            assert!(
                err.contains("outside the documents roots"),
                "{path:?}: {err}"
            );
        }
    }

    #[test]
    fn job_directories_resolve_like_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("docs");
        std::fs::create_dir_all(root.join("batch")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        let r = roots(&root);
        assert_eq!(
            r.resolve_dir(&root.join("batch/../batch")).unwrap(),
            std::fs::canonicalize(root.join("batch")).unwrap()
        );
        for path in [root.join(".."), root.join("up"), PathBuf::from("/etc")] {
            let err = r.resolve_dir(&path).unwrap_err().to_string();
            assert!(
                err.contains("outside the documents roots"),
                "{path:?}: {err}"
            );
        }
        let file = root.join("a.txt");
        std::fs::write(&file, "x").unwrap();
        let err = r.resolve_dir(&file).unwrap_err().to_string();
        assert!(err.contains("not a readable directory"), "{err}");
    }

    #[test]
    fn a_missing_file_outside_is_outside_and_inside_is_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let r = roots(dir.path());
        let outside = r.resolve_file(Path::new("/no/such/file")).unwrap_err();
        assert!(outside.to_string().contains("outside"), "{outside}");
        let inside = r.resolve_file(&dir.path().join("nope")).unwrap_err();
        assert!(
            inside.to_string().contains("not a readable file"),
            "{inside}"
        );
        let a_dir = r.resolve_file(dir.path()).unwrap_err();
        assert!(a_dir.to_string().contains("not a readable file"), "{a_dir}");
        let relative = r.resolve_file(Path::new("a.txt")).unwrap_err();
        assert!(relative.to_string().contains("absolute"), "{relative}");
    }

    #[test]
    fn a_missing_root_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(DocumentRoots::new([dir.path().join("missing")]).is_err());
        assert!(DocumentRoots::new(Vec::<PathBuf>::new()).is_err());
    }
}
