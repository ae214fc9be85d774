//! Refusals in Korean, from their code and parameters.
//!
//! [`korean`] matches every [`Reason`] the core, the store and the API give, so
//! a new code does not compile until it has its Korean here; statuses, roles
//! and outcomes inside a reason are named through the page catalogue
//! ([`Lang`]), the same words the pages use.

use cordon_core::policy::Action;
use cordon_core::refusal::{Reason, Record, Unit};

use super::Lang;

/// The Korean for a refusal.
#[expect(clippy::too_many_lines, reason = "a table with one arm per code, exhaustive so that a new code must have its Korean")]
pub(super) fn korean(reason: &Reason) -> String {
    #[allow(clippy::enum_glob_use, reason = "the variant names are the table's first column")]
    use Reason::*;
    let t = Lang::Ko;
    match reason {
        Empty => "비워 둘 수 없습니다".into(),
        TooLong { max } => format!("{max}자 이하여야 합니다"),
        ControlCharacter { character } => format!("제어 문자 {character}는 쓸 수 없습니다"),
        TooMany { max } => format!("최대 {max}개까지입니다"),
        TooShort { min } => format!("{min}자 이상이어야 합니다"),
        UsernamePattern => "영문자, 숫자, '.', '-', '_'로 3~64자여야 합니다".into(),
        CodeLength => "1~32자여야 합니다".into(),
        CodeCharacters => "영문자, 숫자, '-', '_', '.'만 쓸 수 있습니다".into(),
        Negative => "음수일 수 없습니다".into(),
        NotNumber => "숫자를 넣으세요 (예: 37.8)".into(),
        Between { min, max, unit } => match unit {
            Unit::Number => format!("{min}에서 {max} 사이여야 합니다"),
            Unit::Celsius => format!("{min}~{max} °C 사이여야 합니다"),
            Unit::Days => format!("{min}~{max}일 사이여야 합니다"),
            Unit::Weeks => format!("{min}~{max}주 사이여야 합니다"),
            Unit::Years => format!("{min}~{max}년 사이여야 합니다"),
        },
        StrictlyBetween { above, below } => format!("{above}보다 크고 {below}보다 작아야 합니다"),
        LimitRange { max, given } => format!("1에서 {max} 사이여야 합니다({given}은(는) 안 됩니다)"),
        AfterToday { today } => format!("오늘({today})보다 뒤일 수 없습니다"),
        TooOld { days } => format!("최근 {days}일 이내여야 합니다"),
        TooFarAhead { latest } => format!("{latest} 이전이어야 합니다"),
        TodayOrYesterday => "오늘 또는 어제만 가능합니다".into(),
        WithinAYear { today } => format!("1년 전부터 오늘({today}) 사이여야 합니다"),
        AfterContactReported { day } => format!("접촉자를 등록한 날({day})보다 뒤일 수 없습니다"),
        ShiftEndsFirst => "시작 시각 뒤여야 합니다".into(),
        ShiftTooLong { days } => format!("근무는 최대 {days}일입니다"),
        RosterPeriod { days } => format!("시작일 뒤이면서 {days}일 이내여야 합니다"),
        DeadlineRange => "1분에서 7일 사이여야 합니다".into(),
        Hour => "0에서 23 사이의 시각이어야 합니다".into(),
        HourBeforeDue => "0~23시이며 마감 시각보다 이르면 안 됩니다".into(),
        TimeZone => "알 수 없는 IANA 시간대입니다".into(),
        CountryCode => "두 글자 대문자 ISO 3166 국가 코드여야 합니다".into(),
        NilId => "nil UUID일 수 없습니다".into(),
        TooManySymptoms => "증상이 너무 많습니다".into(),
        NotSeenNoReadings => "만나지 못한 사람은 체온이나 증상을 적을 수 없습니다".into(),
        SymptomCount => "1에서 나열한 증상 수 사이여야 합니다".into(),
        TooDeep { depth } => format!("기준을 {depth}단계보다 깊게 중첩할 수 없습니다"),
        NoCriterion => "기준을 하나 이상 넣어야 합니다".into(),
        NoSyndrome => "증후군을 하나 이상 넣어야 합니다".into(),
        NoMethod => "탐지 방법을 하나 이상 넣어야 합니다".into(),
        TreeDepths => "0(국가)에서 15 사이의 트리 깊이를 넣어야 합니다".into(),
        ListedTwice => "두 번 들어 있습니다".into(),
        ReasonRequired => "사유를 넣으세요".into(),
        StatusOrOutcome => "분류나 결과, 또는 둘 다 넣으세요".into(),
        PersonMissing => "기존 사람(person_id)이나 새 사람(new_person) 중 하나를 넣으세요".into(),
        PersonTwice => "person_id와 new_person 중 하나만 넣으세요".into(),
        OneOf { choices } => format!("{choices} 중 하나여야 합니다"),
        SearchTooShort => "반(단위) 이름이나 코드를 2자 이상 입력하십시오".into(),
        BadCursor => "이 목록의 커서가 아닙니다. 이전 페이지의 X-Next-Cursor나 Link 값을 그대로 넘기세요".into(),
        NotUuid { value } => format!("주소의 {value:?}은(는) 올바른 ID(UUID)가 아닙니다"),
        PathMismatch => "주소의 코드와 같아야 합니다".into(),
        BadJson { message } => format!("올바른 JSON이 아닙니다: {message}"),
        Unreadable { message } => format!("읽을 수 없는 값입니다: {message}"),
        ExpectedJson => "JSON 본문(Content-Type: application/json)으로 보내야 합니다".into(),
        ExpectedForm => "양식(application/x-www-form-urlencoded)으로 보내야 합니다".into(),
        TooLarge { max } => format!("본문이 {max}바이트보다 크거나 도중에 끊겼습니다"),
        Boundary { node, problem } => format!("{node}: 경계가 올바른 GeoJSON이 아닙니다 ({problem})"),
        NotPositive => "0보다 커야 합니다".into(),
        NotImported { location } => format!("{location:?}의 자료를 가져온 적이 없습니다. Our World in Data 파일을 먼저 가져오세요"),
        PopulationUnknown { location } => format!("가져온 파일에 {location:?}의 인구가 없습니다. 인구를 넣으세요"),
        FileLine { line, column, name, problem } if name.is_empty() => format!("{line}행 {column}열: {problem}"),
        FileLine { line, column, name, problem } => format!("{line}행 {column}열({name}): {problem}"),
        BelowUnit { levels } => format!("트리가 {levels}단계뿐이라 반(단위) 아래에 구역을 둘 수 없습니다"),
        NoNode { code } => format!("코드가 {code:?}인 관할 구역이 없습니다"),
        RootExists => "트리에 이미 최상위 구역이 있습니다. 상위 구역을 지정하세요".into(),
        LevelNames => "비어 있지 않은 단계 이름을 1~10개 넣으세요".into(),
        ParentDiffers => "이 코드를 가진 기존 구역의 상위 구역과 다릅니다".into(),
        LevelsTooFew { depth, levels } => format!("트리에 이미 깊이 {depth}의 구역이 있습니다. 단계를 {levels}개 이상 넣으세요"),
        UnitsOnly => "일일 보고는 반(단위)만 제출합니다".into(),
        NotFound { record, key } if key.is_empty() => format!("{}을(를) 찾을 수 없습니다", record_ko(*record)),
        NotFound { record, key } => format!("{} {key}을(를) 찾을 수 없습니다", record_ko(*record)),
        NoPerson => "그런 사람이 없습니다".into(),
        NoPersonHere => "관할 구역에 그런 사람이 없습니다. 대신 새 사람(new_person)을 넣으세요".into(),
        NotResident => "관할 구역의 주민이 아닙니다".into(),
        NoCaseHere => "관할 구역에 그런 사례가 없습니다".into(),
        NoFacility => "그런 시설이 없습니다".into(),
        NoFacilityCode { code } => format!("코드가 {code:?}인 시설이 없습니다"),
        NoCentreCode { code } => format!("코드가 {code:?}인 격리 시설이나 병원이 없습니다"),
        NoCentreFound => "시설 격리 대상인데 격리 시설을 찾지 못했습니다. 시설을 지정하세요".into(),
        NoPointOfEntry => "이 코드의 입국 지점이 없습니다".into(),
        NotConfigured { method } => format!("{method}은(는) 설정되어 있지 않습니다"),
        NotWorker => "활성 보건요원이 아닙니다".into(),
        NotWorkerHere => "관할 구역의 활성 보건요원이 아닙니다".into(),
        WorkerAreaMisses => "이 요원의 담당 구역에 임무 장소가 포함되지 않습니다".into(),
        CannotCover { worker, area } => format!("{worker}은(는) {area} 구역을 맡을 수 없습니다"),
        NotFollowUp => "추적 방문 임무가 아닙니다".into(),
        Taken => "이미 사용 중입니다".into(),
        ProbableDuplicate => "이미 등록된 사람과 중복일 가능성이 높습니다".into(),
        IdReused { record, id } => format!("ID {id}는 이 {}에 쓸 수 없습니다. 새 ID로 다시 보내십시오", record_ko(*record)),
        UnderOrder { kind, order_id, ends_on } => {
            let kind = if kind == "isolation" { "격리" } else { "자가격리" };
            format!("이미 {kind} 명령({order_id})을 받고 있으며 {ends_on}까지 유효합니다")
        }
        FacilityRequired => "시설 또는 병원 격리에는 시설을 지정하세요".into(),
        HomeTakesNoFacility => "자가 격리에는 시설을 지정하지 않습니다".into(),
        OwnSource => "사례가 자기 자신의 감염원일 수 없습니다".into(),
        OwnContact => "사례는 자기 자신의 접촉자가 될 수 없습니다".into(),
        DeactivateSelf => "자기 자신은 비활성화할 수 없습니다".into(),
        SignInFirst => "먼저 로그인하세요".into(),
        BadCredentials => "사용자 이름 또는 비밀번호가 틀렸습니다".into(),
        CrossSite => "다른 사이트에서 보낸 요청은 받지 않습니다".into(),
        OutsideJurisdiction { anchor } => format!("관할 구역 {anchor} 밖에 있습니다"),
        RoleForbids { role, action } => format!("{}은(는) {} 권한이 없습니다", t.role(*role), action_ko(*action)),
        Deactivated => "비활성화된 계정입니다".into(),
        TooManyAttempts { retry_after } => format!("로그인 실패가 너무 많습니다. {retry_after}초 뒤에 다시 시도하세요"),
        PasswordChangeRequired => "비밀번호가 초기화되었습니다. 먼저 새 비밀번호를 정하세요".into(),
        SamePassword => "지금 비밀번호와 달라야 합니다".into(),
        AlertMove { from, to, required } => format!(
            "{} 상태의 경보는 {} 상태가 될 수 없습니다. 먼저 {} 상태여야 합니다",
            t.alert_status(*from),
            t.alert_status(*to),
            t.alert_status(*required)
        ),
        CaseMove { from, to } => format!("{} 사례는 {}(으)로 바꿀 수 없습니다", t.case_status(*from), t.case_status(*to)),
        OutcomeNotAllowed { status } => {
            format!("추정 또는 확진 사례만 결과를 가질 수 있습니다. 이 사례는 {}입니다", t.case_status(*status))
        }
        CaseClosed { outcome } => format!("결과 '{}'(으)로 종결된 사례입니다", t.outcome(*outcome)),
        NotAssignee => "다른 사람에게 배정된 임무입니다".into(),
        TaskMove { from, action } => format!("{} 상태의 임무는 {} 처리할 수 없습니다", t.task_status(*from), task_move_ko(action)),
        SameAssignee => "이미 그 요원에게 배정된 임무입니다".into(),
        OrderEnded => "더 이상 유효하지 않은 명령입니다".into(),
        NotLater { requested, current } => format!("새 종료일 {requested}이(가) 현재 종료일 {current}보다 뒤가 아닙니다"),
        BeforeMinimum { minimum } => format!("명령은 {minimum} 전에 끝날 수 없습니다"),
        NotYetDue { ends_on } => format!("명령은 {ends_on}까지입니다"),
        EntryClosed { code, from, to: Some(to), version, .. } => {
            format!("입국 지점 {code}은(는) {from}부터 {to}까지 폐쇄되어 있습니다 (국경 지시, 제{version}판)")
        }
        EntryClosed { code, from, to: None, version, .. } => {
            format!("입국 지점 {code}은(는) {from}부터 별도 지시가 있을 때까지 폐쇄되어 있습니다 (국경 지시, 제{version}판)")
        }
        TwoNodesAtLeast => "구역을 코드로 두 개 이상 넣으세요".into(),
        BeforeStart => "시작일(starts_on)보다 앞설 수 없습니다".into(),
        DirectiveRevoked => "철회된 지시입니다".into(),
        NotBefore { day } => format!("{day}보다 앞설 수 없습니다"),
        KindChanged { kind } => format!("개정해도 조치의 종류({kind})는 바뀌지 않습니다"),
        AboveCapacity { capacity } => format!("정원({capacity}명)보다 많을 수 없습니다"),
        NotAddressed => "관할 구역에 내려진 지시가 아닙니다".into(),
        NotServed => "이 강연의 대상 반(단위)이 아닙니다".into(),
        Invalid { fields } => format!("항목 {fields}개가 올바르지 않습니다"),
        Internal => "서버에서 오류가 났습니다. 기록해 두었습니다".into(),
        DatabaseUnreachable => "데이터베이스가 응답하지 않습니다".into(),
        MigrationsNotCurrent { pending, unknown, failed } => {
            let list = |versions: &[i64]| versions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            let parts: Vec<String> = [("적용 안 됨", pending), ("이 서버가 모름", unknown), ("실패", failed)]
                .into_iter()
                .filter(|(_, versions)| !versions.is_empty())
                .map(|(what, versions)| format!("; {what}: {}", list(versions)))
                .collect();
            format!("데이터베이스 마이그레이션이 최신이 아닙니다{}", parts.concat())
        }
        MetricsTokenRequired => "지표 토큰을 보내세요 (Authorization: Bearer ...)".into(),
        MetricsLoopbackOnly => "지표 토큰이 설정되지 않았으면 지표는 이 기계에서만(프록시를 거치지 않고) 볼 수 있습니다".into(),
    }
}

/// A kind of record in Korean.
fn record_ko(record: Record) -> &'static str {
    match record {
        Record::Report => "보고",
        Record::Case => "사례",
        Record::Person => "사람",
        Record::Task => "임무",
        Record::Alert => "경보",
        Record::Order => "격리 명령",
        Record::Shift => "당직",
        Record::User => "사용자",
        Record::Jurisdiction => "관할 구역",
        Record::CaseDefinition => "사례 정의",
        Record::Investigation => "역학 조사",
        Record::Arrival => "입국자",
        Record::Contact => "접촉자",
        Record::DailyReport => "일일 보고",
        Record::Directive => "방역 지시",
        Record::Gathering => "집회",
        Record::Rumour => "소문",
        Record::Lecture => "강연",
        Record::Handover => "인계",
        Record::Page => "페이지",
        Record::Location => "해외 지역",
        Record::WatchedLocation => "감시 목록의 지역",
        Record::Session => "세션",
    }
}

/// An action of the access policy in Korean.
fn action_ko(action: Action) -> &'static str {
    match action {
        Action::Read => "조회",
        Action::RegisterPerson => "주민 등록",
        Action::FileReport => "보고 제출",
        Action::WorkTask => "임무 수행",
        Action::Classify => "사례 분류",
        Action::ReassignTask => "임무 재배정",
        Action::ManageRoster => "당직표 관리",
        Action::ManageUsers => "사용자 관리",
        Action::ManageJurisdictions => "관할 구역 관리",
        Action::ManageConfiguration => "설정 관리",
        Action::ReadAudit => "감사 기록 조회",
        Action::ReviewAlert => "경보 검토",
        Action::RunDetection => "유행 탐지 실행",
        Action::DirectOrders => "격리 명령 지휘",
        Action::RegisterArrival => "입국자 등록",
        Action::IssueDirectives => "방역 지시 발령",
        Action::RecordCommunity => "집회·강연·여론 기록",
        Action::ExportLineLists => "개인정보 명단 내보내기",
    }
}

/// A move of a task (as the task state machine names it) in Korean.
fn task_move_ko(action: &str) -> &str {
    match action {
        "acknowledged" => "확인",
        "completed" => "완료",
        "reassigned" => "재배정",
        "escalated" => "상부 보고",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cordon_core::refusal::examples;

    /// Whether a text holds Hangul, i.e. was written in Korean.
    fn has_hangul(text: &str) -> bool {
        text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    }

    #[test]
    fn every_code_reads_in_each_language() {
        for reason in examples() {
            let (en, ko) = (Lang::En.refusal(&reason), Lang::Ko.refusal(&reason));
            assert!(!en.trim().is_empty(), "{}: no English", reason.code());
            assert!(has_hangul(&ko), "{}: no Korean in {ko:?}", reason.code());
            for word in ["under_review", "health_worker", "command_officer", "ReviewAlert", "confirmed", "suspected"] {
                assert!(!ko.contains(word), "{}: {ko:?} keeps the English {word:?}", reason.code());
            }
        }
    }

    #[test]
    fn statuses_inside_a_refusal_read_as_the_pages_name_them() {
        use cordon_core::alert::AlertStatus;
        let reason = Reason::AlertMove { from: AlertStatus::New, to: AlertStatus::Verified, required: AlertStatus::UnderReview };
        assert_eq!(Lang::Ko.refusal(&reason), "신규 상태의 경보는 확인됨 상태가 될 수 없습니다. 먼저 검토 중 상태여야 합니다");
        assert_eq!(Lang::En.refusal(&reason), "an alert that is new cannot become verified; it must be under_review first");
    }
}
