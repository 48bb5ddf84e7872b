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
        (value * I16_SCALE).round().clamp(i16::MIN as f64, i16::MAX as f64) as i16
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
        (value * I32_SCALE).round().clamp(i32::MIN as f64, i32::MAX as f64) as i32
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
