//! Checks a tar archive while it streams by, without keeping it.
//!
//! vCenter gives no sign when it aborts a support-bundle stream: the only way to know the
//! bundle is whole is that the archive is. This follows the 512-byte blocks: each header's
//! checksum, each entry's data (rounded up to a block), and the two zero blocks that end
//! an archive. Memory use is one block, whatever the bundle's size.

use std::fmt;

pub(crate) const BLOCK: usize = 512;

/// tar writes in records of 20 blocks: after the end-of-archive blocks, zeros may pad the
/// last record, and nothing else belongs to the archive.
const RECORD: u64 = 20 * BLOCK as u64;

/// Why a stream is not a complete tar archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarError {
    /// Where in the stream it was found.
    pub offset: u64,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for TarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for TarError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a header block (or an end-of-archive block).
    Header,
    /// Skipping an entry's data: this many bytes are left, padding included.
    Data(u64),
    /// Both end-of-archive blocks were seen; zeros may pad the last record.
    End,
}

/// The checker: feed it every byte of the stream, then ask it whether the archive ended.
#[derive(Debug, Clone)]
pub struct TarCheck {
    state: State,
    block: [u8; BLOCK],
    filled: usize,
    offset: u64,
    zero_blocks: u8,
    entries: u64,
    /// The archive and the padding of its last record are over: nothing more belongs to it.
    closed: bool,
}

impl Default for TarCheck {
    fn default() -> Self {
        TarCheck {
            state: State::Header,
            block: [0; BLOCK],
            filled: 0,
            offset: 0,
            zero_blocks: 0,
            entries: 0,
            closed: false,
        }
    }
}

impl TarCheck {
    /// How many entries (files, directories, ...) the archive had so far.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Whether the archive is over, the padding of its last record included: a byte after
    /// this is not part of it (and [`TarCheck::feed`] takes none).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Checks the next bytes of the stream; how many of them belong to the archive. That is
    /// all of them until the archive ends; after its end-of-archive blocks, only the zeros
    /// that pad its last record. A byte that is not such a zero, or one past the record,
    /// closes the archive and is not taken.
    pub fn feed(&mut self, data: &[u8]) -> Result<usize, TarError> {
        let total = data.len();
        let mut data = data;
        while !data.is_empty() {
            match self.state {
                State::End => {
                    let room = ((RECORD - self.offset % RECORD) % RECORD) as usize;
                    let zeros = data[..room.min(data.len())]
                        .iter()
                        .take_while(|b| **b == 0)
                        .count();
                    self.offset += zeros as u64;
                    if zeros < data.len() || self.offset % RECORD == 0 {
                        self.closed = true;
                    }
                    return Ok(total - data.len() + zeros);
                }
                State::Data(left) => {
                    let take = (left.min(data.len() as u64)) as usize;
                    self.offset += take as u64;
                    data = &data[take..];
                    let left = left - take as u64;
                    self.state = if left == 0 {
                        State::Header
                    } else {
                        State::Data(left)
                    };
                }
                State::Header => {
                    let take = (BLOCK - self.filled).min(data.len());
                    self.block[self.filled..self.filled + take].copy_from_slice(&data[..take]);
                    self.filled += take;
                    data = &data[take..];
                    if self.filled == BLOCK {
                        self.filled = 0;
                        self.header()?;
                        self.offset += BLOCK as u64;
                        if self.state == State::End && self.offset % RECORD == 0 {
                            self.closed = true;
                            return Ok(total - data.len());
                        }
                    }
                }
            }
        }
        Ok(total)
    }

    /// Whether the stream ended where an archive may end: after the end-of-archive blocks.
    pub fn finish(&self) -> Result<(), TarError> {
        let at = self.offset + self.filled as u64;
        match self.state {
            State::End if self.entries == 0 => Err(TarError {
                offset: at,
                reason: "the archive holds no entries: the bundle is empty".to_owned(),
            }),
            State::End => Ok(()),
            State::Data(left) => Err(TarError {
                offset: at,
                reason: format!("the stream ends inside an entry's data, {left} bytes short"),
            }),
            State::Header if self.filled > 0 => Err(TarError {
                offset: at,
                reason: "the stream ends inside a header block".to_owned(),
            }),
            State::Header if at == 0 => Err(TarError {
                offset: 0,
                reason: "the stream is empty".to_owned(),
            }),
            State::Header => Err(TarError {
                offset: at,
                reason: "the stream ends without the end-of-archive blocks".to_owned(),
            }),
        }
    }

    fn header(&mut self) -> Result<(), TarError> {
        if self.block.iter().all(|b| *b == 0) {
            self.zero_blocks += 1;
            if self.zero_blocks == 2 {
                self.state = State::End;
            }
            return Ok(());
        }
        if self.zero_blocks > 0 {
            return Err(self.error("a header follows a lone end-of-archive block"));
        }
        let recorded = octal(&self.block[148..156])
            .ok_or_else(|| self.error("the header checksum is not a number"))?;
        let unsigned: u64 = self
            .block
            .iter()
            .enumerate()
            .map(|(i, b)| {
                if (148..156).contains(&i) {
                    u64::from(b' ')
                } else {
                    u64::from(*b)
                }
            })
            .sum();
        let signed: i64 = self
            .block
            .iter()
            .enumerate()
            .map(|(i, b)| {
                if (148..156).contains(&i) {
                    i64::from(b' ')
                } else {
                    i64::from(*b as i8)
                }
            })
            .sum();
        if recorded != unsigned && recorded as i64 != signed {
            return Err(self.error(&format!(
                "header checksum {recorded} does not match the header ({unsigned})"
            )));
        }
        let size = size(&self.block[124..136])
            .ok_or_else(|| self.error("the entry size is not a number"))?;
        self.entries += 1;
        // A size near u64::MAX (base-256 allows it) must be an error, not an overflow.
        let padded = size
            .checked_next_multiple_of(BLOCK as u64)
            .ok_or_else(|| self.error("the entry size is impossibly large"))?;
        self.state = if padded == 0 {
            State::Header
        } else {
            State::Data(padded)
        };
        Ok(())
    }

    fn error(&self, reason: &str) -> TarError {
        TarError {
            offset: self.offset,
            reason: reason.to_owned(),
        }
    }
}

/// An octal number field, NUL- or space-terminated.
fn octal(field: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(field).ok()?;
    let text = text.trim_matches(|c: char| c == '\0' || c == ' ');
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

/// The size field: octal, or base-256 (GNU) for entries of 8 GiB and more.
fn size(field: &[u8]) -> Option<u64> {
    if field[0] & 0x80 != 0 {
        let mut value: u64 = u64::from(field[0] & 0x7f);
        for b in &field[1..] {
            value = value.checked_mul(256)?.checked_add(u64::from(*b))?;
        }
        Some(value)
    } else {
        octal(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ustar archive with one file of `len` bytes.
    fn archive(len: usize) -> Vec<u8> {
        crate::mock::tar(&[("file.txt", len)])
    }

    fn check(bytes: &[u8], chunk: usize) -> Result<TarCheck, TarError> {
        let mut checker = TarCheck::default();
        for part in bytes.chunks(chunk) {
            assert_eq!(
                checker.feed(part)?,
                part.len(),
                "all of it belongs to the archive"
            );
        }
        checker.finish().map(|_| checker)
    }

    /// Feeds `bytes` in chunks until the archive closes; the bytes it took.
    fn taken(bytes: &[u8], chunk: usize) -> (usize, bool) {
        let mut checker = TarCheck::default();
        let mut taken = 0;
        for part in bytes.chunks(chunk) {
            let n = checker.feed(part).expect("valid");
            taken += n;
            if n < part.len() || checker.is_closed() {
                break;
            }
        }
        (taken, checker.is_closed())
    }

    #[test]
    fn nothing_after_the_end_and_its_record_padding_is_taken() {
        let archive = archive(1000);
        let padded_len = archive.len().next_multiple_of(RECORD as usize);
        for chunk in [1, 100, 512, 4096, 1 << 20] {
            // Garbage right after the end blocks: not taken.
            let mut garbage = archive.clone();
            garbage.extend_from_slice(&[0xAA; 50_000]);
            assert_eq!(
                taken(&garbage, chunk),
                (archive.len(), true),
                "chunk {chunk}"
            );
            // Zeros: only up to the end of the record.
            let mut zeros = archive.clone();
            zeros.resize(archive.len() + 10 * 1024 * 1024, 0);
            assert_eq!(taken(&zeros, chunk), (padded_len, true), "chunk {chunk}");
        }
    }

    #[test]
    fn an_archive_of_only_end_blocks_is_an_empty_bundle() {
        let err = check(&[0u8; 2 * BLOCK], 512).expect_err("empty");
        assert!(err.reason.contains("no entries"), "{err}");
    }

    #[test]
    fn a_whole_archive_passes_in_any_chunking() {
        let bytes = archive(1000);
        for chunk in [1, 7, 512, 513, 4096] {
            assert_eq!(
                check(&bytes, chunk).expect("complete").entries(),
                1,
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn cut_inside_data_header_or_before_the_end_fails() {
        let bytes = archive(1000);
        let err = check(&bytes[..700], 64).expect_err("cut in data");
        assert!(err.reason.contains("inside an entry's data"), "{err}");
        let err = check(&bytes[..200], 64).expect_err("cut in header");
        assert!(err.reason.contains("inside a header"), "{err}");
        let err = check(&bytes[..1536], 64).expect_err("no end blocks");
        assert!(err.reason.contains("without the end-of-archive"), "{err}");
        assert!(check(&[], 1).is_err());
    }

    #[test]
    fn an_impossible_size_is_an_error_not_an_overflow() {
        let mut bytes = archive(0);
        // Base-256: a marker byte, then u64::MAX in the last eight bytes.
        bytes[124..128].copy_from_slice(&[0x80, 0, 0, 0]);
        for b in &mut bytes[128..136] {
            *b = 0xff;
        }
        bytes[148..156].copy_from_slice(b"        ");
        let sum: u32 = bytes[..BLOCK].iter().map(|b| u32::from(*b)).sum();
        bytes[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        let err = check(&bytes, 512).expect_err("too large");
        assert!(err.reason.contains("impossibly large"), "{err}");
    }

    #[test]
    fn a_damaged_header_fails() {
        let mut bytes = archive(10);
        bytes[0] = b'F';
        let err = check(&bytes, 512).expect_err("checksum");
        assert!(err.reason.contains("checksum"), "{err}");
        assert_eq!(err.offset, 0);
    }
}
