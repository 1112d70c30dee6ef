use crate::EntityType;

/// Key normalisation for hints and key rules: ASCII lower case without `_`, `-`, `.` and
/// spaces, so `first_name`, `firstName` and `First-Name` are one key.
pub fn normalize_key(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The entity type a field name implies on its own, for a normalised key.
pub fn builtin_hint(normalized: &str) -> Option<EntityType> {
    use EntityType::*;
    Some(match normalized {
        "email" | "emailaddress" | "mail" | "emails" | "contactemail" | "workemail"
        | "personalemail" => Email,
        "phone" | "phonenumber" | "phoneno" | "mobile" | "mobilenumber" | "mobilephone"
        | "cell" | "cellphone" | "telephone" | "tel" | "fax" | "homephone" | "workphone"
        | "phones" | "contactnumber" => Phone,
        "name" | "firstname" | "lastname" | "fullname" | "givenname" | "surname" | "familyname"
        | "middlename" | "forename" | "maidenname" | "customername" | "contactname"
        | "nickname" => Name,
        "address" | "fulladdress" | "street" | "streetaddress" | "streetname" | "addressline1"
        | "addressline2" | "addressline3" | "homeaddress" | "mailingaddress" | "postcode"
        | "postalcode" | "zip" | "zipcode" | "city" | "town" | "suburb" | "village"
        | "locality" | "municipality" | "district" | "neighborhood" | "neighbourhood"
        | "county" | "state" | "statecode" | "stateprovince" | "province" | "region"
        | "country" | "countryname" | "hometown" | "birthplace" | "placeofbirth" => Address,
        "dob" | "dateofbirth" | "birthdate" | "birthday" => DateTime,
        // A government id of a person: Comprehend's SSN stands for every country's.
        "ssn"
        | "socialsecuritynumber"
        | "nationalid"
        | "nationalidnumber"
        | "idnumber"
        | "nationalidentitynumber"
        | "cpf"
        | "pesel"
        | "dni"
        | "nie"
        | "nif"
        | "bsn"
        | "burgerservicenummer"
        | "personnummer"
        | "personnr"
        | "codicefiscale"
        | "nir"
        | "hetu"
        | "henkilotunnus"
        | "cpr"
        | "cprnumber"
        | "fodselsnummer"
        | "rrn"
        | "rijksregisternummer"
        | "curp"
        | "nric"
        | "pps"
        | "ppsn"
        | "ppsnumber"
        | "steuerid"
        | "steueridentifikationsnummer" => Ssn,
        "itin" => UsIndividualTaxIdentificationNumber,
        "iban" => InternationalBankAccountNumber,
        "swift" | "swiftcode" | "bic" => SwiftCode,
        "accountnumber" | "bankaccount" | "bankaccountnumber" | "accountno" => BankAccountNumber,
        "routingnumber" | "abanumber" | "aba" => BankRouting,
        "passport" | "passportnumber" | "passportno" => PassportNumber,
        "driverslicense" | "driverlicense" | "driverslicence" | "drivinglicence" | "driverid"
        | "licensenumber" => DriverId,
        "creditcard" | "cardnumber" | "ccnumber" | "creditcardnumber" => CreditDebitNumber,
        "cvv" | "cvc" | "cvv2" | "securitycode" => CreditDebitCvv,
        "expiry" | "expirydate" | "expirationdate" | "cardexpiry" | "expdate" => CreditDebitExpiry,
        "pin" | "pincode" => Pin,
        // Not "userId": internal ids are pseudonyms already, and rules can still mark them.
        "username" | "login" => Username,
        "password" | "passwd" | "pwd" => Password,
        "ip" | "ipaddress" | "ipaddr" | "clientip" | "sourceip" => IpAddress,
        "mac" | "macaddress" => MacAddress,
        "url" | "website" | "homepage" => Url,
        "age" => Age,
        "nino" | "nationalinsurancenumber" => UkNationalInsuranceNumber,
        "nhsnumber" | "nhsno" => UkNationalHealthServiceNumber,
        "sin" | "socialinsurancenumber" => CaSocialInsuranceNumber,
        "aadhaar" | "aadhar" | "aadhaarnumber" => InAadhaar,
        "pan" | "pannumber" => InPermanentAccountNumber,
        "vin" => VehicleIdentificationNumber,
        "licenseplate" | "numberplate" | "platenumber" => LicensePlate,
        "awsaccesskeyid" | "accesskeyid" => AwsAccessKey,
        "awssecretaccesskey" | "secretaccesskey" => AwsSecretKey,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_share_a_hint() {
        for key in ["email", "emailAddress", "EMAIL_ADDRESS", "e-mail"] {
            // "e-mail" normalises to "email" too.
            assert_eq!(
                builtin_hint(&normalize_key(key)),
                Some(EntityType::Email),
                "{key}"
            );
        }
        assert_eq!(
            builtin_hint(&normalize_key("mobileNumber")),
            Some(EntityType::Phone)
        );
        assert_eq!(
            builtin_hint(&normalize_key("first_name")),
            Some(EntityType::Name)
        );
        assert_eq!(
            builtin_hint(&normalize_key("dateOfBirth")),
            Some(EntityType::DateTime)
        );
        assert_eq!(
            builtin_hint(&normalize_key("fullAddress")),
            Some(EntityType::Address)
        );
        for key in [
            "suburb", "state", "Province", "county", "country", "zip_code", "hometown",
        ] {
            assert_eq!(
                builtin_hint(&normalize_key(key)),
                Some(EntityType::Address),
                "{key}"
            );
        }
        for key in [
            "cpf",
            "PESEL",
            "dni",
            "nie",
            "nif",
            "bsn",
            "personnummer",
            "codice_fiscale",
            "codiceFiscale",
            "curp",
            "nric",
            "pps",
            "national_id",
            "nationalId",
            "id_number",
            "steuer-id",
        ] {
            assert_eq!(
                builtin_hint(&normalize_key(key)),
                Some(EntityType::Ssn),
                "{key}"
            );
        }
        assert_eq!(builtin_hint(&normalize_key("orderId")), None);
        assert_eq!(builtin_hint(&normalize_key("countryCode")), None);
    }
}
