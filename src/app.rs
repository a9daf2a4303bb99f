//! The state every handler shares.

use std::sync::Arc;

use crate::config::Config;
use crate::db::{self, DbConn, DbPool};
use crate::error::AppResult;
use crate::events::mail::Mailer;
use crate::search::SearchIndex;

pub struct App {
    pub config: Config,
    pub pool: DbPool,
    pub search: Arc<SearchIndex>,
    pub mailer: Arc<Mailer>,
}

pub type AppState = Arc<App>;

impl App {
    pub async fn new(config: Config) -> anyhow::Result<AppState> {
        let mailer = Mailer::from_config(&config)?;
        App::with_mailer(config, mailer).await
    }

    pub async fn with_mailer(config: Config, mailer: Mailer) -> anyhow::Result<AppState> {
        // Two TLS back-ends are compiled in (for search and for mail); rustls must be told
        // which one to use.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let pool = db::pool(&config.database_url, config.db_pool_size)?;
        let search = Arc::new(SearchIndex::open(&config).await?);
        Ok(Arc::new(App {
            config,
            pool,
            search,
            mailer: Arc::new(mailer),
        }))
    }

    pub async fn conn(&self) -> AppResult<DbConn> {
        Ok(self.pool.get().await?)
    }
}
