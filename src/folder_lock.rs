//! An advisory lock on a folder (`flock` on Unix): what keeps two builds from writing one
//! output, or two releases from recording into one archive, at the same time. A leaf utility.

use std::fs;
use std::path::Path;

use crate::error::Diagnostic;

/// Locks `folder` until the returned file is dropped. `busy` says what holds it when another
/// process does. A folder that does not exist, or a file system that cannot lock one, gives
/// no lock (`None`) rather than an error.
pub(crate) fn lock_folder(folder: &Path, busy: impl FnOnce() -> Diagnostic) -> Result<Option<fs::File>, Diagnostic> {
    let Ok(handle) = fs::File::open(folder) else {
        return Ok(None);
    };
    match handle.try_lock() {
        Ok(()) => Ok(Some(handle)),
        Err(fs::TryLockError::WouldBlock) => Err(busy()),
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}
