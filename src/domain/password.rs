//! Staff passwords that are not among the first guesses (SPEC §10).

use std::collections::HashSet;
use std::sync::OnceLock;

/// At least this many characters.
pub const MIN_CHARS: usize = 10;
/// At most this many bytes (argon2 takes any length; a megabyte of password is an attack).
pub const MAX_BYTES: usize = 1024;

/// The 10 000 most common passwords, most common first: the head of the list Django ships
/// (`django/contrib/auth/common-passwords.txt.gz`, Royce Williams' list from breach corpora),
/// lower-cased. Shipped in the binary; nothing is fetched.
static COMMON: &str = include_str!("common_passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.lines().filter(|l| !l.is_empty()).collect())
}

/// A staff password for `username`: at least [`MIN_CHARS`] characters, not one character
/// repeated, not containing the username, not among the 10 000 most common passwords. The
/// message names the rule broken; the caller names the field.
pub fn check(username: &str, password: &str) -> Result<(), String> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < MIN_CHARS || password.len() > MAX_BYTES {
        return Err(format!("must be {MIN_CHARS} to {MAX_BYTES} characters"));
    }
    if chars.iter().all(|c| *c == chars[0]) {
        return Err("must not be one character repeated".into());
    }
    let lower = password.to_lowercase();
    let name = username.trim().to_lowercase();
    if !name.is_empty() && lower.contains(&name) {
        return Err("must not contain the username".into());
    }
    if common().contains(lower.as_str()) {
        return Err("is one of the 10 000 most common passwords; choose another".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_their_rule() {
        assert!(
            check("budi", "aaaaaaaaaa")
                .unwrap_err()
                .contains("repeated")
        );
        assert!(check("budi", "short").unwrap_err().contains("10"));
        assert!(
            check("budi.santoso", "Budi.Santoso2026")
                .unwrap_err()
                .contains("username")
        );
        assert!(check("budi", "1234567890").unwrap_err().contains("common"));
        assert!(check("budi", "QWERTYUIOP").unwrap_err().contains("common"));
        assert!(check("budi", "jambi-demo-2026").is_ok());
        assert!(check("budi", "correct horse battery staple").is_ok());
        assert_eq!(COMMON.lines().count(), 10_000);
        assert!(common().len() > 9_900, "{}", common().len());
    }
}
