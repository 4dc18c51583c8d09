//! Finnish texts of consolidation on the city's server.

use crate::config::ServerConfigProblem;
use crate::i18n::fi::{Fi, cause};
use crate::server::schema::Init;
use crate::server::{ServerError, SyncReport};

impl super::ServerTexts for Fi {
    fn server_config_problem(&self, p: &ServerConfigProblem) -> String {
        match p {
            ServerConfigProblem::NoHost => {
                "[server] tarvitsee palvelimen (host) tai palvelun (service, pg_service.conf)"
                    .into()
            }
            ServerConfigProblem::Password => "salasanaa ei koskaan pidetä asetustiedostossa: \
                 laita se pgpass-tiedostoon tai sinetöi se komennolla `tiski server password`"
                .into(),
            ServerConfigProblem::BadPrefix(p) => {
                format!("voucher_prefix \"{p}\" ei ole 1–6 merkkiä A–Z tai 0–9")
            }
        }
    }

    fn server_error(&self, e: &ServerError) -> String {
        match e {
            ServerError::NotConfigured => "palvelinta ei ole asetettu: lisää asetuksiin \
                 [server]-taulu (ks. ylläpito-opas). Mitään ei lähetetty."
                .into(),
            ServerError::NoService { name, files } => format!(
                "palvelua \"{name}\" ei ole missään palvelutiedostossa ({files}). Mitään ei \
                 lähetetty."
            ),
            ServerError::NoPassword { user, host } => format!(
                "käyttäjän {user} salasanaa palvelimelle {host} ei löydy: laita se \
                 pgpass-tiedostoon tai sinetöi se komennolla `tiski server password`. Mitään \
                 ei lähetetty."
            ),
            ServerError::WrongPassword { user } => format!(
                "palvelin ei hyväksynyt käyttäjän {user} salasanaa (tai rooli ei saa kirjautua). \
                 Tarkista salasana kaupungin IT:ltä. Mitään ei lähetetty."
            ),
            ServerError::NotLetIn { user, detail } => format!(
                "palvelin ei päästä roolia {user} sisään tältä koneelta tai tällä tavoin \
                 ({detail}): kaupungin IT tarkistaa sen pg_hba.conf-tiedoston. Mitään ei \
                 lähetetty."
            ),
            ServerError::Tls { host, detail } => format!(
                "suojattua yhteyttä palvelimeen {host} ei saatu: sen varmenteeseen ei luoteta \
                 tai se ei ole nimellä {host} ({detail}). Pyydä kaupungin IT:ltä sen \
                 CA-varmenne (Windowsissa varmennesäilöön, muualla root_cert \
                 [server]-taulussa). Mitään ei lähetetty."
            ),
            ServerError::Unreachable { host, port, detail } => format!(
                "palvelimeen {host}:{port} ei saada yhteyttä ({detail}). Loki on tallessa \
                 tällä koneella ja lähtee seuraavalla synkronoinnilla."
            ),
            ServerError::Lost { detail } => format!(
                "yhteys palvelimeen katkesi ({detail}). Mitä palvelin ei ehtinyt ottaa, \
                 lähetetään uudelleen seuraavalla kerralla; mitään ei katoa eikä tule kahdesti."
            ),
            ServerError::NoSchema => "palvelimella ei ole vielä tiskin skeemaa: kaupungin IT \
                 ajaa ensin `tiski server init` (ks. ylläpito-opas)."
                .into(),
            ServerError::SchemaTooNew { found, supported } => format!(
                "palvelimen skeema on versiota {found}, uudempi kuin tämä tiski tuntee \
                 ({supported}): päivitä tiski. Mitään ei muutettu."
            ),
            ServerError::SchemaOld { found, supported } => format!(
                "palvelimen skeema on versiota {found}; tämä tiski tarvitsee version \
                 {supported}: kaupungin IT päivittää sen komennolla `tiski server init`. \
                 Mitään ei lähetetty."
            ),
            ServerError::NotADesk { role } => format!(
                "rooli {role} ei ole palvelimella tiskin työpiste: kaupungin IT lisää sen \
                 komennolla `tiski server add-desk`. Mitään ei lähetetty."
            ),
            ServerError::SeriesTaken { prefix, desk } => format!(
                "maksusitoumusten numerotunnus {prefix} on jo työpisteen \"{desk}\": anna \
                 tälle työpisteelle oma ([server]-taulun voucher_prefix). Mitään ei lähetetty."
            ),
            ServerError::Denied { role, what } => format!(
                "palvelin ei salli roolille {role} tätä ({what}). Yksikön luvut luetaan \
                 lukijaroolilla."
            ),
            ServerError::File { path, reason } => {
                format!(
                    "tiedostoa {} ei voi lukea: {}",
                    path.display(),
                    cause(reason)
                )
            }
            ServerError::Refused { code, message } => {
                format!("palvelin kieltäytyi: {message} (koodi {code}). Mitään ei muutettu.")
            }
            ServerError::Store(_) => "tämän työpisteen tietokantaa ei voitu lukea".into(),
        }
    }

    fn sync_done(&self, r: &SyncReport, server: &str, pending: u64) -> String {
        let mut s = match r.sent {
            0 => format!(
                "Työpisteen \"{}\" tiedot ovat ajan tasalla palvelimella {server}.",
                r.desk
            ),
            1 => format!(
                "1 tietue lähetetty palvelimelle {server} (työpiste \"{}\").",
                r.desk
            ),
            n => format!(
                "{n} tietuetta lähetetty palvelimelle {server} {} erässä (työpiste \"{}\").",
                r.batches, r.desk
            ),
        };
        if r.purged != (0, 0) {
            s.push(' ');
            s.push_str(&self.server_purged(r.purged.0, r.purged.1));
        }
        if pending > 0 {
            s.push_str(&format!(" {pending} muuttui sillä välin ja odottaa."));
        }
        s
    }

    fn sync_synced(&self) -> &'static str {
        "synkronoitu"
    }

    fn sync_waiting(&self, n: u64) -> String {
        format!("odottaa ({n})")
    }

    fn sync_offline(&self, since: &str, n: u64) -> String {
        format!("ei yhteyttä {since} alkaen ({n})")
    }

    fn sync_refused(&self, n: u64) -> String {
        format!("ei synkronoitu ({n})")
    }

    fn server_init_done(&self, i: &Init, server: &str) -> String {
        if i.from == i.to {
            format!(
                "Tiskin skeema palvelimella {server} on ajan tasalla (versio {}).",
                i.to
            )
        } else if i.from == 0 {
            format!(
                "Tiskin skeema tehtiin palvelimelle {server} (versio {}).",
                i.to
            )
        } else {
            format!(
                "Tiskin skeema palvelimella {server} päivitettiin versiosta {} versioon {}.",
                i.from, i.to
            )
        }
    }

    fn desk_added(&self, desk: &str, role: &str) -> String {
        format!(
            "Työpiste \"{desk}\" synkronoi roolilla {role}. Aseta roolille salasana \
             (ALTER ROLE … PASSWORD), jos sillä ei ole."
        )
    }

    fn reader_added(&self, role: &str) -> String {
        format!("Rooli {role} saa lukea yksikön luvut.")
    }

    fn password_sealed(&self, path: &str) -> String {
        format!("Salasana on sinetöity tälle käyttäjälle tiedostoon {path}.")
    }

    fn password_prompt(&self, user: &str, server: &str) -> String {
        format!("Käyttäjän {user} salasana palvelimelle {server} (ei näy): ")
    }

    fn server_purged(&self, notes: u64, identities: u64) -> String {
        format!(
            "Säilytysaika palvelimella: {notes} muistiinpanoa ja {identities} \
             maksusitoumuksen henkilötietoa tyhjennetty."
        )
    }

    fn read_from_server(&self, server: &str) -> String {
        format!("Palvelimelta {server}: kaikki sinne synkronoivat työpisteet")
    }
}
