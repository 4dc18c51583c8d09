//! Many rows written by few statements: `INSERT … VALUES (…), (…), …` in
//! a few fixed sizes, each compiled once and kept in the statement cache,
//! so that a batch of any length costs a handful of statements instead
//! of one a row (each with its own step, reset and bindings).
//!
//! A statement of many rows into a table with a foreign key keeps a
//! statement journal (a copy of each page it changes, to undo itself
//! alone if a row fails), which one of one row does not; measured, the
//! batch still costs less (see the commit that brought this in).

use rusqlite::{Connection, Row, Statement};

/// The rows one statement writes, largest first (small in tests, so
/// that every size meets a batch).
const CHUNKS: &[usize] = if cfg!(test) {
    &[3, 2, 1]
} else {
    &[64, 16, 4, 1]
};

/// An insert of many rows: `head VALUES (?, …), … tail`.
pub(super) struct Insert<'a> {
    /// Up to `VALUES`: `INSERT INTO t(a, b)`.
    pub head: &'a str,
    /// The values of a row.
    pub cols: usize,
    /// After the values: `ON CONFLICT …`, `RETURNING …`, or nothing.
    pub tail: &'a str,
}

impl Insert<'_> {
    /// Writes rows `0..n`: `bind(stmt, p, i)` binds row `i`'s values from
    /// parameter `p` on (1-based); each row a `RETURNING` yields goes to
    /// `returned`.
    pub fn run(
        &self,
        conn: &Connection,
        n: usize,
        mut bind: impl FnMut(&mut Statement<'_>, usize, usize) -> rusqlite::Result<()>,
        mut returned: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()> {
        let mut i = 0;
        for &size in CHUNKS {
            if n - i < size {
                continue;
            }
            let mut stmt = conn.prepare_cached(&self.sql(size))?;
            while n - i >= size {
                for r in 0..size {
                    bind(&mut stmt, r * self.cols + 1, i + r)?;
                }
                let mut rows = stmt.raw_query();
                while let Some(row) = rows.next()? {
                    returned(row)?;
                }
                i += size;
            }
        }
        Ok(())
    }

    fn sql(&self, rows: usize) -> String {
        let row = format!("({})", vec!["?"; self.cols].join(", "));
        let values = vec![row; rows].join(", ");
        format!("{} VALUES {values} {}", self.head, self.tail)
    }
}
