//! Conversation-level signals that several rules share: the customer's questions, whether
//! they are upset, what data they gave, what data a draft asks for, which sentences of a
//! draft answer, defer or point to a help page. Each reads the lexicon hits that the
//! analysis already found; nothing here re-tokenizes.

use compact_str::CompactString;
use rustc_hash::FxHashSet;
use std::ops::Range;
use std::sync::OnceLock;

use crate::analysis::{EntityKind, MessageAnalysis, Sentence};
use crate::language::Evidence;
use crate::lexicon::{Hit, LanguagePack, LexiconId};

/// The ids of the lexicons the shared signals read, in one language: looked up by name once
/// per language and linter (see [`crate::analysis::PackSource::lexicon_ids`]).
#[derive(Debug, Clone)]
pub struct LexiconIds {
    pub request: Option<LexiconId>,
    pub customer_request: Option<LexiconId>,
    pub data_kinds: Option<LexiconId>,
    pub given: Option<LexiconId>,
    pub attachment: Option<LexiconId>,
    pub devices: Option<LexiconId>,
    pub deferral: Option<LexiconId>,
    pub done: Option<LexiconId>,
    pub help_pointers: Option<LexiconId>,
    pub promo: Option<LexiconId>,
    pub upset: Option<LexiconId>,
    pub rhetorical: Option<LexiconId>,
    pub yes_no: Option<LexiconId>,
    pub small_talk: Option<LexiconId>,
    pub concepts: Option<LexiconId>,
    pub question_words: Option<LexiconId>,
    pub function_words: Option<LexiconId>,
    pub conjunctions: Option<LexiconId>,
    pub time_frames: Option<LexiconId>,
    pub detail_requests: Option<LexiconId>,
    pub goodwill: Option<LexiconId>,
    pub apology: Option<LexiconId>,
    pub new_data: Option<LexiconId>,
    pub offer: Option<LexiconId>,
    pub missing_attachment: Option<LexiconId>,
    pub contact_channels: Option<LexiconId>,
    pub dismissive: Option<LexiconId>,
    pub empathy: Option<LexiconId>,
    pub distress: Option<LexiconId>,
    pub overpromise: Option<LexiconId>,
    pub sensitive: Option<LexiconId>,
    pub acronyms: Option<LexiconId>,
    pub jargon: Option<LexiconId>,
    pub placeholder_words: Option<LexiconId>,
    pub vague_timeline: Option<LexiconId>,
    pub language_requests: Option<LexiconId>,
    pub translit: Option<LexiconId>,
    pub piecemeal: Option<LexiconId>,
    /// The request cues tagged `first-person` («пришлём»), in normal form: compared as
    /// written, since they share their stems with the imperatives («пришлите»).
    pub first_person_requests: Vec<String>,
    /// The term of `concepts` tagged `price`: the topic an amount of money names.
    pub price_concept: Option<usize>,
    /// The term of `concepts` tagged `time`: a question about it is answered by a time.
    pub time_concept: Option<usize>,
    /// The terms of `concepts` tagged `recommend` and `find`: a question about them asks
    /// for a place or a thing, which a name answers.
    pub item_concepts: [Option<usize>; 2],
}

impl LexiconIds {
    pub fn of(pack: &LanguagePack) -> LexiconIds {
        let id = |name: &str| pack.lexicon_id(name);
        let concept = |tag: &str| {
            id("concepts").and_then(|concepts| {
                pack.lexicon(concepts)
                    .terms
                    .iter()
                    .position(|t| t.tag.as_deref() == Some(tag))
            })
        };
        LexiconIds {
            request: id("request-cues"),
            customer_request: id("customer-requests"),
            data_kinds: id("data-kinds"),
            given: id("given-cues"),
            attachment: id("attachment-cues"),
            devices: id("devices"),
            deferral: id("deferral"),
            done: id("done"),
            help_pointers: id("help-pointers"),
            promo: id("promo"),
            upset: id("upset"),
            rhetorical: id("rhetorical"),
            yes_no: id("yes-no-answers"),
            small_talk: id("small-talk"),
            concepts: id("concepts"),
            question_words: id("question-words"),
            function_words: id("function-words"),
            conjunctions: id("conjunctions"),
            time_frames: id("time-frames"),
            detail_requests: id("detail-requests"),
            goodwill: id("goodwill"),
            apology: id("apology"),
            new_data: id("new-data-cues"),
            offer: id("offer-cues"),
            missing_attachment: id("missing-attachment"),
            contact_channels: id("contact-channels"),
            dismissive: id("dismissive"),
            empathy: id("empathy"),
            distress: id("distress"),
            overpromise: id("overpromise"),
            sensitive: id("sensitive-data"),
            acronyms: id("acronyms"),
            jargon: id("jargon"),
            placeholder_words: id("placeholder-words"),
            vague_timeline: id("vague-timeline"),
            language_requests: id("language-requests"),
            translit: id("translit"),
            piecemeal: id("piecemeal"),
            first_person_requests: id("request-cues")
                .map(|request| {
                    pack.lexicon(request)
                        .phrases_tagged("first-person")
                        .map(crate::analysis::normalize)
                        .collect()
                })
                .unwrap_or_default(),
            price_concept: concept("price"),
            time_concept: concept("time"),
            item_concepts: [concept("recommend"), concept("find")],
        }
    }
}

/// A language's data with the ids of its shared lexicons (read as fields: `lex.upset`).
pub struct Lexicons<'p> {
    pub pack: &'p LanguagePack,
    ids: std::borrow::Cow<'p, LexiconIds>,
}

impl std::ops::Deref for Lexicons<'_> {
    type Target = LexiconIds;

    fn deref(&self) -> &LexiconIds {
        &self.ids
    }
}

impl<'p> Lexicons<'p> {
    pub fn new(pack: &'p LanguagePack, ids: &'p LexiconIds) -> Lexicons<'p> {
        Lexicons {
            pack,
            ids: std::borrow::Cow::Borrowed(ids),
        }
    }

    /// Looks the ids up: for one-off use; a linter keeps them per language.
    pub fn of(pack: &'p LanguagePack) -> Lexicons<'p> {
        Lexicons {
            pack,
            ids: std::borrow::Cow::Owned(LexiconIds::of(pack)),
        }
    }

    pub fn tag(&self, hit: &Hit) -> Option<&'p str> {
        self.pack.term(hit).tag.as_deref()
    }
}

/// Hits of a lexicon inside one sentence.
pub fn hits_in<'m>(
    message: &'m MessageAnalysis<'_>,
    lexicon: Option<LexiconId>,
    sentence: &Sentence,
) -> impl Iterator<Item = &'m Hit> {
    message.hits_in_words(lexicon, sentence.words.clone())
}

pub fn has_hit(
    message: &MessageAnalysis<'_>,
    lexicon: Option<LexiconId>,
    sentence: &Sentence,
) -> bool {
    hits_in(message, lexicon, sentence).next().is_some()
}

/// The question words in a run of a message's words, leaving out indefinite pronouns:
/// «что-нибудь», «какой-то», «кто-либо» ask nothing («У вас есть что-нибудь в центре?» is a
/// yes/no question).
pub fn question_words_in<'m>(
    message: &'m MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    words: Range<usize>,
) -> impl Iterator<Item = &'m Hit> + 'm {
    message
        .hits_in_words(lex.question_words, words)
        .filter(move |h| !is_indefinite(message, h.words.end))
}

/// Whether the word before `end` takes an indefinite particle: «что-нибудь», «где-то».
fn is_indefinite(message: &MessageAnalysis<'_>, end: usize) -> bool {
    let Some(last) = end.checked_sub(1).and_then(|i| message.words.get(i)) else {
        return false;
    };
    let Some(rest) = message
        .original
        .get(last.original.end..)
        .and_then(|after| after.strip_prefix('-'))
    else {
        return false;
    };
    ["нибудь", "нибуть", "либо", "то"].iter().any(|particle| {
        let mut chars = rest.chars();
        particle.chars().all(|p| {
            chars
                .next()
                .is_some_and(|c| c.to_lowercase().eq(std::iter::once(p)))
        }) && !chars.next().is_some_and(char::is_alphabetic)
    })
}

/// A question or request the customer asked.
#[derive(Debug, Clone)]
pub struct Question {
    pub message: usize,
    pub sentence: usize,
    /// Original byte range in the customer's message.
    pub span: Range<usize>,
    /// Stems of its content words (inline strings: most stems fit, and no allocation each).
    pub content: FxHashSet<CompactString>,
    pub concepts: FxHashSet<usize>,
    pub yes_no: bool,
    /// Asks with a question word (what, how much, when, где, колко): open, answerable by a
    /// figure or a name.
    pub open: bool,
    /// Names a kind of data ("can I get the train number?"): a figure or a code answers it.
    pub names_data: bool,
    /// Asks about time ("how long", «сколько времени», „кога“): a time frame answers it.
    pub asks_time: bool,
    /// Asks what something costs: a question word with the price topic right after it
    /// ("how much will it cost", «сколько стоит», „колко ще струва“), not "why was I
    /// charged a fee".
    pub asks_price: bool,
    /// Asks where, or which thing ("where did he leave it", «какие документы нужны»): a
    /// time tells neither.
    pub asks_which: bool,
    /// Asks why ("why has it doubled", tag `why` of the question words).
    pub asks_why: bool,
    /// Fewer than two content words of its own ("Can you look into it?", "Any update?"):
    /// it asks about the message as a whole.
    pub generic: bool,
}

/// The concept groups (synonym sets) a run of words touches.
pub fn concepts_in(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    words: Range<usize>,
) -> FxHashSet<usize> {
    message
        .hits_in_words(lex.concepts, words)
        .map(|h| h.term)
        .collect()
}

/// Signals of one message, worked out on first use and kept: several rules read the same
/// ones, and in an audit every later draft reads them again.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    questions: OnceLock<Vec<Question>>,
    data_requests: OnceLock<Vec<DataRequest>>,
    given: OnceLock<Vec<Given>>,
    template_slots: OnceLock<Vec<TemplateSlot>>,
    upset: OnceLock<(usize, Option<Range<usize>>)>,
    own_evidence: OnceLock<Evidence>,
    quoted: OnceLock<Vec<Range<usize>>>,
}

/// The quotations of a message's original text (see [`quoted_ranges`]), kept once found.
pub fn quotations<'m>(message: &'m MessageAnalysis<'_>) -> &'m [Range<usize>] {
    message
        .memo
        .quoted
        .get_or_init(|| quoted_ranges(message.original))
}

/// What the writer's own sentences (no quoted trail, no signature) say about their language.
pub fn own_evidence(message: &MessageAnalysis<'_>) -> Evidence {
    *message.memo.own_evidence.get_or_init(|| {
        // A message with no quote, no signature and no markup is all its own: the evidence
        // of its whole text, read once already, is the answer.
        let all_own = message.mail.quoted.is_empty()
            && message.mail.signature.is_none()
            && message.plain.text.trim_end() == message.original.trim_end();
        if all_own {
            return message.evidence;
        }
        message
            .own_sentences()
            .map(|(_, s)| Evidence::of(message.sentence_text(s)))
            .fold(Evidence::default(), |sum, e| sum + e)
    })
}

/// Questions and explicit requests in a customer message, without venting questions.
pub fn questions<'m>(message: &'m MessageAnalysis<'_>, lex: &Lexicons<'_>) -> &'m [Question] {
    message
        .memo
        .questions
        .get_or_init(|| find_questions(message, lex))
}

fn find_questions(message: &MessageAnalysis<'_>, lex: &Lexicons<'_>) -> Vec<Question> {
    let mut out = Vec::new();
    let mut previous: Option<&Sentence> = None;
    for (index, sentence) in message.own_sentences() {
        let text = message.sentence_text(sentence);
        // The text between word k and the word before it.
        let gap_before = |k: usize| {
            message
                .original
                .get(message.words_span(k - 1..k).end..message.words_span(k..k + 1).start)
        };
        // A comma, a dash or a colon before word k starts a clause: "just moved, can i take
        // it with me", „Забравих да добавя – моля, изпратете ми ...“.
        let after_break = |k: usize| {
            k > sentence.words.start
                && gap_before(k)
                    .is_some_and(|gap| gap.contains([',', ';', ':', '–', '—']) || gap.trim() == "-")
        };
        // Not thanks: «что» after «Спасибо,» is "that" («Спасибо, что нашли отель»).
        let greeting_before = |k: usize| {
            hits_in(message, lex.small_talk, sentence).any(|h| {
                h.words.start == sentence.words.start
                    && h.words.end >= k
                    && lex.tag(h) != Some("thanks")
            })
        };
        // The sentence starts at word k for a question: nothing but conjunctions and greetings
        // stand before it ("and will the price go up", "hi is my card blocked").
        let conjunctions = lex.conjunctions;
        let clause_start = |k: usize| {
            k == sentence.words.start
                || greeting_before(k)
                || (sentence.words.start..k).all(|w| {
                    hits_in(message, conjunctions, sentence)
                        .chain(hits_in(message, lex.small_talk, sentence))
                        .any(|h| h.words.contains(&w))
                })
        };
        // «И ще ми върнете ли парите»: the particle follows the verb, after the clitics (ще,
        // ми, се), so it may stand further in; it asks when the verb, right before it, is the
        // only word before it that is not a function word.
        let particle_after_verb = |from: usize, k: usize| {
            k > from
                && !message.words[k - 1].function
                && message.words[from..k - 1].iter().all(|w| w.function)
        };
        // A request without a question mark opens with its cue ("Please send me...",
        // «Подскажите, ...»), or a clause of the sentence does; a cue deep in a statement is
        // not a request. An inverted verb ("is my card blocked") asks only where a clause
        // starts: "This is the third time" asks nothing.
        // Inside a sentence only the cue as written counts: «помог» (helped) shares its stem
        // with «помоги», "returned" with "return"; and only when it opens something: a
        // closing «..., пожалуйста.» asks for nothing new.
        let listed = |h: &Hit| {
            let word = message.words[h.words.start].norm.as_str();
            lex.pack.term(h).phrases.iter().any(|p| *p == word)
        };
        let as_written = |h: &Hit| {
            let opens_something = message
                .content_stems(h.words.end..sentence.words.end)
                .nth(1)
                .is_some();
            // «место, где можно поесть»: a question word after a comma opens a relative
            // clause (see below).
            let relative_clause = question_words_in(message, lex, h.words.start..h.words.start + 1)
                .next()
                .is_some();
            if !opens_something || relative_clause {
                return false;
            }
            let written = message.words[h.words.clone()]
                .iter()
                .map(|w| w.norm.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            lex.pack.term(h).phrases.iter().any(|p| *p == written)
        };
        let mut inverted = false;
        let opens_with_request = hits_in(message, lex.customer_request, sentence).any(|h| {
            let k = h.words.start;
            let opens = match lex.tag(h) {
                Some("inversion") => {
                    k < sentence.words.start + 3 && clause_start(k)
                        || after_break(k) && as_written(h)
                }
                Some("particle") => {
                    k < sentence.words.start + 3 || particle_after_verb(sentence.words.start, k)
                }
                // A one-word cue at the start is the request as listed: «Поменял номер» (I
                // changed) shares its stem with «поменяйте» (change!), "pleased" with "please".
                _ => {
                    k < sentence.words.start + 3 && (h.words.len() > 1 || listed(h))
                        || after_break(k) && as_written(h)
                }
            };
            inverted |= opens && matches!(lex.tag(h), Some("inversion" | "particle"));
            opens
        });
        // A question word after a comma opens a relative clause («нещо, което пази», "the
        // one, which..."), unless only a greeting stands before it («здр, колко струва»).
        let relative = |k: usize| {
            k > sentence.words.start
                && !greeting_before(k)
                && gap_before(k).is_some_and(|gap| gap.contains(','))
        };
        // Chat writers drop the question mark: "and how long does it take", «до колко часа
        // работи офисът» open with a question word.
        let opens_with_question_word = question_words_in(message, lex, sentence.words.clone())
            .any(|h| h.words.start < sentence.words.start + 3 && !relative(h.words.start));
        let asks = sentence.question || opens_with_request || opens_with_question_word;
        let context = previous.replace(sentence);
        if !asks || is_venting(message, lex, sentence, text) {
            continue;
        }
        // A question word after a comma that follows a word of content opens a relative
        // clause, and the question is still yes or no: «Есть ли рестораны, где подают
        // тайскую еду?», «Вы уверены, что ничего нет?», „Има ли хотел, който приема кучета?“.
        // After a request or a pronoun («Подскажите, где …», «Скажите мне, когда …») it asks.
        let after_content_word = |k: usize| {
            relative(k) && {
                let before = &message.words[k - 1];
                !before.function && before.shape.has_alphabetic()
            }
        };
        let has_wh = question_words_in(message, lex, sentence.words.clone())
            .any(|h| !after_content_word(h.words.start));
        for clause in clauses(message, lex, sentence) {
            let mut content: FxHashSet<CompactString> = message
                .content_stems(clause.clone())
                .map(CompactString::from)
                .collect();
            let mut concepts = concepts_in(message, lex, clause.clone());
            // "... in person, and how much does it cost?": a clause of one word that opens
            // with a question word about price, time or the way asks one thing of its own;
            // "Can you check?" takes its topic from the sentence before it, and asks about the
            // message as a whole.
            let follow_up = content.len() == 1
                && clause.start > sentence.words.start
                && asks_price_or_time(message, lex, clause.clone());
            let generic = content.len() < 2 && !follow_up;
            if generic && let Some(context) = context {
                content.extend(
                    message
                        .content_stems(context.words.clone())
                        .map(CompactString::from),
                );
                concepts.extend(concepts_in(message, lex, context.words.clone()));
            }
            if content.is_empty() && concepts.is_empty() {
                continue;
            }
            // "Is there anything cheaper?", «Есть ли какие-нибудь музеи?»: a yes/no question
            // that a named instance answers as well as a "yes" does.
            let clause_wh = message
                .hits_in_words(lex.question_words, clause.clone())
                .next()
                .is_some();
            let names_data = message
                .hits_in_words(lex.data_kinds, clause.clone())
                .any(|h| !lex.tag(h).is_some_and(|t| t.ends_with(LABEL)));
            let asks_time =
                question_words_in(message, lex, clause.clone()).any(|h| lex.tag(h) == Some("time"));
            // The question word as written: «как» shares its stem with «какой», „какво“ with
            // „какви“, and so the term (and tag) of the other.
            let written_as_listed = |h: &Hit| {
                let written = &message.words[h.words.clone()];
                lex.pack.term(h).phrases.iter().any(|p| {
                    p.split(' ').count() == written.len()
                        && p.split(' ').zip(written).all(|(p, w)| p == w.norm.as_str())
                })
            };
            let asks_which = question_words_in(message, lex, clause.clone())
                .any(|h| lex.tag(h) == Some("which") && written_as_listed(h));
            let asks_why =
                question_words_in(message, lex, clause.clone()).any(|h| lex.tag(h) == Some("why"));
            // "How about the moderate price range?" asks for no price.
            let asks_price = question_words_in(message, lex, clause.clone()).any(|wh| {
                lex.tag(wh) != Some("how")
                    && message
                        .hits_in_words(
                            lex.concepts,
                            wh.words.start..(wh.words.end + 3).min(clause.end),
                        )
                        .any(|h| lex.tag(h) == Some("price"))
                    && written_as_listed(wh)
            });
            out.push(Question {
                message: message.index,
                sentence: index,
                names_data,
                asks_time,
                asks_price,
                asks_which,
                asks_why,
                span: message.words_span(clause),
                content,
                concepts,
                yes_no: (sentence.question || inverted) && !has_wh,
                open: clause_wh,
                generic,
            });
        }
    }
    out
}

/// The questions inside one sentence: "could you tell me the IBAN, and what is the daily
/// limit?" asks two things. A clause starts where a conjunction is followed by a question word
/// or a request opener (after a preposition: «и до колко часа», "and by when"), or by a
/// question particle within its first words («и закуската включена ли е»).
fn clauses(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    sentence: &Sentence,
) -> Vec<Range<usize>> {
    let conjunctions = lex.conjunctions;
    let end = sentence.words.end;
    let opens = |k: usize| {
        let after_preposition = message.words.get(k).is_some_and(|w| w.function);
        let opener = |h: &Hit| h.words.start == k || h.words.start == k + 1 && after_preposition;
        // «и ще ми начислите ли нещо»: the particle after the verb and its clitics.
        let particle = |h: &Hit| {
            h.words.start < k + 3
                || h.words.start > k
                    && !message.words[h.words.start - 1].function
                    && message.words[k..h.words.start - 1]
                        .iter()
                        .all(|w| w.function)
        };
        question_words_in(message, lex, k..(k + 2).min(end)).any(opener)
            || message
                .hits_in_words(lex.customer_request, k..(k + 5).min(end))
                .any(|h| match lex.tag(h) {
                    Some("particle") => particle(h),
                    _ => h.words.start < k + 3 && opener(h),
                })
    };
    let mut cuts = Vec::new();
    for hit in hits_in(message, conjunctions, sentence) {
        let next = hit.words.end;
        // "do I pay for everyone or do they pay separately?" is one question with two
        // options: answering either answers it. "Is a fix coming, or how else can I get
        // it?" asks a second question.
        let asks_anew = question_words_in(message, lex, next..(next + 2).min(end))
            .any(|h| h.words.start == next);
        if lex.tag(hit) == Some("alternative") && !asks_anew {
            continue;
        }
        if hit.words.start > sentence.words.start + 2 && next + 1 < end && opens(next) {
            cuts.push((hit.words.start, next));
        }
    }
    // A clause needs two content words of its own to be a question by itself, or one after
    // its question word; otherwise it stays with its neighbour ("I want to know, and what
    // is...", "and how much"). The clause before the cut may count its question word:
    // «когда её доставят» is one.
    let content = |range: std::ops::Range<usize>| message.content_stems(range).count();
    let leading = |range: std::ops::Range<usize>| {
        let asks = question_words_in(message, lex, range.clone()).count();
        content(range) + asks >= 2
    };
    // "... and how much is it?", «и когда привезут?», „и как да го поискам?“: a question
    // word about price, time or the way with one word of its own asks one more thing about
    // what the clause before names.
    let asks_with_its_own_word = |range: std::ops::Range<usize>| {
        let own = content(range.clone());
        own >= 2 || own == 1 && asks_price_or_time(message, lex, range)
    };
    let mut out = Vec::new();
    let mut start = sentence.words.start;
    for (index, &(end, next)) in cuts.iter().enumerate() {
        let following_end = cuts.get(index + 1).map_or(sentence.words.end, |c| c.0);
        if leading(start..end) && asks_with_its_own_word(next..following_end) {
            out.push(start..end);
            start = next;
        }
    }
    out.push(start..sentence.words.end);
    out
}

/// Whether a clause opens with a question word about time or the way ("when", «во сколько»,
/// „кога“, "how", «как»), or with one and names a price ("how much does it cost", «сколько
/// стоит», „колко струва“). "and what kind of food" rather describes what the clause before
/// names.
fn asks_price_or_time(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    clause: Range<usize>,
) -> bool {
    let mut opening = question_words_in(message, lex, clause.clone())
        .filter(|h| h.words.start == clause.start)
        .peekable();
    if opening.peek().is_none() {
        return false;
    }
    opening.any(|h| matches!(lex.tag(h), Some("time" | "how")))
        || message
            .hits_in_words(lex.concepts, clause)
            .any(|h| lex.tag(h) == Some("price"))
}

/// "Are you kidding me?!", "Сколько можно?!": a rhetorical cue in a short question, or a
/// question that shouts.
fn is_venting(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    sentence: &Sentence,
    text: &str,
) -> bool {
    let rhetorical: Vec<&Hit> = hits_in(message, lex.rhetorical, sentence).collect();
    if rhetorical.is_empty() {
        return false;
    }
    let cue_words: usize = rhetorical.iter().map(|h| h.words.len()).sum();
    let content = message.content_stems(sentence.words.clone()).count();
    text.contains("?!") || text.contains("!?") || content <= cue_words + 2
}

/// How upset a customer message reads: complaint and anger words (strong 2, weak 1),
/// "!!" or "?!", and two or more shouted words. Returns the score and the first cue.
pub fn upset_score(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
) -> (usize, Option<Range<usize>>) {
    message
        .memo
        .upset
        .get_or_init(|| find_upset_score(message, lex))
        .clone()
}

fn find_upset_score(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
) -> (usize, Option<Range<usize>>) {
    let mut score = 0;
    let mut first = None;
    for hit in upset_hits(message, lex) {
        score += match lex.tag(hit) {
            Some("strong") => 2,
            Some("weak") => 1,
            _ => continue,
        };
        first.get_or_insert(message.words_span(hit.words.clone()));
    }
    // "!!", "?!" or "!?" in an own sentence.
    let exclaims = message.own_sentences().any(|(_, s)| {
        let text = message.sentence_text(s).as_bytes();
        memchr::memchr2_iter(b'!', b'?', text).any(|at| {
            text.get(at + 1)
                .is_some_and(|&next| next == b'!' || next == b'?' && text[at] == b'!')
        })
    });
    if exclaims {
        score += 1;
    }
    let shouted = message
        .own_words()
        .filter(|w| {
            !w.shape.written_has_lowercase() && w.shape.chars() >= 4 && w.shape.is_alphabetic()
        })
        .count();
    if shouted >= 2 {
        score += 1;
    }
    (score, first)
}

/// Whether a customer message reports a problem (or shows any dissatisfaction at all): a
/// weaker signal than being upset.
pub fn reports_problem(message: &MessageAnalysis<'_>, lex: &Lexicons<'_>) -> bool {
    !upset_hits(message, lex).is_empty()
}

/// The customer's own hits of the `upset` lexicon that say they are unhappy: not its
/// conditions, and not a cue that is [`only_supposed`].
pub fn upset_hits<'m>(message: &'m MessageAnalysis<'_>, lex: &Lexicons<'_>) -> Vec<&'m Hit> {
    message
        .own_hits_of(lex.upset)
        .filter(|h| lex.tag(h) != Some("condition") && !only_supposed(message, lex, h))
        .collect()
}

/// Whether a cue of unhappiness comes a few words after a condition of the `upset` lexicon
/// in its sentence («если это невозможно», "if that's unavailable"): it supposes a problem,
/// it does not report one.
pub fn only_supposed(message: &MessageAnalysis<'_>, lex: &Lexicons<'_>, cue: &Hit) -> bool {
    let sentence = message.words[cue.words.start].sentence;
    message.own_hits_of(lex.upset).any(|c| {
        lex.tag(c) == Some("condition")
            && c.words.end <= cue.words.start
            && cue.words.start < c.words.end + 4
            && message.words[c.words.start].sentence == sentence
    })
}

/// Score at which a customer counts as upset.
pub const UPSET_THRESHOLD: usize = 2;

/// A kind of data, as the `data-kinds` lexicon tags it.
pub type DataKind = &'static str;

/// The ending of a `data-kinds` tag for a bare label ("contract", «договор»): it names the
/// kind of the number right after it, and asks for nothing.
const LABEL: &str = "-label";

/// Kinds that are reference numbers of one sort or another.
pub const REFERENCE_KINDS: &[&str] = &["order", "tracking", "ticket", "account"];

/// A request in a draft for one kind of data.
#[derive(Debug, Clone)]
pub struct DataRequest {
    pub kind: String,
    pub sentence: usize,
    /// Words of the data-kind phrase.
    pub words: Range<usize>,
}

/// The data a message asks for: data kinds named in sentences that ask (a request cue, or a
/// question mark).
pub fn data_requests<'m>(
    message: &'m MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
) -> &'m [DataRequest] {
    message
        .memo
        .data_requests
        .get_or_init(|| find_data_requests(message, lex))
}

fn find_data_requests(message: &MessageAnalysis<'_>, lex: &Lexicons<'_>) -> Vec<DataRequest> {
    let mut out = Vec::new();
    for (index, sentence) in message.own_sentences() {
        let asks = hits_in(message, lex.request, sentence).any(|h| !first_person(message, lex, h));
        if !(sentence.question || asks) {
            continue;
        }
        // Where the last offered kind ended: "their phone number or address" offers both.
        let mut offered_until: Option<usize> = None;
        for hit in hits_in(message, lex.data_kinds, sentence) {
            if !asks_for_the_customers(message, lex, sentence, hit, &mut offered_until) {
                continue;
            }
            // A label ("договор", "contract") names a kind only right before its number.
            if let Some(kind) = lex.tag(hit).filter(|k| !k.ends_with(LABEL)) {
                out.push(DataRequest {
                    kind: kind.to_string(),
                    sentence: index,
                    words: hit.words.clone(),
                });
            }
        }
    }
    out
}

/// Whether a data kind named in a request or question asks for the customer's own datum.
/// It does not when the message gives the value right after it ("Their phone number:
/// 01223 327978", «Контактный номер: 07804688108», "Open link: https://…"), when it is part
/// of a link ("…/article/cant-login"), or when the question offers it ("Would you like
/// their phone number?", «Вам нужны все телефонные номера?») or names someone else's ("the
/// courier's phone number"), alone or listed with kinds offered before it (`offered_until`,
/// updated here).
fn asks_for_the_customers(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    sentence: &Sentence,
    kind: &Hit,
    offered_until: &mut Option<usize>,
) -> bool {
    let span = message.words_span(kind.words.clone());
    let in_link = message.in_link(span.start);
    let value_follows = message.entities.iter().any(|e| {
        e.original.start >= span.end
            && message
                .original
                .get(span.end..e.original.start)
                .is_some_and(|between| {
                    between.chars().all(|c| {
                        c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '=' | '#' | '№')
                    })
                })
    });
    // An offer reaches a few words on ("Вы хотите бронирование или их номер телефона?"),
    // but not past a request: "Если хотите, пришлите номер заказа" asks for it.
    let reaches = |from: usize, words: usize| {
        from <= kind.words.start
            && from + words > kind.words.start
            && message
                .hits_in_words(lex.request, from..kind.words.start)
                .next()
                .is_none()
    };
    let offered = message
        .hits_in_words(lex.offer, sentence.words.start..kind.words.start)
        .any(|h| reaches(h.words.end, 4))
        || offered_until.is_some_and(|end| reaches(end, 3));
    if offered {
        *offered_until = Some(kind.words.end);
    }
    !(in_link || value_follows || offered)
}

/// Whether a request cue is written in the first person: the stemmer makes one stem of an
/// imperative and the agent's own future («пришлите» and «пришлём»), so «Трек-номер пришлём
/// в SMS» would ask for the tracking number. The forms are the request lexicon's term tagged
/// `first-person`, compared as written.
fn first_person(message: &MessageAnalysis<'_>, lex: &Lexicons<'_>, hit: &Hit) -> bool {
    let written = &message.words[hit.words.start].norm;
    lex.first_person_requests
        .iter()
        .any(|p| p == written.as_str())
}

/// A datum the customer gave, and where.
#[derive(Debug, Clone)]
pub struct Given {
    pub kind: String,
    pub message: usize,
    /// Original byte range in that message.
    pub span: Range<usize>,
    /// The value as written, when there is one (an order number, an address).
    pub value: Option<String>,
}

/// Everything a customer message gives: entities (with the kind of reference told by the
/// words around it), attachments, device names, and data given in words.
pub fn given_data<'m>(message: &'m MessageAnalysis<'_>, lex: &Lexicons<'_>) -> &'m [Given] {
    message
        .memo
        .given
        .get_or_init(|| find_given_data(message, lex))
}

fn find_given_data(message: &MessageAnalysis<'_>, lex: &Lexicons<'_>) -> Vec<Given> {
    let mut out = Vec::new();
    let whole = 0..message.original.len();
    for entity in &message.entities {
        let kind = match entity.kind {
            EntityKind::Email => "email".to_string(),
            // "товарителница 1054 3321 987", "order no. 0412 5566 7788": a number shaped like
            // a phone that a reference label names right before it is that reference.
            EntityKind::Phone => labelled_reference(message, lex, entity.original.clone())
                .unwrap_or("phone")
                .to_string(),
            EntityKind::Url => "link".to_string(),
            EntityKind::CardNumber => "card".to_string(),
            EntityKind::Reference => {
                reference_kind(message, lex, entity.original.clone(), &entity.text)
            }
        };
        out.push(Given {
            kind,
            message: message.index,
            span: entity.original.clone(),
            value: Some(entity.text.clone()),
        });
    }
    // Booking references and other codes mix capitals and digits ("K7P2QX91", "RX4T9P")
    // without the run of four digits that makes an entity; the words already tell their
    // shape.
    for word in &message.words {
        let shape = word.shape;
        if !(shape.has_ascii_digit() && shape.has_ascii_alphabetic())
            || shape.written_has_lowercase()
            || !is_code(&word.norm)
            || message.entities.iter().any(|e| {
                e.original.start < word.original.end && word.original.start < e.original.end
            })
        {
            continue;
        }
        let text = message.text_at(word.original.clone());
        out.push(Given {
            kind: reference_kind(message, lex, word.original.clone(), text),
            message: message.index,
            span: word.original.clone(),
            value: Some(text.to_string()),
        });
    }
    if !message.attachments.is_empty() {
        out.push(Given {
            kind: "screenshot".into(),
            message: message.index,
            span: 0..0,
            value: message.attachments.first().cloned(),
        });
    }
    for hit in message.hits_of(lex.attachment) {
        out.push(Given {
            kind: "screenshot".into(),
            message: message.index,
            span: message.words_span(hit.words.clone()),
            value: None,
        });
    }
    for hit in message.hits_of(lex.devices) {
        if let Some(tag) = lex.tag(hit) {
            out.push(Given {
                kind: tag.to_string(),
                message: message.index,
                span: message.words_span(hit.words.clone()),
                value: None,
            });
        }
    }
    for hit in message.hits_of(lex.given) {
        if let Some(tag) = lex.tag(hit) {
            // Only when the sentence goes on after the cue: "my username is" needs a value.
            let sentence = &message.sentences[message.words[hit.words.start].sentence];
            // An address has a number: "we bought a flat" gives none, «кв. 12» does.
            let value_words = &message.words[hit.words.start..sentence.words.end];
            let numbered = value_words
                .iter()
                .any(|w| w.norm.chars().any(|c| c.is_ascii_digit()));
            // Nor does a phone without digits, or an e-mail without an address: «мне нужен
            // номер телефона и плата за вход» asks for a number, it gives none.
            let cue_start = message.words[hit.words.start].original.start;
            let addressed = message.entities.iter().any(|e| {
                e.kind == EntityKind::Email
                    && (cue_start..sentence.original.end).contains(&e.original.start)
            });
            if (tag == "address" || tag == "phone") && !numbered || tag == "email" && !addressed {
                continue;
            }
            if hit.words.end < sentence.words.end {
                let span = message.words_span(hit.words.start..sentence.words.end);
                out.push(Given {
                    kind: tag.to_string(),
                    message: message.index,
                    value: Some(message.text_at(span.clone()).to_string()),
                    span,
                });
            }
        }
    }
    // A name under a sign-off ("Thanks,\nMaria Lopez") is the customer's name.
    if let Some(signature) = &message.mail.signature
        && message.words.iter().any(|w| {
            signature.contains(&w.original.start)
                && w.norm.chars().next().is_some_and(char::is_alphabetic)
        })
        && message.text_at(signature.clone()).lines().count() >= 2
    {
        out.push(Given {
            kind: "name".into(),
            message: message.index,
            span: signature.clone(),
            value: None,
        });
    }
    let _ = whole;
    out
}

/// Whether a word of ASCII letters and digits reads as a code: five to ten characters, at
/// least two of each kind, and not a quantity with its unit ("128gb", "1080p").
fn is_code(norm: &str) -> bool {
    let bytes = norm.as_bytes();
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    let letters = bytes.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let unit = bytes
        .iter()
        .position(|b| !b.is_ascii_digit())
        .is_some_and(|first_letter| bytes[first_letter..].iter().all(u8::is_ascii_alphabetic));
    (5..=10).contains(&bytes.len())
        && digits >= 2
        && letters >= 2
        && digits + letters == bytes.len()
        && !unit
}

/// The reference kind (order, tracking...) of a data-kind word that ends right before `span`
/// in its sentence, with nothing but a number sign, "No." or a colon between them.
fn labelled_reference(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    span: Range<usize>,
) -> Option<&'static str> {
    let sentence = message
        .sentences
        .iter()
        .find(|s| s.original.start <= span.start && span.start < s.original.end)?;
    hits_in(message, lex.data_kinds, sentence).find_map(|hit| {
        let tag = lex.tag(hit)?;
        let tag = tag.strip_suffix(LABEL).unwrap_or(tag);
        let kind = REFERENCE_KINDS.iter().find(|k| **k == tag)?;
        let hit_span = message.words_span(hit.words.clone());
        let between = message.original.get(hit_span.end..span.start)?;
        let adjacent = between
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '№' | '#' | '.' | ':'))
            .trim_start_matches(['N', 'n'])
            .trim_start_matches(['o', 'O', '°'])
            .trim_matches(|c: char| c.is_whitespace() || c == '.')
            .is_empty();
        adjacent.then_some(*kind)
    })
}

/// The kind of a reference number: told by the data-kind words of its sentence (the
/// nearest one), else by its shape, else unknown ("reference").
fn reference_kind(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    span: Range<usize>,
    text: &str,
) -> String {
    let sentence = message.sentences.iter().find(|s| {
        s.original.start <= span.start && span.start < s.original.end.max(s.original.start + 1)
    });
    if let Some(sentence) = sentence {
        let mut nearest: Option<(usize, &str)> = None;
        for hit in hits_in(message, lex.data_kinds, sentence) {
            let Some(tag) = lex.tag(hit) else { continue };
            let hit_span = message.words_span(hit.words.clone());
            // A bare label ("Договор № 6201 4455 7788", "contract 4471") names the number
            // right after it: nothing but a number sign or "No." between them.
            let tag = match tag.strip_suffix(LABEL) {
                Some(kind) => {
                    let between = message
                        .original
                        .get(hit_span.end..span.start)
                        .unwrap_or("x");
                    let adjacent = between
                        .trim_matches(|c: char| {
                            c.is_whitespace() || matches!(c, '№' | '#' | '.' | ':')
                        })
                        .trim_start_matches(['N', 'n'])
                        .trim_start_matches(['o', 'O', '°'])
                        .trim_matches(|c: char| c.is_whitespace() || c == '.')
                        .is_empty();
                    if !adjacent || hit_span.end > span.start {
                        continue;
                    }
                    kind
                }
                None => tag,
            };
            if !REFERENCE_KINDS.contains(&tag) {
                continue;
            }
            let distance = if hit_span.end <= span.start {
                span.start - hit_span.end
            } else {
                hit_span.start.saturating_sub(span.end)
            };
            if nearest.is_none_or(|(d, _)| distance < d) {
                nearest = Some((distance, tag));
            }
        }
        if let Some((_, tag)) = nearest {
            return tag.to_string();
        }
    }
    let upper = text.trim_start_matches(['#', '№']).to_ascii_uppercase();
    let letters_then_digits = upper.len() == 13
        && upper[..2].chars().all(|c| c.is_ascii_alphabetic())
        && upper[11..].chars().all(|c| c.is_ascii_alphabetic());
    if letters_then_digits
        || upper.starts_with("1Z")
        || upper.starts_with("TRK")
        || upper.starts_with("TRACK")
    {
        "tracking".into()
    } else if upper.starts_with("ORD") || upper.starts_with("ЗАК") {
        "order".into()
    } else if upper.starts_with("TKT")
        || upper.starts_with("TICK")
        || upper.starts_with("CASE")
        || upper.starts_with("REQ")
        || upper.starts_with("INC")
    {
        "ticket".into()
    } else {
        "reference".into()
    }
}

/// Whether a requested kind was given: the same kind, or an unlabelled reference number for a
/// reference kind.
pub fn satisfies(given: &Given, requested: &str) -> bool {
    given.kind == requested
        || (given.kind == "reference" && UNLABELLED_REFERENCE_KINDS.contains(&requested))
}

/// What an unlabelled number can stand for: not an account or bank number, which customers
/// rarely give without saying what it is.
const UNLABELLED_REFERENCE_KINDS: &[&str] = &["order", "tracking", "ticket"];

/// The kind of data an agent message asked for, if it asked for exactly one: a customer's
/// bare reply ("CH-22019") to "What's your order number?" is an order number.
pub fn single_requested_kind(message: &MessageAnalysis<'_>, lex: &Lexicons<'_>) -> Option<String> {
    let requests = data_requests(message, lex);
    let first = requests.first()?;
    requests
        .iter()
        .all(|r| r.kind == first.kind)
        .then(|| first.kind.clone())
}

/// Sentences of a draft that are only greeting, thanks or closing formulas.
pub fn is_small_talk(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    sentence: &Sentence,
) -> bool {
    if !has_hit(message, lex.small_talk, sentence) {
        return sentence.words.is_empty();
    }
    words_beyond_small_talk(message, lex, sentence) <= 2 || sentence.words.is_empty()
}

/// The content words of a sentence outside its greeting, thanks or closing formulas.
pub fn words_beyond_small_talk(
    message: &MessageAnalysis<'_>,
    lex: &Lexicons<'_>,
    sentence: &Sentence,
) -> usize {
    let covered: Vec<Range<usize>> = hits_in(message, lex.small_talk, sentence)
        .map(|h| h.words.clone())
        .collect();
    message.words[sentence.words.clone()]
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            !covered
                .iter()
                .any(|c| c.contains(&(sentence.words.start + i)))
                && !w.function
                && w.shape.has_alphabetic()
        })
        .count()
}

/// Byte ranges of the original text inside quotation marks («…», „…“, “…”, "…"): words the
/// writer mentions (a button label, a quoted notification, the customer's words) rather than
/// says to the reader.
pub fn quoted_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let pairs = [('«', '»'), ('„', '“'), ('“', '”'), ('"', '"'), ('„', '”')];
    // Nothing is quoted before the first opening mark: '"', or a mark whose UTF-8 form
    // starts with C2 («) or E2 („, “), found by one vectorised search.
    let bytes = text.as_bytes();
    let opens = |at: usize| {
        let rest = &bytes[at..];
        rest.starts_with(b"\"")
            || ['«', '„', '“']
                .iter()
                .any(|mark| rest.starts_with(mark.encode_utf8(&mut [0; 4]).as_bytes()))
    };
    let Some(first) = memchr::memchr3_iter(b'"', 0xC2, 0xE2, bytes).find(|&at| opens(at)) else {
        return out;
    };
    let mut open: Option<(char, usize)> = None;
    for (i, c) in text[first..].char_indices().map(|(i, c)| (first + i, c)) {
        match open {
            Some((close, start)) if c == close => {
                out.push(start..i + c.len_utf8());
                open = None;
            }
            // A blank line ends a quotation left open.
            Some((_, start))
                if c == '\n' && text[start..i].trim_end_matches('\r').ends_with('\n') =>
            {
                open = None
            }
            Some(_) => {}
            None => {
                if let Some((_, close)) = pairs.iter().find(|(o, _)| *o == c) {
                    open = Some((*close, i));
                }
            }
        }
    }
    out
}

/// The shape of a template variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotShape {
    /// `{{name}}`
    DoubleBrace,
    /// `{name}`
    Brace,
    /// `${name}`
    Dollar,
    /// `%NAME%`
    Percent,
    /// `[name]`
    Square,
    /// `<name>`
    Angle,
    /// `XX.XX`, `ХХ.ХХ`: a date or time left as a mask.
    Mask,
}

/// Something in a message shaped like a template variable. Whether it is one (rather than a
/// code example, a button label or an e-mail address) is for the reader to decide.
#[derive(Debug, Clone)]
pub struct TemplateSlot {
    pub shape: SlotShape,
    /// Byte range in the original text, brackets included.
    pub span: Range<usize>,
    /// The text between the brackets.
    pub inner: Range<usize>,
    /// Written next to code: a path (`/orders/{id}/cancel`), backticks, `=`.
    pub code: bool,
    /// Inside quotation marks.
    pub quoted: bool,
}

fn slot_pattern() -> &'static regex::Regex {
    static CELL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        regex::Regex::new(
            // Unbounded repetitions, with the length limit (MAX_SLOT_CHARS) checked on the
            // match: a bounded repetition of a Unicode class compiles to a huge automaton.
            r"\{\{\s*[^{}\n]+?\s*\}\}|\$\{[\p{L}_][\p{L}\p{N}_]*\}|\{[\p{L}_][\p{L}\p{N}_ ]*\}|%[\p{Lu}_][\p{Lu}\p{N}_]+%|\[[^\[\]\n]+\]|<[^<>\n@]+>|\b[XХ]{2}[.:][XХ]{2}(?:[.:][XХ]{2,4})?\b",
        )
        .expect("template slot pattern is valid")
    })
}

/// Template-variable shapes in a message's original text, outside quoted e-mail trails
/// (a signature may hold one: `{{agent_name}}`).
pub fn template_slots<'m>(message: &'m MessageAnalysis<'_>) -> &'m [TemplateSlot] {
    message
        .memo
        .template_slots
        .get_or_init(|| find_template_slots(message))
}

/// Characters between the brackets of a template slot; longer is prose in brackets.
const MAX_SLOT_CHARS: usize = 50;

/// Every slot shape but a mask has one of `{ [ < %`; a mask starts with two X's (Latin or
/// Cyrillic). A vectorised search: this runs on every agent message.
fn may_hold_a_slot(text: &str) -> bool {
    let bytes = text.as_bytes();
    // `at` is just past an X, so at most the length of the text.
    let x_at = |at: usize| bytes[at..].starts_with(b"X") || bytes[at..].starts_with("Х".as_bytes());
    memchr::memchr3(b'{', b'[', b'<', bytes).is_some()
        || memchr::memchr(b'%', bytes).is_some()
        || memchr::memchr_iter(b'X', bytes).any(|at| x_at(at + 1))
        || crate::analysis::char_positions(bytes, 'Х').any(|at| x_at(at + "Х".len()))
}

fn find_template_slots(message: &MessageAnalysis<'_>) -> Vec<TemplateSlot> {
    let text = message.original;
    if !may_hold_a_slot(text) {
        return Vec::new();
    }
    let quoted = quotations(message);
    let mut out = Vec::new();
    for m in slot_pattern().find_iter(text) {
        if message.mail.is_quoted(m.start()) {
            continue;
        }
        let s = m.as_str();
        let (shape, inner) = if s.starts_with("{{") {
            (SlotShape::DoubleBrace, m.start() + 2..m.end() - 2)
        } else if s.starts_with("${") {
            (SlotShape::Dollar, m.start() + 2..m.end() - 1)
        } else if s.starts_with('{') {
            (SlotShape::Brace, m.start() + 1..m.end() - 1)
        } else if s.starts_with('%') {
            (SlotShape::Percent, m.start() + 1..m.end() - 1)
        } else if s.starts_with('[') {
            (SlotShape::Square, m.start() + 1..m.end() - 1)
        } else if s.starts_with('<') {
            (SlotShape::Angle, m.start() + 1..m.end() - 1)
        } else {
            (SlotShape::Mask, m.range())
        };
        let inner_text = &text[inner.clone()];
        if !inner_text.chars().any(char::is_alphabetic)
            || inner_text.trim().chars().count() > MAX_SLOT_CHARS
        {
            continue;
        }
        // A single brace right after `{` or `$` is part of a longer shape found already.
        if matches!(shape, SlotShape::Brace) && text[..m.start()].ends_with(['{', '$', '\\']) {
            continue;
        }
        // A markdown link `[text](url)` is not a slot.
        if shape == SlotShape::Square && text[m.end()..].starts_with('(') {
            continue;
        }
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let code = [before, after]
            .iter()
            .flatten()
            .any(|c| matches!(c, '/' | '`' | '=' | '\\'))
            || inner_text.contains(['"', '\'', '(', '/', '=']);
        out.push(TemplateSlot {
            shape,
            span: m.range(),
            inner,
            code,
            quoted: quoted[..quoted.partition_point(|q| q.start < m.start())]
                .last()
                .is_some_and(|q| m.end() < q.end),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::may_hold_a_slot;

    proptest::proptest! {
        #[test]
        fn slot_precheck_on_bytes_reads_as_chars(text in "([XХxх{\\[<%a-zа-я ]|\\PC){0,30}") {
            let is_x = |c: char| c == 'X' || c == 'Х';
            let mut previous_is_x = false;
            let by_chars = text.chars().any(|c| {
                let x_pair = previous_is_x && is_x(c);
                previous_is_x = is_x(c);
                x_pair || matches!(c, '{' | '[' | '<' | '%')
            });
            proptest::prop_assert_eq!(may_hold_a_slot(&text), by_chars);
        }
    }
}
