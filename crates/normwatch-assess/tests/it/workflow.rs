//! The access rule, the state machine, optimistic concurrency and the audit trail; progress,
//! areas for further action, comparison and reassessment.

use normwatch_assess::assessment::{
    AssessmentError, GapReason, Movement, areas_for_further_action, compare, progress, reassess,
};
use normwatch_assess::workflow::{Answer, Change, Command, Permission, Role, State, Status, TransitionError, permits};

use crate::common::*;

#[test]
fn the_access_rule_per_role() {
    use Permission::*;
    // (role, what it may do); everything else is refused.
    let table: [(Role, &[Permission]); 4] = [
        (Role::Coordinator, &[Read, Answer, Comment, Assign, Review, ManageMembers, Export, Reassess]),
        (Role::Contributor, &[Read, Answer, Comment]),
        (Role::Reviewer, &[Read, Comment, Review, Export]),
        (Role::Viewer, &[Read]),
    ];
    for (role, allowed) in table {
        for permission in Permission::ALL {
            assert_eq!(permits(role, permission), allowed.contains(&permission), "{role:?} {permission:?}");
        }
    }
}

#[test]
fn a_question_goes_assign_answer_review_sent_back_answer_accepted() {
    let catalog = catalog();
    let (_, scale) = tool(&catalog);
    let team = team();
    let mut a = new_assessment(&catalog, &team);
    let q = "5b";
    assert_eq!(a.item(q).unwrap().state, State::Unassigned);

    let audit =
        a.update(&team.coordinator, q, 1, Command::Assign { to: team.contributor.clone() }, scale, at(5)).unwrap();
    assert_eq!(audit.assessment, "a1");
    let Change::Item { before, after, command, .. } = &audit.change else { panic!("{audit:?}") };
    assert_eq!((before.version, after.version, command.as_str()), (1, 2, "assign"));
    assert_eq!((before.state, after.state), (State::Unassigned, State::Assigned));

    let draft = answer(Status::Partial, Some(2), "");
    a.update(&team.contributor, q, 2, Command::SaveDraft { answer: draft.clone() }, scale, at(6)).unwrap();
    let refused = a.update(&team.contributor, q, 3, Command::Submit { answer: draft }, scale, at(7));
    assert!(matches!(refused, Err(AssessmentError::Transition(TransitionError::InvalidAnswer(_)))), "{refused:?}");

    let first = answer(Status::Partial, Some(2), "Regional governments take part through a council.");
    a.update(&team.contributor, q, 3, Command::Submit { answer: first }, scale, at(8)).unwrap();
    assert_eq!(a.item(q).unwrap().state, State::InReview);

    let empty = a.update(&team.reviewer, q, 4, Command::SendBack { comment: "  ".into() }, scale, at(9));
    assert!(matches!(empty, Err(AssessmentError::Transition(TransitionError::EmptyComment))));
    a.update(
        &team.reviewer,
        q,
        4,
        Command::SendBack { comment: "Which council? Cite its mandate.".into() },
        scale,
        at(10),
    )
    .unwrap();
    let item = a.item(q).unwrap();
    assert_eq!(item.state, State::SentBack);
    assert_eq!(item.comments.last().unwrap().text, "Which council? Cite its mandate.");

    let second = answer(Status::Partial, Some(3), "The council of regions, mandated by decree 12/2025.");
    a.update(&team.contributor, q, 5, Command::Submit { answer: second.clone() }, scale, at(11)).unwrap();
    a.update(&team.reviewer, q, 6, Command::Accept { comment: Some("Thanks.".into()) }, scale, at(12)).unwrap();
    let item = a.item(q).unwrap();
    assert_eq!((item.state, item.version), (State::Accepted, 7));
    assert_eq!(item.answer, second);
    assert_eq!(item.reviewed_by.as_ref(), Some(&team.reviewer));
}

#[test]
fn a_stale_version_is_a_conflict_carrying_the_current_item() {
    let catalog = catalog();
    let (_, scale) = tool(&catalog);
    let team = team();
    let mut a = new_assessment(&catalog, &team);
    a.update(&team.coordinator, "1", 1, Command::Assign { to: team.contributor.clone() }, scale, at(2)).unwrap();
    let mine = answer(Status::InPlace, Some(3), "mine");
    a.update(&team.contributor, "1", 2, Command::SaveDraft { answer: mine.clone() }, scale, at(3)).unwrap();
    // A second window still holds version 2.
    let theirs = answer(Status::Partial, Some(1), "theirs");
    let error = a.update(&team.coordinator, "1", 2, Command::SaveDraft { answer: theirs }, scale, at(4)).unwrap_err();
    let AssessmentError::Transition(TransitionError::Conflict { current }) = error else { panic!("{error:?}") };
    assert_eq!(current.version, 3);
    assert_eq!(current.answer, mine);
    assert_eq!(a.item("1").unwrap().answer, mine, "nothing was overwritten");
    // A viewer is refused for its role, whatever version it read.
    let r = a.update(&team.viewer, "1", 2, Command::SaveDraft { answer: Answer::default() }, scale, at(5));
    assert!(
        matches!(r, Err(AssessmentError::Transition(TransitionError::Forbidden { role: Role::Viewer, .. }))),
        "{r:?}"
    );
}

#[test]
fn who_may_not_do_what() {
    let catalog = catalog();
    let (_, scale) = tool(&catalog);
    let team = team();
    let mut a = new_assessment(&catalog, &team);
    let stranger = user("someone@else.example");
    let assign = |to: &normwatch_assess::workflow::UserId| Command::Assign { to: to.clone() };

    // Not a member: not found, whatever the command.
    assert_eq!(a.update(&stranger, "1", 1, assign(&team.contributor), scale, at(1)), Err(AssessmentError::NotFound));
    assert_eq!(
        a.update(&team.viewer, "99", 1, assign(&team.contributor), scale, at(1)),
        Err(AssessmentError::NotFound)
    );
    // Only a coordinator assigns; only someone who may answer is assigned.
    for who in [&team.contributor, &team.reviewer, &team.viewer] {
        let r = a.update(who, "1", 1, assign(&team.contributor), scale, at(1));
        assert!(matches!(r, Err(AssessmentError::Transition(TransitionError::Forbidden { .. }))), "{who}: {r:?}");
    }
    let r = a.update(&team.coordinator, "1", 1, assign(&team.viewer), scale, at(1));
    assert!(matches!(r, Err(AssessmentError::Transition(TransitionError::CannotBeAssigned(_)))));
    a.update(&team.coordinator, "1", 1, assign(&team.contributor), scale, at(1)).unwrap();
    // A viewer cannot answer; a second contributor cannot answer what is not theirs.
    let other = user("bob@ministry.example");
    a.set_member(&team.coordinator, &other, Some(Role::Contributor), at(2)).unwrap();
    let r = a.update(&team.viewer, "1", 2, Command::SaveDraft { answer: Answer::default() }, scale, at(3));
    assert!(matches!(r, Err(AssessmentError::Transition(TransitionError::Forbidden { role: Role::Viewer, .. }))));
    let r = a.update(&other, "1", 2, Command::SaveDraft { answer: Answer::default() }, scale, at(3));
    assert_eq!(r, Err(AssessmentError::Transition(TransitionError::NotAssignee)));
    // A reviewer does not review their own answer, and a contributor does not review at all.
    a.update(
        &team.coordinator,
        "1",
        2,
        Command::Submit { answer: answer(Status::InPlace, None, "done") },
        scale,
        at(4),
    )
    .unwrap();
    let r = a.update(&team.coordinator, "1", 3, Command::Accept { comment: None }, scale, at(5));
    assert_eq!(r, Err(AssessmentError::Transition(TransitionError::SelfReview)));
    let r = a.update(&team.contributor, "1", 3, Command::Accept { comment: None }, scale, at(5));
    assert!(matches!(r, Err(AssessmentError::Transition(TransitionError::Forbidden { .. }))));
    // Members are managed by coordinators, and the last coordinator stays.
    assert!(matches!(
        a.set_member(&team.reviewer, &other, None, at(6)),
        Err(AssessmentError::Forbidden { role: Role::Reviewer, .. })
    ));
    assert_eq!(
        a.set_member(&team.coordinator, &team.coordinator, Some(Role::Viewer), at(6)),
        Err(AssessmentError::LastCoordinator)
    );
    let audit = a.set_member(&team.coordinator, &other, None, at(6)).unwrap();
    assert!(matches!(audit.change, Change::Member { before: Some(Role::Contributor), after: None, .. }));
}

#[test]
fn every_command_in_every_state() {
    // (state the item is in, command, whether it is a legal move).
    let catalog = catalog();
    let (_, scale) = tool(&catalog);
    let team = team();
    let ok_answer = answer(Status::InPlace, Some(3), "In place.");
    let commands = [
        ("assign", Command::Assign { to: team.contributor.clone() }),
        ("save_draft", Command::SaveDraft { answer: ok_answer.clone() }),
        ("submit", Command::Submit { answer: ok_answer.clone() }),
        ("accept", Command::Accept { comment: None }),
        ("send_back", Command::SendBack { comment: "Why?".into() }),
        ("reopen", Command::Reopen { comment: "Revisit.".into() }),
        ("comment", Command::Comment { text: "Note.".into() }),
    ];
    let legal: [(State, &[&str]); 5] = [
        (State::Unassigned, &["assign", "comment"]),
        (State::Assigned, &["assign", "save_draft", "submit", "comment"]),
        (State::InReview, &["accept", "send_back", "comment"]),
        (State::Accepted, &["reopen", "comment"]),
        (State::SentBack, &["assign", "save_draft", "submit", "comment"]),
    ];
    for (state, allowed) in legal {
        for (name, command) in &commands {
            let mut a = new_assessment(&catalog, &team);
            let index = a.items.iter().position(|i| i.question == "2").unwrap();
            a.items[index].state = state;
            a.items[index].assignee = Some(team.contributor.clone());
            a.items[index].answered_by = Some(team.contributor.clone());
            // The coordinator may do everything, so only the state decides.
            let result = a.update(&team.coordinator, "2", 1, command.clone(), scale, at(3));
            match result {
                Ok(_) => assert!(allowed.contains(name), "{name} was allowed in {state}"),
                Err(AssessmentError::Transition(TransitionError::IllegalMove { from, .. })) => {
                    assert_eq!(from, state);
                    assert!(!allowed.contains(name), "{name} was refused in {state}");
                }
                Err(other) => panic!("{name} in {state}: {other:?}"),
            }
        }
    }
}

#[test]
fn answers_are_checked_against_the_scale() {
    let catalog = catalog();
    let (_, scale) = tool(&catalog);
    assert_eq!(scale.max_level(), 5);
    assert!(answer(Status::InPlace, Some(5), "x").check_submission(scale).is_ok());
    assert!(answer(Status::InPlace, Some(6), "x").check_submission(scale).is_err());
    assert!(answer(Status::InPlace, Some(0), "x").check_submission(scale).is_err());
    assert!(answer(Status::NotApplicable, Some(2), "x").check_submission(scale).is_err());
    assert!(answer(Status::NotApplicable, None, "No such sector here.").check_submission(scale).is_ok());
}

#[test]
fn progress_and_areas_for_further_action_by_section() {
    let catalog = catalog();
    let (framework, _) = tool(&catalog);
    let team = team();
    let a = answered(&catalog, &team);
    let p = progress(&a, framework);
    assert_eq!(p.sections.len(), 7);
    assert_eq!(p.total.questions, 21);
    assert_eq!((p.total.accepted, p.total.in_review, p.total.unassigned), (3, 1, 17));
    let stock = &p.sections[0];
    assert_eq!((stock.section.as_str(), stock.counts.questions, stock.counts.accepted), ("stock", 4, 1));
    assert_eq!(p.sections[1].counts.questions, 4, "item 5's four sub-items");
    assert_eq!(p.total.accepted_percent(), 14);

    let fa = areas_for_further_action(&a, framework, day("2026-11-30"), day("2027-06-30"));
    let reasons = |section: &str| -> Vec<(String, GapReason)> {
        fa.sections
            .iter()
            .find(|s| s.section == section)
            .unwrap()
            .gaps
            .iter()
            .map(|g| (g.question.clone(), g.reason))
            .collect()
    };
    // Item 4 is in place at stage 4: no gap. The other items of the section are unanswered.
    assert_eq!(
        reasons("stock"),
        [("1".into(), GapReason::Unanswered), ("2".into(), GapReason::Unanswered), ("3".into(), GapReason::Unanswered)]
    );
    assert_eq!(reasons("stakeholders")[0], ("5a".into(), GapReason::Partial));
    assert_eq!(reasons("incidents")[1], ("11".into(), GapReason::LowMaturity));
    assert_eq!(reasons("legal").iter().find(|(q, _)| q == "16").unwrap().1, GapReason::NotStarted);
    let gap = &fa.sections[1].gaps[0];
    assert_eq!(gap.citation, "A/RES/64/211, annex, item 5 (a)");
    // Actions: the overdue one first, both not done and due by mid-2027.
    let due: Vec<(&str, bool)> = fa.actions_due.iter().map(|d| (d.action.description.as_str(), d.overdue)).collect();
    assert_eq!(due, [("Publish the contact list", true), ("Name contact points in the remaining ministries", false)]);
    let soon = areas_for_further_action(&a, framework, day("2026-11-30"), day("2026-12-31"));
    assert_eq!(soon.actions_due.len(), 1);
}

#[test]
fn reassessment_copies_answers_forward_for_review_and_compares() {
    let catalog = catalog();
    let (framework, scale) = tool(&catalog);
    let team = team();
    let last = answered(&catalog, &team);
    assert!(matches!(
        reassess(&last, framework, "a2", "2027", &team.reviewer, at(100)),
        Err(AssessmentError::Forbidden { .. })
    ));
    let (mut next, audit) =
        reassess(&last, framework, "a2", "National CIIP self-assessment 2027", &team.coordinator, at(100)).unwrap();
    assert!(matches!(audit.change, Change::Reassessed { ref from, .. } if from == "a1"));
    assert_eq!(next.previous.as_deref(), Some("a1"));
    assert_eq!(next.members, last.members);
    for item in &next.items {
        let old = last.item(&item.question).unwrap();
        assert_eq!(item.answer, old.answer);
        assert_eq!(item.version, 1);
        assert!(item.comments.is_empty());
        let expected = if old.is_answered() { State::InReview } else { State::Unassigned };
        assert_eq!(item.state, expected, "{}", item.question);
    }
    // Next year: item 11 improves, 5a is accepted unchanged, 16 worsens to... not applicable.
    next.update(&team.reviewer, "5a", 1, Command::Accept { comment: None }, scale, at(101)).unwrap();
    next.update(&team.coordinator, "11", 1, Command::SendBack { comment: "Update for 2027".into() }, scale, at(102))
        .unwrap();
    next.update(
        &team.contributor,
        "11",
        2,
        Command::Submit { answer: answer(Status::InPlace, Some(3), "CERT now 24/7.") },
        scale,
        at(103),
    )
    .unwrap();
    next.update(&team.reviewer, "4", 1, Command::SendBack { comment: "Strategy lapsed?".into() }, scale, at(104))
        .unwrap();
    next.update(
        &team.contributor,
        "4",
        2,
        Command::Submit { answer: answer(Status::Partial, Some(3), "Under revision.") },
        scale,
        at(105),
    )
    .unwrap();
    next.update(&team.reviewer, "16", 1, Command::SendBack { comment: "?".into() }, scale, at(106)).unwrap();
    next.update(
        &team.contributor,
        "16",
        2,
        Command::Submit { answer: answer(Status::NotApplicable, None, "Handled regionally.") },
        scale,
        at(107),
    )
    .unwrap();
    run(&mut next, &catalog, &team, "1", answer(Status::InPlace, Some(3), "ICT is 6% of GDP."), true, 110);

    let c = compare(&last, &next, framework).unwrap();
    let movement = |q: &str| c.questions.iter().find(|x| x.question == q).unwrap().movement;
    assert_eq!(movement("11"), Movement::Improved);
    assert_eq!(movement("5a"), Movement::Unchanged);
    assert_eq!(movement("4"), Movement::Worsened);
    assert_eq!(movement("16"), Movement::Changed);
    assert_eq!(movement("1"), Movement::OnlyAfter);
    assert_eq!(movement("2"), Movement::Unanswered);
    assert_eq!((c.aggregate.improved, c.aggregate.worsened, c.aggregate.unchanged, c.aggregate.changed), (1, 1, 1, 1));
    assert_eq!(c.aggregate.mean_maturity_before, Some((4.0 + 2.0 + 2.0 + 1.0) / 4.0));
    assert_eq!(c.aggregate.mean_maturity_after, Some((3.0 + 2.0 + 3.0 + 3.0) / 4.0));
    assert_eq!(c.questions.len(), framework.questions.len());

    let other = catalog.framework("57-239").unwrap();
    assert!(matches!(compare(&last, &next, other), Err(AssessmentError::WrongFramework { .. })));
}
