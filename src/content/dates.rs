//! Front matter dates: `2025-02-11`, `2025-02-11 18:30` or RFC 3339, in the site's zone when
//! no offset is written.

use jiff::Zoned;
use jiff::tz::TimeZone;

/// Reads a date as writers type it; `None` if it is none of the accepted forms.
pub(super) fn parse_date(text: &str, zone: &TimeZone) -> Option<Zoned> {
    let text = text.trim();
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(timestamp.to_zoned(zone.clone()));
    }
    if let Ok(datetime) = text.parse::<jiff::civil::DateTime>() {
        return datetime.to_zoned(zone.clone()).ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    #[test]
    fn accepts_the_three_forms() {
        let day = parse_date("2025-02-11", &paris()).unwrap();
        assert_eq!(day.to_string(), "2025-02-11T00:00:00+01:00[Europe/Paris]");
        let minute = parse_date("2025-02-11 18:30", &paris()).unwrap();
        assert_eq!(minute.timestamp().to_string(), "2025-02-11T17:30:00Z");
        let rfc = parse_date("2025-02-11T18:30:00-05:00", &paris()).unwrap();
        assert_eq!(rfc.timestamp().to_string(), "2025-02-11T23:30:00Z");
        assert_eq!(rfc.time_zone(), &paris());
    }

    #[test]
    fn refuses_nonsense() {
        assert!(parse_date("11/02/2025", &paris()).is_none());
        assert!(parse_date("2025-02-30", &paris()).is_none());
        assert!(parse_date("", &paris()).is_none());
    }
}
