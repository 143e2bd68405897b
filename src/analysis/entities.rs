//! Data a customer gives and an agent may ask for: links, e-mails, phones, reference
//! numbers, card numbers. Found once per message, on the plain text.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// What kind of datum a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Url,
    Email,
    Phone,
    /// An order, ticket, tracking, contract or account number: a code with at least four
    /// digits that is not a date, a time, an amount or a phone number.
    Reference,
    /// A payment card number (13–19 digits passing the Luhn check).
    CardNumber,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Url => "url",
            EntityKind::Email => "email",
            EntityKind::Phone => "phone",
            EntityKind::Reference => "reference",
            EntityKind::CardNumber => "card-number",
        }
    }
}

/// One datum found in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub kind: EntityKind,
    /// Byte range in the plain text.
    pub plain: Range<usize>,
    /// The datum as written.
    pub text: String,
}

/// Each pattern is compiled on first use, and only used when a cheap test says the text can
/// hold a match: most chat messages have no '@', no URL and no long number, and a one-shot
/// `replylint check` should not pay for compiling what it never runs.
fn pattern(cell: &'static OnceLock<Regex>, source: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(source).expect("entity patterns are valid"))
}

fn url_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    pattern(
        &CELL,
        r"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>()\[\]{}]+|(?-u:\b)[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|ru|bg|co|uk|eu|help|app|ly|me|info|biz|рф)/[^\s<>()\[\]{}]*",
    )
}

fn email_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    pattern(
        &CELL,
        r"(?-u:\b)[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?-u:\b)",
    )
}

fn card_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    pattern(&CELL, r"(?-u:\b)[0-9][0-9 -]{11,22}[0-9](?-u:\b)")
}

fn phone_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    pattern(&CELL, r"(?:\+|(?-u:\b))[0-9][0-9 ().-]{7,18}[0-9](?-u:\b)")
}

fn reference_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    pattern(
        &CELL,
        // Groups of four digits one space apart ("Account no. 7731 0045") are one number;
        // any other run of four or more digits and dashes is one too.
        r"(?:#|№|(?-u:\b)N[o°]?\.? ?)?(?:[A-Za-zА-Яа-я]{1,6}[-_/]?)?(?:[0-9]{4}(?: [0-9]{4})+|[0-9][0-9-]{3,})[A-Za-z]{0,3}(?-u:\b)",
    )
}

/// The run of digits (and separators) that every match of a number pattern holds, and how
/// far before the run's first digit a match can start. The text between runs cannot hold a
/// match, and is skipped rather than scanned (see [`matches_near_runs`]).
#[derive(Clone, Copy)]
struct NumberRun {
    /// The characters the run may hold after its first digit.
    allowed: fn(u8) -> bool,
    /// Its shortest length, first digit included.
    len: usize,
    /// Bytes a match can start before the run's first digit.
    lookbehind: usize,
}

/// `[0-9][0-9-]{3,}` or `[0-9]{4}( [0-9]{4})+` after a prefix such as "№", "No. " or up to
/// six letters and a dash: either way four digits (or digits and dashes) first.
const REFERENCE_RUN: NumberRun = NumberRun {
    allowed: |b| b.is_ascii_digit() || b == b'-',
    len: 4,
    lookbehind: 18,
};

/// `[0-9][0-9 ().-]{7,18}[0-9]`, after a '+'.
const PHONE_RUN: NumberRun = NumberRun {
    allowed: |b| b.is_ascii_digit() || matches!(b, b' ' | b'(' | b')' | b'.' | b'-'),
    len: 9,
    lookbehind: 1,
};

/// `[0-9][0-9 -]{11,22}[0-9]`.
const CARD_RUN: NumberRun = NumberRun {
    allowed: |b| b.is_ascii_digit() || matches!(b, b' ' | b'-'),
    len: 13,
    lookbehind: 0,
};

impl NumberRun {
    /// The first digit at or after `from` that starts such a run.
    fn first(self, bytes: &[u8], from: usize) -> Option<usize> {
        let mut at = from;
        while let Some(digit) = next_digit(bytes, at) {
            let run = bytes[digit..]
                .iter()
                .take(self.len)
                .take_while(|&&b| (self.allowed)(b))
                .count();
            if run >= self.len {
                return Some(digit);
            }
            // Every digit up to where this run breaks starts a shorter one.
            at = digit + run + 1;
        }
        None
    }
}

/// The matches of `pattern` in `text`, as `find_iter` finds them: every match holds a `run`,
/// so each search starts at most `run.lookbehind` bytes before the next run (the regex still
/// sees the text before it, for `\b`), and nothing between runs is scanned. `first_digit` is
/// where the text's first digit is, if it has one.
fn matches_near_runs<'t>(
    pattern: &'t Regex,
    text: &'t str,
    run: NumberRun,
    first_digit: Option<usize>,
) -> impl Iterator<Item = regex::Match<'t>> + 't {
    let mut from = 0;
    std::iter::from_fn(move || {
        if from > text.len() {
            return None;
        }
        let digit = run.first(text.as_bytes(), from.max(first_digit?))?;
        let mut start = digit.saturating_sub(run.lookbehind).max(from);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let found = pattern.find_at(text, start)?;
        // An empty match (these patterns have none) would otherwise be found again.
        from = found.end() + usize::from(found.is_empty());
        Some(found)
    })
}

/// The first ASCII digit at or after `from`, looked for sixteen bytes at a time.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    // A fold without an early exit over a fixed-size chunk compiles to vector compares.
    while let Some(chunk) = bytes.get(at..at + 16) {
        if chunk.iter().fold(false, |any, b| any | b.is_ascii_digit()) {
            break;
        }
        at += 16;
    }
    bytes
        .get(at..)?
        .iter()
        .position(u8::is_ascii_digit)
        .map(|i| at + i)
}

/// Whether some '@' has a name character before it and a dotted domain after it.
fn may_hold_email(bytes: &[u8]) -> bool {
    let name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    memchr::memchr_iter(b'@', bytes).any(|at| {
        let domain = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
            .count();
        at > 0
            && name(bytes[at - 1])
            && bytes[at + 1..at + 1 + domain]
                .iter()
                .skip(1)
                .any(|&b| b == b'.')
    })
}

/// Finds the entities of a plain text, non-overlapping, in order.
pub fn find_entities(text: &str) -> Vec<Entity> {
    find_entities_after_digit(text, next_digit(text.as_bytes(), 0))
}

/// [`find_entities`] for a text whose first ASCII digit is known to be at `first_digit`
/// (none: it has no digit), as its words tell without reading it again.
pub fn find_entities_after_digit(text: &str, first_digit: Option<usize>) -> Vec<Entity> {
    debug_assert_eq!(first_digit, next_digit(text.as_bytes(), 0));
    let mut found: Vec<Entity> = Vec::new();
    let taken = |found: &mut Vec<Entity>, kind, range: Range<usize>| {
        if found
            .iter()
            .any(|e| e.plain.start < range.end && range.start < e.plain.end)
        {
            return;
        }
        found.push(Entity {
            kind,
            text: text[range.clone()].to_string(),
            plain: range,
        });
    };
    let may_have_url = memchr::memchr(b'/', text.as_bytes()).is_some()
        || crate::language::www().find(text.as_bytes()).is_some();
    for m in may_have_url
        .then(|| url_pattern().find_iter(text))
        .into_iter()
        .flatten()
    {
        let trimmed = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"', '»']);
        taken(
            &mut found,
            EntityKind::Url,
            m.start()..m.start() + trimmed.len(),
        );
    }
    for m in may_hold_email(text.as_bytes())
        .then(|| email_pattern().find_iter(text))
        .into_iter()
        .flatten()
    {
        taken(&mut found, EntityKind::Email, m.range());
    }
    // Most messages have no digit at all, which spares the three number patterns.
    for m in matches_near_runs(card_pattern(), text, CARD_RUN, first_digit) {
        let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
        if (13..=19).contains(&digits.len()) && luhn_valid(&digits) && !all_same(&digits) {
            taken(&mut found, EntityKind::CardNumber, m.range());
        }
    }
    // Groups of four digits one space apart that do not start like a phone number („Договор
    // № 6201 4455 7788“, "Contract no. 6201 4455 7788") are one reference number: tried
    // before phones, which would take any nine digits or more with spaces.
    let references: Vec<Range<usize>> =
        matches_near_runs(reference_pattern(), text, REFERENCE_RUN, first_digit)
            .map(|m| m.range())
            .filter(|range| is_reference(text, range.clone()))
            .collect();
    for range in references
        .iter()
        .filter(|r| in_groups_of_four(&text[(*r).clone()]))
    {
        taken(&mut found, EntityKind::Reference, range.clone());
    }
    for m in matches_near_runs(phone_pattern(), text, PHONE_RUN, first_digit) {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        let has_phone_shape = m.as_str().starts_with('+')
            || m.as_str().contains([' ', '-', '(', ')'])
            || m.as_str().starts_with('0');
        if (9..=15).contains(&digits) && has_phone_shape && !looks_like_date(m.as_str()) {
            taken(&mut found, EntityKind::Phone, m.range());
        }
    }
    for range in references {
        taken(&mut found, EntityKind::Reference, range);
    }
    found.sort_by_key(|e| e.plain.start);
    found
}

/// Three or more groups of exactly four digits, one space apart, after an optional "№", "#"
/// or "No." prefix, the first group not starting with 0 (as a trunk prefix does: "0800 1234
/// 5678"). Two groups ("7731 0045") are too short for a phone anyway.
fn in_groups_of_four(token: &str) -> bool {
    let digits = token.trim_start_matches(|c: char| !c.is_ascii_digit());
    let groups: Vec<&str> = digits.split(' ').collect();
    groups.len() >= 3
        && !digits.starts_with('0')
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_digit()))
}

fn is_reference(text: &str, range: Range<usize>) -> bool {
    let token = &text[range.clone()];
    let digits = token.chars().filter(char::is_ascii_digit).count();
    if digits < 4 || looks_like_date(token) {
        return false;
    }
    // A lone year ("in 2024") is not a reference, nor are years side by side ("2023 2024").
    let year = |group: &str| {
        group.len() == 4
            && group.chars().all(|c| c.is_ascii_digit())
            && (group.starts_with("19") || group.starts_with("20"))
    };
    if token.split(' ').all(year) {
        return false;
    }
    // Amounts: "1500 руб", "2500 лв", "1200 USD".
    // Only the next few characters can name a unit; lower-casing the whole rest of a long
    // message for every number would make entity finding quadratic.
    let after: String = text[range.end..]
        .trim_start()
        .chars()
        .take(8)
        .flat_map(char::to_lowercase)
        .collect();
    let amount_units = [
        "руб", "р.", "₽", "лв", "лева", "usd", "eur", "евро", "долл", "$", "€", "gb", "mb", "км",
        "km", "mbps",
    ];
    if amount_units.iter().any(|u| after.starts_with(u)) {
        return false;
    }
    let before = text[..range.start].trim_end();
    !(before.ends_with('$') || before.ends_with('€') || before.ends_with('£'))
}

fn looks_like_date(token: &str) -> bool {
    let parts: Vec<&str> = token.split(['.', '-', '/']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
}

fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn all_same(digits: &[u32]) -> bool {
    digits.iter().all(|&d| d == digits[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(EntityKind, String)> {
        find_entities(text)
            .into_iter()
            .map(|e| (e.kind, e.text))
            .collect()
    }

    #[test]
    fn finds_common_support_data() {
        let found = kinds(
            "Order #48213, mail me at anna.k@example.com or +7 (912) 345-67-89. See https://help.acme.com/a/1.",
        );
        assert!(
            found.contains(&(EntityKind::Reference, "#48213".into())),
            "{found:?}"
        );
        assert!(found.contains(&(EntityKind::Email, "anna.k@example.com".into())));
        assert!(
            found.contains(&(EntityKind::Phone, "+7 (912) 345-67-89".into())),
            "{found:?}"
        );
        assert!(found.contains(&(EntityKind::Url, "https://help.acme.com/a/1".into())));
    }

    #[test]
    fn ignores_dates_years_and_amounts() {
        let found = kinds("Оплатил 1500 руб 12.03.2025, ещё в 2024 году.");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn card_numbers_need_luhn() {
        let found = kinds("card 4111 1111 1111 1111 and 1234 5678 9012 3456");
        assert_eq!(
            found[0],
            (EntityKind::CardNumber, "4111 1111 1111 1111".into())
        );
        assert!(
            !found
                .iter()
                .skip(1)
                .any(|(k, _)| *k == EntityKind::CardNumber)
        );
    }

    #[test]
    fn digit_groups_are_one_reference() {
        let found = kinds("Regards, Helen\nAccount no. 7731 0045");
        assert_eq!(found, vec![(EntityKind::Reference, "7731 0045".into())]);
        // Phones and card numbers keep their kind; years side by side are no number.
        assert_eq!(
            kinds("card 4111 1111 1111 1111, phone 07700 900123"),
            vec![
                (EntityKind::CardNumber, "4111 1111 1111 1111".into()),
                (EntityKind::Phone, "07700 900123".into())
            ]
        );
        assert!(kinds("в 2023 2024 годах").is_empty());
        assert_eq!(
            kinds("заказ 48213, 1500 руб"),
            vec![(EntityKind::Reference, "48213".into())]
        );
    }

    #[test]
    fn contract_numbers_in_groups_of_four_are_no_phone() {
        assert_eq!(
            kinds("Договор № 6201 4455 7788, за юни"),
            vec![(EntityKind::Reference, "6201 4455 7788".into())]
        );
        // A number that starts like a phone stays one.
        assert_eq!(
            kinds("call 0800 1234 5678"),
            vec![(EntityKind::Phone, "0800 1234 5678".into())]
        );
    }

    #[test]
    fn prefixed_references() {
        let found = kinds("поръчка ORD-48213 и пратка BG123456789");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(k, _)| *k == EntityKind::Reference));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Skipping to the number runs finds what scanning all the text finds.
        #[test]
        fn searching_near_runs_finds_every_match(
            text in "([0-9]{1,5}|[ ().+#№°/@_%-]|[a-zA-Z]{1,3}|N|No|[а-яА-Я]{1,2}|\\.|\\.com){0,16}"
        ) {
            for (pattern, run) in [
                (reference_pattern(), REFERENCE_RUN),
                (phone_pattern(), PHONE_RUN),
                (card_pattern(), CARD_RUN),
            ] {
                let first_digit = next_digit(text.as_bytes(), 0);
                let near: Vec<_> = matches_near_runs(pattern, &text, run, first_digit).map(|m| m.range()).collect();
                let all: Vec<_> = pattern.find_iter(&text).map(|m| m.range()).collect();
                proptest::prop_assert_eq!(near, all, "{:?} in {:?}", pattern.as_str(), text);
            }
            if !may_hold_email(text.as_bytes()) {
                proptest::prop_assert!(!email_pattern().is_match(&text), "e-mail in {text:?}");
            }
        }
    }

    #[test]
    fn phones_with_spaces() {
        let found = kinds("Please call me back at 07700 900123, I'm free after 2 pm.");
        assert!(
            found.contains(&(EntityKind::Phone, "07700 900123".into())),
            "{found:?}"
        );
    }
}
