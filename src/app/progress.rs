//! Progress of a long lint on stderr: files done of all, drawn only on a terminal and only once
//! the run has taken a second (short runs print nothing, as before).

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes on before its progress is drawn.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A progress bar shared by the analysis threads.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
}

impl Default for Progress {
    fn default() -> Self {
        let bar = ProgressBar::hidden();
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} linting {pos}/{len} files {wide_bar} {elapsed}")
        {
            bar.set_style(style);
        }
        Progress {
            bar,
            start: Instant::now(),
        }
    }
}

impl Progress {
    /// Adds `files` to the number of files to lint.
    pub fn add_files(&self, files: usize) {
        let before = self.bar.length().unwrap_or(0);
        self.bar.set_length(before + files as u64);
    }

    /// Counts one linted file; draws the bar once the run has taken [`SHOW_AFTER`].
    pub fn file_done(&self) {
        self.bar.inc(1);
        if self.bar.is_hidden() && self.start.elapsed() >= SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar before the report is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
