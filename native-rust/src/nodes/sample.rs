//! Sample-format conversion rules shared by every node. The managed fallback implements the same
//! arithmetic (in f64, in the same order) so both runtimes give bit-identical results.
//!
//! - integer -> normalized: divide by 32768 (i16) or 2^31 (i32);
//! - normalized -> integer: NaN becomes 0, scale, round half away from zero, clamp to the type's range;
//! - normalized -> f32: nearest f32.

pub trait Sample: Copy + Default {
    fn to_f64(self) -> f64;
    fn from_f64(value: f64) -> Self;
}

impl Sample for f32 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(value: f64) -> Self {
        value as f32
    }
}

/// Rounds half away from zero and clamps to `[min, max]`, for finite or infinite non-NaN `scaled`.
/// Done with a truncating conversion instead of `f64::round`, which is a libm call on baseline x86-64;
/// `a - trunc(a)` is exact here, so the result equals `round()` followed by a clamp.
#[inline(always)]
fn round_clamp(scaled: f64, min: f64, max: f64) -> f64 {
    let bounded = scaled.clamp(min - 1.0, max + 1.0);
    let magnitude = bounded.abs();
    let whole = magnitude as i64 as f64;
    let rounded = if magnitude - whole >= 0.5 { whole + 1.0 } else { whole };
    rounded.copysign(bounded).clamp(min, max)
}

const I16_SCALE: f64 = 32768.0;
const I32_SCALE: f64 = 2147483648.0;

impl Sample for i16 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64 / I16_SCALE
    }
    #[inline(always)]
    fn from_f64(value: f64) -> Self {
        if value.is_nan() {
            return 0;
        }
        round_clamp(value * I16_SCALE, i16::MIN as f64, i16::MAX as f64) as i16
    }
}

impl Sample for i32 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64 / I32_SCALE
    }
    #[inline(always)]
    fn from_f64(value: f64) -> Self {
        if value.is_nan() {
            return 0;
        }
        round_clamp(value * I32_SCALE, i32::MIN as f64, i32::MAX as f64) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_round_trips_are_exact() {
        for v in [i16::MIN, -1, 0, 1, 12345, i16::MAX] {
            assert_eq!(i16::from_f64(v.to_f64()), v);
            assert_eq!(f32::from_f64(v.to_f64()) as f64 * 32768.0, v as f64);
        }
        for v in [i32::MIN, -1, 0, 1, 123456789, i32::MAX] {
            assert_eq!(i32::from_f64(v.to_f64()), v);
        }
    }

    #[test]
    fn round_clamp_equals_round_then_clamp() {
        let mut x = 0x1234_5678_9abc_def0u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = ((x >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 80000.0;
            for v in [v, v.trunc() + 0.5, v.trunc() - 0.5, 0.49999999999999994, -0.49999999999999994] {
                assert_eq!(round_clamp(v, -32768.0, 32767.0), v.round().clamp(-32768.0, 32767.0), "{v}");
            }
        }
    }

    #[test]
    fn float_to_int_rounds_clamps_and_zeroes_nan() {
        assert_eq!(i16::from_f64(1.0), i16::MAX);
        assert_eq!(i16::from_f64(-1.0), i16::MIN);
        assert_eq!(i16::from_f64(f64::INFINITY), i16::MAX);
        assert_eq!(i16::from_f64(f64::NEG_INFINITY), i16::MIN);
        assert_eq!(i16::from_f64(f64::NAN), 0);
        assert_eq!(i16::from_f64(0.5 / 32768.0), 1);
        assert_eq!(i16::from_f64(-0.5 / 32768.0), -1);
        assert_eq!(i16::from_f64(0.49 / 32768.0), 0);
        assert_eq!(i32::from_f64(1.0), i32::MAX);
        assert_eq!(i32::from_f64(-1.0), i32::MIN);
        assert_eq!(i32::from_f64(f64::NAN), 0);
    }
}
