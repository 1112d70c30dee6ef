//! The shapes found by the single multi-pattern pass, and the classifiers that turn one
//! shape match into typed candidates.
//!
//! Leftmost-first semantics decide which shape wins where several could start at the same
//! byte, so the order of [`SHAPES`] is a preference order: specific and labelled shapes
//! first, the catch-all numeric and upper-case tokens last (a rejected match is retried
//! with the later shapes anchored at the same start, see `pattern_detector`). Broad shapes
//! such as "a run of digits with separators" deliberately stand for many types at once so
//! that types which overlap in form (a 9-digit run can be an SSN, a routing number or a SIN)
//! are decided by validators and context rather than by pattern order.
//!
//! Every pattern matches ASCII only, except name and password values, so matches always lie
//! on char boundaries; word boundaries are ASCII (`(?-u:\b)`) to keep the lazy DFA on its
//! fast path for non-ASCII text.

mod by_hand;
mod candidate;
mod codes;
mod ids;
mod labels;
mod national;
mod neighbours;
mod network;
mod numeric;
mod phones;
mod shapes;
mod starts;
mod temporal;
mod text;

pub(crate) use by_hand::{BY_HAND, find as find_by_hand, match_at as match_by_hand};
pub(crate) use candidate::{Candidate, Deferred};
pub(crate) use labels::quick_value;
pub(crate) use numeric::space_cuts;
#[cfg(test)]
pub(crate) use shapes::one_regex_sources;
pub(crate) use shapes::{SHAPES, Shape, build_regex, parse_sources, regex_source, shape_sources};
pub(crate) use starts::{ReadBack, start_reader};

/// Pushes the typed candidates for one shape match `text[start..end]` into `out`.
/// `value` is the span of capture group 1 for labelled shapes.
pub(crate) fn classify(
    shape: Shape,
    text: &str,
    start: usize,
    end: usize,
    value: Option<(usize, usize)>,
    out: &mut Vec<Candidate>,
) {
    use Shape::*;
    match shape {
        Url => text::url(text, start, end, out),
        PasswordSaid => text::password_said(text, start, end, out),
        UsernameSaid => text::username_said(text, start, end, out),
        GreetingName => text::greeting_name(text, start, end, out),
        RegionCodeLabel => text::region_code(text, start, end, out),
        Email => text::email(text, start, end, out),
        Mention => text::mention(text, start, end, out),
        PasswordLabel | UsernameLabel | PinLabel | CvvLabel | PostcodeLabel | NameLabel
        | NameTitle | AgeLabel | AgeVerb | AgeAppositive | AgeSuffix => {
            if let Some((vs, ve)) = value {
                text::labelled(shape, text, vs, ve, out);
            }
        }
        IdLabel => {
            if let Some((vs, ve)) = value {
                ids::labelled_id(text, start, vs, ve, out);
            }
        }
        PlateLabel => {
            if let Some((vs, ve)) = value {
                ids::labelled_plate(text, vs, ve, out);
            }
        }
        Address => text::address(text, start, end, out),
        DateText1 | DateText2 | DateForeign => text::date_words(text, start, end, out),
        Weekday => temporal::weekday(text, start, end, out),
        WeekdayForeign => temporal::foreign_weekday(text, start, end, out),
        MonthName => temporal::month(text, start, end, out),
        OrdinalDay => temporal::ordinal_day(text, start, end, out),
        Time => temporal::time(text, start, end, out),
        TimeForeign => temporal::foreign_time(text, start, end, out),
        HourAfterWord => temporal::hour_after_word(text, start, end, out),
        Year => temporal::year(text, start, end, out),
        DateIso => text::date_iso(text, start, end, out),
        DateLog => temporal::log_stamp(text, start, end, out),
        DateNumeric => text::date_numeric(text, start, end, out),
        DateDotted => text::date_dotted(text, start, end, out),
        Expiry => {
            text::expiry(text, start, end, out);
            text::day_month(text, start, end, out);
        }
        DayMonth => text::day_month(text, start, end, out),
        PhoneExt => phones::with_extension(text, start, end, out),
        PhoneIntl => network::phone_intl(text, start, end, out),
        PhoneParen => network::phone_paren(text, start, end, out),
        Mac => network::mac(text, start, end, out),
        Ipv6 => network::ipv6(text, start, end, out),
        IbanSpaced => codes::iban_spaced(text, start, end, out),
        Nino => codes::nino(text, start, end, out),
        UkPostcode => codes::uk_postcode(text, start, end, out),
        AwsSecret => codes::aws_secret(text, start, end, out),
        AlnumToken => codes::alnum_token(text, start, end, out),
        Numeric => numeric::numeric(text, start, end, out),
    }
}

/// The byte after `end`, if any.
pub(crate) fn next_byte(text: &str, end: usize) -> Option<u8> {
    text.as_bytes().get(end).copied()
}
