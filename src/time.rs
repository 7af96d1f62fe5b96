//! RFC 3339 timestamps: the strict check for dates sent to Airflow, and formatting for run ids.

/// Checks an RFC 3339 date-time with a time zone (`2024-01-01T00:00:00Z`, `...+02:00`,
/// fractional seconds allowed). Returns what is wrong otherwise.
///
/// `leap_second` allows `:60` (JSON Schema's `date-time` does; Airflow's servers do not).
pub(crate) fn check_date_time(s: &str, leap_second: bool) -> Result<(), &'static str> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return Err("is too short for an RFC 3339 date-time such as 2024-01-01T00:00:00Z");
    }
    check_date_bytes(&b[..10])?;
    if !matches!(b[10], b'T' | b't') {
        return Err("needs a 'T' between the date and the time, e.g. 2024-01-01T00:00:00Z");
    }
    let (hour, minute, second) = (num(&b[11..13]), num(&b[14..16]), num(&b[17..19]));
    if b[13] != b':' || b[16] != b':' || hour.is_none() || minute.is_none() || second.is_none() {
        return Err("needs a time written HH:MM:SS, e.g. 2024-01-01T00:00:00Z");
    }
    let (hour, minute, second) = (hour.unwrap_or(0), minute.unwrap_or(0), second.unwrap_or(0));
    if hour > 23 || minute > 59 || second > 60 || (second == 60 && !leap_second) {
        return Err("has an hour, minute or second out of range");
    }
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err("has a '.' with no fractional digits after it");
        }
        rest = &rest[1 + digits..];
    }
    let offset_minutes = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (oh, om) = match (num(&[*h1, *h2]), num(&[*m1, *m2])) {
                (Some(oh), Some(om)) if oh <= 23 && om <= 59 => (oh, om),
                _ => return Err("has a time zone offset out of range"),
            };
            let total = (oh * 60 + om) as i32;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        [] => return Err("has no time zone; add 'Z' for UTC or an offset such as +02:00"),
        _ => return Err("has an invalid time zone; use 'Z' or an offset such as +02:00"),
    };
    // A leap second is only valid at 23:59:60 UTC.
    if second == 60 {
        let utc_minutes = (hour as i32 * 60 + minute as i32 - offset_minutes).rem_euclid(1440);
        if utc_minutes != 23 * 60 + 59 {
            return Err("has a leap second that is not at 23:59:60 UTC");
        }
    }
    Ok(())
}

/// Checks a full date `YYYY-MM-DD` (RFC 3339 `full-date`), including days in the month.
pub(crate) fn check_date_bytes(b: &[u8]) -> Result<(), &'static str> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err("needs a date written YYYY-MM-DD");
    }
    let (year, month, day) = match (num(&b[0..4]), num(&b[5..7]), num(&b[8..10])) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err("needs a date written YYYY-MM-DD"),
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err("is not a calendar date");
    }
    Ok(())
}

fn num(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| d.is_ascii_digit().then(|| acc * 10 + (d - b'0') as u32))
}

pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Formats milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn format_utc_millis(millis: u64) -> String {
    let secs = millis / 1000;
    let days = (secs / 86_400) as i64;
    let tod = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        tod / 3600,
        tod % 3600 / 60,
        tod % 60,
        millis % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_date_times() {
        for ok in [
            "2024-01-01T00:00:00Z",
            "2024-01-01t00:00:00z",
            "2024-02-29T23:59:59.123456+02:00",
            "1999-12-31T23:59:59-05:30",
        ] {
            assert_eq!(check_date_time(ok, false), Ok(()), "{ok}");
        }
        assert_eq!(check_date_time("1998-12-31T23:59:60Z", true), Ok(()));
        assert_eq!(check_date_time("1998-12-31T15:59:60-08:00", true), Ok(()));
    }

    #[test]
    fn invalid_date_times() {
        for (bad, why) in [
            ("2024-01-01T00:00:00", "no time zone"),
            ("2024-01-01 00:00:00Z", "'T'"),
            ("2023-02-29T00:00:00Z", "calendar"),
            ("2024-13-01T00:00:00Z", "calendar"),
            ("2024-01-01T24:00:00Z", "out of range"),
            ("2024-01-01T00:00:00.Z", "fractional"),
            ("2024-01-01T00:00:00+0200", "invalid time zone"),
            ("2024-01-01T00:00:00+24:00", "offset out of range"),
            ("2024-01-01", "too short"),
            ("1998-12-31T23:59:60Z", "out of range"),
            ("١٢٣٤-01-01T00:00:00Z", "YYYY-MM-DD"),
            ("2024-01-0éT00:00:00Z", "YYYY-MM-DD"),
        ] {
            let err = check_date_time(bad, false).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
        assert!(check_date_time("1998-12-31T22:59:60Z", true).is_err());
    }

    #[test]
    fn formats_epoch_millis() {
        assert_eq!(format_utc_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(format_utc_millis(1_795_482_201_009), "2026-11-24T01:03:21.009Z");
    }
}
