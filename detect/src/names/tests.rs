use super::*;

/// What the stage reports of one type at the default threshold.
fn found(text: &str, entity_type: EntityType) -> Vec<&str> {
    let mut out = Vec::new();
    detect(text, &mut out);
    out.iter()
        .filter(|d| d.score >= 0.5 && d.entity_type == entity_type)
        .map(|d| &text[d.start..d.end])
        .collect()
}

fn names(text: &str) -> Vec<&str> {
    found(text, EntityType::Name)
}

fn places(text: &str) -> Vec<&str> {
    found(text, EntityType::Address)
}

#[test]
fn full_names_without_titles_or_labels() {
    assert_eq!(
        names("Please contact Dana Carrillo regarding the refund"),
        ["Dana Carrillo"]
    );
    assert_eq!(
        names("The account holder, Adrian D. Mccullough, confirmed"),
        ["Adrian D. Mccullough"]
    );
    assert_eq!(
        names("Kathleen Buckley called to ask about the refund."),
        ["Kathleen Buckley"]
    );
    assert_eq!(
        names("For Jaroslav Dvořák – see below"),
        ["Jaroslav Dvořák"]
    );
    assert_eq!(
        names("Hamza al-Tikriti was born in Mosul"),
        ["Hamza al-Tikriti"]
    );
    assert_eq!(
        names("A native of Enugu, Ngozi Eze-Adeyemi spent a decade"),
        ["Ngozi Eze-Adeyemi"]
    );
    assert_eq!(names("Note (K. Sato, Mon 09:40): done"), ["K. Sato"]);
}

#[test]
fn lower_case_given_names_after_a_greeting() {
    use crate::PatternDetector;
    let d = PatternDetector::default();
    let names = |text: &'static str| -> Vec<&'static str> {
        d.detect_text(text)
            .into_iter()
            .filter(|x| x.entity_type == EntityType::Name)
            .map(|x| &text[x.start..x.end])
            .collect()
    };
    assert_eq!(names("hey sarah, are you around?"), ["sarah"]);
    assert_eq!(names("thanks mark!"), ["mark"]);
    assert_eq!(names("Hi priya: the refund went out"), ["priya"]);
    // Common words after a greeting, and a common word that is also a name with more of
    // the sentence after it.
    assert!(names("hey there, thanks everyone").is_empty());
    assert!(names("hi team, sorry all").is_empty());
    assert!(names("hey will you check it").is_empty());
    assert!(names("thanks so much").is_empty());
    // Patterns only: not looked for.
    let patterns_only = PatternDetector::new(crate::PatternConfig {
        names_and_places: false,
        ..Default::default()
    })
    .unwrap();
    assert!(
        patterns_only
            .detect_text("hey sarah, are you around?")
            .iter()
            .all(|x| x.entity_type != EntityType::Name)
    );
}

#[test]
fn a_listed_place_after_another_place_is_a_place() {
    assert_eq!(
        places("We visited Rome, Florence and Venice last summer."),
        ["Rome", "Florence", "Venice"]
    );
    assert_eq!(
        places("The Smiths visited Lake Como and then Florence."),
        ["Lake Como", "Florence"]
    );
    assert_eq!(
        places("She has offices in Austin, Denver and Boston."),
        ["Austin", "Denver", "Boston"]
    );
    assert_eq!(
        places("It went to our Lyon warehouse, not the Berlin office."),
        ["Lyon", "Berlin"]
    );
    // A person after a place stays a person.
    assert_eq!(
        names("Flights to Lisbon and Maria Costa joined"),
        ["Maria Costa"]
    );
}

#[test]
fn a_preposition_after_talking_or_meeting_cues_a_person() {
    assert_eq!(names("Spoke to Bob at Contoso about it"), ["Bob"]);
    assert_eq!(
        names("Per our chat with Chioma, the parts ship"),
        ["Chioma"]
    );
    assert_eq!(names("Please escalate to Nokuthula today"), ["Nokuthula"]);
    // A preposition alone is not enough, and a place stays a place.
    assert!(names("The parts ship with Chioma tomorrow").is_empty());
    assert!(names("We talked to Denver support").is_empty());
    assert_eq!(places("We spoke in Lyon last week"), ["Lyon"]);
}

#[test]
fn single_names_need_context() {
    assert_eq!(
        names("Mrs. Okonkwo flew to Porto Alegre last week"),
        ["Okonkwo"]
    );
    assert_eq!(names("happy bday Zdeněk!!!"), ["Zdeněk"]);
    assert_eq!(
        names("sry Fatima, I thought the meeting was Thursday"),
        ["Fatima"]
    );
    assert_eq!(names("just landed, Þórunn is picking me up"), ["Þórunn"]);
    assert_eq!(names("Dear Professor Nakamura,"), ["Nakamura"]);
    assert_eq!(
        names("Attendees: Sarah, Mehmet, Joanna, Kofi"),
        ["Sarah", "Mehmet", "Joanna", "Kofi"]
    );
    assert_eq!(
        names("Thanks for the update.\n\nBest regards,\nIngrid Solberg"),
        ["Ingrid Solberg"]
    );
    assert_eq!(names("Let me know.\n\n— Niamh"), ["Niamh"]);
    assert_eq!(names("Guten Tag Frau Schneider,"), ["Schneider"]);
}

#[test]
fn cjk_names_only_with_context() {
    assert_eq!(names("logged by 山田太郎"), ["山田太郎"]);
    assert_eq!(names("名前: 山田太郎"), ["山田太郎"]);
    assert_eq!(names("山田様へ"), ["山田"]);
    assert_eq!(names("東京都の天気"), Vec::<&str>::new());
}

#[test]
fn not_names() {
    for text in [
        "The Monday meeting moved to Tuesday in March.",
        "We migrated from Salesforce to Microsoft Teams last quarter.",
        "Acme Corp and Globex Corporation signed the deal.",
        "I'll check the Tesla Model 3 order and the Google Drive folder.",
        "Please Grant Access to the Billing Team.",
        "She speaks English, French and Spanish.",
        "Our Customer Success Manager will call.",
        "Thank you for contacting Support.",
    ] {
        assert_eq!(names(text), Vec::<&str>::new(), "{text}");
    }
}

#[test]
fn street_addresses_of_several_countries() {
    for (text, want) in [
        (
            "Ship to Unit 39/2362 Nicole Viaduct, Southport QLD 4215.",
            "Unit 39/2362 Nicole Viaduct, Southport QLD 4215",
        ),
        (
            "I moved to 12 rue de la Paix, 75002 Paris last year",
            "12 rue de la Paix, 75002 Paris",
        ),
        (
            "Adresse: Musterstraße 12, 10115 Berlin",
            "Musterstraße 12, 10115 Berlin",
        ),
        (
            "Flat 3, 22 Baker Street, London NW1 6XE",
            "Flat 3, 22 Baker Street, London NW1 6XE",
        ),
        ("Calle Mayor 5, 28013 Madrid", "Calle Mayor 5, 28013 Madrid"),
        (
            "Keizersgracht 123, 1015 CJ Amsterdam",
            "Keizersgracht 123, 1015 CJ Amsterdam",
        ),
        (
            "at 904 Jennifer Junctions, Ambershire, CO 43226. Then",
            "904 Jennifer Junctions, Ambershire, CO 43226",
        ),
        (
            "Drottninggatan 71\n111 36 Stockholm\nDoor code 1234",
            "Drottninggatan 71\n111 36 Stockholm",
        ),
        (
            "18 Pine Street, Burlington, VT 05401\nAgent: ok",
            "18 Pine Street, Burlington, VT 05401",
        ),
        (
            "ship to ul. Marszałkowska 84/92, 00-514 Warszawa today",
            "ul. Marszałkowska 84/92, 00-514 Warszawa",
        ),
        (
            "Send the forms to P.O. Box 1234, Accra, Ghana.",
            "P.O. Box 1234, Accra, Ghana",
        ),
        (
            "Mail: PO Box 77, Hobart TAS 7001",
            "PO Box 77, Hobart TAS 7001",
        ),
        (
            "Contact person: Siddharth Iyer, Bengaluru, Karnataka 560001",
            "Bengaluru, Karnataka 560001",
        ),
    ] {
        assert_eq!(places(text), [want], "{text}");
    }
}

#[test]
fn places_named_alone() {
    assert_eq!(
        places("Mrs. Okonkwo flew to Porto Alegre last week"),
        ["Porto Alegre"]
    );
    assert_eq!(places("She moved to Norway in 2019."), ["Norway"]);
    assert_eq!(
        places("They moved to Austin, Texas 2019 was a big year"),
        ["Austin, Texas"]
    );
    assert!(places("a box of 1234 PO Box tags").is_empty());
    assert_eq!(places("born in Buenos Aires"), ["Buenos Aires"]);
    assert_eq!(places("we met in New Zealand"), ["New Zealand"]);
    assert_eq!(places("Manchester United won."), Vec::<&str>::new());
    assert_eq!(
        places("That was a nice Reading of the text."),
        Vec::<&str>::new()
    );
}

#[test]
fn particles_inside_names() {
    assert_eq!(
        names("Spoke with Adrian van der Berg; fine."),
        ["Adrian van der Berg"]
    );
    assert_eq!(
        names("Escalated by María de la Cruz from the retail team."),
        ["María de la Cruz"]
    );
}

#[test]
fn greetings_titles_and_brands_around_names() {
    assert_eq!(names("Bonjour Mme Lefèvre, merci."), ["Lefèvre"]);
    assert_eq!(
        names("Governor Adrienne Coulter said no."),
        ["Adrienne Coulter"]
    );
    assert_eq!(
        names("Samuel Ford called, then Tim North and Zachary May."),
        ["Samuel Ford", "Tim North", "Zachary May"]
    );
    assert_eq!(
        names("We test-drove a Toyota Corolla and a Tesla."),
        Vec::<&str>::new()
    );
    assert_eq!(names("Vielen Dank, Sie haben bezahlt."), Vec::<&str>::new());
}

#[test]
fn a_known_given_name_opening_a_clause_is_its_subject() {
    assert_eq!(names("Francesca suggests Lake Como."), ["Francesca"]);
    assert_eq!(names("Mehmet, the spare keys are here."), ["Mehmet"]);
    assert!(names("Grace periods apply. Sterling fell.").is_empty());
    assert!(
        names("Florence was lovely. Jordan borders Israel.").is_empty(),
        "places are not read as people"
    );
}

#[test]
fn a_name_the_text_has_used_is_a_name_again() {
    assert_eq!(
        names("Attendees: Gunnar Olsen\n- Gunnar to book the room"),
        ["Gunnar Olsen", "Gunnar"]
    );
    assert!(names("Marshall amplifiers are loud.").is_empty());
}

#[test]
fn streets_named_without_a_number() {
    assert_eq!(
        places("use the loading bay off Station Road, not the main entrance"),
        ["Station Road"]
    );
    assert_eq!(
        places("the place on Hackney Road is packed"),
        ["Hackney Road"]
    );
    assert!(places("Main Street Bank called").is_empty());
    assert_eq!(
        places("car keys found on Smithdown Road Tuesday night"),
        ["Smithdown Road"]
    );
    assert_eq!(
        places("meeting at her place on Westheimer Rd at 8:45"),
        ["Westheimer Rd"]
    );
    assert_eq!(
        places("the ramen place on Dundas St W finally reopened"),
        ["Dundas St W"]
    );
    assert!(places("Kowalski Dr said no").is_empty());
}

#[test]
fn saints_and_possessive_organisations_are_not_people() {
    assert!(names("Referred to cardiology at St Thomas' Hospital.").is_empty());
    assert!(names("The choir of St. Mary's Church sang.").is_empty());
    assert_eq!(names("I called Thomas Berger's office."), ["Thomas Berger"]);
}

#[test]
fn cjk_addresses() {
    assert_eq!(
        places("住所: 150-0002 東京都渋谷区渋谷2-21-1 までお願いします"),
        ["150-0002 東京都渋谷区渋谷2-21-1"]
    );
    assert_eq!(
        places("주소는 서울특별시 강남구 테헤란로 152 입니다"),
        ["서울특별시 강남구 테헤란로 152"]
    );
    assert_eq!(
        places("地址：北京市朝阳区建国路88号"),
        ["北京市朝阳区建国路88号"]
    );
    assert!(places("我知道这个城市很好").is_empty());
}

#[test]
fn street_first_addresses_after_other_capitalised_words() {
    assert_eq!(
        places("Herr Müller rief an, neue Adresse Hauptstraße 5, 80331 München. Danke"),
        ["Hauptstraße 5, 80331 München"]
    );
    assert_eq!(
        places("Send to Strandgaten 18, 5013 Bergen, Norway"),
        ["Strandgaten 18, 5013 Bergen, Norway"]
    );
    assert_eq!(
        places("Königsallee 60, 40212 Düsseldorf, Tel 0211 123456"),
        ["Königsallee 60, 40212 Düsseldorf"]
    );
}

#[test]
fn street_names_with_words_of_other_kinds() {
    assert_eq!(
        places("Billing address changed to 165 Welch Service Way, Dandenong VIC 3175."),
        ["165 Welch Service Way, Dandenong VIC 3175"]
    );
    assert_eq!(
        places("Meet at 4 Church Street at noon"),
        ["4 Church Street"]
    );
}

#[test]
fn romance_streets_with_particles_or_without_a_number() {
    assert_eq!(
        places("Deliver to Via dei Condotti 9, 00187 Roma, please."),
        ["Via dei Condotti 9, 00187 Roma"]
    );
    assert_eq!(
        places("samples to Rue du Marché 14, 1204 Genève today"),
        ["Rue du Marché 14, 1204 Genève"]
    );
    assert_eq!(
        places("the flat on Rua das Flores is ready"),
        ["Rua das Flores"]
    );
    // Street words English uses too need their house number.
    assert!(places("Place your order via the Avenue app.").is_empty());
    assert!(places("We met at Plaza Mayor Books.").is_empty());
}

#[test]
fn street_names_before_their_type_and_number() {
    assert_eq!(
        places("Contact: Svetlana Ivanova, Nevsky Prospekt 28, St Petersburg"),
        ["Nevsky Prospekt 28, St Petersburg"]
    );
    assert_eq!(
        names("Contact: Svetlana Ivanova, Nevsky Prospekt 28, St Petersburg"),
        ["Svetlana Ivanova"]
    );
}

#[test]
fn a_unit_before_a_street_the_lists_do_not_know() {
    assert_eq!(
        places("new address Apartment 12, 45 Kingsway, Vancouver, BC V5T 3J9."),
        ["Apartment 12, 45 Kingsway, Vancouver, BC V5T 3J9"]
    );
    assert_eq!(
        places("Deliver to House 22, Ring Road, Osu, Accra"),
        ["House 22, Ring Road, Osu, Accra"]
    );
}

#[test]
fn places_with_postcodes_labels_and_site_words() {
    assert_eq!(
        places("ship to Hyderabad 500034 today"),
        ["Hyderabad 500034"]
    );
    // A year after a city is not its postcode.
    assert_eq!(places("we met in Hyderabad 2019 and again"), ["Hyderabad"]);
    assert!(places("Zip: 30303 City: Atlanta State: GA").contains(&"Atlanta"));
    assert_eq!(places("The Denver team will take over."), ["Denver"]);
    assert_eq!(places("She works in Lagos State now."), ["Lagos State"]);
    // An organisation word before a region keeps it part of the organisation's name.
    assert!(places("Head of Brand at Nike Europe.").is_empty());
}

#[test]
fn titled_and_cued_names_the_pattern_shapes_no_longer_read() {
    // A word that can be a title is a surname when no name follows it.
    assert_eq!(names("Please ask Ms. Dawn King to call."), ["Dawn King"]);
    assert_eq!(names("Dr. Donna King signed the form."), ["Donna King"]);
    // "requested by", "thanks to": a verb of handling or thanks before the preposition.
    assert_eq!(names("Requested by Olumide"), ["Olumide"]);
    assert!(!places("Thanks to Olumide and the team.").contains(&"Olumide"));
    // Known from the JavaScript Faker's Nigerian, Indian and Uzbek lists.
    assert_eq!(names("Approved, Dilnoza will start Monday."), ["Dilnoza"]);
}

#[test]
fn one_word_in_capitals_is_a_name_only_when_very_common() {
    // "Iban" is a given name somewhere; the account number's label is not.
    assert!(names("Please send the IBAN today.").is_empty());
    assert!(names("cc: IBAN, SWIFT").is_empty());
}

#[test]
fn landmarks_regions_and_counties() {
    assert_eq!(places("Meet me at Union Square at noon."), ["Union Square"]);
    assert_eq!(
        places("We flew into Heathrow Airport."),
        ["Heathrow Airport"]
    );
    assert_eq!(
        places("We hiked in the Tatra Mountains."),
        ["Tatra Mountains"]
    );
    assert_eq!(
        places("I was born in Bedfordshire but grew up in Greater Manchester."),
        ["Bedfordshire", "Greater Manchester"]
    );
    assert_eq!(places("He retired to the Algarve."), ["Algarve"]);
    assert_eq!(places("The claim came from Nuevo León."), ["Nuevo León"]);
    // Without a word that places it, a landmark noun after a product or a person is not
    // enough.
    assert!(places("The Data Bridge release fixed it.").is_empty());
    assert_eq!(names("Ask Sarah Park about it."), ["Sarah Park"]);
    assert!(places("Cheshire Cat Software").is_empty());
}

#[test]
fn a_place_is_a_person_only_where_a_cue_says_so() {
    assert_eq!(
        places("His home town is Kraków, near the coast."),
        ["Kraków"]
    );
    assert!(names("His home town is Kraków, near the coast.").is_empty());
    assert_eq!(names("My name is Florence."), ["Florence"]);
    assert_eq!(
        places("Visited Machu Picchu and Cusco last May."),
        ["Machu Picchu", "Cusco"]
    );
    assert_eq!(places("we drove through Nevada overnight"), ["Nevada"]);
    assert_eq!(places("a small village called Vevey"), ["Vevey"]);
    assert_eq!(names("a guy called Steve"), ["Steve"]);
}

#[test]
fn international_address_parts() {
    for address in [
        "Calle de Serrano 41, 2º izq., 28001 Madrid",
        "Postfach 12 34, 10117 Berlin",
        "Apartado Postal 245, Oaxaca, Mexico",
        "Rua Oscar Freire, nº 379, São Paulo",
        "Musterstraße 5, Whg. 12, 80331 München",
        "Block C, Marina Heights, Dubai Marina, Dubai",
        "Bağdat Cd. No:45, Kadıköy, İstanbul",
        "Flat 2B, Oakwood Court, 15 Park Road, Bristol BS8 1TH",
        "Calle 85 # 11-53, Bogotá",
        "GPO Box 1234, Sydney NSW 2001",
        "Hauptstr. 12a, 1010 Wien",
        "123 Main St., Suite 400, Springfield, IL 62704, USA",
        "14 Elm Grove, Ballsbridge, Dublin 4",
        "Lot 5, Jalan Ampang, 50450 Kuala Lumpur",
    ] {
        let text = format!("Please send it to {address}.");
        assert_eq!(places(&text), [address], "{text}");
    }
    // A number word needs a house number after it, and a district number ends its part.
    assert!(places("Calle Mayor, no way to reach it").len() <= 1);
    assert_eq!(
        places("14 Elm Grove, Dublin 4 times"),
        ["14 Elm Grove, Dublin"]
    );
    assert_eq!(
        names("Ask Martha Villa or Ana Torre."),
        ["Martha Villa", "Ana Torre"]
    );
}

#[test]
fn names_joined_glossed_addressed_or_in_brackets() {
    assert_eq!(names("Agent (Diego): Of course."), ["Diego"]);
    assert_eq!(
        names("notes from call w/ Ibrahim + Sun-hee"),
        ["Ibrahim", "Sun-hee"]
    );
    assert_eq!(
        names("Steering committee: Jan-Willem de Vries presented the plan."),
        ["Jan-Willem de Vries"]
    );
    assert_eq!(
        names("Sindre & Maja are back from Bali"),
        ["Sindre", "Maja"]
    );
    assert_eq!(
        names("Subject: keys\n\nHamid, the spare keys are here."),
        ["Hamid"]
    );
    assert_eq!(names("Liu Yang (刘洋) holds a PhD."), ["Liu Yang", "刘洋"]);
    assert_eq!(names("大阪市北区梅田3-1-3 佐藤花子 様 電話"), ["佐藤花子"]);
    assert_eq!(names("배송지: 서울 수령인 김민수, 연락처"), ["김민수"]);
    // A company joined to a surname, a word that is no given name, and a compound with a
    // common word stay out.
    assert!(!names("Marks & Spencer opened a store.").contains(&"Marks"));
    assert!(names("Cross-Platform support is here.").is_empty());
    assert!(names("Thanks, the spare keys are here.").is_empty());
}

#[test]
fn a_place_before_a_joined_place() {
    assert_eq!(
        places("Relocation (Basel -> Singapore) approved"),
        ["Basel", "Singapore"]
    );
    assert_eq!(
        places("still torn between Sintra and Cascais"),
        ["Sintra", "Cascais"]
    );
    assert_eq!(
        places("torn between Zorbly and Cascais"),
        ["Zorbly", "Cascais"]
    );
    assert!(places("Acme and Oracle merged").is_empty());
}

#[test]
fn labels_and_named_activities_are_not_places() {
    assert!(places("Workplace accident – location: Loading Bay 2.").is_empty());
    assert_eq!(
        places("Karl Johans gate 22, 0159 Oslo. Mobil: +47 987"),
        ["Karl Johans gate 22, 0159 Oslo"]
    );
}

#[test]
fn places_after_nouns_of_place_and_units_within_units() {
    assert_eq!(
        places("The mayor of Bristol opened the bridge."),
        ["Bristol"]
    );
    assert_eq!(places("Residents of Pimlico complained."), ["Pimlico"]);
    assert_eq!(
        places("Driver note: left with neighbour at No. 22."),
        ["No. 22"]
    );
    assert!(places("No. 22 on the list is done.").is_empty());
    assert_eq!(
        places("Recipient: Room 502, Building 3, 88 Century Avenue, Pudong, Shanghai"),
        ["Room 502, Building 3, 88 Century Avenue, Pudong, Shanghai"]
    );
    assert_eq!(
        places("Redirected to Plot 7, Industrial Area, Kampala."),
        ["Plot 7, Industrial Area, Kampala"]
    );
}

#[test]
fn address_tails_of_other_countries() {
    for address in [
        "Hämeentie 40 A 12, 00500 Helsinki",
        "ul. Długa 12/3 m. 4, 80-827 Gdańsk",
        "Rua Augusta 10, apto 5, Baixa, Rio de Janeiro - RJ, 20040-001",
        "Av. Atlântica, 1702 - Copacabana, Rio de Janeiro",
        "Skólavörðustígur 12, 101 Reykjavík",
        "Plot 9, Sector 18, Gurugram, Haryana 122015",
        "No. 4, 5th Cross, Malleswaram 8th Block, Bengaluru 560003",
        "12 Harbour Road, Howth, Co. Dublin D13 X2Y3",
        "Karlova 12, 110 00 Praha 1",
    ] {
        let text = format!("Ship to: {address}\nThanks");
        assert_eq!(places(&text), [address], "{text}");
    }
    // A staircase letter needs a house number before it; three digits before a word no list
    // knows are no postcode.
    assert_eq!(
        places("Calle Mayor 5 A, Madrid"),
        ["Calle Mayor 5 A, Madrid"]
    );
    assert!(places("We sold 250 Widgets today").is_empty());
}

#[test]
fn a_compound_given_name_keeps_its_surname() {
    assert_eq!(
        names("Ticket from Joon-ho Park about the refund"),
        ["Joon-ho Park"]
    );
}

#[test]
fn labels_questions_and_place_lists_end_a_name() {
    assert_eq!(
        names("From: Marta Kowalczyk To: Daniel Reyes Subject: Q3 figures"),
        ["Marta Kowalczyk", "Daniel Reyes"]
    );
    assert_eq!(names("Can Svetlana cover the Friday shift?"), ["Svetlana"]);
    assert_eq!(names("Can Yilmaz joined the team."), ["Can Yilmaz"]);
    assert_eq!(
        names("Parents: Robert and Ellen Fitzgerald, Galway, Ireland"),
        ["Robert", "Ellen Fitzgerald"]
    );
    assert_eq!(
        places("Parents: Robert and Ellen Fitzgerald, Galway, Ireland"),
        ["Galway, Ireland"]
    );
}

#[test]
fn verbs_only_people_do_and_chat_speakers() {
    assert_eq!(
        names("lol Osagie hated the movie but Bernadette loved it"),
        ["Osagie", "Bernadette"]
    );
    assert_eq!(
        names("Zendesk crashed again this morning"),
        Vec::<&str>::new()
    );
    assert_eq!(names("Gwen: running ten minutes late"), ["Gwen"]);
    assert_eq!(names("Colour: blue with white stripes"), Vec::<&str>::new());
    assert_eq!(names("Afleveradres: Keizersgracht 12"), Vec::<&str>::new());
}

#[test]
fn floors_unit_numbers_directions_and_outer_places_join_an_address() {
    assert_eq!(
        places("Registered office: 5th Floor, 1 Raffles Place, Singapore 048616"),
        ["5th Floor, 1 Raffles Place, Singapore 048616"]
    );
    assert_eq!(
        places("Mailing address - 789 Pine St #402, Seattle WA 98101"),
        ["789 Pine St #402, Seattle WA 98101"]
    );
    assert_eq!(
        places("They moved to 45 Wellington Parade, East Melbourne last year."),
        ["45 Wellington Parade, East Melbourne"]
    );
    assert_eq!(
        places("Location: Bloemfontein, Free State, South Africa"),
        ["Bloemfontein, Free State, South Africa"]
    );
    assert_eq!(
        places("I live in Austin, Texas, USA."),
        ["Austin, Texas, USA"]
    );
    assert_eq!(
        places("Office in Ikeja, Lagos State, Nigeria"),
        ["Ikeja, Lagos State, Nigeria"]
    );
    assert_eq!(
        places("Go to Nowy Świat 22, Warsaw and ask for Piotr."),
        ["Nowy Świat 22, Warsaw"]
    );
    assert!(
        !places("Windows 10, London edition")
            .iter()
            .any(|p| p.contains("Windows"))
    );
    assert_eq!(places("Ship to Hauptstraße 12"), ["Hauptstraße 12"]);
    assert_eq!(
        places("She farms in County Kerry near Killarney."),
        ["County Kerry", "Killarney"]
    );
    assert!(places("The County Council met on Monday.").is_empty());
}

#[test]
fn neighbourhoods_buildings_and_nordic_streets_before_a_listed_city() {
    assert_eq!(
        places("Office: Rosebank, Johannesburg 2196"),
        ["Rosebank, Johannesburg 2196"]
    );
    assert_eq!(
        places("B-204, Shanti Apartments, Andheri West, Mumbai 400053"),
        ["B-204, Shanti Apartments, Andheri West, Mumbai 400053"]
    );
    assert_eq!(
        places("Karl Johans gate 22, 0159 Oslo"),
        ["Karl Johans gate 22, 0159 Oslo"]
    );
    assert_eq!(
        places("Col. Roma, 03940 Ciudad de México"),
        ["03940 Ciudad de México"]
    );
    // A name before an address stays a name, whole.
    assert_eq!(
        names("Gwen Probert, Flat 3, 22 Baker Street, London NW1 6XE"),
        ["Gwen Probert"]
    );
    assert_eq!(names("Contact John Smith, London SW1A 1AA"), ["John Smith"]);
    assert_eq!(names("Maria Lopez, Madrid 28001"), ["Maria Lopez"]);
    assert_eq!(places("Maria Lopez, Madrid 28001"), ["Madrid 28001"]);
    assert_eq!(names("Letter signed by J. R. Hartley"), ["J. R. Hartley"]);
    assert_eq!(
        names("APPLICANT: MARIA J. GONZALEZ   DOB: 04/17/1989"),
        ["MARIA J. GONZALEZ"]
    );
}

#[test]
fn names_that_are_also_places() {
    assert_eq!(
        names("The new hire, Quang Nguyen, sits next to Ilse."),
        ["Quang Nguyen", "Ilse"]
    );
    assert_eq!(
        places("We flew to Quang Nguyen last May."),
        ["Quang Nguyen"]
    );
    assert_eq!(names("A note from Yuki: the printer is jammed."), ["Yuki"]);
    assert_eq!(places("An email from Paris arrived."), ["Paris"]);
    assert_eq!(
        names("The package was left with Doreen next door."),
        ["Doreen"]
    );
}

#[test]
fn a_city_with_its_state_code_and_a_city_naming_a_product() {
    assert_eq!(
        places("Employer: Tyson Foods, Springdale, AR. Date of injury: 08/17/2023."),
        ["Springdale, AR"]
    );
    assert!(places("The Toyota Prius was recalled.").is_empty());
    assert!(places("Tickets went on sale through Vodafone and EE.").is_empty());
    assert_eq!(places("We drove through Leeds at night."), ["Leeds"]);
}

#[test]
fn names_asked_to_do_something_or_giving_themselves() {
    assert_eq!(
        names("box is throwing OOM errors again, Rajesh can you bump the heap?"),
        ["Rajesh"]
    );
    assert_eq!(
        names("Hi team, Olusegun here, joining from Lagos today"),
        ["Olusegun"]
    );
    assert_eq!(names("hey it's Hyun-woo, new number"), ["Hyun-woo"]);
    assert_eq!(names("yeah hi it's Nkechi from the clinic"), ["Nkechi"]);
}

#[test]
fn requests_and_presence_of_things_are_not_names() {
    assert!(names("Support can you help me?").is_empty());
    assert!(names("It's Monday again, the Wiki here is stale").is_empty());
    assert!(names("it's Slack that keeps crashing").is_empty());
}

#[test]
fn a_given_name_with_a_possessive() {
    assert_eq!(
        names("Reminder for June 14th: Nkechi's citizenship ceremony in Houston"),
        ["Nkechi"]
    );
    assert!(names("London's mayor and Google's office").is_empty());
}

#[test]
fn a_listed_name_as_the_subject_of_a_verb() {
    assert_eq!(
        names("Kowalczyk will check whether the export still drops the field."),
        ["Kowalczyk"]
    );
    assert_eq!(
        names("Ayşe restarted the ingestion workers at 23:40; Bao confirmed it."),
        ["Ayşe", "Bao"]
    );
    assert_eq!(
        names("AP: Hyun-woo to draft the comparison deck."),
        ["Hyun-woo"]
    );
}

#[test]
fn products_and_places_as_the_subject_of_a_verb_are_not_people() {
    assert!(names("Kafka restarted the consumers and Datadog flagged it.").is_empty());
    assert!(names("Paris reviewed the plan.").is_empty());
    assert!(names("Jenkins failed again.").is_empty());
}

#[test]
fn greetings_weekdays_and_labels_of_other_languages_are_not_names() {
    assert_eq!(
        names("Grüezi Urs, ich hab dir die Nummer geschickt"),
        ["Urs"]
    );
    assert_eq!(names("Oi Thiago, o boleto vence amanhã"), ["Thiago"]);
    assert_eq!(
        names("Nom : Dubois Prénom : Léa Né(e) le : 22/06/1996"),
        ["Dubois", "Léa"]
    );
    assert!(names("Ihr Termin ist am Dienstag, 15. März, um 10:30 Uhr").is_empty());
    assert_eq!(names("Sindre & Maja are coming"), ["Sindre", "Maja"]);
}

#[test]
fn names_in_forms_written_in_capitals_or_surname_first() {
    assert_eq!(
        names("PATIENT INTAKE | SURNAME: NOWAK | DOB: 03/07/1958"),
        ["NOWAK"]
    );
    assert_eq!(
        names("SHIP TO: KWAME MENSAH-BONSU | Plot 27, Spintex Road"),
        ["KWAME MENSAH-BONSU"]
    );
    assert_eq!(
        names("Member: Delacroix, Amélie; Date of birth: 14.02.1991"),
        ["Delacroix, Amélie"]
    );
    assert_eq!(
        names("From: Petrov, Aleksandar Sent: Monday"),
        ["Petrov, Aleksandar"]
    );
}

#[test]
fn capitals_and_commas_outside_a_form_label_stay_apart() {
    assert!(names("Status: OPEN | Team: NASA").is_empty());
    assert_eq!(names("Dear Anna, Tom and I will come"), ["Anna", "Tom"]);
    assert!(names("Customer: IBM").is_empty());
}

#[test]
fn a_verb_of_place_before_an_adverb_and_its_preposition() {
    assert_eq!(
        places("bought a bike from a guy who lives out in Ealing and threw in a helmet"),
        ["Ealing"]
    );
    assert!(places("we hang out in Slack all day").is_empty());
}

#[test]
fn camel_case_products_are_not_names_and_maiden_names_are() {
    assert!(names("Tickets resold on StubHub and PayPal refunds").is_empty());
    assert_eq!(names("Ask DeShawn McDonald about it"), ["DeShawn McDonald"]);
    assert_eq!(
        names("Elfriede Hartmann, née Koch, died on 2 March"),
        ["Elfriede Hartmann", "Koch"]
    );
}

#[test]
fn organisations_named_in_other_languages_are_not_people() {
    assert!(names("Pagamento recusado pelo Banco Itaú ontem").is_empty());
    assert!(names("Enviado por Aras Kargo hoy").is_empty());
    assert!(names("Cita en la Oficina de Extranjería").is_empty());
}

#[test]
fn companies_named_after_people_are_not_people() {
    assert!(names("The report noted that Goldman confirmed the deal.").is_empty());
    assert!(names("The Mayo Clinic published guidance and Harvard reviewed it.").is_empty());
    assert!(names("The musical sold out and Disney streamed it.").is_empty());
    assert_eq!(names("Spencer confirmed the booking."), ["Spencer"]);
}

#[test]
fn roles_and_relations_before_a_name() {
    assert_eq!(
        names("SEV2 declared at 17:20; comms lead Sinéad; bridge on Zoom"),
        ["Sinéad"]
    );
    assert_eq!(
        names("Daughter informed; nurse Agnieszka on duty"),
        ["Agnieszka"]
    );
}

#[test]
fn what_only_a_person_is_makes_a_person() {
    assert_eq!(
        names("Yerlan is out sick today, Dinara is covering"),
        ["Yerlan", "Dinara"]
    );
    assert_eq!(
        names("Heads up: Aigerim is on leave until Monday"),
        ["Aigerim"]
    );
    assert!(names("Slack is out again and Jira is on fire").is_empty());
}

#[test]
fn a_speaker_after_the_end_of_a_sentence_in_a_one_line_transcript() {
    assert_eq!(
        names("Sofia: I moved with one suitcase. Priya: Wow, and what was that like?"),
        ["Sofia", "Priya"]
    );
    assert!(names("It failed twice. Note: retry later.").is_empty());
}

#[test]
fn family_words_before_a_name() {
    assert_eq!(
        names("Proud parents Chidi and Rose are over the moon"),
        ["Chidi", "Rose"]
    );
    assert_eq!(
        names("emigrated in 1868 with his wife Katharina and son Johann"),
        ["Katharina", "Johann"]
    );
    assert!(names("printed on a Brother HL-L2350DW").is_empty());
}

#[test]
fn towns_and_districts_after_a_bare_preposition() {
    assert_eq!(
        places("She grew up in Penygroes and still works near Grindelwald."),
        ["Penygroes", "Grindelwald"]
    );
    // After a verb of place, a word known only as a surname is the place named after the
    // family; after a bare preposition it stays a person's.
    assert_eq!(
        places("They have been living in Stockwell since 1974"),
        ["Stockwell"]
    );
    assert!(places("The ticket now sits with Stockwell").is_empty());
    // An English word, a possessive or an organisation after the town is read otherwise.
    assert!(places("The ticket is in Progress.").is_empty());
    assert!(places("It is in Sato's queue now").is_empty());
    assert!(places("Funds are held in Penygroes Capital accounts").is_empty());
}

#[test]
fn a_month_after_a_day_is_not_part_of_a_name() {
    assert_eq!(
        names("Flowers rota: 14 April Nuala Fitzgerald; 21 April Bríd Keane"),
        ["Nuala Fitzgerald", "Bríd Keane"]
    );
}

#[test]
fn a_booking_under_a_name() {
    assert_eq!(names("table for 6 under Nguyen fri 8pm"), ["Nguyen"]);
    assert_eq!(names("its under McAllister, can u hold it"), ["McAllister"]);
    assert!(names("the fix is filed under Kubernetes upgrades").is_empty());
}

#[test]
fn contact_verbs_and_sign_offs() {
    assert_eq!(names("Any questions text Will on 07700 914362."), ["Will"]);
    assert_eq!(names("old phone died, don't ask. Kasia x"), ["Kasia"]);
    // A cue ends with its sentence.
    assert!(names("Do not reply to this automated message. Whitelist the address.").is_empty());
}

#[test]
fn international_addresses_keep_their_floors_doors_and_districts() {
    assert_eq!(
        places("Address: Calle de Alcalá 210, 3ºB, 28028 Madrid"),
        ["Calle de Alcalá 210, 3ºB, 28028 Madrid"]
    );
    assert_eq!(
        places("Lieferadresse: Schönhauser Allee 142, 3. OG links, 10437 Berlin"),
        ["Schönhauser Allee 142, 3. OG links, 10437 Berlin"]
    );
    assert_eq!(
        places("Envío: Av. Santa Fe 2450, piso 7, depto. B, C1123AAN Buenos Aires"),
        ["Av. Santa Fe 2450, piso 7, depto. B, C1123AAN Buenos Aires"]
    );
    assert_eq!(
        places(
            "Dirección: Av. Álvaro Obregón 182, Int. 301, Col. Roma Norte, 06700 Ciudad de México"
        ),
        ["Av. Álvaro Obregón 182, Int. 301, Col. Roma Norte, 06700 Ciudad de México"]
    );
    assert_eq!(
        places("Rua Augusta, 1508, apto 72, São Paulo \u{2013} SP, 01304-001"),
        ["Rua Augusta, 1508, apto 72, São Paulo \u{2013} SP, 01304-001"]
    );
    assert_eq!(
        places("Address: Västra Hamngatan 9, 411 17 Göteborg"),
        ["Västra Hamngatan 9, 411 17 Göteborg"]
    );
    assert_eq!(
        places("I was cycling along Mariahilfer Straße when it happened"),
        ["Mariahilfer Straße"]
    );
    // A colonel is no colonia, and a year is no floor.
    assert!(places("Col. Mustard met him in 2019. OG content").is_empty());
}

#[test]
fn a_common_word_given_name_with_a_pronoun_a_partner_or_a_name_label() {
    assert_eq!(
        names("Absolutely gutted for Summer, she trained so hard for it."),
        ["Summer"]
    );
    assert_eq!(
        names("Till rota: 9-11 Ian, then 11-1 Faith and Mark Chen."),
        ["Ian", "Faith", "Mark Chen"]
    );
    assert_eq!(
        names("First Name: Grace\nLast Name: Huang"),
        ["Grace", "Huang"]
    );
    // A transcript's turn label is no name label.
    assert!(names("Customer: Safari on an iPhone 13").is_empty());
    assert!(names("In Summer, she travels a lot.").is_empty());
}

#[test]
fn where_a_person_is_from_after_the_person() {
    assert_eq!(
        places("Police named him as Tane Hohaia, 34, of Marton. His family asked"),
        ["Marton"]
    );
    assert_eq!(
        places("Margaret Dunleavy, of Ballina, County Mayo, passed away"),
        ["Ballina, County Mayo"]
    );
    assert_eq!(
        places("The coach goes to the church in Castlemartyr, Co. Cork."),
        ["Castlemartyr, Co. Cork"]
    );
    assert!(places("a member of Marton's committee").is_empty());
}

#[test]
fn an_initial_before_particles_and_italian_titles() {
    assert_eq!(
        names("Parcel 1550 for L. van der Berg could not be delivered"),
        ["L. van der Berg"]
    );
    assert_eq!(
        names("Gentile Dott.ssa Ferraro-Lanza, le confermo l'appuntamento"),
        ["Ferraro-Lanza"]
    );
    // An initial before lower-case words that are no particles opens no name.
    assert!(names("Plan B. van rental is booked").is_empty());
}

#[test]
fn the_house_building_or_flat_before_the_street_is_part_of_the_address() {
    assert_eq!(
        places("late of Rose Cottage, Mill Lane, Great Shelford, Cambridge CB22 5LD, died"),
        ["Rose Cottage, Mill Lane, Great Shelford, Cambridge CB22 5LD"]
    );
    assert_eq!(
        places("Ship to: Lieu-dit Kerbastard, 29260 Ploudaniel"),
        ["Lieu-dit Kerbastard, 29260 Ploudaniel"]
    );
    assert_eq!(
        places("Unit: 302-1104, 45 Banpo-daero, Seocho-gu, Seoul 06578"),
        ["302-1104, 45 Banpo-daero, Seocho-gu, Seoul 06578"]
    );
    // Words before the comma that name no house, building or flat stay out.
    assert_eq!(
        places("Thanks Maria Lopez, 12 Baker Street, London NW1 6XE"),
        ["12 Baker Street, London NW1 6XE"]
    );
}

#[test]
fn an_action_item_given_to_a_common_word_name() {
    assert_eq!(
        names("Notes\nActions: Mark to collect scorecards; Ayesha to book rooms"),
        ["Mark", "Ayesha"]
    );
    // A line or a sentence opening with the word is no item.
    assert!(names("Hope to see you soon.\nWill to follow.").is_empty());
}

#[test]
fn nicknames_the_late_sign_offs_and_kin_words() {
    assert_eq!(
        names("Isabela Carvalho, known to everyone as Bel, moved to Recife."),
        ["Isabela Carvalho", "Bel"]
    );
    assert_eq!(names("Beloved wife of the late Hunter."), ["Hunter"]);
    assert_eq!(
        names("Police have been told. Lock your cars folks! Gareth"),
        ["Gareth"]
    );
    assert_eq!(names("Grandad Bill turned 90 on Tuesday"), ["Bill"]);
    assert_eq!(names("Our waiter Will recommended the pierogi"), ["Will"]);
    assert_eq!(
        names("Chat transcript: \"hi its Jomo again, my tv still hasnt come"),
        ["Jomo"]
    );
    // A last word that no list knows as a given name, or one with words after it, is no
    // signature.
    assert!(names("The parcel is lost. Again").is_empty());
    assert!(names("We missed it. Summer holidays start soon").is_empty());
    assert!(names("Known as the Late Show.").is_empty());
}

#[test]
fn prepositions_of_place_of_other_languages() {
    assert_eq!(places("Falleció en Zamora el 3 de noviembre"), ["Zamora"]);
    assert_eq!(
        places("Ses vi på stugan i Mora på midsommarafton?"),
        ["Mora"]
    );
    assert_eq!(places("né le 3 juin 1984 à Paris, n° de"), ["Paris"]);
    // The preposition alone makes no place of a word the gazetteer does not know.
    assert!(places("Wir treffen uns in Raum Blau").is_empty());
}

#[test]
fn places_of_origin_before_born_or_based() {
    assert_eq!(
        places("Chen Wei-Ling is a Taipei-born product designer"),
        ["Taipei"]
    );
    assert_eq!(places("a London-based startup"), ["London"]);
    assert!(places("a Google-based stack").is_empty());
    assert!(places("the Smith-born twins").is_empty());
    assert!(places("a Somali-born poet").is_empty());
}

#[test]
fn role_words_and_honorifics_of_other_languages() {
    assert_eq!(names("Repartidor: Íker · Tel. +34 612 48 93 07"), ["Íker"]);
    assert_eq!(
        names("Vážený pane Dvořák, Vaše zásilka je na cestě"),
        ["Dvořák"]
    );
    assert_eq!(names("anh Tuấn ơi, em gửi đồ"), ["Tuấn"]);
    // Written with a capital, the kin word is a given name of its own.
    assert_eq!(names("Tran Duc Anh joined the call"), ["Tran Duc Anh"]);
}

#[test]
fn korean_names_with_a_surname_that_is_also_a_word() {
    assert_eq!(
        names("Tenant: Park Ji-hoon / Unit: #1204"),
        ["Park Ji-hoon"]
    );
    assert_eq!(names("Mrs Park Soo-yeon arrives Friday"), ["Park Soo-yeon"]);
    assert!(names("a walk in Hyde Park after lunch").is_empty());
}

#[test]
fn where_a_person_is_from() {
    assert_eq!(
        places("Henrik Aas, a fisherman from Lofoten, rescued two kayakers"),
        ["Lofoten"]
    );
    assert_eq!(places("she is originally from Tromsø"), ["Tromsø"]);
    assert!(places("an email from Jira about the release").is_empty());
}

#[test]
fn a_given_name_that_is_also_a_city_somewhere() {
    assert_eq!(
        names("LGTM but Hamid should double check the regex"),
        ["Hamid"]
    );
    assert!(names("Florence was lovely in May.").is_empty());
    assert_eq!(places("We flew to Nadia last spring"), ["Nadia"]);
}

#[test]
fn streets_whose_type_is_a_common_word_after_a_place_cue() {
    assert_eq!(
        places("Last one at Orchard Close, Little Hadham had no numbers"),
        ["Orchard Close"]
    );
    assert!(places("Close the window before you leave").is_empty());
    assert!(places("we need a Square payment link").is_empty());
}

#[test]
fn cjk_names_inside_runs_without_spaces() {
    assert_eq!(names("資料は佐藤さんから共有されます。"), ["佐藤"]);
    assert_eq!(names("王磊你好，合同已经发到你邮箱"), ["王磊"]);
    assert_eq!(names("请寄回，收件人刘婷。"), ["刘婷"]);
    assert_eq!(names("よろしくお願いします。中村"), ["中村"]);
    // An honorific after kana, or a run of Han characters too long to be a name, is none.
    assert!(names("お疲れ様です。皆様によろしく").is_empty());
    assert!(names("東京都は大きいです。").is_empty());
}

#[test]
fn a_common_noun_closing_a_run_of_capitals_names_a_business() {
    assert!(names("Thanks for contacting Rose Valley Florists today.").is_empty());
    assert!(names("Greetings from all of us at Jade Dragon Trading!").is_empty());
    assert!(names("The Angel Investor plan includes 5 seats").is_empty());
    assert_eq!(
        names("Spoke with Aimee Williamson Tuesday; the issue is resolved."),
        ["Aimee Williamson"]
    );
    assert_eq!(
        names("The account holder, Rosa Valdez, confirmed"),
        ["Rosa Valdez"]
    );
}

#[test]
fn places_only_a_name_fits_take_common_words_and_cities() {
    assert_eq!(names("It's for my son, Chase. He's seven."), ["Chase"]);
    assert_eq!(names("our lodger, Sunny, has a key"), ["Sunny"]);
    assert_eq!(names("It's for Hope, my daughter."), ["Hope"]);
    assert_eq!(names("Harmony (my daughter) has been waiting"), ["Harmony"]);
    assert_eq!(names("He said his name was Dale."), ["Dale"]);
    assert_eq!(names("Me: Paris (31), nurse"), ["Paris"]);
    assert_eq!(names("This is Neve not Siobhán"), ["Neve"]);
    assert_eq!(names("Spoke with Dale Ruiz; resolved"), ["Dale Ruiz"]);
    // Not such places: a year in brackets, a pet, a product, a season after a comma.
    assert!(names("Hope (2024) is a film").is_empty());
    assert!(names("a lovely dog called Bella").is_empty());
    assert!(names("As for the summer, Hope springs eternal").is_empty());
    assert!(names("In my view, Summer is the best season").is_empty());
    assert_eq!(places("walk from Glen Road to the shop"), ["Glen Road"]);
}

#[test]
fn names_and_places_of_more_traditions() {
    assert_eq!(
        names("Takeshi Morimoto-san will call"),
        ["Takeshi Morimoto"]
    );
    assert_eq!(names("Kim Min-ji will call"), ["Kim Min-ji"]);
    assert_eq!(
        names("Dear Shri Ramesh Chandra Pandey,"),
        ["Ramesh Chandra Pandey"]
    );
    assert_eq!(names("Habari Otieno, karibu sana"), ["Otieno"]);
    assert_eq!(
        names("Nurul Aisyah binti Abdullah signed"),
        ["Nurul Aisyah binti Abdullah"]
    );
    assert_eq!(places("Burak abi Ankara'dan cuma dönüyor"), ["Ankara"]);
    // A name with marks is the name the plain spelling is also a city of.
    assert_eq!(names("Sofía López called"), ["Sofía López"]);
}

#[test]
fn natural_features_named_before_their_noun() {
    assert_eq!(
        places("rebuild the bridge over the Çoruh river."),
        ["Çoruh"]
    );
    assert_eq!(places("booked a table on Kampa island"), ["Kampa"]);
    assert!(places("Tom Island river trips").is_empty());
    assert!(places("She said the Monday river walk is off").is_empty());
}

#[test]
fn a_bare_in_after_what_a_neighbourhood_has_places_the_word() {
    assert_eq!(
        places("Honestly the best barber in Sparkhill, ask anyone"),
        ["Sparkhill"]
    );
    assert_eq!(
        places("Lost cat in Stoneybatter! Grey tabby"),
        ["Stoneybatter"]
    );
    assert_eq!(places("we spent two nights in Zermatt"), ["Zermatt"]);
    assert!(places("there is a bug in Figma when you export").is_empty());
    assert!(places("the setting is buried in Outlook somewhere").is_empty());
}

#[test]
fn a_listed_town_before_what_it_has_is_the_town() {
    assert_eq!(
        places("My neighbour swears the Kitsilano pool opens at dawn"),
        ["Kitsilano"]
    );
    assert_eq!(
        places("PSA for Logan Square folks: a scam"),
        ["Logan Square"]
    );
    assert!(places("Logan signed the pool contract").is_empty());
}

#[test]
fn a_name_before_a_phone_number_and_a_place_in_brackets_after_one() {
    assert_eq!(
        names("Door code 5591, no lift sorry!! Magda +48 601 555 014"),
        ["Magda"]
    );
    assert!(names("Room +44 is not a number").is_empty());
    assert_eq!(
        places("Call w/ Mariana Quintela (Aveiro) re: fit-out."),
        ["Aveiro"]
    );
    assert!(places("the report (Aveiro) is attached").is_empty());
}

#[test]
fn a_title_makes_a_name_of_a_day_and_an_adverb_keeps_a_speech_verb() {
    assert_eq!(names("The owner, Mrs Thu, cooked us breakfast"), ["Thu"]);
    assert_eq!(names("Isla already said yes"), ["Isla"]);
    assert!(names("Monday already said it all").is_empty());
}

#[test]
fn districts_of_two_words_rivers_and_ranges() {
    assert_eq!(
        places("Lost: gold bracelet near Stokes Croft on Friday night"),
        ["Stokes Croft"]
    );
    assert_eq!(
        places("Tutoring online or in person near Selly Oak."),
        ["Selly Oak"]
    );
    assert_eq!(
        places("Class 3B will be walking down to the River Irwell for science"),
        ["River Irwell"]
    );
    assert_eq!(
        places("The guide knew everything about the Blue Mountains."),
        ["Blue Mountains"]
    );
    assert!(places("we sat near Maria Lopez at dinner").is_empty());
    assert!(places("May we move the All Hands to the Auditorium?").is_empty());
    assert!(places("River Phoenix starred in it").is_empty());
    assert!(places("the Data Bridge release").is_empty());
}

#[test]
fn a_shoutout_or_a_request_for_someone_is_a_person() {
    assert_eq!(
        names("Shoutout to Jordan at the Headingley Tesco"),
        ["Jordan"]
    );
    assert_eq!(names("Ask for Jordan when you go in!"), ["Jordan"]);
}

#[test]
fn weekdays_in_the_plural_are_a_schedule() {
    assert!(names("Shift pattern: Mondays and Thursdays, 12-hour days.").is_empty());
    assert!(names("Reminder: Wellness Wednesdays continue every week.").is_empty());
}

#[test]
fn an_article_before_a_name_is_no_initial() {
    assert_eq!(names("O Caio chega em Curitiba na quinta"), ["Caio"]);
    assert_eq!(names("Signed: A. Okafor"), ["A. Okafor"]);
}

#[test]
fn a_place_after_an_institution_and_of_names_the_institution() {
    assert!(places("The Reserve Bank of Australia held rates steady").is_empty());
    assert!(places("she received the Order of Canada for her work").is_empty());
    assert!(places("a lecturer at the University of Toronto").is_empty());
    assert_eq!(places("the village of Hallstatt"), ["Hallstatt"]);
}

#[test]
fn a_city_before_who_or_what_is_there() {
    assert_eq!(
        places("Our Geneva contact is Ursula Gerber; she works from home"),
        ["Geneva"]
    );
    assert_eq!(
        places("Carys to chase the Carmarthen supplier about the pallets"),
        ["Carmarthen"]
    );
    assert_eq!(places("a church ceremony in Hamelin"), ["Hamelin"]);
}

#[test]
fn whose_mum_or_dad_someone_is() {
    assert_eq!(names("I can take 3. Femi's dad is driving."), ["Femi"]);
    assert_eq!(names("Could Summer's mum ring me?"), ["Summer"]);
    assert!(names("Apple's boss spoke").is_empty());
}

#[test]
fn verbs_only_people_do_after_common_word_names() {
    assert_eq!(names("Honestly Dot swears the pool opens at six"), ["Dot"]);
    assert_eq!(names("and then Grant shrugged and left"), ["Grant"]);
    assert!(names("the Grant covered the costs").is_empty());
}

#[test]
fn a_sale_or_an_event_named_with_a_name() {
    assert!(names("Your Summer Sale discount code SUNNY25 has expired.").is_empty());
    assert!(names("the Hope Street Fundraiser raised £12,400!").is_empty());
    assert_eq!(
        names("Please ask Rosa Fair about the invoice"),
        ["Rosa Fair"]
    );
}

#[test]
fn a_name_label_and_a_freeway() {
    assert_eq!(
        names("Surname: ORLOVA\nGiven names: ANASTASIA\nPassport No: 75 1234567"),
        ["ORLOVA", "ANASTASIA"]
    );
    assert_eq!(
        places("a crash on the Princes Freeway near Geelong"),
        ["Princes Freeway", "Geelong"]
    );
}

#[test]
fn reaching_delivering_and_coasts_place_the_word_after_them() {
    assert_eq!(
        places("Please deliver to Zindabazar by Friday."),
        ["Zindabazar"]
    );
    assert_eq!(places("you don reach Aba? The goods go leave"), ["Aba"]);
    assert_eq!(places("a surf school on the west coast of Bali."), ["Bali"]);
}

#[test]
fn a_town_inside_another_name_and_a_town_after_a_name_and_of() {
    assert!(places("Summer from the Summer Sale team will call you").is_empty());
    assert_eq!(
        places("reported that Ciarán Mac Aodha of Galway had won"),
        ["Galway"]
    );
    assert!(places("a loan from the Bank of Scotland").is_empty());
}
