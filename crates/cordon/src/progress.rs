//! Progress of long work on standard error: a bar on a terminal, and a plain
//! line every few seconds anywhere else (a log file, a pipe, CI), so that a
//! long build is never silent and a log never holds escape codes.
//!
//! The rate is the average since the start, as a whole number; the time
//! left is shown once there is enough progress to estimate it (before that a
//! bar would promise hours it will not take).

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

/// `1234567` as `1,234,567` (the pages' way of writing counts).
pub use cordon_server::web::pager::grouped;

/// How often the plain form prints a line.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// Seconds of work before the time left is estimated.
const ESTIMATE_AFTER: Duration = Duration::from_secs(3);

/// Whether standard error is a terminal that can draw a bar.
pub fn on_terminal() -> bool {
    std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Whether colour may be used on standard error (a terminal, and `NO_COLOR`
/// unset or empty, as <https://no-color.org> asks).
pub fn colour() -> bool {
    on_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A counter of work done out of a known total.
pub struct Progress {
    total: u64,
    unit: &'static str,
    form: Form,
}

enum Form {
    Bar(ProgressBar),
    Plain(Mutex<Plain>),
}

struct Plain {
    label: String,
    done: u64,
    started: Instant,
    printed: Instant,
}

impl Progress {
    /// Starts counting `total` `unit`s (e.g. "writes") of the work `label`.
    pub fn new(total: u64, label: impl Into<String>, unit: &'static str) -> Progress {
        let label = label.into();
        let form = if on_terminal() { Form::Bar(bar(total, label, unit)) } else { Form::Plain(Mutex::new(Plain::new(label))) };
        Progress { total, unit, form }
    }

    /// `n` more done.
    pub fn inc(&self, n: u64) {
        match &self.form {
            Form::Bar(bar) => bar.inc(n),
            Form::Plain(plain) => self.plain(plain, |p| p.done += n),
        }
    }

    /// `done` in all so far.
    pub fn set_position(&self, done: u64) {
        match &self.form {
            Form::Bar(bar) => bar.set_position(done),
            Form::Plain(plain) => self.plain(plain, |p| p.done = done),
        }
    }

    /// Renames the work under way (e.g. the day being fed).
    pub fn set_label(&self, label: impl Into<String>) {
        match &self.form {
            Form::Bar(bar) => bar.set_message(label.into()),
            Form::Plain(plain) => self.plain(plain, |p| p.label = label.into()),
        }
    }

    /// Ends the count: the bar disappears (the caller prints a summary).
    pub fn finish(&self) {
        if let Form::Bar(bar) = &self.form {
            bar.finish_and_clear();
        }
    }

    fn plain(&self, plain: &Mutex<Plain>, change: impl FnOnce(&mut Plain)) {
        let Ok(mut p) = plain.lock() else { return };
        change(&mut p);
        if p.printed.elapsed() >= PLAIN_EVERY {
            p.printed = Instant::now();
            eprintln!("{}", p.line(self.total, self.unit));
        }
    }
}

impl Plain {
    fn new(label: String) -> Plain {
        let now = Instant::now();
        Plain { label, done: 0, started: now, printed: now }
    }

    /// `history: day 12: 1,234 of 9,876 actions (12%), 2,075/s, about 4 s left`.
    fn line(&self, total: u64, unit: &str) -> String {
        let elapsed = self.started.elapsed();
        let percent = self.done.saturating_mul(100).checked_div(total).unwrap_or(100);
        let mut line = format!(
            "{}: {} of {} {unit} ({percent}%), {}/s",
            self.label,
            grouped(self.done),
            grouped(total),
            grouped(rate(self.done, elapsed))
        );
        if let Some(left) = time_left(self.done, total, elapsed) {
            let _ = write!(line, ", about {} left", human(left));
        }
        line
    }
}

fn bar(total: u64, label: String, unit: &str) -> ProgressBar {
    let template = format!("{{msg:<28}} [{{wide_bar}}] {{done}}/{{total}} {unit} · {{rate}}/s · {{left}}");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
        .with_key("done", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&grouped(s.pos()));
        })
        .with_key("total", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&grouped(s.len().unwrap_or(0)));
        })
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&grouped(rate(s.pos(), s.elapsed())));
        })
        .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = match time_left(s.pos(), s.len().unwrap_or(0), s.elapsed()) {
                Some(left) => write!(w, "about {} left", human(left)),
                None => w.write_str("estimating"),
            };
        });
    let bar = ProgressBar::new(total).with_style(style);
    bar.set_message(label);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Whole units per second since the start.
#[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a rounded, non-negative rate, far inside u64")]
fn rate(done: u64, elapsed: Duration) -> u64 {
    let secs = elapsed.as_secs_f64();
    if secs < 0.001 { 0 } else { (done as f64 / secs).round() as u64 }
}

/// The time left at the average rate so far, once there is enough to go on.
fn time_left(done: u64, total: u64, elapsed: Duration) -> Option<Duration> {
    if elapsed < ESTIMATE_AFTER || done == 0 {
        return None;
    }
    let left = total.saturating_sub(done) as f64 * elapsed.as_secs_f64() / done as f64;
    Some(Duration::from_secs_f64(left.min(1e7)))
}

/// `12 s`, `3 min 20 s`, `1 h 05 min`.
fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_a_whole_number() {
        assert_eq!(rate(20_753, Duration::from_secs(10)), 2075);
        assert_eq!(rate(5, Duration::ZERO), 0);
    }

    #[test]
    fn no_time_left_is_promised_before_there_is_enough_to_go_on() {
        assert_eq!(time_left(1, 1_000_000, Duration::from_millis(500)), None, "too early");
        assert_eq!(time_left(0, 1_000, Duration::from_secs(10)), None, "nothing done yet");
        assert_eq!(time_left(250, 1_000, Duration::from_secs(10)), Some(Duration::from_secs(30)));
    }

    #[test]
    fn durations_read_as_a_person_would_say_them() {
        assert_eq!(human(Duration::from_secs(12)), "12 s");
        assert_eq!(human(Duration::from_secs(200)), "3 min 20 s");
        assert_eq!(human(Duration::from_mins(65)), "1 h 05 min");
    }

    #[test]
    fn a_plain_line_says_what_how_far_and_how_fast_without_escape_codes() {
        let p = Plain {
            label: "rosters".into(),
            done: 2500,
            started: Instant::now().checked_sub(Duration::from_secs(10)).unwrap(),
            printed: Instant::now(),
        };
        let line = p.line(10_000, "shifts");
        assert!(line.starts_with("rosters: 2,500 of 10,000 shifts (25%), 250/s, about ") && line.ends_with(" s left"), "{line}");
        assert!(!line.contains('\u{1b}'));
    }
}
