//! The CLI's `--json` and the API print the same contract: for every contract type both
//! surfaces offer, the objects are equal over the same database.

use serde_json::Value;

use crate::support::TestApp;

async fn api(test: &TestApp, uri: &str) -> Value {
    let answer = test.get(uri).await;
    assert_eq!(answer.status, 200, "{uri}: {}", answer.body);
    answer.json()
}

#[tokio::test]
async fn the_cli_and_the_api_print_the_same_objects() {
    let test = TestApp::built_in().await;
    let pairs: &[(&[&str], &str)] = &[
        (&["show", "A/RES/53/70"], "/api/documents/A/RES/53/70"),
        (&["show", "A/RES/64/211"], "/api/documents/A/RES/64/211"),
        (&["show", "S/RES/1373 (2001)"], "/api/documents/S/RES/1373%20(2001)"),
        (&["series", "list"], "/api/series"),
        (&["series", "show", "ga-first-ict-security"], "/api/series/ga-first-ict-security"),
        (&["groups"], "/api/groups"),
        (&["kb", "stats"], "/api/stats"),
        (&["norms"], "/api/norms"),
    ];
    for (args, uri) in pairs {
        let mut cli_args = vec!["--json"];
        cli_args.extend_from_slice(args);
        let from_cli = test.cli_json(&cli_args);
        let from_api = api(&test, uri).await;
        // `series show` prints a list of one; the API answers the object.
        let from_cli = match (args, from_cli) {
            (["series", "show", _], Value::Array(mut one)) if one.len() == 1 => one.remove(0),
            (_, other) => other,
        };
        if let Some(difference) = first_difference("", &from_cli, &from_api) {
            panic!("`normwatch {}` and {uri} differ at {difference}", args.join(" "));
        }
    }
}

#[tokio::test]
async fn the_index_and_the_life_cycles_agree_between_the_cli_and_the_measurement_api() {
    let test = TestApp::built_in().await;
    let measurement = api(&test, "/api/measurement").await;
    let index = test.cli_json(&["--json", "index"]);
    if let Some(difference) = first_difference("", &index, &measurement["index"]) {
        panic!("`normwatch index --json` and /api/measurement .index differ at {difference}");
    }
    let lifecycles = test.cli_json(&["--json", "lifecycle"]);
    if let Some(difference) = first_difference("", &lifecycles, &measurement["lifecycles"]) {
        panic!("`normwatch lifecycle --json` and /api/measurement .lifecycles differ at {difference}");
    }
}

/// Where two JSON values first differ, as a path with both values, or `None`.
fn first_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|k| {
                let (va, vb) = (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                if x.contains_key(k) != y.contains_key(k) {
                    return Some(format!("{path}.{k}: present only on one side ({va} / {vb})"));
                }
                first_difference(&format!("{path}.{k}"), va, vb)
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (va, vb))| first_difference(&format!("{path}[{i}]"), va, vb))
        }
        _ if a == b => None,
        _ => {
            let short = |v: &Value| v.to_string().chars().take(200).collect::<String>();
            Some(format!("{path}: {} / {}", short(a), short(b)))
        }
    }
}
