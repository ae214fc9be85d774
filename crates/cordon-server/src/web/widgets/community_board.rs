//! The board's section on the community measures, part of the live
//! fragment (`/board/live`): the node's alert level in force, with the
//! rules' recommendation and its reasons when it differs; the gathering
//! clusters under the node (registered gatherings with the cases linked to
//! them, most first); and the subtree's most-heard rumours this week.
//!
//! A fixed number of reads whatever the size of the subtree: the level's
//! latest decision, the recommendation's signals, one grouped query for the
//! clusters and one for the rumours.

use askama::Template;
use cordon_core::jurisdiction::Node;
use cordon_core::rumour::week_of;

use super::alert_level::{LevelBadge, why_text};
use super::community::{category_label, gathering_label};
use crate::state::AppState;
use crate::web::{Lang, WebResult, local_time};

/// How many clusters and rumours the board lists.
const LISTED: i64 = 5;

/// A line of the section: a link and what it says.
#[derive(Debug, Clone)]
pub struct CommunityLine {
    /// Where it leads.
    pub href: String,
    /// What it says.
    pub text: String,
    /// The figure beside it.
    pub figure: String,
    /// A second word (the category of a rumour), if any.
    pub note: &'static str,
}

/// The section, rendered into the board's live fragment.
#[derive(Template)]
#[template(path = "board_community.html")]
pub struct CommunitySection {
    t: Lang,
    node_code: String,
    level: LevelBadge,
    level_at: String,
    recommended: Option<(LevelBadge, Vec<String>)>,
    clusters: Vec<CommunityLine>,
    rumours: Vec<CommunityLine>,
}

/// Reads and renders the section for `node`.
pub async fn section(state: &AppState, t: Lang, node: &Node) -> WebResult<String> {
    let settings = state.store.settings().await?;
    let now = state.now();
    let latest = state.store.alert_level_history(&node.path, 1).await?;
    let in_force = latest.first().map_or(0, |l| l.level);
    let (_, recommendation) = crate::actions::alert_levels::recommendation(state, node).await?;
    let recommended = (recommendation.level != in_force)
        .then(|| (LevelBadge::of(t, recommendation.level), recommendation.reasons.iter().map(|why| why_text(t, why)).collect()));
    let clusters = state.store.gathering_clusters(&node.path, LISTED).await?;
    let rumours = state.store.rumours_of_week(&node.path, week_of(settings.local_date(now)), LISTED).await?;
    let section = CommunitySection {
        t,
        node_code: node.code.clone(),
        level: LevelBadge::of(t, in_force),
        level_at: latest.first().map(|l| local_time(l.set_at, &settings.zone())).unwrap_or_default(),
        recommended,
        clusters: clusters
            .iter()
            .map(|c| CommunityLine {
                href: format!("/gatherings/{}", c.gathering.id),
                text: gathering_label(&c.gathering),
                figure: t.fill("gathering_cases", c.cases),
                note: "",
            })
            .collect(),
        rumours: rumours
            .iter()
            .map(|r| CommunityLine {
                href: format!("/rumours/{}", r.id),
                text: r.text.clone(),
                figure: t.fill("rumour_people", r.people),
                note: category_label(t, r.category),
            })
            .collect(),
    };
    Ok(section.render()?)
}
