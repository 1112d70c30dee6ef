//! The labels of national identity numbers whose checksum is too weak to stand alone
//! (a bare run of digits passing one random number in ten): such a number is reported
//! only with one of its scheme's words near it, whatever the policy's context words.

use std::sync::LazyLock;

use super::phrases::PhraseSet;

/// A scheme, or a form of one, whose numbers need their label nearby.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdLabel {
    /// Brazil's CPF written as eleven bare digits.
    Cpf,
    /// Poland's PESEL.
    Pesel,
    /// The Netherlands' BSN.
    Bsn,
    /// Sweden's personnummer written without its dash.
    Personnummer,
    /// France's NIR written without its spaces.
    Nir,
    /// Denmark's CPR number.
    Cpr,
    /// Norway's fødselsnummer.
    Fodselsnummer,
    /// Belgium's national number written as eleven bare digits.
    BelgianNumber,
    /// South Korea's resident registration number, bare or without a valid check digit.
    Rrn,
    /// South Africa's identity number.
    SouthAfricanId,
    /// Ireland's PPS number.
    Pps,
    /// Portugal's NIF.
    PortugueseNif,
    /// Argentina's DNI.
    ArgentineDni,
    /// Germany's Steuer-ID.
    SteuerId,
}

impl IdLabel {
    const ALL: [IdLabel; 14] = [
        IdLabel::Cpf,
        IdLabel::Pesel,
        IdLabel::Bsn,
        IdLabel::Personnummer,
        IdLabel::Nir,
        IdLabel::Cpr,
        IdLabel::Fodselsnummer,
        IdLabel::BelgianNumber,
        IdLabel::Rrn,
        IdLabel::SouthAfricanId,
        IdLabel::Pps,
        IdLabel::PortugueseNif,
        IdLabel::ArgentineDni,
        IdLabel::SteuerId,
    ];

    /// The scheme's words, as context words are written (ASCII, a trailing `*` for a
    /// stem, words of a phrase separated by spaces). Words are runs of ASCII letters and
    /// digits, so an accented word is matched by its ASCII spelling or by its part after
    /// the last accent (`dselsnummer` of `fødselsnummer`), and written out in
    /// [`IdLabel::non_ascii`] too.
    pub(crate) fn words(self) -> &'static [&'static str] {
        use IdLabel::*;
        match self {
            Cpf => &["cpf", "cadastro de pessoas"],
            Pesel => &["pesel"],
            Bsn => &["bsn", "burgerservicenummer", "sofinummer", "sofi nummer"],
            Personnummer => &["personnummer", "personnr", "pnr", "samordningsnummer"],
            Nir => &[
                "nir",
                "insee",
                "secu",
                "securite sociale",
                "curit sociale",
                "social security",
                "carte vitale",
            ],
            Cpr => &["cpr", "cpr nr", "cprnr", "personnummer"],
            Fodselsnummer => &[
                "fodselsnummer",
                "dselsnummer",
                "fnr",
                "personnummer",
                "d nummer",
            ],
            BelgianNumber => &[
                "rijksregisternummer",
                "rijksregister",
                "numero national",
                "ro national",
                "registre national",
                "national number",
                "niss",
                "insz",
            ],
            Rrn => &["rrn", "resident registration"],
            SouthAfricanId => &["sa id", "rsa id", "south african id", "identity document"],
            Pps => &["pps", "ppsn", "personal public service"],
            PortugueseNif => &[
                "nif",
                "contribuinte",
                "numero fiscal",
                "identificacao fiscal",
            ],
            ArgentineDni => &["dni", "documento", "d n i"],
            SteuerId => &[
                "steuer id",
                "steuerid",
                "steuer idnr",
                "steueridentifikationsnummer",
                "steuerliche identifikationsnummer",
                "identifikationsnummer",
                "idnr",
                "tax id",
            ],
        }
    }

    /// Labels with letters outside ASCII, looked for as written in the bytes just before
    /// the number.
    fn non_ascii(self) -> &'static [&'static str] {
        use IdLabel::*;
        match self {
            Nir => &["sécurité sociale", "Sécurité sociale", "sécu", "Sécu"],
            Fodselsnummer => &["fødselsnummer", "Fødselsnummer", "fødselsnr"],
            BelgianNumber => &["numéro national", "Numéro national"],
            Rrn => &["주민등록번호", "주민번호"],
            PortugueseNif => &["identificação fiscal", "número fiscal"],
            _ => &[],
        }
    }

    /// The words of every scheme: a national id named as such.
    const GENERIC: &'static [&'static str] = &[
        "national id*",
        "national identity",
        "national identification",
        "id number",
        "id no",
        "id nr",
        "id card",
        "identity number",
        "identity card",
        "identification number",
        "personal id",
        "citizen id",
    ];

    /// The scheme's words and the generic ones, compiled.
    pub(crate) fn phrases(self) -> &'static PhraseSet {
        static COMPILED: LazyLock<Vec<PhraseSet>> = LazyLock::new(|| {
            IdLabel::ALL
                .iter()
                .map(|l| {
                    let words: Vec<&str> =
                        l.words().iter().chain(IdLabel::GENERIC).copied().collect();
                    PhraseSet::compile(&words)
                })
                .collect()
        });
        &COMPILED[self as usize]
    }

    /// Whether a label with letters outside ASCII ends within [`NON_ASCII_REACH`] bytes
    /// before `start`.
    pub(crate) fn non_ascii_before(self, text: &str, start: usize) -> bool {
        let labels = self.non_ascii();
        if labels.is_empty() {
            return false;
        }
        let before = &text.as_bytes()[start.saturating_sub(NON_ASCII_REACH)..start];
        labels
            .iter()
            .any(|label| before.windows(label.len()).any(|w| w == label.as_bytes()))
    }
}

/// How far before a number a label with letters outside ASCII is looked for: a label, a
/// colon and a few words.
const NON_ASCII_REACH: usize = 48;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Window;

    fn labelled(text: &str, number: &str, label: IdLabel) -> bool {
        let start = text.find(number).unwrap();
        let end = start + number.len();
        let mut window = Window::default();
        window.focus(text, start, end, 5);
        window.has_any(text, label.phrases()) || label.non_ascii_before(text, start)
    }

    #[test]
    fn every_scheme_is_compiled_in_place() {
        for (i, l) in IdLabel::ALL.iter().enumerate() {
            assert_eq!(*l as usize, i);
            assert_eq!(
                l.phrases().iter().count(),
                l.words().len() + IdLabel::GENERIC.len(),
                "{l:?}"
            );
        }
    }

    #[test]
    fn labels_in_any_case_and_accented() {
        assert!(labelled(
            "PESEL: 44051401359",
            "44051401359",
            IdLabel::Pesel
        ));
        assert!(labelled(
            "numer pesel 44051401359",
            "44051401359",
            IdLabel::Pesel
        ));
        assert!(labelled(
            "Steuer-ID 47368124094",
            "47368124094",
            IdLabel::SteuerId
        ));
        assert!(labelled(
            "Fødselsnummer: 12038512356",
            "12038512356",
            IdLabel::Fodselsnummer
        ));
        assert!(labelled(
            "주민등록번호 8506121234562",
            "8506121234562",
            IdLabel::Rrn
        ));
        assert!(labelled(
            "numéro de sécurité sociale 185057800608491",
            "185057800608491",
            IdLabel::Nir
        ));
        assert!(labelled(
            "National ID: 111222333",
            "111222333",
            IdLabel::Bsn
        ));
        assert!(!labelled(
            "Order 44051401359",
            "44051401359",
            IdLabel::Pesel
        ));
        assert!(!labelled("BSN 44051401359", "44051401359", IdLabel::Pesel));
    }
}
