//! Atomic output: build into `.<name>.building-<pid>` beside the target, then swap it in.
//! Unchanged parts of the previous output may be carried into the new one by hard links.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Diagnostic;

/// A file of the built site: its path relative to the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Refuses output folders that would destroy the hub: the hub's root itself, a folder that
/// contains it, or one of its source folders.
pub fn guard_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute =
        |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
    let root = absolute(root);
    let out = absolute(output);
    let sources = ["content", "templates", "static", "archive", "src", ".git"];
    let dangerous = root.starts_with(&out) || sources.iter().any(|s| out.starts_with(root.join(s)));
    if dangerous || out.join("site.toml").exists() {
        return Err(Diagnostic::new(
            output,
            "refusing to write the site here: it would replace the hub's own files",
        )
        .hint("choose an output folder outside content/, templates/, static/ and archive/, e.g. public/"));
    }
    Ok(())
}

/// Writes `files` as the complete new content of `output`, atomically.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    write_site_carrying(output, files, &[])
}

/// Like [`write_site`], and carries the `carried` paths (files or folders, relative to
/// `output`) of the previous output into the new one unchanged: hard-linked where the system
/// allows it, else copied. The previous output stays intact until the swap.
pub fn write_site_carrying(output: &Path, files: &[OutputFile], carried: &[String]) -> Result<(), Diagnostic> {
    let fail = |what: &str, path: &Path, e: io::Error| Diagnostic::new(path, format!("cannot {what}: {e}"));
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| fail("create the output's parent folder", &parent, e))?;
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.building-{pid}"));
    let retired = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&staging);
    let result = write_all(&staging, files)
        .and_then(|()| carried.iter().try_for_each(|rel| carry(output, &staging, rel)))
        .map_err(|(path, e)| fail("write", &path, e));
    if let Err(d) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(d);
    }
    if output.exists() {
        if !output.is_dir() {
            let _ = fs::remove_dir_all(&staging);
            return Err(Diagnostic::new(output, "the output path exists and is not a folder")
                .hint("pass --output with a folder path"));
        }
        fs::rename(output, &retired).map_err(|e| fail("move the previous output aside", output, e))?;
    }
    if let Err(e) = fs::rename(&staging, output) {
        // Put the previous site back: the failure leaves things as they were.
        let _ = fs::rename(&retired, output);
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("move the new site into place", output, e));
    }
    let _ = fs::remove_dir_all(&retired);
    Ok(())
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), (PathBuf, io::Error)> {
    fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(|e| (folder.clone(), e))?;
    }
    files.par_iter().try_for_each(|file| {
        let path = dir.join(&file.path);
        fs::write(&path, &file.bytes).map_err(|e| (path, e))
    })
}

/// Hard-links (or copies) `previous/rel`, a file or a whole folder, to `staging/rel`.
fn carry(previous: &Path, staging: &Path, rel: &str) -> Result<(), (PathBuf, io::Error)> {
    let from = previous.join(rel);
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&from).sort_by_file_name() {
        let entry = entry.map_err(|e| (from.clone(), io::Error::other(e)))?;
        let rel_path = entry.path().strip_prefix(previous).unwrap_or(entry.path());
        let to = staging.join(rel_path);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).map_err(|e| (to.clone(), e))?;
        } else {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| (parent.to_path_buf(), e))?;
            }
            files.push((entry.path().to_path_buf(), to));
        }
    }
    files.par_iter().try_for_each(|(from, to)| {
        fs::hard_link(from, to)
            .or_else(|_| fs::copy(from, to).map(|_| ()))
            .map_err(|e| (to.clone(), e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_previous_output_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("a/index.html", "one"), file("old.txt", "x")]).unwrap();
        write_site(&out, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn carries_parts_of_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(
            &out,
            &[file("keep/a/index.html", "kept"), file("keep.txt", "k"), file("x", "1")],
        )
        .unwrap();
        let carried = ["keep".to_string(), "keep.txt".to_string()];
        write_site_carrying(&out, &[file("x", "2")], &carried).unwrap();
        assert_eq!(fs::read_to_string(out.join("keep/a/index.html")).unwrap(), "kept");
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "k");
        assert_eq!(fs::read_to_string(out.join("x")).unwrap(), "2");
        // Carrying what is not there fails and leaves the previous output as it was.
        assert!(write_site_carrying(&out, &[file("x", "3")], &["gone".to_string()]).is_err());
        assert_eq!(fs::read_to_string(out.join("x")).unwrap(), "2");
    }

    #[test]
    fn refuses_to_overwrite_the_hub() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("content")).unwrap();
        assert!(guard_output(tmp.path(), tmp.path()).is_err());
        assert!(guard_output(tmp.path(), &tmp.path().join("content/x")).is_err());
        assert!(guard_output(tmp.path(), &tmp.path().join("public")).is_ok());
    }
}
