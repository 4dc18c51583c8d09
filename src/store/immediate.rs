//! A write transaction begun (`BEGIN IMMEDIATE`) and committed by cached
//! statements: rusqlite's `Transaction` prepares both afresh each time, a
//! tenth of the SQL of a visit saved on the duty screen. Rolled back when
//! dropped without a commit, as rusqlite's is. Beside it, a read
//! transaction by cached statements too ([`Snapshot`]).

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

/// A read transaction (`BEGIN`, deferred): the reads made in it see one
/// snapshot of the file, and the file's locks are taken once for all of
/// them. Ended when dropped. Inside a transaction already, it is that one.
pub(crate) struct Snapshot<'c> {
    conn: &'c Connection,
    began: bool,
}

impl<'c> Snapshot<'c> {
    pub(crate) fn begin(conn: &'c Connection) -> rusqlite::Result<Self> {
        let began = conn.is_autocommit();
        if began {
            conn.prepare_cached("BEGIN")?.execute([])?;
        }
        Ok(Self { conn, began })
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if self.began && !self.conn.is_autocommit() {
            // Nothing was written in it: ending it cannot fail to keep
            // anything.
            let _ = (self.conn.prepare_cached("COMMIT")).and_then(|mut s| s.execute([]));
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

    #[test]
    fn a_snapshot_reads_one_state_of_the_file_until_dropped() {
        let (dir, conn) = file();
        let other = Connection::open(dir.path().join("t.db")).unwrap();
        {
            let _snapshot = Snapshot::begin(&conn).unwrap();
            assert_eq!(rows(&conn), 0);
            other.execute("INSERT INTO t VALUES (1)", []).unwrap();
            assert_eq!(rows(&conn), 0, "the other's commit is after it");
        }
        assert!(conn.is_autocommit(), "ended when dropped");
        assert_eq!(rows(&conn), 1);
        // Inside a transaction, it leaves that one open.
        let tx = Immediate::begin(&conn).unwrap();
        drop(Snapshot::begin(&tx).unwrap());
        assert!(!conn.is_autocommit());
        tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
        tx.commit().unwrap();
        assert_eq!(rows(&other), 2);
    }
}
