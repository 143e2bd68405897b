//! Debugging aid: prints what the analysis sees in a thread (sentences, hits, questions).
//! `cargo run --example explain_case -- corpora/en/clean/001-....json`
use replylint::analysis::signals::{self, Lexicons};
use replylint::{Linter, input, lexicon::LanguagePack};

fn main() {
    let path = std::env::args().nth(1).expect("a thread file");
    let text = std::fs::read_to_string(&path).unwrap();
    let thread = input::parse_thread(&path, &text, 0).unwrap();
    let linter = Linter::new();
    let analysis = linter.analyse(&thread);
    println!(
        "thread lang {:?} channel {:?}",
        analysis.lang, analysis.channel
    );
    for m in &analysis.messages {
        let pack = LanguagePack::build(m.lang, &[]);
        let lex = Lexicons::of(&pack);
        println!("== message {} {:?} lang {:?}", m.index, m.role, m.lang);
        for (i, s) in m.sentences.iter().enumerate() {
            let stems: Vec<&str> = m.content_stems(s.words.clone()).collect();
            println!(
                "  [{i}] own={} q={} {:?} :: {:?}",
                s.own,
                s.question,
                m.sentence_text(s),
                stems
            );
        }
        for h in &m.hits {
            let name = &pack.lexicon(h.lexicon).name;
            if name == "function-words" {
                continue;
            }
            let words: Vec<&str> = m.words[h.words.clone()]
                .iter()
                .map(|w| w.norm.as_str())
                .collect();
            println!(
                "  hit {name}: {:?} tag={:?}",
                words.join(" "),
                pack.term(h).tag
            );
        }
        for g in signals::given_data(m, &lex) {
            println!("  GIVEN {} {:?} {:?}", g.kind, g.value, g.span);
        }
        for r in signals::data_requests(m, &lex) {
            println!("  ASKS {} in s{}", r.kind, r.sentence);
        }
        for q in signals::questions(m, &lex) {
            println!(
                "  QUESTION s{} yes_no={} content={:?} concepts={:?}",
                q.sentence, q.yes_no, q.content, q.concepts
            );
        }
    }
    for d in linter.check(&thread) {
        println!("DIAG {} {}: {}", d.rule, d.severity, d.message);
    }
}
