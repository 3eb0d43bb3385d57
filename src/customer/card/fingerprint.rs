//! Keyed card fingerprints: recognise the same card again without keeping its number.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::CardNumber;

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA-256 of a card number under the deployment's secret key, as 64 lowercase
/// hex digits. Keyed, so that without the key the 10⁹-odd candidate numbers behind a
/// known prefix and last 4 cannot simply be hashed and compared (PCI DSS 3.5.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardFingerprint(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a card fingerprint is 64 lowercase hex digits")]
pub struct CardFingerprintError;

impl CardFingerprint {
    /// Reads a fingerprint back from storage.
    pub fn from_hex(hex: &str) -> Result<Self, CardFingerprintError> {
        if hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(Self(hex.to_owned()))
        } else {
            Err(CardFingerprintError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CardFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Computes fingerprints under one key. Keeps the keyed HMAC state so a large import
/// does not redo the key schedule for every row.
#[derive(Clone)]
pub struct CardFingerprinter {
    mac: HmacSha256,
}

impl CardFingerprinter {
    pub fn new(key: &[u8]) -> Self {
        Self {
            mac: HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length"),
        }
    }

    pub fn fingerprint(&self, card: &CardNumber) -> CardFingerprint {
        let mut mac = self.mac.clone();
        mac.update(card.digits.as_bytes());
        CardFingerprint(to_hex(&mac.finalize().into_bytes()))
    }
}

impl fmt::Debug for CardFingerprinter {
    /// The HMAC state is derived from the secret key: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardFingerprinter { .. }")
    }
}

impl CardNumber {
    /// The keyed fingerprint of this number; see [`CardFingerprint`].
    pub fn fingerprint(&self, key: &[u8]) -> CardFingerprint {
        CardFingerprinter::new(key).fingerprint(self)
    }
}

fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0F)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(number: &str) -> CardNumber {
        CardNumber::parse(number).expect("valid test number")
    }

    #[test]
    fn the_fingerprint_is_hmac_sha256_of_the_digits_in_hex() {
        // Independent value: `printf 4111111111111111 | openssl dgst -sha256 -hmac key`.
        assert_eq!(
            card("4111 1111 1111 1111").fingerprint(b"key").as_str(),
            "d7deb2f89396a762e0f485ff629bed80118728d1ef5d5744f870a99001a1437d"
        );
    }

    #[test]
    fn the_same_card_typed_differently_has_the_same_fingerprint() {
        let fingerprinter = CardFingerprinter::new(b"secret");
        assert_eq!(
            fingerprinter.fingerprint(&card("4111111111111111")),
            fingerprinter.fingerprint(&card("４１１１－１１１１－１１１１－１１１１"))
        );
    }

    #[test]
    fn another_key_gives_another_fingerprint() {
        let number = card("4111111111111111");
        assert_ne!(number.fingerprint(b"one"), number.fingerprint(b"two"));
    }

    #[test]
    fn the_fingerprint_does_not_contain_the_number() {
        let fingerprint = card("4111111111111111").fingerprint(b"secret");
        assert!(!fingerprint.as_str().contains("4111111111111111"));
        assert_eq!(CardFingerprint::from_hex(fingerprint.as_str()), Ok(fingerprint));
    }

    #[test]
    fn malformed_stored_fingerprints_are_rejected() {
        assert_eq!(CardFingerprint::from_hex("abc"), Err(CardFingerprintError));
        assert_eq!(CardFingerprint::from_hex(&"G".repeat(64)), Err(CardFingerprintError));
    }
}
