//! A JSONL file read ahead on a thread of its own: its lines read and
//! parsed while the merge writes the records before them, handed over in
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
}

impl<T: Send + 'static> Ahead<T> {
    /// Starts reading `items` on a thread; they come out in their order.
    pub fn spawn(items: impl Iterator<Item = T> + Send + 'static) -> Ahead<T> {
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
            self.batch = self.batches.as_ref()?.recv().ok()?.into_iter();
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
