//! Physical line numbers for CSV records: the csv crate's own count drifts on CRLF files and blank lines.

use std::collections::VecDeque;
use std::io::{self, Read};

/// Notes where line breaks pass on their way to the CSV parser, so a record's byte
/// offset can be turned into the line a spreadsheet user sees. Only breaks inside
/// the parser's read-ahead are kept, so memory stays flat however long the file is.
pub(super) struct LineTracker<R> {
    inner: R,
    /// Bytes handed out so far.
    offset: u64,
    /// Breaks handed out but not yet passed by a record: (offset, length 1 or 2 for CRLF).
    breaks: VecDeque<(u64, u64)>,
    /// A CR that may turn out to be the first half of a CRLF.
    pending_cr: Option<u64>,
    /// Breaks before the last record looked up.
    passed: u64,
}

impl<R> LineTracker<R> {
    pub(super) fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            breaks: VecDeque::new(),
            pending_cr: None,
            passed: 0,
        }
    }

    /// The 1-based line of a record whose position the csv crate reports as `start`.
    /// That position is where the parser stood before the record, which can be on the
    /// previous line's terminator or before blank lines, so breaks right at it are skipped.
    /// Records must be looked up in file order.
    pub(super) fn line_of_record_at(&mut self, start: u64) -> u64 {
        // The parser has read past `start`, so a CR still pending there was not followed by LF.
        if let Some(cr) = self.pending_cr.filter(|&cr| cr <= start) {
            self.breaks.push_back((cr, 1));
            self.pending_cr = None;
        }
        let mut start = start;
        while let Some(&(at, len)) = self.breaks.front() {
            if at > start {
                break;
            }
            self.breaks.pop_front();
            self.passed += 1;
            start = start.max(at + len);
        }
        self.passed + 1
    }

    /// The line of the next byte not yet handed out: where a decoding error is.
    pub(super) fn current_line(&self) -> u64 {
        self.passed + self.breaks.len() as u64 + u64::from(self.pending_cr.is_some()) + 1
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &byte) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            match byte {
                b'\n' => match self.pending_cr.take() {
                    Some(cr) if cr + 1 == at => self.breaks.push_back((cr, 2)),
                    Some(cr) => self.breaks.extend([(cr, 1), (at, 1)]),
                    None => self.breaks.push_back((at, 1)),
                },
                b'\r' => {
                    if let Some(cr) = self.pending_cr.replace(at) {
                        self.breaks.push_back((cr, 1));
                    }
                }
                _ => {}
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first cell and line of every record, as the importer computes them.
    fn record_lines(text: &str) -> Vec<(String, u64)> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(3)
            .from_reader(LineTracker::new(text.as_bytes()));
        let mut record = csv::StringRecord::new();
        let mut lines = Vec::new();
        while csv.read_record(&mut record).expect("valid CSV") {
            let start = record.position().map_or(0, csv::Position::byte);
            let line = csv.get_mut().line_of_record_at(start);
            lines.push((record[0].replace(['\r', '\n'], "/"), line));
        }
        lines
    }

    fn expected(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
        pairs.iter().map(|&(cell, line)| (cell.to_owned(), line)).collect()
    }

    #[test]
    fn crlf_lf_and_cr_files_number_their_lines_alike() {
        for newline in ["\r\n", "\n", "\r"] {
            let text = ["h", "a", "b", "", "c", ""].join(newline);
            assert_eq!(
                record_lines(&text),
                expected(&[("h", 1), ("a", 2), ("b", 3), ("c", 5)]),
                "{newline:?}"
            );
        }
    }

    #[test]
    fn line_breaks_inside_quotes_count_as_lines() {
        let text = "h\r\n\"a\r\n\r\nx\",1\r\nb\r\n";
        assert_eq!(record_lines(text), expected(&[("h", 1), ("a////x", 2), ("b", 5)]));
    }

    #[test]
    fn blank_lines_before_the_header_are_counted() {
        assert_eq!(record_lines("\n\nh\na"), expected(&[("h", 3), ("a", 4)]));
    }

    #[test]
    fn the_current_line_is_the_line_of_the_next_byte() {
        let mut tracker = LineTracker::new("a\r\nb\nc".as_bytes());
        let mut all = Vec::new();
        tracker.read_to_end(&mut all).expect("reads");
        assert_eq!(tracker.current_line(), 3);
    }
}
