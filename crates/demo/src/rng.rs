//! A small deterministic random generator (SplitMix64), so the demo never changes with a
//! dependency upgrade: the same seed gives the same water board.
//!
//! Independent streams (one per customer, one per day) are derived with [`Rng::derive`], so a
//! customer or a day can be generated on its own without replaying everything before it.

/// Stream tags for [`Rng::derive`].
pub mod stream {
    pub const REFERENCE: u64 = 1;
    pub const CUSTOMER: u64 = 2;
    pub const PLAN: u64 = 3;
    pub const DAY: u64 = 4;
}

pub struct Rng(u64);

const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: a good 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(mix(seed ^ GAMMA))
    }

    /// An independent generator for item `index` of stream `tag` under `seed`.
    pub fn derive(seed: u64, tag: u64, index: u64) -> Self {
        Rng::new(mix(mix(seed.wrapping_add(tag.wrapping_mul(GAMMA))) ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        mix(self.0)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[0, n)`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `[lo, hi]`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.unit() * (hi - lo + 1) as f64) as i64
    }

    /// Uniform in `[lo, hi)`.
    pub fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + self.unit() * (hi - lo)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An element of a non-empty slice (the first one for an empty slice is a caller error,
    /// so callers only pass constants).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len()).min(items.len().saturating_sub(1))]
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }

    /// Exponentially distributed with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    pub fn bytes10(&mut self) -> [u8; 10] {
        let a = self.next_u64().to_le_bytes();
        let b = self.next_u64().to_le_bytes();
        [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_fixed_forever() {
        // SplitMix64 of the mixed seed: if this changes, every demo database changes.
        let mut r = Rng::new(42);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut again = Rng::new(42);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_ne!(Rng::derive(1, stream::DAY, 0).next_u64(), Rng::derive(1, stream::DAY, 1).next_u64());
        assert_ne!(Rng::derive(1, stream::DAY, 0).next_u64(), Rng::derive(2, stream::DAY, 0).next_u64());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = Rng::new(7);
        for _ in 0..10_000 {
            assert!(r.below(7) < 7);
            let x = r.range(-3, 3);
            assert!((-3..=3).contains(&x));
            assert!(r.weighted(&[0.0, 1.0, 0.0]) == 1);
        }
        assert_eq!(r.below(0), 0);
    }
}
