//! A JSONL file read ahead on a thread of its own: its lines read,
//! parsed and checked while the merge writes the records before them,
//! handed over in their order, a batch at a time on a short queue (so a
//! file of any size holds a few batches in memory). The reading stops when the merge no
//! longer listens. What the merge is done with comes back to the thread
//! to be dropped there ([`Graves`]): the records were made there, and
//! freed there their memory goes back to its own allocator's arena
//! rather than through a lock the reading takes at every allocation.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

/// Items one hand-over carries, and hand-overs in flight.
const BATCH: usize = 256;
const QUEUE: usize = 4;
/// What the merge is done with, in flight back to the reader.
const GRAVES: usize = 4;

/// The items of an iterator, read on a thread of its own.
pub struct Ahead<T> {
    batches: Option<Receiver<Vec<T>>>,
    batch: std::vec::IntoIter<T>,
    reader: Option<JoinHandle<()>>,
    /// The last item if the reader stopped by a panic (boxed: an error
    /// is larger than the rest).
    stopped: Option<Box<T>>,
    graves: SyncSender<Box<dyn Send>>,
}

/// Where what the merge is done with goes back to the reader, to be
/// dropped there (here if the reader is busy or gone).
#[derive(Clone)]
pub struct Graves(SyncSender<Box<dyn Send>>);

impl Graves {
    pub fn bury(&self, spent: Box<dyn Send>) {
        match self.0.try_send(spent) {
            Ok(()) => {}
            Err(TrySendError::Full(spent) | TrySendError::Disconnected(spent)) => drop(spent),
        }
    }
}

impl<T: Send + 'static> Ahead<T> {
    /// Starts reading `items` on a thread; they come out in their order,
    /// and `stopped` after them if the reader stopped by a panic (which
    /// must not pass for the end: the merge would commit what it has).
    pub fn spawn(items: impl Iterator<Item = T> + Send + 'static, stopped: T) -> Ahead<T> {
        let (tx, rx) = sync_channel(QUEUE);
        let (graves, spent) = sync_channel::<Box<dyn Send>>(GRAVES);
        let reader = std::thread::spawn(move || {
            let mut items = items;
            loop {
                // Dropped here, before the next batch is made.
                while spent.try_recv().is_ok() {}
                // Its room made once, not grown (and given back) step by step.
                let mut batch: Vec<T> = Vec::with_capacity(BATCH);
                batch.extend(items.by_ref().take(BATCH));
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
            graves,
        }
    }

    /// Where to hand back what the merge is done with.
    pub fn graves(&self) -> Graves {
        Graves(self.graves.clone())
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

    /// What the merge hands back is dropped on the reading thread, which
    /// made it, not on the merge's.
    #[test]
    fn what_is_handed_back_is_dropped_by_the_reader() {
        use std::sync::{Arc, Mutex};
        struct Mark(Arc<Mutex<Vec<std::thread::ThreadId>>>);
        impl Drop for Mark {
            fn drop(&mut self) {
                self.0.lock().unwrap().push(std::thread::current().id());
            }
        }
        let dropped = Arc::new(Mutex::new(Vec::new()));
        let mut ahead = Ahead::spawn(0..10 * BATCH, usize::MAX);
        assert_eq!(ahead.next(), Some(0));
        ahead.graves().bury(Box::new(Mark(dropped.clone())));
        assert_eq!(ahead.by_ref().count(), 10 * BATCH - 1);
        drop(ahead);
        let dropped = dropped.lock().unwrap();
        assert_eq!(dropped.len(), 1, "dropped once");
        assert_ne!(dropped[0], std::thread::current().id(), "on the reader");
    }

    #[test]
    fn every_item_comes_in_its_order() {
        for n in [0, 1, BATCH - 1, BATCH, 3 * BATCH + 7] {
            let got: Vec<usize> = Ahead::spawn(0..n, usize::MAX).collect();
            assert_eq!(got, (0..n).collect::<Vec<_>>());
        }
    }
}
