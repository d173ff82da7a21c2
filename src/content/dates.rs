//! Front matter dates: `2025-02-11`, `2025-02-11 18:30` or RFC 3339, in the site's zone when
//! no offset is written.

use jiff::Zoned;
use jiff::tz::TimeZone;

/// Reads a date as writers type it; `None` if it is none of the accepted forms, or falls
/// outside the years 1 to 9999 (which feeds and sitemaps can write).
pub(super) fn parse_date(text: &str, zone: &TimeZone) -> Option<Zoned> {
    let text = text.trim();
    let zoned = if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        timestamp.to_zoned(zone.clone())
    } else {
        let datetime = text.parse::<jiff::civil::DateTime>().ok()?;
        datetime.to_zoned(zone.clone()).ok()?
    };
    let in_utc = zoned.timestamp().to_zoned(TimeZone::UTC);
    (zoned.year() >= 1 && in_utc.year() >= 1).then_some(zoned)
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
        for out_of_range in [
            "0000-01-01",
            "-0001-01-01",
            "10000-01-01",
            "99999-01-01",
            "2025-13-01",
            "2025-01-32",
            "99999999999999",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-23:00",
        ] {
            assert!(
                parse_date(out_of_range, &paris()).is_none(),
                "{out_of_range}"
            );
        }
        assert!(parse_date("0001-01-01T00:00:00Z", &TimeZone::UTC).is_some());
        assert!(parse_date("9999-12-30", &TimeZone::UTC).is_some());
    }
}
