//! The spoken forms of the views over the duty screen: the help, the day
//! tally, the report, the voucher form and register, the events screen.
//! Lists are said top items first, a few at a time.

use std::collections::BTreeMap;

use crate::app::{App, Dialog, Duty, FormField, Panel, VoucherForm};
use crate::i18n::{Texts, Word};
use crate::locale;

/// How many items of a ranked list are said; the rest are counted.
const TOP: usize = 5;

/// `?`: the keys of the view the help was opened over, from `keys.rs`.
pub(super) fn help(app: &App, d: &Duty) -> Vec<String> {
    let t = app.texts();
    let bar = crate::ui::bar_of(d, app.behind_help);
    let mut out = vec![t.help_intro().to_string()];
    for (label, what) in super::super::overlays::help_rows(app, d, bar) {
        // The arrows in the words too, as the keys are said.
        let what = ["↑↓", "←→"]
            .iter()
            .fold(what, |w, a| w.replace(a, &t.key_words(a)));
        out.push(t.help_line(&t.key_words(&label), &what));
    }
    out.push(t.help_outro().to_string());
    out
}

/// "Digituki 3, Liukuesteet 2, ja 4 muuta": counts, top first; `all`
/// says every item.
fn ranked(
    t: &dyn Texts,
    title: &str,
    counts: &BTreeMap<String, u32>,
    all: bool,
    label: impl Fn(&str) -> String,
) -> String {
    let mut items: Vec<(String, u32)> = counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| (label(k), *n))
        .collect();
    if items.is_empty() {
        return t.none_in(title);
    }
    items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top = if all { items.len() } else { TOP };
    let rest = items.len().saturating_sub(top);
    let mut said: Vec<String> = items
        .iter()
        .take(top)
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    if rest > 0 {
        said.push(t.more_items(rest));
    }
    t.top_list(title, &said.join(", "))
}

/// The day tally as sentences and short lists.
pub(super) fn tally(app: &App, d: &Duty) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    let Some(tally) = &d.tally else {
        return Vec::new();
    };
    let mut out = vec![
        t.tally_intro(
            locale::weekday(tally.date, lang),
            &locale::date(tally.date, lang),
        ),
        format!("{}.", t.tally_visitors(tally.visitors, tally.sessions)),
        // A day without a duty session says so, as the drawn tally does.
        if tally.sessions == 0 {
            t.tally_no_duty(tally.date == app.now.date()).to_string()
        } else {
            format!(
                "{}.",
                t.year_average(
                    chrono::Datelike::year(&tally.date),
                    tally.year.mean(),
                    tally.year.sessions
                )
            )
        },
    ];
    if d.vouchers.season.is_some() && tally.date == app.now.date() {
        out.push(format!(
            "{}.",
            t.tally_vouchers(d.vouchers.today, d.vouchers.in_force)
        ));
    }
    let p = &d.profile;
    out.push(ranked(t, t.topics(), &tally.topics, true, |k| {
        p.topic_label(k, lang).to_string()
    }));
    out.push(ranked(t, t.referrals(), &tally.referrals, true, |k| {
        p.referral_label(k, lang).to_string()
    }));
    let hours: Vec<String> = tally
        .hours
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(h, n)| t.hour_item(*h, *n))
        .collect();
    out.push(if hours.is_empty() {
        t.none_in(t.hours_title())
    } else {
        t.top_list(t.hours_title(), &hours.join(", "))
    });
    out.push(t.tally_keys().to_string());
    out
}

/// The report: its period, its figures, its lists top items first.
pub(super) fn report(app: &App, d: &Duty) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    let Some(state) = &d.report else {
        return Vec::new();
    };
    let r = &state.report;
    let p = &r.period;
    let span = format!(
        "{}–{}",
        locale::date(p.from, lang),
        locale::date(p.to, lang)
    );
    let mut out = vec![t.report_intro(&format!("{} {span}", t.period_name(p)))];
    out.push(match r.mean {
        Some(mean) => t.report_figures(r.sessions, r.visitors, &locale::decimal(mean, lang)),
        None => t.report_empty().to_string(),
    });
    for panel in panels(d) {
        out.push(panel_line(app, d, panel, panel == state.panel));
    }
    if let Some(input) = &state.input {
        out.push(t.dialog_field(
            t.key_help(crate::keys::Cmd::CustomPeriod),
            "",
            input.value(),
        ));
    }
    out.push(t.report_keys().to_string());
    out
}

/// The report's panels, as the view has them.
fn panels(d: &Duty) -> Vec<Panel> {
    let mut out = vec![Panel::Topics, Panel::Referrals];
    if d.profile.voucher_settings().is_some() {
        out.push(Panel::Vouchers);
    }
    if !d.profile.fields.is_empty() {
        out.push(Panel::Fields);
    }
    out
}

/// One panel of the report as a list, top first: whole when it has the
/// cursor (Tab), else its first few.
fn panel_line(app: &App, d: &Duty, panel: Panel, all: bool) -> String {
    let t = app.texts();
    let lang = app.lang;
    let Some(state) = &d.report else {
        return String::new();
    };
    let r = &state.report;
    let p = &d.profile;
    let title = |s: &str| if all { t.panel_all(s) } else { s.to_string() };
    match panel {
        Panel::Topics => ranked(t, &title(t.topics()), &r.topics, all, |k| {
            p.topic_label(k, lang).to_string()
        }),
        Panel::Referrals => ranked(t, &title(t.referrals()), &r.referrals, all, |k| {
            p.referral_label(k, lang).to_string()
        }),
        Panel::Vouchers => {
            let cfg = app.voucher_config();
            ranked(t, &title(t.word(Word::Vouchers)), &r.vouchers, all, |k| {
                cfg.map_or(k, |c| c.product_label(k, lang)).to_string()
            })
        }
        Panel::Fields => {
            let lists: Vec<String> = p
                .fields
                .iter()
                .map(|f| {
                    let counts = r.fields.get(&f.key).cloned().unwrap_or_default();
                    ranked(t, &title(f.label(lang)), &counts, all, |k| {
                        match f.option(k) {
                            Some(o) => o.label(lang),
                            None if k == crate::report::UNRECORDED => t.word(Word::Unrecorded),
                            None => k,
                        }
                        .to_string()
                    })
                })
                .collect();
            lists.join(" ")
        }
    }
}

/// Tab in the report: the panel with the cursor, said whole.
pub(super) fn report_panel(app: &App, d: &Duty) -> Vec<String> {
    d.report
        .as_ref()
        .map(|s| panel_line(app, d, s.panel, true))
        .into_iter()
        .collect()
}

/// The voucher form: on opening (`whole`) its products and every field,
/// else the field with the cursor, and what it refuses.
pub(super) fn voucher_form(app: &App, f: &VoucherForm, whole: bool) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    let products: Vec<(usize, String)> = app
        .voucher_config()
        .map(|c| {
            c.active_products()
                .enumerate()
                .map(|(i, p)| (i + 1, p.label(lang).to_string()))
                .collect()
        })
        .unwrap_or_default();
    let product = f
        .product
        .and_then(|i| products.get(i))
        .map_or(String::new(), |(_, l)| l.clone());
    let field = |field: FormField, with_value: bool| -> String {
        let (label, value) = match field {
            FormField::Product => (t.voucher_product(), product.clone()),
            FormField::BirthYear => (t.voucher_birth_year(), f.birth_year.value().to_string()),
            FormField::BirthDate => (t.voucher_birth_date(), f.birth_date.value().to_string()),
            FormField::Name if f.show_name => (t.voucher_name(), f.name.value().to_string()),
            FormField::Name => (t.voucher_name(), t.masked(f.name.chars()).to_string()),
        };
        t.voucher_field(label, &value, with_value)
    };
    let mut out = Vec::new();
    if whole {
        let list: Vec<String> = products.iter().map(|(i, l)| format!("{i} {l}")).collect();
        out.push(t.voucher_form_intro(&list.join(", ")));
        for fld in [
            FormField::Product,
            FormField::BirthDate,
            FormField::Name,
            FormField::BirthYear,
        ] {
            out.push(field(fld, true));
        }
    } else {
        // The product once chosen, and the field with the cursor.
        if f.field == FormField::Product {
            out.push(format!(
                "{} {}",
                field(FormField::Product, true),
                t.voucher_product_keys(products.len())
            ));
        } else {
            out.push(field(FormField::Product, true));
            out.push(field(f.field, true));
        }
    }
    if let Some(numbers) = &f.duplicates {
        out.push(t.voucher_duplicate(numbers));
    }
    if let Some(e) = &f.error {
        out.push(t.error_line(e));
    }
    out
}

/// The register: the season and its counts (`whole`), the voucher with the
/// cursor, a dialog's field, the summary.
pub(super) fn register(app: &App, d: &Duty, whole: bool) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    let Some(r) = &d.vouchers.register else {
        return Vec::new();
    };
    let cfg = app.voucher_config();
    let season = cfg.map(|c| r.season.label(c)).unwrap_or_default();
    let shown = r.shown(app.now.date());
    // How many are listed: it changes with a search or a filter.
    let mut out = vec![t.register_intro(&locale::years_span(&season), shown.len())];
    if whole {
        out.push(t.register_counts(&r.totals));
    }
    if let Some(sum) = &r.summary {
        out.push(format!("{}.", t.key_help(crate::keys::Cmd::Summary)));
        out.push(t.register_counts(&sum.total));
        for (product, counts) in &sum.products {
            let label = cfg.map_or(product.as_str(), |c| c.product_label(product, lang));
            out.push(format!("{label}: {}", t.register_counts(counts)));
        }
        let weeks: Vec<String> = sum
            .weeks
            .iter()
            .map(|(w, n)| format!("{} {n}", locale::week_key(w, lang)))
            .collect();
        if !weeks.is_empty() {
            out.push(t.top_list(t.by_week(), &weeks.join(", ")));
        }
        return out;
    }
    if let Some(v) = shown.get(r.selected) {
        let product = cfg.map_or(v.product.as_str(), |c| c.product_label(&v.product, lang));
        let what = format!(
            "{product}, {}, {}",
            t.status_label(v.status(app.now.date())),
            locale::date(v.issued_at.date(), lang)
        );
        out.push(t.voucher_line(r.selected + 1, shown.len(), &v.number, &what));
    } else if whole {
        out.push(t.register_empty().to_string());
    }
    if r.searching {
        out.push(t.register_search(r.search.value()));
    }
    match &r.dialog {
        None if whole => out.push(t.register_keys().to_string()),
        None => {}
        Some(Dialog::ConfirmCopy { number, status, .. }) => {
            out.push(t.print_copy_question(number, *status));
            out.push(t.question_keys().to_string());
        }
        Some(dialog) => {
            let (title, field, value) = dialog_field(t, dialog, &r.vouchers);
            out.push(t.dialog_field(&title, &field, value));
        }
    }
    out
}

/// A register dialog's title, the field with the cursor and its value.
fn dialog_field<'a>(
    t: &dyn Texts,
    dialog: &'a Dialog,
    vouchers: &[crate::voucher::Voucher],
) -> (String, String, &'a str) {
    match dialog {
        Dialog::Use {
            number,
            amount,
            date,
            shop,
            field,
        } => {
            let (label, input) = match field {
                0 => {
                    let max = vouchers
                        .iter()
                        .find(|v| &v.number == number)
                        .map(|v| t.money(v.max_sum))
                        .unwrap_or_default();
                    (t.use_amount(&max), amount)
                }
                1 => (t.use_date().to_string(), date),
                _ => (t.use_shop().to_string(), shop),
            };
            (t.use_title(number), label, input.value())
        }
        Dialog::Cancel { number, reason } => (
            t.cancel_title(number),
            t.cancel_reason().to_string(),
            reason.value(),
        ),
        Dialog::Print {
            number,
            name,
            issuer,
            place,
            field,
            ..
        } => {
            let (label, input) = match field {
                0 => (t.print_name().to_string(), name),
                1 => (t.print_issuer().to_string(), issuer),
                _ => (t.print_place().to_string(), place),
            };
            (t.print_title(number), label, input.value())
        }
        Dialog::ConfirmCopy { number, status, .. } => {
            (t.print_copy_question(number, *status), String::new(), "")
        }
    }
}

/// The events screen: the year (`whole`), the row with the cursor, a
/// form's field, a question.
pub(super) fn events(app: &App, d: &Duty, whole: bool) -> Vec<String> {
    let t = app.texts();
    let lang = app.lang;
    let Some(s) = &d.events else {
        return Vec::new();
    };
    let mut rows: Vec<String> = Vec::new();
    for e in &s.report.events {
        rows.push(format!(
            "{} {}",
            locale::date(e.entry.date, lang),
            t.event_line(e)
        ));
    }
    for g in &s.report.groups {
        rows.push(format!(
            "{} {}",
            locale::date(g.entry.date, lang),
            t.group_line(g)
        ));
    }
    let mut out = Vec::new();
    if whole {
        out.push(t.events_intro(s.year, rows.len()));
        for f in &s.report.feedback {
            out.push(t.feedback_line(f));
        }
    }
    if let Some((_, question)) = &s.confirm {
        out.push(question.clone());
        out.push(t.question_keys().to_string());
    } else if let Some(form) = &s.form {
        let about = match &form.kind {
            crate::app::FormKind::Meeting(_) | crate::app::FormKind::Feedback(..) => {
                rows.get(s.selected).cloned().unwrap_or_default()
            }
            _ => String::new(),
        };
        let title = t.form_title(form.kind.of(), &about);
        if let Some((field, value)) = form.fields.get(form.at) {
            let value = match value {
                crate::app::Value::Text(input) => input.value().to_string(),
                crate::app::Value::Choice(c) => c.label().to_string(),
            };
            out.push(t.event_form_field(&title, t.field_label(*field), &value));
        }
    } else if let Some(row) = rows.get(s.selected) {
        out.push(t.events_line(s.selected + 1, rows.len(), row));
    } else {
        out.push(t.no_events().to_string());
    }
    if whole && s.form.is_none() && s.confirm.is_none() {
        out.push(t.events_keys().to_string());
    }
    out
}
