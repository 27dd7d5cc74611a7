//! Atomic output: build into `.<name>.building-<pid>` beside the target, then swap it in.
//! Unchanged parts of the previous output may be carried into the new one by renaming.

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
/// `output`) of the previous output into the new one unchanged. They are moved by renaming
/// (cheap, whatever their size) once the previous output is set aside, and moved back if the
/// new site cannot be swapped in, so a failure leaves the previous output as it was.
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
    let result = write_all(&staging, files).map_err(|(path, e)| fail("write", &path, e));
    if let Err(d) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(d);
    }
    let had_output = output.exists();
    if had_output {
        if !output.is_dir() {
            let _ = fs::remove_dir_all(&staging);
            return Err(Diagnostic::new(output, "the output path exists and is not a folder")
                .hint("pass --output with a folder path"));
        }
        fs::rename(output, &retired).map_err(|e| fail("move the previous output aside", output, e))?;
    }
    let restore = |moved: &[&String]| {
        // Put the previous site back: the failure leaves things as they were.
        move_all(&staging, &retired, moved);
        if had_output {
            let _ = fs::rename(&retired, output);
        }
        let _ = fs::remove_dir_all(&staging);
    };
    let mut moved: Vec<&String> = Vec::with_capacity(carried.len());
    for rel in carried {
        let (from, to) = (retired.join(rel), staging.join(rel));
        let result = match to.parent() {
            Some(dir) => fs::create_dir_all(dir).and_then(|()| fs::rename(&from, &to)),
            None => fs::rename(&from, &to),
        };
        if let Err(e) = result {
            restore(&moved);
            return Err(fail("carry over from the previous output", &output.join(rel), e));
        }
        moved.push(rel);
    }
    if let Err(e) = fs::rename(&staging, output) {
        restore(&moved);
        return Err(fail("move the new site into place", output, e));
    }
    let _ = fs::remove_dir_all(&retired);
    Ok(())
}

/// Moves each of `paths` from `from/` back to `to/`, as far as it goes.
fn move_all(from: &Path, to: &Path, paths: &[&String]) {
    for rel in paths {
        let _ = fs::rename(from.join(rel), to.join(rel));
    }
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
