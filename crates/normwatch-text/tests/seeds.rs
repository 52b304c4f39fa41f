//! The resolution parser on the texts the Maurer seed reproduces in its appendices (the
//! annexes of 57/239, 58/199 and 64/211, and the code of conduct of A/66/359), read from
//! the seed file itself. Expectations come from the seed's own words where it gives them.

use normwatch_core::domain::OperativeVerb;
use normwatch_text::resolution::{ResolutionText, parse};

mod common;

/// The seed's appendix section that starts at the line holding `start` and ends before
/// the line holding `end`.
fn section(seed: &str, start: &str, end: &str) -> String {
    let from = seed.find(start).unwrap_or_else(|| panic!("the seed has no `{start}`"));
    let from = seed[..from].rfind('\n').map_or(0, |i| i + 1);
    let to = from + seed[from..].find(end).unwrap_or_else(|| panic!("the seed has no `{end}` after `{start}`"));
    let to = seed[..to].rfind('\n').unwrap_or(to);
    seed[from..to].to_string()
}

fn seed() -> Option<String> {
    let path = common::shared_file("seeds/001_edef816d03214080.txt")?;
    Some(std::fs::read_to_string(path).unwrap())
}

fn symbol(text: &ResolutionText) -> String {
    text.symbol.as_ref().map(ToString::to_string).unwrap_or_default()
}

#[test]
fn resolution_57_239_and_its_nine_elements() {
    let Some(seed) = seed() else { return };
    let text =
        parse(&section(&seed, "**General Assembly Resolution 57/239**", "**General Assembly Resolution 58/199**"));
    assert_eq!(symbol(&text), "A/RES/57/239");
    assert_eq!(text.title.as_deref(), Some("Creation of a global culture of cybersecurity"));
    assert_eq!(text.elisions, 2, "the seed quotes the resolution in excerpt");
    let operative: Vec<_> = text.operative().collect();
    assert_eq!(operative.len(), 1);
    assert_eq!(operative[0].verb, Some(OperativeVerb::TakesNote));
    assert_eq!(operative[0].lead.as_deref(), Some("Takes note"));
    assert!(operative[0].text.starts_with("Takes note of the elements annexed to the present resolution"));
    assert_eq!(text.closing, ["78th plenary meeting", "20 December 2002"]);
    let annex = &text.annexes[0];
    assert_eq!(annex.title.as_deref(), Some("Elements for creating a global culture of cybersecurity"));
    // The seed (§II.3): "nine complementary elements: awareness, responsibility, response,
    // ethics, democracy, risk assessment, security design and implementation, security
    // management, and reassessment".
    let headings: Vec<String> =
        annex.items.iter().filter_map(|i| i.heading.as_ref()).map(|h| h.to_lowercase()).collect();
    assert_eq!(
        headings,
        [
            "awareness",
            "responsibility",
            "response",
            "ethics",
            "democracy",
            "risk assessment",
            "security design and implementation",
            "security management",
            "reassessment"
        ]
    );
    let labels: Vec<_> = annex.items.iter().filter_map(|i| i.label.as_deref()).collect();
    assert_eq!(labels, ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)"]);
    assert!(annex.items[0].label.is_none() && annex.items[0].text.ends_with("nine complementary elements:"));
    // (f) runs over a page break in the seed.
    let f = annex.items.iter().find(|i| i.label.as_deref() == Some("(f)")).unwrap();
    assert!(f.text.contains("potential harm to information systems and networks"), "{}", f.text);
    assert!(f.text.ends_with("to be protected;"));
}

#[test]
fn resolution_58_199_and_its_eleven_elements() {
    let Some(seed) = seed() else { return };
    let text =
        parse(&section(&seed, "**General Assembly Resolution 58/199**", "## **General Assembly Resolution 64/211**"));
    assert_eq!(symbol(&text), "A/RES/58/199");
    assert_eq!(
        text.title.as_deref(),
        Some(
            "Creation of a global culture of cybersecurity and the protection of critical information infrastructures"
        )
    );
    assert_eq!(text.operative().next().unwrap().verb, Some(OperativeVerb::TakesNote));
    assert_eq!(text.closing, ["78th plenary meeting", "23 December 2003"]);
    let annex = &text.annexes[0];
    assert_eq!(annex.title.as_deref(), Some("Elements for protecting critical information infrastructures"));
    let labels: Vec<String> = annex.items.iter().map(|i| i.label.clone().unwrap()).collect();
    assert_eq!(labels, (1..=11).map(|n| n.to_string()).collect::<Vec<_>>());
    assert!(annex.items[0].text.starts_with("Have emergency warning networks"));
}

#[test]
fn resolution_64_211_and_its_self_assessment_tool() {
    let Some(seed) = seed() else { return };
    let text = parse(&section(&seed, "## **General Assembly Resolution 64/211**", "**Annex to the letter dated"));
    assert_eq!(symbol(&text), "A/RES/64/211");
    let operative = text.operative().next().unwrap();
    assert_eq!(operative.verb, Some(OperativeVerb::Invites));
    assert!(operative.text.starts_with("Invites Member States to use, if and when they deem appropriate"));
    assert_eq!(text.closing, ["66th plenary meeting", "21 December 2009"]);
    let annex = &text.annexes[0];
    assert_eq!(
        annex.title.as_deref(),
        Some("Voluntary self-assessment tool for national efforts to protect critical information infrastructures")
    );
    let labels: Vec<String> = annex.items.iter().map(|i| i.label.clone().unwrap_or_default()).collect();
    assert_eq!(labels, (1..=18).map(|n| n.to_string()).collect::<Vec<_>>());
    let mut sections: Vec<&str> = annex.items.iter().filter_map(|i| i.section.as_deref()).collect();
    sections.dedup();
    assert_eq!(
        sections,
        [
            "Taking stock of cybersecurity needs and strategies",
            "Stakeholder roles and responsibilities",
            "Policy processes and participation",
            "Public-private cooperation",
            "Incident management and recovery",
            "Legal frameworks",
            "Developing a global culture of cybersecurity"
        ]
    );
    // Item 5 lists four kinds of stakeholder, across a page break and a footnote.
    assert_eq!(annex.items[4].subitems.len(), 4);
    assert!(annex.items[12].text.contains("necessary legislation for the investigation"), "{}", annex.items[12].text);
    assert_eq!(text.footnotes.len(), 1);
    assert!(text.footnotes[0].starts_with("175 This is a voluntary tool"));
}

#[test]
fn the_code_of_conduct_of_a_66_359() {
    let Some(seed) = seed() else { return };
    let text = parse(&section(&seed, "**Annex to the letter dated 12 September 2011", "**Belfer Center for Science"));
    assert_eq!(symbol(&text), "A/66/359");
    assert_eq!(text.title.as_deref(), Some("International code of conduct for information security"));
    assert_eq!(text.organ.as_deref(), Some("The General Assembly"));
    let leads: Vec<_> = text.preambular().map(|p| p.lead.as_deref().unwrap()).collect();
    assert_eq!(
        leads,
        [
            "Recalling",
            "Noting",
            "Recognizing",
            "Underlining",
            "Highlighting",
            "Reaffirming",
            "Recognizing",
            "Stressing"
        ]
    );
    let operative: Vec<_> = text.operative().collect();
    assert_eq!(operative.len(), 1);
    assert_eq!(operative[0].verb, Some(OperativeVerb::Adopts));
    // The code is adopted "as follows": an inline annex.
    let code = &text.annexes[0];
    assert_eq!(code.heading, None);
    let pledges: Vec<_> = code.items.iter().filter_map(|i| i.label.as_deref()).collect();
    assert_eq!(pledges, ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)", "(j)", "(k)"]);
    let mut sections: Vec<&str> = code.items.iter().filter_map(|i| i.section.as_deref()).collect();
    sections.dedup();
    assert_eq!(sections, ["Purpose and scope", "Code of conduct"]);
    // The seed (§II.1.1) quotes pledge (d): "endeavour [...] to prevent other States from
    // using their resources".
    let d = code.items.iter().find(|i| i.label.as_deref() == Some("(d)")).unwrap();
    assert!(d.text.contains("to prevent other States from using their resources"));
}

#[test]
fn every_appendix_text_renders_and_parses_back_to_itself() {
    let Some(seed) = seed() else { return };
    for (start, end) in [
        ("**General Assembly Resolution 57/239**", "**General Assembly Resolution 58/199**"),
        ("**General Assembly Resolution 58/199**", "## **General Assembly Resolution 64/211**"),
        ("## **General Assembly Resolution 64/211**", "**Annex to the letter dated"),
        ("**Annex to the letter dated 12 September 2011", "**Belfer Center for Science"),
    ] {
        let text = parse(&section(&seed, start, end));
        let rendered = text.render();
        assert_eq!(parse(&rendered).render(), rendered, "{start}");
    }
}
