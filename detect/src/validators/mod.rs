//! Checksums and range rules that turn a regex candidate into a confirmed entity.
//!
//! Every function takes ASCII bytes as found in the text (digits as `b'0'..=b'9'`) and
//! returns `false` rather than panicking on anything unexpected, because candidates come
//! from untrusted text.

mod aba;
mod countries;
mod dates;
mod iban;
mod luhn;
mod national;
mod nhs;
mod nino;
mod pan;
mod phone;
mod ssn;
mod verhoeff;
mod vin;

pub use aba::aba_valid;
pub use countries::is_country_code;
pub use dates::{date_exists, foreign_month_from_name, month_from_name, time_valid};
pub use iban::{iban_length, iban_valid};
pub use luhn::luhn_valid;
pub use national::{
    ae_emirates_id_plausible, ae_emirates_id_valid, ar_dni_plausible, be_national_number_valid,
    ch_ahv_valid, cn_resident_id_valid, cpf_valid, curp_valid, de_steuer_id_valid,
    dk_cpr_plausible, es_dni_valid, fi_hetu_valid, fr_nir_valid, id_nik_plausible, ie_pps_valid,
    it_codice_fiscale_valid, kr_rrn_checksum, kr_rrn_plausible, my_mykad_plausible, nl_bsn_valid,
    no_fodselsnummer_valid, pl_pesel_valid, pt_nif_valid, se_personnummer_valid, sg_nric_valid,
    za_id_valid,
};
pub use nhs::nhs_valid;
pub use nino::nino_valid;
pub use pan::pan_valid;
pub use phone::{DEFAULT_PHONE_REGIONS, PhoneRegions, UnknownRegion};
pub use ssn::{itin_valid, ssn_valid};
pub use verhoeff::verhoeff_valid;
pub use vin::vin_valid;

/// Value of an ASCII digit, `None` for anything else.
pub(crate) fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

/// Parses a short run of ASCII digits; `None` if empty, too long or not all digits.
pub(crate) fn parse_num(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes
        .iter()
        .try_fold(0u32, |acc, &b| digit(b).map(|d| acc * 10 + d))
}
