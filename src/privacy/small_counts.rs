//! Rare combinations: in a file of one row per person, a combination of
//! optional details (language, interpreting, age band, …) shared by only a
//! few rows can point at someone in a small town. Pure.

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
}
