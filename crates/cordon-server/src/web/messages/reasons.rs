//! Refusal reasons in Korean: the core, the store and the API refuse in
//! English sentences; [`korean_reason`] finds the Korean for one, by its exact
//! text or by a pattern with values in it ([`REASONS`]), with the statuses,
//! roles and actions inside it translated through [`WORDS`].
//!
//! The tests scan the sources for every reason given, so that a new one
//! without Korean fails here.

/// The Korean for a refusal reason: a field prefix (`rule.count: ...`) is
/// kept, the rest looked up in [`REASONS`], exactly or by pattern, with the
/// values of a pattern put in their Korean place (status and role names
/// translated through [`WORDS`]). `None` when the catalogue has no entry.
pub(super) fn korean_reason(english: &str) -> Option<String> {
    if let Some((field, rest)) = english.split_once(": ")
        && !field.is_empty()
        && !field.contains(' ')
        && let Some(text) = korean_text(rest)
    {
        return Some(format!("{field}: {text}"));
    }
    korean_text(english)
}

/// The Korean for one reason without a field prefix.
fn korean_text(reason: &str) -> Option<String> {
    if let Some((_, ko)) = REASONS.iter().find(|(en, _)| !en.contains("{}") && *en == reason) {
        return Some((*ko).to_owned());
    }
    REASONS.iter().filter(|(en, _)| en.contains("{}")).find_map(|(en, ko)| {
        let values = captures(en, reason)?;
        let mut out = (*ko).to_owned();
        for (i, value) in values.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), word(value));
        }
        Some(out)
    })
}

/// The values in `text` at the `{}` holes of `pattern`, or `None` when the
/// text does not have the pattern's shape (every value non-empty; each
/// literal piece found at its first place).
fn captures<'a>(pattern: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let pieces: Vec<&str> = pattern.split("{}").collect();
    let (first, last) = (pieces.first()?, pieces.last()?);
    let mut rest = text.strip_prefix(first)?;
    let mut values = Vec::new();
    for piece in &pieces[1..pieces.len() - 1] {
        let skip = rest.chars().next()?.len_utf8();
        let at = rest[skip..].find(piece)? + skip;
        values.push(&rest[..at]);
        rest = &rest[at + piece.len()..];
    }
    let value = rest.strip_suffix(last)?;
    if value.is_empty() {
        return None;
    }
    values.push(value);
    Some(values)
}

/// A value inside a reason (a status, a role, an action) in Korean, or as it is.
fn word(value: &str) -> &str {
    WORDS.iter().find(|(en, _)| *en == value).map_or(value, |(_, ko)| ko)
}

/// Refusal reasons the core, the store and the API give, by their English
/// text, with Korean. `{}` in the English stands for a value (a date, a code,
/// a status); the Korean names the values `{0}`, `{1}`, ... in the English
/// order, since Korean often puts them elsewhere. Exact texts win over patterns.
const REASONS: &[(&str, &str)] = &[
    ("must not be empty", "비워 둘 수 없습니다"),
    ("must be at least 8 characters", "8자 이상이어야 합니다"),
    ("must be 3 to 64 letters, digits, '.', '-' or '_'", "영문자, 숫자, '.', '-', '_'로 3~64자여야 합니다"),
    ("must be within the last 60 days", "최근 60일 이내여야 합니다"),
    ("must be between 30 and 45 °C", "30~45 °C 사이여야 합니다"),
    ("a person not seen has no temperature or symptoms", "만나지 못한 사람은 체온이나 증상을 적을 수 없습니다"),
    ("must be between 0 and 100000", "0에서 100000 사이여야 합니다"),
    ("may be today or yesterday only", "오늘 또는 어제만 가능합니다"),
    ("is not a known IANA time zone", "알 수 없는 IANA 시간대입니다"),
    ("must be between 1 minute and 7 days", "1분에서 7일 사이여야 합니다"),
    ("must be an hour from 0 to 23", "0에서 23 사이의 시각이어야 합니다"),
    ("must be an hour from 0 to 23, not before the due hour", "0~23시이며 마감 시각보다 이르면 안 됩니다"),
    ("must list at least one criterion", "기준을 하나 이상 넣어야 합니다"),
    ("must be between 35 and 42 °C", "35~42 °C 사이여야 합니다"),
    ("must be between 1 and the number of symptoms listed", "1에서 나열한 증상 수 사이여야 합니다"),
    ("must be 1 to 32 characters", "1~32자여야 합니다"),
    ("may hold only letters, digits, '-', '_' and '.'", "영문자, 숫자, '-', '_', '.'만 쓸 수 있습니다"),
    ("must be after starts_at", "시작 시각 뒤여야 합니다"),
    ("a shift may last at most 7 days", "근무는 최대 7일입니다"),
    ("is already taken", "이미 사용 중입니다"),
    ("probable duplicate of an existing person", "이미 등록된 사람과 중복일 가능성이 높습니다"),
    ("is not an active health worker", "활성 보건요원이 아닙니다"),
    ("daily reports are filed for units only", "일일 보고는 반(단위)만 제출합니다"),
    ("must not be the nil UUID", "nil UUID일 수 없습니다"),
    // Field rules of the core.
    ("must be at most {} characters", "{0}자 이하여야 합니다"),
    ("must not be negative", "음수일 수 없습니다"),
    ("the tree has only {} levels; a node cannot sit below a unit", "트리가 {0}단계뿐이라 반(단위) 아래에 구역을 둘 수 없습니다"),
    ("must not be after today ({})", "오늘({0})보다 뒤일 수 없습니다"),
    ("name the facility for facility or hospital isolation", "시설 또는 병원 격리에는 시설을 지정하세요"),
    ("home isolation takes no facility", "자가 격리에는 시설을 지정하지 않습니다"),
    ("a case cannot be its own source", "사례가 자기 자신의 감염원일 수 없습니다"),
    ("give an existing person_id or a new_person", "기존 사람(person_id)이나 새 사람(new_person) 중 하나를 넣으세요"),
    ("give either person_id or new_person, not both", "person_id와 new_person 중 하나만 넣으세요"),
    ("must not be after the day the contact is reported ({})", "접촉자를 등록한 날({0})보다 뒤일 수 없습니다"),
    ("must be within the last 30 days", "최근 30일 이내여야 합니다"),
    ("nests criteria more than 8 deep", "기준을 8단계보다 깊게 중첩할 수 없습니다"),
    ("must be between {} and {} °C", "{0}~{1} °C 사이여야 합니다"),
    ("lists too many symptoms", "증상이 너무 많습니다"),
    ("must be between 3 and 28 days", "3~28일 사이여야 합니다"),
    ("must be between 0 and 1000", "0에서 1000 사이여야 합니다"),
    ("must be between 1 and 10 years", "1~10년 사이여야 합니다"),
    ("must be between 1 and 10 weeks", "1~10주 사이여야 합니다"),
    ("must be above 0 and below 0.5", "0보다 크고 0.5보다 작아야 합니다"),
    ("must list at least one syndrome", "증후군을 하나 이상 넣어야 합니다"),
    ("must list tree depths from 0 (the nation) to 15", "0(국가)에서 15 사이의 트리 깊이를 넣어야 합니다"),
    ("must list at least one method", "탐지 방법을 하나 이상 넣어야 합니다"),
    ("is listed twice", "두 번 들어 있습니다"),
    ("must be between 1 and 60 days", "1~60일 사이여야 합니다"),
    ("must be a two-letter upper-case ISO 3166 code", "두 글자 대문자 ISO 3166 코드여야 합니다"),
    ("must not be before from", "시작일보다 앞설 수 없습니다"),
    ("must be between 1900 and {}", "1900에서 {0} 사이여야 합니다"),
    ("must be a two-letter ISO 3166 country code", "두 글자 ISO 3166 국가 코드여야 합니다"),
    // The store's checks.
    ("give 1 to 10 non-empty level names", "비어 있지 않은 단계 이름을 1~10개 넣으세요"),
    ("differs from the parent of the existing node with this code", "이 코드를 가진 기존 구역의 상위 구역과 다릅니다"),
    ("no node has code {}", "코드가 {0}인 구역이 없습니다"),
    ("the tree already has a root; name the parent", "트리에 이미 최상위 구역이 있습니다. 상위 구역을 지정하세요"),
    ("is not a follow-up visit", "추적 방문 임무가 아닙니다"),
    ("no such person", "그런 사람이 없습니다"),
    ("the person is not a resident of your jurisdiction", "관할 구역의 주민이 아닙니다"),
    ("no such case", "그런 사례가 없습니다"),
    ("no such facility", "그런 시설이 없습니다"),
    ("a case is not its own contact", "사례는 자기 자신의 접촉자가 될 수 없습니다"),
    (
        "facility quarantine applies and no quarantine centre was found; name one",
        "시설 격리 대상인데 격리 시설을 찾지 못했습니다. 시설을 지정하세요",
    ),
    ("not valid JSON: {}", "올바른 JSON이 아닙니다: {0}"),
    ("a different {} with id {} already exists", "ID가 {1}인 다른 {0}이(가) 이미 있습니다"),
    ("the person is already under {} order {}, in force until {}", "이미 {0} 명령({1})을 받고 있으며 {2}까지 유효합니다"),
    ("{} {} is already taken", "{0} {1}은(는) 이미 사용 중입니다"),
    ("{} not found", "{0}을(를) 찾을 수 없습니다"),
    // The API's checks.
    ("must be after from, at most 62 days later", "시작일 뒤이면서 62일 이내여야 합니다"),
    ("{} is anchored at {} and cannot cover this area", "{0}은(는) {1} 소속이라 이 구역을 맡을 수 없습니다"),
    ("no point of entry has this code", "이 코드의 입국 지점이 없습니다"),
    ("no quarantine centre or hospital has code {}", "코드가 {0}인 격리 시설이나 병원이 없습니다"),
    ("give a status, an outcome or both", "분류나 결과, 또는 둘 다 넣으세요"),
    ("{} is not a UUID", "{0}은(는) UUID가 아닙니다"),
    ("{} is not configured", "{0}은(는) 설정되어 있지 않습니다"),
    ("must be between 1 and 730", "1에서 730 사이여야 합니다"),
    ("must be between a year ago and today ({})", "1년 전부터 오늘({0}) 사이여야 합니다"),
    ("is not an active health worker in your jurisdiction", "관할 구역의 활성 보건요원이 아닙니다"),
    ("this worker's area does not cover the task's place", "이 요원의 담당 구역에 임무 장소가 포함되지 않습니다"),
    ("no facility has code {}", "코드가 {0}인 시설이 없습니다"),
    ("no such case in your jurisdiction", "관할 구역에 그런 사례가 없습니다"),
    (
        "no such person in your jurisdiction; give new_person instead",
        "관할 구역에 그런 사람이 없습니다. 대신 새 사람(new_person)을 넣으세요",
    ),
    ("no jurisdiction has code {}", "코드가 {0}인 관할 구역이 없습니다"),
    ("must equal the code in the path", "주소의 코드와 같아야 합니다"),
    ("is already used by a different record", "다른 기록이 이미 사용 중입니다"),
    ("is already under an order of this kind", "이미 같은 종류의 명령을 받고 있습니다"),
    (
        "the tree already has nodes at depth {}; give at least {} levels",
        "트리에 이미 깊이 {0}의 구역이 있습니다. 단계를 {1}개 이상 넣으세요",
    ),
    ("sign in first", "먼저 로그인하세요"),
    ("wrong user name or password", "사용자 이름 또는 비밀번호가 틀렸습니다"),
    ("cross-site request refused", "다른 사이트에서 보낸 요청은 받지 않습니다"),
    ("expected a form (application/x-www-form-urlencoded)", "양식(application/x-www-form-urlencoded)으로 보내야 합니다"),
    ("the form is larger than {} bytes or was cut off", "양식이 {0}바이트보다 크거나 도중에 끊겼습니다"),
    ("must be one of {}", "{0} 중 하나여야 합니다"),
    ("{} in the address is not a valid id (a UUID)", "주소의 {0}은(는) 올바른 ID(UUID)가 아닙니다"),
    ("must be between 1 and {}, not {}", "1에서 {0} 사이여야 합니다({1}은(는) 안 됩니다)"),
    ("give at least 2 characters of the unit's name or code", "반(단위) 이름이나 코드를 2자 이상 입력하십시오"),
    (
        "not a cursor of this list; pass on the X-Next-Cursor or Link of the previous page unchanged",
        "이 목록의 커서가 아닙니다. 이전 페이지의 X-Next-Cursor나 Link 값을 그대로 넘기세요",
    ),
    // The access policy.
    ("{} is outside your jurisdiction {}", "{0}은(는) 관할 구역 {1} 밖에 있습니다"),
    ("a {} may not {}", "{0}은(는) {1} 권한이 없습니다"),
    ("this account is deactivated", "비활성화된 계정입니다"),
    // The state machines of the core.
    ("an alert that is {} cannot become {}; it must be {} first", "{0} 상태의 경보는 {1} 상태가 될 수 없습니다. 먼저 {2} 상태여야 합니다"),
    ("a {} case cannot become {}", "{0} 사례는 {1}(으)로 바꿀 수 없습니다"),
    (
        "only a probable or confirmed case can have an outcome; this one is {}",
        "추정 또는 확진 사례만 결과를 가질 수 있습니다. 이 사례는 {0}입니다",
    ),
    ("the case is closed with outcome {}", "결과 '{0}'(으)로 종결된 사례입니다"),
    ("this task is assigned to someone else", "다른 사람에게 배정된 임무입니다"),
    ("a task that is {} cannot be {}", "{0} 상태의 임무는 {1} 처리할 수 없습니다"),
    ("the task is already assigned to that worker", "이미 그 요원에게 배정된 임무입니다"),
    ("the order is no longer in force", "더 이상 유효하지 않은 명령입니다"),
    ("the new end {} is not after the current end {}", "새 종료일 {0}이(가) 현재 종료일 {1}보다 뒤가 아닙니다"),
    ("the order cannot end before {}", "명령은 {0} 전에 끝날 수 없습니다"),
    ("the order runs until {}", "명령은 {0}까지입니다"),
    ("give a reason", "사유를 넣으세요"),
    ("point of entry {} is closed from {} to {}", "입국 지점 {0}은(는) {1}부터 {2}까지 폐쇄되어 있습니다"),
];

/// Values that appear inside reasons (statuses, roles, outcomes, actions), with Korean.
const WORDS: &[(&str, &str)] = &[
    ("new", "신규"),
    ("under_review", "검토 중"),
    ("verified", "확인됨"),
    ("discarded", "배제"),
    ("suspected", "의심"),
    ("probable", "추정"),
    ("confirmed", "확진"),
    ("recovered", "회복"),
    ("died", "사망"),
    ("assigned", "배정"),
    ("acknowledged", "확인"),
    ("done", "완료"),
    ("overdue", "기한 초과"),
    ("escalated", "상부 보고"),
    ("completed", "완료"),
    ("reassigned", "재배정"),
    ("isolation", "격리"),
    ("quarantine", "자가격리"),
    ("reporter", "신고자"),
    ("health_worker", "보건요원"),
    ("border_officer", "검역관"),
    ("command_officer", "지휘관"),
    ("administrator", "관리자"),
    ("Read", "조회"),
    ("RegisterPerson", "주민 등록"),
    ("FileReport", "보고 제출"),
    ("WorkTask", "임무 수행"),
    ("Classify", "사례 분류"),
    ("ReassignTask", "임무 재배정"),
    ("ManageRoster", "당직표 관리"),
    ("ManageUsers", "사용자 관리"),
    ("ManageJurisdictions", "관할 구역 관리"),
    ("ManageConfiguration", "설정 관리"),
    ("ReadAudit", "감사 기록 조회"),
    ("ReviewAlert", "경보 검토"),
    ("RunDetection", "유행 탐지 실행"),
    ("DirectOrders", "격리 명령 지휘"),
    ("RegisterArrival", "입국자 등록"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::Lang;
    use cordon_core::alert::{AlertDecision, AlertError, AlertStatus};
    use cordon_core::arrival::EntryError;
    use cordon_core::case::{CaseError, CaseStatus, Outcome};
    use cordon_core::jurisdiction::NodePath;
    use cordon_core::order::OrderError;
    use cordon_core::policy::{Action, Denied, role_allows};
    use cordon_core::task::{TaskError, TaskStatus};
    use cordon_core::user::Role;

    /// The string literals in `code`, escapes kept as written.
    fn literals(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut chars = code.chars();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut text = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(next) = chars.next() {
                            text.push(next);
                        }
                    }
                    c => text.push(c),
                }
            }
            out.push(text);
        }
        out
    }

    /// The text of a call from its opening parenthesis to the matching one.
    fn call_at(code: &str) -> &str {
        let (mut depth, mut in_string, mut escaped) = (0, false, false);
        for (i, c) in code.char_indices() {
            match (in_string, c) {
                (true, _) if escaped => escaped = false,
                (true, '\\') => escaped = true,
                (_, '"') => in_string = !in_string,
                (false, '(') => depth += 1,
                (false, ')') => {
                    depth -= 1;
                    if depth == 0 {
                        return &code[..=i];
                    }
                }
                _ => {}
            }
        }
        code
    }

    /// A format string with its holes (`{}`, `{name}`, `{0:?}`) filled with a sample value.
    fn sample(format: &str) -> String {
        let mut out = String::new();
        let mut hole = false;
        for c in format.chars() {
            match (hole, c) {
                (false, '{') => hole = true,
                (true, '}') => {
                    hole = false;
                    out.push_str("X1");
                }
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    /// Texts found by the scan that never reach a page user as a reason: the
    /// server's own wrappers (whose inner text is translated), internal
    /// failures (a page shows a generic message), and composed texts whose
    /// parts are translated one by one.
    const NOT_REASONS: &[&str] = &[
        "invalid input: {}",
        "{detail}",
        "{reason}",
        "internal error: {0}",
        "database error: {0}",
        "migration failed: {0}",
        "corrupt stored value in {column}: {value:?}",
        "unsupported database URL {0:?}: use sqlite://FILE or postgres://...",
        "expected a JSON body (Content-Type: application/json)",
        "{code}: {e}",
        "",
        "query",
    ];

    /// Every refusal text the core, the store and the API can produce, as a
    /// sample: the last string literal of each `.add(..)`,
    /// `Invalid::field(..)` and `bad_field(..)` call, each `reason: ".."`,
    /// and each `#[error("..")]`, outside test modules.
    fn reasons_in_the_sources() -> Vec<(String, String)> {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["cordon-core/src", "cordon-store/src", "cordon-server/src/api"] {
            for entry in std::fs::read_dir(crates.join(dir)).unwrap() {
                files.push(entry.unwrap().path());
            }
        }
        files.push(crates.join("cordon-server/src/error.rs"));
        files.push(crates.join("cordon-server/src/web/form.rs"));
        let mut out = Vec::new();
        for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")) {
            let text = std::fs::read_to_string(path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let mut found = Vec::new();
            for call in [".add(", "Invalid::field(", "bad_field("] {
                for (at, _) in code.match_indices(call) {
                    if let Some(last) = literals(call_at(&code[at + call.len() - 1..])).pop() {
                        found.push(last);
                    }
                }
            }
            for marker in ["reason: \"", "#[error(\""] {
                for (at, _) in code.match_indices(marker) {
                    if let Some(first) = literals(&code[at + marker.len() - 1..]).into_iter().next() {
                        found.push(first);
                    }
                }
            }
            let name = path.display().to_string();
            out.extend(found.into_iter().filter(|f| !NOT_REASONS.contains(&f.as_str())).map(|f| (name.clone(), f)));
        }
        out
    }

    #[test]
    fn every_reason_the_core_the_store_and_the_api_give_has_korean() {
        let reasons = reasons_in_the_sources();
        assert!(reasons.len() > 80, "the scan found only {} reasons", reasons.len());
        let missing: Vec<String> = reasons
            .iter()
            .filter(|(_, format)| korean_reason(&sample(format)).is_none())
            .map(|(file, format)| format!("{file}: {format:?}"))
            .collect();
        assert!(missing.is_empty(), "reasons without Korean (add them to REASONS): {missing:#?}");
    }

    /// Every action, listed by a match so that a new one must be added here.
    fn every_action() -> Vec<Action> {
        use Action::*;
        let all = vec![
            Read,
            RegisterPerson,
            FileReport,
            WorkTask,
            Classify,
            ReassignTask,
            ManageRoster,
            ManageUsers,
            ManageJurisdictions,
            ManageConfiguration,
            ReadAudit,
            ReviewAlert,
            RunDetection,
            DirectOrders,
            RegisterArrival,
        ];
        for action in &all {
            match action {
                Read | RegisterPerson | FileReport | WorkTask | Classify | ReassignTask | ManageRoster | ManageUsers
                | ManageJurisdictions | ManageConfiguration | ReadAudit | ReviewAlert | RunDetection | DirectOrders | RegisterArrival => {}
            }
        }
        all
    }

    #[test]
    fn every_refusal_of_the_policy_and_the_state_machines_reads_in_korean() {
        let day = jiff::civil::date(2026, 11, 23);
        let mut texts: Vec<String> = Vec::new();
        for role in Role::ALL {
            for action in every_action().into_iter().filter(|a| !role_allows(role, *a)) {
                texts.push(Denied::RoleForbids { role: role.as_str(), action }.to_string());
            }
        }
        let (anchor, target) = (NodePath::root("KR").child("P1"), NodePath::root("KR").child("P2"));
        texts.push(Denied::OutsideJurisdiction { anchor, target }.to_string());
        texts.push(Denied::Inactive.to_string());
        for from in AlertStatus::ALL {
            for decision in [AlertDecision::Review, AlertDecision::Verify, AlertDecision::Discard] {
                let (to, required) = (decision.target(), decision.source());
                if from != required {
                    texts.push(AlertError::NotAllowed { from, to, required }.to_string());
                }
            }
        }
        for from in CaseStatus::ALL {
            texts.push(CaseError::OutcomeNotAllowed { status: from }.to_string());
            for to in CaseStatus::ALL.into_iter().filter(|to| !from.may_become(*to)) {
                texts.push(CaseError::InvalidTransition { from, to }.to_string());
            }
        }
        for outcome in [Outcome::Recovered, Outcome::Died] {
            texts.push(CaseError::Closed { outcome }.to_string());
        }
        for from in TaskStatus::ALL {
            for action in ["acknowledged", "completed", "reassigned", "escalated"] {
                texts.push(TaskError::InvalidTransition { from, action }.to_string());
            }
        }
        texts.extend([TaskError::NotAssignee.to_string(), TaskError::SameAssignee.to_string()]);
        texts.extend([
            OrderError::NotInForce.to_string(),
            OrderError::NotLater { current: day, requested: day }.to_string(),
            OrderError::BeforeMinimum { minimum: day }.to_string(),
            OrderError::NotYetDue { ends_on: day }.to_string(),
            OrderError::ReasonRequired.to_string(),
            EntryError::Closed { code: "ICN".into(), from: day, to: day }.to_string(),
        ]);
        let english_words: Vec<&str> = WORDS.iter().map(|(en, _)| *en).filter(|w| w.contains('_') || w.len() > 8).collect();
        for text in &texts {
            let korean = korean_reason(text).unwrap_or_else(|| panic!("no Korean for {text:?}"));
            assert!(!english_words.iter().any(|w| korean.contains(w)), "{text:?} → {korean:?} keeps an English name");
        }
        assert_eq!(
            Lang::Ko.reason("an alert that is new cannot become verified; it must be under_review first"),
            "신규 상태의 경보는 확인됨 상태가 될 수 없습니다. 먼저 검토 중 상태여야 합니다"
        );
        assert_eq!(Lang::Ko.reason("status: a confirmed case cannot become suspected"), "status: 확진 사례는 의심(으)로 바꿀 수 없습니다");
        assert_eq!(Lang::En.reason("a reporter may not ReviewAlert"), "a reporter may not ReviewAlert");
    }

    #[test]
    fn patterns_take_values_of_any_script_and_refuse_other_shapes() {
        assert_eq!(
            captures("{} is outside your jurisdiction {}", "서울/강남 is outside your jurisdiction KR/P1"),
            Some(vec!["서울/강남", "KR/P1"])
        );
        assert_eq!(captures("must be at most {} characters", "must be at most  characters"), None);
        assert_eq!(captures("the order runs until {}", "the order ran until 2026-11-30"), None);
        assert_eq!(Lang::Ko.reason("note: must be at most 2000 characters"), "note: 2000자 이하여야 합니다");
    }

    #[test]
    fn known_reasons_are_translated_and_unknown_ones_kept() {
        assert_eq!(Lang::Ko.reason("must not be empty"), "비워 둘 수 없습니다");
        assert_eq!(
            Lang::Ko.reason("rule.count: must be between 1 and the number of symptoms listed"),
            "rule.count: 1에서 나열한 증상 수 사이여야 합니다"
        );
        assert_eq!(Lang::Ko.reason("something new"), "something new");
        assert_eq!(Lang::Ko.fill("queue_waiting", 2).matches('2').count(), 1);
    }
}
