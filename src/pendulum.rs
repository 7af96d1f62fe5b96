//! Whether pendulum 3's `parse_iso8601` (its Rust parser, which Airflow 2.11.2 calls) reads a
//! string as a `datetime` that Airflow can use: Airflow 2 accepts such a value for a Param whose
//! `format: date-time` check failed (`Param._warn_if_not_rfc3339_dt`). Forms: a calendar
//! (`2024-01-01`, `20240101`, `2024-01`), ordinal (`2024-001`, `2024001`) or week date
//! (`2024-W01-1`, `2024-W01`, `2024W011`), `T` or a space, `HH[:MM[:SS[.f]]]` (or `HHMM[SS[.f]]`
//! after a basic date), and `Z`, `±HH`, `±HHMM` or `±HH:MM`. `tests/diff_python.rs` checks it
//! against the venv's pendulum.

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += hit as usize;
        hit
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let d = self.b.get(self.i..self.i + n)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(d.iter().fold(0, |acc, &c| acc * 10 + (c - b'0') as u32))
    }

    fn run(&self) -> usize {
        self.b[self.i..].iter().take_while(|c| c.is_ascii_digit()).count()
    }
}

fn leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_year(y: i64) -> i64 {
    365 + leap(y) as i64
}

/// Days from 0001-01-01 (day 0) to year-01-01.
fn year_start(y: i64) -> i64 {
    let p = y - 1;
    p * 365 + p / 4 - p / 100 + p / 400
}

/// Whether the ISO year has 53 weeks (it starts on a Thursday, or a Wednesday in a leap year).
fn long_year(y: i64) -> bool {
    let jan1 = year_start(y).rem_euclid(7); // 0 = Monday
    jan1 == 3 || (jan1 == 2 && leap(y))
}

/// The day of the year of a calendar date, `None` when there is no such date.
fn calendar_ordinal(year: i64, month: u32, day: u32) -> Option<i64> {
    let days = |m| crate::time::days_in_month(year as u32, m);
    ((1..=12).contains(&month) && (1..=days(month)).contains(&day))
        .then(|| (1..month).map(|m| days(m) as i64).sum::<i64>() + day as i64)
}

/// Whether `s` is a datetime for pendulum that Airflow 2 keeps (a date or a time alone is not;
/// an offset of 24 hours or more makes `utcoffset()` raise).
pub(crate) fn is_datetime(s: &str) -> bool {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    let Some(year) = c.digits(4).map(i64::from) else { return false };
    let extended = c.eat(b'-');
    // The day of the year the date falls on (1-based, may leave the year for week dates).
    let ordinal: i64 = if c.eat(b'W') {
        let Some(week) = c.digits(2).map(i64::from) else { return false };
        let weekday = if extended {
            if c.eat(b'-') {
                match c.digits(1) {
                    Some(d) => d as i64,
                    None => return false,
                }
            } else {
                1
            }
        } else {
            c.digits(1).map_or(1, i64::from)
        };
        if weekday > 7 || week > 53 || (week == 53 && !long_year(year)) {
            return false;
        }
        // Monday of week 1 is the Monday on or before January 4th.
        let jan4 = year_start(year) + 3;
        let monday1 = jan4 - jan4.rem_euclid(7);
        monday1 + (week - 1) * 7 + (weekday - 1) - year_start(year) + 1
    } else if extended {
        let Some(month) = c.digits(2) else { return false };
        if c.eat(b'-') {
            let Some(day) = c.digits(2) else { return false };
            let Some(ordinal) = calendar_ordinal(year, month, day) else { return false };
            ordinal
        } else if c.peek().is_some_and(|d| d.is_ascii_digit()) {
            let Some(last) = c.digits(1) else { return false };
            let day = (month * 10 + last) as i64;
            if day < 1 || day > days_in_year(year) {
                return false;
            }
            day
        } else {
            let Some(ordinal) = calendar_ordinal(year, month, 1) else { return false };
            ordinal
        }
    } else {
        match c.run() {
            4 => {
                let (Some(month), Some(day)) = (c.digits(2), c.digits(2)) else { return false };
                let Some(ordinal) = calendar_ordinal(year, month, day) else { return false };
                ordinal
            }
            3 => {
                let Some(day) = c.digits(3).map(i64::from) else { return false };
                if day < 1 || day > days_in_year(year) {
                    return false;
                }
                day
            }
            _ => return false,
        }
    };
    // The date must be in years 1 to 9999.
    let day = year_start(year) + ordinal - 1;
    if year < 1 || day < 0 || day >= year_start(10_000) {
        return false;
    }
    if !(c.eat(b'T') || c.eat(b' ')) {
        return false;
    }
    let Some(hour) = c.digits(2) else { return false };
    // The time is extended (`HH:MM:SS`) or basic (`HHMMSS`) by what follows the hour: basic
    // after an extended date is refused, and so is extended with seconds after a basic date.
    let mut second = 0;
    let digit = |c: &Cursor| c.peek().is_some_and(|d| d.is_ascii_digit());
    let ext_time = match c.peek() {
        Some(b':') => true,
        Some(d) if d.is_ascii_digit() => false,
        _ => return tz(&mut c, hour, 0, 0),
    };
    if ext_time {
        c.i += 1;
    } else if extended {
        return false;
    }
    let Some(minute) = c.digits(2) else { return false };
    let more = if ext_time { c.peek() == Some(b':') } else { digit(&c) };
    if (ext_time && digit(&c)) || (!ext_time && c.peek() == Some(b':')) || (more && ext_time && !extended) {
        return false;
    }
    if more {
        c.i += ext_time as usize;
        let Some(sec) = c.digits(2) else { return false };
        second = sec;
        if !fraction(&mut c) {
            return false;
        }
    }
    tz(&mut c, hour, minute, second)
}

/// The time's ranges and the rest: nothing, `Z`, or an offset under 24 hours.
fn tz(c: &mut Cursor, hour: u32, minute: u32, second: u32) -> bool {
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    match c.peek() {
        None => true,
        Some(b'Z') => c.i + 1 == c.b.len(),
        Some(b'+' | b'-') => {
            c.i += 1;
            let Some(h) = c.digits(2) else { return false };
            c.eat(b':');
            let m = if c.peek().is_some() {
                match c.digits(2) {
                    Some(m) => m,
                    None => return false,
                }
            } else {
                0
            };
            h <= 24 && h * 60 + m < 24 * 60 && c.i == c.b.len()
        }
        Some(_) => false,
    }
}

/// `[.,]` and at least one digit, if there is a separator.
fn fraction(c: &mut Cursor) -> bool {
    if c.eat(b'.') || c.eat(b',') {
        let n = c.run();
        c.i += n;
        return n > 0;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_datetime;

    /// pendulum 3.3.0's `parse_iso8601` in the Airflow 2.11.2 venv, and Airflow's use of it.
    #[test]
    fn answers_as_pendulum() {
        for ok in [
            "2024-001T10:00:00Z",
            "2024-W01-1T10:00:00Z",
            "2024-W01T10",
            "2024W01T1000",
            "2024-01-01T10",
            "20240101T100000",
            "2024-01-01 10:00",
            "2024-01-01T10:00:00,5",
            "2024-01-01T10:00:00+0230",
            "2024W011T10:00",
            "2024-01T10:00",
            "2024-366T10:00",
            "2020-W53-7T00:00",
            "2024-W00-1T00:00",
            "2024-W01-0T00:00",
            "20240101T10:00",
            "2024-01-01T10:00:00+01:",
            "2024-01-01T10:00+00:99",
            "2024001T1000",
        ] {
            assert!(is_datetime(ok), "{ok}");
        }
        for bad in [
            "20240101T10:00:00",
            "2024-01-01T1",
            "2024-01-01T1000",
            "2024-01-01",
            "10:00",
            "2024-01-01T24:00:00",
            "2024-01-01T23:59:60",
            "2024-02-30T10:00",
            "2024T10:00",
            "2023-366T10:00",
            "2021-W53-1T00:00",
            "2024-W01-8T00:00",
            "2024-01-01t10:00:00",
            "2024-01-01T10:00:00z",
            "2024-01-01T10:00:00+24:00",
            "2024-01-01T10:00:00+25",
            "2024-01-01T10.5",
            "0000-01-01T00:00",
            "2024-01-01T10:00:00.",
            "P1D",
            "20240101T1000.5",
            "2024-01-01T10:00:00\n",
        ] {
            assert!(!is_datetime(bad), "{bad}");
        }
    }
}
