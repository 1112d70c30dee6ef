use super::detect;
use crate::EntityType::{self, *};

fn found(text: &str) -> Vec<(EntityType, &str)> {
    let mut out = Vec::new();
    detect(text, &mut out);
    for d in &out {
        assert!(text.is_char_boundary(d.start) && text.is_char_boundary(d.end));
    }
    out.iter()
        .map(|d| (d.entity_type, &text[d.start..d.end]))
        .collect()
}

#[test]
fn numbers_read_out_are_typed_by_the_question() {
    assert_eq!(
        found(
            "Agent: Can you read me the long number on the front of the card?\n\
             Customer: Yep, four five three nine, one two eight eight, zero four seven six, three three one two"
        ),
        [(
            CreditDebitNumber,
            "four five three nine, one two eight eight, zero four seven six, three three one two"
        )]
    );
    assert_eq!(
        found(
            "Agent: Could I take your account number?\nCustomer: three one nine four, four two zero six"
        ),
        [(BankAccountNumber, "three one nine four, four two zero six")]
    );
    assert_eq!(
        found(
            "Clerk: I'll need your social to pull up the record.\n\
             Caller: Sure, five three one, four four, two nine eight zero.\n\
             Clerk: And the ZIP code?\nCaller: seven eight seven zero four."
        ),
        [
            (Ssn, "five three one, four four, two nine eight zero"),
            (Address, "seven eight seven zero four")
        ]
    );
    assert_eq!(
        found(
            "Agent: Just to verify, what's your tax file number?\nCaller: four five nine, two one eight, six three three"
        ),
        [(Ssn, "four five nine, two one eight, six three three")]
    );
    assert_eq!(
        found("Caller: My number's oh seven seven double four, one two three four five six"),
        [(
            Phone,
            "oh seven seven double four, one two three four five six"
        )]
    );
    assert_eq!(
        found(
            "Agente: ¿Me confirma su DNI, por favor?\nCliente: Sí, cuatro siete dos uno cinco ocho tres nueve, K de kilo."
        ),
        [(Ssn, "cuatro siete dos uno cinco ocho tres nueve")]
    );
}

#[test]
fn letters_and_digits_after_a_postcode_plate_passport_or_licence() {
    assert_eq!(
        found(
            "Operator: Do you know the postcode?\nCaller: C B one, two R D\nOperator: How old is he?"
        ),
        [(Address, "C B one, two R D")]
    );
    assert_eq!(
        found(
            "Agent: For security, what's the postcode on the account?\nCustomer: L S six, three Q B."
        ),
        [(Address, "L S six, three Q B")]
    );
    assert_eq!(
        found("Caller: Hi, I'm ringing about the car, reg is Y K six eight, L X T"),
        [(LicensePlate, "Y K six eight, L X T")]
    );
    assert_eq!(
        found(
            "Agent: Can I take your passport number?\nPassenger: P A four four zero one nine two six"
        ),
        [(PassportNumber, "P A four four zero one nine two six")]
    );
    assert_eq!(
        found(
            "Agent: And your driving licence number?\nCaller: R A O nine nine, eight five one two two five, S N nine X Y"
        ),
        [(
            DriverId,
            "R A O nine nine, eight five one two two five, S N nine X Y"
        )]
    );
}

#[test]
fn a_long_run_with_no_label_is_a_phone_at_a_lower_score() {
    let text = "hi it's marcus so get back to me on oh seven nine one two, four four eight, double six one when you get this";
    let mut out = Vec::new();
    detect(text, &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(
        &text[out[0].start..out[0].end],
        "oh seven nine one two, four four eight, double six one"
    );
    assert_eq!((out[0].entity_type, out[0].score), (Phone, 0.5));
    assert_eq!(
        found(
            "Caller: reach me on plus three five three, eight seven, two two one, four four nine oh any time"
        ),
        [(
            Phone,
            "plus three five three, eight seven, two two one, four four nine oh"
        )]
    );
    assert_eq!(
        found("Caller: my number is plus two two one, seven seven, five six two, eighteen, forty."),
        [(
            Phone,
            "plus two two one, seven seven, five six two, eighteen, forty"
        )]
    );
}

#[test]
fn emails_said_aloud() {
    assert_eq!(
        found("Caller: It's rose dot okonkwo at gmail dot com."),
        [(Email, "rose dot okonkwo at gmail dot com")]
    );
    assert_eq!(
        found(
            "Caller: Yeah, it's ravi dot menon eighty two at gmail dot com. Agent: Is that Ravi?"
        ),
        [(Email, "ravi dot menon eighty two at gmail dot com")]
    );
    assert_eq!(
        found(
            "it's h underscore svensson at protonmail dot com no wait use helena dot svensson at icloud dot com"
        ),
        [
            (Email, "h underscore svensson at protonmail dot com"),
            (Email, "helena dot svensson at icloud dot com")
        ]
    );
    assert_eq!(
        found("Caller: email me at tomek dot nowak at wp dot pl"),
        [(Email, "tomek dot nowak at wp dot pl")]
    );
}

#[test]
fn ages_said_after_a_pronoun() {
    assert_eq!(
        found("Caller: He's seventy-three."),
        [(Age, "seventy-three")]
    );
    assert_eq!(
        found("Caller: Yeah hi, my mum's a resident there, Joan Wood, she's ninety, and she says"),
        [(Age, "ninety")]
    );
    assert_eq!(
        found("hi yes um i'm calling about my mother she's ninety one and she had a fall"),
        [(Age, "ninety one")]
    );
    assert_eq!(
        found("Dictated note: patient Halima Yusuf, aged forty-seven, seen"),
        [(Age, "forty-seven")]
    );
}

#[test]
fn ordinary_talk_with_number_words_gives_nothing() {
    for text in [
        "Caller: one of the two was broken, and at one point three times in a row it failed",
        "Caller: I'm one of them, call me at five",
        "Agent: she's five minutes away and he's two doors down",
        "Agent: the number of people was two or three, maybe four",
        "Agent: meet me at the office at nine, it's on the second floor",
        "caller: i'm twenty minutes out, we're at home dot",
        "Agent: your card ends in four five six seven",
        "The card was declined. One two three four five six seven eight nine.",
    ] {
        assert_eq!(found(text), [], "{text}");
    }
}

#[test]
fn only_transcript_lines_are_read() {
    // Prose opening with a capital and no speaker's label is passed over.
    assert!(
        found("The customer read out four five three nine one two eight eight zero four seven six")
            .is_empty()
    );
    // A chunk cut mid-sentence opens in lower case, but its next sentence has a capital.
    assert!(found("read out four five three nine one two eight eight. The next one").is_empty());
    // Offsets stay on char boundaries around non-ASCII words.
    assert_eq!(
        found("Cliente: teléfono — seis uno cuatro dos dos tres ocho"),
        [(Phone, "seis uno cuatro dos dos tres ocho")]
    );
}
