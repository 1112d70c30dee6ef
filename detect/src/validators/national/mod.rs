//! National identity numbers of other countries: one checksum (and, where the number
//! holds one, the birth date) per scheme, from each scheme's public definition.
//!
//! Every function takes the number as written without separators, in ASCII, and returns
//! `false` for anything else.

mod africa;
mod americas;
mod asia;
mod nordic;
mod southern_europe;
mod western_europe;

pub use africa::za_id_valid;
pub use americas::{ar_dni_plausible, cpf_valid, curp_valid};
pub use asia::{
    ae_emirates_id_plausible, ae_emirates_id_valid, cn_resident_id_valid, id_nik_plausible,
    kr_rrn_checksum, kr_rrn_plausible, my_mykad_plausible, sg_nric_valid,
};
pub use nordic::{dk_cpr_plausible, fi_hetu_valid, no_fodselsnummer_valid, se_personnummer_valid};
pub use southern_europe::{es_dni_valid, it_codice_fiscale_valid, pt_nif_valid};
pub use western_europe::{
    be_national_number_valid, ch_ahv_valid, de_steuer_id_valid, fr_nir_valid, ie_pps_valid,
    nl_bsn_valid, pl_pesel_valid,
};

use super::{date_exists, digit};

/// The values of `d`, all ASCII digits, or `None`.
fn digits<const N: usize>(d: &[u8]) -> Option<[u32; N]> {
    if d.len() != N {
        return None;
    }
    let mut out = [0; N];
    for (o, &b) in out.iter_mut().zip(d) {
        *o = digit(b)?;
    }
    Some(out)
}

/// The number of two digits.
fn two(d: &[u32]) -> u32 {
    d[0] * 10 + d[1]
}

/// Σ dᵢ·wᵢ.
fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(d, w)| d * w).sum()
}

/// A date whose year is written in two digits: valid in the 1900s or the 2000s (only
/// 29 February depends on which).
fn date_two_digit_year(yy: u32, month: u32, day: u32) -> bool {
    date_exists(1900 + yy, month, day) || date_exists(2000 + yy, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(digits::<3>(b"123"), Some([1, 2, 3]));
        assert_eq!(digits::<3>(b"12a"), None);
        assert_eq!(digits::<3>(b"1234"), None);
        assert_eq!(weighted(&[1, 2, 3], &[3, 2, 1]), 10);
        assert!(date_two_digit_year(0, 2, 29), "2000 was a leap year");
        assert!(!date_two_digit_year(1, 2, 29));
        assert!(!date_two_digit_year(85, 13, 1));
    }
}
