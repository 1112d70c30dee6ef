//! The labels of national identity numbers: a number whose checksum is too weak to stand
//! alone (a bare run of digits passing one random number in ten) is reported only with
//! one of its scheme's words near it, and a number in its scheme's form whose checksum
//! fails only with one right next to it, whatever the policy's context words.

use std::sync::LazyLock;

use super::phrases::PhraseSet;

/// A scheme, or a form of one, whose numbers need their label nearby; or a written form
/// several schemes share, whose label is any of theirs.
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
    /// Finland's henkilötunnus.
    Hetu,
    /// Spain's DNI and NIE.
    SpanishDni,
    /// Singapore's NRIC and FIN.
    Nric,
    /// Italy's codice fiscale.
    CodiceFiscale,
    /// Mexico's CURP.
    Curp,
    /// China's resident identity number.
    ChineseId,
    /// The UAE's Emirates ID.
    EmiratesId,
    /// Switzerland's AHV number.
    Ahv,
    /// Malaysia's MyKad number.
    MyKad,
    /// Indonesia's NIK.
    Nik,
    /// Kenya's national ID number.
    KenyanId,
    /// A US social security number in a grouping of another scheme.
    UsSsn,
    /// Canada's social insurance number.
    Sin,
    /// India's Aadhaar number.
    Aadhaar,
    /// The UK's NHS number.
    Nhs,
    /// Seven or eight bare digits: Argentina's DNI, Kenya's ID.
    SevenOrEight,
    /// Nine bare digits: BSN, Portuguese NIF.
    Nine,
    /// Ten bare digits: personnummer, CPR.
    Ten,
    /// Six digits, a dash and four: personnummer, CPR, henkilötunnus.
    TenDashed,
    /// Eleven bare digits: CPF, PESEL, fødselsnummer, Belgian number, Steuer-ID.
    Eleven,
    /// Twelve bare digits: personnummer with its century, MyKad.
    Twelve,
    /// Thirteen bare digits: RRN, South African ID, AHV number.
    Thirteen,
    /// Fifteen bare digits: NIR, Emirates ID.
    Fifteen,
}

/// How many labels there are.
const COUNT: usize = 37;

impl IdLabel {
    const ALL: [IdLabel; COUNT] = [
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
        IdLabel::Hetu,
        IdLabel::SpanishDni,
        IdLabel::Nric,
        IdLabel::CodiceFiscale,
        IdLabel::Curp,
        IdLabel::ChineseId,
        IdLabel::EmiratesId,
        IdLabel::Ahv,
        IdLabel::MyKad,
        IdLabel::Nik,
        IdLabel::KenyanId,
        IdLabel::UsSsn,
        IdLabel::Sin,
        IdLabel::Aadhaar,
        IdLabel::Nhs,
        IdLabel::SevenOrEight,
        IdLabel::Nine,
        IdLabel::Ten,
        IdLabel::TenDashed,
        IdLabel::Eleven,
        IdLabel::Twelve,
        IdLabel::Thirteen,
        IdLabel::Fifteen,
    ];

    /// The schemes of a form several share; none for a scheme's own label.
    fn members(self) -> &'static [IdLabel] {
        use IdLabel::*;
        match self {
            SevenOrEight => &[ArgentineDni, KenyanId],
            Nine => &[Bsn, PortugueseNif],
            Ten => &[Personnummer, Cpr],
            TenDashed => &[Personnummer, Cpr, Hetu],
            Eleven => &[Cpf, Pesel, Fodselsnummer, BelgianNumber, SteuerId],
            Twelve => &[Personnummer, MyKad],
            Thirteen => &[Rrn, SouthAfricanId, Ahv],
            Fifteen => &[Nir, EmiratesId],
            _ => &[],
        }
    }

    /// The scheme's words, as context words are written (ASCII, a trailing `*` for a
    /// stem, words of a phrase separated by spaces). Words are runs of ASCII letters and
    /// digits, so an accented word is matched by its ASCII spelling or by its part after
    /// the last accent (`dselsnummer` of `fødselsnummer`), and written out in
    /// [`IdLabel::non_ascii`] too. A form several schemes share has their words.
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
            Hetu => &[
                "hetu",
                "henkilotunnus",
                "henkil tunnus",
                "sotu",
                "personbeteckning",
                "personal identity code",
            ],
            SpanishDni => &[
                "dni",
                "nie",
                "nif",
                "d n i",
                "n i e",
                "documento nacional",
                "identidad de extranjero",
            ],
            Nric => &["nric", "fin", "ic", "ic no", "i c"],
            CodiceFiscale => &[
                "codice fiscale",
                "cod fisc",
                "cod fiscale",
                "c f",
                "cf",
                "fiscal code",
                "tax code",
            ],
            Curp => &["curp", "clave unica", "clave nica", "registro de poblacion"],
            ChineseId => &["resident id", "resident identity", "shenfenzheng", "sfz"],
            EmiratesId => &["emirates id", "emirates identity", "eid", "uae id"],
            Ahv => &[
                "ahv",
                "avs",
                "ahv nr",
                "sozialversicherungsnummer",
                "numero avs",
                "social security",
            ],
            MyKad => &[
                "mykad",
                "ic",
                "ic no",
                "nric",
                "k p",
                "kp",
                "kad pengenalan",
            ],
            Nik => &["nik", "ktp", "e ktp", "ektp", "nomor induk kependudukan"],
            KenyanId => &["kenyan id", "huduma", "huduma namba", "kitambulisho"],
            UsSsn => &["ssn*", "social security", "ss no", "ss number"],
            Sin => &["sin", "social insurance", "nas", "assurance sociale"],
            Aadhaar => &["aadhaar*", "aadhar*", "uid", "uidai"],
            Nhs => &["nhs", "health service", "national health"],
            SevenOrEight | Nine | Ten | TenDashed | Eleven | Twelve | Thirteen | Fifteen => &[],
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
            Hetu => &["henkilötunnus", "Henkilötunnus"],
            Curp => &["Clave Única", "clave única"],
            ChineseId => &["身份证", "身份證", "公民身份号码"],
            _ => &[],
        }
    }

    /// Whether the generic words of a national id count for the scheme: not for those
    /// with a type of their own, which a generic label does not name.
    fn generic(self) -> bool {
        !matches!(
            self,
            IdLabel::UsSsn | IdLabel::Sin | IdLabel::Aadhaar | IdLabel::Nhs
        )
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

    /// The scheme's words (or its members') and the generic ones.
    fn all_words(self) -> Vec<&'static str> {
        let mut words: Vec<&str> = self.words().to_vec();
        for m in self.members() {
            for w in m.words() {
                if !words.contains(w) {
                    words.push(w);
                }
            }
        }
        if self.generic() {
            words.extend(IdLabel::GENERIC);
        }
        words
    }

    /// The scheme's words and the generic ones, compiled.
    pub(crate) fn phrases(self) -> &'static PhraseSet {
        static COMPILED: LazyLock<Vec<PhraseSet>> = LazyLock::new(|| {
            IdLabel::ALL
                .iter()
                .map(|l| PhraseSet::compile(&l.all_words()))
                .collect()
        });
        &COMPILED[self as usize]
    }

    /// Whether a label with letters outside ASCII ends within `reach` bytes before
    /// `start`.
    pub(crate) fn non_ascii_before(self, text: &str, start: usize, reach: usize) -> bool {
        let before = &text.as_bytes()[start.saturating_sub(reach)..start];
        // Most texts around a number are ASCII: nothing to look for then.
        if before.is_ascii() {
            return false;
        }
        let found = |labels: &[&str]| {
            labels
                .iter()
                .any(|label| before.windows(label.len()).any(|w| w == label.as_bytes()))
        };
        found(self.non_ascii()) || self.members().iter().any(|m| found(m.non_ascii()))
    }
}

/// How far before a number a label with letters outside ASCII is looked for: a label, a
/// colon and a few words.
pub(crate) const NON_ASCII_REACH: usize = 48;

/// How far before a number whose checksum failed such a label is looked for: a label and
/// a colon or a word.
pub(crate) const NON_ASCII_NEXT: usize = 28;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Window;

    fn labelled(text: &str, number: &str, label: IdLabel) -> bool {
        let start = text.find(number).unwrap();
        let end = start + number.len();
        let mut window = Window::default();
        window.focus(text, start, end, 5);
        window.has_any(text, label.phrases())
            || label.non_ascii_before(text, start, NON_ASCII_REACH)
    }

    /// Whether `label` is right next to `number` in `text`.
    fn next_to(text: &str, number: &str, label: IdLabel) -> bool {
        let start = text.find(number).unwrap();
        let end = start + number.len();
        let mut window = Window::default();
        window.focus(text, start, end, 5);
        window.has_any_next(text, label.phrases())
            || label.non_ascii_before(text, start, NON_ASCII_NEXT)
    }

    #[test]
    fn every_scheme_is_compiled_in_place() {
        for (i, l) in IdLabel::ALL.iter().enumerate() {
            assert_eq!(*l as usize, i);
            let words = l.all_words();
            assert_eq!(l.phrases().len(), words.len(), "{l:?}");
            for m in l.members() {
                assert!(m.members().is_empty(), "{l:?}: a form of schemes");
                assert!(m.words().iter().all(|w| words.contains(w)), "{l:?}");
            }
            assert_eq!(words.contains(&"national identity"), l.generic(), "{l:?}");
        }
    }

    #[test]
    fn a_form_has_the_labels_of_its_schemes() {
        assert!(labelled(
            "PESEL 85072304821",
            "85072304821",
            IdLabel::Eleven
        ));
        assert!(labelled("CPF 85072304821", "85072304821", IdLabel::Eleven));
        assert!(labelled(
            "Fødselsnummer 85072304821",
            "85072304821",
            IdLabel::Eleven
        ));
        assert!(!labelled("BSN 85072304821", "85072304821", IdLabel::Eleven));
        assert!(labelled("BSN 123456789", "123456789", IdLabel::Nine));
        assert!(labelled(
            "KRA PIN, ID No. 28471936",
            "28471936",
            IdLabel::SevenOrEight
        ));
    }

    #[test]
    fn a_label_right_next_to_the_number() {
        assert!(next_to("PESEL 85072304821", "85072304821", IdLabel::Pesel));
        assert!(next_to(
            "my PESEL number is 85072304821",
            "85072304821",
            IdLabel::Pesel
        ));
        assert!(next_to(
            "85072304821 (PESEL)",
            "85072304821",
            IdLabel::Pesel
        ));
        assert!(next_to(
            "C.F. RSSGLI90A41H501X",
            "RSSGLI90A41H501X",
            IdLabel::CodiceFiscale
        ));
        assert!(next_to(
            "No. K/P 900514-10-5523",
            "900514-10-5523",
            IdLabel::MyKad
        ));
        assert!(next_to(
            "n° de sécurité sociale 1 84 06 75 112 347 62",
            "1 84 06 75 112 347 62",
            IdLabel::Nir
        ));
        assert!(!next_to(
            "PESEL of the person who placed 85072304821",
            "85072304821",
            IdLabel::Pesel
        ));
        assert!(!next_to(
            "PESEL 44051401359, order 85072304821",
            "85072304821",
            IdLabel::Pesel
        ));
        assert!(!next_to(
            "85072304821 shipped, PESEL below",
            "85072304821",
            IdLabel::Pesel
        ));
        assert!(!next_to("SSN 046 454 286", "046 454 286", IdLabel::Sin));
        assert!(
            !next_to("national ID 527 419 883", "527 419 883", IdLabel::Sin),
            "a type of its own: no generic label"
        );
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
