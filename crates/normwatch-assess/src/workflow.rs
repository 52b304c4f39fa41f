//! The per-question workflow: who may do what (`permits`), what an answer holds, and the
//! state machine assign → answer → review → accepted or sent back, as one typed transition
//! function (`apply`) with optimistic concurrency and an audit entry for every change.

use std::fmt;

use normwatch_core::domain::Date;
use serde::{Deserialize, Serialize};

use crate::evidence::{Evidence, EvidenceError, MAX_EVIDENCE_PER_ANSWER, check_evidence};
use crate::framework::MaturityScale;

/// A moment, to the second, in UTC. Written `2026-11-30T16:05:00Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z, for the years 1970 to 9999.
    pub fn from_unix(seconds: i64) -> Option<Timestamp> {
        (0..=253_402_300_799).contains(&seconds).then_some(Timestamp(seconds))
    }

    pub fn unix(self) -> i64 {
        self.0
    }

    fn to_time(self) -> time::OffsetDateTime {
        time::OffsetDateTime::from_unix_timestamp(self.0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }

    /// The calendar day (UTC).
    pub fn date(self) -> Date {
        let t = self.to_time();
        Date::from_ymd(t.year(), t.month() as u8, t.day())
            .unwrap_or_else(|| Date::from_ymd(1970, 1, 1).expect("a valid date"))
    }

    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .map_err(|e| format!("`{text}` is not an RFC 3339 timestamp: {e}"))?;
        if t.nanosecond() != 0 {
            return Err(format!("`{text}` has fractions of a second; timestamps are kept to the second"));
        }
        Timestamp::from_unix(t.unix_timestamp()).ok_or_else(|| format!("`{text}` is out of range"))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.to_time();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A user of the installation, known by e-mail address.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UserId(String);

impl UserId {
    pub fn parse(email: &str) -> Result<UserId, String> {
        let email = email.trim();
        let valid = email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty() && !domain.contains('@'))
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if valid { Ok(UserId(email.to_lowercase())) } else { Err(format!("`{email}` is not an e-mail address")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UserId {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        UserId::parse(&value)
    }
}

impl From<UserId> for String {
    fn from(value: UserId) -> String {
        value.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A member's role in one assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Creates the assessment, manages members and assignments, approves.
    Coordinator,
    /// Answers the questions assigned to them.
    Contributor,
    /// Accepts answers or sends them back with a comment.
    Reviewer,
    /// Reads.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Coordinator, Role::Contributor, Role::Reviewer, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Contributor => "contributor",
            Role::Reviewer => "reviewer",
            Role::Viewer => "viewer",
        }
    }

    /// The role named `text` exactly as [`Role::as_str`] writes it; the error names the four.
    pub fn parse(text: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| format!("`{text}` is not a role (coordinator, contributor, reviewer or viewer)"))
    }
}

/// Something a member may want to do in an assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    Read,
    /// Write an answer (only to a question assigned to you, unless you coordinate).
    Answer,
    Comment,
    Assign,
    Review,
    ManageMembers,
    Export,
    /// Start the next cycle from this assessment.
    Reassess,
}

impl Permission {
    pub const ALL: [Permission; 8] = [
        Permission::Read,
        Permission::Answer,
        Permission::Comment,
        Permission::Assign,
        Permission::Review,
        Permission::ManageMembers,
        Permission::Export,
        Permission::Reassess,
    ];
}

/// The access rule, in one place: whether `role` may do `permission`.
///
/// | | read | answer | comment | assign | review | manage members | export | reassess |
/// |---|---|---|---|---|---|---|---|---|
/// | coordinator | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | contributor | ✓ | ✓ (assigned) | ✓ | | | | | |
/// | reviewer | ✓ | | ✓ | | ✓ | | ✓ | |
/// | viewer | ✓ | | | | | | | |
pub fn permits(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Coordinator => true,
        Role::Contributor => matches!(permission, Read | Answer | Comment),
        Role::Reviewer => matches!(permission, Read | Comment | Review | Export),
        Role::Viewer => matches!(permission, Read),
    }
}

/// How far a measure is implemented, in the team's judgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    Partial,
    InPlace,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::NotStarted, Status::Partial, Status::InPlace, Status::NotApplicable];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::Partial => "partial",
            Status::InPlace => "in_place",
            Status::NotApplicable => "not_applicable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Not started",
            Status::Partial => "Partial",
            Status::InPlace => "In place",
            Status::NotApplicable => "Not applicable",
        }
    }

    /// The order of implementation, for comparing cycles; none for "not applicable".
    pub fn rank(self) -> Option<u8> {
        match self {
            Status::NotStarted => Some(0),
            Status::Partial => Some(1),
            Status::InPlace => Some(2),
            Status::NotApplicable => None,
        }
    }
}

/// Something the team plans to do about a question, by a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedAction {
    pub description: String,
    pub due: Date,
    /// The agency or unit that will do it.
    pub owner: Option<String>,
    pub done: bool,
}

/// The team's answer to one question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub status: Status,
    /// A level of the framework's maturity scale.
    pub maturity: Option<u8>,
    pub narrative: String,
    /// The agency that owns the measure.
    pub owner_agency: Option<String>,
    pub evidence: Vec<Evidence>,
    pub actions: Vec<PlannedAction>,
}

impl Default for Answer {
    fn default() -> Answer {
        Answer {
            status: Status::NotStarted,
            maturity: None,
            narrative: String::new(),
            owner_agency: None,
            evidence: Vec::new(),
            actions: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("maturity {level} is not a stage of the scale `{scale}` (1 to {max})")]
    MaturityOutOfScale { level: u8, scale: String, max: u8 },
    #[error("a question that does not apply has no maturity")]
    MaturityNotApplicable,
    #[error("the answer has no narrative; say what is in place, or why the question does not apply")]
    EmptyNarrative,
    #[error("a planned action has no description")]
    EmptyAction,
    #[error("an answer holds at most {MAX_EVIDENCE_PER_ANSWER} pieces of evidence")]
    TooMuchEvidence,
    #[error("evidence: {0}")]
    Evidence(#[from] EvidenceError),
}

impl Answer {
    /// Checks a draft: the maturity is on the scale, the evidence passes the policy.
    pub fn check_draft(&self, scale: &MaturityScale) -> Result<(), AnswerError> {
        if let Some(level) = self.maturity {
            if level == 0 || level > scale.max_level() {
                return Err(AnswerError::MaturityOutOfScale { level, scale: scale.id.clone(), max: scale.max_level() });
            }
            if self.status == Status::NotApplicable {
                return Err(AnswerError::MaturityNotApplicable);
            }
        }
        if self.evidence.len() > MAX_EVIDENCE_PER_ANSWER {
            return Err(AnswerError::TooMuchEvidence);
        }
        for evidence in &self.evidence {
            check_evidence(evidence)?;
        }
        if self.actions.iter().any(|a| a.description.trim().is_empty()) {
            return Err(AnswerError::EmptyAction);
        }
        Ok(())
    }

    /// Checks an answer submitted for review: a draft's checks, and a narrative.
    pub fn check_submission(&self, scale: &MaturityScale) -> Result<(), AnswerError> {
        self.check_draft(scale)?;
        if self.narrative.trim().is_empty() {
            return Err(AnswerError::EmptyNarrative);
        }
        Ok(())
    }
}

/// Where a question is in the review workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Unassigned,
    /// Assigned to a member, who drafts the answer.
    Assigned,
    /// Answered and waiting for a reviewer.
    InReview,
    Accepted,
    /// Returned by a reviewer with a comment; the assignee revises and submits again.
    SentBack,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Unassigned => "unassigned",
            State::Assigned => "assigned",
            State::InReview => "in_review",
            State::Accepted => "accepted",
            State::SentBack => "sent_back",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentKind {
    Discussion,
    Accepted,
    SentBack,
    Reopened,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    pub author: UserId,
    pub at: Timestamp,
    pub kind: CommentKind,
    pub text: String,
}

/// One question of one assessment: its answer and where it is in the workflow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The question's id in the framework (`5b`).
    pub question: String,
    /// Bumped by every change; an update names the version it read.
    pub version: u64,
    pub state: State,
    pub assignee: Option<UserId>,
    pub answer: Answer,
    pub answered_by: Option<UserId>,
    pub answered_at: Option<Timestamp>,
    pub reviewed_by: Option<UserId>,
    pub reviewed_at: Option<Timestamp>,
    pub comments: Vec<Comment>,
    pub updated_at: Timestamp,
}

impl Item {
    pub fn new(question: &str, now: Timestamp) -> Item {
        Item {
            question: question.to_string(),
            version: 1,
            state: State::Unassigned,
            assignee: None,
            answer: Answer::default(),
            answered_by: None,
            answered_at: None,
            reviewed_by: None,
            reviewed_at: None,
            comments: Vec::new(),
            updated_at: now,
        }
    }

    /// Whether an answer has been submitted at some point (and so may be reported).
    pub fn is_answered(&self) -> bool {
        self.answered_by.is_some()
    }
}

/// A member of an assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub user: UserId,
    pub role: Role,
}

/// A change to one question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Give the question to a contributor (or a coordinator).
    Assign {
        to: UserId,
    },
    /// Save the answer without submitting it.
    SaveDraft {
        answer: Answer,
    },
    /// Submit the answer for review.
    Submit {
        answer: Answer,
    },
    Accept {
        comment: Option<String>,
    },
    SendBack {
        comment: String,
    },
    /// Take an accepted answer back to its assignee.
    Reopen {
        comment: String,
    },
    Comment {
        text: String,
    },
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Assign { .. } => "assign",
            Command::SaveDraft { .. } => "save_draft",
            Command::Submit { .. } => "submit",
            Command::Accept { .. } => "accept",
            Command::SendBack { .. } => "send_back",
            Command::Reopen { .. } => "reopen",
            Command::Comment { .. } => "comment",
        }
    }

    fn permission(&self) -> Permission {
        match self {
            Command::Assign { .. } | Command::Reopen { .. } => Permission::Assign,
            Command::SaveDraft { .. } | Command::Submit { .. } => Permission::Answer,
            Command::Accept { .. } | Command::SendBack { .. } => Permission::Review,
            Command::Comment { .. } => Permission::Comment,
        }
    }
}

/// Who acts, and what they see of the assessment.
pub struct Context<'a> {
    pub actor: &'a UserId,
    pub members: &'a [Member],
    pub scale: &'a MaturityScale,
    pub now: Timestamp,
}

/// Why a change was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The item changed since the caller read it: here is what it is now.
    #[error("the question was changed by someone else (now version {}); merge and try again", current.version)]
    Conflict { current: Box<Item> },
    #[error("not a member of this assessment")]
    NotAMember,
    #[error("a {} may not {}", role.as_str(), command)]
    Forbidden { role: Role, command: &'static str },
    #[error("only the assignee or a coordinator may answer this question")]
    NotAssignee,
    #[error("cannot {command} a question that is {from}")]
    IllegalMove { from: State, command: &'static str },
    #[error("a reviewer does not review their own answer")]
    SelfReview,
    #[error("{0} is not a member who can answer (a contributor or a coordinator)")]
    CannotBeAssigned(UserId),
    #[error("a comment is required and cannot be empty")]
    EmptyComment,
    #[error(transparent)]
    InvalidAnswer(#[from] AnswerError),
}

/// What to record about one change: who, when, what, before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    pub assessment: String,
    pub actor: UserId,
    pub at: Timestamp,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    Created { framework: String, framework_version: String },
    Reassessed { framework: String, framework_version: String, from: String },
    Imported { framework: String, framework_version: String },
    Item { question: String, command: String, before: Box<Item>, after: Box<Item> },
    Member { user: UserId, before: Option<Role>, after: Option<Role> },
}

/// An accepted change: the new item, and its audit entry (without the assessment id,
/// which the caller fills in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub item: Item,
    pub audit: AuditEntry,
}

fn require_comment(text: &str) -> Result<String, TransitionError> {
    let text = text.trim();
    if text.is_empty() { Err(TransitionError::EmptyComment) } else { Ok(text.to_string()) }
}

/// The transition function. `read_version` is the version the caller based the change on:
/// if the item has moved on since, the change is refused with the current item.
pub fn apply(item: &Item, read_version: u64, command: Command, ctx: &Context<'_>) -> Result<Applied, TransitionError> {
    let role = ctx.members.iter().find(|m| &m.user == ctx.actor).map(|m| m.role).ok_or(TransitionError::NotAMember)?;
    let name = command.name();
    // The role is checked first (a viewer is refused whatever it read), then the version
    // (whether the move is legal depends on the current state, which a stale caller has
    // not seen).
    if !permits(role, command.permission()) {
        return Err(TransitionError::Forbidden { role, command: name });
    }
    if read_version != item.version {
        return Err(TransitionError::Conflict { current: Box::new(item.clone()) });
    }
    let illegal = || TransitionError::IllegalMove { from: item.state, command: name };
    let mut next = item.clone();
    match command {
        Command::Assign { to } => {
            if !matches!(item.state, State::Unassigned | State::Assigned | State::SentBack) {
                return Err(illegal());
            }
            let can_answer = ctx.members.iter().any(|m| m.user == to && permits(m.role, Permission::Answer));
            if !can_answer {
                return Err(TransitionError::CannotBeAssigned(to));
            }
            next.assignee = Some(to);
            if item.state == State::Unassigned {
                next.state = State::Assigned;
            }
        }
        Command::SaveDraft { answer } | Command::Submit { answer } => {
            if !matches!(item.state, State::Assigned | State::SentBack) {
                return Err(illegal());
            }
            if role != Role::Coordinator && item.assignee.as_ref() != Some(ctx.actor) {
                return Err(TransitionError::NotAssignee);
            }
            if name == "submit" {
                answer.check_submission(ctx.scale)?;
                next.state = State::InReview;
                next.answered_by = Some(ctx.actor.clone());
                next.answered_at = Some(ctx.now);
            } else {
                answer.check_draft(ctx.scale)?;
            }
            next.answer = answer;
        }
        Command::Accept { comment } => {
            if item.state != State::InReview {
                return Err(illegal());
            }
            if item.answered_by.as_ref() == Some(ctx.actor) {
                return Err(TransitionError::SelfReview);
            }
            next.state = State::Accepted;
            next.reviewed_by = Some(ctx.actor.clone());
            next.reviewed_at = Some(ctx.now);
            if let Some(text) = comment.filter(|c| !c.trim().is_empty()) {
                next.comments.push(Comment {
                    author: ctx.actor.clone(),
                    at: ctx.now,
                    kind: CommentKind::Accepted,
                    text: text.trim().to_string(),
                });
            }
        }
        Command::SendBack { comment } => {
            if item.state != State::InReview {
                return Err(illegal());
            }
            if item.answered_by.as_ref() == Some(ctx.actor) {
                return Err(TransitionError::SelfReview);
            }
            let text = require_comment(&comment)?;
            next.state = State::SentBack;
            next.reviewed_by = Some(ctx.actor.clone());
            next.reviewed_at = Some(ctx.now);
            next.comments.push(Comment { author: ctx.actor.clone(), at: ctx.now, kind: CommentKind::SentBack, text });
        }
        Command::Reopen { comment } => {
            if item.state != State::Accepted {
                return Err(illegal());
            }
            let text = require_comment(&comment)?;
            next.state = if item.assignee.is_some() { State::Assigned } else { State::Unassigned };
            next.comments.push(Comment { author: ctx.actor.clone(), at: ctx.now, kind: CommentKind::Reopened, text });
        }
        Command::Comment { text } => {
            let text = require_comment(&text)?;
            next.comments.push(Comment { author: ctx.actor.clone(), at: ctx.now, kind: CommentKind::Discussion, text });
        }
    }
    next.version = item.version + 1;
    next.updated_at = ctx.now;
    let audit = AuditEntry {
        assessment: String::new(),
        actor: ctx.actor.clone(),
        at: ctx.now,
        change: Change::Item {
            question: item.question.clone(),
            command: name.to_string(),
            before: Box::new(item.clone()),
            after: Box::new(next.clone()),
        },
    };
    Ok(Applied { item: next, audit })
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn a_role_parses_from_the_name_it_writes_and_nothing_else() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        for text in ["", "Coordinator", " viewer", "admin"] {
            let err = Role::parse(text).unwrap_err();
            assert!(err.contains(&format!("`{text}`")) && err.contains("coordinator, contributor"), "{err}");
        }
    }
}
