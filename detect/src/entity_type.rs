use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{LazyLock, RwLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Amazon Comprehend's PII entity names, so output from either detector is interchangeable,
/// and the types that policies' custom recognizers declare (`EMPLOYEE_ID`).
macro_rules! entity_types {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EntityType {
            $($variant,)+
            /// A type declared by a custom recognizer; see [`EntityType::custom`].
            Custom(CustomType),
        }

        /// The built-in types' positions, for tables indexed by type.
        #[derive(Clone, Copy)]
        enum BuiltinIndex { $($variant),+ }

        impl EntityType {
            /// Comprehend's 36 types; custom types are not listed.
            pub const ALL: &'static [EntityType] = &[$(EntityType::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(EntityType::$variant => $name,)+
                    EntityType::Custom(c) => c.name(),
                }
            }

            /// The position of a built-in type in [`EntityType::ALL`]; `None` for a custom
            /// type.
            pub fn builtin_index(self) -> Option<usize> {
                match self {
                    $(EntityType::$variant => Some(BuiltinIndex::$variant as usize),)+
                    EntityType::Custom(_) => None,
                }
            }

            /// The built-in type of this name; never a custom one. For names from outside
            /// (Comprehend's types), which must not add to the table of custom names.
            pub fn builtin(s: &str) -> Option<EntityType> {
                match s {
                    $($name => Some(EntityType::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

entity_types! {
    BankAccountNumber => "BANK_ACCOUNT_NUMBER",
    BankRouting => "BANK_ROUTING",
    CreditDebitNumber => "CREDIT_DEBIT_NUMBER",
    CreditDebitCvv => "CREDIT_DEBIT_CVV",
    CreditDebitExpiry => "CREDIT_DEBIT_EXPIRY",
    Pin => "PIN",
    Email => "EMAIL",
    Address => "ADDRESS",
    Name => "NAME",
    Phone => "PHONE",
    Ssn => "SSN",
    DateTime => "DATE_TIME",
    PassportNumber => "PASSPORT_NUMBER",
    DriverId => "DRIVER_ID",
    Url => "URL",
    Age => "AGE",
    Username => "USERNAME",
    Password => "PASSWORD",
    AwsAccessKey => "AWS_ACCESS_KEY",
    AwsSecretKey => "AWS_SECRET_KEY",
    IpAddress => "IP_ADDRESS",
    MacAddress => "MAC_ADDRESS",
    LicensePlate => "LICENSE_PLATE",
    VehicleIdentificationNumber => "VEHICLE_IDENTIFICATION_NUMBER",
    UkNationalInsuranceNumber => "UK_NATIONAL_INSURANCE_NUMBER",
    CaSocialInsuranceNumber => "CA_SOCIAL_INSURANCE_NUMBER",
    UsIndividualTaxIdentificationNumber => "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
    UkUniqueTaxpayerReferenceNumber => "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
    InPermanentAccountNumber => "IN_PERMANENT_ACCOUNT_NUMBER",
    InNrega => "IN_NREGA",
    InternationalBankAccountNumber => "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
    SwiftCode => "SWIFT_CODE",
    UkNationalHealthServiceNumber => "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
    CaHealthNumber => "CA_HEALTH_NUMBER",
    InAadhaar => "IN_AADHAAR",
    InVoterNumber => "IN_VOTER_NUMBER",
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown entity type {0:?} (expected one of Amazon Comprehend's PII entity names, e.g. EMAIL, or a custom type name in upper case, e.g. EMPLOYEE_ID)"
)]
pub struct UnknownEntityType(pub String);

/// Why a name cannot be a custom type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomTypeError {
    #[error(
        "custom type {0:?} must be upper-case ASCII letters and digits in words joined by `_` (e.g. EMPLOYEE_ID), at most {MAX_CUSTOM_NAME} characters"
    )]
    Malformed(String),
    #[error("custom type {given:?} clashes with the built-in type {builtin}")]
    Clash {
        given: String,
        builtin: &'static str,
    },
    #[error("more than {MAX_CUSTOM_TYPES} custom type names in one process")]
    TooMany,
}

/// A custom type's name, interned: `Copy` and one word wide, so entities of custom types
/// cost the detector's hot path nothing. Names live for the whole process; the registry is
/// bounded ([`MAX_CUSTOM_TYPES`]) so that untrusted input (tokens pasted in a text) cannot
/// grow it without end.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomType(u32);

/// The longest custom type name: a token (`NAME_` + 32 characters) stays short.
pub const MAX_CUSTOM_NAME: usize = 40;
/// The most distinct custom type names one process will intern.
pub const MAX_CUSTOM_TYPES: usize = 4096;

#[derive(Default)]
struct Registry {
    names: Vec<&'static str>,
    ids: HashMap<&'static str, u32>,
}

static REGISTRY: LazyLock<RwLock<Registry>> = LazyLock::new(Default::default);

impl CustomType {
    pub fn name(self) -> &'static str {
        let registry = REGISTRY.read().unwrap_or_else(|p| p.into_inner());
        registry.names[self.0 as usize]
    }

    fn intern(name: &str) -> Result<CustomType, CustomTypeError> {
        if let Some(&id) = REGISTRY
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .ids
            .get(name)
        {
            return Ok(CustomType(id));
        }
        let mut registry = REGISTRY.write().unwrap_or_else(|p| p.into_inner());
        if let Some(&id) = registry.ids.get(name) {
            return Ok(CustomType(id));
        }
        if registry.names.len() >= MAX_CUSTOM_TYPES {
            return Err(CustomTypeError::TooMany);
        }
        // Leaked on purpose: `EntityType::as_str` hands out `&'static str`, and the
        // registry is bounded.
        let name: &'static str = Box::leak(name.to_string().into_boxed_str());
        let id = registry.names.len() as u32;
        registry.names.push(name);
        registry.ids.insert(name, id);
        Ok(CustomType(id))
    }
}

impl fmt::Debug for CustomType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.name())
    }
}

impl EntityType {
    /// A custom type of this name (interned), or the built-in type the name spells.
    /// A name that differs from a built-in one only in case or separators
    /// (`Email`, `DRIVERID`) is a clash rather than a new type.
    pub fn custom(name: &str) -> Result<EntityType, CustomTypeError> {
        if let Some(t) = EntityType::builtin(name) {
            return Ok(t);
        }
        let squashed = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_uppercase())
                .collect()
        };
        let key = squashed(name);
        if let Some(b) = EntityType::ALL.iter().find(|b| squashed(b.as_str()) == key) {
            return Err(CustomTypeError::Clash {
                given: name.to_string(),
                builtin: b.as_str(),
            });
        }
        if !is_custom_name(name) {
            return Err(CustomTypeError::Malformed(name.to_string()));
        }
        CustomType::intern(name).map(EntityType::Custom)
    }

    /// A built-in type, or a custom type already interned in this process; never interns.
    pub fn known(name: &str) -> Option<EntityType> {
        EntityType::builtin(name).or_else(|| {
            let registry = REGISTRY.read().unwrap_or_else(|p| p.into_inner());
            registry
                .ids
                .get(name)
                .map(|&id| EntityType::Custom(CustomType(id)))
        })
    }

    pub fn is_custom(self) -> bool {
        matches!(self, EntityType::Custom(_))
    }
}

/// `EMPLOYEE_ID`: upper-case ASCII words of letters and digits joined by single `_`,
/// starting with a letter.
pub fn is_custom_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_CUSTOM_NAME
        && b[0].is_ascii_uppercase()
        && b[b.len() - 1] != b'_'
        && !name.contains("__")
        && b.iter()
            .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

/// A built-in name, or a well-formed custom name (interned).
impl FromStr for EntityType {
    type Err = UnknownEntityType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EntityType::custom(s).map_err(|_| UnknownEntityType(s.to_string()))
    }
}

impl Serialize for EntityType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EntityType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_comprehends_36_types_and_names_round_trip() {
        assert_eq!(EntityType::ALL.len(), 36);
        for t in EntityType::ALL {
            assert!(!t.is_custom());
            assert_eq!(t.as_str().parse::<EntityType>().unwrap(), *t);
            let json = serde_json::to_string(t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn names_that_are_neither_builtin_nor_custom_are_rejected() {
        for bad in [
            "email",
            "Email",
            "E-MAIL",
            "EMPLOYEE__ID",
            "EMPLOYEE_",
            "_X",
            "1X",
            "",
        ] {
            assert!(bad.parse::<EntityType>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn custom_names_intern_once_and_round_trip() {
        let a: EntityType = "EMPLOYEE_ID".parse().unwrap();
        let b = EntityType::custom("EMPLOYEE_ID").unwrap();
        assert_eq!(a, b);
        assert!(a.is_custom() && a.builtin_index().is_none());
        assert_eq!(a.as_str(), "EMPLOYEE_ID");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"EMPLOYEE_ID\"");
        let back: EntityType = serde_json::from_str("\"EMPLOYEE_ID\"").unwrap();
        assert_eq!(back, a);
        assert_ne!(a, EntityType::custom("BADGE_NO").unwrap());
        assert_eq!(EntityType::custom("EMAIL").unwrap(), EntityType::Email);
    }

    #[test]
    fn custom_names_that_spell_a_builtin_clash() {
        for clash in ["DRIVERID", "PASS_PORT_NUMBER", "Email"] {
            assert!(
                matches!(
                    EntityType::custom(clash),
                    Err(CustomTypeError::Clash { .. })
                ),
                "{clash}"
            );
        }
    }

    #[test]
    fn builtin_indexes_follow_all() {
        for (i, t) in EntityType::ALL.iter().enumerate() {
            assert_eq!(t.builtin_index(), Some(i));
        }
    }
}
