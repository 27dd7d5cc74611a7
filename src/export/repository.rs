//! Writing a git history (gix, pure Rust: no `git` program needed; the only writer of git
//! objects): a new repository whose `main` branch has one commit per record, each changing one
//! file, then the last tree checked out with an index that `git status` finds clean. It never
//! opens an existing repository.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use gix::bstr::ByteSlice;
use gix::objs::tree::EntryKind;
use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};
use gix::refs::Target;
use gix::ObjectId;

use crate::error::Diagnostic;

/// The fixed author and committer of every commit: no user's identity, no machine's.
pub const AUTHOR: (&str, &str) = ("policyhub", "policyhub@localhost");

/// One commit to write: the file it sets and the text it sets it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record<'a> {
    /// The file's path from the repository's root, slash-separated.
    pub path: &'a str,
    /// The file's new bytes.
    pub text: &'a [u8],
    /// Author and committer time, in seconds since 1970 (UTC: the time zone is +0000).
    pub seconds: i64,
    /// The commit message.
    pub message: &'a str,
}

/// Creates a repository in `dir` (a new, empty folder) holding `records` as a chain of commits
/// on `main`, oldest first, with the last tree checked out. Returns HEAD's id. The same records
/// give the same commit ids.
pub(super) fn write_history(dir: &Path, records: &[Record]) -> Result<String, Diagnostic> {
    let fail = |what: &str, e: &dyn std::fmt::Display| Diagnostic::new(dir, format!("cannot {what}: {e}"));
    // Isolated from the user's git configuration: the branch is `main` and the hash SHA-1,
    // whatever `init.defaultBranch` or `init.defaultObjectFormat` say.
    let create = gix::create::Options {
        destination_must_be_empty: Some(true),
        object_hash: Some(gix::hash::Kind::Sha1),
        ..Default::default()
    };
    let repo = gix::ThreadSafeRepository::init_opts(
        dir,
        gix::create::Kind::WithWorktree,
        create,
        gix::open::Options::isolated(),
    )
    .map_err(|e| fail("create the repository", &e))?
    .to_thread_local();
    let mut editor = repo
        .edit_tree(ObjectId::empty_tree(repo.object_hash()))
        .map_err(|e| fail("start a tree", &e))?;
    let mut parent: Option<ObjectId> = None;
    let mut last_time = String::new();
    let mut files: BTreeMap<&str, &[u8]> = BTreeMap::new();
    for record in records {
        let at = |e: &dyn std::fmt::Display| fail(&format!("record {}", record.path), e);
        let blob = repo.write_blob(record.text).map_err(|e| at(&e))?;
        editor.upsert(record.path, EntryKind::Blob, blob).map_err(|e| at(&e))?;
        let tree = editor.write().map_err(|e| at(&e))?;
        last_time = format!("{} +0000", record.seconds);
        let signature = gix::actor::Signature {
            name: AUTHOR.0.into(),
            email: AUTHOR.1.into(),
            time: gix::date::Time::new(record.seconds, 0),
        };
        let commit = gix::objs::Commit {
            tree: tree.detach(),
            parents: parent.into_iter().collect(),
            author: signature.clone(),
            committer: signature,
            encoding: None,
            message: record.message.into(),
            extra_headers: Vec::new(),
        };
        parent = Some(repo.write_object(&commit).map_err(|e| at(&e))?.detach());
        files.insert(record.path, record.text);
    }
    let Some(head) = parent else {
        return Err(Diagnostic::new(dir, "nothing to record: the hub has no version"));
    };
    // The branch is set once, at the end, its reflog dated by the last commit (no clock).
    let branch = RefEdit {
        change: Change::Update {
            log: LogChange {
                mode: RefLog::AndReference,
                force_create_reflog: false,
                message: "policyhub export".into(),
            },
            expected: PreviousValue::MustNotExist,
            new: Target::Object(head),
        },
        name: "refs/heads/main".try_into().map_err(|e| fail("name the branch", &e))?,
        deref: false,
    };
    let signature = gix::actor::SignatureRef {
        name: AUTHOR.0.into(),
        email: AUTHOR.1.into(),
        time: &last_time,
    };
    repo.edit_references_as(Some(branch), Some(signature))
        .map_err(|e| fail("set the branch", &e))?;
    check_out(&repo, dir, head, &files)?;
    Ok(head.to_string())
}

/// Writes the files of the last commit into the work tree and an index that matches them.
fn check_out(
    repo: &gix::Repository,
    dir: &Path,
    head: ObjectId,
    files: &BTreeMap<&str, &[u8]>,
) -> Result<(), Diagnostic> {
    for (path, text) in files {
        let target = dir.join(path);
        let fail = |e: std::io::Error| Diagnostic::new(&target, format!("cannot write: {e}"));
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(fail)?;
        }
        fs::write(&target, text).map_err(fail)?;
    }
    let fail = |e: &dyn std::fmt::Display| Diagnostic::new(dir, format!("cannot write the index: {e}"));
    let tree = repo
        .find_commit(head)
        .and_then(|c| c.tree_id())
        .map_err(|e| fail(&e))?
        .detach();
    let mut index = repo.index_from_tree(&tree).map_err(|e| fail(&e))?;
    // The files' own times and sizes, so that git trusts the index without re-reading them.
    for (entry, path) in index.entries_mut_with_paths() {
        let path = dir.join(path.to_path_lossy());
        let metadata = gix::index::fs::Metadata::from_path_no_follow(&path).map_err(|e| fail(&e))?;
        entry.stat = gix::index::entry::Stat::from_fs(&metadata).map_err(|e| fail(&e))?;
    }
    index
        // The default sharing: the umask's permissions.
        .write(Default::default(), Default::default())
        .map_err(|e| fail(&e))
}
