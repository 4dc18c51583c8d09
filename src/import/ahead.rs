//! A JSONL file read ahead on a thread of its own: its lines read,
//! parsed and checked while the merge writes the records before them, handed over in
//! their order, a batch at a time on a short queue (so a file of any size
//! holds a few batches in memory). The reading stops when the merge no
//! longer listens.

use std::sync::mpsc::{Receiver, sync_channel};
use std::thread::JoinHandle;

/// Items one hand-over carries, and hand-overs in flight.
const BATCH: usize = 256;
const QUEUE: usize = 4;

/// The items of an iterator, read on a thread of its own.
pub struct Ahead<T> {
    batches: Option<Receiver<Vec<T>>>,
    batch: std::vec::IntoIter<T>,
    reader: Option<JoinHandle<()>>,
    /// The last item if the reader stopped by a panic (boxed: an error
    /// is larger than the rest).
    stopped: Option<Box<T>>,
}

impl<T: Send + 'static> Ahead<T> {
    /// Starts reading `items` on a thread; they come out in their order,
    /// and `stopped` after them if the reader stopped by a panic (which
    /// must not pass for the end: the merge would commit what it has).
    pub fn spawn(items: impl Iterator<Item = T> + Send + 'static, stopped: T) -> Ahead<T> {
        let (tx, rx) = sync_channel(QUEUE);
        let reader = std::thread::spawn(move || {
            let mut items = items;
            loop {
                let batch: Vec<T> = items.by_ref().take(BATCH).collect();
                let last = batch.len() < BATCH;
                if batch.is_empty() || tx.send(batch).is_err() || last {
                    return;
                }
            }
        });
        Ahead {
            batches: Some(rx),
            batch: Vec::new().into_iter(),
            reader: Some(reader),
            stopped: Some(Box::new(stopped)),
        }
    }
}

impl<T> Iterator for Ahead<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(item);
            }
            match self.batches.as_ref()?.recv() {
                Ok(batch) => self.batch = batch.into_iter(),
                // The reader ended: after the last item, or by a panic.
                Err(_) => {
                    self.batches = None;
                    return match self.reader.take()?.join() {
                        Ok(()) => None,
                        Err(_) => self.stopped.take().map(|s| *s),
                    };
                }
            }
        }
    }
}

impl<T> Drop for Ahead<T> {
    /// Stops the reader (its next hand-over fails) and waits for it.
    fn drop(&mut self) {
        drop(self.batches.take());
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that stops by a panic has not read the whole file: its
    /// end must not pass for the end of the file (the merge would commit
    /// what was handed over so far).
    #[test]
    fn a_reader_that_panics_is_an_error_not_the_end_of_the_file() {
        let items = (0..2 * BATCH as i64).inspect(|i| {
            assert!(*i < BATCH as i64 + 3, "the reading fails half-way");
        });
        let got: Vec<i64> = Ahead::spawn(items, -1).collect();
        assert_eq!(got.len(), BATCH + 1, "a batch, then the error");
        assert_eq!(
            got.last(),
            Some(&-1),
            "the reading's end passed for the file's"
        );
    }

    #[test]
    fn every_item_comes_in_its_order() {
        for n in [0, 1, BATCH - 1, BATCH, 3 * BATCH + 7] {
            let got: Vec<usize> = Ahead::spawn(0..n, usize::MAX).collect();
            assert_eq!(got, (0..n).collect::<Vec<_>>());
        }
    }
}
