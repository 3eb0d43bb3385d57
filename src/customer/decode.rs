//! A `Read` adapter that decodes UTF-8 or Shift_JIS to UTF-8 as the bytes stream past, so no file is ever held whole.

use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult, SHIFT_JIS, UTF_8};

use super::CsvEncoding;

/// Bytes read at a time; also how much of the file encoding detection looks at.
const CHUNK: usize = 64 * 1024;

/// The bytes at `offset` are not valid in the file's encoding. Decoding stops there
/// instead of writing U+FFFD: a silently garbled name would go onto a letter.
#[derive(Debug, thiserror::Error)]
#[error("byte {offset} is not valid {encoding}")]
pub(super) struct Undecodable {
    pub(super) encoding: CsvEncoding,
    pub(super) offset: u64,
}

pub(super) struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    encoding: CsvEncoding,
    input: Vec<u8>,
    input_pos: usize,
    input_at_end: bool,
    output: Vec<u8>,
    output_pos: usize,
    /// Reported once the text decoded before the bad bytes has been read.
    pending_error: Option<Undecodable>,
    finished: bool,
    bytes_decoded: u64,
}

impl<R: Read> DecodingReader<R> {
    /// Reads the first chunk to resolve [`CsvEncoding::Auto`]. The Shift_JIS decoder
    /// is encoding_rs's, which is Windows-31J (CP932) as Excel writes it.
    pub(super) fn new(mut inner: R, encoding: CsvEncoding) -> io::Result<Self> {
        let mut input = Vec::with_capacity(CHUNK);
        let input_at_end = fill(&mut inner, &mut input)?;
        let encoding = match encoding {
            CsvEncoding::Auto => CsvEncoding::detect(&input, input_at_end),
            chosen => chosen,
        };
        let decoder = match encoding {
            CsvEncoding::ShiftJis => SHIFT_JIS.new_decoder_without_bom_handling(),
            CsvEncoding::Utf8 | CsvEncoding::Auto => UTF_8.new_decoder_with_bom_removal(),
        };
        Ok(Self {
            inner,
            decoder,
            encoding,
            input,
            input_pos: 0,
            input_at_end,
            output: Vec::new(),
            output_pos: 0,
            pending_error: None,
            finished: false,
            bytes_decoded: 0,
        })
    }

    /// The encoding in use: never `Auto`.
    pub(super) fn encoding(&self) -> CsvEncoding {
        self.encoding
    }

    fn decode_next(&mut self) -> io::Result<()> {
        if self.input_pos == self.input.len() && !self.input_at_end {
            self.input.clear();
            self.input_pos = 0;
            self.input_at_end = fill(&mut self.inner, &mut self.input)?;
        }
        let src = &self.input[self.input_pos..];
        let capacity = self
            .decoder
            .max_utf8_buffer_length_without_replacement(src.len())
            .ok_or_else(|| io::Error::other("decoder buffer size overflow"))?;
        self.output.clear();
        self.output.resize(capacity, 0);
        self.output_pos = 0;
        let (result, read, written) =
            self.decoder
                .decode_to_utf8_without_replacement(src, &mut self.output, self.input_at_end);
        self.output.truncate(written);
        self.input_pos += read;
        self.bytes_decoded += read as u64;
        match result {
            DecoderResult::InputEmpty => self.finished = self.input_at_end,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                self.finished = true;
                self.pending_error = Some(Undecodable {
                    encoding: self.encoding,
                    offset: self.bytes_decoded.saturating_sub(u64::from(bad) + u64::from(after)),
                });
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let available = &self.output[self.output_pos..];
            if !available.is_empty() {
                let n = available.len().min(buf.len());
                buf[..n].copy_from_slice(&available[..n]);
                self.output_pos += n;
                return Ok(n);
            }
            if let Some(error) = self.pending_error.take() {
                return Err(io::Error::new(io::ErrorKind::InvalidData, error));
            }
            if self.finished {
                return Ok(0);
            }
            self.decode_next()?;
        }
    }
}

/// Appends up to [`CHUNK`] bytes; returns whether the reader is exhausted.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut filled = buf.len();
    buf.resize(CHUNK, 0);
    let at_end = loop {
        if filled == CHUNK {
            break Ok(false);
        }
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break Ok(true),
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => break Err(error),
        }
    };
    buf.truncate(filled);
    at_end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte per call, so every multi-byte character is split across reads.
    struct OneByteAtATime<'a>(&'a [u8]);

    impl Read for OneByteAtATime<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&byte, rest)), Some(slot)) => {
                    *slot = byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn decode_all(bytes: &[u8], encoding: CsvEncoding) -> (CsvEncoding, io::Result<String>) {
        let mut reader = DecodingReader::new(OneByteAtATime(bytes), encoding).expect("reads");
        let mut text = String::new();
        let result = reader.read_to_string(&mut text).map(|_| text);
        (reader.encoding(), result)
    }

    #[test]
    fn shift_jis_split_byte_by_byte_decodes_whole() {
        // Longer than one chunk, so detection sees only the start.
        let text = "氏名,住所\r\n山田 太郎,福島県いわき市①\r\n".repeat(5000);
        let (bytes, _, unmappable) = SHIFT_JIS.encode(&text);
        assert!(!unmappable && bytes.len() > CHUNK);
        let (encoding, decoded) = decode_all(&bytes, CsvEncoding::Auto);
        assert_eq!(encoding, CsvEncoding::ShiftJis);
        assert_eq!(decoded.expect("decodes"), text);
    }

    #[test]
    fn a_utf8_bom_is_removed() {
        let (encoding, decoded) = decode_all("\u{FEFF}氏名\r\n".as_bytes(), CsvEncoding::Auto);
        assert_eq!(encoding, CsvEncoding::Utf8);
        assert_eq!(decoded.expect("decodes"), "氏名\r\n");
    }

    #[test]
    fn an_explicit_choice_overrides_detection() {
        let (encoding, decoded) = decode_all(b"name\r\n", CsvEncoding::ShiftJis);
        assert_eq!(encoding, CsvEncoding::ShiftJis);
        assert_eq!(decoded.expect("decodes"), "name\r\n");
    }

    #[test]
    fn invalid_bytes_stop_decoding_after_the_good_text_with_their_offset() {
        let mut bytes = "氏名\r\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"\x8E\x81\x96\xBC\r\n");
        let mut reader = DecodingReader::new(bytes.as_slice(), CsvEncoding::Utf8).expect("reads");
        let mut good = [0u8; 8];
        assert_eq!(reader.read(&mut good).expect("the good part reads"), 8);
        let error = reader.read(&mut good).expect_err("the bad bytes fail");
        let undecodable = error
            .get_ref()
            .and_then(|e| e.downcast_ref::<Undecodable>())
            .expect("typed error");
        assert_eq!(undecodable.offset, 8);
        assert_eq!(undecodable.encoding, CsvEncoding::Utf8);
    }

    #[test]
    fn an_empty_file_reads_as_empty() {
        let (_, decoded) = decode_all(b"", CsvEncoding::Auto);
        assert_eq!(decoded.expect("decodes"), "");
    }
}
