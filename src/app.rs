//! The state every handler shares.

use std::sync::Arc;

use crate::config::Config;
use crate::db::{self, DbConn, DbPool};
use crate::error::AppResult;

pub struct App {
    pub config: Config,
    pub pool: DbPool,
}

pub type AppState = Arc<App>;

impl App {
    pub fn new(config: Config) -> anyhow::Result<AppState> {
        let pool = db::pool(&config.database_url, config.db_pool_size)?;
        Ok(Arc::new(App { config, pool }))
    }

    pub async fn conn(&self) -> AppResult<DbConn> {
        Ok(self.pool.get().await?)
    }
}
