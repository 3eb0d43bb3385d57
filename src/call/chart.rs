//! Bar charts for the desk's report, drawn as SVG text on the server so they show without JavaScript.

use std::fmt::Write;

/// One coloured part of each bar.
pub struct BarSeries<'a> {
    pub label: &'a str,
    pub values: Vec<u64>,
}

/// Colours that stay apart for colour-blind readers (Okabe–Ito), as on the dashboard.
const COLOURS: [&str; 2] = ["#0072B2", "#E69F00"];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A stacked bar chart, one bar per label, as an accessible SVG document (`role="img"` with a title
/// and description). Labels are thinned to fit; the page prints the numbers in a table beside it.
pub fn bar_chart(id: &str, title: &str, description: &str, labels: &[String], series: &[BarSeries<'_>]) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 240.0;
    const LEFT: f64 = 48.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 56.0;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let totals: Vec<u64> = (0..labels.len())
        .map(|index| series.iter().filter_map(|line| line.values.get(index)).sum())
        .collect();
    let top = totals.iter().copied().max().unwrap_or(0).max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\"><title id=\"{id}-title\">{}</title>\
         <desc id=\"{id}-desc\">{}</desc>\
         <line x1=\"{LEFT}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#555\"/>\
         <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"12\">{top}</text>\
         <text x=\"{tx}\" y=\"{b}\" text-anchor=\"end\" font-size=\"12\">0</text>",
        escape(title),
        escape(description),
        b = TOP + plot_height,
        r = LEFT + plot_width,
        tx = LEFT - 6.0,
        ty = TOP + 4.0,
    );
    if !labels.is_empty() {
        let slot = plot_width / labels.len() as f64;
        // At most 48 units wide, so a range of one day does not draw one slab.
        let bar = (slot * 0.7).clamp(1.0, 48.0);
        // At most about 12 labels under the axis, so they do not overlap.
        let every = labels.len().div_ceil(12).max(1);
        for (index, label) in labels.iter().enumerate() {
            let x = LEFT + slot * index as f64 + (slot - bar) / 2.0;
            let mut base = TOP + plot_height;
            for (number, line) in series.iter().enumerate() {
                let value = line.values.get(index).copied().unwrap_or(0);
                if value == 0 {
                    continue;
                }
                let height = plot_height * value as f64 / top as f64;
                base -= height;
                let _ = write!(
                    svg,
                    "<rect x=\"{x:.1}\" y=\"{base:.1}\" width=\"{bar:.1}\" height=\"{height:.1}\" fill=\"{}\">\
                     <title>{} {}: {value}</title></rect>",
                    COLOURS[number % COLOURS.len()],
                    escape(label),
                    escape(line.label),
                );
            }
            if index % every == 0 {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
                    x + bar / 2.0,
                    TOP + plot_height + 14.0,
                    escape(label)
                );
            }
        }
    }
    for (number, line) in series.iter().enumerate() {
        let x = LEFT + 170.0 * number as f64;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"12\">{}</text>",
            COLOURS[number % COLOURS.len()],
            escape(line.label),
            y = HEIGHT - 20.0,
            tx = x + 16.0,
            ty = HEIGHT - 9.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_is_an_accessible_svg_with_one_rect_per_non_zero_value() {
        let labels = vec!["12/27".to_owned(), "12/28".to_owned()];
        let svg = bar_chart(
            "per-day",
            "日別 <件数>",
            "受付時間内と時間外",
            &labels,
            &[
                BarSeries {
                    label: "時間内",
                    values: vec![3, 0],
                },
                BarSeries {
                    label: "時間外",
                    values: vec![1, 2],
                },
            ],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("日別 &lt;件数&gt;"));
        // Three bar parts plus two legend swatches.
        assert_eq!(svg.matches("<rect").count(), 5);
        assert!(svg.contains("12/28 時間外: 2"));
    }

    #[test]
    fn an_empty_chart_still_draws_its_axis() {
        let svg = bar_chart("empty", "t", "d", &[], &[]);
        assert!(svg.contains("<line"));
        assert!(!svg.contains("<rect"));
    }
}
