//! Another desk's records merged in (an import; later, a sync): by uid,
//! later change wins, tombstones travel (`store::sync`). The records were
//! read and checked by `import` as they stream in (their meaning against
//! this config, notes free of identities); the store applies them in one
//! transaction, a batch at a time.

use super::Trusted;
use crate::store::{MergeSummary, Record, Store, StreamError};

/// Merges what `records` yields; the first error of the source (or of
/// the merge) leaves the log as it was. Records merged go to `spent`, to
/// be dropped where they were made (`Store::merge_stream`).
pub fn merge<E>(
    store: &mut Store,
    records: impl IntoIterator<Item = Result<Record, E>>,
    spent: impl FnMut(Box<dyn Send>),
    _now: &Trusted,
) -> Result<MergeSummary, StreamError<E>> {
    store.merge_stream(records, spent)
}
