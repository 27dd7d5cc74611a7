//! Slugs: the lowercase ASCII names of organisations and policies, used in every URL.

/// Why a folder name is not a valid slug, or `None` when it is one.
pub fn slug_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("it may hold only lowercase ASCII letters, digits and '-'");
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("it may not start or end with '-' or hold '--'");
    }
    if name.len() > MAX_SLUG {
        return Some("it is longer than 100 characters (the file names made of it would be too long)");
    }
    None
}

/// The longest slug: with a version or a search shard's name after it, it stays far inside
/// the 255 bytes a file name may have.
pub(crate) const MAX_SLUG: usize = 100;

/// `slug` cut to [`MAX_SLUG`] characters, at the end of a word when one ends past half of it.
pub fn shortened(slug: String) -> String {
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    let cut = &slug[..MAX_SLUG];
    let cut = match cut.rfind('-') {
        Some(at) if at > MAX_SLUG / 2 => &cut[..at],
        _ => cut.trim_end_matches('-'),
    };
    cut.to_string()
}

/// A slug for a name in any script: transliterated to ASCII first, then slugged ("Société
/// Générale" → `societe-generale`, not `soci-t-g-n-rale`). What imports make of names, and what
/// a bad folder name is told to become.
pub fn transliterated_slug(name: &str) -> String {
    slugify(&deunicode::deunicode(name))
}

/// A suggested slug for any text: lowercase ASCII words joined by '-'.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        assert_eq!(slug_problem("org-0001"), None);
        assert_eq!(slug_problem("privacy-policy"), None);
    }

    #[test]
    fn long_slugs_are_refused_and_shortened_at_a_word() {
        let long = "terms-".repeat(30) + "end";
        assert!(slug_problem(&long).is_some());
        let short = shortened(long);
        assert!(short.len() <= MAX_SLUG && short.ends_with("terms"), "{short}");
        assert_eq!(slug_problem(&short), None);
        assert_eq!(shortened("a".repeat(150)), "a".repeat(100));
        assert_eq!(shortened("privacy-policy".into()), "privacy-policy");
    }

    #[test]
    fn refuses_bad_slugs() {
        assert!(slug_problem("Acme").is_some());
        assert!(slug_problem("acme corp").is_some());
        assert!(slug_problem("-acme").is_some());
        assert!(slug_problem("").is_some());
    }

    #[test]
    fn slugifies_text() {
        assert_eq!(slugify("Privacy Policy - xMatters Inc"), "privacy-policy-xmatters-inc");
        assert_eq!(slugify("  3.1 XM Fax!"), "3-1-xm-fax");
    }
}
