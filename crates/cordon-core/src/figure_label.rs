//! A figure's label in each language cordon speaks: the number, what it
//! counts and which measure, the period, the place, the day it held on and
//! the source. Every measure and every counted thing has its words in every
//! language, by exhaustive matches, so a new kind of figure cannot be
//! published without them.

use crate::figure::{Counted, Figure, Measure};

/// A language a label can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// English.
    #[default]
    English,
    /// Korean.
    Korean,
}

/// Writes `value` with thousands separators and at most `decimals` decimals
/// (trailing zeros dropped): 22033 → "22,033", 12.5 → "12.5".
#[must_use]
pub fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    if value < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

impl Counted {
    /// The English noun, singular or plural.
    #[must_use]
    pub fn noun(self, one: bool) -> &'static str {
        let (singular, plural) = match self {
            Counted::SymptomReports => ("symptom report", "symptom reports"),
            Counted::Cases => ("case", "cases"),
            Counted::SuspectedCases => ("suspected case", "suspected cases"),
            Counted::ProbableCases => ("probable case", "probable cases"),
            Counted::ConfirmedCases => ("confirmed case", "confirmed cases"),
            Counted::Deaths => ("death", "deaths"),
            Counted::Isolated => ("person in isolation", "people in isolation"),
            Counted::Quarantined => ("person in quarantine", "people in quarantine"),
            Counted::UnitsReporting => ("unit reporting", "units reporting"),
            Counted::ReproductionNumber => ("reproduction number (Rt)", "reproduction number (Rt)"),
            Counted::OpenTasks => ("open task", "open tasks"),
            Counted::OverdueTasks => ("overdue task", "overdue tasks"),
            Counted::Escalations => ("escalation", "escalations"),
            Counted::HoursToAcknowledge => ("time from report to acknowledgement", "time from report to acknowledgement"),
            Counted::HoursToFirstVisit => ("time from report to first visit", "time from report to first visit"),
            Counted::TasksAcknowledgedInTime => ("investigation acknowledged in time", "investigations acknowledged in time"),
            Counted::DailyReportsFiled => ("expected daily unit report filed", "expected daily unit reports filed"),
            Counted::DailyReportsOnTime => ("daily unit report filed on its day", "daily unit reports filed on their day"),
            Counted::Alerts => ("detection alert", "detection alerts"),
            Counted::AlertLevel => ("alert level", "alert level"),
            Counted::Directives => ("directive in force", "directives in force"),
        };
        if one { singular } else { plural }
    }

    /// The Korean noun and its counter word (명, 건, 곳; empty for a level or a ratio).
    #[must_use]
    pub fn korean(self) -> (&'static str, &'static str) {
        match self {
            Counted::SymptomReports => ("증상 신고", "건"),
            Counted::Cases => ("환자", "명"),
            Counted::SuspectedCases => ("의사환자", "명"),
            Counted::ProbableCases => ("추정환자", "명"),
            Counted::ConfirmedCases => ("확진환자", "명"),
            Counted::Deaths => ("사망자", "명"),
            Counted::Isolated => ("격리 중인 사람", "명"),
            Counted::Quarantined => ("자가격리 중인 사람", "명"),
            Counted::UnitsReporting => ("보고한 단위", "곳"),
            Counted::ReproductionNumber => ("감염재생산지수(Rt)", ""),
            Counted::OpenTasks => ("미완료 업무", "건"),
            Counted::OverdueTasks => ("기한이 지난 업무", "건"),
            Counted::Escalations => ("상부 보고", "건"),
            Counted::HoursToAcknowledge => ("신고부터 접수 확인까지 걸린 시간", ""),
            Counted::HoursToFirstVisit => ("신고부터 첫 방문까지 걸린 시간", ""),
            Counted::TasksAcknowledgedInTime => ("기한 내 접수 확인된 조사", "건"),
            Counted::DailyReportsFiled => ("제출된 단위 일일 보고(예정 대비)", "건"),
            Counted::DailyReportsOnTime => ("당일 제출된 단위 일일 보고", "건"),
            Counted::Alerts => ("탐지 경보", "건"),
            Counted::AlertLevel => ("경보 단계", ""),
            Counted::Directives => ("시행 중인 지시", "건"),
        }
    }
}

impl Figure {
    /// The label in English.
    #[must_use]
    pub fn label(&self) -> String {
        self.label_in(Language::English)
    }

    /// The label in `language`.
    #[must_use]
    pub fn label_in(&self, language: Language) -> String {
        match language {
            Language::English => {
                format!("{}, {}, as of {} — source: {}", english_what(self), self.place, self.as_of, self.source)
            }
            Language::Korean => format!("{}, {}, {} 기준 — 출처: {}", korean_what(self), self.place, self.as_of, self.source),
        }
    }
}

/// The interval of an estimate, in words (empty when it has none).
fn interval_words(f: &Figure, language: Language) -> String {
    let Some(i) = f.interval else { return String::new() };
    let level = grouped(i.level * 100.0, 1);
    match language {
        Language::English => format!(" ({level}% interval {} to {})", grouped(i.lower, 2), grouped(i.upper, 2)),
        Language::Korean => format!(" ({level}% 구간 {}~{})", grouped(i.lower, 2), grouped(i.upper, 2)),
    }
}

fn english_what(f: &Figure) -> String {
    let one = (f.value - 1.0).abs() < f64::EPSILON;
    let (noun, nouns) = (f.counted.noun(one), f.counted.noun(false));
    let (from, to) = (f.period.from, f.period.to);
    let whole = grouped(f.value, 0);
    match f.measure {
        Measure::New if f.value < 0.0 => format!("{whole} {nouns} on {to} (new: a correction, the total was revised down)"),
        Measure::New if from == to => format!("{whole} new {noun} on {to} (new)"),
        Measure::New => format!("{whole} new {noun} from {from} to {to} (new)"),
        Measure::Cumulative => format!("{whole} {noun} in total since {from} (cumulative)"),
        Measure::Sum7d => format!("{whole} {noun} in the 7 days {from} to {to} (7-day sum)"),
        Measure::Average7d => format!("{} {nouns} a day over the 7 days {from} to {to} (7-day average)", grouped(f.value, 1)),
        Measure::Per100k7d => {
            format!("{} {nouns} per 100,000 residents in the 7 days {from} to {to} (7-day incidence)", grouped(f.value, 1))
        }
        Measure::GrowthWeekOnWeek => {
            format!("{:+.0}% {nouns} in the 7 days to {to} against the 7 days before (week on week)", (f.value - 1.0) * 100.0)
        }
        Measure::DoublingDays => format!("{nouns} doubling in {} days at the growth to {to} (doubling time)", grouped(f.value, 1)),
        Measure::Share => format!("{}% of {nouns} from {from} to {to} (share)", grouped(f.value * 100.0, 1)),
        Measure::Median => format!("{nouns}: median {} hours from {from} to {to} (median)", grouped(f.value, 1)),
        Measure::P90 => format!("{nouns}: 90th percentile {} hours from {from} to {to} (90th percentile)", grouped(f.value, 1)),
        Measure::Estimate => {
            format!("{nouns} estimated at {}{} from {from} to {to} (estimate)", grouped(f.value, 2), interval_words(f, Language::English))
        }
        Measure::Current => format!("{whole} {noun} on {to} (current)"),
    }
}

fn korean_what(f: &Figure) -> String {
    let (noun, counter) = f.counted.korean();
    let (from, to) = (f.period.from, f.period.to);
    let whole = format!("{}{counter}", grouped(f.value, 0));
    let span = if from == to { format!("{to}") } else { format!("{from}~{to}") };
    match f.measure {
        Measure::New if f.value < 0.0 => format!("{to} {noun} {whole} (신규: 정정, 누계가 하향 수정됨)"),
        Measure::New => format!("{span} 신규 {noun} {whole} (신규)"),
        Measure::Cumulative => format!("{from} 이후 {noun} 누계 {whole} (누적)"),
        Measure::Sum7d => format!("{from}~{to} 7일간 {noun} {whole} (7일 합계)"),
        Measure::Average7d => format!("{from}~{to} 7일간 하루 평균 {noun} {}{counter} (7일 평균)", grouped(f.value, 1)),
        Measure::Per100k7d => format!("{from}~{to} 7일간 인구 10만 명당 {noun} {}{counter} (7일 발생률)", grouped(f.value, 1)),
        Measure::GrowthWeekOnWeek => format!("{to}까지 7일간 {noun} 직전 7일 대비 {:+.0}% (주간 증가율)", (f.value - 1.0) * 100.0),
        Measure::DoublingDays => format!("{to}까지의 증가세로 {noun} {}일마다 두 배 (배가 시간)", grouped(f.value, 1)),
        Measure::Share => format!("{span} {noun} 비율 {}% (비율)", grouped(f.value * 100.0, 1)),
        Measure::Median => format!("{span} {noun} 중앙값 {}시간 (중앙값)", grouped(f.value, 1)),
        Measure::P90 => format!("{span} {noun} 90번째 백분위수 {}시간 (90번째 백분위수)", grouped(f.value, 1)),
        Measure::Estimate => format!("{span} {noun} 추정값 {}{} (추정값)", grouped(f.value, 2), interval_words(f, Language::Korean)),
        Measure::Current => format!("{to} 현재 {noun} {whole} (현재)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::{Interval, Period};
    use jiff::civil::date;

    fn figure(value: f64, measure: Measure, counted: Counted) -> Figure {
        Figure {
            value,
            measure,
            counted,
            period: Period { from: date(2020, 1, 22), to: date(2022, 2, 21) },
            place: "Japan".into(),
            source: "JHU CSSE via Our World in Data".into(),
            as_of: date(2022, 2, 21),
            interval: None,
        }
    }

    #[test]
    fn a_cumulative_total_says_it_is_one_in_korean() {
        let deaths = figure(22_033.0, Measure::Cumulative, Counted::Deaths);
        assert_eq!(
            deaths.label_in(Language::Korean),
            "2020-01-22 이후 사망자 누계 22,033명 (누적), Japan, 2022-02-21 기준 — 출처: JHU CSSE via Our World in Data"
        );
    }

    #[test]
    fn every_measure_and_counted_thing_has_words_in_every_language() {
        let measures = [
            Measure::New,
            Measure::Cumulative,
            Measure::Sum7d,
            Measure::Average7d,
            Measure::Per100k7d,
            Measure::GrowthWeekOnWeek,
            Measure::DoublingDays,
            Measure::Share,
            Measure::Median,
            Measure::P90,
            Measure::Estimate,
            Measure::Current,
        ];
        let korean_measure =
            ["(신규)", "(누적)", "(7일 합계)", "(7일 평균)", "(7일 발생률)", "(주간 증가율)", "(배가 시간)", "(비율)", "(중앙값)"];
        for (i, measure) in measures.into_iter().enumerate() {
            let f = figure(3.0, measure, Counted::ConfirmedCases);
            let ko = f.label_in(Language::Korean);
            assert!(ko.contains("확진환자") && ko.contains("2022-02-21 기준"), "{ko}");
            if let Some(says) = korean_measure.get(i) {
                assert!(ko.contains(says), "{ko}");
            }
            assert!(f.label().contains("confirmed case"), "{}", f.label());
        }
    }

    #[test]
    fn an_estimate_carries_its_interval() {
        let mut rt = figure(1.234, Measure::Estimate, Counted::ReproductionNumber);
        rt.interval = Some(Interval { lower: 1.05, upper: 1.43, level: 0.95 });
        assert!(
            rt.label().starts_with("reproduction number (Rt) estimated at 1.23 (95% interval 1.05 to 1.43) from 2020-01-22"),
            "{}",
            rt.label()
        );
        assert!(rt.label_in(Language::Korean).contains("추정값 1.23 (95% 구간 1.05~1.43)"));
    }
}
