//! Ruudunlukijatilan sanat suomeksi.

use super::SpeechTexts;
use crate::i18n::fi::Fi;
use crate::locale::{Lang, decimal};

impl SpeechTexts for Fi {
    fn reader_intro(&self) -> &'static str {
        "tiski ruudunlukijatilassa. Välilyönti lukee näkymän, kysymysmerkki kertoo näppäimet."
    }
    fn reader_on(&self) -> &'static str {
        "Ruudunlukijatila päällä. Se muistetaan seuraavalla käynnistyksellä."
    }
    fn choose_profile_by_number(&self) -> &'static str {
        "Valitse profiili numerolla, q lopettaa:"
    }
    fn duty_place(&self, profile: &str, place: &str, started: Option<&str>) -> String {
        match started {
            Some(t) => format!("Päivystys: {profile}, {place}, alkoi klo {t}."),
            None => format!("Päivystys: {profile}, {place}, alkaa ensimmäisestä käynnistä."),
        }
    }
    fn counts(&self, session: u32, today: u32, mean: Option<f64>, sessions: u32) -> String {
        let mean = match mean {
            Some(m) => format!(
                "vuoden keskiarvo {} ({sessions} {})",
                decimal(m, Lang::Fi),
                if sessions == 1 {
                    "päivystys"
                } else {
                    "päivystystä"
                }
            ),
            None => "vuoden keskiarvoa ei vielä ole".to_string(),
        };
        format!("Tämä päivystys {session}, tänään {today}, {mean}.")
    }
    fn saved_line(&self, time: &str, counts: &str) -> String {
        format!("Tallennettu klo {time}. {counts} u kumoaa.")
    }
    fn topic_toggled(&self, n: Option<usize>, label: &str, on: bool) -> String {
        let state = if on { "valittu" } else { "ei valittu" };
        match n {
            Some(n) => format!("Aihe {n} {label} {state}"),
            None => format!("Aihe {label} {state}"),
        }
    }
    fn form_topics(&self, labels: &str) -> String {
        format!("Aiheet: {labels}.")
    }
    fn form_no_topics(&self) -> &'static str {
        "Aiheita ei ole valittu."
    }
    fn topic_keys(&self, list: &str) -> String {
        format!("Aiheiden numerot: {list}.")
    }
    fn field_value(&self, label: &str, value: &str) -> String {
        format!("{label}: {value}.")
    }
    fn not_chosen(&self) -> &'static str {
        "ei valittu"
    }
    fn note_empty(&self) -> &'static str {
        "tyhjä"
    }
    fn picker_intro(&self, title: &str, multi: bool, can_clear: bool) -> String {
        let how = if multi {
            "Näppäin valitsee tai poistaa, Enter tai Esc valmis"
        } else if can_clear {
            "Valitse näppäimellä, viiva poistaa valinnan, Esc sulkee"
        } else {
            "Valitse näppäimellä, Esc sulkee"
        };
        format!("{title}. {how}:")
    }
    fn picker_item(&self, key: char, label: &str, selected: bool) -> String {
        if selected {
            format!("{key} {label}, valittu")
        } else {
            format!("{key} {label}")
        }
    }
    fn closed(&self) -> &'static str {
        "Suljettu."
    }
    fn note_prompt(&self, existing: &str) -> String {
        let now = if existing.is_empty() {
            String::new()
        } else {
            format!(" Nyt: {existing}.")
        };
        format!(
            "Huomio: kirjoita, älä kirjoita nimiä tai henkilötunnuksia. Enter valmis, Esc peru.{now}"
        )
    }
    fn note_set(&self, note: &str) -> String {
        if note.is_empty() {
            "Huomio tyhjä.".to_string()
        } else {
            format!("Huomio: {note}.")
        }
    }
    fn time_prompt(&self, current: &str) -> String {
        format!("Käynnin kellonaika, nyt {current}. Kirjoita tt.mm, Enter valmis, Esc peru.")
    }
    fn time_set(&self, time: &str) -> String {
        format!("Aika {time}, tallentuu Enterillä.")
    }
    fn head_count_prompt(&self) -> &'static str {
        "Yhteismäärä: kirjoita kävijöiden määrä, Enter tallentaa, Esc peruu."
    }
    fn list_intro(&self, visits: usize) -> String {
        format!(
            "Päivän käynnit, {visits}. Nuolet ylös ja alas valitsevat, Enter muokkaa, x poistaa, Esc palaa lomakkeelle."
        )
    }
    fn visit_line(&self, i: usize, n: usize, time: &str, topics: &str, extra: &str) -> String {
        format!("{i}/{n}: klo {time} {topics}{extra}")
    }
    fn referred(&self, to: &str) -> String {
        format!(", ohjattu: {to}")
    }
    fn has_note(&self) -> &'static str {
        ", huomio kirjattu"
    }
    fn form_focus(&self) -> &'static str {
        "Lomake: uusi käynti."
    }
    fn editing(&self, time: &str) -> String {
        format!(
            "Muokataan klo {time} käyntiä. Enter tallentaa, T muuttaa ajan, Esc peruu muokkauksen."
        )
    }
    fn question_keys(&self) -> &'static str {
        "Vastaa k kyllä tai e ei."
    }
    fn voucher_notice_keys(&self) -> &'static str {
        "p tulosta · välilyönti lukee uudelleen · muu näppäin sulkee"
    }
    fn cancelled(&self) -> &'static str {
        "Peruttu."
    }
    fn error_line(&self, text: &str) -> String {
        format!("Virhe: {text}")
    }
    fn help_intro(&self) -> &'static str {
        "Ohje, tämän näkymän näppäimet:"
    }
    fn help_line(&self, keys: &str, what: &str) -> String {
        format!("{keys}: {what}")
    }
    fn help_outro(&self) -> &'static str {
        "Esc palaa."
    }
    fn key_words(&self, label: &str) -> String {
        spoken(
            label,
            &[
                ("PgUp/PgDn", "Page Up ja Page Down"),
                ("←→ Home End", "nuolet vasemmalle ja oikealle, Home ja End"),
                ("Backspace Del", "askelpalautin ja Delete"),
                ("Tab/↑↓", "sarkain tai nuolet ylös ja alas"),
                ("1–9 ←→", "1–9 tai nuolet vasemmalle ja oikealle"),
                ("↑↓", "nuolet ylös ja alas"),
                ("←→", "nuolet vasemmalle ja oikealle"),
                ("Space", "välilyönti"),
                ("?", "kysymysmerkki"),
                ("+", "plus"),
                ("/", "kauttaviiva"),
                ("*", "tähti"),
            ],
            "tai",
            "iso",
        )
    }
    fn top_list(&self, title: &str, items: &str) -> String {
        format!("{title}: {items}.")
    }
    fn none_in(&self, title: &str) -> String {
        format!("{title}: ei yhtään.")
    }
    fn hour_item(&self, hour: u32, visits: u32) -> String {
        format!("klo {hour}–{}: {visits}", hour + 1)
    }
    fn hours_title(&self) -> &'static str {
        "Tunneittain"
    }
    fn tally_intro(&self, weekday: &str, date: &str) -> String {
        format!("Päivän yhteenveto, {weekday} {date}.")
    }
    fn tally_keys(&self) -> &'static str {
        "Nuolet vasemmalle ja oikealle vaihtavat päivää, Esc palaa."
    }
    fn report_intro(&self, period: &str) -> String {
        format!("Raportti: {period}.")
    }
    fn report_keys(&self) -> &'static str {
        "w viikko, m kuukausi, s kausi, y vuosi, c oma väli, nuolet vasemmalle ja oikealle edellinen tai seuraava jakso, Esc palaa."
    }
    fn report_figures(&self, sessions: u32, visitors: u32, mean: &str) -> String {
        let held = if sessions == 1 {
            "päivystys"
        } else {
            "päivystystä"
        };
        let came = if visitors == 1 {
            "kävijä"
        } else {
            "kävijää"
        };
        format!(
            "{sessions} {held}, {visitors} {came}, keskimäärin {mean} kävijää päivystystä kohden."
        )
    }
    fn voucher_form_intro(&self, products: &str) -> String {
        format!(
            "Maksusitoumus. Valitse tuote numerolla: {products}. Sarkain siirtyy kentästä toiseen, Enter myöntää, Esc peruu."
        )
    }
    fn voucher_field(&self, label: &str, value: &str, said: bool) -> String {
        if value.is_empty() || !said {
            format!("{label}: tyhjä.")
        } else {
            format!("{label}: {value}.")
        }
    }
    fn voucher_product_keys(&self, n: usize) -> String {
        format!("Tuote valitaan numerolla 1–{n}.")
    }
    fn masked(&self, chars: usize) -> &'static str {
        if chars == 0 {
            ""
        } else {
            "kirjoitettu, piilotettu; tähti näyttää"
        }
    }
    fn register_intro(&self, season: &str, vouchers: usize) -> String {
        format!("Maksusitoumusrekisteri, kausi {season}: {vouchers} sitoumusta.")
    }
    fn voucher_line(&self, i: usize, n: usize, number: &str, what: &str) -> String {
        format!("{i}/{n}: {number}, {what}")
    }
    fn register_keys(&self) -> &'static str {
        "Nuolet ylös ja alas valitsevat, k käytetty, x mitätöi, p PDF, s koonti, kauttaviiva haku, Esc palaa."
    }
    fn dialog_field(&self, title: &str, field: &str, value: &str) -> String {
        let value = if value.is_empty() { "tyhjä" } else { value };
        if field.is_empty() {
            format!("{title}: {value}. Enter valmis, Esc peru.")
        } else {
            format!("{title}. {field}: {value}. Enter valmis, Esc peru.")
        }
    }
    fn event_form_field(&self, title: &str, field: &str, value: &str) -> String {
        let value = if value.is_empty() { "tyhjä" } else { value };
        format!(
            "{title}. {field}: {value}. Enter seuraavaan kenttään, viimeisessä tallentaa; Esc peru."
        )
    }
    fn events_intro(&self, year: i32, items: usize) -> String {
        format!("Tapahtumat ja ryhmät vuonna {year}: {items} riviä.")
    }
    fn events_line(&self, i: usize, n: usize, text: &str) -> String {
        format!("{i}/{n}: {text}")
    }
    fn events_keys(&self) -> &'static str {
        "Nuolet ylös ja alas valitsevat, a tapahtuma, y ryhmä, k kokoontuminen, p palaute, e muokkaa, x poistaa, Esc palaa."
    }
    fn more_items(&self, n: usize) -> String {
        format!("ja {n} muuta")
    }
    fn panel_all(&self, title: &str) -> String {
        format!("{title}, kaikki")
    }
    fn visit_voucher_spoken(&self, number: &str, cancelled: bool) -> String {
        if cancelled {
            format!(", maksusitoumus {number} mitätöity")
        } else {
            format!(", maksusitoumus {number}")
        }
    }
    fn goodbye(&self) -> &'static str {
        "tiski suljettu."
    }
}

/// A key label as words: each part by `words`, alternatives (`Esc/t`)
/// joined by `or`.
pub(super) fn spoken(label: &str, words: &[(&str, &str)], or: &str, capital: &str) -> String {
    if let Some((_, w)) = words.iter().find(|(l, _)| *l == label) {
        return (*w).to_string();
    }
    // A capital letter key (`P`, `T`) is said as one: `p` is another key.
    if label.chars().count() == 1 && label.chars().all(|c| c.is_uppercase()) {
        return format!("{capital} {label}");
    }
    label
        .split('/')
        .map(|part| {
            words
                .iter()
                .find(|(l, _)| *l == part)
                .map_or(part.to_string(), |(_, w)| (*w).to_string())
        })
        .collect::<Vec<_>>()
        .join(&format!(" {or} "))
}
