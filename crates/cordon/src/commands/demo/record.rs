//! What a demo database holds, recorded in it when the build finishes: the
//! seed, scale and days it was built with and the date of its first day.
//! A database with this record is a finished demo that `cordon demo` opens
//! again at once; one without it was never finished (or is no demo).

use anyhow::{Context, bail};
use cordon_store::Store;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::super::simulate::ScaleArg;

/// The record of a finished demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoRecord {
    /// Always `"cordon demo"`: what made the database.
    pub made_by: String,
    /// The seed of the country and the outbreak.
    pub seed: u64,
    /// `small` or `country`.
    pub scale: String,
    /// Days of history.
    pub days: u32,
    /// The date of the outbreak's day 0.
    pub start: Date,
    /// When the build finished.
    pub built_at: Timestamp,
}

const MADE_BY: &str = "cordon demo";

impl DemoRecord {
    /// The record of a demo built now.
    pub fn new(seed: u64, scale: ScaleArg, days: u32, start: Date, built_at: Timestamp) -> DemoRecord {
        DemoRecord { made_by: MADE_BY.to_owned(), seed, scale: scale_name(scale).to_owned(), days, start, built_at }
    }

    /// The recorded scale.
    pub fn scale(&self) -> anyhow::Result<ScaleArg> {
        match self.scale.as_str() {
            "small" => Ok(ScaleArg::Small),
            "country" => Ok(ScaleArg::Country),
            other => bail!("the demo record names an unknown scale {other:?}"),
        }
    }

    /// The record in `store`, if a demo was finished there.
    pub async fn load(store: &Store) -> anyhow::Result<Option<DemoRecord>> {
        let Some(text) = store.provenance().await? else { return Ok(None) };
        let record: DemoRecord = serde_json::from_str(&text).context("reading the demo record")?;
        Ok((record.made_by == MADE_BY).then_some(record))
    }

    /// Writes the record to `store`.
    pub async fn save(&self, store: &Store) -> anyhow::Result<()> {
        store.record_provenance(&serde_json::to_string(self)?, self.built_at).await.context("recording the demo")
    }

    /// Refuses flags that ask for another demo than the one stored.
    pub fn check_asked(&self, seed: Option<u64>, scale: Option<ScaleArg>, days: Option<u32>, database: &str) -> anyhow::Result<()> {
        let mut differ = Vec::new();
        if seed.is_some_and(|s| s != self.seed) {
            differ.push(format!("seed {}", self.seed));
        }
        if scale.is_some_and(|s| scale_name(s) != self.scale) {
            differ.push(format!("scale {}", self.scale));
        }
        if days.is_some_and(|d| d != self.days) {
            differ.push(format!("{} days", self.days));
        }
        if !differ.is_empty() {
            bail!("{database} holds the demo built with {}; add --fresh to replace it with the one asked for", differ.join(", "));
        }
        Ok(())
    }
}

/// The flag's spelling of a scale.
pub fn scale_name(scale: ScaleArg) -> &'static str {
    match scale {
        ScaleArg::Small => "small",
        ScaleArg::Country => "country",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> DemoRecord {
        DemoRecord::new(1, ScaleArg::Small, 30, jiff::civil::date(2026, 11, 1), Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn asking_for_the_stored_demo_or_nothing_in_particular_opens_it() {
        assert!(record().check_asked(None, None, None, "d.db").is_ok());
        assert!(record().check_asked(Some(1), Some(ScaleArg::Small), Some(30), "d.db").is_ok());
    }

    #[test]
    fn asking_for_another_demo_says_what_is_stored_and_how_to_replace_it() {
        let error = record().check_asked(Some(2), Some(ScaleArg::Country), None, "d.db").unwrap_err().to_string();
        assert_eq!(error, "d.db holds the demo built with seed 1, scale small; add --fresh to replace it with the one asked for");
    }

    #[test]
    fn the_record_reads_back_as_written() {
        let text = serde_json::to_string(&record()).unwrap();
        assert_eq!(serde_json::from_str::<DemoRecord>(&text).unwrap(), record());
        assert_eq!(record().scale().unwrap(), ScaleArg::Small);
    }
}
