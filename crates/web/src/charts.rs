//! Server-rendered SVG charts for the workspace's figures, readable without JavaScript. A chart
//! only draws: the numbers are always in a table beside it, so the drawing is hidden from
//! screen readers (`aria-hidden`) and carries no text. The markup is fixed by snapshot tests
//! (`tests/api/charts.rs` against `tests/snapshots/*.svg`).

/// The bar colour of our own figures (the board's primary colour) and of the others.
const OWN: &str = "#154273";
const OTHER: &str = "#6b6b6b";
/// The target mark over a column (the norm dashboard).
const TARGET: &str = "#000000";

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
    let steps = (max - min).max(f64::EPSILON).round().max(1.0) as usize;
    column_chart(values, min, max, steps).svg()
}

/// Columns as [`columns`] with a line at every quarter of the scale, and over each column a
/// short black mark at its target (which may differ per column: the norm valid that week).
pub fn columns_with_targets(values: &[Option<f64>], targets: &[f64], min: f64, max: f64) -> String {
    let mut chart = column_chart(values, min, max, 4);
    let span = (max - min).max(f64::EPSILON);
    for (i, t) in targets.iter().enumerate() {
        let y = COLUMN_HEIGHT - (((t - min) / span).clamp(0.0, 1.0) * COLUMN_HEIGHT as f64).round() as usize;
        chart.bars.push(Bar {
            x: i * COLUMN_STEP,
            y: y.saturating_sub(1),
            width: COLUMN_STEP,
            height: 2,
            fill: TARGET,
        });
    }
    chart.svg()
}

/// Two series side by side per period, each on its own fixed scale from 0 (e.g. a percentage
/// up to 100 beside a grade up to 10) drawn to the same height, with a line at every quarter:
/// the first series left in the primary colour, the second right in grey. A missing value draws
/// a short dash of its colour on the base line (the overview's norm beside satisfaction).
pub fn paired_columns(first: &[Option<f64>], first_max: f64, second: &[Option<f64>], second_max: f64) -> String {
    const HEIGHT: usize = COLUMN_HEIGHT;
    const STEP: usize = COLUMN_STEP;
    const BAR: usize = 8;
    let periods = first.len().max(second.len());
    let width = periods.max(1) * STEP;
    let lines = (0..=4).map(|s| HEIGHT - (s * HEIGHT) / 4).collect();
    let bar = |x: usize, v: Option<f64>, max: f64, fill: &'static str| match v {
        Some(v) => {
            let h = ((v / max.max(f64::EPSILON)).clamp(0.0, 1.0) * HEIGHT as f64).round() as usize;
            Bar { x, y: HEIGHT - h, width: BAR, height: h, fill }
        }
        None => Bar { x, y: HEIGHT - 2, width: BAR, height: 2, fill },
    };
    let mut bars = Vec::with_capacity(periods * 2);
    for i in 0..periods {
        let x = i * STEP + (STEP - 2 * BAR) / 2;
        bars.push(bar(x, first.get(i).copied().flatten(), first_max, OWN));
        bars.push(bar(x + BAR, second.get(i).copied().flatten(), second_max, OTHER));
    }
    let view_box = Some(format!("0 0 {width} {}", HEIGHT + 1));
    Chart { class: Some("grafiek"), width, height: HEIGHT + 1, view_box, lines, bars }.svg()
}

const COLUMN_HEIGHT: usize = 100;
const COLUMN_STEP: usize = 24;

/// The geometry of a column chart with `steps` lines above the base line.
fn column_chart(values: &[Option<f64>], min: f64, max: f64, steps: usize) -> Chart {
    const HEIGHT: usize = COLUMN_HEIGHT;
    const STEP: usize = COLUMN_STEP;
    const BAR: usize = 16;
    let width = values.len().max(1) * STEP;
    let span = (max - min).max(f64::EPSILON);
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
    Chart { class: Some("grafiek"), width, height: HEIGHT + 1, view_box, lines, bars }
}
