//! National identity numbers of other countries among the digit runs and upper-case
//! tokens, reported as SSN (Comprehend's type for a government id of a person). A
//! distinctive form whose checksum passes stands on its own (`123.456.789-09`,
//! `12345678Z`, `RSSMRA85T10A562S`, `850612-1238`); a bare run of digits whose checksum
//! one random number in ten or so passes counts only next to its scheme's label
//! ([`IdLabel`]).

use super::Candidate;
use crate::EntityType;
use crate::context::IdLabel;
use crate::validators::{
    ar_dni_plausible, be_national_number_valid, cn_resident_id_valid, cpf_valid, curp_valid,
    de_steuer_id_valid, dk_cpr_plausible, es_dni_valid, fi_hetu_valid, fr_nir_valid, ie_pps_valid,
    it_codice_fiscale_valid, kr_rrn_checksum, kr_rrn_plausible, nl_bsn_valid,
    no_fodselsnummer_valid, pl_pesel_valid, pt_nif_valid, se_personnummer_valid, sg_nric_valid,
    za_id_valid,
};

/// The score of a number with a passed checksum next to its label.
const LABELLED: f32 = 0.9;
/// The score of a number without a checksum (Argentina's DNI, Denmark's CPR since 2007)
/// next to its label.
const LABELLED_UNCHECKED: f32 = 0.8;

fn validated(start: usize, end: usize) -> Candidate {
    Candidate::validated(EntityType::Ssn, start, end)
}

fn labelled(start: usize, end: usize, base: f32, label: IdLabel) -> Candidate {
    Candidate::labelled(EntityType::Ssn, start, end, base, label)
}

/// A run of digits `text[start..end]` with one kind of separator `sep` (or none): `d` its
/// digits, `lens` the lengths of its groups.
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
                IdLabel::ArgentineDni,
            );
        }
        9 if bare => {
            found.labelled(nl_bsn_valid(d), LABELLED, IdLabel::Bsn);
            found.labelled(pt_nif_valid(d), LABELLED, IdLabel::PortugueseNif);
        }
        10 if bare => {
            found.labelled(se_personnummer_valid(d), LABELLED, IdLabel::Personnummer);
            found.labelled(dk_cpr_plausible(d), LABELLED_UNCHECKED, IdLabel::Cpr);
        }
        10 if dashed && lens == [6, 4] => {
            let raw = &text.as_bytes()[start..end];
            if !found.validated(se_personnummer_valid(d) || fi_hetu_valid(raw)) {
                found.labelled(dk_cpr_plausible(d), LABELLED_UNCHECKED, IdLabel::Cpr);
            }
        }
        11 if dashed && lens == [9, 2] => {
            found.validated(cpf_valid(d));
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
        }
        11 if sep == Some(b' ') && lens == [2, 3, 3, 3] => {
            found.labelled(de_steuer_id_valid(d), LABELLED, IdLabel::SteuerId);
        }
        12 if dashed && lens == [8, 4] => {
            found.validated(se_personnummer_valid(d));
        }
        12 if bare => {
            found.labelled(se_personnummer_valid(d), LABELLED, IdLabel::Personnummer);
        }
        13 if dashed && lens == [6, 7] && kr_rrn_plausible(d) => {
            let checked = found.validated(kr_rrn_checksum(d));
            found.labelled(!checked, LABELLED_UNCHECKED, IdLabel::Rrn);
        }
        13 if bare => {
            found.labelled(kr_rrn_plausible(d), LABELLED_UNCHECKED, IdLabel::Rrn);
            found.labelled(za_id_valid(d), LABELLED, IdLabel::SouthAfricanId);
        }
        15 if sep == Some(b' ') && lens == [1, 2, 2, 2, 3, 3, 2] => {
            found.validated(fr_nir_valid(d));
        }
        15 if bare => found.labelled(fr_nir_valid(d), LABELLED, IdLabel::Nir),
        18 if bare => {
            found.validated(cn_resident_id_valid(d));
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

    /// A number that needs `label` nearby, when `ok`.
    fn labelled(&mut self, ok: bool, base: f32, label: IdLabel) {
        if ok {
            self.out.push(labelled(self.start, self.end, base, label));
        }
    }
}

/// A Finnish henkilötunnus whose check character is a letter, after a sign that does not
/// join a digit run (`131052-308T`, `010150+123A`): the run is its date, `text[start..end]`.
fn hetu_after(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    let hetu_end = start + 11;
    if b.get(end).is_some_and(|&c| c == b'-' || c == b'+')
        && b.get(hetu_end).is_none_or(|c| !c.is_ascii_alphanumeric())
        && b.get(start..hetu_end).is_some_and(fi_hetu_valid)
    {
        out.push(validated(start, hetu_end));
    }
}

/// A run of digits with dots and a dash: Brazil's CPF (`123.456.789-09`) and Belgium's
/// national number (`85.07.30-033.28`).
pub(super) fn mixed_run(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let raw = &text.as_bytes()[start..end];
    let mut d = [0u8; 11];
    let ok = match raw.len() {
        14 => written_as(raw, b"ddd.ddd.ddd-dd", &mut d) && cpf_valid(&d),
        15 => written_as(raw, b"dd.dd.dd-ddd.dd", &mut d) && be_national_number_valid(&d),
        _ => false,
    };
    if ok {
        out.push(validated(start, end));
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
/// Corsican NIR with their labels.
pub(super) fn token(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text.as_bytes()[start..end];
    let ok = match s.len() {
        8 => {
            if ie_pps_valid(s) {
                out.push(labelled(start, end, LABELLED, IdLabel::Pps));
            }
            false
        }
        9 => {
            if s[0].is_ascii_digit() && ie_pps_valid(s) {
                out.push(labelled(start, end, LABELLED, IdLabel::Pps));
            }
            es_dni_valid(s) || sg_nric_valid(s)
        }
        11 => fi_hetu_valid(s),
        15 => {
            if fr_nir_valid(s) {
                out.push(labelled(start, end, LABELLED, IdLabel::Nir));
            }
            false
        }
        16 => it_codice_fiscale_valid(s),
        18 => curp_valid(s) || cn_resident_id_valid(s),
        _ => false,
    };
    if ok {
        out.push(validated(start, end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the classifiers read in `s`: (span, validated, label).
    fn read(s: &str) -> Vec<(&str, bool, Option<IdLabel>)> {
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
                let label = match c.deferred {
                    crate::patterns::Deferred::Label(l) => Some(l),
                    _ => None,
                };
                (&s[c.start..c.end], c.validated, label)
            })
            .collect()
    }

    fn alone(s: &str) -> bool {
        read(s).iter().any(|&(span, v, _)| v && span == s)
    }

    fn needs(s: &str, label: IdLabel) -> bool {
        read(s)
            .iter()
            .any(|&(span, v, l)| !v && l == Some(label) && span == s)
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
        ] {
            assert!(alone(id), "{id}: {:?}", read(id));
        }
    }

    #[test]
    fn failed_checksums_are_nothing() {
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
        ] {
            assert!(!alone(id), "{id}: {:?}", read(id));
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
            ("12.345.678", IdLabel::ArgentineDni),
            ("12345678", IdLabel::ArgentineDni),
            ("47368124094", IdLabel::SteuerId),
            ("47 368 124 094", IdLabel::SteuerId),
            ("185052A00608435", IdLabel::Nir),
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
}
