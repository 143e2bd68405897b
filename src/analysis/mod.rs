//! The analysis of a conversation, computed once and shared by every rule.
//!
//! For each message: the language, plain text with an offset map back to the original,
//! quoted trail and signature, paragraphs, sentences, words with stems, entities and lexicon
//! hits. Rules read this and never re-tokenize.

mod boundaries;
mod entities;
mod letters;
mod mail;
mod markup;
mod segment;
pub mod signals;
mod spelling;
mod stem;

use std::ops::Range;

pub use entities::{Entity, EntityKind, find_entities};
pub use letters::{char_positions, is_letter, is_lower, is_upper, lowercase};
pub use mail::{MailRegions, find_regions};
pub use markup::{MarkdownLink, PlainText};
pub use segment::Abbreviations;
pub use spelling::Shape;
pub use stem::{WordStemmer, cyrillic_lower, normalize, phrase_pattern, phrase_problem};

use compact_str::CompactString;

use crate::conversation::{Channel, Conversation, Role};
use crate::language::{self, Detection, Evidence, Lang};
use crate::lexicon::{Hit, KnownId, LanguagePack, LexiconId, PrefixMask, ScannedWords};

/// Gives the analysis the compiled data of a language, built on first use.
pub trait PackSource {
    fn pack(&self, lang: Lang) -> &LanguagePack;

    /// The ids of the lexicons the shared signals and the rules read, looked up by name once
    /// per language and kept (see [`signals::LexiconIds::of`]).
    fn lexicon_ids(&self, lang: Lang) -> &signals::LexiconIds;
}

/// A word of a message.
#[derive(Debug, Clone)]
pub struct Word {
    /// Byte range in the plain text.
    pub plain: Range<usize>,
    /// Byte range in the original text.
    pub original: Range<usize>,
    /// Lower case, ё→е. (Inline strings: most words fit, and a message has many words.)
    pub norm: CompactString,
    pub stem: CompactString,
    pub sentence: usize,
    /// False inside a quoted trail or a signature.
    pub own: bool,
    /// A function word (pronoun, preposition, politeness) by the `function-words` lexicon.
    pub function: bool,
    /// What kinds of characters it has, read once per distinct word.
    pub shape: Shape,
    /// The stem's id in the lexicons of the language it was analysed in.
    pub(crate) known: KnownId,
    /// The phrase prefixes of those lexicons that the stem may start with.
    pub(crate) prefixes: PrefixMask,
}

/// A sentence of a message.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub plain: Range<usize>,
    pub original: Range<usize>,
    /// Indices into the message's words.
    pub words: Range<usize>,
    pub paragraph: usize,
    /// False inside a quoted trail or a signature.
    pub own: bool,
    /// Ends with a question mark.
    pub question: bool,
}

/// An entity with its place in the original text.
#[derive(Debug, Clone)]
pub struct FoundEntity {
    pub kind: EntityKind,
    pub original: Range<usize>,
    pub text: String,
    pub own: bool,
}

/// Everything known about one message.
#[derive(Debug, Clone)]
pub struct MessageAnalysis<'a> {
    pub index: usize,
    /// The message as written.
    pub original: &'a str,
    pub role: Role,
    /// The language the message was analysed in (its own when detection is sure, otherwise
    /// the thread's).
    pub lang: Lang,
    /// What detection said about this message alone (a Russian–Bulgarian tie is an
    /// unreliable Russian: whatlang breaks ties for threads, not for single messages).
    pub detected: Option<Detection>,
    /// What the whole message (quotes and signature included) says about its language.
    pub evidence: Evidence,
    pub plain: PlainText,
    pub mail: MailRegions,
    pub paragraphs: Vec<Range<usize>>,
    pub sentences: Vec<Sentence>,
    pub words: Vec<Word>,
    pub entities: Vec<FoundEntity>,
    pub hits: Vec<Hit>,
    pub attachments: Vec<String>,
    /// Signals read by several rules, kept once worked out (see [`signals::Memo`]).
    pub memo: signals::Memo,
}

/// The analysis of a whole conversation.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// The thread's language: the hint, or what the customer's messages are written in.
    pub lang: Lang,
    pub channel: Channel,
    pub messages: Vec<MessageAnalysis<'a>>,
}

impl<'a> Analysis<'a> {
    /// Analyses every message of a conversation. `default_lang` is used when neither a hint
    /// nor the text tells the language.
    pub fn new(
        conversation: &'a Conversation,
        packs: &dyn PackSource,
        default_lang: Lang,
    ) -> Analysis<'a> {
        spelling::begin_thread();
        // Each message's plain text and words, and from them its language evidence; the
        // thread's evidence is their sum.
        let prepared: Vec<Prepared> = conversation
            .messages
            .iter()
            .map(|m| Prepared::of(&m.text))
            .collect();
        let evidence: Vec<Evidence> = prepared
            .iter()
            .zip(&conversation.messages)
            .map(|(p, m)| p.evidence(&m.text))
            .collect();
        let lang = thread_language(conversation, &evidence, default_lang);
        let hinted = conversation.lang_hint().is_some();
        let messages = prepared
            .into_iter()
            .zip(&conversation.messages)
            .enumerate()
            .map(|(index, (prepared, message))| {
                let detected = evidence[index].decide_quickly();
                let message_lang = match detected {
                    Some(d) if d.reliable && !hinted => d.lang,
                    _ => lang,
                };
                let mut analysed = analyse_message(
                    index,
                    message,
                    prepared,
                    message_lang,
                    detected,
                    packs.pack(message_lang),
                    packs.lexicon_ids(message_lang),
                );
                analysed.evidence = evidence[index];
                analysed
            })
            .collect();
        Analysis {
            lang,
            channel: conversation.channel(),
            messages,
        }
    }
}

/// The language of a thread: the hint wins; otherwise the customer's messages together; then
/// all messages; then the default. `evidence` is each message's, in order.
fn thread_language(conversation: &Conversation, evidence: &[Evidence], default_lang: Lang) -> Lang {
    if let Some(lang) = conversation.lang_hint() {
        return lang;
    }
    let joined = |customer_only: bool| {
        let texts = conversation
            .messages
            .iter()
            .filter(move |m| !customer_only || m.role == Role::Customer)
            .map(|m| m.text.as_str());
        move || texts.collect::<Vec<_>>().join("\n")
    };
    let customer = conversation
        .messages
        .iter()
        .zip(evidence)
        .filter(|(m, _)| m.role == Role::Customer)
        .fold(Evidence::default(), |sum, (_, e)| sum + *e);
    if let Some(d) = customer.decide(joined(true)) {
        return d.lang;
    }
    let all = evidence.iter().fold(Evidence::default(), |sum, e| sum + *e);
    all.decide(joined(false)).map_or(default_lang, |d| d.lang)
}

/// What is read of a message before the thread's language is known: its plain text, its
/// words and their ids in the thread's word table.
struct Prepared {
    plain: PlainText,
    words: Vec<Range<usize>>,
    /// Only characters the word and sentence boundaries handle by hand.
    everyday: bool,
    ids: Vec<spelling::WordId>,
}

impl Prepared {
    fn of(text: &str) -> Prepared {
        let plain = PlainText::from_markdown(text);
        let (words, everyday) = boundaries::words_and_script(&plain.text);
        let ids = spelling::ids(&plain.text, &words);
        Prepared {
            plain,
            words,
            everyday,
            ids,
        }
    }

    /// What the message (its original `text`) says about its language: for a message that
    /// Markdown leaves as it is, in everyday characters, the sum of its words' evidence
    /// (worked out once per distinct word), leaving out addresses; otherwise read afresh.
    fn evidence(&self, text: &str) -> Evidence {
        if !(self.plain.is_identity() && self.everyday) {
            return Evidence::of(text);
        }
        let addresses = language::address_tokens(text);
        spelling::evidence(&self.ids, |k| {
            !addresses.iter().any(|a| a.contains(&self.words[k].start))
        })
    }
}

fn analyse_message<'a>(
    index: usize,
    message: &'a crate::conversation::Message,
    prepared: Prepared,
    lang: Lang,
    detected: Option<Detection>,
    pack: &LanguagePack,
    ids: &signals::LexiconIds,
) -> MessageAnalysis<'a> {
    let text = message.text.as_str();
    let Prepared {
        plain,
        words: word_ranges,
        everyday,
        ids: word_ids,
    } = prepared;
    let mail = find_regions(text);
    let abbreviations = language::abbreviations(lang);
    let paragraphs = segment::paragraphs(&plain.text);

    let mut sentences = Vec::with_capacity(4);
    let mut ranges = Vec::with_capacity(4);
    for (paragraph_index, paragraph) in paragraphs.iter().enumerate() {
        ranges.clear();
        segment::sentences(
            &plain.text,
            paragraph.clone(),
            abbreviations,
            everyday,
            &mut ranges,
        );
        for range in ranges.drain(..) {
            let original = plain.to_original(range.clone());
            let sentence_text = &plain.text[range.clone()];
            sentences.push(Sentence {
                question: ends_with_question_mark(sentence_text),
                own: !mail.is_excluded(original.start),
                plain: range,
                original,
                words: 0..0,
                paragraph: paragraph_index,
            });
        }
    }

    // About one word per six bytes in all three languages: one allocation, not a dozen.
    let mut words = Vec::with_capacity(plain.text.len() / 6 + 1);
    let mut sentence_index = 0;
    spelling::with_spellings(
        lang,
        pack,
        &plain.text,
        &word_ranges,
        &word_ids,
        |k, spelled| {
            let range = word_ranges[k].clone();
            while sentence_index + 1 < sentences.len()
                && sentences[sentence_index].plain.end <= range.start
            {
                sentence_index += 1;
            }
            let original = plain.to_original(range.clone());
            let mut shape = spelled.shape;
            // Where Markdown or an entity stood, the word as written is not the plain word.
            if !plain.is_identity()
                && text.as_bytes()[original.clone()] != *plain.text[range.clone()].as_bytes()
            {
                shape.set_written(text.get(original.clone()).unwrap_or(""));
            }
            words.push(Word {
                own: !mail.is_excluded(original.start),
                plain: range,
                original,
                norm: spelled.norm.clone(),
                stem: spelled.stem.clone(),
                sentence: sentence_index,
                function: false,
                shape,
                known: spelled.known,
                prefixes: spelled.prefixes,
            });
        },
    );
    for (i, sentence) in sentences.iter_mut().enumerate() {
        let first = words.partition_point(|w| w.sentence < i);
        let end = words.partition_point(|w| w.sentence <= i);
        sentence.words = first..end;
    }

    // Every digit is in a word (UAX #29 makes digits word characters).
    let first_digit = words
        .iter()
        .find(|w| w.shape.has_ascii_digit())
        .and_then(|w| {
            let at = plain.text[w.plain.clone()]
                .bytes()
                .position(|b| b.is_ascii_digit())?;
            Some(w.plain.start + at)
        });
    let mut entities: Vec<FoundEntity> =
        entities::find_entities_after_digit(&plain.text, first_digit)
            .into_iter()
            .map(|e| {
                let original = plain.to_original(e.plain.clone());
                FoundEntity {
                    kind: e.kind,
                    own: !mail.is_excluded(original.start),
                    original,
                    text: e.text,
                }
            })
            .collect();
    for link in &plain.links {
        if !entities
            .iter()
            .any(|e| e.kind == EntityKind::Url && e.text == link.url)
        {
            entities.push(FoundEntity {
                kind: if link.url.starts_with("mailto:") {
                    EntityKind::Email
                } else {
                    EntityKind::Url
                },
                own: !mail.is_excluded(link.original.start),
                original: link.original.clone(),
                text: link.url.clone(),
            });
        }
    }
    entities.sort_by_key(|e| e.original.start);

    let hits = pack.scan_words(&AnalysedWords(&words));
    // Question words carry no topic either: "how much" is not what a question is about.
    // Nor do the verbs of asking ("could you tell me", «подскажите»).
    let topicless = [ids.function_words, ids.question_words, ids.customer_request];
    {
        for hit in hits.iter().filter(|h| topicless.contains(&Some(h.lexicon))) {
            for word in &mut words[hit.words.clone()] {
                word.function = true;
            }
        }
    }

    MessageAnalysis {
        index,
        original: text,
        role: message.role,
        lang,
        detected,
        evidence: Evidence::default(),
        plain,
        mail,
        paragraphs,
        sentences,
        words,
        entities,
        hits,
        attachments: message.attachments.iter().map(|a| a.name.clone()).collect(),
        memo: signals::Memo::default(),
    }
}

/// A message's words as the lexicon scan reads them.
struct AnalysedWords<'w>(&'w [Word]);

impl ScannedWords for AnalysedWords<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn stem(&self, i: usize) -> &str {
        &self.0[i].stem
    }
    fn known(&self, i: usize) -> KnownId {
        self.0[i].known
    }
    fn prefixes(&self, i: usize) -> PrefixMask {
        self.0[i].prefixes
    }
    fn sentence(&self, i: usize) -> usize {
        self.0[i].sentence
    }
}

fn ends_with_question_mark(sentence: &str) -> bool {
    sentence
        .trim_end_matches(|c: char| {
            c.is_whitespace()
                || c == ')'
                || c == '"'
                || c == '»'
                || c == '!'
                || !c.is_ascii() && !c.is_alphanumeric() && c != '?' && c != '？'
        })
        .ends_with(['?', '？'])
}

impl<'a> MessageAnalysis<'a> {
    /// The original text of a byte range (empty when the range is not on char boundaries).
    pub fn text_at(&self, range: Range<usize>) -> &'a str {
        self.original.get(range).unwrap_or("")
    }

    /// Whether a byte offset of the original text lies inside a link: words there are an
    /// address ("…/article/cant-login"), not prose.
    pub fn in_link(&self, at: usize) -> bool {
        self.entities
            .iter()
            .any(|e| e.kind == EntityKind::Url && e.original.contains(&at))
    }

    /// The writer's own words: not quoted, not signature.
    pub fn own_words(&self) -> impl Iterator<Item = &Word> {
        self.words.iter().filter(|w| w.own)
    }

    pub fn own_sentences(&self) -> impl Iterator<Item = (usize, &Sentence)> {
        self.sentences.iter().enumerate().filter(|(_, s)| s.own)
    }

    pub fn own_word_count(&self) -> usize {
        self.own_words().count()
    }

    /// Hits of one lexicon, in order.
    pub fn hits_of(&self, lexicon: Option<LexiconId>) -> impl Iterator<Item = &Hit> {
        self.hits.iter().filter(move |h| Some(h.lexicon) == lexicon)
    }

    /// Hits of one lexicon that start inside a run of words, found by binary search (hits
    /// are sorted by their first word), so asking per sentence stays linear overall.
    pub fn hits_in_words(
        &self,
        lexicon: Option<LexiconId>,
        words: Range<usize>,
    ) -> impl Iterator<Item = &Hit> {
        let from = self.hits.partition_point(|h| h.words.start < words.start);
        let to = from + self.hits[from..].partition_point(|h| h.words.start < words.end);
        self.hits[from..to]
            .iter()
            .filter(move |h| Some(h.lexicon) == lexicon)
    }

    /// Hits of one lexicon in the writer's own words.
    pub fn own_hits_of(&self, lexicon: Option<LexiconId>) -> impl Iterator<Item = &Hit> {
        self.hits_of(lexicon)
            .filter(|h| self.words[h.words.start].own)
    }

    /// The original byte range covered by a run of words.
    pub fn words_span(&self, words: Range<usize>) -> Range<usize> {
        match (
            self.words.get(words.start),
            words.end.checked_sub(1).and_then(|i| self.words.get(i)),
        ) {
            (Some(first), Some(last)) => {
                first.original.start..last.original.end.max(first.original.start)
            }
            _ => 0..0,
        }
    }

    /// The plain text of a sentence.
    pub fn sentence_text(&self, sentence: &Sentence) -> &str {
        &self.plain.text[sentence.plain.clone()]
    }

    /// Stems of the content words in a run of words: not function words (the
    /// `function-words` lexicon), at least three letters, or numbers.
    pub fn content_stems(&self, words: Range<usize>) -> impl Iterator<Item = &str> {
        self.words
            .get(words)
            .unwrap_or(&[])
            .iter()
            .filter(|w| !w.function && (w.shape.chars() >= 3 || w.shape.has_ascii_digit()))
            .map(|w| w.stem.as_str())
    }

    /// Own paragraphs that hold at least one own sentence.
    pub fn own_paragraph_count(&self) -> usize {
        // Sentences come in paragraph order: count where the paragraph changes.
        let mut count = 0;
        let mut last = None;
        for (_, sentence) in self.own_sentences() {
            if last != Some(sentence.paragraph) {
                count += 1;
                last = Some(sentence.paragraph);
            }
        }
        count
    }
}
