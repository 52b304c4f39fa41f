//! The JSON export round-trips exactly: `import(export(a)) == a` and exporting the import
//! gives the same text, for arbitrary assessments; malformed imports are refused with a
//! position.

use normwatch_assess::assessment::Assessment;
use normwatch_assess::evidence::Evidence;
use normwatch_assess::report::export::{export, import};
use normwatch_assess::workflow::{
    Answer, Comment, CommentKind, Item, Member, PlannedAction, Role, State, Status, Timestamp, UserId,
};
use normwatch_core::domain::Date;
use proptest::prelude::*;

use crate::common::*;

fn arb_user() -> impl Strategy<Value = UserId> {
    "[a-z]{1,8}@[a-z]{1,8}\\.example".prop_map(|s| UserId::parse(&s).unwrap())
}

fn arb_time() -> impl Strategy<Value = Timestamp> {
    (0i64..4_102_444_800).prop_map(|s| Timestamp::from_unix(s).unwrap())
}

fn arb_date() -> impl Strategy<Value = Date> {
    (1990i32..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::from_ymd(y, m, d).unwrap())
}

fn arb_text() -> impl Strategy<Value = String> {
    // Any text, including quotes, back-slashes, control characters and non-Latin scripts.
    "\\PC{0,40}|[\"\\\\\n\t\u{0}-\u{1f}<>&]{0,6}"
}

fn arb_evidence() -> impl Strategy<Value = Evidence> {
    prop_oneof![
        ("[a-z]{1,10}", arb_text())
            .prop_map(|(host, title)| Evidence::Link { url: format!("https://{host}.example/x?a=1&b=2"), title }),
        ("[a-zA-Z0-9 _-]{1,12}", 1u64..=10_485_760, "[0-9a-f]{64}").prop_map(|(stem, size, sha256)| Evidence::File {
            name: format!("{}.pdf", stem.trim().replace(' ', "_")).replace("..", "_"),
            content_type: "application/pdf".into(),
            size,
            sha256,
        }),
    ]
}

fn arb_answer() -> impl Strategy<Value = Answer> {
    (
        proptest::sample::select(Status::ALL.to_vec()),
        proptest::option::of(1u8..=5),
        arb_text(),
        proptest::option::of(arb_text()),
        proptest::collection::vec(arb_evidence(), 0..3),
        proptest::collection::vec(("[a-z].{0,20}", arb_date(), proptest::option::of(arb_text()), any::<bool>()), 0..3),
    )
        .prop_map(|(status, maturity, narrative, owner_agency, evidence, actions)| Answer {
            maturity: if status == Status::NotApplicable { None } else { maturity },
            status,
            narrative,
            owner_agency,
            evidence,
            actions: actions
                .into_iter()
                .map(|(description, due, owner, done)| PlannedAction { description, due, owner, done })
                .collect(),
        })
}

fn arb_state() -> impl Strategy<Value = State> {
    proptest::sample::select(vec![
        State::Unassigned,
        State::Assigned,
        State::InReview,
        State::Accepted,
        State::SentBack,
    ])
}

fn arb_comment() -> impl Strategy<Value = Comment> {
    (
        arb_user(),
        arb_time(),
        proptest::sample::select(vec![
            CommentKind::Discussion,
            CommentKind::Accepted,
            CommentKind::SentBack,
            CommentKind::Reopened,
        ]),
        arb_text(),
    )
        .prop_map(|(author, at, kind, text)| Comment { author, at, kind, text })
}

fn arb_item(question: String) -> impl Strategy<Value = Item> {
    (
        1u64..1_000_000,
        arb_state(),
        proptest::option::of(arb_user()),
        arb_answer(),
        proptest::option::of((arb_user(), arb_time())),
        proptest::option::of((arb_user(), arb_time())),
        proptest::collection::vec(arb_comment(), 0..3),
        arb_time(),
    )
        .prop_map(move |(version, state, assignee, answer, answered, reviewed, comments, updated_at)| Item {
            question: question.clone(),
            version,
            state,
            assignee,
            answer,
            answered_by: answered.as_ref().map(|(u, _)| u.clone()),
            answered_at: answered.map(|(_, t)| t),
            reviewed_by: reviewed.as_ref().map(|(u, _)| u.clone()),
            reviewed_at: reviewed.map(|(_, t)| t),
            comments,
            updated_at,
        })
}

fn arb_assessment() -> impl Strategy<Value = Assessment> {
    let catalog = catalog();
    let frameworks: Vec<(String, String, Vec<String>)> = catalog
        .frameworks
        .iter()
        .map(|f| (f.id.clone(), f.version.clone(), f.questions.iter().map(|q| q.id.clone()).collect()))
        .collect();
    proptest::sample::select(frameworks).prop_flat_map(|(framework, version, questions)| {
        let items: Vec<_> = questions.into_iter().map(arb_item).collect();
        (
            "[a-z0-9-]{1,12}",
            "\\PC{1,30}".prop_filter("a title", |t| !t.trim().is_empty()),
            arb_time(),
            arb_user(),
            proptest::option::of("[a-z0-9-]{1,12}"),
            proptest::collection::btree_map(arb_user(), proptest::sample::select(Role::ALL.to_vec()), 0..4),
            items,
        )
            .prop_map(move |(id, title, created_at, creator, previous, others, items)| {
                let mut members = vec![Member { user: creator.clone(), role: Role::Coordinator }];
                members.extend(
                    others.into_iter().filter(|(u, _)| u != &creator).map(|(user, role)| Member { user, role }),
                );
                Assessment {
                    id,
                    title,
                    framework: normwatch_assess::assessment::FrameworkRef {
                        id: framework.clone(),
                        version: version.clone(),
                    },
                    created_at,
                    created_by: creator,
                    previous,
                    members,
                    items,
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn an_export_imports_to_the_same_assessment_and_exports_to_the_same_text(a in arb_assessment()) {
        let catalog = catalog();
        let text = export(&a, &catalog).unwrap();
        let back = import(&text, &catalog).unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(export(&back, &catalog).unwrap(), text);
    }

    #[test]
    fn any_text_is_imported_or_refused_without_panicking(text in "\\PC{0,200}") {
        let _ = import(&text, &catalog());
    }
}

#[test]
fn a_real_scenario_round_trips() {
    let catalog = catalog();
    let team = team();
    let a = answered(&catalog, &team);
    let text = export(&a, &catalog).unwrap();
    assert!(text.contains("\"citation\": \"A/RES/64/211, annex, item 5 (a)\""));
    assert_eq!(import(&text, &catalog).unwrap(), a);
}

#[test]
fn questions_missing_from_an_import_start_unassigned_in_order() {
    let catalog = catalog();
    let team = team();
    let a = answered(&catalog, &team);
    let mut value: serde_json::Value = serde_json::from_str(&export(&a, &catalog).unwrap()).unwrap();
    let items = value["assessment"]["items"].as_array_mut().unwrap();
    items.retain(|i| i["item"]["question"] != "3");
    items.reverse();
    let back = import(&value.to_string(), &catalog).unwrap();
    assert_eq!(back.items.len(), a.items.len());
    let ids: Vec<&str> = back.items.iter().map(|i| i.question.as_str()).collect();
    let expected: Vec<&str> = a.items.iter().map(|i| i.question.as_str()).collect();
    assert_eq!(ids, expected);
    assert_eq!(back.item("3").unwrap().state, State::Unassigned);
    assert_eq!(back.item("5a"), a.item("5a"));
}

#[test]
fn bad_imports_are_refused_with_a_reason() {
    let catalog = catalog();
    let team = team();
    let a = answered(&catalog, &team);
    let text = export(&a, &catalog).unwrap();
    let cases: [(String, &str); 7] = [
        (text.replacen("\"status\": \"partial\"", "\"status\": \"halfway\"", 1), "halfway"),
        (text.replacen("\"maturity\": 4", "\"maturity\": 9", 1), "maturity 9"),
        (text.replacen("A/RES/64/211, annex, item 5 (a)", "A/RES/64/211, annex, item 6", 1), "cites"),
        (text.replacen("\"64-211\"", "\"99-999\"", 1), "not installed"),
        (text.replacen("\"coordinator\"", "\"viewer\"", 1), "no coordinator"),
        (text.replacen("\"version\": 1,", "\"version\": 2,", 1), "export version 2"),
        (text.replacen("https://gov.example/strategy.pdf", "javascript:alert(1)", 1), "http(s) link"),
    ];
    for (bad, expected) in cases {
        assert_ne!(bad, text, "the case for `{expected}` changed nothing");
        let error = import(&bad, &catalog).unwrap_err();
        assert!(error.to_string().contains(expected), "expected `{expected}`, got `{error}`");
    }
    let error =
        import("{\n  \"format\": \"normwatch-assessment\",\n  \"version\": 1,\n  \"assessment\": 7\n}", &catalog)
            .unwrap_err();
    assert_eq!((error.line, error.column > 0), (4, true));
}
