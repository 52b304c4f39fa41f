//! Server-side SVG charts: plain markup with explicit colours, a title and a description,
//! readable inline without JavaScript and downloadable as standalone files. Every text
//! that comes from data is escaped here.

use std::fmt::Write;

pub const YES: &str = "#1a7f37";
pub const NO: &str = "#b42318";
pub const ABSTAIN: &str = "#d4a72c";
pub const NON_VOTING: &str = "#8c959f";
pub const ACCENT: &str = "#0b5cad";
pub const PALETTE: [&str; 4] = ["#0b5cad", "#b42318", "#1a7f37", "#8250df"];

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 340.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 64.0;

/// Escapes text for SVG (XML) content and attributes: the figures' own escaping, so the
/// two kinds of chart cannot drift apart.
pub use normwatch_measure::figures::esc as escape;

/// One coloured series of a chart.
pub struct Series {
    pub label: String,
    pub color: &'static str,
    pub values: Vec<Option<f64>>,
}

fn open(out: &mut String, title: &str, description: &str) {
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{t}" font-family="system-ui, sans-serif" font-size="12"><title>{t}</title><desc>{d}</desc><rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/><text x="{LEFT}" y="20" font-size="14" font-weight="600" fill="#1b1f23">{t}</text>"##,
        t = escape(title),
        d = escape(description)
    );
}

fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if max <= step * magnitude {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

fn axes(out: &mut String, max: f64, percent: bool) {
    let plot_h = HEIGHT - TOP - BOTTOM;
    for i in 0..=4 {
        let value = max * f64::from(i) / 4.0;
        let y = TOP + plot_h - plot_h * f64::from(i) / 4.0;
        let label = if percent {
            format!("{:.0}%", value * 100.0)
        } else if max < 4.0 {
            format!("{value:.1}")
        } else {
            format!("{value:.0}")
        };
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" stroke="#d0d7de" stroke-width="1"/><text x="{lx}" y="{ty:.1}" text-anchor="end" fill="#57606a">{label}</text>"##,
            x2 = WIDTH - RIGHT,
            lx = LEFT - 6.0,
            ty = y + 4.0
        );
    }
}

fn legend(out: &mut String, series: &[Series]) {
    let mut x = LEFT;
    let y = HEIGHT - 14.0;
    for s in series {
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{ry:.1}" width="10" height="10" fill="{c}"/><text x="{tx:.1}" y="{y:.1}" fill="#1b1f23">{l}</text>"##,
            ry = y - 9.0,
            c = s.color,
            tx = x + 14.0,
            l = escape(&s.label)
        );
        x += 24.0 + 7.0 * s.label.chars().count() as f64;
    }
}

fn category_labels(out: &mut String, categories: &[String], slot: f64) {
    let rotate = categories.len() > 12;
    for (i, label) in categories.iter().enumerate() {
        let x = LEFT + slot * (i as f64 + 0.5);
        let y = HEIGHT - BOTTOM + 16.0;
        if rotate {
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{y:.1}" text-anchor="end" transform="rotate(-45 {x:.1} {y:.1})" fill="#57606a" font-size="10">{}</text>"##,
                escape(label)
            );
        } else {
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" fill="#57606a">{}</text>"##,
                escape(label)
            );
        }
    }
}

/// Stacked vertical bars: one bar per category, one segment per series.
pub fn stacked_bars(title: &str, description: &str, categories: &[String], series: &[Series]) -> String {
    let mut out = String::new();
    open(&mut out, title, description);
    let totals: Vec<f64> = (0..categories.len())
        .map(|i| series.iter().map(|s| s.values.get(i).copied().flatten().unwrap_or(0.0)).sum())
        .collect();
    let max = nice_max(totals.iter().copied().fold(0.0, f64::max));
    axes(&mut out, max, false);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = (WIDTH - LEFT - RIGHT) / categories.len().max(1) as f64;
    let bar = (slot * 0.7).min(60.0);
    for (i, category) in categories.iter().enumerate() {
        let mut base = TOP + plot_h;
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        for s in series {
            let value = s.values.get(i).copied().flatten().unwrap_or(0.0);
            if value <= 0.0 {
                continue;
            }
            let h = plot_h * value / max;
            base -= h;
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{base:.1}" width="{bar:.1}" height="{h:.1}" fill="{c}"><title>{cat}: {v} {l}</title></rect>"#,
                c = s.color,
                cat = escape(category),
                v = value,
                l = escape(&s.label)
            );
        }
    }
    category_labels(&mut out, categories, slot);
    legend(&mut out, series);
    out.push_str("</svg>");
    out
}

/// Lines over numbered categories (years); gaps where a value is missing. `percent`
/// draws the axis from 0 to 100 %.
pub fn lines(title: &str, description: &str, categories: &[String], series: &[Series], percent: bool) -> String {
    let mut out = String::new();
    open(&mut out, title, description);
    let max = if percent {
        1.0
    } else {
        nice_max(series.iter().flat_map(|s| s.values.iter().flatten().copied()).fold(0.0, f64::max))
    };
    axes(&mut out, max, percent);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = (WIDTH - LEFT - RIGHT) / categories.len().max(1) as f64;
    for s in series {
        let mut path = String::new();
        let mut pen_down = false;
        for (i, value) in s.values.iter().enumerate() {
            let x = LEFT + slot * (i as f64 + 0.5);
            match value {
                Some(v) => {
                    let y = TOP + plot_h - plot_h * (v / max);
                    let _ = write!(path, "{}{x:.1},{y:.1} ", if pen_down { "L" } else { "M" });
                    let _ = write!(
                        out,
                        r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{c}"><title>{l}, {cat}: {val}</title></circle>"#,
                        c = s.color,
                        l = escape(&s.label),
                        cat = escape(&categories[i]),
                        val = if percent { format!("{:.0}%", v * 100.0) } else { format!("{v}") }
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(out, r#"<path d="{}" fill="none" stroke="{}" stroke-width="2"/>"#, path.trim_end(), s.color);
    }
    category_labels(&mut out, categories, slot);
    legend(&mut out, series);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_the_markup_is_one_svg() {
        let svg = stacked_bars(
            "<b>",
            "d",
            &["A&B".to_string()],
            &[Series { label: "x\"y".into(), color: YES, values: vec![Some(3.0)] }],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(
            !svg.contains("<b>") && svg.contains("&lt;b&gt;") && svg.contains("A&amp;B") && svg.contains("x&quot;y")
        );
        let line = lines(
            "t",
            "d",
            &["2000".into(), "2001".into()],
            &[Series { label: "s".into(), color: ACCENT, values: vec![Some(0.5), None] }],
            true,
        );
        assert!(line.contains("50%"));
    }

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(nice_max(177.0), 200.0);
        assert_eq!(nice_max(23.0), 25.0);
        assert_eq!(nice_max(0.0), 1.0);
    }
}
