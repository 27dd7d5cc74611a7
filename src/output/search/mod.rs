//! The full-text search index (DESIGN §9): the records of [`records`] indexed in memory by
//! pagefind and written under `/pagefind/`, where `static/search.js` loads them. The only user
//! of pagefind and tokio (a small current-thread runtime lives for one indexing run); it reads
//! the loaded site and never renders pages.

mod records;

pub use records::{clause_topics, policy_records, search_records, SearchRecord, EARLIER, LATEST};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::OutputFile;
use crate::error::Diagnostic;
use crate::site::Site;

/// The folder of the index in the output.
pub const SEARCH_DIR: &str = "pagefind";

/// The files of pagefind's bundle that the search page uses: the search API, its worker, the
/// entry, the WebAssembly of the languages the entry names, and the index itself. Its stock
/// UIs, highlighter and playground are left out.
fn is_needed(name: &str, wasm: &[String]) -> bool {
    let top = ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json"];
    top.contains(&name)
        || wasm.iter().any(|w| name == format!("wasm.{w}.pagefind"))
        || name.ends_with(".pf_meta")
        || ["index/", "fragment/", "filter/"].iter().any(|d| name.starts_with(d))
}

/// The `wasm` of every language in `pagefind-entry.json`.
fn entry_wasm(entry: &[u8]) -> Vec<String> {
    let entry: serde_json::Value = serde_json::from_slice(entry).unwrap_or_default();
    let Some(languages) = entry.get("languages").and_then(|l| l.as_object()) else {
        return Vec::new();
    };
    languages
        .values()
        .filter_map(|l| l.get("wasm").and_then(|w| w.as_str()).map(str::to_string))
        .collect()
}

/// The search index of the whole site: every file under `/pagefind/`.
pub fn search_files(site: &Site) -> Result<Vec<OutputFile>, Diagnostic> {
    let records = search_records(site);
    let language = site.config.language.clone();
    let failed = |what: &str, e: &dyn std::fmt::Display| {
        Diagnostic::new("pagefind", format!("cannot build the search index: {what}: {e}"))
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed("runtime", &e))?;
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language(language.clone())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| failed("options", &e))?;
        for record in records {
            index
                .add_custom_record(
                    record.url,
                    record.content,
                    language.clone(),
                    Some(record.meta),
                    Some(record.filters),
                    None,
                )
                .await
                .map_err(|e| failed("record", &e))?;
        }
        index.get_files().await.map_err(|e| failed("files", &e))
    })?;
    let named: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|file| {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            let name = name.trim_start_matches('/');
            let name = name.strip_prefix("pagefind/").unwrap_or(name).to_string();
            (name, file.contents)
        })
        .collect();
    let wasm = named
        .iter()
        .find(|(name, _)| name == "pagefind-entry.json")
        .map(|(_, bytes)| entry_wasm(bytes))
        .unwrap_or_default();
    let mut out: Vec<OutputFile> = named
        .into_iter()
        .filter(|(name, _)| is_needed(name, &wasm))
        .map(|(name, bytes)| OutputFile {
            path: format!("{SEARCH_DIR}/{name}"),
            bytes,
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
