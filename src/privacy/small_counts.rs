//! Small counts: in a file of one row per person, a combination of
//! optional details (language, interpreting, age band, …) shared by only a
//! few rows can point at someone in a small town; in a report, a small
//! count of a breakdown can, and so can one worked out from the others.
//! Pure.

use std::collections::HashMap;
use std::hash::Hash;

/// For each row, whether its combination `keys[i]` occurs fewer than `min`
/// times among all rows. `None` (no threshold) marks nothing.
pub fn rare<K: Eq + Hash>(keys: &[K], min: Option<u32>) -> Vec<bool> {
    let Some(min) = min else {
        return vec![false; keys.len()];
    };
    let mut counts: HashMap<&K, u32> = HashMap::new();
    for k in keys {
        *counts.entry(k).or_default() += 1;
    }
    keys.iter()
        .map(|k| counts.get(k).is_some_and(|n| *n < min))
        .collect()
}

/// How one count of a breakdown may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hide {
    Not,
    /// Below the threshold.
    Small,
    /// Not small, but hidden so that a small one cannot be worked out.
    Withheld,
}

/// Which counts of one breakdown (a field's options, the topics, …) to
/// hide for `min`: each one below it (never a zero, which tells nothing
/// about anyone), and where that hides exactly one, the next smallest as
/// well, since the hidden one would otherwise be the total less the others
/// (secondary suppression, as statistical offices do). Of equal smallest
/// ones, the later is taken, so the hidden rows of a ranked list stay at
/// its end.
pub fn breakdown(counts: &[u32], min: Option<u32>) -> Vec<Hide> {
    let Some(min) = min else {
        return vec![Hide::Not; counts.len()];
    };
    let mut out: Vec<Hide> = counts
        .iter()
        .map(|&n| {
            if n > 0 && n < min {
                Hide::Small
            } else {
                Hide::Not
            }
        })
        .collect();
    if out.iter().filter(|h| **h == Hide::Small).count() == 1 {
        let next = counts
            .iter()
            .enumerate()
            .filter(|(i, n)| **n > 0 && out[*i] == Hide::Not)
            .min_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i);
        if let Some(i) = next {
            out[i] = Hide::Withheld;
        }
    }
    out
}

/// What a blanked cell shows: `<5`.
pub fn blank(min: u32) -> String {
    format!("<{min}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_below_the_threshold_are_marked() {
        let rows = [
            ("fi", "ei"),
            ("fi", "ei"),
            ("ar", "puhelin"),
            ("fi", "ei"),
            ("ar", "ei"),
        ];
        assert_eq!(
            rare(&rows, Some(3)),
            [false, false, true, false, true],
            "arabic with and without interpreting are each alone"
        );
        assert_eq!(rare(&rows, Some(1)), [false; 5]);
        assert_eq!(rare(&rows, None), [false; 5]);
        assert_eq!(rare(&rows, Some(4)), [true; 5]);
        assert!(rare::<u8>(&[], Some(5)).is_empty());
        assert_eq!(blank(5), "<5");
    }

    #[test]
    fn one_hidden_count_takes_the_next_smallest_with_it() {
        use Hide::{Not, Small, Withheld};
        // Visitors 9: uk 7, ar 2. Alone, "<5" for ar would be 9 − 7.
        assert_eq!(breakdown(&[7, 2], Some(5)), [Withheld, Small]);
        // Two hidden already: neither can be worked out alone.
        assert_eq!(breakdown(&[7, 2, 1], Some(5)), [Not, Small, Small]);
        // Of equal next smallest, the later one; zeros are never hidden
        // nor taken.
        assert_eq!(
            breakdown(&[9, 6, 6, 0, 3], Some(5)),
            [Not, Not, Withheld, Not, Small]
        );
        // Nothing else to take: the hidden one stays alone.
        assert_eq!(breakdown(&[3, 0], Some(5)), [Small, Not]);
        assert_eq!(breakdown(&[3, 8], None), [Not, Not]);
        assert_eq!(breakdown(&[5, 6], Some(5)), [Not, Not]);
        assert!(breakdown(&[], Some(5)).is_empty());
    }
}
