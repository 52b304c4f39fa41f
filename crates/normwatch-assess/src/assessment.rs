//! One assessment: a team's answers to one framework in one cycle. Creation, membership,
//! updates through the workflow, progress, the "areas for further action" the resolution
//! asks to highlight, comparison of two cycles, and reassessment.

use normwatch_core::domain::Date;
use serde::{Deserialize, Serialize};

use crate::framework::{Framework, MaturityScale};
use crate::workflow::{
    Applied, AuditEntry, Change, Command, Context, Item, Member, Permission, PlannedAction, Role, State, Status,
    Timestamp, TransitionError, UserId, apply, permits,
};

/// Policy: an accepted answer rated below this stage of the scale is listed as a gap.
pub const GAP_MATURITY_BELOW: u8 = 3;

/// Which framework, in which version of its file, an assessment answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRef {
    pub id: String,
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub id: String,
    pub title: String,
    pub framework: FrameworkRef,
    pub created_at: Timestamp,
    pub created_by: UserId,
    /// The assessment of the previous cycle this one was started from.
    pub previous: Option<String>,
    pub members: Vec<Member>,
    /// One per question, in the framework's order.
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssessmentError {
    /// Not a member, or no such question: the caller answers "not found".
    #[error("not found")]
    NotFound,
    #[error("a {} may not {}", role.as_str(), what)]
    Forbidden { role: Role, what: &'static str },
    #[error("an assessment keeps at least one coordinator")]
    LastCoordinator,
    #[error("the title is empty")]
    EmptyTitle,
    #[error("the assessment answers framework `{found}`, not `{expected}`")]
    WrongFramework { expected: String, found: String },
    #[error(transparent)]
    Transition(#[from] TransitionError),
}

impl Assessment {
    /// A new assessment of `framework`, its creator its coordinator, every question
    /// unassigned.
    pub fn new(
        id: &str,
        title: &str,
        framework: &Framework,
        creator: &UserId,
        now: Timestamp,
    ) -> Result<(Assessment, AuditEntry), AssessmentError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(AssessmentError::EmptyTitle);
        }
        let assessment = Assessment {
            id: id.to_string(),
            title: title.to_string(),
            framework: FrameworkRef { id: framework.id.clone(), version: framework.version.clone() },
            created_at: now,
            created_by: creator.clone(),
            previous: None,
            members: vec![Member { user: creator.clone(), role: Role::Coordinator }],
            items: framework.questions.iter().map(|q| Item::new(&q.id, now)).collect(),
        };
        let audit = AuditEntry {
            assessment: id.to_string(),
            actor: creator.clone(),
            at: now,
            change: Change::Created { framework: framework.id.clone(), framework_version: framework.version.clone() },
        };
        Ok((assessment, audit))
    }

    pub fn role_of(&self, user: &UserId) -> Option<Role> {
        self.members.iter().find(|m| &m.user == user).map(|m| m.role)
    }

    /// Whether `user` may do `permission` here; a non-member may do nothing.
    pub fn may(&self, user: &UserId, permission: Permission) -> bool {
        self.role_of(user).is_some_and(|role| permits(role, permission))
    }

    pub fn item(&self, question: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.question == question)
    }

    fn check_framework(&self, framework: &Framework) -> Result<(), AssessmentError> {
        if framework.id == self.framework.id {
            Ok(())
        } else {
            Err(AssessmentError::WrongFramework { expected: self.framework.id.clone(), found: framework.id.clone() })
        }
    }

    /// Applies a workflow command to one question. A non-member, or an unknown question,
    /// gets `NotFound`; a stale `read_version` gets a conflict carrying the current item.
    pub fn update(
        &mut self,
        actor: &UserId,
        question: &str,
        read_version: u64,
        command: Command,
        scale: &MaturityScale,
        now: Timestamp,
    ) -> Result<AuditEntry, AssessmentError> {
        if self.role_of(actor).is_none() {
            return Err(AssessmentError::NotFound);
        }
        let index = self.items.iter().position(|i| i.question == question).ok_or(AssessmentError::NotFound)?;
        let ctx = Context { actor, members: &self.members, scale, now };
        let Applied { item, mut audit } = apply(&self.items[index], read_version, command, &ctx)?;
        self.items[index] = item;
        audit.assessment.clone_from(&self.id);
        Ok(audit)
    }

    /// Adds a member, changes their role, or (with `None`) removes them. Only a coordinator
    /// may; the last coordinator stays.
    pub fn set_member(
        &mut self,
        actor: &UserId,
        user: &UserId,
        role: Option<Role>,
        now: Timestamp,
    ) -> Result<AuditEntry, AssessmentError> {
        let actor_role = self.role_of(actor).ok_or(AssessmentError::NotFound)?;
        if !permits(actor_role, Permission::ManageMembers) {
            return Err(AssessmentError::Forbidden { role: actor_role, what: "manage members" });
        }
        let before = self.role_of(user);
        let coordinators = self.members.iter().filter(|m| m.role == Role::Coordinator).count();
        if before == Some(Role::Coordinator) && role != Some(Role::Coordinator) && coordinators == 1 {
            return Err(AssessmentError::LastCoordinator);
        }
        self.members.retain(|m| &m.user != user);
        if let Some(role) = role {
            self.members.push(Member { user: user.clone(), role });
            self.members.sort_by(|a, b| (a.role, &a.user).cmp(&(b.role, &b.user)));
        }
        Ok(AuditEntry {
            assessment: self.id.clone(),
            actor: actor.clone(),
            at: now,
            change: Change::Member { user: user.clone(), before, after: role },
        })
    }
}

/// Counts of questions by workflow state and by answer status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub questions: usize,
    pub unassigned: usize,
    pub assigned: usize,
    pub in_review: usize,
    pub sent_back: usize,
    pub accepted: usize,
    /// Answer statuses, counted over answers that have been submitted at least once.
    pub not_started: usize,
    pub partial: usize,
    pub in_place: usize,
    pub not_applicable: usize,
}

impl Counts {
    fn add(&mut self, item: &Item) {
        self.questions += 1;
        match item.state {
            State::Unassigned => self.unassigned += 1,
            State::Assigned => self.assigned += 1,
            State::InReview => self.in_review += 1,
            State::SentBack => self.sent_back += 1,
            State::Accepted => self.accepted += 1,
        }
        if item.is_answered() {
            match item.answer.status {
                Status::NotStarted => self.not_started += 1,
                Status::Partial => self.partial += 1,
                Status::InPlace => self.in_place += 1,
                Status::NotApplicable => self.not_applicable += 1,
            }
        }
    }

    /// Accepted answers as a whole percentage of the questions (rounded down).
    pub fn accepted_percent(&self) -> u8 {
        (self.accepted * 100).checked_div(self.questions).unwrap_or(0) as u8
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectionProgress {
    pub section: String,
    pub title: String,
    pub counts: Counts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub sections: Vec<SectionProgress>,
    pub total: Counts,
}

/// Progress by section, in the framework's order, and overall.
pub fn progress(assessment: &Assessment, framework: &Framework) -> Progress {
    let mut sections: Vec<SectionProgress> = framework
        .sections
        .iter()
        .map(|s| SectionProgress { section: s.id.clone(), title: s.title.clone(), counts: Counts::default() })
        .collect();
    let mut total = Counts::default();
    for item in &assessment.items {
        total.add(item);
        if let Some(question) = framework.question(&item.question)
            && let Some(section) = sections.iter_mut().find(|s| s.section == question.section)
        {
            section.counts.add(item);
        }
    }
    Progress { sections, total }
}

/// Why a question is listed among the areas for further action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapReason {
    /// No answer has been submitted yet.
    Unanswered,
    NotStarted,
    Partial,
    /// In place, but rated below `GAP_MATURITY_BELOW`.
    LowMaturity,
}

impl GapReason {
    pub fn label(self) -> &'static str {
        match self {
            GapReason::Unanswered => "unanswered",
            GapReason::NotStarted => "not started",
            GapReason::Partial => "partial",
            GapReason::LowMaturity => "low maturity",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub question: String,
    pub number: String,
    pub citation: String,
    pub reason: GapReason,
    pub status: Status,
    pub maturity: Option<u8>,
    /// Whether the answer has been accepted by a reviewer (a gap in an unreviewed answer
    /// is provisional).
    pub accepted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectionGaps {
    pub section: String,
    pub title: String,
    pub gaps: Vec<Gap>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueAction {
    pub question: String,
    pub citation: String,
    pub action: PlannedAction,
    /// Due before `as_of`.
    pub overdue: bool,
}

/// "Areas for further action", the purpose the resolution gives the tool: the gaps, by
/// section, and the planned actions not yet done that fall due by a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FurtherAction {
    pub as_of: Date,
    pub due_by: Date,
    pub sections: Vec<SectionGaps>,
    pub actions_due: Vec<DueAction>,
}

pub fn areas_for_further_action(
    assessment: &Assessment,
    framework: &Framework,
    as_of: Date,
    due_by: Date,
) -> FurtherAction {
    let mut sections: Vec<SectionGaps> = framework
        .sections
        .iter()
        .map(|s| SectionGaps { section: s.id.clone(), title: s.title.clone(), gaps: Vec::new() })
        .collect();
    let mut actions_due = Vec::new();
    for question in &framework.questions {
        let Some(item) = assessment.item(&question.id) else { continue };
        let answer = &item.answer;
        let reason = if !item.is_answered() {
            Some(GapReason::Unanswered)
        } else {
            match answer.status {
                Status::NotStarted => Some(GapReason::NotStarted),
                Status::Partial => Some(GapReason::Partial),
                Status::InPlace if answer.maturity.is_some_and(|m| m < GAP_MATURITY_BELOW) => {
                    Some(GapReason::LowMaturity)
                }
                Status::InPlace | Status::NotApplicable => None,
            }
        };
        if let Some(reason) = reason
            && let Some(section) = sections.iter_mut().find(|s| s.section == question.section)
        {
            section.gaps.push(Gap {
                question: question.id.clone(),
                number: question.number.clone(),
                citation: question.citation.paragraph.clone(),
                reason,
                status: answer.status,
                maturity: answer.maturity,
                accepted: item.state == State::Accepted,
            });
        }
        for action in answer.actions.iter().filter(|a| !a.done && a.due <= due_by) {
            actions_due.push(DueAction {
                question: question.id.clone(),
                citation: question.citation.paragraph.clone(),
                action: action.clone(),
                overdue: action.due < as_of,
            });
        }
    }
    actions_due.sort_by_key(|a| a.action.due);
    FurtherAction { as_of, due_by, sections, actions_due }
}

/// One question's answer as compared across cycles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub status: Status,
    pub maturity: Option<u8>,
    pub state: State,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Improved,
    Worsened,
    Unchanged,
    /// Different, but neither better nor worse (e.g. now not applicable, or a higher status
    /// with a lower maturity).
    Changed,
    /// Answered in only one of the two.
    OnlyBefore,
    OnlyAfter,
    /// Answered in neither.
    Unanswered,
}

impl Movement {
    pub fn label(self) -> &'static str {
        match self {
            Movement::Improved => "improved",
            Movement::Worsened => "worsened",
            Movement::Unchanged => "unchanged",
            Movement::Changed => "changed",
            Movement::OnlyBefore => "answered only before",
            Movement::OnlyAfter => "answered only after",
            Movement::Unanswered => "unanswered in both",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuestionComparison {
    pub question: String,
    pub number: String,
    pub citation: String,
    pub before: Option<Snapshot>,
    pub after: Option<Snapshot>,
    pub movement: Movement,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Aggregate {
    pub before: Counts,
    pub after: Counts,
    /// Mean maturity over answered questions that have one.
    pub mean_maturity_before: Option<f64>,
    pub mean_maturity_after: Option<f64>,
    pub improved: usize,
    pub worsened: usize,
    pub unchanged: usize,
    pub changed: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub before: String,
    pub after: String,
    pub questions: Vec<QuestionComparison>,
    pub aggregate: Aggregate,
}

fn snapshot(item: Option<&Item>) -> Option<Snapshot> {
    item.filter(|i| i.is_answered()).map(|i| Snapshot {
        status: i.answer.status,
        maturity: i.answer.maturity,
        state: i.state,
    })
}

fn movement(before: &Option<Snapshot>, after: &Option<Snapshot>) -> Movement {
    let (b, a) = match (before, after) {
        (None, None) => return Movement::Unanswered,
        (Some(_), None) => return Movement::OnlyBefore,
        (None, Some(_)) => return Movement::OnlyAfter,
        (Some(b), Some(a)) => (b, a),
    };
    if (b.status, b.maturity) == (a.status, a.maturity) {
        return Movement::Unchanged;
    }
    let status = match (b.status.rank(), a.status.rank()) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => return Movement::Changed,
    };
    let maturity = match (b.maturity, a.maturity) {
        (Some(x), Some(y)) => x.cmp(&y),
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, None) => std::cmp::Ordering::Equal,
    };
    use std::cmp::Ordering::*;
    match (status, maturity) {
        (Less, Less | Equal) | (Equal, Less) => Movement::Improved,
        (Greater, Greater | Equal) | (Equal, Greater) => Movement::Worsened,
        _ => Movement::Changed,
    }
}

fn mean_maturity(assessment: &Assessment) -> Option<f64> {
    let levels: Vec<f64> =
        assessment.items.iter().filter(|i| i.is_answered()).filter_map(|i| i.answer.maturity).map(f64::from).collect();
    (!levels.is_empty()).then(|| levels.iter().sum::<f64>() / levels.len() as f64)
}

/// Compares two assessments of one framework, question by question (matched by question
/// id, in the framework's order) and in aggregate.
pub fn compare(before: &Assessment, after: &Assessment, framework: &Framework) -> Result<Comparison, AssessmentError> {
    before.check_framework(framework)?;
    after.check_framework(framework)?;
    let mut questions = Vec::new();
    let mut aggregate = Aggregate {
        before: Counts::default(),
        after: Counts::default(),
        mean_maturity_before: mean_maturity(before),
        mean_maturity_after: mean_maturity(after),
        improved: 0,
        worsened: 0,
        unchanged: 0,
        changed: 0,
    };
    for item in &before.items {
        aggregate.before.add(item);
    }
    for item in &after.items {
        aggregate.after.add(item);
    }
    for question in &framework.questions {
        let b = snapshot(before.item(&question.id));
        let a = snapshot(after.item(&question.id));
        let movement = movement(&b, &a);
        match movement {
            Movement::Improved => aggregate.improved += 1,
            Movement::Worsened => aggregate.worsened += 1,
            Movement::Unchanged => aggregate.unchanged += 1,
            Movement::Changed => aggregate.changed += 1,
            _ => {}
        }
        questions.push(QuestionComparison {
            question: question.id.clone(),
            number: question.number.clone(),
            citation: question.citation.paragraph.clone(),
            before: b,
            after: a,
            movement,
        });
    }
    Ok(Comparison { before: before.id.clone(), after: after.id.clone(), questions, aggregate })
}

/// Starts the next cycle from `previous`: same members, answers copied forward; every
/// question that had an answer goes back to review, the others start unassigned (or
/// assigned to the same member). The framework may be a newer version of the same one:
/// questions are matched by id, new ones start empty. Only a coordinator may.
pub fn reassess(
    previous: &Assessment,
    framework: &Framework,
    id: &str,
    title: &str,
    actor: &UserId,
    now: Timestamp,
) -> Result<(Assessment, AuditEntry), AssessmentError> {
    let role = previous.role_of(actor).ok_or(AssessmentError::NotFound)?;
    if !permits(role, Permission::Reassess) {
        return Err(AssessmentError::Forbidden { role, what: "start a reassessment" });
    }
    previous.check_framework(framework)?;
    let (mut next, _) = Assessment::new(id, title, framework, actor, now)?;
    next.previous = Some(previous.id.clone());
    next.members = previous.members.clone();
    for item in &mut next.items {
        let Some(old) = previous.item(&item.question) else { continue };
        item.answer = old.answer.clone();
        item.assignee = old.assignee.clone();
        if old.is_answered() {
            item.state = State::InReview;
            item.answered_by = old.answered_by.clone();
            item.answered_at = old.answered_at;
        } else if old.assignee.is_some() {
            item.state = State::Assigned;
        }
    }
    let audit = AuditEntry {
        assessment: id.to_string(),
        actor: actor.clone(),
        at: now,
        change: Change::Reassessed {
            framework: framework.id.clone(),
            framework_version: framework.version.clone(),
            from: previous.id.clone(),
        },
    };
    Ok((next, audit))
}
