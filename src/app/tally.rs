//! The day tally (`t`): the day's figures as `tiski tally --date` gives
//! them, ←→ an earlier or later day (never past today), and its rows in
//! three columns that ↑↓ and PgUp PgDn scroll together when they do not
//! fit the window.

use chrono::{Duration, NaiveDate};

use super::{App, MIN_HEIGHT, MIN_WIDTH, View};
use crate::error::Error;
use crate::i18n::Word;
use crate::report::{UNRECORDED, ranked};

/// A row of the tally: its label, its short label, its count.
pub type Row = (String, String, u32);
/// A titled list of rows.
pub type Section = (String, Vec<Row>);

impl App {
    /// `t`: today's tally, from the top.
    pub(super) fn show_tally(&mut self) -> Result<(), Error> {
        let today = self.now.date();
        self.load_tally(today)?;
        self.view = View::Tally;
        Ok(())
    }

    /// ←→: the day before or after, up to today.
    pub(super) fn step_tally_day(&mut self, days: i32) -> Result<(), Error> {
        let today = self.now.date();
        let Some(shown) = self.duty.as_ref().and_then(|d| d.tally.as_ref()) else {
            return Ok(());
        };
        // From the first day a report takes (2000) up to today.
        let first = crate::clock::first_day();
        let day = (shown.date + Duration::days(i64::from(days)))
            .min(today)
            .max(first.min(today));
        if day != shown.date {
            self.load_tally(day)?;
        }
        Ok(())
    }

    fn load_tally(&mut self, day: NaiveDate) -> Result<(), Error> {
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        // The one definition of a day's figures, as `tiski tally` has it.
        d.tally = Some(self.store.day_tally(&d.profile, day)?);
        d.tally_offset = 0;
        Ok(())
    }

    /// ↑↓ (a row) and PgUp PgDn (a window): scrolls the columns, as far as
    /// the longest one needs.
    pub(super) fn scroll_tally(&mut self, rows: i32, pages: i32) {
        let height = self.tally_body_height() as i32;
        let longest = self
            .tally_columns()
            .iter()
            .map(|c| column_lines(c) as i32)
            .max()
            .unwrap_or(0);
        let Some(d) = self.duty.as_mut() else { return };
        let max = (longest - height).max(0);
        let step = rows + pages * height.saturating_sub(1).max(1);
        d.tally_offset = (d.tally_offset as i32 + step).clamp(0, max) as usize;
    }

    /// The rows the tally's head takes: title, visitors, the comparison,
    /// and the head-counts and vouchers when there are any.
    pub fn tally_head_height(&self) -> u16 {
        let Some(d) = self.duty.as_ref() else {
            return 0;
        };
        let heads = d.tally.as_ref().is_some_and(|t| t.head_counts > 0);
        3 + u16::from(d.vouchers.season.is_some()) + u16::from(heads)
    }

    /// The rows left for the columns in the window.
    pub fn tally_body_height(&self) -> u16 {
        let (width, height) = self.size.unwrap_or((MIN_WIDTH, MIN_HEIGHT));
        height.saturating_sub(self.tally_head_height() + self.bottom_rows(width))
    }

    /// The tally's columns: topics (and fields), referrals (and fields),
    /// hours. Each field goes under the shorter of the first two.
    pub fn tally_columns(&self) -> [Vec<Section>; 3] {
        let (Some(d), lang) = (self.duty.as_ref(), self.lang) else {
            return Default::default();
        };
        let Some(tally) = &d.tally else {
            return Default::default();
        };
        let t = self.texts();
        let p = &d.profile;
        let order: Vec<&str> = p.topics.iter().map(|t| t.key.as_str()).collect();
        let rows: Vec<Row> = ranked(&tally.topics, &order)
            .into_iter()
            .map(|(k, n)| {
                (
                    p.topic_label(k, lang).into(),
                    p.topic_short(k, lang).into(),
                    n,
                )
            })
            .collect();
        let mut left = vec![(t.topics().to_string(), rows)];
        let order: Vec<&str> = p.referrals.iter().map(|t| t.key.as_str()).collect();
        let rows: Vec<Row> = ranked(&tally.referrals, &order)
            .into_iter()
            .map(|(k, n)| {
                let full = p.referral_label(k, lang).into();
                (full, p.referral_short(k, lang).into(), n)
            })
            .collect();
        let mut middle = vec![(t.referrals().to_string(), rows)];
        // The profile's own fields (channel, language, interpreting, …).
        let unrecorded = t.word(Word::Unrecorded);
        for f in &p.fields {
            let order: Vec<&str> = f.options.iter().map(|o| o.key.as_str()).collect();
            let rows: Vec<Row> = tally
                .fields
                .get(&f.key)
                .map(|c| ranked(c, &order))
                .unwrap_or_default()
                .into_iter()
                .map(|(k, n)| {
                    let (full, short) = match f.option(k) {
                        Some(o) => (o.label(lang), o.short_label(lang)),
                        None if k == UNRECORDED => (unrecorded, unrecorded),
                        None => (k, k),
                    };
                    (full.to_string(), short.to_string(), n)
                })
                .collect();
            let weight =
                |c: &[Section]| -> usize { c.iter().map(|(_, r)| r.len().max(1) + 2).sum() };
            let column = if weight(&middle) < weight(&left) {
                &mut middle
            } else {
                &mut left
            };
            column.push((f.label(lang).to_string(), rows));
        }
        let rows: Vec<Row> = tally
            .hours
            .iter()
            .map(|(h, n)| {
                let label = format!("{h:02}–{:02}", h + 1);
                (label.clone(), label, *n)
            })
            .collect();
        [left, middle, vec![(t.by_hour().to_string(), rows)]]
    }
}

/// The lines a column of sections takes: a title per section, its rows
/// (a `–` for none), a blank line between sections.
pub fn column_lines(sections: &[Section]) -> usize {
    let lines: usize = sections.iter().map(|(_, r)| r.len().max(1) + 1).sum();
    lines + sections.len().saturating_sub(1)
}
