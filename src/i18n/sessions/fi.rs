//! Finnish session and rota texts.

use super::SessionTexts;
use crate::i18n::fi::Fi;
use crate::locale::{Lang, decimal, signed_decimal};
use crate::schedule::{ScheduleProblem, SessionState};

impl SessionTexts for Fi {
    fn schedule_problem(&self, p: &ScheduleProblem) -> String {
        match p {
            ScheduleProblem::ZeroWeeks => "every_weeks on oltava vähintään 1".into(),
            ScheduleProblem::NoFrom(n) => format!(
                "every_weeks = {n} tarvitsee myös kentän from (vuorojen ensimmäinen päivä), jotta tiedetään, mitkä viikot"
            ),
            ScheduleProblem::FromNotOnWeekday { from, weekday } => {
                format!("from = {from} ei ole viikonpäivä {}", weekday.code())
            }
            ScheduleProblem::EndNotAfterStart { start, end } => {
                format!("loppu {end} ei ole alun {start} jälkeen")
            }
        }
    }
    fn day_has_visits(&self, date: &str, visitors: u32) -> String {
        format!(
            "päivänä {date} on kirjattu {}, joten päivystys pidettiin eikä sitä voi perua. Mitään ei muutettu.",
            kavijaa(visitors)
        )
    }
    fn session_exists(&self, date: &str, location: &str, visitors: u32) -> String {
        format!(
            "päivystys {date} paikassa {location} on jo kirjattu ({}). Mitään ei muutettu.",
            kavijaa(visitors)
        )
    }
    fn session_not_started(&self) -> &'static str {
        "–"
    }
    fn confirm_start_session(&self) -> &'static str {
        "Aloitetaanko päivystys nyt? Se lasketaan keskiarvoon, vaikka kukaan ei tulisi."
    }
    fn session_started(&self, time: &str) -> String {
        format!("Päivystys alkoi {time}")
    }
    fn confirm_cancel_day(&self) -> &'static str {
        "Merkitäänkö tämän päivän päivystys perutuksi? Sitä ei lasketa keskiarvoon."
    }
    fn day_cancelled(&self, date: &str) -> String {
        format!(
            "Päivystys {date} merkitty perutuksi. Jos joku tulee, tallennettu käynti aloittaa päivystyksen."
        )
    }
    fn no_slot_to_cancel(&self) -> &'static str {
        "Tälle päivälle ei ole päivystysvuoroa, joten perumista ei tarvita."
    }
    fn undo_too_old(&self, time: &str) -> String {
        format!(
            "Klo {time} tallennettua käyntiä ei enää kumota (yli 10 min). Poista se tarvittaessa listasta: Tab, x."
        )
    }
    fn confirm_undo_voucher(&self, what: &str, number: &str) -> String {
        format!("Kumotaanko käynti {what}? Sen maksusitoumus {number} mitätöidään.")
    }
    fn session_recorded(&self, date: &str, hours: &str, place: &str) -> String {
        format!("Kirjattu pidetty päivystys {date} klo {hours}, {place}, 0 kävijää.")
    }
    fn session_list_heading(&self, span: &str) -> String {
        format!("Päivystykset {span}")
    }
    fn session_state(&self, s: SessionState) -> &'static str {
        match s {
            SessionState::Held => "pidetty",
            SessionState::Cancelled => "peruttu",
            SessionState::NotRecorded => "ei kirjattu",
            SessionState::Scheduled => "tulossa",
        }
    }
    fn session_visitors(&self, visitors: u32, place: &str) -> String {
        format!("{}, {place}", kavijaa(visitors))
    }
    fn unknown_key(&self, c: char) -> String {
        format!("Näppäimellä {c} ei ole toimintoa tässä. ? näyttää näppäimet.")
    }
    fn tally_no_duty(&self, today: bool) -> &'static str {
        if today {
            "Tänään ei ole ollut päivystystä."
        } else {
            "Tänä päivänä ei ollut päivystystä."
        }
    }
    fn tally_day_vs_average(&self, per_session: f64, mean: Option<f64>) -> String {
        let day = decimal(per_session, Lang::Fi);
        match mean {
            Some(m) => format!(
                "Päivystystä kohden {day} · ka {} kävijää/päivystys (ero vuoden keskiarvoon {})",
                decimal(m, Lang::Fi),
                signed_decimal(per_session - m, Lang::Fi)
            ),
            None => format!("Päivystystä kohden {day}"),
        }
    }
    fn waiting_for_database(&self, secs: u64) -> String {
        format!(
            "Odottaa tietokantaa… ({secs} s): toinen ohjelma kirjoittaa siihen. Käynti tallennetaan heti, kun se vapautuu."
        )
    }
}

/// "1 kävijä", "4 kävijää".
fn kavijaa(n: u32) -> String {
    if n == 1 {
        "1 kävijä".into()
    } else {
        format!("{n} kävijää")
    }
}
