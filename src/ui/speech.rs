//! The screen-reader mode's output, pure: from the app before an action
//! (`before`), the action and the app after it, the short lines to say,
//! in the user's language. Nothing is drawn: every state the screen shows
//! by a box, a colour or a place is said in words, every question with its
//! answer keys. The terminal loop (`tui::reader`) prints the lines.
//!
//! Three readings of the app: `full` (the whole view: on entering it and on
//! Space), `focus` (the lines of what has the cursor: a window, a question,
//! the chosen row, the field), and the changes of the duty form (a topic
//! ticked, a field chosen). After an action, what is new in them is said.

mod views;

use crate::app::{Action, App, Duty, Focus, Modal, PickerKind, ReportAction, Status, View};
use crate::domain::{Visit, VisitEntry};
use crate::i18n::Texts;
use crate::locale;

/// What the speech compares an action's result with.
#[derive(Debug, Clone)]
pub struct Before {
    view: View,
    status: Option<Status>,
    modal: bool,
    editing: bool,
    focus: Vec<String>,
    form: Option<VisitEntry>,
    /// The counters: this session, today, the year's sessions and visitors.
    counters: Option<(u32, u32, u32, u32)>,
    today: usize,
    lang: crate::locale::Lang,
}

/// Takes the app's state before an action.
pub fn before(app: &App) -> Before {
    let d = app.duty.as_ref();
    Before {
        view: app.view,
        status: app.status.clone(),
        modal: d.is_some_and(|d| d.modal.is_some()),
        editing: d.is_some_and(|d| d.editing.is_some()),
        focus: focus(app),
        form: d.map(|d| d.form.clone()),
        counters: d.map(counters_of),
        today: d.map_or(0, |d| d.today.len()),
        lang: app.lang,
    }
}

/// What is said when the screen opens.
pub fn opening(app: &App) -> Vec<String> {
    let mut out = vec![app.texts().reader_intro().to_string()];
    out.extend(full(app));
    if let Some(s) = &app.status {
        out.push(status_line(app.texts(), s));
    }
    finish(out)
}

/// The last line, once the screen has ended.
pub fn goodbye(app: &App) -> String {
    app.texts().goodbye().to_string()
}

/// What to say after `action` took the app from `b` to its present state.
pub fn after(b: &Before, action: &Action, app: &App) -> Vec<String> {
    let t = app.texts();
    let mut out = Vec::new();
    let tick = matches!(
        action,
        Action::Tick(_) | Action::Resize(..) | Action::DailyCheck(_)
    );
    let now_focus = focus(app);
    // What the status line says first: it answers the key.
    if let Some(line) = saved_line(b, action, app) {
        out.push(line);
    } else if let Some(s) = &app.status {
        // A key on the screen clears the last message: one there now is
        // new, even when it says the same again.
        let cleared = !tick && !b.modal;
        // A message whose count of seconds moves on the clock's tick (a
        // save waiting for the database) is said once, not every second.
        let moved = b.status.as_ref().is_none_or(|was| {
            was.error != s.error
                || (!tick && was.text != s.text)
                || without_digits(&was.text) != without_digits(&s.text)
        });
        if cleared || moved {
            out.push(status_line(t, s));
            if counts_moved(b, app)
                && let Some(d) = &app.duty
            {
                out.push(counts(t, d));
            }
        }
    }
    let modal_opened =
        !b.modal && app.view == b.view && app.duty.as_ref().is_some_and(|d| d.modal.is_some());
    if matches!(action, Action::ReadBack) {
        out.extend(full(app));
    } else if matches!(action, Action::ScreenReader) {
        out.push(t.reader_on().to_string());
    } else if app.lang != b.lang {
        // Another language chosen: the view is said again, in it.
        out.extend(full(app));
    } else if app.view != b.view {
        out.extend(entered(app, b.view));
    } else if let (Action::Report(ReportAction::NextPanel(_)), Some(d)) = (action, &app.duty) {
        // Tab: the panel with the cursor, said whole.
        out.extend(views::report_panel(app, d));
    } else if matches!(app.view, View::Tally | View::Report) && now_focus.first() != b.focus.first()
    {
        // Another day or period: said whole, as on entering.
        out.extend(full(app));
    } else if modal_opened {
        // A window or a question opened: said whole, with its keys.
        out.extend(
            app.duty
                .as_ref()
                .map(|d| modal(app, d, true))
                .unwrap_or_default(),
        );
    } else if !tick && !matches!(action, Action::Edit(_) | Action::Paste(_)) {
        // Typing is said by the screen reader itself, key by key: only
        // what the field refuses (the status line) is said here. An answer
        // that empties the form (quit anyway) ticks nothing off.
        if !matches!(action, Action::Answer(_)) {
            out.extend(form_changes(b, app));
        }
        // A visit put on the form to be edited: the form is read whole.
        if let Some(d) = app
            .duty
            .as_ref()
            .filter(|d| d.editing.is_some() && !b.editing)
        {
            out.extend(form(app, d));
        }
        let modal_closed = b.modal && app.duty.as_ref().is_some_and(|d| d.modal.is_none());
        let new: Vec<String> = now_focus
            .iter()
            .filter(|l| !b.focus.contains(l))
            // Back from a window onto the form: what changed is said, not
            // the form's name again.
            .filter(|l| !(modal_closed && l.as_str() == t.form_focus()))
            .filter(|l| !out.contains(l))
            .cloned()
            .collect();
        out.extend(new);
        // A dialog, a search or a form over a view closed: what stays
        // was said already.
        let closed =
            now_focus.len() < b.focus.len() && now_focus.iter().all(|l| b.focus.contains(l));
        if (modal_closed || closed) && out.is_empty() && !app.quit {
            out.push(
                match action {
                    Action::Answer(false) => t.cancelled(),
                    _ => t.closed(),
                }
                .to_string(),
            );
        }
    }
    finish(out)
}

/// Lines as printed: control characters shown, the screen's ` · `
/// separators said as commas, nothing empty.
fn finish(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|l| {
            crate::text::clean(&l.replace(" · ", ", "))
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fn without_digits(text: &str) -> String {
    text.chars().filter(|c| !c.is_ascii_digit()).collect()
}

fn status_line(t: &dyn Texts, s: &Status) -> String {
    if s.error {
        t.error_line(&s.text)
    } else {
        s.text.clone()
    }
}

/// The counters moved (a visit undone, deleted, a head-count saved).
fn counts_moved(b: &Before, app: &App) -> bool {
    let now = app.duty.as_ref().map(counters_of);
    b.counters.is_some() && now.is_some() && now != b.counters
}

/// A new visit saved: its time and the counters, in place of the status
/// line's "Tallennettu klo 10.07 · u kumoaa".
fn saved_line(b: &Before, action: &Action, app: &App) -> Option<String> {
    let d = app.duty.as_ref()?;
    if !matches!(action, Action::Save) || d.today.len() <= b.today || app.status.as_ref()?.error {
        return None;
    }
    let visit = d.today.iter().max_by_key(|v| v.id)?;
    let t = app.texts();
    Some(t.saved_line(&locale::time(visit.at, app.lang), &counts(t, d)))
}

fn counters_of(d: &Duty) -> (u32, u32, u32, u32) {
    let c = &d.counters;
    (c.session, c.today, c.year.sessions, c.year.visitors)
}

fn counts(t: &dyn Texts, d: &Duty) -> String {
    let c = &d.counters;
    t.counts(c.session, c.today, c.year.mean(), c.year.sessions)
}

/// The whole view, as Space reads it.
pub fn full(app: &App) -> Vec<String> {
    let Some(d) = app.duty.as_ref().filter(|_| app.view != View::Chooser) else {
        return chooser(app);
    };
    match app.view {
        View::Help => views::help(app, d),
        View::Tally => views::tally(app, d),
        View::Report => views::report(app, d),
        View::Vouchers => views::register(app, d, true),
        View::Events => views::events(app, d, true),
        View::Duty | View::Chooser => match &d.modal {
            Some(_) => modal(app, d, true),
            None => duty(app, d),
        },
    }
}

/// A view entered from `from`: read whole, except the duty screen coming
/// back from another view (its form and counters only).
fn entered(app: &App, from: View) -> Vec<String> {
    match (app.view, app.duty.as_ref()) {
        (View::Duty, Some(d)) if from != View::Chooser && d.modal.is_none() => {
            let t = app.texts();
            vec![t.form_focus().to_string(), counts(t, d)]
        }
        _ => full(app),
    }
}

fn chooser(app: &App) -> Vec<String> {
    use crate::keys::Cmd;
    let t = app.texts();
    let mut out = vec![t.choose_profile_by_number().to_string()];
    for (i, p) in app.config.profiles.values().enumerate() {
        out.push(format!("{} {}", i + 1, p.name(app.lang)));
    }
    // The chooser's other keys, from its key table.
    for k in crate::keys::CHOOSER {
        let said = match k.cmd {
            Cmd::Profile | Cmd::Quit | Cmd::ReadBack => false,
            Cmd::Back => app.switched_from.is_some(),
            Cmd::ScreenReader => !app.reader,
            _ => true,
        };
        if said {
            out.push(t.help_line(&t.key_words(k.label), t.key_help(k.cmd)));
        }
    }
    out
}

/// The duty screen: where, the counters, the form, today's list.
fn duty(app: &App, d: &Duty) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    let started = (!d.pending || d.opens).then(|| locale::time(d.session.started_at, lang));
    let mut out = vec![
        t.duty_place(
            d.profile.name(lang),
            &d.session.location,
            started.as_deref(),
        ),
        counts(t, d),
    ];
    if d.vouchers.season.is_some() {
        out.push(format!(
            "{}.",
            t.tally_vouchers(d.vouchers.today, d.vouchers.in_force)
        ));
    }
    out.extend(form(app, d));
    let keys: Vec<String> = d
        .profile
        .active_topics()
        .take(crate::app::DIGIT_TOPICS)
        .enumerate()
        .map(|(i, topic)| format!("{} {}", i + 1, topic.short_label(lang)))
        .chain(
            (d.profile.active_topics().count() > crate::app::DIGIT_TOPICS)
                .then(|| format!("0 {}", t.more_topics())),
        )
        .collect();
    out.push(t.topic_keys(&keys.join(", ")));
    if d.today.is_empty() {
        out.push(t.no_visits_yet().to_string());
    } else {
        out.push(t.list_intro(d.today.len()));
        if d.focus == Focus::List {
            out.extend(selected_visit(app, d));
        }
    }
    out
}

/// The form read back: what it edits, its topics, fields and note.
fn form(app: &App, d: &Duty) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    let f = &d.form;
    let mut out = vec![match &d.editing {
        Some((id, _)) => t.editing(&edit_time(app, d, *id)),
        None => t.form_focus().to_string(),
    }];
    let topics: Vec<&str> = f
        .topics
        .iter()
        .map(|k| d.profile.topic_label(k, lang))
        .collect();
    out.push(if topics.is_empty() {
        t.form_no_topics().to_string()
    } else {
        t.form_topics(&topics.join(", "))
    });
    out.extend(field_lines(app, d, f, None));
    out.push(t.note_set(&f.note));
    out
}

/// The time of the visit being edited (a new one typed, or its own).
fn edit_time(app: &App, d: &Duty, id: crate::domain::VisitId) -> String {
    d.edit_at
        .or(d.today.iter().find(|v| v.id == id).map(|v| v.at))
        .map(|a| locale::time(a, app.lang))
        .unwrap_or_default()
}

/// The referral and each field, as "Ohjattu: Kela."; with `was`, only
/// those that differ from it.
fn field_lines(app: &App, d: &Duty, f: &VisitEntry, was: Option<&VisitEntry>) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    let mut out = Vec::new();
    if was.is_none_or(|w| w.referral != f.referral) {
        let value = f
            .referral
            .as_deref()
            .map_or(t.not_chosen(), |k| d.profile.referral_label(k, lang));
        out.push(t.field_value(t.referral(), value));
    }
    for field in &d.profile.fields {
        let now = f.fields.get(&field.key);
        if was.is_some_and(|w| w.fields.get(&field.key) == now) {
            continue;
        }
        let value = now.map_or(t.not_chosen(), |v| {
            field.option(v).map_or(v.as_str(), |o| o.label(lang))
        });
        out.push(t.field_value(field.label(lang), value));
    }
    out
}

/// What changed on the duty form: topics ticked or not, fields chosen,
/// the note. Not while another visit is put on it (editing begins or
/// ends, a save empties it): that is said as such.
fn form_changes(b: &Before, app: &App) -> Vec<String> {
    let (Some(was), Some(d)) = (&b.form, app.duty.as_ref()) else {
        return Vec::new();
    };
    let f = &d.form;
    if f == was || app.view != View::Duty || b.today != d.today.len() {
        return Vec::new();
    }
    let t = app.texts();
    let lang = app.lang;
    let same_visit = was.topics.len().abs_diff(f.topics.len()) <= 1
        && was.fields.len().abs_diff(f.fields.len()) <= 1
        && (was.note == f.note || was.topics == f.topics);
    if !same_visit {
        return Vec::new();
    }
    let digits: Vec<&str> = d.profile.active_topics().map(|c| c.key.as_str()).collect();
    let mut out = Vec::new();
    let toggled = |key: &String, on: bool| {
        let n = digits
            .iter()
            .position(|k| k == key)
            .filter(|i| *i < crate::app::DIGIT_TOPICS)
            .map(|i| i + 1);
        t.topic_toggled(n, d.profile.topic_label(key, lang), on)
    };
    for key in f.topics.iter().filter(|k| !was.topics.contains(k)) {
        out.push(toggled(key, true));
    }
    for key in was.topics.iter().filter(|k| !f.topics.contains(k)) {
        out.push(toggled(key, false));
    }
    out.extend(field_lines(app, d, f, Some(was)));
    if f.note != was.note {
        out.push(t.note_set(&f.note));
    }
    out
}

/// The lines of what has the cursor: a window, a question, the chosen row
/// or field. What is typed into a text field is not in them (the screen
/// reader says each key typed); Space reads it.
fn focus(app: &App) -> Vec<String> {
    let Some(d) = app.duty.as_ref().filter(|_| app.view != View::Chooser) else {
        return Vec::new();
    };
    let t = app.texts();
    match app.view {
        View::Help | View::Tally | View::Report => full(app),
        View::Vouchers => views::register(app, d, false),
        View::Events => views::events(app, d, false),
        View::Duty | View::Chooser => match (&d.modal, &d.editing, d.focus) {
            (Some(_), _, _) => modal(app, d, false),
            (None, Some((id, _)), _) => vec![t.editing(&edit_time(app, d, *id))],
            (None, None, Focus::List) => {
                let mut out = vec![t.list_intro(d.today.len())];
                out.extend(selected_visit(app, d));
                out
            }
            (None, None, Focus::Form) => vec![t.form_focus().to_string()],
        },
    }
}

/// Today's visit with the cursor, as "2/4: klo 10.27 Kadut ja infra".
fn selected_visit(app: &App, d: &Duty) -> Vec<String> {
    d.today
        .get(d.selected)
        .map(|v| visit_line(app, d, d.selected, v))
        .into_iter()
        .collect()
}

pub(super) fn visit_line(app: &App, d: &Duty, i: usize, v: &Visit) -> String {
    let t = app.texts();
    let topics: Vec<&str> = v
        .entry
        .topics
        .iter()
        .map(|k| d.profile.topic_short(k, app.lang))
        .collect();
    let mut extra = String::new();
    if let Some(number) = d.vouchers.by_visit.get(&v.id) {
        let cancelled = d.vouchers.cancelled.contains(number);
        extra.push_str(&t.visit_voucher_spoken(number, cancelled));
    }
    if let Some(r) = &v.entry.referral {
        extra.push_str(&t.referred(d.profile.referral_label(r, app.lang)));
    }
    if !v.entry.note.is_empty() {
        extra.push_str(t.has_note());
    }
    t.visit_line(
        i + 1,
        d.today.len(),
        &locale::time(v.at, app.lang),
        &topics.join(", "),
        &extra,
    )
}

/// A window over the duty screen; `whole` adds what is typed in it.
fn modal(app: &App, d: &Duty, whole: bool) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    match &d.modal {
        None => Vec::new(),
        Some(Modal::Picker(kind)) => {
            let title = match kind {
                PickerKind::MoreTopics => t.topics().to_string(),
                PickerKind::Referral => t.referral().to_string(),
                PickerKind::Field(i) => d.profile.fields[*i].label(lang).to_string(),
                PickerKind::Location => t.location().to_string(),
            };
            let multi = *kind == PickerKind::MoreTopics;
            let clear = matches!(kind, PickerKind::Referral | PickerKind::Field(_));
            let mut out = vec![t.picker_intro(&title, multi, clear)];
            for item in app.picker_items(*kind) {
                out.push(t.picker_item(item.key, &item.label, item.selected));
            }
            out
        }
        Some(Modal::Note(input)) => vec![t.note_prompt(input.value())],
        Some(Modal::Time(input)) => vec![t.time_prompt(input.value())],
        Some(Modal::HeadCount(input)) => {
            let mut out = vec![t.head_count_prompt().to_string()];
            if !input.value().is_empty() {
                out.push(input.value().to_string());
            }
            out
        }
        Some(Modal::Confirm(q)) => vec![
            super::overlays::confirm_text(app, d, q),
            t.question_keys().to_string(),
        ],
        Some(Modal::Voucher(f)) => views::voucher_form(app, f, whole),
        Some(Modal::VoucherIssued(n)) => vec![
            t.voucher_issued(&n.number, &locale::date(n.valid_until, lang)),
            t.voucher_notice_keys().to_string(),
        ],
    }
}

#[cfg(test)]
mod tests;
