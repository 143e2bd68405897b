//! `--redact`: e-mails, phone numbers, card numbers and order (reference) numbers masked in
//! every output, using the entities the analysis already finds.

use std::borrow::Cow;
use std::ops::Range;

use crate::analysis::{EntityKind, find_entities};

/// The kinds that are masked: personal data and the numbers that identify an order.
pub fn is_sensitive(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Email | EntityKind::Phone | EntityKind::CardNumber | EntityKind::Reference
    )
}

/// What a masked datum reads as.
pub fn mask(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Email => "[email]",
        EntityKind::Phone => "[phone]",
        EntityKind::CardNumber => "[card]",
        EntityKind::Reference => "[number]",
        EntityKind::Url => "[url]",
    }
}

/// Masks the sensitive data of a short text (a finding's message or help line).
pub fn redact_text(text: &str) -> Cow<'_, str> {
    if !text.bytes().any(|b| b.is_ascii_digit() || b == b'@') {
        return Cow::Borrowed(text);
    }
    let entities: Vec<(Range<usize>, EntityKind)> = find_entities(text)
        .into_iter()
        .filter(|e| is_sensitive(e.kind))
        .map(|e| (e.plain, e.kind))
        .collect();
    if entities.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(masked(text, 0..text.len(), &entities))
    }
}

/// `text[range]` with the parts that overlap a sensitive entity (ranges into `text`, sorted)
/// replaced by its mask. An entity cut by the range edge is masked on both sides.
pub fn masked(text: &str, range: Range<usize>, entities: &[(Range<usize>, EntityKind)]) -> String {
    let mut out = String::with_capacity(range.len());
    let mut at = range.start;
    let first = entities.partition_point(|(r, _)| r.end <= range.start);
    for (r, kind) in &entities[first..] {
        if r.start >= range.end {
            break;
        }
        let start = r.start.max(at);
        out.push_str(&text[at..start]);
        out.push_str(mask(*kind));
        at = r.end.min(range.end).max(start);
    }
    out.push_str(&text[at..range.end]);
    out
}

/// `text` with every sensitive entity (ranges into `text`) overwritten by `*`, byte for byte,
/// so that offsets into the text stay valid (for rendering findings over the redacted text).
pub fn masked_in_place(text: &str, entities: &[(Range<usize>, EntityKind)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, _) in entities {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.extend(std::iter::repeat_n('*', r.len()));
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_emails_phones_cards_and_orders() {
        let text = "Mail anna@example.com or call +1 415 555 0100 about order #482139, card 4111 1111 1111 1111.";
        let red = redact_text(text);
        assert!(!red.contains("anna@"), "{red}");
        assert!(!red.contains("555"), "{red}");
        assert!(!red.contains("482139"), "{red}");
        assert!(!red.contains("4111"), "{red}");
        assert!(red.contains("[email]") && red.contains("[card]"), "{red}");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(redact_text("no data here"), Cow::Borrowed(_)));
    }
}
