//! Prints every reading of the names-and-places stage in each argument, at every score,
//! for looking into why a word is or is not found:
//! `cargo run --release -p detect --example stage_dump -- "text" ...`.

fn main() {
    for text in std::env::args().skip(1) {
        println!("{text:?}");
        for d in detect::detect_names_and_places(&text) {
            println!(
                "  {:7} {:.2} {:?}",
                d.entity_type.as_str(),
                d.score,
                &text[d.start..d.end]
            );
        }
    }
}
