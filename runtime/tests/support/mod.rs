//! What several test files share; each test file is its own crate and uses a part of it.
//! The unit tests of `src/tar_check.rs` include this file too (`#[path]`), so the ustar
//! builder exists once.
#![allow(dead_code)]

const BLOCK: usize = 512;

/// A ustar archive holding files of the given names and sizes (their bytes a repeating
/// pattern), with valid header checksums and the two end-of-archive blocks.
pub fn tar(files: &[(&str, usize)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, len) in files {
        let mut header = [0u8; BLOCK];
        header[..name.len()].copy_from_slice(name.as_bytes());
        header[100..108].copy_from_slice(b"0000644\0");
        header[124..136].copy_from_slice(format!("{len:011o}\0").as_bytes());
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[148..156].copy_from_slice(b"        ");
        let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
        header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&header);
        out.extend((0..*len).map(|i| (i % 251) as u8));
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    }
    out.extend([0u8; 2 * BLOCK]);
    out
}

/// Reads one HTTP request from a raw test server's socket: the head, and the body as far
/// as its `Content-Length` says.
pub async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.expect("read");
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}
