//! The programme dashboard's figures and its charts, drawn as SVG text on the server.

use std::fmt::Write;

use serde::{Deserialize, Serialize};
use time::Date;

use super::state::{RefundState, ReissueState};
use super::yen::Yen;

/// "Where do we stand": every number on the dashboard, counted in one pass over the database.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeFigures {
    pub affected: u64,
    /// Customers with an email the mail server accepted and that did not bounce.
    pub notified_by_email: u64,
    /// Customers with a letter handed to the post and not returned.
    pub notified_by_letter: u64,
    /// Customers with neither.
    pub not_reached: u64,
    /// Customers whose email bounced and who were not reached by any channel since.
    pub bounced_outstanding: u64,
    /// Customers whose letter came back and who were not reached by any channel since.
    pub returned_outstanding: u64,
    pub reissue: Vec<(ReissueState, u64)>,
    pub refund: Vec<(RefundState, u64)>,
    pub refunded_total: Yen,
    pub refund_in_progress_total: Yen,
    /// Cumulative customers reached by email and by letter, per day.
    pub notification_progress: Vec<Series>,
    /// Customers in each reissue state after the events of each day.
    pub reissue_progress: Vec<Series>,
    pub refund_progress: Vec<Series>,
}

/// One line of a chart: a value per day, in date order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub label: String,
    pub points: Vec<(Date, u64)>,
}

/// Colours that stay apart for colour-blind readers (Okabe–Ito); lines also differ in dash.
const COLOURS: [&str; 4] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A line chart as an accessible SVG document: `role="img"` with a title and description that
/// say what it shows; the page prints the same numbers in a table beside it.
pub fn line_chart(id: &str, title: &str, description: &str, series: &[Series]) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 240.0;
    const LEFT: f64 = 56.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 48.0;
    let days = series.iter().flat_map(|line| line.points.iter().map(|(day, _)| *day));
    let first = days.clone().min();
    let last = days.max();
    let top_value = series
        .iter()
        .flat_map(|line| line.points.iter().map(|(_, value)| *value))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\"><title id=\"{id}-title\">{}</title>\
         <desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#555\"/>\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{b}\" stroke=\"#555\"/>\
         <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"12\">{top_value}</text>\
         <text x=\"{tx}\" y=\"{b}\" text-anchor=\"end\" font-size=\"12\">0</text>",
        b = TOP + plot_height,
        r = LEFT + plot_width,
        tx = LEFT - 6.0,
        ty = TOP + 4.0,
    );
    if let (Some(first), Some(last)) = (first, last) {
        let span = ((last - first).whole_days().max(1)) as f64;
        let x = |day: Date| LEFT + plot_width * ((day - first).whole_days() as f64) / span;
        let y = |value: u64| TOP + plot_height * (1.0 - value as f64 / top_value as f64);
        let _ = write!(
            svg,
            "<text x=\"{LEFT}\" y=\"{d}\" font-size=\"12\">{first}</text>\
             <text x=\"{r}\" y=\"{d}\" font-size=\"12\" text-anchor=\"end\">{last}</text>",
            d = TOP + plot_height + 16.0,
            r = LEFT + plot_width,
        );
        for (index, line) in series.iter().enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            let dash = DASHES[index % DASHES.len()];
            // A count stays what it was until it next changes: the line runs on to the chart's last day.
            let held = line.points.last().map(|(_, value)| (last, *value));
            let points: Vec<String> = line
                .points
                .iter()
                .copied()
                .chain(held)
                .map(|(day, value)| format!("{:.1},{:.1}", x(day), y(value)))
                .collect();
            let _ = write!(
                svg,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" points=\"{}\"/>",
                points.join(" ")
            );
            let legend_x = LEFT + 150.0 * index as f64;
            let _ = write!(
                svg,
                "<line x1=\"{legend_x}\" y1=\"{ly}\" x2=\"{lx2}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\" \
                 stroke-dasharray=\"{dash}\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"12\">{}</text>",
                escape(&line.label),
                ly = HEIGHT - 12.0,
                lx2 = legend_x + 20.0,
                tx = legend_x + 24.0,
                ty = HEIGHT - 8.0,
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Running totals from per-day changes, one point per day that had a change.
pub fn cumulate(changes: impl IntoIterator<Item = (Date, i64)>) -> Vec<(Date, u64)> {
    let mut total: i64 = 0;
    changes
        .into_iter()
        .map(|(day, delta)| {
            total += delta;
            (day, u64::try_from(total).unwrap_or(0))
        })
        .collect()
}

/// The chart's numbers as table rows: every day any series changed, with each series' value on
/// that day (its last value before it, or 0 before its first).
pub fn table(series: &[Series]) -> Vec<(Date, Vec<u64>)> {
    let mut days: Vec<Date> = series
        .iter()
        .flat_map(|line| line.points.iter().map(|(day, _)| *day))
        .collect();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .map(|day| {
            let values = series
                .iter()
                .map(|line| {
                    line.points
                        .iter()
                        .take_while(|(at, _)| *at <= day)
                        .last()
                        .map_or(0, |(_, value)| *value)
                })
                .collect();
            (day, values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_chart_is_an_image_with_a_title_and_description_and_escapes_its_text() {
        let series = vec![Series {
            label: "再発行済 <new>".into(),
            points: vec![(date!(2017 - 07 - 12), 0), (date!(2017 - 08 - 01), 40)],
        }];
        let svg = line_chart("reissue", "再発行の進み", "7月から8月", &series);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"reissue-title\">再発行の進み</title>"));
        assert!(svg.contains("再発行済 &lt;new&gt;"));
        assert!(svg.contains("<polyline"));
    }

    #[test]
    fn an_empty_chart_is_still_a_valid_image() {
        let svg = line_chart("empty", "t", "d", &[]);
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<polyline"));
    }

    #[test]
    fn the_table_carries_each_series_forward_to_the_days_the_others_changed() {
        let series = vec![
            Series {
                label: "a".into(),
                points: vec![(date!(2017 - 07 - 01), 1), (date!(2017 - 07 - 03), 2)],
            },
            Series {
                label: "b".into(),
                points: vec![(date!(2017 - 07 - 02), 5)],
            },
        ];
        assert_eq!(
            table(&series),
            vec![
                (date!(2017 - 07 - 01), vec![1, 0]),
                (date!(2017 - 07 - 02), vec![1, 5]),
                (date!(2017 - 07 - 03), vec![2, 5]),
            ]
        );
    }

    #[test]
    fn running_totals_add_up_the_changes_of_each_day() {
        let changes = [
            (date!(2017 - 07 - 01), 3),
            (date!(2017 - 07 - 02), 2),
            (date!(2017 - 07 - 03), -1),
        ];
        assert_eq!(
            cumulate(changes),
            vec![
                (date!(2017 - 07 - 01), 3),
                (date!(2017 - 07 - 02), 5),
                (date!(2017 - 07 - 03), 4)
            ]
        );
    }
}
