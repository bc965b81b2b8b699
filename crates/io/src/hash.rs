use std::io::Read;

use sha2::{Digest, Sha256};

/// A reader that hashes what passes through it, so a file is hashed while it is parsed
/// instead of being read twice.
pub(crate) struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        HashingReader { inner, hasher: Sha256::new(), bytes: 0 }
    }

    /// Reads the rest of the input (so the hash covers the whole file) and returns the hex
    /// SHA-256 and the byte count.
    pub(crate) fn finish(mut self) -> std::io::Result<(String, u64)> {
        self.bytes += std::io::copy(&mut self.inner, &mut self.hasher)?;
        let digest = self.hasher.finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok((hex, self.bytes))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}
