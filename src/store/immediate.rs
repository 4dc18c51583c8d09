//! A write transaction begun (`BEGIN IMMEDIATE`) and committed by cached
//! statements: rusqlite's `Transaction` prepares both afresh each time, a
//! tenth of the SQL of a visit saved on the duty screen. Rolled back when
//! dropped without a commit, as rusqlite's is.

use std::ops::Deref;

use rusqlite::Connection;

/// An open immediate transaction on a connection; derefs to it.
pub(crate) struct Immediate<'c> {
    conn: &'c Connection,
    committed: bool,
}

impl<'c> Immediate<'c> {
    /// Takes the write lock (waiting up to the busy timeout).
    pub(crate) fn begin(conn: &'c Connection) -> rusqlite::Result<Self> {
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        Ok(Self {
            conn,
            committed: false,
        })
    }

    /// Commits (durable on return under `synchronous=FULL`); on an error
    /// the transaction is rolled back as this is dropped.
    pub(crate) fn commit(mut self) -> rusqlite::Result<()> {
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        self.committed = true;
        Ok(())
    }
}

impl Deref for Immediate<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Immediate<'_> {
    fn drop(&mut self) {
        if !self.committed && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("t.db")).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t(x INTEGER)").unwrap();
        (dir, conn)
    }

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_transaction_dropped_uncommitted_leaves_nothing_and_the_next_one_works() {
        let (dir, conn) = file();
        {
            let tx = Immediate::begin(&conn).unwrap();
            tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        }
        assert!(conn.is_autocommit(), "rolled back, not left open");
        assert_eq!(rows(&conn), 0);
        let tx = Immediate::begin(&conn).unwrap();
        tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
        tx.commit().unwrap();
        let other = Connection::open(dir.path().join("t.db")).unwrap();
        assert_eq!(rows(&other), 1, "committed, seen by another connection");
    }

    #[test]
    fn it_holds_the_write_lock_from_its_start() {
        let (dir, conn) = file();
        let tx = Immediate::begin(&conn).unwrap();
        let other = Connection::open(dir.path().join("t.db")).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let busy = other.execute_batch("BEGIN IMMEDIATE").unwrap_err();
        assert_eq!(
            busy.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy)
        );
        drop(tx);
        other.execute_batch("BEGIN IMMEDIATE; COMMIT").unwrap();
    }
}
