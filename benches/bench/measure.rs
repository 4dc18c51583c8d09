//! Sampling: median wall-clock and on-CPU times of repeated calls.

use std::time::{Duration, Instant};

use tiski::error::Error;

/// Median wall-clock and on-CPU time of one measured operation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    pub wall: Duration,
    pub cpu: Option<Duration>,
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Wall-clock and on-CPU times of some calls.
#[derive(Debug, Default)]
pub struct Samples {
    pub wall: Vec<Duration>,
    pub cpu: Vec<Duration>,
}

impl Samples {
    pub fn extend(&mut self, more: Samples) {
        self.wall.extend(more.wall);
        self.cpu.extend(more.cpu);
    }

    pub fn median(&self) -> Sample {
        Sample {
            wall: median(self.wall.clone()),
            cpu: (!self.cpu.is_empty()).then(|| median(self.cpu.clone())),
        }
    }
}

/// Times `runs` calls: wall-clock, and time on the CPU (this thread:
/// without waiting for the disk or for other processes). What a call
/// returns is dropped after the clocks stop.
pub fn sample<T>(runs: usize, mut f: impl FnMut() -> Result<T, Error>) -> Result<Samples, Error> {
    let mut s = Samples::default();
    for _ in 0..runs.max(1) {
        let c0 = cpu_time();
        let t = Instant::now();
        let out = f()?;
        s.wall.push(t.elapsed());
        if let (Some(a), Some(b)) = (c0, cpu_time()) {
            s.cpu.push(b.saturating_sub(a));
        }
        drop(out);
    }
    Ok(s)
}

/// Time this thread has spent on a CPU, from the kernel's per-thread
/// clock (exact, unlike /proc's tick-based figures); Linux only.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn cpu_time() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    unsafe extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the struct it is given, which is
    // laid out as the C `struct timespec` of 64-bit Linux.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn cpu_time() -> Option<Duration> {
    None
}
