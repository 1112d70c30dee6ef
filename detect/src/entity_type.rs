use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Amazon Comprehend's PII entity names, so output from either detector is interchangeable.
macro_rules! entity_types {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum EntityType {
            $(#[serde(rename = $name)] $variant),+
        }

        impl EntityType {
            pub const ALL: &'static [EntityType] = &[$(EntityType::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(EntityType::$variant => $name),+ }
            }
        }

        impl FromStr for EntityType {
            type Err = UnknownEntityType;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(EntityType::$variant),)+
                    _ => Err(UnknownEntityType(s.to_string())),
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
    "unknown entity type {0:?} (expected one of Amazon Comprehend's PII entity names, e.g. EMAIL)"
)]
pub struct UnknownEntityType(pub String);

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
            assert_eq!(t.as_str().parse::<EntityType>().unwrap(), *t);
            let json = serde_json::to_string(t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn unknown_names_are_rejected() {
        assert!("E_MAIL".parse::<EntityType>().is_err());
        assert!("email".parse::<EntityType>().is_err());
    }
}
