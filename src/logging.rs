//! Logs go to a file in the data dir, never to the screen.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Start logging to `<data dir>/pagerdeck.log`. `PAGERDECK_LOG` sets the level
/// (default "info"). Returns `None` when the folder cannot be written: logs are lost,
/// nothing else is.
pub fn init(data_dir: &Path) -> Option<WorkerGuard> {
    std::fs::create_dir_all(data_dir).ok()?;
    // The builder says when the file cannot be made (a read-only data dir); `never`
    // would panic there.
    let file = tracing_appender::rolling::RollingFileAppender::builder()
        .filename_prefix("pagerdeck.log")
        .build(data_dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter =
        EnvFilter::try_from_env("PAGERDECK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
