//! A team of four running a 64/211 assessment, used by the other tests.

use normwatch_assess::assessment::Assessment;
use normwatch_assess::evidence::Evidence;
use normwatch_assess::framework::{Catalog, Framework, MaturityScale, builtin_files, load};
use normwatch_assess::workflow::{Answer, Command, PlannedAction, Role, Status, Timestamp, UserId};
use normwatch_core::domain::Date;

pub fn catalog() -> Catalog {
    load(&builtin_files()).unwrap_or_else(|e| panic!("{e}"))
}

pub fn tool(catalog: &Catalog) -> (&Framework, &MaturityScale) {
    let framework = catalog.framework("64-211").unwrap();
    (framework, catalog.scale_of(framework).unwrap())
}

pub fn at(minute: i64) -> Timestamp {
    // 2026-11-30T09:00:00Z plus minutes.
    Timestamp::from_unix(1_796_029_200 + minute * 60).unwrap()
}

pub fn day(text: &str) -> Date {
    text.parse().unwrap()
}

pub fn user(email: &str) -> UserId {
    UserId::parse(email).unwrap()
}

pub struct Team {
    pub coordinator: UserId,
    pub contributor: UserId,
    pub reviewer: UserId,
    pub viewer: UserId,
}

pub fn team() -> Team {
    Team {
        coordinator: user("coord@ciip.example"),
        contributor: user("anna@ministry.example"),
        reviewer: user("rev@cert.example"),
        viewer: user("view@parliament.example"),
    }
}

/// A new assessment with the four members.
pub fn new_assessment(catalog: &Catalog, team: &Team) -> Assessment {
    let (framework, _) = tool(catalog);
    let (mut a, _) =
        Assessment::new("a1", "National CIIP self-assessment 2026", framework, &team.coordinator, at(0)).unwrap();
    for (who, role) in
        [(&team.contributor, Role::Contributor), (&team.reviewer, Role::Reviewer), (&team.viewer, Role::Viewer)]
    {
        a.set_member(&team.coordinator, who, Some(role), at(1)).unwrap();
    }
    a
}

pub fn answer(status: Status, maturity: Option<u8>, narrative: &str) -> Answer {
    Answer { status, maturity, narrative: narrative.to_string(), ..Answer::default() }
}

/// Assigns, answers and reviews `question` in one go; returns nothing, panics on refusal.
pub fn run(
    a: &mut Assessment,
    catalog: &Catalog,
    team: &Team,
    question: &str,
    answer: Answer,
    accept: bool,
    minute: i64,
) {
    let (_, scale) = tool(catalog);
    let v = a.item(question).unwrap().version;
    a.update(&team.coordinator, question, v, Command::Assign { to: team.contributor.clone() }, scale, at(minute))
        .unwrap();
    a.update(&team.contributor, question, v + 1, Command::Submit { answer }, scale, at(minute + 1)).unwrap();
    if accept {
        a.update(&team.reviewer, question, v + 2, Command::Accept { comment: None }, scale, at(minute + 2)).unwrap();
    }
}

/// An assessment with answers in several sections: accepted, in review, low maturity,
/// with evidence and planned actions.
pub fn answered(catalog: &Catalog, team: &Team) -> Assessment {
    let mut a = new_assessment(catalog, team);
    let mut strategy = answer(
        Status::InPlace,
        Some(4),
        "The national cybersecurity strategy of 2024 sets goals & measures <with indicators>.",
    );
    strategy.owner_agency = Some("Ministry of the Interior".into());
    strategy.evidence = vec![
        Evidence::Link { url: "https://gov.example/strategy.pdf".into(), title: "National strategy 2024".into() },
        normwatch_assess::evidence::check_upload("progress-report.pdf", "application/pdf", b"%PDF-1.7 progress")
            .unwrap(),
    ];
    run(&mut a, catalog, team, "4", strategy, true, 10);
    let mut ministries = answer(Status::Partial, Some(2), "Contact points exist in six of eleven ministries.");
    ministries.actions = vec![
        PlannedAction {
            description: "Name contact points in the remaining ministries".into(),
            due: day("2027-03-31"),
            owner: Some("Cabinet Office".into()),
            done: false,
        },
        PlannedAction {
            description: "Publish the contact list".into(),
            due: day("2026-10-01"),
            owner: None,
            done: false,
        },
    ];
    run(&mut a, catalog, team, "5a", ministries, true, 20);
    run(
        &mut a,
        catalog,
        team,
        "11",
        answer(Status::InPlace, Some(2), "A national CERT operates since 2019."),
        true,
        30,
    );
    run(
        &mut a,
        catalog,
        team,
        "16",
        answer(Status::NotStarted, Some(1), "Not yet a member of the 24/7 network."),
        false,
        40,
    );
    a
}
