//! Phone numbers written without a country code, validated against libphonenumber's
//! metadata (the `phonenumber` crate, Apache-2.0) for each region a policy names.

use std::str::FromStr;

use phonenumber::country;

/// Regions tried when a policy names none: the countries whose national formats people
/// most often write in English-language text and European, Latin American and Asian
/// business correspondence.
pub const DEFAULT_PHONE_REGIONS: &[&str] = &[
    "US", "CA", "GB", "IE", "AU", "NZ", "DE", "AT", "CH", "FR", "BE", "NL", "LU", "ES", "PT", "IT",
    "SE", "NO", "DK", "FI", "PL", "CZ", "BR", "MX", "AR", "CL", "CO", "IN", "SG", "HK", "JP", "ZA",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown phone region {0:?} (expected an ISO 3166 alpha-2 code such as \"GB\")")]
pub struct UnknownRegion(pub String);

/// The regions a national-format number is validated for.
#[derive(Debug, Clone)]
pub struct PhoneRegions(Vec<country::Id>);

impl PhoneRegions {
    pub fn new<S: AsRef<str>>(codes: &[S]) -> Result<Self, UnknownRegion> {
        codes
            .iter()
            .map(|c| {
                country::Id::from_str(c.as_ref()).map_err(|_| UnknownRegion(c.as_ref().into()))
            })
            .collect::<Result<_, _>>()
            .map(PhoneRegions)
    }

    /// Whether `number`, as written, is a valid number of any of the regions.
    pub fn valid_national(&self, number: &str) -> bool {
        self.0.iter().any(|&region| {
            phonenumber::parse(Some(region), number).is_ok_and(|n| phonenumber::is_valid(&n))
        })
    }
}

impl Default for PhoneRegions {
    fn default() -> Self {
        Self::new(DEFAULT_PHONE_REGIONS).expect("default regions are ISO codes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_formats_of_several_regions() {
        let all = PhoneRegions::default();
        for n in [
            "01.42.68.53.07",
            "612 345 678",
            "(21) 3456-7890",
            "(11) 98765-4321",
            "0381 2345678",
            "97 123456",
            "020 7946 0958",
            "(415) 555-0132",
        ] {
            assert!(all.valid_national(n), "{n}");
        }
        for n in ["1 234", "000 000 000", "0000 000000"] {
            assert!(!all.valid_national(n), "{n}");
        }
    }

    #[test]
    fn only_the_named_regions_count() {
        let gb = PhoneRegions::new(&["GB"]).unwrap();
        assert!(!gb.valid_national("612 345 678"), "a Spanish mobile");
        assert!(
            PhoneRegions::new(&["ES"])
                .unwrap()
                .valid_national("612 345 678")
        );
        assert_eq!(
            PhoneRegions::new(&["XX"]).unwrap_err(),
            UnknownRegion("XX".into())
        );
    }
}
