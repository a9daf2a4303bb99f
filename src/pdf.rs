//! PDF from our own HTML, printed by headless Chromium: Chinese, English and every other
//! script come out right with the system's CJK font (Debian's `fonts-noto-cjk`), and the
//! page is laid out by the same HTML and CSS as on screen.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::{AppError, AppResult};

/// Where Chromium is: `QIAOLINK_CHROMIUM`, else Debian's.
pub fn chromium() -> PathBuf {
    std::env::var_os("QIAOLINK_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Prints a complete HTML document (styles inline, no outside resources) to PDF.
pub async fn from_html(html: &str) -> AppResult<Vec<u8>> {
    let browser = chromium();
    if !browser.exists() {
        return Err(AppError::Unavailable(anyhow::anyhow!(
            "PDF needs Chromium on the server: install Debian's chromium and fonts-noto-cjk, or set QIAOLINK_CHROMIUM"
        )));
    }
    let dir = tempfile::tempdir().map_err(anyhow::Error::from)?;
    let page = dir.path().join("page.html");
    let out = dir.path().join("page.pdf");
    std::fs::write(&page, html).map_err(anyhow::Error::from)?;
    let run = tokio::process::Command::new(&browser)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .status();
    let status = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .map_err(|_| anyhow::anyhow!("printing the PDF took over a minute"))?
        .map_err(|e| anyhow::anyhow!("cannot start {}: {e}", browser.display()))?;
    let bytes = std::fs::read(&out).map_err(|e| anyhow::anyhow!("Chromium ({status}) wrote no PDF: {e}"))?;
    if !bytes.starts_with(b"%PDF") {
        return Err(anyhow::anyhow!("Chromium wrote something that is not a PDF").into());
    }
    Ok(bytes)
}
