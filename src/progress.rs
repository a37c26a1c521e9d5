//! Progress bars for command-line work that takes more than a few seconds (the demo's
//! seeding, the benches' loads and measurements). Drawn on stderr when it is a terminal;
//! hidden otherwise, so CI logs and pipes get only the results on stdout.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar of `len` steps saying what it counts (`what`), e.g. "loading payments".
pub fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), draw_target());
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:<24} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec:0}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_owned());
    bar
}

/// A spinner for a step of unknown length (a VACUUM, one measurement), cleared when dropped.
pub fn spinner(what: &str) -> Spinner {
    let bar = ProgressBar::with_draw_target(None, draw_target());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(what.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Spinner(bar)
}

/// A running [`spinner`]; the line is cleared when it is dropped.
pub struct Spinner(ProgressBar);

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// stderr when a person is watching it, nothing otherwise.
fn draw_target() -> ProgressDrawTarget {
    if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    }
}
