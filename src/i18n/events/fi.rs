//! Finnish texts of events, groups, feedback and head-counts.

use super::{EventTexts, n};
use crate::events::{Event, EventError, Feedback, Field, FormOf, Group, Tally};
use crate::i18n::fi::Fi;
use crate::locale::{Lang, date, decimal};
use crate::report::events::EventTotals;

fn what(w: &str) -> &str {
    match w {
        "title" => "otsikko",
        "place" => "paikka",
        "partners" | "partner" => "yhteistyökumppani",
        "unit" => "yksikkö",
        "target" => "kohderyhmä",
        "question" => "kysymys",
        "count" => "määrä",
        "online" => "verkossa seuranneet",
        "meetings" => "kokoontumiset",
        "visits" => "käynnit",
        "yes" => "kyllä-vastaukset",
        "no" => "ei-vastaukset",
        "counts" => "vastausmäärä",
        _ => w,
    }
}

impl EventTexts for Fi {
    fn event_error(&self, e: &EventError) -> String {
        let tail = "Mitään ei tallennettu.";
        match e {
            EventError::NoTitle => format!("otsikko puuttuu (--title). {tail}"),
            EventError::TooLong { what: w, chars } => format!(
                "{} on {chars} merkkiä, enintään {}. {tail}",
                what(w),
                crate::events::TEXT_MAX_CHARS
            ),
            EventError::ControlChar { what: w } => {
                format!("{} sisältää ohjausmerkin. {tail}", what(w))
            }
            EventError::TooMany { what: w, n } => format!(
                "{} {n} on yli {}; tarkista luku. {tail}",
                what(w),
                crate::events::COUNT_MAX
            ),
            EventError::UnknownKind { kind, valid } => {
                format!("tuntematon tapahtumalaji {kind:?} (--kind); lajit: {valid}. {tail}")
            }
            EventError::SomeWithCount => {
                format!(
                    "some-tapahtumalla (vain sosiaalisessa mediassa) ei ole osallistujamäärää; jätä --count pois. {tail}"
                )
            }
            EventError::NoCount { kind } => {
                format!("tapahtumalle (laji {kind}) tarvitaan osallistujamäärä --count N. {tail}")
            }
            EventError::NoMeetingCount => {
                format!("anna ryhmäkerran osallistujamäärä (Osallistujia). {tail}")
            }
            EventError::NotANumber { what: w, value } => {
                format!("{} {value:?} ei ole kokonaisluku. {tail}", what(w))
            }
            EventError::ZeroCount => {
                format!("yhteismäärän on oltava vähintään 1 (--count). {tail}")
            }
            EventError::BadMean { mean } => format!(
                "keskiarvo {} ei ole asteikolla 1–5 (--mean). {tail}",
                decimal(*mean, Lang::Fi)
            ),
            EventError::NoAnswers => format!("palautteessa ei ole yhtään vastausta. {tail}"),
            EventError::EventsOff { profile } => format!(
                "profiililla {profile} ei ole tapahtumia käytössä (asetus [profiles.{profile}.events] enabled = true). {tail}"
            ),
            EventError::NotFound { id } => {
                format!("tapahtumaa tai ryhmää numero {id} ei ole. {tail}")
            }
        }
    }
    fn events_heading(&self) -> &'static str {
        "Tapahtumat"
    }
    fn groups_heading(&self) -> &'static str {
        "Ryhmätoiminta"
    }
    fn feedback_heading(&self) -> &'static str {
        "Palaute"
    }
    fn event_line(&self, ev: &Event) -> String {
        event_line(ev, true)
    }
    fn event_row(&self, ev: &Event) -> String {
        event_line(ev, false)
    }
    fn group_line(&self, g: &Group) -> String {
        let mut s = g.entry.title.clone();
        if let Some(m) = g.meeting_count() {
            s = format!("{s} {m} krt");
        }
        if !g.entry.place.is_empty() {
            s = format!("{s} / {}", g.entry.place);
        }
        format!("{s} = {} käyntikertaa", n(g.visits()))
    }
    fn group_visits_total(&self, visits: u64) -> String {
        format!("Käynnit yhteensä {}", n(visits))
    }
    fn feedback_line(&self, f: &Feedback) -> String {
        let q = f.entry.question.trim();
        let about = &f.about;
        match f.entry.tally {
            Tally::YesNo { yes, no } if q.is_empty() => {
                format!("{about}: {yes} kyllä-vastausta ja {no} ei-vastausta.")
            }
            Tally::YesNo { yes, no } => {
                format!("{about}: {q} -kysymykseen {yes} kyllä-vastausta ja {no} ei-vastausta.")
            }
            Tally::Scale { .. } | Tally::Mean { .. } => {
                let mean = format!(
                    "ka {}, n = {}",
                    decimal(f.entry.tally.mean().unwrap_or(0.0), Lang::Fi),
                    f.entry.tally.answers()
                );
                if q.is_empty() {
                    format!("{about}: {mean}.")
                } else {
                    format!("{about}: {q} ({mean}).")
                }
            }
            Tally::Slips { n } if q.is_empty() => format!("{about}: palautelappuja {n} kpl."),
            Tally::Slips { n } => format!("{about}: {q}: palautelappuja {n} kpl."),
        }
    }
    fn event_totals(&self, t: &EventTotals) -> String {
        let approx = if t.approx_attendees > 0 {
            format!(" (joista arvioituja {})", n(t.approx_attendees))
        } else {
            String::new()
        };
        let online = if t.online > 0 {
            format!(", verkossa {}", n(t.online))
        } else {
            String::new()
        };
        format!(
            "Tapahtumia {}, osallistujia {}{approx}{online}; ryhmiä {}, kokoontumisia {}, ryhmäkäyntejä {}",
            t.events,
            n(t.attendees),
            t.groups,
            t.meetings,
            n(t.group_visits)
        )
    }
    fn head_counted(&self, count: u32) -> String {
        format!("joista yhteismääränä {count}")
    }
    fn event_saved(&self, id: Option<i64>, line: &str) -> String {
        match id {
            Some(id) => format!("Tapahtuma {id} tallennettu: {line}"),
            None => format!("Tapahtuma tallennettu: {line}"),
        }
    }
    fn event_deleted(&self, id: i64, title: &str) -> String {
        format!("Tapahtuma {id} poistettu: {title}")
    }
    fn group_saved(&self, id: Option<i64>, line: &str) -> String {
        match id {
            Some(id) => format!("Ryhmä {id} tallennettu: {line}"),
            None => format!("Ryhmä tallennettu: {line}"),
        }
    }
    fn group_deleted(&self, id: i64, title: &str) -> String {
        format!("Ryhmä {id} poistettu kokoontumisineen: {title}")
    }
    fn meeting_saved(&self, id: i64, day: &str, count: u32, visits: u64) -> String {
        format!(
            "Ryhmän {id} kokoontuminen {day} tallennettu: {count} osallistujaa (käynnit yhteensä {visits})"
        )
    }
    fn feedback_saved(&self, line: &str) -> String {
        format!("Palaute tallennettu: {line}")
    }
    fn head_count_logged(&self, count: u32, day: &str, profile: &str, location: &str) -> String {
        format!("Kirjattu {count} kävijää yhteismääränä {day} ({profile}, {location})")
    }
    fn head_count_saved(&self, n: u32, time: &str) -> String {
        format!("Kirjattu {n} kävijää yhteismääränä klo {time}")
    }
    fn head_counted_short(&self, n: u32) -> String {
        format!("{n} kävijää yhteismääränä")
    }
    fn head_count_word(&self) -> &'static str {
        "yhteismääränä"
    }
    fn head_count_title(&self) -> &'static str {
        "Yhteismäärä: kävijöitä kerralla"
    }
    fn head_count_footer(&self) -> &'static str {
        "kirjoita määrä · Enter tallenna · Esc peru — ei aiheita, lasketaan päivystyksen kävijöihin"
    }
    fn head_counts_label(&self) -> &'static str {
        "  joista yhteismääränä"
    }
    fn events_title(&self, year: i32, profile: &str) -> String {
        format!(" Tapahtumat ja ryhmät {year} · {profile} ")
    }
    fn form_title(&self, of: FormOf, about: &str) -> String {
        match of {
            FormOf::Event => "Uusi tapahtuma".into(),
            FormOf::EditEvent => "Muokkaa tapahtumaa".into(),
            FormOf::Group => "Uusi ryhmä".into(),
            FormOf::Meeting => format!("Ryhmäkerta: {about}"),
            FormOf::Feedback => format!("Palaute: {about}"),
        }
    }
    fn field_label(&self, f: Field) -> &'static str {
        match f {
            Field::Title => "Otsikko",
            Field::Date => "Päivä",
            Field::Count => "Osallistujia",
            Field::Approx => "Määrä on arvio",
            Field::Kind => "Laji",
            Field::Place => "Paikka",
            Field::Question => "Kysymys",
            Field::Yes => "Kyllä",
            Field::No => "Ei",
        }
    }
    fn confirm_delete_event(&self, title: &str) -> String {
        format!("Poistetaanko {title} kokoontumisineen ja palautteineen?")
    }
    fn select_a_group(&self) -> &'static str {
        "Valitse ensin ryhmä (↑↓), sitten k."
    }
    fn select_an_event_to_edit(&self) -> &'static str {
        "Valitse ensin tapahtuma (↑↓), sitten e."
    }
    fn event_updated(&self, line: &str) -> String {
        format!("Tapahtuma muokattu: {line}")
    }
    fn yes_no(&self, yes: bool) -> &'static str {
        if yes { "kyllä" } else { "ei" }
    }
    fn select_an_event(&self) -> &'static str {
        "Valitse ensin tapahtuma tai ryhmä (↑↓), sitten p."
    }
    fn no_events(&self) -> &'static str {
        "Ei tapahtumia eikä ryhmiä."
    }
    fn feedback_needs(&self) -> &'static str {
        "palautteeseen tarvitaan --event ID tai --group ID ja yksi näistä: --yes N --no N, --scale 1-5 --counts a,b,c,d,e, --mean X --n N tai --slips N. Mitään ei tallennettu."
    }
}

/// An event as the report writes it, with its date where the line
/// says "about N attendees", or without (`dated`: false).
fn event_line(ev: &Event, dated: bool) -> String {
    let e = &ev.entry;
    let Some(count) = e.count else {
        return format!("{} (some)", e.title);
    };
    let approx = if e.approx { "n. " } else { "" };
    if e.approx && e.online.is_none() && e.unit.is_empty() {
        // As the report writes a lecture: its date and "n. 70 osallistujaa".
        // On the events screen the date is in a column of its own.
        let day = if dated {
            format!(" {}", date(e.date, Lang::Fi))
        } else {
            String::new()
        };
        return format!("{}{day}, n. {} osallistujaa", e.title, n(count));
    }
    let mut inner = format!("{approx}{}", n(count));
    if !e.unit.is_empty() {
        inner = format!("{inner} {}", e.unit);
    }
    if let Some(online) = e.online {
        inner = format!("{inner} livenä, streamin kautta {}", n(online));
    }
    format!("{} ({inner})", e.title)
}
