//! The per-year lookup table behind the arithmetic: one bit per day.

use super::civil::SecondsWindow;

pub(crate) const WORDS: usize = 6; // 384 bits ≥ 366 days

pub(crate) type Bits = [u64; WORDS];

/// What the arithmetic needs to know about one year, computed once per calendar and year.
#[derive(Debug)]
pub(crate) struct YearTable {
    pub(crate) year: i16,
    /// Day number of 1 January.
    pub(crate) first: i32,
    /// 365 or 366.
    pub(crate) len: u16,
    /// Bit per day of the year: the office is open (a working day).
    pub(crate) working: Bits,
    /// Bit per day of the year: not a Saturday, Sunday or recognised holiday (a day on which a
    /// statutory term may end under the Algemene termijnenwet).
    pub(crate) term_open: Bits,
    /// Working days whose office windows differ from their weekday's, sorted by day of year.
    pub(crate) hours: Vec<(u16, Vec<SecondsWindow>)>,
}

pub(crate) fn set(bits: &mut Bits, i: usize) {
    bits[i >> 6] |= 1 << (i & 63);
}

pub(crate) fn get(bits: &Bits, i: usize) -> bool {
    (bits[i >> 6] >> (i & 63)) & 1 == 1
}

/// The index of the `k`-th (1-based) set bit after index `after` (which may be -1), or the
/// number still missing when the year has fewer.
pub(crate) fn nth_set_after(bits: &Bits, after: i32, k: u32) -> Result<usize, u32> {
    debug_assert!(k >= 1);
    let start = (after + 1).max(0) as usize;
    if start >= WORDS * 64 {
        return Err(k);
    }
    let mut w = start >> 6;
    let mut word = bits[w] & (!0u64 << (start & 63));
    let mut k = k;
    loop {
        let c = word.count_ones();
        if c >= k {
            for _ in 1..k {
                word &= word - 1;
            }
            return Ok(w * 64 + word.trailing_zeros() as usize);
        }
        k -= c;
        w += 1;
        if w == WORDS {
            return Err(k);
        }
        word = bits[w];
    }
}

/// The number of set bits with index in `from..to`.
pub(crate) fn count(bits: &Bits, from: usize, to: usize) -> u32 {
    let to = to.min(WORDS * 64);
    if from >= to {
        return 0;
    }
    let mut total = 0;
    for (w, word) in bits.iter().enumerate() {
        let lo = w * 64;
        let hi = lo + 64;
        if hi <= from || lo >= to {
            continue;
        }
        let mut m = *word;
        if from > lo {
            m &= !0u64 << (from - lo);
        }
        if to < hi {
            m &= (1u64 << (to - lo)) - 1;
        }
        total += m.count_ones();
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nth_set_after_skips_to_the_kth_bit() {
        let mut b: Bits = [0; WORDS];
        for i in [3, 64, 65, 200, 365] {
            set(&mut b, i);
        }
        assert_eq!(nth_set_after(&b, -1, 1), Ok(3));
        assert_eq!(nth_set_after(&b, 3, 1), Ok(64));
        assert_eq!(nth_set_after(&b, 3, 3), Ok(200));
        assert_eq!(nth_set_after(&b, 64, 3), Ok(365));
        assert_eq!(nth_set_after(&b, 365, 1), Err(1));
        assert_eq!(nth_set_after(&b, 199, 4), Err(2));
        assert_eq!(count(&b, 0, 366), 5);
        assert_eq!(count(&b, 4, 200), 2);
        assert_eq!(count(&b, 64, 66), 2);
        assert!(get(&b, 64) && !get(&b, 63));
    }
}
