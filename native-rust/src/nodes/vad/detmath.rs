//! Deterministic math for the VAD: the managed implementation (`VadMath.cs`) performs exactly the
//! same f64 operations in the same order, so both runtimes reach bit-identical features and hence
//! identical decisions. Platform `ln`/`cos` are avoided on purpose: their last-bit behaviour is a
//! property of the C library, not of this code.

const PI: f64 = std::f64::consts::PI;
const LN_2: f64 = std::f64::consts::LN_2;

/// cos(x) for x in [0, 2*pi] by a fixed 40-term Taylor series after reduction to [-pi, pi].
/// Used only at construction (window and twiddles), so speed does not matter.
pub fn cos(x: f64) -> f64 {
    let x = if x > PI { x - 2.0 * PI } else { x };
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut k = 1.0;
    for _ in 0..40 {
        term = -term * x2 / (k * (k + 1.0));
        sum += term;
        k += 2.0;
    }
    sum
}

/// sin(x) = cos(x - pi/2), kept in one series so both runtimes share one code path.
pub fn sin(x: f64) -> f64 {
    let shifted = x - PI / 2.0;
    cos(if shifted < 0.0 { shifted + 2.0 * PI } else { shifted })
}

/// Natural logarithm of a positive, normal x (the VAD only takes logs of SNRs above 1).
/// Exponent from the bits, mantissa in [sqrt(1/2), sqrt(2)) by the atanh series (error < 1e-10).
pub fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if mantissa > std::f64::consts::SQRT_2 {
        mantissa *= 0.5;
        exponent += 1;
    }
    let s = (mantissa - 1.0) / (mantissa + 1.0);
    let s2 = s * s;
    let series = 1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0)))));
    exponent as f64 * LN_2 + 2.0 * s * series
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_the_platform_closely() {
        for i in 0..=64 {
            let x = i as f64 * std::f64::consts::PI / 32.0;
            assert!((super::cos(x) - x.cos()).abs() < 1e-12, "cos {x}");
            assert!((super::sin(x) - x.sin()).abs() < 1e-12, "sin {x}");
        }
        for x in [1.0, 1.5, 2.0, 3.7, 10.0, 1e3, 1e6, 0.25] {
            assert!((super::ln(x) - x.ln()).abs() < 1e-9, "ln {x}");
        }
    }
}
