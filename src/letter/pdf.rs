//! Letters and reports as print-ready PDF: the layout's pages drawn in IPAex明朝 with printpdf.
//!
//! The font is embedded once per document, cut down to the characters that document uses: a
//! one-page letter needs a few hundred of the font's 12,000 glyphs, and a batch of thousands of
//! letters shares one font program. printpdf subsets only with its `text_layout` feature, which
//! pulls in a whole HTML layout engine; allsorts (printpdf's own font library) does the cut here,
//! and printpdf embeds the result as it is and writes the /ToUnicode map that keeps text extractable.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use printpdf::{
    FontId, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem, TextMatrix,
};

use super::LetterContent;
use super::layout::{PAGE_HEIGHT, PAGE_WIDTH, Page, lay_out_letter, lay_out_report};

/// IPAex明朝 (IPA Font License, `public/fonts/IPA_Font_License_Agreement_v1.0.txt`). Compiled
/// into the binary rather than read from the site's assets: the command line and the tests run
/// without a built site, and a letter must never depend on a file that might be missing or
/// swapped at run time.
const FONT_FILE: &[u8] = include_bytes!("../../public/fonts/ipaexm.ttf");

/// Printed instead of a character the font lacks: 〓 (ゲタ) is the typesetter's mark for a
/// missing kanji, so the mail room sees that a name needs writing by hand.
const MISSING: char = '〓';

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font cannot be read")]
    Font,
    #[error("the font cannot be cut down to the characters used: {0}")]
    Subset(String),
    #[error("the PDF cannot be written: {0}")]
    Write(String),
}

/// The whole font, parsed once per process for its widths and glyph numbers.
fn full_font() -> Result<&'static ParsedFont, PdfError> {
    static FONT: OnceLock<Option<ParsedFont>> = OnceLock::new();
    FONT.get_or_init(|| ParsedFont::from_bytes(FONT_FILE, 0, &mut Vec::new()))
        .as_ref()
        .ok_or(PdfError::Font)
}

/// A character's advance as a fraction of the font size; a missing one is measured as 〓.
fn em(font: &ParsedFont, c: char) -> f32 {
    let advance = font
        .lookup_glyph_index(u32::from(c))
        .or_else(|| font.lookup_glyph_index(u32::from(MISSING)))
        .and_then(|glyph| font.get_glyph_width(glyph))
        .unwrap_or(font.units_per_em);
    f32::from(advance) / f32::from(font.units_per_em)
}

/// `text` with every character the font cannot draw replaced by 〓. Newlines stay (the layout
/// breaks lines there), a tab becomes a space and a carriage return goes.
fn printable(font: &ParsedFont, text: &str) -> String {
    text.chars()
        .filter(|&c| c != '\r')
        .map(|c| match c {
            '\n' => c,
            '\t' => ' ',
            _ if font.lookup_glyph_index(u32::from(c)).is_some() => c,
            _ => MISSING,
        })
        .collect()
}

fn printable_letter(font: &ParsedFont, letter: &LetterContent) -> LetterContent {
    let all = |lines: &[String]| lines.iter().map(|line| printable(font, line)).collect();
    LetterContent {
        date_line: printable(font, &letter.date_line),
        recipient: super::LetterRecipient {
            postal_line: printable(font, &letter.recipient.postal_line),
            address_lines: all(&letter.recipient.address_lines),
            name_line: printable(font, &letter.recipient.name_line),
        },
        sender_lines: all(&letter.sender_lines),
        title: printable(font, &letter.title),
        body: all(&letter.body),
        closing: printable(font, &letter.closing),
        notes: all(&letter.notes),
        footer: printable(font, &letter.footer),
    }
}

/// A batch: one PDF, the letters in the order given.
#[derive(Debug)]
pub struct LetterBatch {
    pub pdf: Vec<u8>,
    /// For each letter, the page (1-based) it starts on.
    pub first_pages: Vec<u32>,
    pub pages: u32,
}

/// One letter as a PDF file.
pub fn render_letter(letter: &LetterContent) -> Result<Vec<u8>, PdfError> {
    render_letters([letter.clone()], "letter", |_| {}).map(|batch| batch.pdf)
}

/// Many letters in one PDF, in the order given. `progress` hears how many are laid out so far.
pub fn render_letters(
    letters: impl IntoIterator<Item = LetterContent>,
    title: &str,
    mut progress: impl FnMut(usize),
) -> Result<LetterBatch, PdfError> {
    let font = full_font()?;
    let mut drawing = Drawing::default();
    let mut first_pages = Vec::new();
    for letter in letters {
        first_pages.push(u32::try_from(drawing.pages.len() + 1).unwrap_or(u32::MAX));
        for page in lay_out(font, &letter) {
            drawing.add(page);
        }
        progress(first_pages.len());
    }
    let page_count = u32::try_from(drawing.pages.len()).unwrap_or(u32::MAX);
    Ok(LetterBatch {
        pdf: drawing.finish(title)?,
        first_pages,
        pages: page_count,
    })
}

/// The page (1-based) each letter would start on in a batch of them, without drawing anything:
/// the mailing list's page numbers, at a fraction of the cost of the PDF.
pub fn first_pages(letters: impl IntoIterator<Item = LetterContent>) -> Result<Vec<u32>, PdfError> {
    let font = full_font()?;
    let mut next = 1;
    Ok(letters
        .into_iter()
        .map(|letter| {
            let first = next;
            next += u32::try_from(lay_out(font, &letter).len()).unwrap_or(u32::MAX);
            first
        })
        .collect())
}

fn lay_out(font: &ParsedFont, letter: &LetterContent) -> Vec<Page> {
    lay_out_letter(&printable_letter(font, letter), &|c| em(font, c))
}

/// A plain document of headed sections (the regulator's report), with page numbers, in the same font.
pub fn render_report(title: &str, sections: &[(String, String)]) -> Result<Vec<u8>, PdfError> {
    let font = full_font()?;
    let sections: Vec<(String, String)> = sections
        .iter()
        .map(|(heading, text)| (printable(font, heading), printable(font, text)))
        .collect();
    let mut drawing = Drawing::default();
    for page in lay_out_report(&printable(font, title), &sections, &|c| em(font, c)) {
        drawing.add(page);
    }
    drawing.finish(title)
}

/// printpdf pages made from laid-out pages as they come, so a batch never holds both at once,
/// and the characters they use, for the font subset made at the end.
struct Drawing {
    /// The font's name in the pages; the font itself is added once every character is known.
    font_id: FontId,
    used: BTreeSet<char>,
    pages: Vec<PdfPage>,
}

impl Default for Drawing {
    fn default() -> Self {
        Self {
            font_id: FontId::new(),
            used: BTreeSet::new(),
            pages: Vec::new(),
        }
    }
}

impl Drawing {
    /// Consecutive lines at the same left edge and spacing take one `'` operator each (next line,
    /// show text) instead of a placement and a show: half the operations a batch holds in memory.
    fn add(&mut self, page: Page) {
        let mut ops = Vec::with_capacity(page.lines.len() + 8);
        ops.push(Op::StartTextSection);
        let mut size = 0.0;
        // Left edge and baseline of the last line, and the leading the PDF's TL holds.
        let mut last: Option<(f32, f32)> = None;
        let mut leading = 0.0;
        for line in page.lines {
            self.used.extend(line.text.chars());
            if line.size != size {
                size = line.size;
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(self.font_id.clone()),
                    size: Pt(size),
                });
            }
            match last {
                Some((x, y)) if x == line.x && line.y > y => {
                    let drop = line.y - y;
                    if drop != leading {
                        leading = drop;
                        ops.push(Op::SetLineHeight { lh: Pt(leading) });
                    }
                    ops.push(Op::MoveToNextLineShowText { text: line.text });
                }
                _ => {
                    // Tm places a line absolutely (Td would move relative to the last one).
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(line.x), Pt(PAGE_HEIGHT - line.y)),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(line.text)],
                    });
                }
            }
            last = Some((line.x, line.y));
        }
        ops.push(Op::EndTextSection);
        self.pages
            .push(PdfPage::new(Mm::from(Pt(PAGE_WIDTH)), Mm::from(Pt(PAGE_HEIGHT)), ops));
    }

    /// The PDF, with the font cut down to exactly the characters used.
    fn finish(self, title: &str) -> Result<Vec<u8>, PdfError> {
        let font = subset_font(full_font()?, &self.used)?;
        let mut document = PdfDocument::new(title);
        document.resources.fonts.map.insert(self.font_id, PdfFont::new(font));
        document.with_pages(self.pages);
        let options = PdfSaveOptions {
            optimize: true,
            // Already subset above; printpdf would embed all 7.8 MB of the font otherwise.
            subset_fonts: false,
            secure: true,
            image_optimization: None,
        };
        // `save` would keep every page's operations alive until the file is written; converting
        // first lets them go before the streams are compressed (6,860 letters: 438 → 414 MB peak).
        let mut pdf = document.to_lopdf_document(&options, &mut Vec::new());
        drop(document);
        pdf.compress();
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes)
            .map_err(|error| PdfError::Write(error.to_string()))?;
        Ok(bytes)
    }
}

/// The font cut down to `chars` (and .notdef), parsed again so printpdf maps text to the new glyph numbers.
fn subset_font(font: &ParsedFont, chars: &BTreeSet<char>) -> Result<ParsedFont, PdfError> {
    let glyphs: BTreeMap<u16, ()> = chars
        .iter()
        .filter_map(|&c| font.lookup_glyph_index(u32::from(c)))
        .map(|glyph| (glyph, ()))
        .collect();
    // allsorts wants .notdef first and no duplicates.
    let ids: Vec<u16> = std::iter::once(0)
        .chain(glyphs.into_keys().filter(|&glyph| glyph != 0))
        .collect();
    let file = ReadScope::new(FONT_FILE)
        .read::<FontData<'_>>()
        .map_err(|error| PdfError::Subset(error.to_string()))?;
    let provider = file
        .table_provider(0)
        .map_err(|error| PdfError::Subset(error.to_string()))?;
    let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|error| PdfError::Subset(error.to_string()))?;
    let bytes = unhinted(&bytes).ok_or_else(|| PdfError::Subset("malformed glyph table".to_owned()))?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).ok_or(PdfError::Font)
}

/// The font without its hinting: IPAex's glyphs carry TrueType instructions (about 40% of their
/// bytes) that only help a screen rasterise small sizes. Printers and PDF viewers at print size
/// do not need them, and dropping them is what keeps a one-page letter under 60 KB. The `name`
/// table (2 KB of copyright strings) goes too: a PDF names its fonts itself.
fn unhinted(font: &[u8]) -> Option<Vec<u8>> {
    let tables = sfnt_tables(font)?;
    let table = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, data)| *data);
    let head = table(b"head")?;
    let long_offsets = read_u16(head, 50)? == 1;
    let loca = table(b"loca")?;
    let glyf = table(b"glyf")?;
    let count = loca.len() / if long_offsets { 4 } else { 2 } - 1;
    let offset = |index: usize| -> Option<usize> {
        if long_offsets {
            read_u32(loca, index * 4).map(|at| at as usize)
        } else {
            read_u16(loca, index * 2).map(|at| usize::from(at) * 2)
        }
    };
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity((count + 1) * 4);
    for index in 0..count {
        new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
        let glyph = glyf.get(offset(index)?..offset(index + 1)?)?;
        if !glyph.is_empty() {
            new_glyf.extend_from_slice(&glyph_without_instructions(glyph)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
    let mut new_head = head.to_vec();
    // checkSumAdjustment is recomputed by nobody who reads an embedded font; long offsets from here on.
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    new_head.get_mut(50..52)?.copy_from_slice(&1u16.to_be_bytes());
    let mut kept: Vec<([u8; 4], Vec<u8>)> = tables
        .iter()
        .filter(|(tag, _)| tag != b"name")
        .map(|(tag, data)| {
            let data = match tag {
                b"glyf" => std::mem::take(&mut new_glyf),
                b"loca" => std::mem::take(&mut new_loca),
                b"head" => std::mem::take(&mut new_head),
                _ => data.to_vec(),
            };
            (*tag, data)
        })
        .collect();
    kept.sort_by_key(|(tag, _)| *tag);
    Some(write_sfnt(&kept))
}

/// A glyph with its instructions removed: a simple glyph's instruction bytes, or a composite's
/// trailing instructions and the flag announcing them.
fn glyph_without_instructions(glyph: &[u8]) -> Option<Vec<u8>> {
    let contours = i16::from_be_bytes([*glyph.first()?, *glyph.get(1)?]);
    if let Ok(contours) = usize::try_from(contours) {
        let length_at = 10 + 2 * contours;
        let instructions = usize::from(read_u16(glyph, length_at)?);
        let mut out = glyph.get(..length_at)?.to_vec();
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(length_at + 2 + instructions..)?);
        return Some(out);
    }
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_X_AND_Y_SCALE: u16 = 0x0040;
    const HAVE_TWO_BY_TWO: u16 = 0x0080;
    const HAVE_INSTRUCTIONS: u16 = 0x0100;
    let mut out = glyph.get(..10)?.to_vec();
    let mut at = 10;
    loop {
        let flags = read_u16(glyph, at)?;
        let mut length = 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        if flags & HAVE_SCALE != 0 {
            length += 2;
        } else if flags & HAVE_X_AND_Y_SCALE != 0 {
            length += 4;
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            length += 8;
        }
        let start = out.len();
        out.extend_from_slice(glyph.get(at..at + length)?);
        out.get_mut(start..start + 2)?
            .copy_from_slice(&(flags & !HAVE_INSTRUCTIONS).to_be_bytes());
        at += length;
        if flags & MORE_COMPONENTS == 0 {
            return Some(out);
        }
    }
}

fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The tables of an sfnt file, by tag.
fn sfnt_tables(font: &[u8]) -> Option<Vec<([u8; 4], &[u8])>> {
    let count = usize::from(read_u16(font, 4)?);
    (0..count)
        .map(|index| {
            let record = 12 + 16 * index;
            let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
            let offset = read_u32(font, record + 8)? as usize;
            let length = read_u32(font, record + 12)? as usize;
            Some((tag, font.get(offset..offset + length)?))
        })
        .collect()
}

/// An sfnt file of `tables` (sorted by tag), each padded to four bytes with its checksum.
fn write_sfnt(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let count = u16::try_from(tables.len()).unwrap_or(u16::MAX);
    let power = 1u16 << (15 - count.max(1).leading_zeros());
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(power * 16).to_be_bytes());
    out.extend_from_slice(&(power.trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&(count * 16 - power * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables {
        let checksum = data.chunks(4).fold(0u32, |sum, chunk| {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            sum.wrapping_add(u32::from_be_bytes(word))
        });
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum.to_be_bytes());
        out.extend_from_slice(&u32::try_from(offset).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::LetterRecipient;

    fn sample(paragraphs: usize) -> LetterContent {
        LetterContent {
            date_line: "平成29年12月22日".into(),
            recipient: LetterRecipient {
                postal_line: "〒970-8555".into(),
                address_lines: vec!["福島県いわき市常磐藤原町蕨平50".into(), "ハワイアンズ101号".into()],
                name_line: "髙橋 花子 様".into(),
            },
            sender_lines: vec![
                "常磐興産株式会社".into(),
                "代表取締役社長 井上直美".into(),
                "お客様特別相談窓口 0120-034-294".into(),
            ],
            title: "不正アクセスによる個人情報流出に関するお詫びとお知らせ".into(),
            body: (0..paragraphs)
                .map(|_| "このたびは、弊社が運営する公式ショッピングサイト「ハワイアンズモール」において、お客様のクレジットカード情報が流出した可能性があることが判明いたしました。多大なるご迷惑とご心配をおかけいたしますことを、深くお詫び申し上げます。".into())
                .collect(),
            closing: "謹白".into(),
            notes: vec![
                "受付番号　K7QX-3MHT-9PABF".into(),
                "お客様特別相談窓口　0120-034-294".into(),
            ],
            footer: "K7QX-3MHT-9PABF apology-letter v1".into(),
        }
    }

    #[test]
    fn a_one_page_letter_embeds_only_the_characters_it_uses() {
        let pdf = render_letter(&sample(4)).expect("render");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 60_000, "{} bytes", pdf.len());
    }

    #[test]
    fn a_batch_shares_one_font_so_a_hundred_letters_cost_far_less_than_a_hundred_files() {
        let one = render_letter(&sample(4)).expect("render").len();
        let batch = render_letters((0..100).map(|_| sample(4)), "batch", |_| {}).expect("render");
        assert_eq!(batch.first_pages.len(), 100);
        assert_eq!(batch.first_pages[1], batch.first_pages[0] + batch.pages / 100);
        assert!(batch.pdf.len() < 100 * one / 5, "{} vs {one}", batch.pdf.len());
    }

    #[test]
    fn a_character_the_font_lacks_is_printed_as_geta_and_newlines_stay() {
        let font = full_font().expect("font");
        assert_eq!(printable(font, "山田\u{E000}"), "山田〓");
        assert_eq!(printable(font, "一行目\r\n二行目\t終"), "一行目\n二行目 終");
    }

    #[test]
    fn a_report_renders_with_page_numbers() {
        let sections = vec![("概要".to_owned(), "本文".repeat(2000))];
        let pdf = render_report("報告書", &sections).expect("render");
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
