//! A valid ustar archive of any size, made on the fly: headers with checksums, entry data
//! from one shared repeating buffer (each chunk is a cheap `Bytes` slice of it), padding and
//! the two end-of-archive blocks. Nothing of the archive is held in memory but that buffer.

use bytes::Bytes;

const BLOCK: u64 = 512;
/// Largest entry of a bench archive; bigger bundles get several entries.
const ENTRY_MAX: u64 = 64 * 1024 * 1024;
/// Size of the repeating data buffer and so of the data chunks.
pub const CHUNK: usize = 256 * 1024;

/// The entries (name, size) of an archive carrying `payload` bytes of data.
fn entries(payload: u64) -> Vec<(String, u64)> {
    let count = payload.div_ceil(ENTRY_MAX).max(1);
    (0..count)
        .map(|i| {
            let size = (payload - i * ENTRY_MAX).min(ENTRY_MAX);
            (format!("bench/part-{i:04}.bin"), size)
        })
        .collect()
}

/// The length of the archive carrying `payload` bytes of data, end blocks included.
pub fn archive_len(payload: u64) -> u64 {
    entries(payload)
        .iter()
        .map(|(_, size)| BLOCK + size.div_ceil(BLOCK) * BLOCK)
        .sum::<u64>()
        + 2 * BLOCK
}

/// The archive as an iterator of chunks.
pub struct TarStream {
    entries: std::vec::IntoIter<(String, u64)>,
    data: Bytes,
    state: State,
}

enum State {
    Header,
    Data { left: u64, padding: u64 },
    End,
    Done,
}

impl TarStream {
    pub fn new(payload: u64) -> Self {
        TarStream {
            entries: entries(payload).into_iter(),
            data: pattern(),
            state: State::Header,
        }
    }
}

impl Iterator for TarStream {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        loop {
            match &mut self.state {
                State::Header => match self.entries.next() {
                    Some((name, size)) => {
                        let padding = size.div_ceil(BLOCK) * BLOCK - size;
                        self.state = State::Data {
                            left: size,
                            padding,
                        };
                        return Some(Bytes::from(header(&name, size).to_vec()));
                    }
                    None => self.state = State::End,
                },
                State::Data { left, padding } => {
                    if *left > 0 {
                        let take = (*left).min(self.data.len() as u64) as usize;
                        *left -= take as u64;
                        return Some(self.data.slice(..take));
                    }
                    let padding = *padding;
                    self.state = State::Header;
                    if padding > 0 {
                        return Some(Bytes::from(vec![0u8; padding as usize]));
                    }
                }
                State::End => {
                    self.state = State::Done;
                    return Some(Bytes::from(vec![0u8; 2 * BLOCK as usize]));
                }
                State::Done => return None,
            }
        }
    }
}

/// Pseudo-random bytes (xorshift), so nothing on the way can compress them.
fn pattern() -> Bytes {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(CHUNK);
    while out.len() < CHUNK {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    Bytes::from(out)
}

/// A ustar header block for a regular file.
fn header(name: &str, size: u64) -> [u8; BLOCK as usize] {
    let mut h = [0u8; BLOCK as usize];
    let put = |h: &mut [u8; BLOCK as usize], at: usize, bytes: &[u8]| {
        h[at..at + bytes.len()].copy_from_slice(bytes);
    };
    put(&mut h, 0, &name.as_bytes()[..name.len().min(100)]);
    put(&mut h, 100, b"0000644\0");
    put(&mut h, 108, b"0000000\0");
    put(&mut h, 116, b"0000000\0");
    put(&mut h, 124, format!("{size:011o}\0").as_bytes());
    put(
        &mut h,
        136,
        format!("{:011o}\0", 1_763_856_000u64).as_bytes(),
    );
    put(&mut h, 148, b"        ");
    h[156] = b'0';
    put(&mut h, 257, b"ustar\0");
    put(&mut h, 263, b"00");
    put(&mut h, 265, b"root");
    put(&mut h, 297, b"root");
    let sum: u64 = h.iter().map(|b| u64::from(*b)).sum();
    put(&mut h, 148, format!("{sum:06o}\0 ").as_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(payload: u64) {
        let mut checker = vsphere_api::TarCheck::default();
        let mut len = 0u64;
        for chunk in TarStream::new(payload) {
            len += chunk.len() as u64;
            checker.feed(&chunk).expect("valid tar");
        }
        checker.finish().expect("complete tar");
        assert_eq!(len, archive_len(payload), "payload {payload}");
        assert_eq!(checker.entries(), entries(payload).len() as u64);
    }

    #[test]
    fn archives_of_every_shape_are_complete() {
        for payload in [0, 1, 511, 512, 513, CHUNK as u64 + 7, ENTRY_MAX + 1000] {
            check(payload);
        }
    }

    #[test]
    fn the_system_tar_reads_it() {
        let Ok(mut tar) = std::process::Command::new("tar")
            .arg("-tvf")
            .arg("-")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
        else {
            return; // no tar here; the TarCheck test above still holds
        };
        {
            use std::io::Write;
            let mut stdin = tar.stdin.take().expect("stdin");
            for chunk in TarStream::new(1000) {
                stdin.write_all(&chunk).expect("write");
            }
        }
        let out = tar.wait_with_output().expect("tar runs");
        assert!(out.status.success());
        let listing = String::from_utf8_lossy(&out.stdout);
        assert!(listing.contains("bench/part-0000.bin"), "{listing}");
        assert!(listing.contains("1000"), "{listing}");
    }
}
