//! English privacy texts, the register description among them.

use super::{NoticeFacts, NoticeSection, PrivacyTexts, join_and};
use crate::i18n::en::En;
use crate::locale::{Lang, date};
use crate::privacy::config::RetentionProblem;
use crate::privacy::error::PrivacyError;
use crate::privacy::retention::{Due, PrivacyFinding};
use crate::privacy::{Found, IdentityKind, masked};
use crate::store::privacy::{CopiesPurged, PurgeReport};

/// `1 note`, `3 notes`.
fn n(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn paths(p: &[std::path::PathBuf]) -> String {
    p.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "3 notes, the birth years and hashes of 1 voucher and 1 draft".
fn due_words(d: &Due) -> String {
    let mut parts = Vec::new();
    if d.notes > 0 {
        parts.push(n(d.notes, "note", "notes"));
    }
    if d.identities > 0 {
        parts.push(format!(
            "the birth years and hashes of {}",
            n(d.identities, "voucher", "vouchers")
        ));
    }
    if d.drafts > 0 {
        parts.push(n(d.drafts, "unsaved form", "unsaved forms"));
    }
    join_and(&parts, "and")
}

impl En {
    fn found_list(&self, found: &[Found]) -> String {
        let items: Vec<String> = found
            .iter()
            .map(|f| {
                let article = if f.kind == IdentityKind::Email {
                    "an"
                } else {
                    "a"
                };
                format!(
                    "{article} {} (character {}: {})",
                    self.identity_kind(f.kind),
                    f.char_pos,
                    masked(f)
                )
            })
            .collect();
        join_and(&items, "and")
    }

    fn copies_lines(&self, c: &CopiesPurged) -> Vec<String> {
        let mut out = Vec::new();
        if !c.rewritten.is_empty() {
            out.push(format!(
                "Rewritten without the purged data: {}.",
                paths(&c.rewritten)
            ));
        }
        if !c.removed.is_empty() {
            out.push(format!(
                "Deleted, as they could not be rewritten: {}.",
                paths(&c.removed)
            ));
        }
        if let Some(p) = &c.kept {
            out.push(format!(
                "The newest backup {} could not be rewritten and no new one made (a full disk?); it was kept so that a backup exists. Free some space and run tiski purge --due again.",
                p.display()
            ));
        }
        for (p, why) in &c.unreadable {
            out.push(format!(
                "The backup {} could not be read ({why}); check it or delete it.",
                p.display()
            ));
        }
        out
    }
}

impl PrivacyTexts for En {
    fn identity_kind(&self, kind: IdentityKind) -> &'static str {
        match kind {
            IdentityKind::PersonalCode => "personal identity code",
            IdentityKind::Phone => "phone number",
            IdentityKind::Email => "e-mail address",
        }
    }
    fn note_refused(&self, found: &[Found]) -> String {
        let it = if found.len() == 1 { "it" } else { "them" };
        format!(
            "The note holds {}. Remove {it} first.",
            self.found_list(found)
        )
    }
    fn save_refused_note(&self, found: &[Found]) -> String {
        format!(
            "Not saved: the note holds {}. Correct the note (n).",
            self.found_list(found)
        )
    }

    fn purge_report(&self, r: &PurgeReport) -> String {
        let mut lines = Vec::new();
        let cleared = &r.database.cleared;
        lines.push(if cleared.is_empty() {
            "Nothing in the database was past its retention.".to_string()
        } else {
            format!("Removed from the database: {}.", due_words(cleared))
        });
        lines.extend(self.copies_lines(&r.copies));
        if !r.temp_removed.is_empty() {
            lines.push(format!(
                "Removed temporary copies left by interrupted commands: {}.",
                paths(&r.temp_removed)
            ));
        }
        lines.join("\n")
    }
    fn daily_purged(&self, r: &PurgeReport) -> Option<String> {
        let copies = r.copies.rewritten.len() + r.copies.removed.len();
        let cleared = &r.database.cleared;
        match (cleared.is_empty(), copies) {
            (true, 0) => None,
            (true, c) => Some(format!(
                "Retention: {} cleaned.",
                n(c as u64, "backup", "backups")
            )),
            (false, 0) => Some(format!("Retention: removed {}.", due_words(cleared))),
            (false, c) => Some(format!(
                "Retention: removed {}; {} cleaned.",
                due_words(cleared),
                n(c as u64, "backup", "backups")
            )),
        }
    }
    fn daily_purge_failed(&self, error: &str) -> String {
        format!(
            "Removing data past its retention failed ({error}), so no backup was made. The next start tries again (or: tiski purge --due)."
        )
    }

    fn blanked(&self, cells: usize, min: u32) -> String {
        if cells == 0 {
            format!("No rare combinations of options (threshold {min}).")
        } else {
            format!(
                "Rare combinations of options hidden: {} show as <{min}, as their combination is on fewer than {min} rows.",
                n(cells as u64, "cell", "cells")
            )
        }
    }

    fn privacy_finding(&self, f: &PrivacyFinding) -> String {
        let fix = "fix: tiski purge --due";
        match f {
            PrivacyFinding::Retention(r) => format!(
                "retention: notes {} days, voucher birth years and hashes {} days after their season",
                r.notes_days, r.voucher_identity_days
            ),
            PrivacyFinding::LastPurge(None) => {
                "no data past retention has been removed yet (tiski does it on each day's first start)".into()
            }
            PrivacyFinding::LastPurge(Some(d)) => {
                format!("data past retention last removed on {}", date(*d, Lang::En))
            }
            PrivacyFinding::Overdue { due, .. } if due.is_empty() => {
                "nothing in the database is past its retention".into()
            }
            PrivacyFinding::Overdue { due, oldest_note } => {
                let oldest = oldest_note
                    .map(|d| format!(" (oldest note {})", date(d, Lang::En)))
                    .unwrap_or_default();
                format!(
                    "the database holds data past its retention: {}{oldest}; {fix}",
                    due_words(due)
                )
            }
            PrivacyFinding::ScrubPending => format!(
                "old copies of purged data may remain in the file because another tiski was open; close the others, {fix}"
            ),
            PrivacyFinding::Backup { path, due } => format!(
                "a backup holds data past its retention ({}): {}; {fix}",
                due_words(due),
                path.display()
            ),
            PrivacyFinding::UnreadableBackup { path, reason } => format!(
                "a backup cannot be read, so its contents cannot be checked ({reason}): {}; check it or delete it",
                path.display(),
                reason = crate::i18n::en::cause(reason)
            ),
            PrivacyFinding::TempCopies(p) if p.is_empty() => {
                "no temporary copies left by interrupted commands".into()
            }
            PrivacyFinding::TempCopies(p) => format!(
                "temporary copies left by interrupted commands: {}; {fix} (or any tiski command)",
                paths(p)
            ),
        }
    }
    fn privacy_error(&self, e: &PrivacyError) -> String {
        match e {
            PrivacyError::NoteIdentity { found } => format!(
                "the note holds {}, so the visit was not saved. Notes never hold personal identity codes, phone numbers or e-mail addresses. Remove the command from your shell history too.",
                self.found_list(found)
            ),
            PrivacyError::NoteTooLong { chars, max } => format!(
                "the note has {chars} characters but at most {max} are kept, so the visit was not saved. Shorten the note."
            ),
            PrivacyError::NoteControl { position } => format!(
                "the note holds a control character (character {position}), such as a line break, so the visit was not saved. Write the note on one line."
            ),
            PrivacyError::ImportIdentity(r) if r.line.is_some() => format!(
                "{}, line {}: a visit's note holds {}, so nothing was imported from the file. Remove it from the file and import again.",
                r.path.display(),
                r.line.unwrap_or_default(),
                self.found_list(&r.found)
            ),
            PrivacyError::ImportIdentity(r) => format!(
                "{}: the note of the visit at {} ({}) holds {}, so nothing was imported from the database. Correct the note there and import again.",
                r.path.display(),
                r.at,
                r.uid,
                self.found_list(&r.found)
            ),
            PrivacyError::PurgeReachesSeason {
                before,
                season,
                season_end,
            } => format!(
                "{} reaches into the current season {season}, which ends on {}: its birth years and hashes would go, and the duplicate check would stop working. Nothing was purged. Choose an earlier day, or add --force if this is intended.",
                date(*before, Lang::En),
                date(*season_end, Lang::En)
            ),
            PrivacyError::ScrubIncomplete => {
                "the data past retention was removed, but old copies of it may remain in the file because another tiski is open. Close the others and run tiski purge --due again.".into()
            }
        }
    }
    fn retention_problem(&self, p: &RetentionProblem) -> String {
        match p {
            RetentionProblem::TooLong {
                setting,
                value,
                max,
            } => format!(
                "retention.{setting} = {value} is longer than {max} days (10 years); retention must be limited"
            ),
        }
    }

    fn notice_written(&self, path: &str) -> String {
        format!(
            "The draft privacy notice was written to {path}. Check and complete it before publishing."
        )
    }

    fn privacy_notice(&self, f: &NoticeFacts<'_>) -> (String, Vec<NoticeSection>) {
        let s = |title: &str, paragraphs: Vec<String>, items: Vec<String>| NoticeSection {
            title: title.into(),
            paragraphs,
            items,
        };
        let or_fill = |v: &str, fill: &str| {
            if v.trim().is_empty() {
                format!("[{fill}]")
            } else {
                v.trim().to_string()
            }
        };
        let vouchers = f.profiles.iter().any(|p| p.vouchers);
        let desks: Vec<String> = f
            .profiles
            .iter()
            .map(|p| format!("{} ({})", p.name, p.locations.join(", ")))
            .collect();
        let r = f.retention;
        let notes_kept = if r.notes_days == 0 {
            "A note is emptied after the day of the visit.".to_string()
        } else {
            format!("A note is emptied {} days after the visit.", r.notes_days)
        };

        let mut contents = vec![
            "The day and time of the visit, the place, the duty session (start and end) and a random id of the device.".to_string(),
        ];
        for p in &f.profiles {
            let mut parts = vec![format!("topics: {}", p.topics.join(" · "))];
            if !p.referrals.is_empty() {
                parts.push(format!("referral: {}", p.referrals.join(" · ")));
            }
            for (label, options) in &p.fields {
                parts.push(format!("{label}: {}", options.join(" · ")));
            }
            contents.push(format!("{}: {}.", p.name, parts.join("; ")));
        }
        contents.push(
            "A free-text note of at most 500 characters. The program does not save a note holding a personal identity code, a phone number or an e-mail address, and names must not be written.".into(),
        );
        if vouchers {
            contents.push(
                "Payment commitments (vouchers): number, product, maximum sum, issue day, validity, status, invoiced sum and day, shop and any reason for cancelling. Optionally the recipient's birth year, and for the duplicate check a keyed hash (HMAC-SHA256) of the name and birth date. The name and birth date are not stored and cannot be recovered from the hash without the key on the computer.".into(),
            );
        }
        contents.push("Head-counts: the number of visitors logged at once in a duty session and when, without topics.".into());
        if f.profiles.iter().any(|p| p.events) {
            contents.push(
                "Events and groups: title, day, place, kind, partners, attendance and the groups' meetings, and feedback questions with their answer counts. No person is recorded in them.".into(),
            );
        }
        contents.push("Nothing else about people is stored.".into());

        let mut purpose = vec![
            "The data is used to follow and report the work of the walk-in desks, for example in the welfare report: how many came, what they asked about and where they were referred.".to_string(),
        ];
        if vouchers {
            purpose.push("Payment commitments are recorded for their invoicing and follow-up. The duplicate check makes sure that no one gets two commitments in one season.".into());
        }

        let mut retention = vec![notes_kept];
        if vouchers {
            retention.push(format!(
                "Vouchers' birth years and hashes are removed {} days after the end of their season.",
                r.voucher_identity_days
            ));
        }
        retention.push("The rest of a visit (topics, referral, options) is kept for statistics. [Add its retention from the records management plan.]".into());
        retention.push(format!(
            "The program removes data past its retention on each day's first start, from the database and from every backup, leaving no copies in the files. The report counts stay. The {} newest backups are kept.",
            f.backups_keep
        ));

        let mut disclosure = vec![
            "The program sends data nowhere. Only reports and exports the user makes leave the computer: a report, a CSV file of visits and a JSONL file for combining another desk's log.".to_string(),
        ];
        disclosure.push(if f.min_count > 1 {
            format!(
                "Reports show counts below {m} as <{m} (and where a breakdown would hide only one, the next smallest as x, so that the hidden one cannot be worked out from the others), and the CSV of visits hides combinations of options that occur on fewer than {m} rows.",
                m = f.min_count
            )
        } else {
            "Small counts are not hidden: reports show every count. [Consider the setting privacy.min_count = 5.]".into()
        });
        disclosure.push("A JSONL file holds all the data; it is meant only for moving data between the controller's own computers. No data is transferred outside the EU or the EEA.".into());

        let contact = or_fill(
            f.contact,
            "name or role of the contact person and how to reach them",
        );
        let sections = vec![
            s(
                "Controller",
                vec![or_fill(f.controller, "name, address and business ID of the controller")],
                vec![],
            ),
            s(
                "Contact person and data protection officer",
                vec![
                    contact.clone(),
                    "Data protection officer: [name and contact details].".into(),
                ],
                vec![],
            ),
            s(
                "Name of the register",
                vec![
                    "Visit log of the walk-in advice desks (tiski).".into(),
                    format!("The register holds the visits of these desks: {}.", desks.join("; ")),
                ],
                vec![],
            ),
            s("Purpose of processing", purpose, vec![]),
            s(
                "Legal basis",
                vec!["[Add the legal basis, for example a task carried out in the public interest (GDPR article 6(1)(e)) and the act the task rests on. If the topics can reveal health data, name the basis under article 9 too.]".into()],
                vec![],
            ),
            s(
                "Data stored",
                vec!["Only the following is stored about a visit. No names, personal identity codes or contact details are stored.".into()],
                contents,
            ),
            s(
                "Sources of the data",
                vec!["The worker records the data during the visit or right after it, from what the client tells.".into()],
                vec![],
            ),
            s("Retention", retention, vec![]),
            s(
                "Where the data is kept",
                vec![format!(
                    "The data is only on the worker's computer: the database {}, backups in the folder {}. It is not stored on a network drive, in a cloud service or on a server.",
                    f.database, f.backups
                )],
                vec![],
            ),
            s(
                "Who can read the data and how it is protected",
                vec![
                    "The files can be read only by the user account the program runs under: their permissions allow the account's owner alone (files 0600, folders 0700).".into(),
                    "A note cannot hold a personal identity code, phone number or e-mail address, and purged data is overwritten in the files.".into(),
                    "[Add who uses the account and how the computer is protected, for example disk encryption, screen lock and maintenance.]".into(),
                ],
                vec![],
            ),
            s("Disclosures and transfers", disclosure, vec![]),
            s(
                "Rights of the data subject",
                vec![
                    "The register holds no names, personal identity codes or contact details, so the controller cannot tell which visits concern a given person (GDPR article 11). Requests for access, correction or erasure are therefore answered that the register holds no data identifying the person. If the person gives further details that identify their data, the request is handled on that basis.".into(),
                    "There is no automated decision-making or profiling.".into(),
                    format!("Requests: {contact}."),
                ],
                vec![],
            ),
            s(
                "Right to lodge a complaint",
                vec!["Everyone has the right to lodge a complaint with a supervisory authority if they consider that the processing of their personal data infringes the GDPR. In Finland it is the Office of the Data Protection Ombudsman (tietosuoja.fi).".into()],
                vec![],
            ),
        ];
        let title = format!(
            "Privacy notice (draft): visit log of the walk-in desks\n\nEU General Data Protection Regulation (2016/679), articles 13 and 30. This draft was made from the program's settings on {}. Check it and fill in the parts in brackets [ ] before publishing.",
            f.made_on
        );
        (title, sections)
    }
}
