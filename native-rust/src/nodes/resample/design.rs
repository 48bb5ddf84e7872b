//! Filter design: one Kaiser-windowed sinc prototype, sampled into polyphase rows.
//!
//! Everything here is computed in f64 with plain arithmetic so that the managed implementation
//! (`ResampleDesign.cs`) reproduces the same coefficients; only the final rounding to f32 is shared.
//! See docs/RESAMPLER.md for why these numbers.

use std::sync::{Arc, Mutex};

/// The three quality presets. Edges are fractions of the lower of the two rates, so that 48k->16k
/// has its passband to 7 kHz and its stopband from 8.92 kHz (aliases only land above 7 kHz).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    Low,
    Medium,
    High,
}

/// Passband edge, stopband edge (fractions of the lower rate) and stopband attenuation in dB.
pub struct FilterSpec {
    pub passband_edge: f64,
    pub stopband_edge: f64,
    pub attenuation_db: f64,
}

impl Quality {
    pub fn parse(name: &str) -> Option<Quality> {
        match name {
            "low" => Some(Quality::Low),
            "medium" => Some(Quality::Medium),
            "high" => Some(Quality::High),
            _ => None,
        }
    }

    pub fn spec(self) -> FilterSpec {
        match self {
            Quality::High => FilterSpec { passband_edge: 0.4375, stopband_edge: 0.5575, attenuation_db: 145.0 },
            Quality::Medium => FilterSpec { passband_edge: 0.4375, stopband_edge: 0.5575, attenuation_db: 125.0 },
            // A wider transition: 7 kHz stays within -0.3 dB, and about half the taps of "high".
            Quality::Low => FilterSpec { passband_edge: 0.40, stopband_edge: 0.5625, attenuation_db: 104.0 },
        }
    }
}

/// Taps per output are a multiple of this, so every SIMD kernel (up to 16 lanes) runs without tails.
pub const TAP_MULTIPLE: usize = 16;

/// The reduced ratio: `phases` = out / gcd (upsampling factor L), `step` = in / gcd (decimation M).
pub fn reduced_ratio(input_rate: u32, output_rate: u32) -> (usize, usize) {
    let g = gcd(input_rate as u64, output_rate as u64);
    ((output_rate as u64 / g) as usize, (input_rate as u64 / g) as usize)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// Input samples each output reads: Kaiser's length estimate for the transition width measured at
/// the input rate, rounded up to a multiple of [`TAP_MULTIPLE`].
pub fn taps_per_output(input_rate: u32, output_rate: u32, quality: Quality) -> usize {
    let spec = quality.spec();
    let low_rate = input_rate.min(output_rate) as f64;
    let transition = (spec.stopband_edge - spec.passband_edge) * low_rate / input_rate as f64;
    let estimate = (spec.attenuation_db - 7.95) / (14.36 * transition);
    let taps = estimate.ceil() as usize;
    taps.div_ceil(TAP_MULTIPLE).max(1) * TAP_MULTIPLE
}

/// The polyphase filter bank: `phases` rows of `taps` f32 coefficients, row-major.
/// Row `p` serves outputs whose position falls `p / phases` of an input sample after an input sample;
/// tap `j` of the row multiplies input sample `base - taps/2 + 1 + j`.
pub struct FilterBank {
    pub phases: usize,
    pub step: usize,
    pub taps: usize,
    pub coefficients: Vec<f32>,
}

impl FilterBank {
    pub fn design(input_rate: u32, output_rate: u32, quality: Quality) -> FilterBank {
        let spec = quality.spec();
        let (phases, step) = reduced_ratio(input_rate, output_rate);
        let taps = taps_per_output(input_rate, output_rate, quality);
        let low_rate = input_rate.min(output_rate) as f64;
        // Cutoff halfway through the transition, in cycles per input sample.
        let cutoff = 0.5 * (spec.passband_edge + spec.stopband_edge) * low_rate / input_rate as f64;
        let beta = kaiser_beta(spec.attenuation_db);
        let half_width = taps as f64 / 2.0;
        let window_norm = 1.0 / bessel_i0(beta);
        let mut coefficients = vec![0.0f32; phases * taps];
        for phase in 0..phases {
            let fraction = phase as f64 / phases as f64;
            for tap in 0..taps {
                // Distance from the output instant to the input sample this tap multiplies.
                let tau = fraction + half_width - 1.0 - tap as f64;
                let ratio = tau / half_width;
                let window = if ratio.abs() >= 1.0 { 0.0 } else { bessel_i0(beta * (1.0 - ratio * ratio).sqrt()) * window_norm };
                coefficients[phase * taps + tap] = (2.0 * cutoff * sinc(2.0 * cutoff * tau) * window) as f32;
            }
        }
        FilterBank { phases, step, taps, coefficients }
    }

    pub fn row(&self, phase: usize) -> &[f32] {
        &self.coefficients[phase * self.taps..(phase + 1) * self.taps]
    }
}

/// Designs kept for reuse: a 44.1k -> 16k bank (160 phases) takes ~2.4 ms to compute, which would
/// dominate creating a node per stream. Keyed by (input rate, output rate, quality); bounded.
const CACHED_DESIGNS: usize = 32;

static DESIGNS: Mutex<Vec<((u32, u32, Quality), Arc<FilterBank>)>> = Mutex::new(Vec::new());

/// The filter bank for this conversion, designed once per process and shared by every node using it.
pub fn shared_design(input_rate: u32, output_rate: u32, quality: Quality) -> Arc<FilterBank> {
    let key = (input_rate, output_rate, quality);
    // A poisoned lock only means another thread panicked mid-push; the list itself stays valid.
    let mut designs = DESIGNS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, bank)) = designs.iter().find(|(k, _)| *k == key) {
        return Arc::clone(bank);
    }
    let bank = Arc::new(FilterBank::design(input_rate, output_rate, quality));
    if designs.len() == CACHED_DESIGNS {
        designs.remove(0);
    }
    designs.push((key, Arc::clone(&bank)));
    bank
}

/// Kaiser's beta for a stopband attenuation above 50 dB.
pub fn kaiser_beta(attenuation_db: f64) -> f64 {
    0.1102 * (attenuation_db - 8.7)
}

/// sin(pi x) / (pi x).
pub fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let px = std::f64::consts::PI * x;
        px.sin() / px
    }
}

/// The modified Bessel function I0 by its power series, summed until terms stop mattering.
pub fn bessel_i0(x: f64) -> f64 {
    let quarter_x2 = 0.25 * x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut k = 1.0;
    while term > sum * 1e-17 {
        term *= quarter_x2 / (k * k);
        sum += term;
        k += 1.0;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tap_counts_match_the_documented_table() {
        assert_eq!(taps_per_output(48000, 16000, Quality::High), 240);
        assert_eq!(taps_per_output(44100, 16000, Quality::High), 224);
        assert_eq!(taps_per_output(48000, 16000, Quality::Medium), 208);
        assert_eq!(taps_per_output(48000, 16000, Quality::Low), 128);
        assert_eq!(reduced_ratio(44100, 16000), (160, 441));
    }

    #[test]
    fn every_phase_has_unity_dc_gain() {
        let bank = FilterBank::design(44100, 16000, Quality::High);
        for phase in 0..bank.phases {
            let sum: f64 = bank.row(phase).iter().map(|&c| c as f64).sum();
            assert!((sum - 1.0).abs() < 1e-6, "phase {phase}: {sum}");
        }
    }

    #[test]
    fn bessel_matches_known_values() {
        assert!((bessel_i0(0.0) - 1.0).abs() < 1e-15);
        assert!((bessel_i0(1.0) - 1.2660658777520082).abs() < 1e-14);
        assert!((bessel_i0(15.0) / 339649.3732979138 - 1.0).abs() < 1e-13);
    }
}
