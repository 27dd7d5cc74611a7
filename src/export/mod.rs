//! Writing the hub in other tools' formats, so that their ecosystems and ours exchange data:
//! Open Terms Archive's versions repository (`policyhub export --ota`). An export reads the
//! loaded content; it never changes the hub and never writes into an existing folder.

mod days;
mod ota;
mod repository;

pub use ota::{export_ota, OtaExport, OtaExportOptions};
pub use repository::AUTHOR;
