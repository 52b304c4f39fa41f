//! The four figures, drawn from data as plain, deterministic SVG text (no fonts embedded,
//! no scripts): the two-streams model, the co-sponsorship graphic, the norm-emergence trend
//! with its components, and the US/Russia/China positions timeline. Each carries a caption
//! naming its sources.

use std::collections::BTreeSet;
use std::fmt::Write;

use normwatch_core::domain::{DocumentKind, Modality, Stream, VoteValue};
use normwatch_core::view::DocumentView;

use crate::config::Config;
use crate::index::measure;
use crate::indicators::{Scope, scope_resolutions, sponsorship};
use crate::inputs::{Evidence, Inputs, document_evidence, document_year, member_states};
use crate::{Indicator, MeasureError};

/// The figures `figure` draws.
pub const FIGURE_NAMES: [&str; 4] = ["two-streams", "sponsorship", "trend", "positions"];

/// A drawn figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Svg {
    pub name: String,
    pub title: String,
    /// What the figure shows and where its data comes from, in words.
    pub caption: String,
    /// Every source cited by a fact the figure draws, sorted.
    pub sources: Vec<String>,
    /// The SVG document.
    pub svg: String,
}

/// Draws one figure by name.
pub fn figure(name: &str, inputs: &Inputs, config: &Config) -> Result<Svg, MeasureError> {
    match name {
        "two-streams" => Ok(two_streams(inputs)),
        "sponsorship" => sponsorship_figure(inputs, config),
        "trend" => trend(inputs, config),
        "positions" => positions(inputs, config),
        other => Err(MeasureError::UnknownFigure { name: other.to_string() }),
    }
}

// ------------------------------------------------------------------ drawing helpers

const WIDTH: f64 = 960.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 30.0;
const FONT: &str = "font-family=\"sans-serif\"";

/// Escapes text for SVG (XML) content and attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number with at most one decimal, trailing zeros dropped: deterministic text.
fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = format!("{rounded:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    if text == "-0" { "0".to_string() } else { text }
}

struct Canvas {
    body: String,
    height: f64,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas { body: String::new(), height: 0.0 }
    }

    fn raw(&mut self, text: &str) {
        self.body.push_str(text);
        self.body.push('\n');
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, style: &str) {
        self.raw(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {style}/>",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        ));
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &str) {
        self.raw(&format!("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {style}/>", n(x1), n(y1), n(x2), n(y2)));
    }

    fn circle(&mut self, x: f64, y: f64, r: f64, style: &str) {
        self.raw(&format!("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {style}/>", n(x), n(y), n(r)));
    }

    fn text(&mut self, x: f64, y: f64, size: f64, anchor: &str, style: &str, text: &str) {
        self.raw(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" {FONT} {style}>{}</text>",
            n(x),
            n(y),
            n(size),
            esc(text)
        ));
    }

    fn rotated_text(&mut self, x: f64, y: f64, size: f64, text: &str) {
        self.raw(&format!(
            "<text x=\"{x}\" y=\"{y}\" font-size=\"{}\" text-anchor=\"start\" {FONT} transform=\"rotate(-60 {x} {y})\">{}</text>",
            n(size),
            esc(text),
            x = n(x),
            y = n(y)
        ));
    }

    /// Writes the caption as wrapped lines from `y` and returns the height used.
    fn caption(&mut self, y: f64, caption: &str) -> f64 {
        let lines = wrap(caption, 150);
        for (i, line) in lines.iter().enumerate() {
            self.text(LEFT - 50.0, y + 14.0 * i as f64, 11.0, "start", "fill=\"#333\"", line);
        }
        14.0 * lines.len() as f64
    }

    fn finish(self, title: &str, caption: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\">",
            w = n(WIDTH),
            h = n(self.height)
        );
        let _ = writeln!(out, "<title>{}</title>", esc(title));
        let _ = writeln!(out, "<desc>{}</desc>", esc(caption));
        let _ =
            writeln!(out, "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>", n(WIDTH), n(self.height));
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Maps years to x positions across the plot.
struct YearAxis {
    first: i32,
    last: i32,
}

impl YearAxis {
    fn x(&self, year: i32) -> f64 {
        let span = f64::from((self.last - self.first).max(1));
        LEFT + 10.0 + (f64::from(year - self.first) / span) * (WIDTH - LEFT - RIGHT - 20.0)
    }

    fn step(&self) -> f64 {
        (WIDTH - LEFT - RIGHT - 20.0) / f64::from((self.last - self.first).max(1))
    }

    fn draw(&self, canvas: &mut Canvas, y: f64) {
        canvas.line(LEFT, y, WIDTH - RIGHT, y, "stroke=\"#444\"");
        let every = if self.last - self.first > 20 { 2 } else { 1 };
        for year in self.first..=self.last {
            let x = self.x(year);
            canvas.line(x, y, x, y + 4.0, "stroke=\"#444\"");
            if (year - self.first) % every == 0 {
                canvas.text(x, y + 16.0, 10.0, "middle", "", &year.to_string());
            }
        }
    }
}

fn sources_of(evidence: &[Evidence]) -> Vec<String> {
    let set: BTreeSet<&str> = evidence.iter().map(|e| e.source.as_str()).collect();
    set.into_iter().map(str::to_string).collect()
}

fn caption_with_sources(text: &str, sources: &[String]) -> String {
    format!("{text} Sources: {}.", if sources.is_empty() { "none".to_string() } else { sources.join("; ") })
}

const COLORS: [&str; 6] = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#9c755f", "#76b7b2"];

// ------------------------------------------------------------------ trend

fn trend(inputs: &Inputs, config: &Config) -> Result<Svg, MeasureError> {
    let stream = config.trend_stream;
    let points = measure(inputs, &Scope::Stream(stream), config)?;
    let first = points.first().map_or(0, |p| p.year);
    let last = points.last().map_or(0, |p| p.year);
    let axis = YearAxis { first, last };
    let mut canvas = Canvas::new();
    let title = format!("Norm emergence in the {stream} stream, {first}–{last}");
    canvas.text(WIDTH / 2.0, 24.0, 16.0, "middle", "font-weight=\"bold\"", &title);

    let top = 50.0;
    let plot_h = 300.0;
    let bottom = top + plot_h;
    let y_of = |v: f64| bottom - v * plot_h;
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        canvas.line(LEFT, y_of(tick), WIDTH - RIGHT, y_of(tick), "stroke=\"#ddd\"");
        canvas.text(LEFT - 6.0, y_of(tick) + 4.0, 10.0, "end", "", &format!("{tick:.2}"));
    }
    let bar_w = (axis.step() * 0.6).clamp(4.0, 24.0);
    let mut evidence = Vec::new();
    for point in &points {
        let x = axis.x(point.year);
        match point.value {
            Some(_) => {
                let mut y = bottom;
                for (i, component) in point.components.iter().enumerate() {
                    if let Some(c) = component.contribution {
                        let h = c * plot_h;
                        canvas.rect(
                            x - bar_w / 2.0,
                            y - h,
                            bar_w,
                            h,
                            &format!("fill=\"{}\" fill-opacity=\"0.75\"", COLORS[i % COLORS.len()]),
                        );
                        y -= h;
                    }
                    if component.indicator == Indicator::Salience {
                        // The corpus, not each speech counted: the caption names sources,
                        // `normwatch index --json` lists the speeches.
                        evidence.extend(component.evidence.first().cloned());
                    } else {
                        evidence.extend(component.evidence.iter().cloned());
                    }
                }
            }
            None => canvas.text(x, bottom - 4.0, 9.0, "middle", "fill=\"#999\"", "n/a"),
        }
    }
    // The index line, broken where a year is missing.
    let mut segment: Vec<String> = Vec::new();
    let mut segments: Vec<Vec<String>> = Vec::new();
    for point in &points {
        match point.value {
            Some(v) => segment.push(format!("{},{}", n(axis.x(point.year)), n(y_of(v)))),
            None => {
                if !segment.is_empty() {
                    segments.push(std::mem::take(&mut segment));
                }
            }
        }
    }
    if !segment.is_empty() {
        segments.push(segment);
    }
    for s in &segments {
        canvas.raw(&format!("<polyline points=\"{}\" fill=\"none\" stroke=\"#222\" stroke-width=\"2\"/>", s.join(" ")));
    }
    for point in &points {
        if let Some(v) = point.value {
            canvas.circle(axis.x(point.year), y_of(v), 3.0, "fill=\"#222\"");
        }
    }
    axis.draw(&mut canvas, bottom);
    // Legend.
    let mut lx = LEFT;
    let mut ly = bottom + 36.0;
    let width = |label: &str| 14.0 + label.chars().count() as f64 * 5.6 + 14.0;
    for (i, indicator) in Indicator::ALL.iter().enumerate() {
        let label = format!("{indicator} (weight {})", config.weights.get(*indicator));
        if lx + width(&label) > WIDTH - RIGHT {
            lx = LEFT;
            ly += 16.0;
        }
        canvas.rect(lx, ly - 9.0, 10.0, 10.0, &format!("fill=\"{}\" fill-opacity=\"0.75\"", COLORS[i]));
        canvas.text(lx + 14.0, ly, 10.0, "start", "", &label);
        lx += width(&label);
    }
    canvas.line(lx, ly - 4.0, lx + 18.0, ly - 4.0, "stroke=\"#222\" stroke-width=\"2\"");
    canvas.text(lx + 22.0, ly, 10.0, "start", "", "index");

    let sources = sources_of(&evidence);
    let caption = caption_with_sources(
        &format!(
            "The norm-emergence index of the {stream} stream per year (line; 0–1), stacked from each indicator's weighted \
             contribution (bars), with the weights of config/measurement.toml. Missing indicators are left out and the \
             others' weights renormalised; 'n/a' marks a year below the minimum coverage. Reproduce: normwatch index --stream {stream} --json."
        ),
        &sources,
    );
    let used = canvas.caption(ly + 28.0, &caption);
    canvas.height = ly + 28.0 + used + 10.0;
    Ok(Svg { name: "trend".into(), svg: canvas.finish(&title, &caption), title, caption, sources })
}

// ------------------------------------------------------------------ sponsorship

fn sponsorship_figure(inputs: &Inputs, config: &Config) -> Result<Svg, MeasureError> {
    let series = &config.sponsorship_series;
    let scope = Scope::Series(series.clone());
    let resolutions = scope_resolutions(inputs, &scope);
    let years: Vec<i32> = resolutions.iter().filter_map(|d| document_year(d)).collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return Err(MeasureError::EmptyScope(scope.label()));
    };
    let axis = YearAxis { first, last };
    let mut evidence = Vec::new();
    struct Bar<'a> {
        document: &'a DocumentView,
        year: i32,
        sponsors: Option<u32>,
    }
    let bars: Vec<Bar> = resolutions
        .iter()
        .map(|d| {
            let count = sponsorship(inputs, d);
            if let Some(c) = &count {
                evidence.extend(c.evidence.iter().cloned());
            }
            Bar { document: d, year: document_year(d).unwrap_or(first), sponsors: count.map(|c| c.sponsors) }
        })
        .collect();
    let thresholds: Vec<(i32, u32)> = (first..=last)
        .map(|y| {
            let (members, e) = member_states(y);
            evidence.push(e);
            (y, (config.tipping_share * f64::from(members)).ceil() as u32)
        })
        .collect();
    let max_value =
        bars.iter().filter_map(|b| b.sponsors).chain(thresholds.iter().map(|t| t.1)).max().unwrap_or(1).max(1);
    let scale_max = (f64::from(max_value) / 10.0).ceil() * 10.0;

    let mut canvas = Canvas::new();
    let title = format!("Sponsors of the resolutions of {series}, {first}–{last}");
    canvas.text(WIDTH / 2.0, 24.0, 16.0, "middle", "font-weight=\"bold\"", &title);
    let top = 50.0;
    let plot_h = 300.0;
    let bottom = top + plot_h;
    let y_of = |v: f64| bottom - v / scale_max * plot_h;
    let mut tick = 0.0;
    while tick <= scale_max + 0.1 {
        canvas.line(LEFT, y_of(tick), WIDTH - RIGHT, y_of(tick), "stroke=\"#eee\"");
        canvas.text(LEFT - 6.0, y_of(tick) + 4.0, 10.0, "end", "", &n(tick));
        tick += (scale_max / 5.0).max(1.0);
    }
    // The tipping-point threshold, year by year.
    let step: Vec<String> = thresholds
        .iter()
        .flat_map(|(y, t)| {
            let half = axis.step() / 2.0;
            [
                format!("{},{}", n(axis.x(*y) - half), n(y_of(f64::from(*t)))),
                format!("{},{}", n(axis.x(*y) + half), n(y_of(f64::from(*t)))),
            ]
        })
        .collect();
    canvas.raw(&format!(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#c00\" stroke-dasharray=\"5 3\"/>",
        step.join(" ")
    ));
    if let Some((_, t)) = thresholds.last() {
        canvas.text(
            WIDTH - RIGHT,
            y_of(f64::from(*t)) - 5.0,
            10.0,
            "end",
            "fill=\"#c00\"",
            &format!("tipping point: {} of Member States", config.tipping_share),
        );
    }
    let slot = axis.step() * 0.8;
    for year in first..=last {
        let of_year: Vec<&Bar> = bars.iter().filter(|b| b.year == year).collect();
        let count = of_year.len().max(1) as f64;
        let w = (slot / count).min(22.0);
        for (i, bar) in of_year.iter().enumerate() {
            let x = axis.x(year) - (w * count) / 2.0 + w * i as f64;
            match bar.sponsors {
                Some(s) => {
                    let h = f64::from(s) / scale_max * plot_h;
                    canvas.rect(x + 1.0, bottom - h, w - 2.0, h, "fill=\"#4e79a7\"");
                    canvas.text(x + w / 2.0, bottom - h - 3.0, 9.0, "middle", "", &s.to_string());
                }
                None => {
                    canvas.rect(
                        x + 1.0,
                        bottom - 14.0,
                        w - 2.0,
                        14.0,
                        "fill=\"none\" stroke=\"#999\" stroke-dasharray=\"2 2\"",
                    );
                    canvas.text(x + w / 2.0, bottom - 4.0, 9.0, "middle", "fill=\"#999\"", "?");
                }
            }
            let p5_no: Vec<&str> = bar
                .document
                .voted_no
                .iter()
                .filter(|s| config.permanent_members.contains(s))
                .map(|s| s.as_str())
                .collect();
            if !p5_no.is_empty() {
                evidence.extend(document_evidence(bar.document, &["voted_no"]));
                for (k, state) in p5_no.iter().enumerate() {
                    canvas.text(x + w / 2.0, bottom + 30.0 + 8.0 * k as f64, 7.0, "middle", "fill=\"#c00\"", state);
                }
            }
        }
    }
    axis.draw(&mut canvas, bottom);
    let ly = bottom + 80.0;
    canvas.rect(LEFT, ly - 9.0, 10.0, 10.0, "fill=\"#4e79a7\"");
    canvas.text(LEFT + 14.0, ly, 10.0, "start", "", "sponsors (named and counted)");
    canvas.rect(LEFT + 190.0, ly - 9.0, 10.0, 10.0, "fill=\"none\" stroke=\"#999\" stroke-dasharray=\"2 2\"");
    canvas.text(LEFT + 204.0, ly, 10.0, "start", "", "? no source counts or names co-sponsors");
    canvas.text(
        LEFT + 440.0,
        ly,
        10.0,
        "start",
        "fill=\"#c00\"",
        "USA, RUS, …: permanent members voting No (under the bar)",
    );

    let sources = sources_of(&evidence);
    let caption = caption_with_sources(
        &format!(
            "Sponsors of each resolution of the series {series} (one bar per resolution; the larger of the named sponsors \
             and the total a source counts), against the tipping-point threshold ({} of the Member States that year, dashed). \
             Reproduce: normwatch index --series {series} --json (component sponsorship).",
            config.tipping_share
        ),
        &sources,
    );
    let used = canvas.caption(ly + 24.0, &caption);
    canvas.height = ly + 24.0 + used + 10.0;
    Ok(Svg { name: "sponsorship".into(), svg: canvas.finish(&title, &caption), title, caption, sources })
}

// ------------------------------------------------------------------ positions

fn positions(inputs: &Inputs, config: &Config) -> Result<Svg, MeasureError> {
    let series = &config.positions_series;
    let scope = Scope::Series(series.clone());
    let resolutions = scope_resolutions(inputs, &scope);
    if resolutions.is_empty() {
        return Err(MeasureError::EmptyScope(scope.label()));
    }
    let states = &config.positions_states;
    let mut evidence = Vec::new();
    let mut canvas = Canvas::new();
    let names: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
    let title = format!("Positions of {} on {series}", names.join(", "));
    canvas.text(WIDTH / 2.0, 24.0, 16.0, "middle", "font-weight=\"bold\"", &title);
    let top = 120.0;
    let row_h = 26.0;
    let col_w = ((WIDTH - LEFT - RIGHT) / resolutions.len() as f64).min(40.0);
    for (c, document) in resolutions.iter().enumerate() {
        let x = LEFT + col_w * c as f64;
        let label = format!("{} {}", document_year(document).unwrap_or(0), document.symbol);
        canvas.rotated_text(x + col_w / 2.0 - 2.0, top - 4.0, 9.0, &label);
    }
    for (r, state) in states.iter().enumerate() {
        let y = top + row_h * r as f64;
        canvas.text(LEFT - 8.0, y + row_h / 2.0 + 4.0, 11.0, "end", "font-weight=\"bold\"", state.as_str());
        for (c, document) in resolutions.iter().enumerate() {
            let x = LEFT + col_w * c as f64;
            let mut marks: Vec<&str> = Vec::new();
            let count = sponsorship(inputs, document);
            let introduced = document.sponsorship.as_ref().is_some_and(|s| s.introduced_by.contains(state));
            let cosponsor = count.as_ref().is_some_and(|s| s.cosponsors.contains(state)) && !introduced;
            if introduced {
                marks.push("S");
                evidence.extend(document_evidence(document, &["introduced_by"]));
            } else if cosponsor {
                marks.push("C");
                evidence.extend(document_evidence(document, &["cosponsors"]));
            }
            let recorded = inputs.state_votes.iter().find(|v| v.symbol == document.symbol && v.state == *state);
            let vote = match recorded {
                Some(v) => {
                    evidence.push(Evidence {
                        record: document.symbol.to_string(),
                        field: format!("vote of {state}"),
                        source: v.source.clone(),
                        value: v.vote.to_string(),
                    });
                    Some(match v.vote {
                        VoteValue::Yes => "Y",
                        VoteValue::No => "N",
                        VoteValue::Abstain => "A",
                        VoteValue::NonVoting => "X",
                    })
                }
                None if document.voted_no.contains(state) => {
                    evidence.extend(document_evidence(document, &["voted_no"]));
                    Some("N")
                }
                None if document.modality == Some(Modality::WithoutVote) => {
                    evidence.extend(document_evidence(document, &["modality"]));
                    Some("=")
                }
                None => None,
            };
            marks.extend(vote);
            let fill = if marks.contains(&"N") {
                "#e15759"
            } else if introduced {
                "#2e7d32"
            } else if cosponsor {
                "#81c784"
            } else if marks.contains(&"Y") {
                "#c8e6c9"
            } else if marks.contains(&"A") {
                "#f1ce63"
            } else if marks.contains(&"=") {
                "#e0e0e0"
            } else {
                "#ffffff"
            };
            canvas.rect(x + 1.0, y + 1.0, col_w - 2.0, row_h - 2.0, &format!("fill=\"{fill}\" stroke=\"#bbb\""));
            let text = if marks.is_empty() { "?".to_string() } else { marks.join("") };
            canvas.text(x + col_w / 2.0, y + row_h / 2.0 + 4.0, 10.0, "middle", "", &text);
        }
    }
    let ly = top + row_h * states.len() as f64 + 24.0;
    let legend = "S introduced (sponsor) · C co-sponsor · Y yes · N no · A abstain · X present, not voting · = adopted without a vote · ? no source gives the position";
    canvas.text(LEFT, ly, 10.0, "start", "", legend);
    let sources = sources_of(&evidence);
    let dataset_note = if inputs.state_votes.is_empty() {
        "No per-state votes were imported, so Y/A/X are not shown; N comes from the named No voters."
    } else {
        "Per-state votes come from the imported datasets."
    };
    let caption = caption_with_sources(
        &format!(
            "For each resolution of the series {series} (columns, by year), what each state did: introduced or co-sponsored \
             the text, and how it voted. {dataset_note}"
        ),
        &sources,
    );
    let used = canvas.caption(ly + 20.0, &caption);
    canvas.height = ly + 20.0 + used + 10.0;
    Ok(Svg { name: "positions".into(), svg: canvas.finish(&title, &caption), title, caption, sources })
}

// ------------------------------------------------------------------ two streams

const LANES: [(Stream, &str); 3] = [
    (Stream::PoliticoMilitary, "politico-military (cyber-warfare)"),
    (Stream::Linking, "linking (Second Committee)"),
    (Stream::Economic, "economic (cyber-crime)"),
];

fn two_streams(inputs: &Inputs) -> Svg {
    let mut evidence = Vec::new();
    let lane_streams: Vec<Stream> = LANES.iter().map(|l| l.0).collect();
    let resolutions: Vec<(&DocumentView, Stream, i32)> = inputs
        .documents
        .iter()
        .filter(|d| d.kind == Some(DocumentKind::Resolution))
        .filter_map(|d| Some((d, d.stream.filter(|s| lane_streams.contains(s))?, document_year(d)?)))
        .collect();
    // The first year each body is seen active (an event, a document, a group).
    let mut first_seen: Vec<(String, i32, Vec<Stream>)> = Vec::new();
    let mut note = |id: &str, year: i32, evidence: &mut Vec<Evidence>, ev: Vec<Evidence>| {
        let Some(body) = inputs.body(id) else { return };
        let streams: Vec<Stream> = body.streams.iter().copied().filter(|s| lane_streams.contains(s)).collect();
        if streams.is_empty() {
            return;
        }
        match first_seen.iter_mut().find(|(b, _, _)| b == id) {
            Some(entry) if entry.1 <= year => {}
            Some(entry) => entry.1 = year,
            None => {
                first_seen.push((id.to_string(), year, streams));
                evidence.extend(body.evidence.iter().cloned());
            }
        }
        evidence.extend(ev);
    };
    for event in &inputs.events {
        if let Some(year) = event.year {
            for body in &event.bodies {
                note(body, year, &mut evidence, event.evidence.clone());
            }
        }
    }
    for document in &inputs.documents {
        if let (Some(body), Some(year)) = (document.body.as_deref(), document_year(document)) {
            note(body, year, &mut evidence, document_evidence(document, &["body"]));
        }
    }
    for group in &inputs.groups {
        if let (Some(body), Some(year)) = (group.body.as_deref(), group.start_year) {
            note(body, year, &mut evidence, Vec::new());
        }
    }
    first_seen.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    // The axis spans the resolutions; a body first seen earlier sits at the left edge,
    // its label giving the year.
    let first = resolutions.iter().map(|r| r.2).min().unwrap_or(2000);
    let last = resolutions.iter().map(|r| r.2).max().unwrap_or(first + 1).max(first + 1);
    let axis = YearAxis { first, last };

    let mut canvas = Canvas::new();
    let title = format!("The two streams: bodies and resolutions, {first}–{last}");
    canvas.text(WIDTH / 2.0, 24.0, 16.0, "middle", "font-weight=\"bold\"", &title);
    let lane_h = 130.0;
    let top = 44.0;
    let lane_top = |i: usize| top + lane_h * i as f64;
    let mut dots: Vec<(usize, f64, f64)> = Vec::new();
    for (i, (stream, label)) in LANES.iter().enumerate() {
        let y0 = lane_top(i);
        let fill = if *stream == Stream::Linking { "#fdf6e3" } else { "#f4f7fb" };
        canvas.rect(
            LEFT - 60.0,
            y0,
            WIDTH - RIGHT - LEFT + 60.0,
            lane_h - 6.0,
            &format!("fill=\"{fill}\" stroke=\"#ccd\""),
        );
        canvas.text(LEFT - 54.0, y0 + 14.0, 11.0, "start", "font-weight=\"bold\"", label);
        // Resolutions: one dot each, stacked by year.
        let base = y0 + lane_h - 20.0;
        for year in first..=last {
            let of_year: Vec<&(&DocumentView, Stream, i32)> =
                resolutions.iter().filter(|r| r.1 == *stream && r.2 == year).collect();
            for (k, (document, _, _)) in of_year.iter().enumerate() {
                let x = axis.x(year);
                let y = base - 7.0 * k as f64;
                canvas.circle(x, y, 3.0, "fill=\"#4e79a7\"");
                dots.push((i, x, y));
                evidence.extend(document_evidence(document, &["stream"]));
            }
        }
        // Bodies: a label at the first year each is seen, in rows that do not overlap.
        let mut row_ends: Vec<f64> = Vec::new();
        for (id, year, streams) in &first_seen {
            if !streams.contains(stream) {
                continue;
            }
            let x = axis.x((*year).clamp(first, last));
            let label = format!("{id} ({year})");
            let width = label.chars().count() as f64 * 5.5 + 10.0;
            let row = match row_ends.iter().position(|end| *end < x) {
                Some(r) => r,
                None => {
                    row_ends.push(f64::MIN);
                    row_ends.len() - 1
                }
            };
            if row > 5 {
                continue;
            }
            row_ends[row] = x + width;
            let y = y0 + 30.0 + 13.0 * row as f64;
            canvas.rect(x - 2.0, y - 4.0, 4.0, 4.0, "fill=\"#f28e2b\"");
            canvas.text(x + 4.0, y, 9.0, "start", "", &label);
        }
    }
    // The linking lane's resolutions tie the two streams together.
    for (lane, x, y) in &dots {
        if LANES[*lane].0 == Stream::Linking {
            canvas.line(*x, *y, *x, lane_top(0) + lane_h - 6.0, "stroke=\"#b58900\" stroke-dasharray=\"2 2\"");
            canvas.line(*x, *y, *x, lane_top(2), "stroke=\"#b58900\" stroke-dasharray=\"2 2\"");
        }
    }
    let bottom = lane_top(LANES.len());
    axis.draw(&mut canvas, bottom);
    let ly = bottom + 38.0;
    canvas.circle(LEFT + 4.0, ly - 4.0, 3.0, "fill=\"#4e79a7\"");
    canvas.text(LEFT + 12.0, ly, 10.0, "start", "", "a resolution of the stream");
    canvas.rect(LEFT + 170.0, ly - 6.0, 4.0, 4.0, "fill=\"#f28e2b\"");
    canvas.text(LEFT + 178.0, ly, 10.0, "start", "", "a body, at the first year it is seen active");
    canvas.line(LEFT + 420.0, ly - 4.0, LEFT + 440.0, ly - 4.0, "stroke=\"#b58900\" stroke-dasharray=\"2 2\"");
    canvas.text(LEFT + 446.0, ly, 10.0, "start", "", "Second Committee texts linking the streams");

    evidence.sort();
    evidence.dedup();
    let sources = sources_of(&evidence);
    let caption = caption_with_sources(
        "The two-streams model of Maurer (2011, part II): General Assembly resolutions and the bodies working on \
         cyber-security per stream over time (a body appears in each lane its `streams` fact names, at the first year an \
         event, document or expert group shows it active); the Second Committee's texts link the politico-military and \
         the economic stream.",
        &sources,
    );
    let used = canvas.caption(ly + 24.0, &caption);
    canvas.height = ly + 24.0 + used + 10.0;
    Svg { name: "two-streams".into(), svg: canvas.finish(&title, &caption), title, caption, sources }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_deterministically() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.25), "1.3");
        assert_eq!(n(-0.01), "0");
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn an_unknown_figure_names_the_choices() {
        let error = figure("pie", &Inputs::default(), &Config::default_config().unwrap()).unwrap_err();
        assert!(error.to_string().contains("two-streams, sponsorship, trend, positions"), "{error}");
    }

    #[test]
    fn captions_wrap() {
        assert_eq!(wrap("a b c", 3), vec!["a b", "c"]);
    }
}
