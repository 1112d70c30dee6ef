use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_syntax::hir::Hir;

/// One pattern of the multi-pattern regex. Declaration order is pattern id order, which is
/// the leftmost-first preference at equal starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Url,
    Email,
    Mention,
    PasswordLabel,
    UsernameLabel,
    PasswordSaid,
    UsernameSaid,
    GreetingName,
    PinLabel,
    CvvLabel,
    PostcodeLabel,
    RegionCodeLabel,
    NameLabel,
    AgeLabel,
    AgeVerb,
    AgeAppositive,
    IdLabel,
    PlateLabel,
    NameTitle,
    Address,
    AgeSuffix,
    DateText1,
    DateText2,
    DateForeign,
    Weekday,
    WeekdayForeign,
    MonthName,
    OrdinalDay,
    DateIso,
    DateLog,
    DateNumeric,
    Expiry,
    DayMonth,
    PhoneExt,
    PhoneIntl,
    PhoneParen,
    Mac,
    Ipv6,
    Time,
    TimeForeign,
    HourAfterWord,
    DateDotted,
    IbanSpaced,
    Nino,
    UkPostcode,
    AwsSecret,
    AlnumToken,
    Numeric,
    Year,
}

pub(crate) const SHAPES: &[Shape] = &[
    Shape::Url,
    Shape::Email,
    Shape::Mention,
    Shape::PasswordLabel,
    Shape::UsernameLabel,
    Shape::PasswordSaid,
    Shape::UsernameSaid,
    Shape::GreetingName,
    Shape::PinLabel,
    Shape::CvvLabel,
    Shape::PostcodeLabel,
    Shape::RegionCodeLabel,
    Shape::NameLabel,
    Shape::AgeLabel,
    Shape::AgeVerb,
    Shape::AgeAppositive,
    Shape::IdLabel,
    Shape::PlateLabel,
    Shape::NameTitle,
    Shape::Address,
    Shape::AgeSuffix,
    Shape::DateText1,
    Shape::DateText2,
    Shape::DateForeign,
    Shape::Weekday,
    Shape::WeekdayForeign,
    Shape::MonthName,
    Shape::OrdinalDay,
    Shape::DateIso,
    Shape::DateLog,
    Shape::DateNumeric,
    Shape::Expiry,
    Shape::DayMonth,
    Shape::PhoneExt,
    Shape::PhoneIntl,
    Shape::PhoneParen,
    Shape::Mac,
    Shape::Ipv6,
    Shape::Time,
    Shape::TimeForeign,
    Shape::HourAfterWord,
    Shape::DateDotted,
    Shape::IbanSpaced,
    Shape::Nino,
    Shape::UkPostcode,
    Shape::AwsSecret,
    Shape::AlnumToken,
    Shape::Numeric,
    Shape::Year,
];

const MONTH: &str = r"(?i-u:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// Time zones written after a clock time.
const ZONES: &str = "UTC|GMT|CET|CEST|BST|EST|EDT|CST|CDT|PST|PDT|MST|MDT|AKST|HST|IST|JST|KST|SGT|HKT|AEST|AEDT|ACST|AWST|NZST|NZDT|WET|WEST|EET|EEST|MSK|SAST|WAT|CAT|EAT|BRT|ART|CLT|PHT|ICT|WIB|GST|PKT";

const NAME_WORD: &str = r"\p{Lu}[\p{L}\p{M}'\-]*";

const STREET_SUFFIX: &str = "(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|Way|Terrace|Tce|Close|Crescent|Cres|Parade|Pde|Highway|Hwy|Square|Sq|Parkway|Pkwy|Circle|Cir|Row|Grove|Gardens|Walk|Hill|Mews|Trail|Plaza)";

impl Shape {
    /// Matched from a character inside the match (e-mail from its `@`, IPv6 from its
    /// first `:`, an age after a name from its comma or bracket), whose head is then read
    /// back with [`Shape::head_start`].
    pub(crate) fn reads_back(self) -> bool {
        matches!(self, Shape::Email | Shape::Ipv6 | Shape::AgeAppositive)
    }

    /// Found by [`super::by_hand`] beside the combined regex instead of in it.
    pub(crate) fn by_hand(self) -> bool {
        super::by_hand::BY_HAND.contains(&self)
    }

    /// Where a match found at `at` really starts: read back for the shapes that
    /// [`Shape::reads_back`], `at` for the others. `None` when what precedes `at` cannot
    /// start one.
    pub(crate) fn head_start(self, text: &str, at: usize) -> Option<usize> {
        match self {
            Shape::Email => Some(email_local_start(text, at)),
            Shape::Ipv6 => ipv6_head_start(text, at),
            Shape::AgeAppositive => appositive_head_start(text, at),
            _ => Some(at),
        }
    }

    /// Whether a match of this shape can begin at `at`: its first byte, and for a year the
    /// four digits; lets the fallback skip anchored searches that cannot succeed.
    pub(crate) fn can_start_at(self, text: &[u8], at: usize) -> bool {
        match self {
            Shape::Year => {
                text.get(at..at + 4)
                    .is_some_and(|y| y.iter().all(u8::is_ascii_digit))
                    && !text.get(at + 4).is_some_and(u8::is_ascii_alphanumeric)
            }
            _ => self.can_start(text[at]),
        }
    }

    /// Whether a match of this shape can begin with byte `b`.
    pub(crate) fn can_start(self, b: u8) -> bool {
        use Shape::*;
        match self {
            Url | PasswordLabel | UsernameLabel | PasswordSaid | UsernameSaid | GreetingName
            | RegionCodeLabel | PinLabel | CvvLabel | PostcodeLabel | NameLabel | AgeLabel
            | AgeVerb | IdLabel | PlateLabel | DateText2 | Weekday | HourAfterWord => {
                b.is_ascii_alphabetic()
            }
            // "Środa", "Úterý", "Čtvrtek", "Çarşamba": a letter from U+00C0 to U+017F.
            WeekdayForeign => b.is_ascii_alphabetic() || (0xC3..=0xC5).contains(&b),
            Email | Mention => b == b'@',
            AgeAppositive => b == b',' || b == b' ',
            NameTitle | IbanSpaced | Nino | UkPostcode | MonthName => b.is_ascii_uppercase(),
            Address | AgeSuffix | DateText1 | DateForeign | OrdinalDay | DateIso | DateNumeric
            | Expiry | DayMonth | Numeric | Time | TimeForeign | DateDotted | Year => {
                b.is_ascii_digit()
            }
            PhoneIntl => b == b'+',
            PhoneExt => b.is_ascii_digit() || b == b'+' || b == b'(',
            PhoneParen => b == b'(',
            Mac => b.is_ascii_hexdigit() || b == b':',
            Ipv6 => b == b':',
            AwsSecret | DateLog => b.is_ascii_alphanumeric(),
            AlnumToken => b.is_ascii_uppercase() || b.is_ascii_digit(),
        }
    }
}

/// The regex source of a shape. `\b` is rewritten to the ASCII word boundary at build time.
fn source(shape: Shape) -> String {
    use Shape::*;
    match shape {
        Url => r"\b(?i-u:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+".into(),
        // From the "@" on: a local part ([`Shape::head_start`]) matches any word, and in
        // the combined automaton it multiplied the states of every shape that reads words.
        Email => r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b".into(),
        // "@marco_b", "@Dana.K": a handle in chat; after [`Shape::Email`], which takes an
        // "@" with a domain after it.
        Mention => r"@[A-Za-z0-9_][A-Za-z0-9_.\-]{0,28}[A-Za-z0-9_]\b".into(),
        PasswordLabel => r#"(?i-u:\b(?:password|passwd|passcode|pwd|pass)\b)[ \t]*[:=][ \t]*([^\s"',;]{1,64})"#.into(),
        // `user=`, `"user_id":"bella_t88"`, an audit log's `actor=`.
        UsernameLabel => r#"(?i-u:\b(?:user[ _\-]?name|user[ _\-]?id|user|login|handle|actor|uid)\b)"?[ \t]*[:=][ \t]*"?([A-Za-z0-9._@+\-]{2,64})"#.into(),
        // "your temporary password for the VPN is Kx7!pQ2vLm9": ahead of [`Shape::UsernameSaid`],
        // whose "password for" would take the same start; the classifier keeps values that
        // look like a secret, not "incorrect" or "required".
        PasswordSaid => concat!(
            r"(?i-u:\b(?:password|passcode|passphrase|passwd|pwd)\b)",
            r"(?:(?:[ ]+(?i-u:for|to|on)[ ]+(?i-u:the[ ]+|your[ ]+|my[ ]+|our[ ]+)?[A-Za-z0-9\-]{1,20}(?:[ ]+(?i-u:account|login|portal))?)?",
            r"[ ]+(?i-u:(?:is|was|has[ ]+been)[ ]+(?:changed|reset|set|updated)[ ]+to|(?:changed|reset|set)[ ]+to|is[ ]+now|will[ ]+be|is|was|to)(?:[ ]*:)?",
            r"[ ]+[\x21\x23-\x26\x28-\x7e]{1,64}",
            // "temp password Welcome#2024!": without a verb only a value with a digit or a
            // symbol, so that sshd's "password for invalid user" stays [`Shape::UsernameSaid`]'s.
            r"|[ ]+[A-Za-z]*[0-9!#$%&*+?@^_~\-][\x21\x23-\x26\x28-\x7e]{0,63})",
        )
        .into(),
        // "your username is jamal.hussain", "for user m.kowalski", sshd's "Failed password
        // for root from": the classifier decides from the words which values count.
        UsernameSaid => r"(?i-u:\b(?:user[ _\-]?name[ ]+(?:is|was)|login[ ]+(?:is|was)|user[ _\-]?name|(?:for[ ]+)?invalid[ ]+user|for[ ]+user|user|(?:password|publickey)[ ]+for(?:[ ]+invalid[ ]+user)?|(?:(?:triggered|requested|approved|created|started|merged|deployed|committed|pushed|executed|initiated|changed|modified|updated|edited|deleted|removed|added|reviewed|assigned|closed|reopened|resolved|reset|locked|unlocked|note|notes|comment)[ ]+)?by)\b):?[ ]+([A-Za-z0-9][A-Za-z0-9._@+\-]{0,63})".into(),
        // "hey sarah", "thanks mark!": chat writes names in lower case after a greeting;
        // the classifier asks the name lists.
        GreetingName => r"(?i-u:\b(?:hi|hey|hiya|heya|hello|thanks|thank[ ]you|thx|ty|dear|cc|cheers|bye|ping|sorry)\b)(?:[ ]*[,:][ ]*|[ ]+)([a-z]{2,15})\b".into(),
        // "State: CA", "country=BR": a region or country code after its label.
        RegionCodeLabel => r"(?i-u:\b(?:state|province|country|region|county|country[ _\-]?code)\b)[ \t]*[:=][ \t]*[A-Z]{2,3}\b".into(),
        PinLabel => r"(?i-u:\bpin(?:[ _\-]?(?:code|number|no))?\b)[ \t]*[:=#]?[ \t]*(?i-u:is[ \t]+)?([0-9]{4,8})\b".into(),
        CvvLabel => r"(?i-u:\b(?:cvv2?|cvc2?|csc|cid|security[ _\-]?code|card[ _\-]?verification(?:[ _\-]?code)?)\b)[ \t]*[:=#]?[ \t]*(?i-u:is[ \t]+)?([0-9]{3,4})\b".into(),
        PostcodeLabel => r"(?i-u:\b(?:zip|zip[ _\-]?code|post[ _\-]?code|postal[ _\-]?code)\b)[ \t]*[:=#]?[ \t]*(?i-u:is[ \t]+)?([0-9]{4,5}(?:-[0-9]{4})?)\b".into(),
        NameLabel => format!(
            r"(?i-u:\b(?:full[ _\-]?name|first[ _\-]?name|last[ _\-]?name|given[ _\-]?name|sur[ _\-]?name|family[ _\-]?name|name)\b)[ \t]*[:=\-][ \t]*({NAME_WORD}(?:[ ]{NAME_WORD}){{0,3}})"
        ),
        AgeLabel => r"(?i-u:\bage[ds]?\b)(?:[ \t]*[:=]?[ \t]*|[ \t]+(?i-u:of)[ \t]+)([0-9]{1,3})\b".into(),
        // "just turned 34", "when she was 19", "I'm 42": the number after a verb of being
        // or turning; the classifier drops counts ("she was 5 minutes late").
        AgeVerb => r"(?i-u:\b(?:turn(?:ed|s|ing)?|(?:i|he|she)[ ]+(?:was|am|is)|i'm|he's|she's)\b)[ ]+(?:(?i-u:now|just|only|almost|nearly|about)[ ]+)?([0-9]{1,3})\b".into(),
        // "Chinonso Obi, 19, from", "Zdeněk Horák (52) is": an age set off after a name.
        // From the comma or bracket on; the capitalised word before it is read back
        // ([`Shape::head_start`]).
        AgeAppositive => r"(?:,[ ]|[ ]\()([0-9]{1,3})[,).]".into(),
        // Bare "licence" is too often software: it needs "driver's"/"driving" or "no."/"number".
        IdLabel => r"(?i-u:\b(?:(?:driver(?:'?s)?|driving)[ ]+licen[cs]e(?:[ ]+(?:no|nr|number|num|id))?|licen[cs]e[ ]+(?:no|nr|number|num)|dl|passport(?:[ ]+(?:no|nr|number|num|id))?)\b)\.?[ \t]*[:#=]?[ \t]*(?:(?i-u:is)[ \t]+)?([A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9])\b".into(),
        // A plate after a word for it or for the vehicle ("van LK71 XWT", "kenteken
        // GZ-481-K"); the classifier wants letters and digits in it.
        PlateLabel => r"(?i-u:\b(?:(?:licen[cs]e|number|reg(?:istration)?)[ ]+plate|plate|rego|kenteken|kennzeichen|targa|plaque|van|car|vehicle)\b)(?i-u:[ ]+(?:no|nr|number))?\.?[ \t]*[:#=]?[ \t]*(?:(?i-u:is)[ \t]+)?([A-Z0-9]{1,4}(?:[ \-][A-Z0-9]{1,4}){0,3})\b".into(),
        NameTitle => format!(
            r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?[ ]+({NAME_WORD}(?:[ ]{NAME_WORD}){{0,2}})"
        ),
        Address => format!(
            concat!(
                r"\b[0-9]{{1,5}}[A-Za-z]?,?[ ]+",
                r"(?:(?:[0-9]{{1,3}}(?i-u:st|nd|rd|th)|[A-Z][A-Za-z'\-]*)[ ]+){{1,3}}",
                r"{suffix}\b\.?",
                r"(?:,?[ ]+(?i-u:apt|apartment|unit|suite|ste|flat)\.?[ ]*#?[0-9A-Za-z\-]+|,?[ ]+#[0-9A-Za-z\-]+)?",
                r"(?:,[ ]*[A-Z][a-z]+(?:[ ][A-Z][a-z]+){{0,2}}){{0,2}}",
                r"(?:,?[ ]+(?:[A-Z]{{2,3}}[ ]+[0-9]{{4,5}}(?:-[0-9]{{4}})?|[A-Z]{{1,2}}[0-9][A-Z0-9]?[ ][0-9][A-Z]{{2}})\b)?",
            ),
            suffix = STREET_SUFFIX
        ),
        AgeSuffix => r"\b([0-9]{1,3})(?:[ \-](?i-u:years?|yrs?)(?:[ \-](?i-u:old)|[ ](?i-u:of[ ]age))|[ ]?(?i-u:yo|y/o)|[ ](?:Jahre[ ]alt|jaar[ ]oud|år[ ]gam(?:mal|mel)|años[ ]de[ ]edad))\b".into(),
        // The year is optional in both word orders ("24 December", "March 12"), and
        // "March 2024" has no day.
        DateText1 => format!(r"\b[0-9]{{1,2}}\.?(?i-u:st|nd|rd|th)?(?:[ ]?(?:-|\x{{2013}})[ ]?[0-9]{{1,2}}(?i-u:st|nd|rd|th)?)?[ ]+(?:(?i-u:of)[ ]+)?{MONTH}\.?(?:,?[ ]+[0-9]{{4}})?\b"),
        // "9 avril", "3 de marzo de 2024", "15. März": a day and a month of another
        // language. No closing word boundary, which after "ç" or "ü" would need a letter
        // after it; the classifier checks what follows.
        DateForeign => concat!(
            r"\b[0-9]{1,2}(?:er|re)?\.?[ ]+(?:(?i-u:de|di)[ ]+)?",
            r"(?:(?i-u:janvier|enero|gennaio|janeiro|januar|januari|fevrier|febrero|febbraio|fevereiro|februar|februari",
            r"|mars|marzo|marco|maerz|maart|avril|abril|aprile|mai|mayo|maggio|maio|mei|juin|junio|giugno|junho|juni",
            r"|juillet|julio|luglio|julho|juli|aout|agosto|augustus|septembre|septiembre|setiembre|settembre|setembro",
            r"|octobre|octubre|ottobre|outubro|oktober|novembre|noviembre|novembro|decembre|diciembre|dicembre|dezembro|dezember",
            r"|marts|maj|augusti|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|listopada|grudnia",
            r"|maret|agustus|desember|julai|ogos|disember)",
            r"|[Ff]évrier|[Mm]arço|[Mm]ärz|[Aa]oût|[Dd]écembre|[Ww]rześnia|[Pp]aździernika",
            r"|[Oo]cak|[Şş]ubat|[Mm]art|[Nn]isan|[Mm]ayıs|[Hh]aziran|[Tt]emmuz|[Aa]ğustos|[Ee]ylül|[Ee]kim|[Kk]asım|[Aa]ralık)",
            r"(?:[ ]+(?:(?i-u:de|del)[ ]+)?[0-9]{4})?",
        )
        .into(),
        DateText2 => format!(r"\b{MONTH}\.?(?:[ ]+[0-9]{{1,2}}(?i-u:st|nd|rd|th)?(?:,?[ ]+[0-9]{{4}})?|,?[ ]+[0-9]{{4}})\b"),
        // A part of the day belongs to the weekday ("Monday afternoon"); a capitalised
        // abbreviation counts only before a date or time ("Mon 09:40"), and the classifier
        // ends it there.
        // In chat an abbreviation is a day after "on", "this", "next" or "til", or before a
        // part of the day; "sun" and "mon" only before the part of the day.
        Weekday => concat!(
            r"\b(?:(?i-u:(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:[ ](?:morning|afternoon|evening|night|noon|am|pm)|[ ](?:the[ ])?[0-9]{1,2}(?:st|nd|rd|th))?)\b",
            r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?[ ][0-9]",
            r"|(?i-u:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)[ ](?i-u:morning|afternoon|evening|night|nite|am|pm)\b",
            r"|(?i-u:on|this|next|til|till|until)[ ](?i-u:tue|tues|wed|weds|thu|thur|thurs|fri|sat)\b)",
        )
        .into(),
        // Weekdays of other European languages; no closing word boundary (see
        // DateForeign).
        WeekdayForeign => concat!(
            r"\b(?:(?i-u:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|jueves|viernes",
            r"|lunedi|martedi|mercoledi|giovedi|venerdi|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag",
            r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|segunda-feira|quarta-feira|quinta-feira|sexta-feira",
            r"|tisdag|onsdag|torsdag|fredag|mandag|tirsdag|wtorek|czwartek|sobota|sobot\x{119}|niedziela|niedziel\x{119})",
            r"|[Ll]unedì|[Mm]artedì|[Mm]ercoledì|[Gg]iovedì|[Vv]enerdì|[Mm]iércoles|[Ss]ábado|[Tt]erça-feira",
            r"|[Mm]åndag|[Ll]ördag|[Ss]öndag|[Ll]ørdag|[Ss]øndag|[Pp]oniedziałek|[Śś]roda|[Śś]rodę|[Pp]iątek|[Pp]iątku",
            // Italian, Czech and Turkish; "domingo" only in lower case, as a name is written
            // with a capital.
            r"|[Ss]abato|[Dd]omenica|domingo|[Pp]ondělí|[Úú]terý|[Ss]tředa|[Čč]tvrtek|[Pp]átek|[Nn]eděle",
            r"|[Pp]azartesi|[Çç]arşamba|[Pp]erşembe|[Cc]umartesi)",
        )
        .into(),
        // A month named alone ("in January", "until April"): the classifier reads the word
        // before it. After the dated shapes, so "March 2024" is read whole.
        MonthName => r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b".into(),
        // "on the 22nd": a day of the month named alone; after the dated shapes, so "22nd
        // of May" is read whole.
        OrdinalDay => r"\b[0-9]{1,2}(?:st|nd|rd|th)\b".into(),
        DateIso => format!(r"\b[0-9]{{4}}[\-/.][0-9]{{1,2}}[\-/.][0-9]{{1,2}}(?:[T ][0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}}(?:[.,][0-9]{{1,9}})?)?(?:[ ]?Z|[ ]?[+\-][0-9]{{2}}:?[0-9]{{2}}|[ ](?:{ZONES}))?)?\b"),
        // Log stamps: syslog's "Jun 12 03:17:44" and the web server's
        // "05/Aug/2024:13:27:40 +0300".
        DateLog => format!(r"\b(?:{MONTH}[ ]{{1,2}}[0-9]{{1,2}}[ ][0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}|[0-9]{{2}}/{MONTH}/[0-9]{{4}}:[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(?:[ ][+\-][0-9]{{4}})?)\b"),
        // Two-digit years only with slashes, so "10.34.88.243" is never tried as a date.
        DateNumeric => r"\b[0-9]{1,2}(?:[\-.][0-9]{1,2}[\-.][0-9]{4}|/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2}))\b".into(),
        Expiry => r"\b(?:0?[1-9]|1[0-2])[ ]?/[ ]?(?:20)?[0-9]{2}\b".into(),
        // "scheduled 22/05", "by 5/6": a day and month without a year; the classifier
        // wants a word of time before it, since such pairs are as often fractions.
        DayMonth => r"\b[0-9]{1,2}/[0-9]{1,2}\b".into(),
        // "415-555-0199x12", "+44 20 7946 0958 ext. 204": the number is read without its
        // extension by the other phone shapes' rules. Lengths are checked there: a bounded
        // repeat here would multiply the states of the combined DFA.
        PhoneExt => r"(?:\+[0-9]|\([0-9]|\b[0-9])[0-9 ()\-.]*[0-9][ ]?(?i-u:x|ext\.?|extn\.?|extension)[ ]?[0-9]{1,5}\b".into(),
        PhoneIntl => r"\+[0-9]{1,3}(?:[ \-.]?\(?[0-9]{1,5}\)?){2,6}\b".into(),
        PhoneParen => r"\([0-9]{2,4}\)[ \-.]?[0-9]{3,5}[ \-.]?[0-9]{3,4}\b".into(),
        Mac => r"\b(?:(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})\b".into(),
        // From the first ":" on, like e-mail: the group before it ([`Shape::head_start`])
        // would start on any word of hex letters ("bed", "face").
        Ipv6 => r"(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?:\.[0-9]{1,3}){3})?".into(),
        Time => format!(r"\b(?:(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?\b(?:[ ]?(?i-u:am\b|pm\b|a\.m\.|p\.m\.))?|(?:1[0-2]|0?[1-9])(?:[:.][0-5][0-9])?[ ]?(?i-u:am\b|pm\b|a\.m\.|p\.m\.))(?:[ ](?:{ZONES})\b)?"),
        // "12. 9. 1996", "15. 5.", "08.02.": day and month each closed by a dot, as Czech,
        // Slovak, German and Nordic texts write them; the classifier wants a year, two
        // digits each, or a word of time before them.
        DateDotted => r"\b[0-9]{1,2}\.[ ]?[0-9]{1,2}\.(?:[ ]?[0-9]{4})?".into(),
        // "9h15", "19h", "17 Uhr", "8 uur": clock times of French, Portuguese, German and
        // Dutch; the classifier wants minutes, "Uhr" or a word of time before the rest.
        TimeForeign => r"\b(?:[01]?[0-9]|2[0-3])(?:h(?:[0-5][0-9])?|[ ](?:Uhr|uur))\b".into(),
        // "at work til 6", "alle 10!": an hour without minutes is a time only after a word
        // that places it in the day; the classifier wants the phrase to end there.
        HourAfterWord => r"\b(?i-u:til|till|until|after|before|at|alle|dalle|ore|um|om|las)[ ](?:[01]?[0-9]|2[0-3])\b".into(),
        IbanSpaced => r"\b[A-Z]{2}[0-9]{2}(?:[ ][A-Z0-9]{4}){2,7}(?:[ ][A-Z0-9]{1,4})?\b".into(),
        Nino => r"\b[A-Z]{2}[ ]?[0-9]{2}[ ]?[0-9]{2}[ ]?[0-9]{2}[ ]?[A-D]\b".into(),
        UkPostcode => r"\b[A-Z]{1,2}[0-9][A-Z0-9]?[ ]?[0-9][A-Z]{2}\b".into(),
        // This and the token and password shapes are matched by hand ([`super::by_hand`]);
        // their patterns here say what that code matches.
        AwsSecret => r"\b[A-Za-z0-9/+]{40}".into(),
        AlnumToken => r"\b(?:[A-Z][A-Z0-9]{7,33}|[0-9]{1,17}[A-Z][A-Z0-9]{0,32})\b".into(),
        // At least five digits in a row, or a separator after the first group: plain
        // small numbers ("in 2023", "3 items") are most matches in prose and never PII on
        // their own; the few short values that are (CVV, PIN, postcode) have label shapes.
        Numeric => r"\b(?:[0-9]{5,}|[0-9]{1,4}[ \-.][0-9])[0-9]*(?:[ \-.][0-9]+)*\b".into(),
        // Last: a four-digit number is tried as a year only when nothing else read it.
        Year => r"\b(?:1[6-9]|20)[0-9]{2}\b".into(),
    }
}

/// Where the local part of an e-mail address whose "@" is at `at` starts: the run of
/// letters, digits and `._%+-` before it (`at` itself when there is none).
fn email_local_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || "._%+-".contains(c))
        .last()
        .map_or(at, |(i, _)| i)
}

/// Where an IPv6 address whose first ":" is at `at` starts: one to four hex digits at the
/// start of a word before it, or nothing when the address opens with "::" after no word.
/// `None` when what precedes is not such a group.
fn ipv6_head_start(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    let hex = b[..at]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    let start = at - hex;
    if hex > 4 || !super::by_hand::no_word_before(b, start) {
        return None;
    }
    // "::1": no group before it, so the address must open with two colons.
    (hex > 0 || b.get(at + 1) == Some(&b':')).then_some(start)
}

/// Where the word before an age set off at `at` ("Obi, 19,", "Horák (52)") starts: the
/// leftmost capital of the run of letters, non-ASCII characters, `'`, `.` and `-` before
/// it. `None` when the run has no capital.
fn appositive_head_start(text: &str, at: usize) -> Option<usize> {
    let word_start = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_alphabetic() || !c.is_ascii() || "'.-".contains(c))
        .last()
        .map(|(i, _)| i)?;
    let word = &text[word_start..at];
    if PERSON_NOUNS.contains(&word) {
        return Some(word_start);
    }
    word.char_indices()
        .find(|&(_, c)| c.is_uppercase())
        .map(|(i, _)| word_start + i)
}

/// Nouns for a person that an age set off by commas or brackets follows ("a Filipino
/// nurse, 34, born in Iloilo", "his gran (91)").
pub(crate) const PERSON_NOUNS: &[&str] = &[
    "man",
    "woman",
    "boy",
    "girl",
    "child",
    "baby",
    "toddler",
    "teenager",
    "teen",
    "son",
    "daughter",
    "mother",
    "father",
    "mum",
    "mom",
    "dad",
    "gran",
    "granny",
    "grandma",
    "grandmother",
    "grandpa",
    "grandfather",
    "grandson",
    "granddaughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "nurse",
    "teacher",
    "student",
    "pupil",
    "patient",
    "driver",
    "pensioner",
    "widow",
    "widower",
    "victim",
    "suspect",
    "cyclist",
    "pedestrian",
    "resident",
];

/// The pattern of every shape, in [`SHAPES`] order, with `\b` made ASCII. With
/// `names_stage` (the names-and-places stage runs and reads street addresses, titled and
/// labelled names with its own grammars), the street-address, title and name-label shapes
/// match nothing: their Unicode word classes make most of the combined automaton's states.
/// Without it, names in lower case after a greeting, read from the stage's name lists,
/// are not looked for either.
/// The shapes found [`by_hand`](super::by_hand) match nothing here either, and a token
/// only its trigger.
pub(crate) fn shape_sources(names_stage: bool) -> Vec<String> {
    sources(names_stage, true)
}

/// [`shape_sources`] as one regex would have them, with the shapes found by hand in it:
/// what the combined matches must agree with.
#[cfg(test)]
pub(crate) fn one_regex_sources(names_stage: bool) -> Vec<String> {
    sources(names_stage, false)
}

fn sources(names_stage: bool, by_hand: bool) -> Vec<String> {
    SHAPES
        .iter()
        .map(|&s| {
            let stage_reads = matches!(s, Shape::Address | Shape::NameTitle | Shape::NameLabel);
            if stage_reads && names_stage
                || s == Shape::GreetingName && !names_stage
                || by_hand && s.by_hand()
            {
                return NOTHING.to_string();
            }
            if by_hand && s == Shape::AlnumToken {
                return super::by_hand::TOKEN_TRIGGER.to_string();
            }
            regex_source(s)
        })
        .collect()
}

/// The pattern of one shape with `\b` made ASCII; for the shapes found by hand, what
/// that code matches.
pub(crate) fn regex_source(shape: Shape) -> String {
    source(shape)
        .replace(r"\b", r"(?-u:\b)")
        .replace(r"\B", r"(?-u:\B)")
}

/// The pattern of every shape, the ones found by hand included, for tests that compare
/// readings of the regex's matches.
#[cfg(test)]
pub(crate) fn all_regex_sources() -> Vec<String> {
    SHAPES.iter().map(|&s| regex_source(s)).collect()
}

/// A pattern that matches nothing (an empty class), keeping the pattern ids in order.
const NOTHING: &str = "[a&&b]";

/// `sources` (a policy's custom patterns, then [`shape_sources`]) as one `meta::Regex`,
/// pattern ids in their order: what the detector's own search engines must agree with, and
/// the exact check of a coarse shape ([`crate::coarse_shapes`]).
pub(crate) fn build_regex(sources: &[String]) -> Result<Regex, crate::DetectError> {
    meta::Builder::new()
        .syntax(syntax_config())
        .build_many(sources)
        .map_err(|e| crate::DetectError::Config(format!("patterns: {e}")))
}

/// `sources` parsed once, for the forward regex and the reverse automaton of match starts
/// both: parsing ~40 shapes three times over was a tenth of a detector's start-up.
pub(crate) fn parse_sources(sources: &[String]) -> Result<Vec<Hir>, crate::DetectError> {
    let config = syntax_config();
    sources
        .iter()
        .map(|s| {
            syntax::parse_with(s, &config)
                .map_err(|e| crate::DetectError::Config(format!("patterns: {e}")))
        })
        .collect()
}

fn syntax_config() -> syntax::Config {
    syntax::Config::new().utf8(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_shapes_compile_in_order() {
        let re = build_regex(&shape_sources(false)).unwrap();
        assert_eq!(re.pattern_len(), SHAPES.len());
    }

    #[test]
    fn can_start_agrees_with_the_regex() {
        // Every byte a shape is said not to start with really cannot start a match.
        let re = build_regex(&shape_sources(false)).unwrap();
        let samples = [
            "https://x.io",
            "a@b.co",
            "Dr Ann",
            "12 Main Street",
            "+44 20 7946 0958",
            "(555) 123-4567",
            "fe80::1",
            "::1",
            "GB82 WEST 1234 5698 7654 32",
            "AB123456C",
            "SW1A 1AA",
            "4111111111111111",
            "age 42",
        ];
        for text in samples {
            let input = regex_automata::Input::new(text).anchored(regex_automata::Anchored::Yes);
            if let Some(m) = re.search(&input) {
                let shape = SHAPES[m.pattern().as_usize()];
                assert!(shape.can_start(text.as_bytes()[0]), "{shape:?} on {text:?}");
            }
        }
    }

    #[test]
    fn a_foreign_weekday_can_start_with_an_accented_letter() {
        // An ASCII word boundary before a non-ASCII letter needs a word byte before it.
        let re = build_regex(&shape_sources(false)).unwrap();
        for text in ["xŚroda", "xúterý", "xČtvrtek", "xçarşamba"] {
            let input = regex_automata::Input::new(text)
                .range(1..)
                .anchored(regex_automata::Anchored::Yes);
            let m = re.search(&input).expect(text);
            assert_eq!(SHAPES[m.pattern().as_usize()], Shape::WeekdayForeign);
            assert!(
                Shape::WeekdayForeign.can_start(text.as_bytes()[1]),
                "{text:?}"
            );
        }
    }

    #[test]
    fn shapes_slice_matches_declaration_order() {
        for (i, s) in SHAPES.iter().enumerate() {
            assert_eq!(*s as usize, i, "{s:?}");
        }
    }
}
