//! The assessment as an OSCAL assessment-results document (JSON, OSCAL 1.1.2 field names).
//!
//! Mapping: each question is a control (`control-id` `nw-{framework}_{question}`, since
//! OSCAL tokens cannot start with a digit), listed under `reviewed-controls`; each answered
//! question gives an `observation` (the narrative, status, maturity and evidence, titled by
//! its citation); only answers a reviewer **accepted** give a `finding`, `satisfied` when
//! the measure is in place and `not-satisfied` when it is partial or not started (a question
//! that does not apply, or an answer not yet accepted, gives no finding: an unreviewed
//! answer is not a determination). There is no OSCAL assessment plan for a UN resolution:
//! `import-ap` points to a back-matter resource that describes the framework instead.
//!
//! UUIDs are derived from the assessment, the question and the time of the report (SHA-256,
//! laid out as version-4 UUIDs), so the same snapshot gives the same document.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{ReportError, ReportView, Row};
use crate::evidence::Evidence;
use crate::workflow::{State, Status};

/// The OSCAL version whose field names this writes.
pub const OSCAL_VERSION: &str = "1.1.2";
/// The namespace of normwatch's own properties.
pub const PROP_NAMESPACE: &str = "urn:normwatch:assessment";

fn uuid(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let d = hasher.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The control id of a question.
pub fn control_id(framework: &str, question: &str) -> String {
    format!("nw-{framework}_{question}")
}

fn prop(name: &str, value: impl Into<String>) -> Value {
    json!({ "name": name, "ns": PROP_NAMESPACE, "value": value.into() })
}

fn observation(view: &ReportView<'_>, row: &Row<'_>, stamp: &str) -> Value {
    let answer = &row.item.answer;
    let mut props = vec![
        prop("paragraph", row.citation()),
        prop("implementation-status", answer.status.as_str()),
        prop("workflow-state", row.item.state.as_str()),
    ];
    if let Some(level) = answer.maturity {
        props.push(prop("maturity", level.to_string()));
        if let Some(stage) = view.scale.stage(level) {
            props.push(prop("maturity-stage", stage.name.clone()));
        }
    }
    if let Some(agency) = &answer.owner_agency {
        props.push(prop("owner-agency", agency.clone()));
    }
    let evidence: Vec<Value> = answer
        .evidence
        .iter()
        .map(|e| match e {
            Evidence::Link { url, title } => {
                json!({ "href": url, "description": if title.is_empty() { url.clone() } else { title.clone() } })
            }
            Evidence::File { name, content_type, size, sha256 } => json!({
                "description": format!("{name} ({content_type}, {size} bytes, SHA-256 {sha256})"),
            }),
        })
        .collect();
    let description = if answer.narrative.trim().is_empty() {
        "No narrative was given.".to_string()
    } else {
        answer.narrative.clone()
    };
    let collected = row.item.answered_at.unwrap_or(row.item.updated_at).to_string();
    let mut value = json!({
        "uuid": uuid(&["observation", &view.assessment.id, &row.question.id, stamp]),
        "title": format!("{}: answer", row.citation()),
        "description": description,
        "props": props,
        "methods": ["EXAMINE"],
        "collected": collected,
    });
    if !evidence.is_empty() {
        value["relevant-evidence"] = Value::Array(evidence);
    }
    if !answer.actions.is_empty() {
        let actions: Vec<String> = answer.actions.iter().map(super::action_line).collect();
        value["remarks"] = Value::String(format!("Planned actions: {}", actions.join("; ")));
    }
    value
}

fn finding(view: &ReportView<'_>, row: &Row<'_>, stamp: &str) -> Option<Value> {
    if row.item.state != State::Accepted {
        return None;
    }
    let (state, reason) = match row.item.answer.status {
        Status::InPlace => ("satisfied", "pass"),
        Status::Partial | Status::NotStarted => ("not-satisfied", "fail"),
        Status::NotApplicable => return None,
    };
    let prompt = match &row.question.stem {
        Some(stem) => format!("{stem} {}", row.question.prompt),
        None => row.question.prompt.clone(),
    };
    Some(json!({
        "uuid": uuid(&["finding", &view.assessment.id, &row.question.id, stamp]),
        "title": row.citation(),
        "description": prompt,
        "props": [prop("paragraph", row.citation()), prop("implementation-status", row.item.answer.status.as_str())],
        "target": {
            "type": "objective-id",
            "target-id": control_id(&view.framework.id, &row.question.id),
            "status": { "state": state, "reason": reason },
        },
        "related-observations": [{ "observation-uuid": uuid(&["observation", &view.assessment.id, &row.question.id, stamp]) }],
    }))
}

/// The OSCAL document as a JSON value.
pub fn to_value(view: &ReportView<'_>) -> Value {
    let stamp = view.options.generated_at.to_string();
    let a = view.assessment;
    let framework_resource = uuid(&["framework", &view.framework.id, &a.framework.version]);
    let controls: Vec<Value> =
        view.rows().map(|row| json!({ "control-id": control_id(&view.framework.id, &row.question.id) })).collect();
    let observations: Vec<Value> =
        view.rows().filter(|r| r.item.is_answered()).map(|r| observation(view, r, &stamp)).collect();
    let findings: Vec<Value> = view.rows().filter_map(|r| finding(view, r, &stamp)).collect();
    let mut metadata = json!({
        "title": format!("Self-assessment: {}", a.title),
        "last-modified": stamp,
        "version": format!("{} framework {}", a.id, a.framework.version),
        "oscal-version": OSCAL_VERSION,
        "remarks": view.text_source(),
    });
    if !view.members.is_empty() {
        metadata["parties"] = Value::Array(
            view.members
                .iter()
                .map(|m| {
                    json!({
                        "uuid": uuid(&["party", &a.id, m.user.as_str()]),
                        "type": "person",
                        "name": m.user.as_str(),
                        "email-addresses": [m.user.as_str()],
                        "props": [prop("assessment-role", m.role.as_str())],
                    })
                })
                .collect(),
        );
    }
    let mut result = json!({
        "uuid": uuid(&["result", &a.id, &stamp]),
        "title": format!("{} – {}", a.title, view.framework.title),
        "description": format!("{} {}", view.subtitle(), view.text_source()),
        "start": a.created_at.to_string(),
        "end": stamp,
        "reviewed-controls": { "control-selections": [{ "include-controls": controls }] },
    });
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }
    json!({
        "assessment-results": {
            "uuid": uuid(&["assessment-results", &a.id, &stamp]),
            "metadata": metadata,
            "import-ap": { "href": format!("#{framework_resource}") },
            "results": [result],
            "back-matter": {
                "resources": [{
                    "uuid": framework_resource,
                    "title": view.framework.title,
                    "description": format!(
                        "The question set assessed: {}, {}, framework `{}` version {} (normwatch). There is no OSCAL assessment plan for it.",
                        view.framework.document, view.framework.part, view.framework.id, a.framework.version
                    ),
                    "citation": { "text": format!("{}, {}", view.framework.document, view.framework.part) },
                }],
            },
        }
    })
}

pub fn render(view: &ReportView<'_>) -> Result<Vec<u8>, ReportError> {
    let mut bytes = serde_json::to_vec_pretty(&to_value(view))
        .map_err(|e| ReportError::Write { format: "OSCAL", message: e.to_string() })?;
    bytes.push(b'\n');
    Ok(bytes)
}
