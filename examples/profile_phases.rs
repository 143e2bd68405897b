use std::time::Instant;
fn main() {
    let t = Instant::now();
    let text = std::fs::read_to_string("examples/refund.json").unwrap();
    let thread = replylint::input::parse_thread("x", &text, 0).unwrap();
    eprintln!("parse {:?}", t.elapsed());
    let t = Instant::now();
    let _ = replylint::language::detect("Здравствуйте! Где мой заказ?");
    eprintln!("detect(first) {:?}", t.elapsed());
    let t = Instant::now();
    let _ = replylint::analysis::find_entities("order 48213 mail a@b.com");
    eprintln!("entities(first) {:?}", t.elapsed());
    let t = Instant::now();
    let _ = replylint::analysis::find_regions("hello\n\nBest regards,\nTom");
    eprintln!("mail(first) {:?}", t.elapsed());
    let t = Instant::now();
    let _ = replylint::lexicon::LanguagePack::build(replylint::Lang::En, &[]);
    eprintln!("pack en {:?}", t.elapsed());
    let t = Instant::now();
    let linter = replylint::Linter::new();
    eprintln!("linter {:?}", t.elapsed());
    let t = Instant::now();
    let d = linter.check(&thread);
    eprintln!("check(first) {:?} {}", t.elapsed(), d.len());
    let t = Instant::now();
    let d = linter.check(&thread);
    eprintln!("check(second) {:?} {}", t.elapsed(), d.len());
}
