//! An independent RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for the tests, written from the
//! RFCs (FIPS 180 SHA-1, RFC 2104 HMAC, RFC 4226 truncation, RFC 4648 base32) so that the
//! 2FA tests do not check barong's totp-rs against itself. Checked below against the
//! published RFC 2202 and RFC 6238 vectors.

use std::time::Duration;

fn sha1(message: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut data = message.to_vec();
    let bit_len = (message.len() as u64) * 8;
    data.push(0x80);
    while data.len() % 64 != 56 {
        data.push(0);
    }
    data.extend_from_slice(&bit_len.to_be_bytes());
    for block in data.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (hv, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *hv = hv.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (i, v) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..20].copy_from_slice(&sha1(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(message);
    let mut outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha1(&inner));
    sha1(&outer)
}

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c.to_ascii_uppercase())
            .expect("base32 character") as u64;
        bits = (bits << 5) | v;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// A TOTP generator for one secret.
pub struct RefTotp {
    secret: Vec<u8>,
}

impl RefTotp {
    /// From the raw secret.
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    /// From the `secret=` parameter of an `otpauth://` URL.
    pub fn from_url(url: &str) -> Self {
        let query = url.split_once('?').expect("query").1;
        let secret = query
            .split('&')
            .find_map(|p| p.strip_prefix("secret="))
            .expect("secret parameter");
        Self::new(base32_decode(secret))
    }

    /// The code (`digits` long) for a unix time.
    pub fn code_digits(&self, unix: u64, digits: u32) -> String {
        let mac = hmac_sha1(&self.secret, &(unix / 30).to_be_bytes());
        let offset = usize::from(mac[19] & 0x0f);
        let bin = u32::from_be_bytes([
            mac[offset],
            mac[offset + 1],
            mac[offset + 2],
            mac[offset + 3],
        ]) & 0x7fff_ffff;
        format!(
            "{:0width$}",
            bin % 10u32.pow(digits),
            width = digits as usize
        )
    }

    /// The 6-digit code `steps` periods away from `unix` (−1, 0, +1 are accepted).
    pub fn code(&self, unix: u64, steps: i64) -> String {
        let at = (unix as i64 + steps * 30).max(0) as u64;
        self.code_digits(at, 6)
    }
}

/// Now, after waiting out the end of a 30-second period if fewer than 3 seconds of it
/// are left, so a code computed now is still in the same period when barong checks it.
pub async fn steady_now() -> u64 {
    loop {
        let now = crate::helpers::now();
        if now % 30 < 27 {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[test]
fn published_vectors() {
    // RFC 2202 test case 2.
    assert_eq!(
        hex::encode(hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    );
    // RFC 6238 appendix B (SHA-1 seed "12345678901234567890").
    let t = RefTotp::new(b"12345678901234567890".to_vec());
    assert_eq!(t.code_digits(59, 8), "94287082");
    assert_eq!(t.code_digits(1_111_111_109, 8), "07081804");
    assert_eq!(t.code_digits(2_000_000_000, 8), "69279037");
    assert_eq!(base32_decode("GEZDGNBVGY3TQOJQ"), b"1234567890");
}
