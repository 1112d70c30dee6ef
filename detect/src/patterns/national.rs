//! National identity numbers of other countries among the digit runs and upper-case
//! tokens, reported as SSN (Comprehend's type for a government id of a person). A
//! distinctive form whose checksum passes stands on its own (`123.456.789-09`,
//! `12345678Z`, `RSSMRA85T10A562S`, `850612-1238`); a bare run of digits whose checksum
//! one random number in ten or so passes counts only next to its scheme's label
//! ([`IdLabel`]). A number in its scheme's written form whose checksum fails was
//! mistyped, remembered wrong or made up, and is still someone's id right next to its
//! label (`PESEL 85072304821`), at [`MISTYPED`]; without one it is nothing, since texts
//! are full of order and invoice numbers.

use super::Candidate;
use crate::EntityType;
use crate::context::IdLabel;
use crate::validators::{
    ae_emirates_id_plausible, ae_emirates_id_valid, ar_dni_plausible, be_national_number_valid,
    ch_ahv_valid, cn_resident_id_valid, cpf_valid, curp_valid, de_steuer_id_valid,
    dk_cpr_plausible, es_dni_valid, fi_hetu_valid, fr_nir_valid, id_nik_plausible, ie_pps_valid,
    it_codice_fiscale_valid, kr_rrn_checksum, kr_rrn_plausible, my_mykad_plausible, nl_bsn_valid,
    no_fodselsnummer_valid, pl_pesel_valid, pt_nif_valid, se_personnummer_valid, sg_nric_valid,
    za_id_valid,
};

/// The score of a number with a passed checksum next to its label.
const LABELLED: f32 = 0.9;
/// The score of a number without a checksum (Argentina's DNI, Denmark's CPR since 2007)
/// next to its label, and of MyKad's dashed form with a birth date that exists, alone.
const LABELLED_UNCHECKED: f32 = 0.8;
/// The score of a number in its scheme's form whose checksum fails, right next to its
/// label; and of an Emirates ID written `784-yyyy-nnnnnnn-c` whose Luhn digit fails,
/// alone (nothing else is written so).
pub(super) const MISTYPED: f32 = 0.6;

fn validated(start: usize, end: usize) -> Candidate {
    Candidate::validated(EntityType::Ssn, start, end)
}

fn labelled(start: usize, end: usize, base: f32, label: IdLabel) -> Candidate {
    Candidate::labelled(EntityType::Ssn, start, end, base, label)
}

fn mistyped(start: usize, end: usize, label: IdLabel) -> Candidate {
    Candidate::labelled_next(EntityType::Ssn, start, end, MISTYPED, label)
}

/// A run of digits `text[start..end]` with one kind of separator `sep` (or none): `d` its
/// digits, `lens` the lengths of its groups. Readings that pass their checks come first,
/// the one of a mistyped number last: it counts only where none of them does.
pub(super) fn digit_run(
    text: &str,
    start: usize,
    end: usize,
    d: &[u8],
    lens: &[u8],
    sep: Option<u8>,
    out: &mut Vec<Candidate>,
) {
    let bare = lens.len() == 1;
    let dashed = sep == Some(b'-');
    let mut found = Found { start, end, out };
    match d.len() {
        6 if bare => hetu_after(text, start, end, found.out),
        7 | 8 if bare || (sep == Some(b'.') && lens[1..] == [3, 3]) => {
            found.labelled(
                ar_dni_plausible(d),
                LABELLED_UNCHECKED,
                IdLabel::SevenOrEight,
            );
        }
        9 if bare || (matches!(sep, Some(b' ' | b'.')) && lens == [3, 3, 3]) => {
            if bare {
                found.labelled(nl_bsn_valid(d), LABELLED, IdLabel::Bsn);
            }
            found.labelled(pt_nif_valid(d), LABELLED, IdLabel::PortugueseNif);
            found.mistyped(IdLabel::Nine);
        }
        10 if bare => {
            found.labelled(se_personnummer_valid(d), LABELLED, IdLabel::Personnummer);
            found.labelled(dk_cpr_plausible(d), LABELLED_UNCHECKED, IdLabel::Cpr);
            found.mistyped(IdLabel::Ten);
        }
        10 if dashed && lens == [6, 4] => {
            let raw = &text.as_bytes()[start..end];
            if !found.validated(se_personnummer_valid(d) || fi_hetu_valid(raw)) {
                found.labelled(dk_cpr_plausible(d), LABELLED_UNCHECKED, IdLabel::Cpr);
                found.mistyped(IdLabel::TenDashed);
            }
        }
        11 if dashed && lens == [9, 2] => {
            found.validated_or_mistyped(cpf_valid(d), IdLabel::Cpf);
        }
        11 if bare => {
            found.labelled(cpf_valid(d), LABELLED, IdLabel::Cpf);
            found.labelled(pl_pesel_valid(d), LABELLED, IdLabel::Pesel);
            found.labelled(no_fodselsnummer_valid(d), LABELLED, IdLabel::Fodselsnummer);
            found.labelled(
                be_national_number_valid(d),
                LABELLED,
                IdLabel::BelgianNumber,
            );
            found.labelled(de_steuer_id_valid(d), LABELLED, IdLabel::SteuerId);
            found.mistyped(IdLabel::Eleven);
        }
        11 if sep == Some(b' ') && lens == [2, 3, 3, 3] => {
            found.labelled(de_steuer_id_valid(d), LABELLED, IdLabel::SteuerId);
            found.mistyped(IdLabel::SteuerId);
        }
        12 if dashed && lens == [8, 4] => {
            found.validated_or_mistyped(se_personnummer_valid(d), IdLabel::Personnummer);
        }
        12 if dashed && lens == [6, 2, 4] => {
            // MyKad's own form: a birth date and a place of birth between dashes.
            if my_mykad_plausible(d) {
                found.labelled(true, LABELLED, IdLabel::MyKad);
                found.alone(LABELLED_UNCHECKED);
            } else {
                found.mistyped(IdLabel::MyKad);
            }
        }
        12 if bare => {
            found.labelled(se_personnummer_valid(d), LABELLED, IdLabel::Personnummer);
            found.labelled(my_mykad_plausible(d), LABELLED_UNCHECKED, IdLabel::MyKad);
            found.mistyped(IdLabel::Twelve);
        }
        13 if dashed && lens == [6, 7] => {
            if kr_rrn_plausible(d) {
                let checked = found.validated(kr_rrn_checksum(d));
                found.labelled(!checked, LABELLED_UNCHECKED, IdLabel::Rrn);
            } else {
                found.mistyped(IdLabel::Rrn);
            }
        }
        13 if bare => {
            found.labelled(kr_rrn_plausible(d), LABELLED_UNCHECKED, IdLabel::Rrn);
            found.labelled(za_id_valid(d), LABELLED, IdLabel::SouthAfricanId);
            found.labelled(ch_ahv_valid(d), LABELLED, IdLabel::Ahv);
            found.mistyped(IdLabel::Thirteen);
        }
        13 if sep == Some(b'.') && lens == [3, 4, 4, 2] => {
            found.validated_or_mistyped(ch_ahv_valid(d), IdLabel::Ahv);
        }
        15 if sep == Some(b' ') && lens == [1, 2, 2, 2, 3, 3, 2] => {
            found.validated_or_mistyped(fr_nir_valid(d), IdLabel::Nir);
        }
        15 if bare => {
            found.labelled(fr_nir_valid(d), LABELLED, IdLabel::Nir);
            found.labelled(ae_emirates_id_valid(d), LABELLED, IdLabel::EmiratesId);
            found.mistyped(IdLabel::Fifteen);
        }
        // An Emirates ID's own form: 784, a birth year, seven digits and a check digit.
        15 if dashed && lens == [3, 4, 7, 1] => {
            if ae_emirates_id_valid(d) {
                found.validated(true);
            } else if ae_emirates_id_plausible(d) {
                found.alone(MISTYPED);
            } else {
                found.mistyped(IdLabel::EmiratesId);
            }
        }
        16 if bare => {
            found.labelled(id_nik_plausible(d), LABELLED_UNCHECKED, IdLabel::Nik);
            found.mistyped(IdLabel::Nik);
        }
        18 if bare => {
            found.validated_or_mistyped(cn_resident_id_valid(d), IdLabel::ChineseId);
        }
        _ => {}
    }
}

/// Pushes the readings of one span.
struct Found<'a> {
    start: usize,
    end: usize,
    out: &'a mut Vec<Candidate>,
}

impl Found<'_> {
    /// A number that stands alone when `ok`; returns `ok`.
    fn validated(&mut self, ok: bool) -> bool {
        if ok {
            self.out.push(validated(self.start, self.end));
        }
        ok
    }

    /// A number that stands alone when `ok`, and needs `label` right next to it when not.
    fn validated_or_mistyped(&mut self, ok: bool, label: IdLabel) {
        if !self.validated(ok) {
            self.mistyped(label);
        }
    }

    /// A number that needs `label` nearby, when `ok`.
    fn labelled(&mut self, ok: bool, base: f32, label: IdLabel) {
        if ok {
            self.out.push(labelled(self.start, self.end, base, label));
        }
    }

    /// A number in its scheme's form whose check failed, that needs `label` right next
    /// to it.
    fn mistyped(&mut self, label: IdLabel) {
        self.out.push(mistyped(self.start, self.end, label));
    }

    /// A number whose form alone says what it is, at `base`.
    fn alone(&mut self, base: f32) {
        self.out.push(Candidate::settled(
            EntityType::Ssn,
            self.start,
            self.end,
            base,
        ));
    }
}

/// A Finnish henkilötunnus whose check character is a letter, after a sign that does not
/// join a digit run (`131052-308T`, `010150+123A`): the run is its date, `text[start..end]`.
fn hetu_after(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    let hetu_end = start + 11;
    if b.get(end).is_some_and(|&c| c == b'-' || c == b'+')
        && b.get(hetu_end).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        match b.get(start..hetu_end) {
            Some(hetu) if fi_hetu_valid(hetu) => out.push(validated(start, hetu_end)),
            Some(hetu) if hetu_form(hetu) => out.push(mistyped(start, hetu_end, IdLabel::Hetu)),
            _ => {}
        }
    }
}

/// Written as a henkilötunnus, `ddmmyyCzzzQ`, whatever its date and check character.
fn hetu_form(s: &[u8]) -> bool {
    s.len() == 11
        && s[..6].iter().all(u8::is_ascii_digit)
        && matches!(s[6], b'-' | b'+' | b'A'..=b'F' | b'U'..=b'Y')
        && s[7..10].iter().all(u8::is_ascii_digit)
        && (s[10].is_ascii_digit() || s[10].is_ascii_uppercase())
}

/// A run of digits with dots and a dash: Brazil's CPF (`123.456.789-09`) and Belgium's
/// national number (`85.07.30-033.28`).
pub(super) fn mixed_run(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let raw = &text.as_bytes()[start..end];
    let mut d = [0u8; 11];
    let (form, ok, label) = match raw.len() {
        14 => {
            let form = written_as(raw, b"ddd.ddd.ddd-dd", &mut d);
            (form, form && cpf_valid(&d), IdLabel::Cpf)
        }
        15 => {
            let form = written_as(raw, b"dd.dd.dd-ddd.dd", &mut d);
            (
                form,
                form && be_national_number_valid(&d),
                IdLabel::BelgianNumber,
            )
        }
        _ => return,
    };
    if ok {
        out.push(validated(start, end));
    } else if form {
        out.push(mistyped(start, end, label));
    }
}

/// Whether `raw` is written as `form` (`d` for a digit, any other byte as itself), with
/// its eleven digits put into `d`.
fn written_as(raw: &[u8], form: &[u8], d: &mut [u8; 11]) -> bool {
    let mut n = 0;
    raw.len() == form.len()
        && raw.iter().zip(form).all(|(&c, &f)| {
            if f != b'd' {
                return c == f;
            }
            let digit = c.is_ascii_digit() && n < d.len();
            if digit {
                d[n] = c;
                n += 1;
            }
            digit
        })
        && n == d.len()
}

/// An upper-case token with a digit in it, `text[start..end]`: Spain's DNI and NIE,
/// Singapore's NRIC and FIN, Italy's codice fiscale, Mexico's CURP, a Chinese resident
/// id ending in X, a Finnish henkilötunnus of the 2000s; Ireland's PPS number and a
/// Corsican NIR with their labels; any of them in its form with a failed check right
/// next to its label.
pub(super) fn token(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text.as_bytes()[start..end];
    let mut found = Found { start, end, out };
    match s.len() {
        8 => pps(s, &mut found),
        9 => {
            if s[0].is_ascii_digit() {
                pps(s, &mut found);
            }
            if !found.validated(es_dni_valid(s) || sg_nric_valid(s)) {
                if dni_form(s) {
                    found.mistyped(IdLabel::SpanishDni);
                }
                if nric_form(s) {
                    found.mistyped(IdLabel::Nric);
                }
            }
        }
        // Every valid number is in its form.
        11 if hetu_form(s) => found.validated_or_mistyped(fi_hetu_valid(s), IdLabel::Hetu),
        15 => {
            let corsican = s[..5].iter().all(u8::is_ascii_digit)
                && matches!(&s[5..7], b"2A" | b"2B")
                && s[7..].iter().all(u8::is_ascii_digit);
            if corsican {
                found.labelled(fr_nir_valid(s), LABELLED, IdLabel::Nir);
                found.mistyped(IdLabel::Nir);
            }
        }
        16 if codice_fiscale_form(s) => {
            found.validated_or_mistyped(it_codice_fiscale_valid(s), IdLabel::CodiceFiscale);
        }
        18 if curp_form(s) => {
            found.validated_or_mistyped(curp_valid(s), IdLabel::Curp);
        }
        18 if s[..17].iter().all(u8::is_ascii_digit) && s[17] == b'X' => {
            found.validated_or_mistyped(cn_resident_id_valid(s), IdLabel::ChineseId);
        }
        _ => {}
    }
}

/// Ireland's PPS number: seven digits and one or two letters.
fn pps(s: &[u8], found: &mut Found<'_>) {
    let form = s[..7].iter().all(u8::is_ascii_digit) && s[7..].iter().all(u8::is_ascii_uppercase);
    if form {
        found.labelled(ie_pps_valid(s), LABELLED, IdLabel::Pps);
        found.mistyped(IdLabel::Pps);
    }
}

/// Written as a DNI (`12345678Z`) or an NIE (`X1234567L`).
fn dni_form(s: &[u8]) -> bool {
    s.len() == 9
        && (s[0].is_ascii_digit() || matches!(s[0], b'X' | b'Y' | b'Z'))
        && s[1..8].iter().all(u8::is_ascii_digit)
        && s[8].is_ascii_uppercase()
}

/// Written as an NRIC or FIN (`S1234567D`).
fn nric_form(s: &[u8]) -> bool {
    s.len() == 9
        && matches!(s[0], b'S' | b'T' | b'F' | b'G' | b'M')
        && s[1..8].iter().all(u8::is_ascii_digit)
        && s[8].is_ascii_uppercase()
}

/// Written as a codice fiscale (`RSSMRA85T10A562S`): six letters, two digits, a month
/// letter, two digits, a letter, three digits and a letter, where a digit may be one of
/// its omocodia letters.
fn codice_fiscale_form(s: &[u8]) -> bool {
    let number = |c: &u8| c.is_ascii_digit() || b"LMNPQRSTUV".contains(c);
    s.len() == 16
        && s[..6].iter().all(u8::is_ascii_uppercase)
        && s[6..8].iter().all(number)
        && b"ABCDEHLMPRST".contains(&s[8])
        && s[9..11].iter().all(number)
        && s[11].is_ascii_uppercase()
        && s[12..15].iter().all(number)
        && s[15].is_ascii_uppercase()
}

/// Written as a CURP (`HEGG560427MVZRRL04`): four letters, six digits, the sex, five
/// letters, a letter or digit and a digit.
fn curp_form(s: &[u8]) -> bool {
    s.len() == 18
        && s[..4].iter().all(u8::is_ascii_uppercase)
        && s[4..10].iter().all(u8::is_ascii_digit)
        && matches!(s[10], b'H' | b'M' | b'X')
        && s[11..16].iter().all(u8::is_ascii_uppercase)
        && s[16].is_ascii_alphanumeric()
        && s[17].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Deferred;

    /// What the classifiers read in `s`: (span, validated, label, label right next to it).
    fn read(s: &str) -> Vec<(&str, bool, Option<IdLabel>, bool)> {
        let mut out = Vec::new();
        let b = s.as_bytes();
        let signed = b.len() == 11 && matches!(b[6], b'-' | b'+') && b[10].is_ascii_uppercase();
        if signed {
            digit_run(s, 0, 6, &b[..6], &[6], None, &mut out);
        } else if b.iter().all(u8::is_ascii_alphanumeric) && b.iter().any(u8::is_ascii_uppercase) {
            token(s, 0, s.len(), &mut out);
        } else if b.contains(&b'.') && b.contains(&b'-') {
            mixed_run(s, 0, s.len(), &mut out);
        } else {
            let sep = b.iter().copied().find(|c| !c.is_ascii_digit());
            let d: Vec<u8> = b.iter().copied().filter(u8::is_ascii_digit).collect();
            let lens: Vec<u8> = s
                .split(|c: char| !c.is_ascii_digit())
                .map(|g| g.len() as u8)
                .collect();
            digit_run(s, 0, s.len(), &d, &lens, sep, &mut out);
        }
        out.iter()
            .map(|c| {
                let (label, next) = match c.deferred {
                    Deferred::Label(l) => (Some(l), false),
                    Deferred::LabelNext(l) => (Some(l), true),
                    _ => (None, false),
                };
                (&s[c.start..c.end], c.validated, label, next)
            })
            .collect()
    }

    fn alone(s: &str) -> bool {
        read(s).iter().any(|&(span, v, _, _)| v && span == s)
    }

    fn needs(s: &str, label: IdLabel) -> bool {
        read(s)
            .iter()
            .any(|&(span, v, l, next)| !v && !next && l == Some(label) && span == s)
    }

    #[test]
    fn distinctive_forms_stand_alone() {
        for id in [
            "123.456.789-09",
            "123456789-09",
            "85.07.30-033.28",
            "12345678Z",
            "X1234567L",
            "S1234567D",
            "RSSMRA85T10A562S",
            "HEGG560427MVZRRL04",
            "11010519491231002X",
            "440308199003071235",
            "131052-308T",
            "010101A123N",
            "850612-1238",
            "19850612-1238",
            "850612-1234561",
            "1 85 05 78 006 084 91",
            "756.4821.3907.55",
            "784-1979-4521873-9",
        ] {
            assert!(alone(id), "{id}: {:?}", read(id));
        }
    }

    #[test]
    fn failed_checksums_are_nothing_alone() {
        for id in [
            "123.456.789-08",
            "85.07.30-033.29",
            "12345678A",
            "X1234567M",
            "S1234567E",
            "RSSMRA85T10A562T",
            "HEGG560427MVZRRL05",
            "11010519491231002Y",
            "110105194912310021",
            "131052-308U",
            "850612-1234",
            "1 85 05 78 006 084 36",
            "756.4821.3907.52",
        ] {
            assert!(!alone(id), "{id}: {:?}", read(id));
            assert!(
                read(id).iter().all(|&(_, _, l, _)| l.is_some()),
                "{id}: only with a label: {:?}",
                read(id)
            );
        }
        assert!(!alone("851312-1231"), "month 13");
        assert!(!needs("44051401358", IdLabel::Pesel));
        assert!(!needs("111222334", IdLabel::Bsn));
    }

    #[test]
    fn bare_runs_need_their_label() {
        for (id, label) in [
            ("12345678909", IdLabel::Cpf),
            ("44051401359", IdLabel::Pesel),
            ("111222333", IdLabel::Bsn),
            ("8506121238", IdLabel::Personnummer),
            ("185057800608491", IdLabel::Nir),
            ("0101901234", IdLabel::Cpr),
            ("010190-1234", IdLabel::Cpr),
            ("12038512356", IdLabel::Fodselsnummer),
            ("85073003328", IdLabel::BelgianNumber),
            ("8506121234561", IdLabel::Rrn),
            ("850612-1234562", IdLabel::Rrn),
            ("8001015009087", IdLabel::SouthAfricanId),
            ("1234567T", IdLabel::Pps),
            ("1234567FA", IdLabel::Pps),
            ("123456789", IdLabel::PortugueseNif),
            ("123 456 789", IdLabel::PortugueseNif),
            ("12.345.678", IdLabel::SevenOrEight),
            ("12345678", IdLabel::SevenOrEight),
            ("47368124094", IdLabel::SteuerId),
            ("47 368 124 094", IdLabel::SteuerId),
            ("185052A00608435", IdLabel::Nir),
            ("7564821390755", IdLabel::Ahv),
            ("784197945218739", IdLabel::EmiratesId),
            ("900514105523", IdLabel::MyKad),
            ("900514-10-5523", IdLabel::MyKad),
            ("3174052208910003", IdLabel::Nik),
        ] {
            assert!(needs(id, label), "{id}: {:?}", read(id));
            assert!(!alone(id), "{id}");
        }
    }

    #[test]
    fn a_hetu_ends_at_its_check_character() {
        let text = "HETU 131052-308T, ok";
        let mut out = Vec::new();
        digit_run(text, 5, 11, b"131052", &[6], None, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(&text[out[0].start..out[0].end], "131052-308T");
        out.clear();
        let longer = "131052-308TX";
        digit_run(longer, 0, 6, b"131052", &[6], None, &mut out);
        assert!(out.is_empty());
    }

    /// The type and score the detector gives `value` in `text`.
    fn found(text: &str, value: &str) -> Option<(EntityType, f32)> {
        crate::PatternDetector::default()
            .detect_text(text)
            .into_iter()
            .find(|d| &text[d.start..d.end] == value)
            .map(|d| (d.entity_type, d.score))
    }

    /// For one scheme: its label, a number whose check passes and the score it has next
    /// to the label, a number of its form whose check fails, and another scheme's label.
    struct Scheme {
        label: &'static str,
        valid: &'static str,
        score: f32,
        failed: &'static str,
        other: &'static str,
        entity_type: EntityType,
    }

    const fn ssn(
        label: &'static str,
        valid: &'static str,
        score: f32,
        failed: &'static str,
        other: &'static str,
    ) -> Scheme {
        Scheme {
            label,
            valid,
            score,
            failed,
            other,
            entity_type: EntityType::Ssn,
        }
    }

    const SCHEMES: &[Scheme] = &[
        ssn("CPF", "123.456.789-09", 1.0, "104.662.839-17", "RG"),
        ssn("CPF", "123456789-09", 1.0, "123456789-08", "RG"),
        ssn("CPF", "12345678909", 0.9, "12345678908", "BSN"),
        ssn("PESEL", "44051401359", 0.9, "85072304821", "BSN"),
        ssn("BSN", "111222333", 0.9, "111222334", "PESEL"),
        ssn("personnummer", "8506121238", 0.9, "8506121234", "BSN"),
        ssn("personnummer", "850612-1238", 1.0, "850612-1234", "BSN"),
        ssn("personnummer", "19850612-1238", 1.0, "19580314-2217", "BSN"),
        ssn("personnummer", "198506121238", 0.9, "195803142217", "BSN"),
        ssn("NIR", "185057800608491", 0.9, "185057800608436", "BSN"),
        ssn(
            "sécurité sociale",
            "1 85 05 78 006 084 91",
            1.0,
            "1 84 06 75 112 347 62",
            "téléphone",
        ),
        ssn("NIR", "185052A00608435", 0.9, "185052A00608462", "BSN"),
        ssn("CPR", "0101901234", 0.8, "3102901234", "BSN"),
        ssn("CPR", "010190-1234", 0.8, "310290-1234", "BSN"),
        ssn("Fødselsnummer:", "12038512356", 0.9, "12038512357", "BSN"),
        ssn(
            "Rijksregisternummer",
            "85073003328",
            0.9,
            "85073003329",
            "BSN",
        ),
        ssn(
            "rijksregister",
            "85.07.30-033.28",
            1.0,
            "85.07.30-033.29",
            "BSN",
        ),
        ssn("RRN", "8506121234561", 0.8, "8513121234561", "BSN"),
        ssn("RRN", "850612-1234561", 1.0, "851312-1234561", "BSN"),
        ssn("SA ID", "8001015009087", 0.9, "8001015009088", "BSN"),
        ssn("PPSN", "1234567T", 0.9, "1234567U", "BSN"),
        ssn("PPSN", "1234567FA", 0.9, "7234561TA", "BSN"),
        ssn("NIF", "123456789", 0.9, "123456788", "PESEL"),
        ssn("NIF:", "238 491 056", 0.9, "238 491 057", "Tel"),
        ssn("Steuer-ID", "47368124094", 0.9, "47368124095", "BSN"),
        ssn("tax ID", "47 368 124 094", 0.9, "47 036 892 815", "Tel"),
        ssn("DNI", "12345678Z", 1.0, "48392716K", "Ref"),
        ssn("NIE", "X1234567L", 1.0, "X1234567M", "Ref"),
        ssn("NRIC", "S1234567D", 1.0, "S8834127C", "Ref"),
        ssn("C.F.", "RSSMRA85T10A562S", 1.0, "RSSGLI90A41H501X", "Ref"),
        ssn(
            "CURP",
            "HEGG560427MVZRRL04",
            1.0,
            "HEGG560427MVZRRL05",
            "Ref",
        ),
        ssn(
            "身份证号",
            "440308199003071235",
            1.0,
            "440308199003071236",
            "Ref",
        ),
        ssn(
            "身份证号",
            "11010519491231002X",
            1.0,
            "11010519491231003X",
            "Ref",
        ),
        ssn("HETU", "131052-308T", 1.0, "131052-308U", "Ref"),
        ssn("HETU", "010101A123N", 1.0, "010101A123M", "Ref"),
        ssn(
            "Emirates ID",
            "784197945218739",
            0.9,
            "784197945218736",
            "Ref",
        ),
        ssn(
            "Emirates ID",
            "784-1979-4521873-9",
            1.0,
            "785-1979-4521873-6",
            "Ref",
        ),
        ssn(
            "AHV-Nr.",
            "756.4821.3907.55",
            1.0,
            "756.4821.3907.52",
            "Ref",
        ),
        ssn("AHV", "7564821390755", 0.9, "7564821390752", "Ref"),
        ssn("MyKad", "900514-10-5523", 0.9, "901314-10-5523", "Ref"),
        ssn("No. K/P", "900514105523", 0.8, "901314105523", "Ref"),
        ssn("NIK", "3174052208910003", 0.8, "3174053208910004", "Ref"),
        ssn("SSN", "046 454 286", 0.6, "666 454 286", "Ref"),
        Scheme {
            entity_type: EntityType::CaSocialInsuranceNumber,
            ..ssn("SIN", "130 692 544", 0.85, "527 419 883", "SSN")
        },
        Scheme {
            entity_type: EntityType::InAadhaar,
            ..ssn("Aadhaar", "2345 6789 0124", 1.0, "4821 7730 9156", "Ref")
        },
        Scheme {
            entity_type: EntityType::UkNationalHealthServiceNumber,
            ..ssn("NHS no.", "943 476 5919", 1.0, "485 777 3456", "Ref")
        },
    ];

    #[test]
    fn each_scheme_next_to_its_label_and_not_without() {
        for s in SCHEMES {
            let t = s.entity_type;
            let text = format!("{} {}, ok", s.label, s.valid);
            assert_eq!(found(&text, s.valid), Some((t, s.score)), "{text}");
            let text = format!("{} {}, ok", s.label, s.failed);
            let want = if s.failed.starts_with("666") {
                None
            } else {
                Some((t, MISTYPED))
            };
            assert_eq!(found(&text, s.failed), want, "{text}");
            for text in [
                format!("Order {} shipped", s.failed),
                format!("{} {} shipped", s.other, s.failed),
                format!("{} 44051401359, order {} shipped", s.label, s.failed),
            ] {
                assert!(
                    found(&text, s.failed).is_none_or(|(found, _)| found != t),
                    "{text}: {:?}",
                    found(&text, s.failed)
                );
            }
        }
    }

    #[test]
    fn labels_found_before_a_number_are_found_after_it_too() {
        assert_eq!(
            found("his number 85072304821 (PESEL)", "85072304821"),
            Some((EntityType::Ssn, MISTYPED))
        );
        assert_eq!(
            found("ID No. 28471936, Nairobi", "28471936"),
            Some((EntityType::Ssn, LABELLED_UNCHECKED))
        );
    }

    #[test]
    fn an_emirates_id_stands_alone_in_its_dashed_form() {
        assert_eq!(
            found(
                "Holder 784-1979-4521873-6 at the desk",
                "784-1979-4521873-6"
            ),
            Some((EntityType::Ssn, MISTYPED))
        );
        assert_eq!(
            found(
                "Holder 784-1879-4521873-6 at the desk",
                "784-1879-4521873-6"
            ),
            None,
            "year 1879"
        );
    }

    #[test]
    fn a_mykad_stands_alone_in_its_dashed_form() {
        assert_eq!(
            found("pengadu 900514-10-5523, beralamat", "900514-10-5523"),
            Some((EntityType::Ssn, LABELLED_UNCHECKED))
        );
        assert_eq!(
            found("pengadu 901314-10-5523, beralamat", "901314-10-5523"),
            None,
            "month 13"
        );
    }
}
