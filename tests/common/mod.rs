//! Helpers shared by the integration tests: temporary hubs and the `policyhub` binary.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A hub in a temporary folder, removed when dropped.
pub struct TempHub {
    pub dir: tempfile::TempDir,
}

impl TempHub {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TempHub {
        let hub = TempHub {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name),
            hub.root(),
        );
        hub
    }

    /// A copy of the repository's own hub (site.toml, content/, templates/, static/).
    pub fn repository() -> TempHub {
        let hub = TempHub {
            dir: tempfile::tempdir().unwrap(),
        };
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::copy(here.join("site.toml"), hub.root().join("site.toml")).unwrap();
        for dir in ["content", "templates", "static"] {
            copy_dir(&here.join(dir), &hub.root().join(dir));
        }
        hub
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn read_output(&self, rel: &str) -> String {
        fs::read_to_string(self.path("public").join(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    /// `policyhub <args> --root <hub>`, without colours, and without the caller's
    /// `SOURCE_DATE_EPOCH` (it moves the hub's reference date; a test sets it when it means to).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("policyhub").unwrap();
        cmd.args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .env_remove("SOURCE_DATE_EPOCH");
        cmd
    }

    /// Runs `policyhub build` and returns (success, stdout, stderr).
    pub fn build(&self) -> (bool, String, String) {
        let out = self.command(&["build"]).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Every file of the output with its bytes, sorted.
    pub fn output_snapshot(&self) -> Vec<(String, Vec<u8>)> {
        snapshot(&self.path("public"))
    }
}

/// Every file under `dir` (which must exist) with its bytes, by relative path, sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            files.push((rel, fs::read(entry.path()).unwrap()));
        }
    }
    files
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every `id="…"` attribute value of an HTML page.
pub fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}
