//! The duplicate check without a readable identity: a name and birth date
//! typed by the advisor become an HMAC-SHA256 keyed with a secret made per
//! installation. Only the hash is stored; the typed text lives in memory
//! only, in the screen's private text fields, which are wiped when dropped
//! (`text::input::TextInput`).

use chrono::NaiveDate;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::VoucherError;

/// Length of the installation secret and of a hash.
pub const KEY_LEN: usize = 32;

/// A name made comparable: lower case, punctuation as spaces, parts in
/// sorted order, so "Virtanen, Matti" and "matti  virtanen" agree.
pub fn normalize_name(name: &str) -> String {
    let lower: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut parts: Vec<&str> = lower.split_whitespace().collect();
    parts.sort_unstable();
    parts.join(" ")
}

/// Reads a birth date as `14.2.1948`, `14.02.1948` or `1948-02-14`.
pub fn parse_birth_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    ["%d.%m.%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// The keyed hash of a person for the duplicate check.
pub fn identity_hash(
    key: &[u8; KEY_LEN],
    name: &str,
    birth_date: &str,
) -> Result<[u8; KEY_LEN], VoucherError> {
    let name = normalize_name(name);
    if name.is_empty() || birth_date.trim().is_empty() {
        return Err(VoucherError::IdentityIncomplete);
    }
    let date = parse_birth_date(birth_date).ok_or(VoucherError::BadBirthDate)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    // Versioned, with separators no name or date contains.
    mac.update(b"tiski-voucher-identity-v1\0");
    mac.update(name.as_bytes());
    mac.update(b"\0");
    mac.update(date.format("%Y-%m-%d").to_string().as_bytes());
    Ok(mac.finalize().into_bytes().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalize_across_order_case_and_punctuation() {
        assert_eq!(normalize_name("Virtanen, Matti"), "matti virtanen");
        assert_eq!(normalize_name("  MATTI   virtanen "), "matti virtanen");
        assert_eq!(normalize_name("Äänismaa-Öhman Åke"), "äänismaa åke öhman");
        assert_eq!(normalize_name(" ,. "), "");
    }

    #[test]
    fn the_hash_depends_on_key_name_and_date_only() {
        let k1 = [1u8; KEY_LEN];
        let k2 = [2u8; KEY_LEN];
        let a = identity_hash(&k1, "Matti Virtanen", "14.2.1948").unwrap();
        assert_eq!(
            a,
            identity_hash(&k1, "virtanen matti", "1948-02-14").unwrap()
        );
        assert_ne!(
            a,
            identity_hash(&k2, "Matti Virtanen", "14.2.1948").unwrap()
        );
        assert_ne!(
            a,
            identity_hash(&k1, "Matti Virtanen", "15.2.1948").unwrap()
        );
        assert_ne!(
            a,
            identity_hash(&k1, "Maija Virtanen", "14.2.1948").unwrap()
        );
        assert_eq!(
            identity_hash(&k1, "Matti", "31.2.1948"),
            Err(VoucherError::BadBirthDate)
        );
        assert_eq!(
            identity_hash(&k1, "", "1.1.1948"),
            Err(VoucherError::IdentityIncomplete)
        );
    }
}
