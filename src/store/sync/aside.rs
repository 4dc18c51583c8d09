//! Triggers set aside for the length of a merge's transaction: dropped
//! inside it with their SQL kept, and made again word for word before it
//! commits (a failure rolls the drops back), while the merge does their
//! work itself, per batch instead of per row.

use rusqlite::{Connection, OptionalExtension};

/// The triggers set aside: each one's name and SQL.
pub(super) type Aside = Vec<(String, String)>;

/// Drops the triggers `names` that exist, keeping their SQL.
pub(super) fn set_aside<'a>(
    conn: &Connection,
    names: impl IntoIterator<Item = &'a str>,
) -> rusqlite::Result<Aside> {
    let mut aside = Vec::new();
    for name in names {
        let sql: Option<String> = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sql) = sql {
            conn.execute_batch(&format!("DROP TRIGGER {name}"))?;
            aside.push((name.to_string(), sql));
        }
    }
    Ok(aside)
}

/// Makes the triggers set aside again, as they were.
pub(super) fn put_back(conn: &Connection, aside: Option<Aside>) -> rusqlite::Result<()> {
    for (_, sql) in aside.unwrap_or_default() {
        conn.execute_batch(&sql)?;
    }
    Ok(())
}
