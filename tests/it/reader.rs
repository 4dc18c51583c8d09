//! The screen-reader mode (`--screen-reader`, issue 27) against the real
//! binary in a pseudo-terminal: a whole duty morning (visits, a correction,
//! undo, a voucher, the tally), its output compared line by line with what
//! a screen reader should say, and nothing printed but lines of text.
//! The clock is set by `faketime` to Tuesday 14.11.2023 10.05, a library
//! duty of the elderly desk's rota.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder};

use super::cli::Env;
use super::support::timeout;

const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/// Whether faketime can run here: CI installs it (`.ci/test-tools`).
fn faketime() -> bool {
    let here = std::path::Path::new(LIBFAKETIME).exists();
    assert!(
        here || std::env::var_os("CI").is_none(),
        "faketime is missing on CI: .ci/test-tools installs it"
    );
    if !here {
        eprintln!("\n*** SKIPPED: faketime is not installed; the reader tests did not run. ***\n");
    }
    here
}

/// tiski in the screen-reader mode, every byte it prints kept.
struct Reader {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    out: Arc<Mutex<Vec<u8>>>,
}

impl Drop for Reader {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

impl Reader {
    fn start(env: &Env, args: &[&str]) -> Reader {
        let mut cmd = CommandBuilder::new("faketime");
        cmd.args(["-f", "@2023-11-14 10:05:00"]);
        let (child, master) = super::e2e::spawn_in_pty(env, cmd, args);
        let mut reader = master.try_clone_reader().unwrap();
        let writer = master.take_writer().unwrap();
        let out = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&out);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            // The master outlives the child here: keep it open.
            drop(master);
        });
        Reader { child, writer, out }
    }

    fn bytes(&self) -> Vec<u8> {
        self.out.lock().unwrap().clone()
    }

    /// The lines printed so far (each ended by `\r\n`).
    fn lines(&self) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.bytes()).into_owned();
        let mut lines: Vec<String> = text.split("\r\n").map(str::to_string).collect();
        lines.pop(); // after the last line end: nothing yet
        lines
    }

    /// Types `keys`, then waits for `want` more lines and compares them.
    fn step(&mut self, keys: &str, want: &[String]) {
        let had = self.lines().len();
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        self.expect(had, keys, want);
    }

    fn expect(&self, had: usize, keys: &str, want: &[String]) {
        let deadline = Instant::now() + timeout(20);
        while self.lines().len() < had + want.len() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        // A moment for lines that should not come.
        std::thread::sleep(Duration::from_millis(400));
        let got = self.lines();
        let got = &got[had.min(got.len())..];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(
                got.get(i),
                Some(w),
                "after {keys:?}, line {i}; said:\n{}",
                got.join("\n")
            );
        }
        assert_eq!(
            got.len(),
            want.len(),
            "after {keys:?}, said:\n{}",
            got.join("\n")
        );
    }

    fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + timeout(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200));
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("tiski did not exit:\n{}", self.lines().join("\n"));
    }
}

fn s(text: &str) -> String {
    text.to_string()
}

/// "Tämä päivystys 2, tänään 2, vuoden keskiarvo 2,0 (1 päivystys)."
fn counts(visitors: u32) -> String {
    format!(
        "Tämä päivystys {visitors}, tänään {visitors}, vuoden keskiarvo {visitors},0 (1 päivystys)."
    )
}

#[test]
fn reader_a_duty_morning_is_said_line_by_line() {
    if !faketime() {
        return;
    }
    let cfg = tiski::config::Config::embedded();
    let p = &cfg.profiles["ikaihmiset"];
    let topic = |key: &str| p.topic_label(key, tiski::locale::Lang::Fi).to_string();
    let digits: Vec<String> = p
        .active_topics()
        .take(9)
        .enumerate()
        .map(|(i, t)| format!("{} {}", i + 1, t.short_label(tiski::locale::Lang::Fi)))
        .collect();
    let env = Env::new();
    let mut r = Reader::start(&env, &["--profile", "ikaihmiset", "--screen-reader"]);
    let form = |topics: &str| {
        vec![
            topics.to_string(),
            s("Ohjattu: ei valittu."),
            s("Kanava: paikan päällä."),
            s("Asiakasryhmä: ikäihminen."),
            s("Ikä: ei valittu."),
            s("Kesto: ei valittu."),
            s("Huomio tyhjä."),
        ]
    };
    // The opening: the mode, where, the counters, the form, the keys.
    let mut opening = vec![
        s("tiski ruudunlukijatilassa. Välilyönti lukee näkymän, kysymysmerkki kertoo näppäimet."),
        s("Päivystys: Ikäihmisten hyvinvointiohjaus, Kirjasto, alkoi klo 10.05."),
        s("Tämä päivystys 0, tänään 0, vuoden keskiarvo 0,0 (1 päivystys)."),
        // The desk issues vouchers: none yet this season.
        s("Sitoumuksia tänään 0 (kausi 0)."),
        s("Lomake: uusi käynti."),
    ];
    opening.extend(form("Aiheita ei ole valittu."));
    opening.push(format!(
        "Aiheiden numerot: {}, 0 muut aiheet….",
        digits.join(", ")
    ));
    opening.push(s("Ei käyntejä vielä."));
    r.expect(0, "(start)", &opening);

    // Two visits.
    r.step("2", &[format!("Aihe 2 {} valittu", topic("digituki"))]);
    r.step("6", &[format!("Aihe 6 {} valittu", topic("liukuesteet"))]);
    r.step(
        "\r",
        &[format!("Tallennettu klo 10.05. {} u kumoaa.", counts(1))],
    );
    r.step("5", &[format!("Aihe 5 {} valittu", topic("kadut_infra"))]);
    r.step(
        "\r",
        &[format!("Tallennettu klo 10.05. {} u kumoaa.", counts(2))],
    );

    // A correction: the first visit was about yard help, not digital help.
    let list = s(
        "Päivän käynnit, 2. Nuolet ylös ja alas valitsevat, Enter muokkaa, x poistaa, Esc palaa lomakkeelle.",
    );
    let short = |key: &str| p.topic_short(key, tiski::locale::Lang::Fi).to_string();
    r.step(
        "\t",
        &[
            list.clone(),
            format!("1/2: klo 10.05 {}", short("kadut_infra")),
        ],
    );
    r.step(
        "\x1b[B",
        &[format!(
            "2/2: klo 10.05 {}, {}",
            short("digituki"),
            short("liukuesteet")
        )],
    );
    let mut editing = vec![s(
        "Muokataan klo 10.05 käyntiä. Enter tallentaa, T muuttaa ajan, Esc peruu muokkauksen.",
    )];
    editing.extend(form(&format!(
        "Aiheet: {}, {}.",
        topic("digituki"),
        topic("liukuesteet")
    )));
    r.step("e", &editing);
    r.step("2", &[format!("Aihe 2 {} ei valittu", topic("digituki"))]);
    r.step("3", &[format!("Aihe 3 {} valittu", topic("piha_kotiapu"))]);
    r.step(
        "\r",
        &[
            s("Klo 10.05 käynti päivitetty"),
            list.clone(),
            format!(
                "2/2: klo 10.05 {}, {}",
                short("piha_kotiapu"),
                short("liukuesteet")
            ),
        ],
    );
    r.step("\x1b", &[s("Lomake: uusi käynti.")]);

    // Undo takes back the last visit saved (streets), and says the counts.
    r.step(
        "u",
        &[
            format!("Klo 10.05 käynti kumottu ({})", short("kadut_infra")),
            counts(1),
        ],
    );

    // A voucher: the form said whole with its products, one chosen, issued.
    let vc = p
        .voucher_settings()
        .expect("the elderly desk issues vouchers");
    let products: Vec<String> = vc
        .active_products()
        .enumerate()
        .map(|(i, pr)| format!("{} {}", i + 1, pr.label(tiski::locale::Lang::Fi)))
        .collect();
    let first = vc
        .active_products()
        .next()
        .unwrap()
        .label(tiski::locale::Lang::Fi)
        .to_string();
    r.step(
        "v",
        &[
            format!(
                "Maksusitoumus. Valitse tuote numerolla: {}. Sarkain siirtyy kentästä toiseen, Enter myöntää, Esc peruu.",
                products.join(", ")
            ),
            s("Tuote: tyhjä."),
            s("Syntymäaika (pp.kk.vvvv): tyhjä."),
            s("Nimi: tyhjä."),
            s("Syntymävuosi (vapaaehtoinen): tyhjä."),
        ],
    );
    r.step(
        "1",
        &[
            format!("Tuote: {first}."),
            s("Syntymäaika (pp.kk.vvvv): tyhjä."),
        ],
    );
    // The season ends at the end of February: 2024 is a leap year.
    let issued = s("LE-2023-001 myönnetty, voimassa 29.2.2024 asti");
    r.step(
        "\r",
        &[
            issued,
            counts(2),
            s("p tulosta, välilyönti lukee uudelleen, muu näppäin sulkee"),
        ],
    );
    r.step("x", &[s("Suljettu.")]);

    // The tally: sentences and short lists, top items first.
    r.step(
        "t",
        &[
            s("Päivän yhteenveto, ti 14.11.2023."),
            s("Kävijöitä 2 (1 päivystys)."),
            s("Vuonna 2023 keskimäärin 2,0 kävijää päivystystä kohden (1 päivystys)."),
            s("Sitoumuksia tänään 1 (kausi 1)."),
            format!(
                "Aiheet: {} 2, {} 1.",
                topic("liukuesteet"),
                topic("piha_kotiapu")
            ),
            s("Ohjattu: ei yhtään."),
            s("Tunneittain: klo 10–11: 2."),
            s("Nuolet vasemmalle ja oikealle vaihtavat päivää, Esc palaa."),
        ],
    );
    r.step("\x1b", &[s("Lomake: uusi käynti."), counts(2)]);
    r.step("q", &[s("tiski suljettu.")]);
    assert!(r.wait_exit());
    let j = env.tally_json(&["--profile", "ikaihmiset", "--date", "2023-11-14"]);
    assert_eq!(j["visitors"], 2, "{j}");
}

#[test]
fn reader_prints_no_escape_sequence_only_lines() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    let mut r = Reader::start(&env, &["--profile", "ikaihmiset", "--screen-reader"]);
    let deadline = Instant::now() + timeout(20);
    while !String::from_utf8_lossy(&r.bytes()).contains("Ei käyntejä vielä.") {
        assert!(Instant::now() < deadline, "no opening");
        std::thread::sleep(Duration::from_millis(20));
    }
    for keys in [
        "2", "\r", "\t", "e", "\x1b", "?", "\x1b", "t", "\x1b", "x", "q",
    ] {
        r.writer.write_all(keys.as_bytes()).unwrap();
        r.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(r.wait_exit());
    let bytes = r.bytes();
    assert!(bytes.len() > 500, "{}", String::from_utf8_lossy(&bytes));
    let text = String::from_utf8(bytes).expect("UTF-8");
    for (i, c) in text.char_indices() {
        let ok = !c.is_control()
            || (c == '\r' && text[i..].starts_with("\r\n"))
            || (c == '\n' && text[..i].ends_with('\r'));
        assert!(ok, "{:?} at {i} in:\n{text:?}", c);
    }
    assert!(text.ends_with("tiski suljettu.\r\n"), "{text}");
}

#[test]
fn reader_l_on_the_first_start_turns_the_mode_on_and_it_is_remembered() {
    if !faketime() {
        return;
    }
    let cfg = tiski::config::Config::embedded();
    let profiles: Vec<String> = cfg
        .profiles
        .values()
        .enumerate()
        .map(|(i, p)| format!("{} {}", i + 1, p.name(tiski::locale::Lang::Fi)))
        .collect();
    let env = Env::new();
    let mut r = Reader::start(&env, &[]);
    let deadline = Instant::now() + timeout(20);
    // The drawn chooser offers the mode.
    while !String::from_utf8_lossy(&r.bytes()).contains("ruudunlukija") {
        assert!(
            Instant::now() < deadline,
            "the chooser does not offer the mode"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let drawn = r.bytes().len();
    r.writer.write_all(b"r").unwrap();
    r.writer.flush().unwrap();
    let spoken = |r: &Reader| -> Vec<String> {
        let bytes = r.bytes();
        let text = String::from_utf8_lossy(&bytes[drawn..]).into_owned();
        let at = text.find("Ruudunlukijatila päällä").unwrap_or(text.len());
        let mut lines: Vec<String> = text[at..].split("\r\n").map(str::to_string).collect();
        lines.pop();
        lines
    };
    let mut want = vec![
        s("Ruudunlukijatila päällä. Se muistetaan seuraavalla käynnistyksellä."),
        s("tiski ruudunlukijatilassa. Välilyönti lukee näkymän, kysymysmerkki kertoo näppäimet."),
        s("Valitse profiili numerolla, q lopettaa:"),
    ];
    want.extend(profiles);
    // The chooser's other key, from its table: the language.
    let t = tiski::i18n::texts(tiski::locale::Lang::Fi);
    want.push(format!("l: {}", t.key_help(tiski::keys::Cmd::Language)));
    while spoken(&r).len() < want.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(spoken(&r), want);
    // After the switch, nothing but lines: the drawn screen was left once.
    let bytes = r.bytes();
    let after = String::from_utf8_lossy(&bytes[drawn..]).into_owned();
    let at = after.find("Ruudunlukijatila").unwrap();
    assert!(!after[at..].contains('\u{1b}'), "{after:?}");
    let had = r.lines().len();
    r.writer.write_all(b"1").unwrap();
    r.writer.flush().unwrap();
    while r.lines().len() < had + 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        r.lines()
            .iter()
            .any(|l| l == "Päivystys: Ikäihmisten hyvinvointiohjaus, Kirjasto, alkoi klo 10.05."),
        "{:?}",
        r.lines()
    );
    r.writer.write_all(b"q").unwrap();
    r.writer.flush().unwrap();
    assert!(r.wait_exit());

    // The next start, without the flag, speaks from its first byte.
    let mut again = Reader::start(&env, &[]);
    let mut opening = vec![
        s("tiski ruudunlukijatilassa. Välilyönti lukee näkymän, kysymysmerkki kertoo näppäimet."),
        s("Päivystys: Ikäihmisten hyvinvointiohjaus, Kirjasto, alkoi klo 10.05."),
    ];
    let deadline = Instant::now() + timeout(20);
    while again.lines().len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    opening.truncate(2);
    assert_eq!(again.lines()[..2], opening[..]);
    assert!(!String::from_utf8_lossy(&again.bytes()).contains('\u{1b}'));
    again.writer.write_all(b"q").unwrap();
    again.writer.flush().unwrap();
    assert!(again.wait_exit());
}

#[test]
fn reader_screen_reader_true_in_the_user_config_turns_the_mode_on() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    let dir = env.dir.path().join("config").join("tiski");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "screen_reader = true\n").unwrap();
    let mut r = Reader::start(&env, &["--profile", "ikaihmiset", "--lang", "en"]);
    let cfg = tiski::config::Config::embedded();
    let p = &cfg.profiles["ikaihmiset"];
    let en = tiski::locale::Lang::En;
    let mut want = vec![
        s("tiski in screen-reader mode. Space reads the view, question mark tells the keys."),
        format!(
            "Duty: {}, {}, started at 10:05.",
            p.name(en),
            p.default_location
        ),
        s("This session 0, today 0, year's mean 0.0 (1 session)."),
        s("Vouchers today 0 (season 0)."),
        s("Form: new visit."),
        s("No topics chosen."),
    ];
    want.push(format!(
        "{}: not chosen.",
        tiski::i18n::texts(en).referral()
    ));
    for f in &p.fields {
        let value = f
            .default
            .as_deref()
            .and_then(|k| f.option(k))
            .map_or("not chosen", |o| o.label(en));
        want.push(format!("{}: {value}.", f.label(en)));
    }
    want.push(s("Note empty."));
    let digits: Vec<String> = p
        .active_topics()
        .take(9)
        .enumerate()
        .map(|(i, t)| format!("{} {}", i + 1, t.short_label(en)))
        .collect();
    want.push(format!(
        "Topic numbers: {}, 0 more topics….",
        digits.join(", ")
    ));
    want.push(s("No visits yet."));
    r.expect(0, "(start)", &want);
    r.step("q", &[s("tiski closed.")]);
    assert!(r.wait_exit());
    assert!(!String::from_utf8_lossy(&r.bytes()).contains('\u{1b}'));
}

#[test]
fn reader_a_doubtful_clock_is_asked_about_with_its_answer_keys() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    // Logged by the real clock: the screen's 14.11.2023 is years behind.
    env.ok(&["log", "--profile", "ikaihmiset", "--topic", "digituki"]);
    let t = tiski::i18n::texts(tiski::locale::Lang::Fi);
    let mut r = Reader::start(&env, &["--profile", "ikaihmiset", "--screen-reader"]);
    let deadline = Instant::now() + timeout(20);
    let keys = s("Vastaa k kyllä tai e ei.");
    while !r.lines().contains(&keys) {
        assert!(Instant::now() < deadline, "{:#?}", r.lines());
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let lines = r.lines();
    let at = lines.iter().position(|l| *l == keys).unwrap();
    assert!(
        lines[at - 1].ends_with(t.clock_question()),
        "the question comes before its keys: {lines:#?}"
    );
    let had = lines.len();
    r.writer.write_all(b"e").unwrap();
    r.writer.flush().unwrap();
    r.expect(had, "e", &[format!("Virhe: {}", t.clock_refused())]);
    // Enter asks again: nothing is saved by a clock in doubt.
    r.step("2", &[s("Aihe 2 Digituki valittu")]);
    let had = r.lines().len();
    r.writer.write_all(b"\r").unwrap();
    r.writer.flush().unwrap();
    let deadline = Instant::now() + timeout(20);
    while r.lines().len() < had + 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let again = &r.lines()[had..];
    assert!(again[0].starts_with("Virhe: "), "{again:#?}");
    assert_eq!(again.last(), Some(&keys), "{again:#?}");
    r.step("k", &[s(t.clock_accepted())]);
    // Ctrl-C with a topic on the form asks too, with its keys.
    r.step("\x03", &[s(t.confirm_quit_unsaved()), keys]);
    r.step("k", &[s("tiski suljettu.")]);
    assert!(r.wait_exit());
}

/// `l` on the spoken chooser says the chooser again in English and is
/// remembered, as the key's own words promise (it was silent and lasted
/// one run).
#[test]
fn reader_l_on_the_spoken_chooser_is_said_and_remembered() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    let mut r = Reader::start(&env, &["--screen-reader"]);
    let fi = tiski::i18n::texts(tiski::locale::Lang::Fi);
    let said = format!("l: {}", fi.key_help(tiski::keys::Cmd::Language));
    let deadline = Instant::now() + timeout(20);
    while !r.lines().contains(&said) {
        assert!(Instant::now() < deadline, "{:#?}", r.lines());
        std::thread::sleep(Duration::from_millis(20));
    }
    r.writer.write_all(b"l").unwrap();
    r.writer.flush().unwrap();
    let en = tiski::i18n::texts(tiski::locale::Lang::En);
    let english = en.choose_profile_by_number().to_string();
    while !r.lines().contains(&english) {
        assert!(Instant::now() < deadline, "not said: {:#?}", r.lines());
        std::thread::sleep(Duration::from_millis(20));
    }
    r.writer.write_all(b"q").unwrap();
    r.writer.flush().unwrap();
    assert!(r.wait_exit());
    let missing = env.dir.path().join("missing.db");
    let out = env.run_on(&missing, &["tally", "--profile", "ikaihmiset"]);
    let said = super::cli::fails(&out);
    assert!(said.contains("tiski: error:"), "not remembered: {said}");
}

/// `screen_reader = false` in the user config gives the drawn screen back
/// after `r` on the chooser turned the mode on (it was ignored: a sighted
/// colleague's mistaken `r` made every later start speak).
#[test]
fn reader_screen_reader_false_in_the_config_gives_the_drawn_screen_back() {
    if !faketime() {
        return;
    }
    let env = Env::new();
    let mut r = Reader::start(&env, &[]);
    let deadline = Instant::now() + timeout(20);
    while !String::from_utf8_lossy(&r.bytes()).contains("ruudunlukija") {
        assert!(Instant::now() < deadline, "no chooser");
        std::thread::sleep(Duration::from_millis(20));
    }
    r.writer.write_all(b"r1").unwrap();
    r.writer.flush().unwrap();
    let duty = "Päivystys: Ikäihmisten hyvinvointiohjaus, Kirjasto, alkoi klo 10.05.";
    while !r.lines().iter().any(|l| l == duty) {
        assert!(Instant::now() < deadline, "{:#?}", r.lines());
        std::thread::sleep(Duration::from_millis(20));
    }
    r.writer.write_all(b"q").unwrap();
    r.writer.flush().unwrap();
    assert!(r.wait_exit());
    // Remembered: the next start speaks.
    let mut again = Reader::start(&env, &[]);
    while again.lines().is_empty() {
        assert!(Instant::now() < deadline, "the next start said nothing");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!String::from_utf8_lossy(&again.bytes()).contains('\u{1b}'));
    again.writer.write_all(b"q").unwrap();
    again.writer.flush().unwrap();
    assert!(again.wait_exit());
    // Said otherwise in the config: drawn.
    let dir = env.dir.path().join("config").join("tiski");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "screen_reader = false\n").unwrap();
    let mut drawn = Reader::start(&env, &[]);
    while !String::from_utf8_lossy(&drawn.bytes()).contains("Uusi käynti") {
        assert!(
            Instant::now() < deadline,
            "not drawn: {:?}",
            String::from_utf8_lossy(&drawn.bytes())
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drawn.writer.write_all(b"q").unwrap();
    drawn.writer.flush().unwrap();
    assert!(drawn.wait_exit());
}
