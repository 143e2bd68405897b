//! unanswered-question: leaves a question or request from the customer's latest messages neither answered nor explicitly deferred.
//!
//! What it does: collects the questions and explicit requests in everything the customer
//! wrote since the previous agent message (question marks; requests and chat questions
//! without one: "подскажите, как ...", "кажете ми как ...", "let me know how to ...", "and how
//! long does it take", "and will the price go up", „и ще ми върнете ли парите“, a request
//! after a comma or a dash: "just moved, can i take it with me"; two questions joined in one
//! sentence count as two, the options of one question — "X or Y?" — as one), leaving out
//! venting questions ("Are you kidding me?!") and generic ones ("Any update?"; but a short
//! question about time, «когда исправите?», is answered only by a time in any words, a
//! report of something done, or a promise to write back; a short "why" — "my bill was
//! £92, now £184, why has it doubled" — by a reply that shares a word or a topic with what
//! the customer wrote since the last reply, or reports something done; and next to a
//! question in another message, «проверьте, что с ним» about the order in the sentence
//! before is answered only by a draft that touches its words or its topic at all). With several
//! questions, each is judged by what sets it apart from the others, and one word in common
//! with a draft sentence that answers another question does not count ("breakfast is served
//! in the hotel restaurant" does not answer "is there parking at the hotel?"). A question
//! counts as handled when the draft shares its content words (stems, so оплата/оплатить
//! match) or its topic in other words (synonym groups in `rules/<lang>/concepts.toml`; a long
//! question needs two such pieces of evidence), answers a yes/no question with a sentence
//! that opens with yes or no ("Not just you — ...") and is about it (a lone yes/no question:
//! any such sentence; a "yes" that answers another yes/no question better does not count; a
//! modal opener, „Можете да платите онлайн“, is a yes only to a question about what the
//! customer may do, „Мога ли да платя онлайн?“, and the „да“ after it is no yes at all),
//! answers a single "what should I do?" with any instruction, gives a figure, a code or a
//! list of items to a single open question
//! ("How much is it?" / "It's £75"; not the figures of a sales pitch, "saves you 20%", unless
//! the question is about offers; a question about what something costs only when the
//! draft speaks of money at all, since a pick-up time or a driver's phone number tells no
//! fare; "where" or "which" only a figure that is not a time: "within 24 hours" does not say
//! where the parcel was left; in Russian and Bulgarian, a named place or thing answers
//! "which", "where" and a request to find, recommend or tell about one: «Можете что-нибудь
//! порекомендовать?» / «Загляните в Кеттлс-Ярд»), gives a time frame to the one question about time
//! («сколько времени занимает проверка?» / «до 3 месяцев»), defers explicitly ("I'll check
//! with billing and write back by Friday"; handing on the customer's feedback or photos is
//! no deferral), reports a request carried out ("You're all booked", «Бронирование прошло
//! успешно», „Резервацията е потвърдена“, or a confirmation number with its code, from
//! `done.toml`: it answers a request, and a yes/no question whose own words or topics it
//! shares, never a question with a question word), or asks the customer for the details
//! needed to answer (also after an apology: «Извините, но какая у вас станция
//! отправления?», or as a request with a question word: "let us know what platform you
//! play on"). A draft sentence
//! that answers two questions ("It's £8 a month, and yes, it has its own number") is read
//! clause by clause. A question
//! left without such evidence is reported, with a label on the question in the customer's
//! message. A reply that hands over a help
//! link is reported by faq-link-only instead, and a draft in another language by
//! language-mismatch.
//!
//! Why: a reply that skips one of two questions forces a second round trip, and tells the
//! customer nobody read to the end. Seed 000: «перед отправкой проверить, все ли темы
//! обращения освещены».
//!
//! Bad:  customer "When will my refund arrive? And can I change the delivery address?" /
//!       draft "Your refund was issued today and arrives in 3–5 days."
//! Good: draft "Your refund was issued today and arrives in 3–5 days. The address can be
//!       changed until the parcel ships: reply with the new one and I'll update it."
//!
//! Options: none.

use rustc_hash::FxHashSet;

use crate::analysis::EntityKind;
use crate::analysis::signals::{self, Question};
use crate::diagnostic::{Diagnostic, Severity};
use crate::language::Lang;

use super::{Context, Rule};

pub struct UnansweredQuestion;

impl Rule for UnansweredQuestion {
    fn id(&self) -> &'static str {
        "unanswered-question"
    }

    fn default_severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self) -> &'static str {
        "a customer question from the latest messages is neither answered nor deferred"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let draft = cx.draft();
        let lex = cx.lexicons(draft);
        let mut questions: Vec<&Question> = Vec::new();
        // The thread's language may be given for the draft too; what its own words surely
        // read as tells a Bulgarian draft to a Russian customer apart.
        let draft_found = signals::own_evidence(draft).decide_quickly();
        let draft_reads_as = draft_found.filter(|d| d.reliable).map(|d| d.lang);
        // Cyrillic words that do not tell Russian from Bulgarian are still not English.
        let draft_cyrillic =
            draft_found.is_some_and(|d| d.lang != Lang::En) && draft.own_word_count() >= 4;
        for message in cx.latest_customer() {
            // A draft in another language shares no words with the question; that is
            // language-mismatch's finding, not this rule's.
            let customer_reads_as = message.detected.filter(|d| d.reliable).map(|d| d.lang);
            let other_language = draft_reads_as
                .zip(customer_reads_as)
                .is_some_and(|(d, c)| d != c)
                || draft_cyrillic && customer_reads_as == Some(Lang::En);
            if message.lang != draft.lang || other_language {
                return;
            }
            questions.extend(signals::questions(message, cx.lexicons(message)));
        }
        if questions.is_empty() {
            return;
        }
        // An explicit deferral or a question back (asking for what is needed to answer)
        // handles the customer's questions for now.
        let substance: Vec<_> = draft
            .own_sentences()
            .filter(|(_, s)| !signals::is_small_talk(draft, lex, s))
            .collect();
        // Handing on the customer's feedback or photos ("I've passed your feedback on to the
        // courier team") defers nothing; a promise to write back always does.
        let feedback: FxHashSet<usize> = draft
            .own_hits_of(lex.deferral)
            .filter(|h| lex.tag(h) == Some("feedback"))
            .map(|h| draft.words[h.words.start].sentence)
            .collect();
        let defers = draft.own_hits_of(lex.deferral).any(|h| match lex.tag(h) {
            Some("feedback") => false,
            Some("handoff") => !feedback.contains(&draft.words[h.words.start].sentence),
            _ => true,
        });
        // A draft that hands over a help page instead of an answer is faq-link-only's.
        let links = draft
            .entities
            .iter()
            .any(|e| e.own && e.kind == EntityKind::Url);
        if links && draft.own_hits_of(lex.help_pointers).next().is_some() {
            return;
        }
        // A sales question ("why not switch to our Annual plan?") asks for nothing needed.
        // A question after an apology or a greeting («Извините, но какая у вас станция
        // отправления?») asks back too, though it reads as small talk.
        let asks_back = draft
            .own_sentences()
            .filter(|(_, s)| s.question && !sells(draft, lex, s.words.clone()))
            .any(|(_, s)| {
                !signals::is_small_talk(draft, lex, s)
                    || signals::words_beyond_small_talk(draft, lex, s) > 0
            })
            || !signals::data_requests(draft, lex).is_empty()
            // "Please let us know what platform you're playing on", «Уточните, какой у вас
            // тариф»: a request that asks with a question word asks back too.
            || draft.own_sentences().any(|(_, s)| {
                signals::hits_in(draft, lex.request, s).any(|request| {
                    signals::question_words_in(draft, lex, request.words.end..s.words.end)
                        .any(|wh| wh.words.start <= request.words.end + 1)
                })
            });
        if defers || asks_back {
            return;
        }
        // "Unfortunately, no." answers a yes/no question even when it reads as small talk.
        let says_yes_or_no = draft.own_hits_of(lex.yes_no).next().is_some();
        if substance.is_empty() && says_yes_or_no && questions.iter().all(|q| q.yes_no) {
            return;
        }
        let Some((_, first)) = substance.first() else {
            // Nothing but greetings: every question is unanswered; point at the whole draft.
            let span = draft
                .own_sentences()
                .next()
                .map_or(0..0, |(_, s)| s.original.clone());
            report(cx, out, questions[0], span);
            return;
        };
        // Per clause of the draft: its content stems, and its topics with the stems that
        // name them (a topic named by a word the question shares is no extra evidence). A
        // sentence that answers two questions ("It's £8 a month, and yes, it gets its own
        // number") is judged clause by clause.
        // An amount of money ("£19", "5 лв.") names the price topic in any words.
        let price_topic = lex.price_concept;
        let sentences: Vec<DraftSentence<'_>> = substance
            .iter()
            .flat_map(|(_, sentence)| draft_clauses(draft, lex, sentence))
            .map(|clause| {
                let mut topics: Vec<(usize, Vec<&str>)> = draft
                    .hits_in_words(lex.concepts, clause.clone())
                    .map(|h| (h.term, draft.content_stems(h.words.clone()).collect()))
                    .collect();
                if let Some(price) = price_topic
                    && names_an_amount(draft, clause.clone())
                {
                    topics.push((price, Vec::new()));
                }
                // So does a time ("at 10:09", "79 minutes") the time topic.
                if let Some(time) = lex.time_concept
                    && figures(draft, lex, clause.clone()).0
                {
                    topics.push((time, Vec::new()));
                }
                let (opens_with_yes_no, opens_with_modal) = yes_or_modal(
                    yes_no_hits(draft, lex, clause.clone())
                        .filter(|(h, _)| h.words.start < clause.start + 2),
                );
                DraftSentence {
                    opens_with_yes_no,
                    opens_with_modal,
                    stems: draft.content_stems(clause.clone()).collect(),
                    topics,
                    names_product: draft.hits_in_words(lex.promo, clause.clone()).any(|h| {
                        matches!(lex.tag(h), Some("upgrade" | "subscription" | "cross-sell"))
                    }),
                    sells: sells(draft, lex, clause),
                }
            })
            .collect();
        // Which questions ask about offers: a sales pitch in the draft ("Instead of pausing,
        // why not switch to our Annual plan and save 20%?") answers no other question, and
        // in a draft that sells, a product named in another sentence ("You can upgrade in the
        // app") shares a topic with "my subscription" without answering anything about it.
        let draft_sells = sentences.iter().any(|s| s.sells);
        let about_offers: Vec<bool> = questions
            .iter()
            .map(|q| {
                let message = &cx.analysis.messages[q.message];
                super::pushy_upsell::asks_about_offers(message, cx.lexicons(message), q)
            })
            .collect();
        // „Можете да платите онлайн“ says yes to „Мога ли да платя онлайн?“, not to „Бихте ли
        // проверили отчета?“: a modal opener (`yes-no-answers.toml`, tag `modal`) answers
        // only a question about what the customer may do (tag `asks-ability`).
        let asks_ability: Vec<bool> = questions
            .iter()
            .map(|q| {
                let message = &cx.analysis.messages[q.message];
                let message_lex = cx.lexicons(message);
                signals::hits_in(message, message_lex.yes_no, &message.sentences[q.sentence])
                    .any(|h| message_lex.tag(h) == Some(ASKS_ABILITY))
            })
            .collect();
        // A sales pitch says yes or no to nothing („Вместо да я спирате, минете на годишна
        // карта — много по-изгодно е!“).
        let (opens_with_yes_no, opens_with_modal) = if sells(draft, lex, first.words.clone()) {
            (false, false)
        } else {
            yes_or_modal(yes_no_hits(draft, lex, first.words.clone()))
        };
        let single = questions.len() == 1;
        // A draft that gives a figure, a code or a name ("It's £75.10", "TR0514", "60
        // minutes") usually answers an open question about it; word overlap cannot tell
        // which, so open questions stay quiet then. The figures of a sales pitch ("saves you
        // 20% every 6 months") answer only a question about offers.
        let has_figure = |s: &crate::analysis::Sentence| {
            draft.words[s.words.clone()]
                .iter()
                .any(|w| w.shape.has_ascii_digit())
        };
        let other_datum = draft.entities.iter().any(|e| e.own) || lists_items(draft);
        let gives_a_datum = substance.iter().any(|(_, s)| has_figure(s)) || other_datum;
        let unsold: Vec<(usize, &crate::analysis::Sentence)> = substance
            .iter()
            .filter(|(_, s)| !sells(draft, lex, s.words.clone()))
            .copied()
            .collect();
        let gives_a_datum_unsold = unsold.iter().any(|(_, s)| has_figure(s)) || other_datum;
        // A name of a place or a thing outside a sales pitch («Загляните в Фицуильям»), read
        // only for a question a name can answer.
        let names_a_thing = std::cell::OnceCell::new();
        let names_a_thing = || *names_a_thing.get_or_init(|| names_something(draft, &unsold));
        // Which figure answers depends on what is asked: a phone number or a pick-up time
        // tells no fare, so a question about what something costs wants the draft to speak
        // of money at all (an amount, "free", "the fee", «взнос»); and a time ("at 6:00",
        // "within 3 weeks", «до 30 дни») tells neither where nor which documents.
        let speaks_of_money = price_topic.is_some_and(|price| {
            sentences
                .iter()
                .any(|s| s.topics.iter().any(|(topic, _)| *topic == price))
        });
        let gives_more_than_a_time = || {
            gives_a_datum
                && (other_datum
                    || substance
                        .iter()
                        .any(|(_, s)| figures(draft, lex, s.words.clone()).1))
                || names_a_thing()
        };
        // A question about time asks "when" or names it («какое время в пути», "by Friday").
        let about_time =
            |q: &Question| q.asks_time || lex.time_concept.is_some_and(|t| q.concepts.contains(&t));
        // "Can you recommend one?", «Помогите найти музей», "tell me about the museum", «А как
        // насчёт музея?» ask for a place or a thing as "which" and "where" do.
        let asks_for_an_item = |q: &Question| {
            lex.item_concepts
                .iter()
                .flatten()
                .any(|topic| q.concepts.contains(topic))
        };
        let datum_fits = |q: &Question| {
            if q.asks_price {
                speaks_of_money
            } else if (q.asks_which || asks_for_an_item(q)) && !about_time(q) {
                gives_more_than_a_time()
            } else {
                gives_a_datum
            }
        };
        // "Бронирование прошло успешно. Справочный номер: P8ZMRWGO", "I've cancelled the
        // order": a report that a request was carried out (`done.toml`), or a confirmation
        // number with its code, answers the request and a yes/no question about it.
        let done_sentences: Vec<&crate::analysis::Sentence> = substance
            .iter()
            .map(|(_, s)| *s)
            .filter(|s| reports_done(draft, lex, s))
            .collect();
        // A time frame ("до 3 месяцев", "within 5 working days", "завтра") answers the one
        // question about time, whatever words it uses.
        let time_frames = lex.time_frames;
        // A clock time ("at 20:07", «к 13:58») is a time frame too. As many time frames as
        // questions about time ("when does it arrive and how long is the trip?" / "arrives at
        // 13:58, the trip takes 47 minutes") answer them all.
        let time_frames_given: usize = substance
            .iter()
            .map(|(_, s)| {
                let digits = draft.words[s.words.clone()]
                    .iter()
                    .any(|w| w.shape.has_ascii_digit());
                draft
                    .hits_in_words(time_frames, s.words.clone())
                    .filter(|h| lex.tag(h) == Some("point") || lex.tag(h) == Some("unit") && digits)
                    .count()
                    + clock_times(draft.sentence_text(s))
            })
            .sum();
        let gives_a_time = time_frames_given > 0;
        let speaks_of_time = lex.time_concept.is_some_and(|time| {
            sentences
                .iter()
                .any(|s| s.topics.iter().any(|(topic, _)| *topic == time))
        });
        let time_questions = questions.iter().filter(|q| q.asks_time).count();
        let one_time_question = time_questions == 1 || time_frames_given >= time_questions;
        // "What should I do?", «что делать?»: an instruction answers it in words of its own.
        let asks_what_to_do = |q: &Question| {
            let message = &cx.analysis.messages[q.message];
            let message_lex = cx.lexicons(message);
            signals::hits_in(
                message,
                message_lex.customer_request,
                &message.sentences[q.sentence],
            )
            .any(|h| message_lex.tag(h) == Some("what-to-do"))
        };
        let requests_action = |q: &Question| {
            let message = &cx.analysis.messages[q.message];
            let message_lex = cx.lexicons(message);
            signals::hits_in(message, message_lex.done, &message.sentences[q.sentence]).any(|h| {
                let span = message.words_span(h.words.clone());
                message_lex.tag(h) == Some("request")
                    && span.start >= q.span.start
                    && span.end <= q.span.end
            })
        };
        let own: Vec<(FxHashSet<&str>, FxHashSet<usize>)> = (0..questions.len())
            .map(|index| distinguishing(questions[index], &questions, index))
            .collect();
        for (index, question) in questions.iter().enumerate() {
            // "Any update?" asks about the whole message; a reply on the topic answers it, and
            // telling whether it did is beyond word overlap. "When will you fix it?", «когда
            // исправите?», „кога ще се отрази“ ask for a time, though: a reply that names no
            // time in any words ("by morning", "soon" — vague-timeline's to judge), reports
            // nothing done ("we've restored it") and promises no answer leaves them open.
            if question.generic {
                let names_a_time = gives_a_time
                    || speaks_of_time
                    || !done_sentences.is_empty()
                    || draft
                        .own_hits_of(lex.vague_timeline)
                        .any(|h| lex.tag(h) == Some("vague"));
                // A bare "До кога?!" after a complaint vents; one with a word of its own asks.
                let message = &cx.analysis.messages[question.message];
                let own_words = message
                    .words
                    .iter()
                    .filter(|w| {
                        question.span.start <= w.original.start
                            && w.original.end <= question.span.end
                            && !w.function
                            && w.shape.has_alphabetic()
                    })
                    .count();
                if question.asks_time && own_words > 0 && !names_a_time {
                    report(cx, out, question, first.original.clone());
                    return;
                }
                // "My bill was £92, now it's £184. Why has it doubled": a short "why" is about
                // what the customer just said; a reply that shares no word or topic with all
                // they wrote since the last reply (a note on meter readings) and reports
                // nothing done gives no reason.
                let touches_it = || {
                    let said: FxHashSet<&str> = cx
                        .latest_customer()
                        .iter()
                        .flat_map(|m| m.own_words().filter(|w| !w.function))
                        .map(|w| w.stem.as_str())
                        .collect();
                    let topics: FxHashSet<usize> = cx
                        .latest_customer()
                        .iter()
                        .flat_map(|m| m.own_hits_of(cx.lexicons(m).concepts).map(|h| h.term))
                        .collect();
                    sentences.iter().any(|s| {
                        s.stems.iter().any(|stem| said.contains(stem))
                            || s.topics.iter().any(|(topic, _)| topics.contains(topic))
                    })
                };
                let unexplained = question.asks_why
                    && own_words > 0
                    && done_sentences.is_empty()
                    && !touches_it();
                // «Заказ оплатила, а статус „ожидает оплаты“. Проверьте, что с ним», and in a
                // later message «а промокод действует на скидки?»: a draft that touches this
                // request in no word of it or of the sentence before it, and in no topic, has
                // not looked into it. Next to a question of the same message, "Please help!"
                // asks about that question; one without a sentence before it ("and how
                // much?") has too few words to tell.
                let untouched = question.content.len() >= 2
                    && questions
                        .iter()
                        .any(|q| !q.generic && q.message != question.message)
                    && done_sentences.is_empty()
                    && sentences.iter().all(|s| {
                        !s.stems.iter().any(|stem| question.content.contains(*stem))
                            && !s
                                .topics
                                .iter()
                                .any(|(topic, _)| question.concepts.contains(topic))
                    });
                if unexplained || untouched {
                    report(cx, out, question, first.original.clone());
                    return;
                }
                continue;
            }
            // With several questions, what tells this one apart from the others: a draft
            // that answers "do I pay for return shipping?" shares "return" with "will the
            // refund go to my card?" without answering it.
            let (own_words, own_topics) = &own[index];
            // One word in common with a sentence that answers another question is incidental:
            // "Yes, breakfast is included and served in the hotel restaurant" answers the
            // breakfast question, not "is there parking at the hotel?".
            let mut words: FxHashSet<&str> = FxHashSet::default();
            let mut topics: FxHashSet<usize> = FxHashSet::default();
            let mut said_yes_or_no = false;
            for sentence in &sentences {
                if sentence.sells && !about_offers[index] {
                    continue;
                }
                let (w, mut t) = sentence.evidence(own_words, own_topics);
                if draft_sells && sentence.names_product && !about_offers[index] {
                    t.clear();
                }
                let score = w.len() + t.len();
                if score == 0 {
                    continue;
                }
                let outscored_by = |yes_no_only: bool| {
                    questions.iter().enumerate().any(|(other, q)| {
                        if other == index || q.generic || yes_no_only && !q.yes_no {
                            return false;
                        }
                        let (ow, ot) = sentence.evidence(&own[other].0, &own[other].1);
                        ow.len() + ot.len() > score
                    })
                };
                // The price named next to another answer ("the cot is free", "£6 a person")
                // is the answer to "and how much is it?", not an incidental word.
                let names_its_price = price_topic.is_some_and(|p| t.contains(&p));
                if score == 1 && !names_its_price && outscored_by(false) {
                    // "Yes, small dogs are welcome" answers "can we bring our dog?" with one
                    // word in common; a "yes" that answers another yes/no question better
                    // does not (one after "how can I pay?" still answers "do you take cash?").
                    said_yes_or_no |= question.yes_no
                        && sentence.says_yes_or_no(asks_ability[index])
                        && !outscored_by(true);
                    continue;
                }
                // "is a cot extra, and how much is it?" / "The hotel puts a cot in for free":
                // what answers the other part of the same sentence in the same draft sentence
                // is evidence for this part too.
                let sibling_topics: Vec<usize> = questions
                    .iter()
                    .enumerate()
                    .filter(|(other, q)| {
                        *other != index
                            && q.message == question.message
                            && q.sentence == question.sentence
                    })
                    .flat_map(|(other, _)| sentence.evidence(&own[other].0, &own[other].1).1)
                    .collect();
                words.extend(w);
                topics.extend(t);
                topics.extend(sibling_topics);
                said_yes_or_no |= question.yes_no && sentence.says_yes_or_no(asks_ability[index]);
            }
            // A long question needs more than one piece of evidence: "the seat in front" does
            // not answer "can I move to a window seat on my ticket?". A topic counts as evidence
            // when the draft names it in words the question does not share.
            let needed = (own_words.len() as f64 * 0.3).round().clamp(1.0, 2.0) as usize;
            // A single question is what the draft is about: its topic, in any words, answers it.
            let heard = |s: &&DraftSentence<'_>| {
                about_offers[index] || !(s.sells || draft_sells && s.names_product)
            };
            let answered_in_words = words.len() + topics.len() >= needed
                || single
                    && sentences
                        .iter()
                        .filter(heard)
                        .any(|s| s.topics.iter().any(|(topic, _)| own_topics.contains(topic)));
            // "Ha, your cat has expensive taste 😄 Yes — a cable is £9.99": with one yes/no
            // question, a sentence that opens with yes or no answers it wherever it stands.
            let yes_no_answered = single
                && question.yes_no
                && (opens_with_yes_no
                    || opens_with_modal && asks_ability[index]
                    || sentences
                        .iter()
                        .filter(heard)
                        .any(|s| s.says_yes_or_no(asks_ability[index])))
                || said_yes_or_no;
            let asks_for_a_datum =
                question.open || question.names_data || asks_for_an_item(question);
            let datum_answers = single
                && asks_for_a_datum
                && datum_fits(question)
                && (about_offers[index] || gives_a_datum_unsold || names_a_thing());
            let time_answers = question.asks_time && one_time_question && gives_a_time;
            let instructed = single && asks_what_to_do(question);
            // Not a question with a question word ("what time does it leave?"); with
            // several, a request to do something (`done.toml`, tag `request`: "Please book
            // the tickets and send me the reference") or the one whose own words or topics
            // the report shares ("Can you book a table?" / "I've booked it"), not another
            // ("Is there parking?").
            let carried_out = !question.open
                && !done_sentences.is_empty()
                && (single
                    || requests_action(question)
                    || done_sentences.iter().any(|s| {
                        draft
                            .content_stems(s.words.clone())
                            .any(|stem| own_words.contains(stem))
                            || signals::concepts_in(draft, lex, s.words.clone())
                                .iter()
                                .any(|topic| own_topics.contains(topic))
                    }));
            if !(answered_in_words
                || carried_out
                || yes_no_answered
                || datum_answers
                || time_answers
                || instructed)
            {
                report(cx, out, question, first.original.clone());
                return;
            }
        }
    }
}

/// Tag of the bare yes that is also a particle, in `yes-no-answers.toml` (Bulgarian „да“).
const PARTICLE: &str = "particle";
/// Tag of the modal openers in `yes-no-answers.toml` („Можете да ...“).
const MODAL: &str = "modal";
/// Tag of the customer's questions about what they may do („мога ли“) in the same lexicon.
const ASKS_ABILITY: &str = "asks-ability";

/// The yes/no answer words in `words`, each with whether it is a modal („Можете“); the word
/// right after a modal is its complement („Можете да платите“: that „да“ says no yes).
fn yes_no_hits<'m>(
    draft: &'m crate::analysis::MessageAnalysis<'_>,
    lex: &'m signals::Lexicons<'_>,
    words: std::ops::Range<usize>,
) -> impl Iterator<Item = (&'m crate::lexicon::Hit, bool)> + 'm {
    let modal_ends: Vec<usize> = draft
        .hits_in_words(lex.yes_no, words.clone())
        .filter(|h| lex.tag(h) == Some(MODAL))
        .map(|h| h.words.end)
        .collect();
    let start = words.start;
    let gap = |from: usize, to: usize| draft.original.get(from..to).unwrap_or("");
    // A bare particle (tag `particle`: the Bulgarian „да“) is a yes only where it opens the
    // sentence or stands alone before a mark: „Да, получихме го“, not „при нужда да платите“.
    let stands_alone = move |h: &crate::lexicon::Hit| {
        let end = draft.words_span(h.words.clone()).end;
        h.words.start == start
            || draft.words.get(h.words.end).is_none_or(|next| {
                gap(end, next.original.start)
                    .trim()
                    .starts_with([',', '.', '!', '—', '–'])
            })
    };
    draft
        .hits_in_words(lex.yes_no, words)
        .filter(move |h| lex.tag(h) != Some(PARTICLE) || stands_alone(h))
        .filter(move |h| lex.tag(h) == Some(MODAL) || !modal_ends.contains(&h.words.start))
        .filter(|h| lex.tag(h) != Some(ASKS_ABILITY))
        .map(|h| (h, lex.tag(h) == Some(MODAL)))
}

/// The clauses of a draft sentence: it is cut before a conjunction that follows a comma or
/// a semicolon ("It's £8 a month, and yes, it has its own number"; «Доставка бесплатная, а
/// вернуть можно в течение 14 дней»), and after a semicolon.
fn draft_clauses(
    draft: &crate::analysis::MessageAnalysis<'_>,
    lex: &signals::Lexicons<'_>,
    sentence: &crate::analysis::Sentence,
) -> Vec<std::ops::Range<usize>> {
    let conjunctions = lex.conjunctions;
    let gap_before = |k: usize| {
        draft
            .original
            .get(draft.words_span(k - 1..k).end..draft.words_span(k..k + 1).start)
            .unwrap_or("")
    };
    let mut cuts: Vec<usize> = draft
        .hits_in_words(conjunctions, sentence.words.clone())
        .map(|h| h.words.start)
        .filter(|&k| k > sentence.words.start + 1 && gap_before(k).contains([',', ';']))
        .chain(
            (sentence.words.start + 2..sentence.words.end).filter(|&k| gap_before(k).contains(';')),
        )
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut start = sentence.words.start;
    for cut in cuts {
        // A clause of one or two words ("yes, and") stays with its neighbour.
        if cut >= start + 3 && sentence.words.end >= cut + 3 {
            out.push(start..cut);
            start = cut;
        }
    }
    out.push(start..sentence.words.end);
    out
}

/// Whether the draft's own text lists two or more items ("1. Фото ...", "- the receipt"): a
/// list answers an open question ("What do I need to send?") in words of its own.
fn lists_items(draft: &crate::analysis::MessageAnalysis<'_>) -> bool {
    let mut offset = 0;
    let mut items = 0;
    for line in draft.original.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if draft.mail.is_quoted(start) {
            continue;
        }
        let body = line.trim_start();
        let numbered = body.split_once(['.', ')']).is_some_and(|(n, rest)| {
            !n.is_empty()
                && n.len() <= 2
                && n.chars().all(|c| c.is_ascii_digit())
                && rest.starts_with(' ')
        });
        let bulleted = ["- ", "• ", "* ", "– "].iter().any(|b| body.starts_with(b));
        if numbered || bulleted {
            items += 1;
        }
    }
    items >= 2
}

/// Whether the yes/no hits hold a plain yes or no, and whether they hold a modal.
fn yes_or_modal<'m>(hits: impl Iterator<Item = (&'m crate::lexicon::Hit, bool)>) -> (bool, bool) {
    hits.fold((false, false), |(yes, modal), (_, is_modal)| {
        (yes || !is_modal, modal || is_modal)
    })
}

/// Whether a Russian or Bulgarian draft names a place, a venue or a thing, which answers
/// "where", "which", "find me" and "recommend" («Какой музей ближе?» / «Загляните в
/// Фицуильям»): a word written with a capital inside its sentence, but not one set off by
/// commas («Спасибо, Анна, …») and not a function word (the polite «Вы»); or a word in Latin
/// letters («Кинотеатр Vue на юге»). English capitalises too much inside a sentence (days,
/// months, the names of screens and plans) for a capital to tell a name.
fn names_something(
    draft: &crate::analysis::MessageAnalysis<'_>,
    substance: &[(usize, &crate::analysis::Sentence)],
) -> bool {
    if draft.lang == Lang::En {
        return false;
    }
    let gap = |from: usize, to: usize| draft.original.get(from..to).unwrap_or("");
    substance.iter().any(|(_, sentence)| {
        let words = &draft.words[sentence.words.clone()];
        words.iter().enumerate().skip(1).any(|(k, w)| {
            if w.function || !w.shape.is_alphabetic() {
                return false;
            }
            let latin = w.shape.has_ascii_alphabetic() && w.shape.chars() >= 3;
            let capitalised = w.shape.written_starts_uppercase() && w.shape.written_has_lowercase();
            let before = gap(words[k - 1].original.end, w.original.start);
            let after = gap(
                w.original.end,
                words
                    .get(k + 1)
                    .map_or(sentence.original.end, |next| next.original.start),
            );
            let set_off = before.contains(',') && !after.trim().is_empty();
            (latin || capitalised) && !set_off
        })
    })
}

/// What one sentence of the draft says: its content stems, and its topics (concept groups)
/// with the stems of the words that name each.
struct DraftSentence<'d> {
    /// Opens with a yes or a no („Да,“, "Unfortunately not").
    opens_with_yes_no: bool,
    /// Opens with a modal addressed to the customer („Можете да ...“, tag `modal`): a yes
    /// only to a question about what the customer may do.
    opens_with_modal: bool,
    stems: FxHashSet<&'d str>,
    topics: Vec<(usize, Vec<&'d str>)>,
    /// A sales pitch: discount or sales talk (`promo.toml`).
    sells: bool,
    /// Names a plan or product (`promo.toml`: upgrade, subscription, cross-sell).
    names_product: bool,
}

impl<'d> DraftSentence<'d> {
    /// Whether it says yes or no to a yes/no question; `asks_ability`: the question asks
    /// what the customer may do („Мога ли да платя с карта?“).
    fn says_yes_or_no(&self, asks_ability: bool) -> bool {
        self.opens_with_yes_no || self.opens_with_modal && asks_ability
    }

    /// The question's words this sentence uses, and its topics that the sentence names in
    /// other words.
    fn evidence(
        &self,
        own_words: &FxHashSet<&str>,
        own_topics: &FxHashSet<usize>,
    ) -> (FxHashSet<&'d str>, FxHashSet<usize>) {
        let words: FxHashSet<&'d str> = self
            .stems
            .iter()
            .copied()
            .filter(|s| own_words.contains(*s))
            .collect();
        let topics = self
            .topics
            .iter()
            .filter(|(topic, stems)| {
                own_topics.contains(topic)
                    && (stems.is_empty() || stems.iter().any(|s| !words.contains(s)))
            })
            .map(|(topic, _)| *topic)
            .collect();
        (words, topics)
    }
}

/// Whether a draft sentence reports a request carried out: a `done` phrase, or a
/// `confirmation` phrase ("reference number") next to a code with digits.
fn reports_done(
    draft: &crate::analysis::MessageAnalysis<'_>,
    lex: &signals::Lexicons<'_>,
    sentence: &crate::analysis::Sentence,
) -> bool {
    signals::hits_in(draft, lex.done, sentence).any(|h| match lex.tag(h) {
        Some("done") => true,
        // A code with digits ("P8ZMRWGO"), or one in capitals after the words ("Your
        // reference number is JNLUQCWP").
        Some("confirmation") => {
            draft.words[sentence.words.clone()]
                .iter()
                .any(|w| w.shape.has_ascii_digit())
                || draft.words[h.words.end..sentence.words.end]
                    .iter()
                    .any(|w| {
                        w.shape.chars() >= 5
                            && w.shape.has_ascii_alphabetic()
                            && !w.shape.written_has_lowercase()
                    })
        }
        _ => false,
    })
}

/// The figures in a run of a draft's words: whether some are part of a time ("24 hours",
/// "9 am", "6pm", "6:00", "14 June", «до 30 дни») and whether some are not ("£75", "gate
/// 12", "TR0514"), in that order.
fn figures(
    draft: &crate::analysis::MessageAnalysis<'_>,
    lex: &signals::Lexicons<'_>,
    words: std::ops::Range<usize>,
) -> (bool, bool) {
    if !draft.words[words.clone()]
        .iter()
        .any(|w| w.shape.has_ascii_digit())
    {
        return (false, false);
    }
    let times: Vec<std::ops::Range<usize>> = draft
        .hits_in_words(lex.time_frames, words.clone())
        .map(|h| h.words.clone())
        .collect();
    let in_time = |k: usize| times.iter().any(|t| t.contains(&k));
    let gap_is_colon = |k: usize| {
        k > words.start
            && draft
                .original
                .get(draft.words[k - 1].original.end..draft.words[k].original.start)
                == Some(":")
    };
    let digits =
        |k: usize| words.contains(&k) && draft.words[k].norm.bytes().all(|b| b.is_ascii_digit());
    let (mut time, mut other) = (false, false);
    for k in words.clone() {
        let word = &draft.words[k];
        if !word.shape.has_ascii_digit() {
            continue;
        }
        let clock =
            digits(k) && (gap_is_colon(k) && digits(k - 1) || digits(k + 1) && gap_is_colon(k + 1));
        // "6pm", "10h": the unit written onto the number.
        let unit_attached = ["am", "pm", "h"].iter().any(|suffix| {
            word.norm
                .strip_suffix(suffix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if in_time(k)
            || k + 1 < words.end && in_time(k + 1)
            || k > words.start && in_time(k - 1) && digits(k)
            || clock
            || unit_attached
        {
            time = true;
        } else {
            other = true;
        }
    }
    (time, other)
}

/// How many clock times a text holds: one or two digits, a colon, two digits ("20:07").
fn clock_times(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes)
        .filter(|&at| {
            let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
            let hours = (1..=2).take_while(|&k| at >= k && digit(at - k)).count();
            hours >= 1
                && (at < hours + 1 || !digit(at - hours - 1))
                && digit(at + 1)
                && digit(at + 2)
                && !digit(at + 3)
        })
        .count()
}

/// Whether a run of a draft's words holds explicit sales talk (see
/// [`super::pushy_upsell::is_sales_talk`]).
fn sells(
    draft: &crate::analysis::MessageAnalysis<'_>,
    lex: &signals::Lexicons<'_>,
    words: std::ops::Range<usize>,
) -> bool {
    draft
        .hits_in_words(lex.promo, words)
        .any(|h| super::pushy_upsell::is_sales_talk(lex, h))
}

/// Whether a run of a draft's words states an amount of money: a number with a currency
/// sign before or after it ("£19", "390 ₽", "€5"). Currency words ("лв.", "рублей") are in the
/// price topic of `concepts.toml` already.
fn names_an_amount(
    draft: &crate::analysis::MessageAnalysis<'_>,
    words: std::ops::Range<usize>,
) -> bool {
    let text = &draft.plain.text;
    draft.words[words].iter().any(|w| {
        w.shape.has_ascii_digit()
            && (text[..w.plain.start]
                .trim_end()
                .ends_with(['£', '$', '€', '₽'])
                || text[w.plain.end..]
                    .trim_start()
                    .starts_with(['£', '$', '€', '₽']))
    })
}

/// The content words and topics of a question that the other questions do not have; all of
/// them when it shares everything.
fn distinguishing<'q>(
    question: &'q Question,
    all: &[&'q Question],
    index: usize,
) -> (FxHashSet<&'q str>, FxHashSet<usize>) {
    let others = all
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, q)| q);
    let (mut words, mut topics) = (FxHashSet::default(), FxHashSet::default());
    for other in others {
        words.extend(other.content.iter().map(|s| s.as_str()));
        topics.extend(other.concepts.iter().copied());
    }
    let content = || question.content.iter().map(|s| s.as_str());
    let own_words: FxHashSet<&str> = content().filter(|s| !words.contains(s)).collect();
    let own_topics: FxHashSet<usize> = question.concepts.difference(&topics).copied().collect();
    if own_words.is_empty() && own_topics.is_empty() {
        (content().collect(), question.concepts.clone())
    } else {
        (own_words, own_topics)
    }
}

fn report(
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
    question: &Question,
    span: std::ops::Range<usize>,
) {
    let asked = cx.analysis.messages[question.message].text_at(question.span.clone());
    let shown: String = asked.chars().take(80).collect();
    let ellipsis = if asked.chars().count() > 80 {
        "…"
    } else {
        ""
    };
    out.push(
        cx.diagnostic(
            span,
            format!("the draft does not answer the customer's question \"{shown}{ellipsis}\""),
        )
        .with_label(question.message, question.span.clone(), "asked here")
        .with_help("answer it, or say who will answer and by when"),
    );
}

#[cfg(test)]
mod tests {
    use crate::Message;
    use crate::rules::testing::{findings, findings_in_thread};

    fn fired(customer: &str, draft: &str) -> usize {
        findings("unanswered-question", customer, draft)
    }

    #[test]
    fn a_request_carried_out_is_answered() {
        assert_eq!(
            fired(
                "Не могли бы вы заказать это для меня на пятницу?",
                "Бронирование прошло успешно. Справочный номер: K7P2QX91."
            ),
            0
        );
        assert_eq!(
            fired(
                "Could you reserve it for me for Friday?",
                "You're all set. Your confirmation code is 8HX4K2."
            ),
            0
        );
        // A report of the booking answers no other yes/no question.
        assert_eq!(
            fired(
                "Can you book the table for Friday at 7? Is there parking at the restaurant?",
                "I've booked the table for Friday at 7 pm, your reference number is 5521."
            ),
            1
        );
    }

    #[test]
    fn a_confirmation_code_in_capitals_reports_the_booking() {
        assert_eq!(
            fired(
                "Пожалуйста, закажите столик на четверг в 19:00 на 5 человек.",
                "Готово. Ваш ссылочный номер - JNLUQCWP."
            ),
            0
        );
        // Without a code the same words report nothing done.
        assert_eq!(
            fired(
                "Пожалуйста, закажите столик на четверг в 19:00 на 5 человек.",
                "Ссылочный номер пришлём позже."
            ),
            1
        );
    }

    #[test]
    fn a_question_word_in_a_relative_clause_keeps_a_yes_no_question() {
        // «где» after «рестораны,» opens a relative clause: a plain "no" answers.
        assert_eq!(
            fired("Есть ли рестораны, где подают грузинскую кухню?", "Нет."),
            0
        );
        assert_eq!(
            fired("Има ли хотел, който приема кучета?", "Не, за съжаление."),
            0
        );
        // After a request it asks: «Подскажите, где …» wants the place.
        assert_eq!(fired("Подскажите, где ближайший пункт выдачи?", "Нет."), 1);
    }

    #[test]
    fn the_bulgarian_da_is_a_yes_only_where_it_stands_alone() {
        // „да платите“ is a particle, not a yes to „бихте ли проверили“.
        assert_eq!(
            fired(
                "Здравейте, бихте ли проверили дали абонаментът ми за телевизия е спрян?",
                "Здравейте! Можете да следите плащанията и фактурите си в приложението, а при \
                 нужда да платите и оттам."
            ),
            1
        );
        assert_eq!(
            fired(
                "Поръчах грешен модел зарядно, може ли да го сменя?",
                "Смяната е възможна до 14 дни, донесете го в магазина."
            ),
            0
        );
    }

    #[test]
    fn thanks_asks_nothing() {
        assert_eq!(
            fired("Спасибо, что нашли отель.", "Рады помочь, хорошего дня!"),
            0
        );
    }

    #[test]
    fn a_name_answers_a_request_to_find_or_recommend() {
        assert_eq!(
            fired(
                "Не могли бы вы порекомендовать один из них?",
                "Церковь Святой Троицы прекрасна."
            ),
            0
        );
        assert_eq!(
            fired(
                "Не могли бы вы порекомендовать один из них?",
                "Рекомендую Даунинг-колледж."
            ),
            0
        );
        assert_eq!(
            fired(
                "Можете ли вы найти для меня музей в одном районе с отелем?",
                "Загляните в Кеттлс-Ярд, вход бесплатный."
            ),
            0
        );
        assert_eq!(
            fired(
                "Можете ли да ми препоръчате ресторант наблизо?",
                "Опитайте Happy Bar & Grill на втория етаж."
            ),
            0
        );
        // "How about …?" asks for one as well.
        assert_eq!(
            fired(
                "Хорошо, а как насчет средиземноморской еды?",
                "У нас их два: La Mimosa и ресторан Shiraz."
            ),
            0
        );
        // A name tells neither a price nor a time, and in English a capital is no name.
        assert_eq!(
            fired(
                "Сколько стоит билет?",
                "Загляните в Фицуильям, там чудесная коллекция."
            ),
            1
        );
        assert_eq!(
            fired(
                "Which documents do I need for the refund?",
                "Please contact our Billing team on Monday."
            ),
            1
        );
    }

    #[test]
    fn an_indefinite_pronoun_asks_no_open_question() {
        // «что-нибудь» is no «что»: a plain "no" answers it.
        assert_eq!(
            fired(
                "У вас есть что-нибудь подобное в центре?",
                "К сожалению, нет."
            ),
            0
        );
    }

    #[test]
    fn a_short_question_about_time_wants_a_time() {
        let thread = |draft: &str| {
            vec![
                Message::customer("мне в марте поменяли счетчик воды"),
                Message::customer("а в квитанции до сих пор старый номер стоит"),
                Message::customer("когда исправите?"),
                Message::agent(draft),
            ]
        };
        let fired = |draft: &str| findings_in_thread("unanswered-question", thread(draft));
        assert_eq!(
            fired("Здравствуйте! Показания счётчика можно передавать в личном кабинете."),
            1
        );
        assert_eq!(
            fired("Здравствуйте! Исправим номер в квитанции к пятнице."),
            0
        );
        assert_eq!(fired("Здравствуйте! Мы поменяли номер в квитанции."), 0);
    }

    #[test]
    fn a_short_why_wants_a_reply_about_it() {
        let customer = "My bill was £92 in January and £184 in February. Why has it doubled";
        assert_eq!(
            fired(customer, "Your next meter reading is on 12 March."),
            1
        );
        assert_eq!(
            fired(
                customer,
                "The January bill was an estimate; February's uses your real reading."
            ),
            0
        );
    }

    #[test]
    fn a_figure_answers_only_what_it_can_tell() {
        // A pick-up time and a phone number tell no fare.
        assert_eq!(
            fired(
                "I need a taxi from the Hilton at 6 tomorrow. Roughly how much will it cost?",
                "Booked! A grey Prius will pick you up at 6:00. The driver's number is 07700 900321."
            ),
            1
        );
        assert_eq!(
            fired(
                "Roughly how much will the taxi cost?",
                "About £18, paid to the driver."
            ),
            0
        );
        // «нет информации о взносе» speaks of the price, if only to say it is unknown.
        assert_eq!(
            fired(
                "Сколько стоит входной билет?",
                "К сожалению, у меня нет информации о вступительном взносе."
            ),
            0
        );
        // A time tells no place; a time does tell how long.
        assert_eq!(
            fired(
                "Where exactly did the driver leave it?",
                "Parcels marked as delivered normally turn up within 24 hours."
            ),
            1
        );
        assert_eq!(
            fired("Каково общее время в пути?", "79 минут, прибудет в 10:35."),
            0
        );
    }

    #[test]
    fn a_request_with_a_question_word_asks_back() {
        assert_eq!(
            fired(
                "Why do I keep getting disconnected from the game servers?",
                "Please let us know what platform you are playing on so we can look into it."
            ),
            0
        );
    }

    #[test]
    fn a_question_after_an_apology_asks_back() {
        assert_eq!(
            fired(
                "Да, пожалуйста, забронируйте билет на поезд.",
                "Извините, но какая у вас станция отправления?"
            ),
            0
        );
    }

    #[test]
    fn a_chat_question_without_a_mark_after_a_conjunction_counts() {
        let thread = vec![
            Message::customer("can i get the sofa delivered on a saturday"),
            Message::customer("and will the delivery fee be the same"),
            Message::agent("Yes, we deliver on Saturdays between 8 am and 2 pm."),
        ];
        assert_eq!(findings_in_thread("unanswered-question", thread), 1);
    }

    #[test]
    fn a_statement_that_opens_like_a_question_asks_nothing() {
        assert_eq!(
            fired(
                "This is the second parcel that came late.",
                "I'm sorry about that. Your next parcel goes out by express, at no cost."
            ),
            0
        );
    }

    #[test]
    fn one_sentence_can_answer_two_questions() {
        assert_eq!(
            fired(
                "what does a second SIM on my plan cost? and does the new one get its own number",
                "A second SIM on your plan costs £6 a month, and yes, it comes with a number of its own."
            ),
            0
        );
    }

    #[test]
    fn passing_feedback_on_is_no_deferral() {
        assert_eq!(
            fired(
                "The vase arrived cracked. Should I send it back or will you send a new one?",
                "So sorry! I've passed your feedback on to the warehouse so they pack more carefully."
            ),
            1
        );
    }

    #[test]
    fn an_instruction_answers_what_to_do() {
        assert_eq!(
            fired(
                "при запуске игры выскакивает ошибка, что делать",
                "Обновите драйвер видеокарты с сайта производителя и перезагрузите компьютер."
            ),
            0
        );
    }
}
