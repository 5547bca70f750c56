//! Server-rendered SVG charts for the workspace's figures, readable without JavaScript. A chart
//! only draws: the numbers are always in a table beside it, so the drawing is hidden from
//! screen readers (`aria-hidden`) and carries no text. The markup is fixed by snapshot tests
//! (`tests/api/charts.rs` against `tests/snapshots/*.svg`).

/// The bar colour of our own figures (the board's primary colour) and of the others.
const OWN: &str = "#154273";
const OTHER: &str = "#6b6b6b";

/// Horizontal bars, one row per value, scaled to the largest value (200 pixels); a missing
/// value draws no bar. The first bar is ours and has the primary colour (the comparison page).
pub fn horizontal_bars(values: &[Option<f64>]) -> String {
    const WIDTH: usize = 200;
    const STEP: usize = 14;
    let max = values.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
    let mut svg =
        format!("<svg width=\"{WIDTH}\" height=\"{}\" aria-hidden=\"true\" focusable=\"false\">", values.len() * STEP);
    for (i, v) in values.iter().enumerate() {
        let width = match v {
            Some(x) if max > 0.0 => ((x / max) * WIDTH as f64).round() as usize,
            _ => 0,
        };
        let fill = if i == 0 { OWN } else { OTHER };
        svg.push_str(&format!(
            "<rect x=\"0\" y=\"{}\" width=\"{width}\" height=\"10\" fill=\"{fill}\"></rect>",
            i * STEP
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Vertical bars over time, one column per period on the fixed scale `min..=max` (e.g. the
/// pulse's 1 to 5), with a base line and a line at every whole step of the scale. A missing
/// value (a hidden group) leaves its column empty but for a short dash on the base line.
pub fn columns(values: &[Option<f64>], min: f64, max: f64) -> String {
    const HEIGHT: usize = 100;
    const STEP: usize = 24;
    const BAR: usize = 16;
    let width = values.len().max(1) * STEP;
    let mut svg = format!(
        "<svg class=\"grafiek\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\" aria-hidden=\"true\" \
         focusable=\"false\">",
        HEIGHT + 1,
        HEIGHT + 1
    );
    let span = (max - min).max(f64::EPSILON);
    let steps = span.round().max(1.0) as usize;
    for s in 0..=steps {
        let y = HEIGHT - (s * HEIGHT) / steps;
        svg.push_str(&format!("<line x1=\"0\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#c8c8c8\"></line>"));
    }
    for (i, v) in values.iter().enumerate() {
        let x = i * STEP + (STEP - BAR) / 2;
        match v {
            Some(v) => {
                let h = (((v - min) / span).clamp(0.0, 1.0) * HEIGHT as f64).round() as usize;
                svg.push_str(&format!(
                    "<rect x=\"{x}\" y=\"{}\" width=\"{BAR}\" height=\"{h}\" fill=\"{OWN}\"></rect>",
                    HEIGHT - h
                ));
            }
            None => svg.push_str(&format!(
                "<rect x=\"{x}\" y=\"{}\" width=\"{BAR}\" height=\"2\" fill=\"{OTHER}\"></rect>",
                HEIGHT - 2
            )),
        }
    }
    svg.push_str("</svg>");
    svg
}
