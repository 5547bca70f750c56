//! The kennisbank search index in the data dir, kept in step with the database. One process
//! owns the index writer: the server when it runs, otherwise the CLI command.

use anyhow::Context;
use gastvrij_app::App;
use gastvrij_search::{ArticleIndex, SearchError, default_analyzer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An opened index and whether this process owns its writer.
pub struct OpenIndex {
    pub app: App,
    pub owner: bool,
    position_file: PathBuf,
}

/// Open the index in `data`: as owner when possible; else (`must_own` false) read-only beside
/// the server that owns it.
pub fn open(app: App, data: &Path, must_own: bool) -> anyhow::Result<OpenIndex> {
    let dir = data.join("index").join("kennisbank");
    let position_file = dir.join("gastvrij-position");
    let (index, owner) = match ArticleIndex::open_in_dir(&dir, default_analyzer()) {
        Ok(index) => (index, true),
        Err(SearchError::Locked(_)) if !must_own => (ArticleIndex::open_read_only(&dir, default_analyzer())?, false),
        Err(e) => return Err(e.into()),
    };
    Ok(OpenIndex { app: app.with_search(Arc::new(index)), owner, position_file })
}

impl OpenIndex {
    fn position(&self) -> Option<i64> {
        std::fs::read_to_string(&self.position_file).ok().and_then(|s| s.trim().parse().ok())
    }

    fn remember(&self, last: i64) -> anyhow::Result<()> {
        std::fs::write(&self.position_file, last.to_string())
            .with_context(|| format!("writing {}", self.position_file.display()))
    }

    /// Bring an owned index up to date: rebuild when it was never built, else apply the article
    /// events since its last position. A read-only index is kept current by its owner.
    pub async fn catch_up(&self) -> anyhow::Result<()> {
        if !self.owner {
            return Ok(());
        }
        let last = match self.position() {
            None => self.app.rebuild_search().await?.1,
            Some(after) => self.app.sync_search(after).await?,
        };
        self.remember(last)
    }

    /// Rebuild from the database; returns the number of articles indexed.
    pub async fn rebuild(&self) -> anyhow::Result<u64> {
        let (count, last) = self.app.rebuild_search().await?;
        self.remember(last)?;
        Ok(count)
    }
}
