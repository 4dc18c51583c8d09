//! Helpers for the tests that drive the real binary for a while (the desk
//! simulator, `desk.rs`): deadlines a slow machine can stretch, a tiny
//! seeded random generator, and a look at the files a process holds open.

use std::path::Path;
use std::time::{Duration, Instant};

/// `TISKI_TEST_TIMEOUT_SCALE` (default 1): every deadline of the tests that
/// wait for the real binary is multiplied by it, for a slow or loaded
/// machine. A deadline is how long a wait may take before it fails, never a
/// pause: the waits poll for their condition.
pub fn scale() -> f64 {
    std::env::var("TISKI_TEST_TIMEOUT_SCALE")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(1.0)
}

/// `secs` seconds, scaled by [`scale`].
pub fn timeout(secs: u64) -> Duration {
    Duration::from_secs_f64(secs as f64 * scale())
}

/// Polls `probe` every 20 ms until it gives a value, or `limit` passes.
pub fn wait_until<T>(limit: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = probe() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// xorshift64*: enough to draw interleavings from a seed that a failure
/// prints, without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // The state must not be 0; mixing spreads small seeds.
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15).max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with the chance `num` in `den`.
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// A seed for a run that was given none: from the clock and the process.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    // Only ever shown and replayed, so any spread of the bits will do.
    (nanos ^ (u64::from(std::process::id()) << 32)) % 1_000_000_007
}

/// The files of the database `db` (the file itself, `-wal`, `-shm`,
/// `-journal`) that process `pid` holds open although they were deleted:
/// a process writing into a WAL no one else can see. Linux only (reads
/// `/proc/PID/fd`); elsewhere, and for a process that is gone, none.
pub fn deleted_companions(pid: u32, db: &Path) -> Vec<String> {
    let name = db.display().to_string();
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    let mut out: Vec<String> = fds
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .map(|target| target.display().to_string())
        .filter(|t| t.starts_with(&name) && t.ends_with(" (deleted)"))
        .filter(|t| {
            let rest = &t[name.len()..t.len() - " (deleted)".len()];
            ["", "-wal", "-shm", "-journal"].contains(&rest)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_generator_repeats_a_seed_and_spreads_its_draws() {
    let draws = |seed| {
        let mut r = Rng::new(seed);
        (0..64).map(|_| r.below(10)).collect::<Vec<_>>()
    };
    assert_eq!(draws(7), draws(7));
    assert_ne!(draws(7), draws(8));
    let d = draws(0);
    assert!((0..10).all(|n| d.contains(&n)), "{d:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_deleted_companion_held_open_is_seen_and_a_live_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tiski.db");
    let wal = dir.path().join("tiski.db-wal");
    let other = dir.path().join("tiski.dbx");
    let _files: Vec<std::fs::File> = [&db, &wal, &other]
        .iter()
        .map(|p| std::fs::File::create(p).unwrap())
        .collect();
    let me = std::process::id();
    assert!(deleted_companions(me, &db).is_empty());
    std::fs::remove_file(&wal).unwrap();
    std::fs::remove_file(&other).unwrap();
    assert_eq!(
        deleted_companions(me, &db),
        vec![format!("{} (deleted)", wal.display())]
    );
}

/// The duty screen's state on a new, empty in-memory log at `now`
/// (`"2023-11-14 10:00"`), the embedded configuration, in Finnish: name on
/// the [`tiski::app::Opening`] what a test needs otherwise.
pub fn app_at(now: &str) -> tiski::app::Opening<'static> {
    let now = chrono::NaiveDateTime::parse_from_str(now, "%Y-%m-%d %H:%M").expect("a time");
    tiski::app::App::opening(tiski::store::Store::open_in_memory().unwrap(), now)
}
