//! The duty screen's pickers: the further topics, the referral, an optional
//! field's value and the place, each item with its key.

use super::{App, DIGIT_TOPICS, Modal};
use crate::error::Error;
use crate::keys::PICKER_KEYS;

/// What a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// Topics beyond the first nine (multi-select).
    MoreTopics,
    Referral,
    /// The n-th optional field of the profile.
    Field(usize),
    Location,
}

/// One item of a picker, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerItem {
    pub key: char,
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl App {
    pub(super) fn toggle_topic(&mut self, i: usize) {
        let Some(d) = self.duty.as_mut() else { return };
        let Some(key) = d.profile.active_topics().nth(i).map(|t| t.key.clone()) else {
            return;
        };
        d.form
            .toggle_topic(&key, d.profile.topics.iter().map(|t| t.key.as_str()));
    }

    pub(super) fn open_picker(&mut self, kind: PickerKind) {
        let has_items = !self.picker_items(kind).is_empty();
        if let Some(d) = self.duty.as_mut()
            && has_items
        {
            d.modal = Some(Modal::Picker(kind));
        }
    }

    /// The items a picker offers, with their keys.
    pub fn picker_items(&self, kind: PickerKind) -> Vec<PickerItem> {
        let Some(d) = self.duty.as_ref() else {
            return Vec::new();
        };
        let lang = self.lang;
        let p = &d.profile;
        let items: Vec<(String, String, bool)> = match kind {
            PickerKind::MoreTopics => p
                .active_topics()
                .skip(DIGIT_TOPICS)
                .map(|t| {
                    (
                        t.key.clone(),
                        t.label(lang).to_string(),
                        d.form.topics.contains(&t.key),
                    )
                })
                .collect(),
            PickerKind::Referral => p
                .referrals
                .iter()
                .filter(|r| !r.retired)
                .map(|r| {
                    let sel = d.form.referral.as_deref() == Some(&r.key);
                    (r.key.clone(), r.label(lang).to_string(), sel)
                })
                .collect(),
            PickerKind::Field(i) => match p.fields.get(i) {
                None => Vec::new(),
                Some(f) => f
                    .options
                    .iter()
                    .filter(|o| !o.retired)
                    .map(|o| {
                        let sel = d.form.fields.get(&f.key) == Some(&o.key);
                        (o.key.clone(), o.label(lang).to_string(), sel)
                    })
                    .collect(),
            },
            PickerKind::Location => p
                .locations
                .iter()
                .map(|l| (l.clone(), l.clone(), *l == d.session.location))
                .collect(),
        };
        items
            .into_iter()
            .zip(PICKER_KEYS.chars())
            .map(|((value, label, selected), key)| PickerItem {
                key,
                value,
                label,
                selected,
            })
            .collect()
    }

    pub(super) fn pick(&mut self, i: usize) -> Result<(), Error> {
        let Some(Modal::Picker(kind)) = self.duty.as_ref().and_then(|d| d.modal.clone()) else {
            return Ok(());
        };
        let Some(item) = self.picker_items(kind).into_iter().nth(i) else {
            return Ok(());
        };
        let Some(d) = self.duty.as_mut() else {
            return Ok(());
        };
        match kind {
            PickerKind::MoreTopics => {
                // Stays open: several further topics may apply.
                d.form
                    .toggle_topic(&item.value, d.profile.topics.iter().map(|t| t.key.as_str()));
                return Ok(());
            }
            PickerKind::Referral => d.form.referral = Some(item.value),
            PickerKind::Field(f) => {
                let key = d.profile.fields[f].key.clone();
                d.form.fields.insert(key, item.value);
            }
            PickerKind::Location => {
                d.modal = None;
                return self.change_location(&item.value);
            }
        }
        d.modal = None;
        Ok(())
    }

    pub(super) fn clear_pick(&mut self) {
        let Some(d) = self.duty.as_mut() else { return };
        match d.modal {
            Some(Modal::Picker(PickerKind::Referral)) => d.form.referral = None,
            Some(Modal::Picker(PickerKind::Field(f))) => {
                let key = d.profile.fields[f].key.clone();
                d.form.fields.remove(&key);
            }
            _ => return,
        }
        d.modal = None;
    }
}
