//! The situation abroad, for administrators: importing an Our World in
//! Data file (uploaded on the admin page or sent to the API) and keeping
//! the watch list. The page and the API call the same functions.

use cordon_core::abroad::{self, DailyRow, Layout, ReadError};
use cordon_core::refusal::Reason;
use cordon_core::user::User;
use cordon_core::validation::Invalid;
use cordon_core::watch::{self, WatchInput, Watched};
use cordon_core::watch_alert::AbroadAlert;
use cordon_store::abroad::Imported;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The largest file accepted, in bytes.
pub const MAX_FILE: usize = 16 * 1024 * 1024;

/// The refusal of a file's line, naming `field` (the form's or the body's).
#[must_use]
pub fn line_refused(field: &str, e: &ReadError) -> Invalid {
    Invalid::field(field, Reason::FileLine { line: e.line, column: e.column, name: e.field.clone(), problem: e.problem.to_string() })
}

/// Reads `text` (either layout) and imports it as `user`, who must keep the
/// watch list; a problem in the file is a refusal of `field` naming its line
/// and column, and nothing is imported.
pub async fn import(state: &AppState, user: &User, field: &str, text: &str) -> ApiResult<Imported> {
    watch::may_keep(user)?;
    let (layout, rows) = abroad::read(text.trim_start_matches('\u{feff}')).map_err(|e| ApiError::Invalid(line_refused(field, &e)))?;
    import_rows(state, user, layout, &rows).await
}

/// Imports the rows of a file already read (in `layout`), as `user`, who
/// must keep the watch list.
pub async fn import_rows(state: &AppState, user: &User, layout: Layout, rows: &[DailyRow]) -> ApiResult<Imported> {
    Ok(state.store.import_abroad_by(user, rows, abroad::source(layout), state.now()).await?)
}

/// Puts `location` on the watch list or changes its entry, as `user`; the
/// alerts its series calls for are raised with it.
pub async fn set(state: &AppState, user: &User, location: &str, input: &WatchInput) -> ApiResult<(Watched, Vec<AbroadAlert>)> {
    Ok(state.store.set_watch(user, location, input, state.now()).await?)
}

/// Takes `location` off the watch list, as `user`.
pub async fn remove(state: &AppState, user: &User, location: &str) -> ApiResult<Watched> {
    Ok(state.store.remove_watch(user, location, state.now()).await?)
}
