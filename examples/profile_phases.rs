//! Where a cold `check` spends its time: language data per language, then one check.
use std::time::Instant;
fn main() {
    for lang in replylint::Lang::ALL {
        let t = Instant::now();
        let _ = replylint::lexicon::LanguagePack::build(lang, &[]);
        eprintln!("pack {lang}: {:?}", t.elapsed());
    }
    for file in [
        "examples/refund.json",
        "examples/ru-delivery.json",
        "examples/bg-payment.json",
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        let thread = replylint::input::parse_thread(file, &text, 0).unwrap();
        let linter = replylint::Linter::new();
        let t = Instant::now();
        let d = linter.check(&thread);
        eprintln!(
            "{file}: first check {:?} ({} findings)",
            t.elapsed(),
            d.len()
        );
        let t = Instant::now();
        linter.check(&thread);
        eprintln!("{file}: second check {:?}", t.elapsed());
    }
}
