//! Server-rendered SVG charts for the workspace's figures, readable without JavaScript. A chart
//! only draws: the numbers are always in a table beside it, so the drawing is hidden from
//! screen readers (`aria-hidden`) and carries no text. The markup is fixed by snapshot tests
//! (`tests/api/charts.rs` against `tests/snapshots/*.svg`).

/// The bar colour of our own figures (the board's primary colour) and of the others.
const OWN: &str = "#154273";
const OTHER: &str = "#6b6b6b";

/// A chart's drawing, rendered by `templates/charts/chart.svg`: lines across at the given
/// heights, then the bars.
#[derive(askama::Template)]
#[template(path = "charts/chart.svg", escape = "html")]
struct Chart {
    class: Option<&'static str>,
    width: usize,
    height: usize,
    view_box: Option<String>,
    lines: Vec<usize>,
    bars: Vec<Bar>,
}

struct Bar {
    x: usize,
    y: usize,
    width: usize,
    height: usize,
    fill: &'static str,
}

impl Chart {
    fn svg(&self) -> String {
        askama::Template::render(self).unwrap_or_default()
    }
}

/// Horizontal bars, one row per value, scaled to the largest value (200 pixels); a missing
/// value draws no bar. The first bar is ours and has the primary colour (the comparison page).
pub fn horizontal_bars(values: &[Option<f64>]) -> String {
    const WIDTH: usize = 200;
    const STEP: usize = 14;
    let max = values.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, v)| Bar {
            x: 0,
            y: i * STEP,
            width: match v {
                Some(x) if max > 0.0 => ((x / max) * WIDTH as f64).round() as usize,
                _ => 0,
            },
            height: 10,
            fill: if i == 0 { OWN } else { OTHER },
        })
        .collect();
    Chart { class: None, width: WIDTH, height: values.len() * STEP, view_box: None, lines: vec![], bars }.svg()
}

/// Vertical bars over time, one column per period on the fixed scale `min..=max` (e.g. the
/// pulse's 1 to 5), with a base line and a line at every whole step of the scale. A missing
/// value (a hidden group) leaves its column empty but for a short dash on the base line.
pub fn columns(values: &[Option<f64>], min: f64, max: f64) -> String {
    const HEIGHT: usize = 100;
    const STEP: usize = 24;
    const BAR: usize = 16;
    let width = values.len().max(1) * STEP;
    let span = (max - min).max(f64::EPSILON);
    let steps = span.round().max(1.0) as usize;
    let lines = (0..=steps).map(|s| HEIGHT - (s * HEIGHT) / steps).collect();
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = i * STEP + (STEP - BAR) / 2;
            match v {
                Some(v) => {
                    let h = (((v - min) / span).clamp(0.0, 1.0) * HEIGHT as f64).round() as usize;
                    Bar { x, y: HEIGHT - h, width: BAR, height: h, fill: OWN }
                }
                None => Bar { x, y: HEIGHT - 2, width: BAR, height: 2, fill: OTHER },
            }
        })
        .collect();
    let view_box = Some(format!("0 0 {width} {}", HEIGHT + 1));
    Chart { class: Some("grafiek"), width, height: HEIGHT + 1, view_box, lines, bars }.svg()
}
