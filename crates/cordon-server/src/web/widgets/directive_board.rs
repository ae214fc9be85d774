//! The board's directives panel: the directives in force over a node (issued
//! to it, above it or below it) with how many of their units within the node
//! acknowledged them, and those past their review date. It is part of the
//! board's live fragment, so it refreshes when units acknowledge.
//!
//! Three reads whatever the number of directives: the directives still
//! running around the node, the units of each area counted over, and the
//! units that acknowledged each.

use askama::Template;
use cordon_core::directive::Directive;
use cordon_core::jurisdiction::Node;

use super::directive_text::{Reach, kind_label, summary};
use crate::state::AppState;
use crate::web::{Lang, WebResult};

/// At most this many directives are read for the panel.
const SHOWN: i64 = 50;

/// A directive as the board lists it.
#[derive(Debug, Clone)]
pub struct BoardLine {
    /// Link to the directive's page.
    pub href: String,
    /// Its kind's name.
    pub kind: &'static str,
    /// The measure in one line.
    pub summary: String,
    /// The code of the area it is addressed to.
    pub scope: String,
    /// Acknowledgement within the board's node.
    pub reach: Reach,
    /// The day it was to be looked at again.
    pub review_on: String,
}

/// The board's directives panel.
#[derive(Template)]
#[template(path = "board_directives.html")]
pub struct BoardDirectives {
    t: Lang,
    node_code: String,
    in_force: Vec<BoardLine>,
    past_review: Vec<BoardLine>,
}

/// The directives panel of the board of `node`.
pub async fn board_directives(state: &AppState, t: Lang, node: &Node) -> WebResult<BoardDirectives> {
    let today = state.store.settings().await?.local_date(state.now());
    let running = state.store.directives_live_around(&node.path, today, SHOWN).await?;
    let in_force: Vec<&Directive> = running.iter().filter(|d| d.version_on(today).is_some()).collect();
    let past: Vec<&Directive> = running.iter().filter(|d| d.past_review(today)).collect();
    let counted: Vec<Directive> = running.iter().filter(|d| d.version_on(today).is_some() || d.past_review(today)).cloned().collect();
    let reach = state.store.directive_reach(&node.path, &counted).await?;
    let line = |d: &Directive| {
        let version = d.version_on(today).or_else(|| d.current())?;
        Some(BoardLine {
            href: format!("/directives/{}", d.id),
            kind: kind_label(t, version.terms.measure.kind()),
            summary: summary(t, &version.terms.measure),
            scope: d.scope_path.code().to_owned(),
            reach: reach.get(&d.id).map(|c| Reach::of(t, c)).unwrap_or_default(),
            review_on: version.terms.review_on.to_string(),
        })
    };
    Ok(BoardDirectives {
        t,
        node_code: node.code.clone(),
        in_force: in_force.into_iter().filter_map(line).collect(),
        past_review: past.into_iter().filter_map(line).collect(),
    })
}
