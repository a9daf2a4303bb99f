//! The state every handler shares.

use std::sync::Arc;

use crate::config::Config;
use crate::db::{self, DbConn, DbPool};
use crate::error::AppResult;
use crate::search::SearchIndex;

pub struct App {
    pub config: Config,
    pub pool: DbPool,
    pub search: Arc<SearchIndex>,
}

pub type AppState = Arc<App>;

impl App {
    pub async fn new(config: Config) -> anyhow::Result<AppState> {
        let pool = db::pool(&config.database_url, config.db_pool_size)?;
        let search = Arc::new(SearchIndex::open(&config).await?);
        Ok(Arc::new(App { config, pool, search }))
    }

    pub async fn conn(&self) -> AppResult<DbConn> {
        Ok(self.pool.get().await?)
    }
}
