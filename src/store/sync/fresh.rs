//! The sessions a merge added, with the visits it added to each and not
//! yet in their `visitors`: one number a row id, the ids being those the
//! merge's inserts took one after another.

/// A row id not counted here (never added, or changed otherwise since).
const OUT: u32 = u32::MAX;

/// Row ids counted at once (few in tests, so that the merge writes them
/// out and starts afresh).
const KEPT: usize = if cfg!(test) { 3 } else { 1 << 20 };

/// The sessions counted, from the row id `first` on.
#[derive(Default)]
pub(super) struct Fresh {
    first: i64,
    /// The visits added to session `first + i`, or [`OUT`].
    added: Vec<u32>,
}

impl Fresh {
    /// Starts counting the session `id`, just added, from 0. False if it
    /// cannot be kept beside the others: they are to be written out
    /// ([`Fresh::take`]) first.
    pub fn add(&mut self, id: i64) -> bool {
        if self.added.is_empty() {
            self.first = id;
        }
        let Some(i) = self.index(id).filter(|i| *i < KEPT) else {
            return false;
        };
        if i >= self.added.len() {
            self.added.resize(i + 1, OUT);
        }
        self.added[i] = 0;
        true
    }

    /// Counts a visit added to the session `id`; false if it is not
    /// counted here.
    pub fn visit(&mut self, id: i64) -> bool {
        match self.index(id).and_then(|i| self.added.get_mut(i)) {
            Some(n) if *n != OUT => {
                *n += 1;
                true
            }
            _ => false,
        }
    }

    /// Stops counting the session `id`.
    pub fn remove(&mut self, id: i64) {
        if let Some(n) = self.index(id).and_then(|i| self.added.get_mut(i)) {
            *n = OUT;
        }
    }

    /// The sessions with visits counted, in the order of their row ids,
    /// and how many each; all are forgotten.
    pub fn take(&mut self) -> impl Iterator<Item = (i64, u32)> + use<> {
        let first = self.first;
        (std::mem::take(&mut self.added).into_iter().enumerate())
            .filter(|(_, n)| *n != OUT && *n > 0)
            .map(move |(i, n)| (first + i as i64, n))
    }

    fn index(&self, id: i64) -> Option<usize> {
        usize::try_from(id.checked_sub(self.first)?).ok()
    }
}
