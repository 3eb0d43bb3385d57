//! Where every line of a letter (or a plain report) goes on A4 portrait paper: pure, so the PDF
//! side only draws what this decides, and tests can check positions and page breaks without a PDF.
//!
//! Units are points (1/72 inch); `y` is the baseline's distance from the top of the page. Widths
//! come from the caller's `em` function: a character's advance as a fraction of the font size.

use super::line_break::break_lines;
use super::{LetterContent, LetterRecipient};

const MM: f32 = 72.0 / 25.4;
pub const PAGE_WIDTH: f32 = 210.0 * MM;
pub const PAGE_HEIGHT: f32 = 297.0 * MM;

const LEFT: f32 = 25.0 * MM;
const RIGHT: f32 = PAGE_WIDTH - 25.0 * MM;
const TEXT_WIDTH: f32 = RIGHT - LEFT;
/// Text flows down to here; below it only the footer.
const FLOW_BOTTOM: f32 = PAGE_HEIGHT - 22.0 * MM;
/// Where text starts on a continuation page.
const CONTINUED_TOP: f32 = 25.0 * MM;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 12.0 * MM;

const BODY_SIZE: f32 = 10.5;
/// 1.7 times the size: the usual leading of a printed Japanese letter.
const BODY_LEADING: f32 = 18.0;
const PARAGRAPH_GAP: f32 = 4.0;
const TITLE_SIZE: f32 = 14.0;
const NAME_SIZE: f32 = 14.0;
const FOOTER_SIZE: f32 = 8.0;

/// The window of a 長形3号 envelope, on the top third of an A4 sheet folded in three: about 90 mm
/// wide from 20 mm in, 45 mm high from 12 mm down. The recipient block stays inside it with a
/// margin for the sheet shifting in the envelope.
const WINDOW_LEFT: f32 = 25.0 * MM;
const WINDOW_WIDTH: f32 = 85.0 * MM;
const POSTAL_BASELINE: f32 = 22.0 * MM;
/// The sender block starts below the window, on the right.
const SENDER_TOP: f32 = 66.0 * MM;

/// One line of text at its place.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    /// Left edge of the text, from the left of the page.
    pub x: f32,
    /// Baseline, from the top of the page.
    pub y: f32,
    pub size: f32,
    pub text: String,
}

/// One sheet's lines, in reading order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub lines: Vec<TextLine>,
}

/// How a line sits between the margins.
#[derive(Clone, Copy)]
enum Align {
    Left(f32),
    Centre,
    Right,
}

/// Fills pages from the top down, starting a new page when the next line would cross the bottom.
struct Flow<'a, W: Fn(char) -> f32> {
    em: &'a W,
    pages: Vec<Page>,
    /// Baseline of the last line placed.
    y: f32,
    /// Drawn at the top of every page after the first.
    continuation_header: Option<String>,
}

impl<'a, W: Fn(char) -> f32> Flow<'a, W> {
    fn new(em: &'a W, continuation_header: Option<String>) -> Self {
        Self {
            em,
            pages: vec![Page::default()],
            y: 0.0,
            continuation_header,
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| (self.em)(c) * size).sum()
    }

    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        break_lines(text, width, |c| (self.em)(c) * size)
    }

    fn place(&mut self, text: &str, size: f32, y: f32, align: Align) {
        let x = match align {
            Align::Left(x) => x,
            Align::Centre => (PAGE_WIDTH - self.width(text, size)) / 2.0,
            Align::Right => RIGHT - self.width(text, size),
        };
        if let Some(page) = self.pages.last_mut() {
            page.lines.push(TextLine {
                x,
                y,
                size,
                text: text.to_owned(),
            });
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = CONTINUED_TOP;
        if let Some(header) = self.continuation_header.clone() {
            self.place(&header, FOOTER_SIZE, self.y, Align::Left(LEFT));
            self.y += BODY_LEADING;
        }
    }

    /// Room for `height` more points of text below the current line on this page.
    fn fits(&self, height: f32) -> bool {
        self.y + height <= FLOW_BOTTOM
    }

    /// The next line, `leading` below the last, on a new page when it does not fit.
    fn line(&mut self, text: &str, size: f32, leading: f32, align: Align) {
        if !self.fits(leading) {
            self.new_page();
        }
        self.y += leading;
        self.place(text, size, self.y, align);
    }

    fn paragraph(&mut self, text: &str, size: f32, indent: f32, align: Align) {
        for line in self.wrap(text, size, TEXT_WIDTH - indent) {
            self.line(&line, size, BODY_LEADING, align);
        }
    }

    /// Writes `footer` small at the foot of every page, and "n/N" on the right when there is more than one.
    fn finish(mut self, footer: &str) -> Vec<Page> {
        let total = self.pages.len();
        let em = self.em;
        for (number, page) in self.pages.iter_mut().enumerate() {
            page.lines.push(TextLine {
                x: LEFT,
                y: FOOTER_BASELINE,
                size: FOOTER_SIZE,
                text: footer.to_owned(),
            });
            if total > 1 {
                let text = format!("{}/{total}", number + 1);
                let width: f32 = text.chars().map(|c| em(c) * FOOTER_SIZE).sum();
                page.lines.push(TextLine {
                    x: RIGHT - width,
                    y: FOOTER_BASELINE,
                    size: FOOTER_SIZE,
                    text,
                });
            }
        }
        self.pages
    }
}

/// A business letter in the usual order: date top right, the recipient in the envelope window,
/// the sender on the right, the title centred, the body, 謹白, then 記 … 以上 kept on one page.
pub fn lay_out_letter(letter: &LetterContent, em: &impl Fn(char) -> f32) -> Vec<Page> {
    let header = format!("{}　{}", letter.recipient.name_line, letter.title);
    let mut flow = Flow::new(em, Some(header));

    flow.place(&letter.date_line, BODY_SIZE, POSTAL_BASELINE - 7.0 * MM, Align::Right);
    recipient_block(&mut flow, &letter.recipient);

    flow.y = flow.y.max(SENDER_TOP - BODY_LEADING);
    for line in &letter.sender_lines {
        flow.line(line, BODY_SIZE, BODY_LEADING * 0.85, Align::Right);
    }

    flow.y += 10.0 * MM;
    for line in flow.wrap(&letter.title, TITLE_SIZE, TEXT_WIDTH) {
        flow.line(&line, TITLE_SIZE, TITLE_SIZE * 1.6, Align::Centre);
    }
    flow.y += 4.0 * MM;

    for paragraph in &letter.body {
        flow.paragraph(paragraph, BODY_SIZE, 0.0, Align::Left(LEFT));
        flow.y += PARAGRAPH_GAP;
    }
    if !letter.closing.is_empty() {
        flow.line(&letter.closing, BODY_SIZE, BODY_LEADING, Align::Right);
    }

    if !letter.notes.is_empty() {
        notes_block(&mut flow, &letter.notes);
    }
    flow.finish(&letter.footer)
}

/// 〒, the address on one or two lines (wrapped inside the window if longer), the name larger.
fn recipient_block<W: Fn(char) -> f32>(flow: &mut Flow<'_, W>, recipient: &LetterRecipient) {
    let left = Align::Left(WINDOW_LEFT);
    flow.y = POSTAL_BASELINE;
    flow.place(&recipient.postal_line, BODY_SIZE, flow.y, left);
    flow.y += 2.0 * MM;
    for address in &recipient.address_lines {
        for line in flow.wrap(address, BODY_SIZE, WINDOW_WIDTH) {
            flow.y += BODY_LEADING * 0.9;
            flow.place(&line, BODY_SIZE, flow.y, left);
        }
    }
    flow.y += 5.0 * MM;
    for line in flow.wrap(&recipient.name_line, NAME_SIZE, WINDOW_WIDTH) {
        flow.y += NAME_SIZE * 1.4;
        flow.place(&line, NAME_SIZE, flow.y, left);
    }
}

/// 記 centred, the notes indented, 以上 on the right; the whole block moves to the next page
/// rather than being split, so the reference code and the hotline are read together.
fn notes_block<W: Fn(char) -> f32>(flow: &mut Flow<'_, W>, notes: &[String]) {
    let indent = 4.0 * BODY_SIZE;
    let wrapped: Vec<String> = notes
        .iter()
        .flat_map(|note| flow.wrap(note, BODY_SIZE, TEXT_WIDTH - 2.0 * indent))
        .collect();
    let height = BODY_LEADING * (wrapped.len() as f32 + 4.0);
    if !flow.fits(height) {
        flow.new_page();
    }
    flow.y += BODY_LEADING;
    flow.line("記", BODY_SIZE, BODY_LEADING, Align::Centre);
    flow.y += BODY_LEADING * 0.5;
    for line in &wrapped {
        flow.line(line, BODY_SIZE, BODY_LEADING, Align::Left(LEFT + indent));
    }
    flow.line("以上", BODY_SIZE, BODY_LEADING * 1.5, Align::Right);
}

const REPORT_TITLE_SIZE: f32 = 16.0;
const HEADING_SIZE: f32 = 12.0;

/// A plain document: the title centred, then each section's heading and its text (a newline
/// starts a new line), with page numbers at the foot.
pub fn lay_out_report(title: &str, sections: &[(String, String)], em: &impl Fn(char) -> f32) -> Vec<Page> {
    let mut flow = Flow::new(em, Some(title.to_owned()));
    flow.y = 20.0 * MM;
    for line in flow.wrap(title, REPORT_TITLE_SIZE, TEXT_WIDTH) {
        flow.line(&line, REPORT_TITLE_SIZE, REPORT_TITLE_SIZE * 1.6, Align::Centre);
    }
    flow.y += 6.0 * MM;
    for (heading, text) in sections {
        // A heading is never the last line of a page: it moves down with two lines of its text.
        if !flow.fits(HEADING_SIZE * 2.0 + BODY_LEADING * 2.0) {
            flow.new_page();
        }
        flow.y += HEADING_SIZE;
        for line in flow.wrap(heading, HEADING_SIZE, TEXT_WIDTH) {
            flow.line(&line, HEADING_SIZE, HEADING_SIZE * 1.5, Align::Left(LEFT));
        }
        flow.y += 2.0;
        flow.paragraph(text, BODY_SIZE, BODY_SIZE, Align::Left(LEFT + BODY_SIZE));
    }
    let mut pages = flow.finish("");
    for page in &mut pages {
        page.lines.retain(|line| !line.text.is_empty());
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn em(c: char) -> f32 {
        if c.is_ascii() { 0.5 } else { 1.0 }
    }

    fn letter(paragraphs: usize) -> LetterContent {
        LetterContent {
            date_line: "平成29年12月22日".into(),
            recipient: LetterRecipient {
                postal_line: "〒970-8555".into(),
                address_lines: vec!["福島県いわき市常磐藤原町蕨平50".into()],
                name_line: "山田 太郎 様".into(),
            },
            sender_lines: vec![
                "常磐興産株式会社".into(),
                "代表取締役社長 井上直美".into(),
                "お客様特別相談窓口 0120-034-294".into(),
            ],
            title: "不正アクセスによる個人情報流出に関するお詫びとお知らせ".into(),
            body: (0..paragraphs)
                .map(|n| format!("第{n}段落。このたびは、弊社が運営する公式ショッピングサイト「ハワイアンズモール」において、お客様のクレジットカード情報が流出したことを深くお詫び申し上げます。"))
                .collect(),
            closing: "謹白".into(),
            notes: vec![
                "受付番号　K7QX-3MHT-9PABF".into(),
                "お客様特別相談窓口　0120-034-294".into(),
                "受付時間　9:30〜18:30（土日祝日を除く）".into(),
            ],
            footer: "K7QX-3MHT-9PABF / apology-letter v1".into(),
        }
    }

    fn all_text(pages: &[Page]) -> Vec<&str> {
        pages
            .iter()
            .flat_map(|page| page.lines.iter().map(|line| line.text.as_str()))
            .collect()
    }

    #[test]
    fn a_short_letter_fits_on_one_page_without_a_page_number() {
        let pages = lay_out_letter(&letter(3), &em);
        assert_eq!(pages.len(), 1);
        assert!(!all_text(&pages).contains(&"1/1"));
        assert!(all_text(&pages).contains(&"K7QX-3MHT-9PABF / apology-letter v1"));
    }

    #[test]
    fn the_recipient_block_sits_inside_the_envelope_window() {
        let pages = lay_out_letter(&letter(1), &em);
        for wanted in ["〒970-8555", "福島県いわき市常磐藤原町蕨平50", "山田 太郎 様"] {
            let line = pages[0].lines.iter().find(|line| line.text == wanted).expect(wanted);
            assert!(line.x >= 20.0 * MM && line.x <= 110.0 * MM, "{wanted} at x {}", line.x);
            assert!(line.y >= 12.0 * MM && line.y <= 57.0 * MM, "{wanted} at y {}", line.y);
        }
    }

    #[test]
    fn the_date_and_the_sender_are_right_aligned_and_the_title_centred() {
        let pages = lay_out_letter(&letter(1), &em);
        let find = |text: &str| {
            pages[0]
                .lines
                .iter()
                .find(|line| line.text == text)
                .cloned()
                .expect(text)
        };
        let right_edge = |line: &TextLine| line.x + line.text.chars().map(em).sum::<f32>() * line.size;
        assert!((right_edge(&find("平成29年12月22日")) - RIGHT).abs() < 0.01);
        assert!((right_edge(&find("常磐興産株式会社")) - RIGHT).abs() < 0.01);
        let title = find("不正アクセスによる個人情報流出に関するお詫びとお知らせ");
        assert!(((title.x + right_edge(&title)) / 2.0 - PAGE_WIDTH / 2.0).abs() < 0.01);
    }

    #[test]
    fn a_long_letter_continues_on_numbered_pages_with_the_footer_on_each() {
        let pages = lay_out_letter(&letter(30), &em);
        assert!(pages.len() >= 2);
        let total = pages.len();
        for (number, page) in pages.iter().enumerate() {
            let texts: Vec<&str> = page.lines.iter().map(|line| line.text.as_str()).collect();
            assert!(texts.contains(&format!("{}/{total}", number + 1).as_str()));
            assert!(texts.contains(&"K7QX-3MHT-9PABF / apology-letter v1"));
            for line in &page.lines {
                assert!(line.y <= PAGE_HEIGHT - 10.0 * MM, "{:?} below the paper", line.text);
            }
            if number > 0 {
                assert_eq!(
                    texts[0],
                    "山田 太郎 様　不正アクセスによる個人情報流出に関するお詫びとお知らせ"
                );
            }
        }
    }

    #[test]
    fn body_text_never_runs_into_the_footer() {
        let pages = lay_out_letter(&letter(30), &em);
        for line in pages.iter().flat_map(|page| &page.lines) {
            if line.size == BODY_SIZE {
                assert!(line.y <= FLOW_BOTTOM, "{:?}", line.text);
            }
        }
    }

    #[test]
    fn the_notes_block_is_never_split_across_pages() {
        for paragraphs in 1..40 {
            let pages = lay_out_letter(&letter(paragraphs), &em);
            let page_of = |text: &str| {
                pages
                    .iter()
                    .position(|page| page.lines.iter().any(|line| line.text == text))
            };
            let ki = page_of("記").expect("記");
            assert_eq!(
                page_of("受付番号　K7QX-3MHT-9PABF"),
                Some(ki),
                "{paragraphs} paragraphs"
            );
            assert_eq!(page_of("以上"), Some(ki), "{paragraphs} paragraphs");
        }
    }

    #[test]
    fn every_paragraph_is_placed_whole_and_in_order_across_pages() {
        let content = letter(12);
        let pages = lay_out_letter(&content, &em);
        let body_text: String = pages
            .iter()
            .flat_map(|page| &page.lines)
            .filter(|line| line.size == BODY_SIZE)
            .map(|line| line.text.as_str())
            .collect();
        let joined = content.body.concat();
        assert!(body_text.contains(&joined));
    }

    #[test]
    fn a_report_numbers_its_pages_and_keeps_every_heading_with_its_text() {
        let sections: Vec<(String, String)> = (0..30)
            .map(|n| (format!("{n}. 見出し"), "本文の行です。".repeat(40)))
            .collect();
        let pages = lay_out_report("個人情報保護委員会への報告", &sections, &em);
        assert!(pages.len() > 1);
        let total = pages.len();
        for (number, page) in pages.iter().enumerate() {
            assert!(
                page.lines
                    .iter()
                    .any(|line| line.text == format!("{}/{total}", number + 1))
            );
            let last_flowed = page
                .lines
                .iter()
                .rev()
                .find(|line| line.y <= FLOW_BOTTOM)
                .expect("text");
            assert_ne!(last_flowed.size, HEADING_SIZE, "a heading ends page {}", number + 1);
        }
    }
}
