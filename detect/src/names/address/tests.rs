//! Address formats of Southeast Asia, South Asia, the Gulf, Africa, Latin America, Eastern
//! Europe and Turkey, and roads known by their number, each with sentences where the same
//! words are no address.

use crate::EntityType;

fn places(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    super::super::detect(text, &mut out);
    out.iter()
        .filter(|d| d.score >= 0.5 && d.entity_type == EntityType::Address)
        .map(|d| &text[d.start..d.end])
        .collect()
}

#[test]
fn malaysian_and_indonesian_streets_with_numbers_in_their_names() {
    assert_eq!(
        places("Ship to No. 12, Jalan SS2/24, 47300 Petaling Jaya, Selangor today."),
        ["No. 12, Jalan SS2/24, 47300 Petaling Jaya, Selangor"]
    );
    assert_eq!(
        places("She lives at 8 Lorong Kemuning 3, Taman Sri Muda, 40400 Shah Alam"),
        ["8 Lorong Kemuning 3, Taman Sri Muda, 40400 Shah Alam"]
    );
    assert_eq!(
        places("Alamat: Jl. Sudirman No. 5, Jakarta Selatan 12190"),
        ["Jl. Sudirman No. 5, Jakarta Selatan 12190"]
    );
    assert_eq!(
        places("We moved to Jl. Gatot Subroto Kav. 21, Jakarta 12930 last month."),
        ["Jl. Gatot Subroto Kav. 21, Jakarta 12930"]
    );
    assert_eq!(
        places(
            "Kirim ke Jl. Merdeka Gang Mawar No. 7, RT 03/RW 05, Kelurahan Sukajadi, \
             Kecamatan Sukasari, Bandung 40162"
        ),
        [
            "Jl. Merdeka Gang Mawar No. 7, RT 03/RW 05, Kelurahan Sukajadi, Kecamatan Sukasari, Bandung 40162"
        ]
    );
    assert_eq!(
        places("Please send it to Jalan Ampang 50, 50450 Kuala Lumpur instead."),
        ["Jalan Ampang 50, 50450 Kuala Lumpur"]
    );
    assert!(places("Our rep walked down the jalan to the market.").is_empty());
    assert!(places("Gang 3 worked the night shift.").is_empty());
}

#[test]
fn singapore_blocks_numbered_avenues_and_unit_numbers() {
    assert_eq!(
        places("Send to Blk 123 Ang Mo Kio Ave 3, #05-67, Singapore 560123 please"),
        ["Blk 123 Ang Mo Kio Ave 3, #05-67, Singapore 560123"]
    );
    assert_eq!(
        places("Billing: 123 Orchard Road, #10-01, Singapore 238858"),
        ["123 Orchard Road, #10-01, Singapore 238858"]
    );
    // A count after a street is not its number.
    assert_eq!(places("We drove down 12 Main St 5 times"), ["12 Main St"]);
}

#[test]
fn thai_and_vietnamese_streets_villages_and_districts() {
    assert_eq!(
        places("Send to 45 Soi Sukhumvit 11, Khlong Toei Nuea, Watthana, Bangkok 10110"),
        ["45 Soi Sukhumvit 11, Khlong Toei Nuea, Watthana, Bangkok 10110"]
    );
    assert_eq!(
        places("Farm at 99 Moo 4, Tambon Nong Prue, Amphoe Bang Lamung, Chonburi 20150"),
        ["99 Moo 4, Tambon Nong Prue, Amphoe Bang Lamung, Chonburi 20150"]
    );
    assert_eq!(
        places("Địa chỉ: 12 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"),
        ["12 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"]
    );
    assert!(places("The Soi Dog Foundation runs a shelter.").is_empty());
    assert!(places("Moo 2 project is delayed.").is_empty());
}

#[test]
fn russian_and_ukrainian_streets_houses_and_flats() {
    assert_eq!(
        places("Адрес: ул. Тверская, д. 7, кв. 12, Москва, 125009"),
        ["ул. Тверская, д. 7, кв. 12, Москва, 125009"]
    );
    assert_eq!(
        places("Доставка по адресу г. Москва, ул. Ленина, д. 15, кв. 3 до пятницы."),
        ["г. Москва, ул. Ленина, д. 15, кв. 3"]
    );
    assert_eq!(
        places("Отправьте на пр. Мира, д. 101, корп. 2, Санкт-Петербург"),
        ["пр. Мира, д. 101, корп. 2, Санкт-Петербург"]
    );
    assert_eq!(
        places("Адреса: вул. Хрещатик, 22, Київ, 01001"),
        ["вул. Хрещатик, 22, Київ, 01001"]
    );
    assert_eq!(
        places("Адрес: Россия, 125009, Москва, ул. Тверская, д. 7"),
        ["Россия, 125009, Москва, ул. Тверская, д. 7"]
    );
    // A person before the street is no part of the address.
    assert_eq!(
        places("Иван Петров, ул. Ленина, д. 5"),
        ["ул. Ленина, д. 5"]
    );
    assert!(places("Мы говорили о д. 7 в отчёте.").is_empty());
}

#[test]
fn turkish_mahalle_flats_and_district_slash_province() {
    assert_eq!(
        places("Adres: Atatürk Cad. No: 12 D: 5 Kadıköy/İstanbul"),
        ["Atatürk Cad. No: 12 D: 5 Kadıköy/İstanbul"]
    );
    assert_eq!(
        places("Adres: Moda Mah. Bahariye Cad. No: 45 Kadıköy/İstanbul"),
        ["Moda Mah. Bahariye Cad. No: 45 Kadıköy/İstanbul"]
    );
    assert_eq!(
        places("Adres: Cumhuriyet Mah. Gül Sok. No: 3 D: 8, 34000 Fatih/İstanbul"),
        ["Cumhuriyet Mah. Gül Sok. No: 3 D: 8, 34000 Fatih/İstanbul"]
    );
    assert!(places("The Moda Mah jong club meets on Fridays.").is_empty());
}

#[test]
fn philippine_barangays_and_puroks() {
    assert_eq!(
        places("Deliver to Unit 5B, 123 Rizal St., Barangay San Antonio, Makati City 1203"),
        ["Unit 5B, 123 Rizal St., Barangay San Antonio, Makati City 1203"]
    );
    assert_eq!(
        places("Address: Purok 3, Brgy. San Isidro, Tagum City, Davao del Norte"),
        ["Purok 3, Brgy. San Isidro, Tagum City, Davao del Norte"]
    );
    assert_eq!(
        places("Home: Blk 12, Brgy. Poblacion, Makati City"),
        ["Blk 12, Brgy. Poblacion, Makati City"]
    );
    assert!(places("The Purok system is explained in chapter 3.").is_empty());
}

#[test]
fn houses_plots_and_roads_known_by_number() {
    assert_eq!(
        places("Residence: H.No. 1-2-34, Road No. 3, Banjara Hills, Hyderabad 500034"),
        ["H.No. 1-2-34, Road No. 3, Banjara Hills, Hyderabad 500034"]
    );
    assert_eq!(
        places("Shop at 12 MG Marg, Civil Lines, Allahabad"),
        ["12 MG Marg, Civil Lines, Allahabad"]
    );
    assert_eq!(
        places("Deliver to Villa 23, Street 12, Al Barsha 1, Dubai"),
        ["Villa 23, Street 12, Al Barsha 1, Dubai"]
    );
    assert_eq!(
        places("Property: Erf 1234, Stand No. 56, Soweto"),
        ["Erf 1234, Stand No. 56, Soweto"]
    );
    assert_eq!(
        places("Delivery to Stand No. 3421, Mamelodi East, Pretoria"),
        ["Stand No. 3421, Mamelodi East, Pretoria"]
    );
    assert_eq!(
        places("Office: Plot 12, Block B, Gulberg III, Lahore"),
        ["Plot 12, Block B, Gulberg III, Lahore"]
    );
    assert_eq!(
        places("Ship to 45, 2nd Floor, Residency Road, Bengaluru 560025"),
        ["45, 2nd Floor, Residency Road, Bengaluru 560025"]
    );
    assert_eq!(
        places("Door No. 12-3-45, Gandhi Road, Vijayawada 520002"),
        ["Door No. 12-3-45, Gandhi Road, Vijayawada 520002"]
    );
    assert!(places("The door 3 handle is broken.").is_empty());
    assert!(places("The Way 3012 headphones shipped yesterday.").is_empty());
    assert!(places("Sector 15 of the report covers churn.").is_empty());
    assert!(
        places("Please check Block 3 of the form and Road No. 5 in the map legend.").is_empty()
    );
    assert!(places("The villa 23 photos look great.").is_empty());
    assert!(places("Visit our stand at the fair.").is_empty());
    // A surname, not a unit.
    assert!(places("Ticket from Erika Villa about the refund.").is_empty());
}

#[test]
fn argentine_postcodes_without_block_letters_and_vietnamese_cities() {
    assert_eq!(
        places("Dirección: Av. Corrientes 1234, piso 5, C1043 CABA"),
        ["Av. Corrientes 1234, piso 5, C1043 CABA"]
    );
    assert_eq!(
        places("Giao tới 48 Trần Hưng Đạo, Quận 5, Thành phố Hồ Chí Minh"),
        ["48 Trần Hưng Đạo, Quận 5, Thành phố Hồ Chí Minh"]
    );
    assert!(places("Col. Mustard was in the library.").is_empty());
}

#[test]
fn streets_typed_in_lower_case_and_sectors_and_offices() {
    assert_eq!(
        places("Cím: Andrássy út 45, 1061 Budapest"),
        ["Andrássy út 45, 1061 Budapest"]
    );
    assert_eq!(
        places("Adresa: Václavské náměstí 12, 110 00 Praha 1"),
        ["Václavské náměstí 12, 110 00 Praha 1"]
    );
    assert_eq!(
        places("House No. 23, Street 5, F-7/2, Islamabad"),
        ["House No. 23, Street 5, F-7/2, Islamabad"]
    );
    assert_eq!(
        places("Oficina: Av. Apoquindo 4501, Of. 1201, Las Condes, Santiago"),
        ["Av. Apoquindo 4501, Of. 1201, Las Condes, Santiago"]
    );
    assert_eq!(
        places("Alamat: Gg. Mawar No. 7, Jakarta"),
        ["Gg. Mawar No. 7, Jakarta"]
    );
    assert!(places("gg Mawar, that was a close game").is_empty());
    assert!(places("Most Of 2023 was quiet.").is_empty());
}

#[test]
fn post_office_boxes_and_labelled_postcodes_in_a_tail() {
    assert_eq!(
        places("Office: Moi Avenue, P.O. Box 1234-00100, Nairobi"),
        ["Moi Avenue, P.O. Box 1234-00100, Nairobi"]
    );
    assert_eq!(
        places("Dirección: Calle Hidalgo 45, Col. Centro, C.P. 06000, Ciudad de México"),
        ["Calle Hidalgo 45, Col. Centro, C.P. 06000, Ciudad de México"]
    );
}

#[test]
fn roads_named_by_their_numbers() {
    assert_eq!(
        places("omw!! stuck behind a tractor on the A487 lol"),
        ["A487"]
    );
    assert_eq!(places("we came off the M62 at junction 22"), ["M62"]);
    assert_eq!(places("the pass on Highway 395 is shut"), ["Highway 395"]);
    assert_eq!(places("a crash on I-95 near the bridge"), ["I-95"]);
    assert_eq!(places("parados na BR-116 desde cedo"), ["BR-116"]);
}

#[test]
fn paper_sizes_models_and_codes_are_no_roads() {
    assert!(places("print it on A4 paper").is_empty());
    assert!(places("the M3 chip is faster").is_empty());
    assert!(places("Form A12 is attached").is_empty());
    assert!(places("Highway Code rules apply").is_empty());
}

#[test]
fn an_hour_is_no_house_or_flat_number() {
    assert_eq!(
        places("Open until 5pm, 12 High Street, Leeds."),
        ["12 High Street, Leeds"]
    );
    assert_eq!(
        places("Garage sale 8am to 2pm, 2418 Magnolia St. Baby clothes."),
        ["2418 Magnolia St"]
    );
    assert!(
        places("Meet me at 5pm Baker Street station")
            .iter()
            .all(|p| !p.starts_with("5pm"))
    );
    assert_eq!(
        places("Send it to Flat 5, 12 High Street, Leeds."),
        ["Flat 5, 12 High Street, Leeds"]
    );
    assert_eq!(
        places("We moved to 12, rue de la Paix"),
        ["12, rue de la Paix"]
    );
    assert_eq!(places("ok meet at Jalan Alor 8pm can?"), ["Jalan Alor"]);
}
