//! The robust detector. Per analysis frame:
//! 1. The frame is decimated to 8 kHz by averaging groups of rate/8000 samples (a crude anti-alias
//!    filter, enough for a detector: it halves to sixths the work above 8 kHz), then the Hann-windowed
//!    power spectrum of the most recent `n_fft` decimated samples (n_fft = next power of two of the
//!    decimated frame) is computed.
//! 2. Mean power in 8 sub-bands covering 125-3750 Hz, where voiced speech has its energy.
//! 3. Per band, a noise floor by minimum statistics: the minimum of the recursively smoothed band
//!    power over a sliding ~1.5 s window (6 sub-windows), scaled by a bias factor, because the minimum
//!    of a fluctuating power underestimates its mean. It needs no speech/non-speech feedback, so it
//!    keeps adapting inside long utterances and in non-stationary (babble) noise.
//! 4. Per band, the a-posteriori SNR g and the log likelihood ratio of the Gaussian speech/noise
//!    model with the ML a-priori SNR, g - ln g - 1 (0 when g <= 1), capped so that one tonal band
//!    cannot decide alone; the frame score is their mean, smoothed over time.
//! 5. A relative level gate: slow quantile trackers follow a low (20th percentile) and a high
//!    (90th percentile) level of the speech-band log power; the frame must lie in the top 30% of
//!    that range. Babble passes the likelihood test on its own fluctuations; what gives the target
//!    talker away is being louder than the babble's typical level.
//! 6. Score above the aggressiveness threshold (and the gate) -> speech. After a burst of at least
//!    30 ms of such frames, a hangover keeps speech on through the short weak tails and gaps that a
//!    frame-level decision would chop; requiring the burst stops isolated noise frames from
//!    dragging a whole hangover behind them (the burst/hangover logic of the classic codec VADs).
//!
//! All arithmetic is mirrored operation for operation in `SpectralVadDetector.cs`.

use super::detmath;
use super::fft::RealFft;

/// Band edges in Hz.
const BAND_EDGES_HZ: [usize; 9] = [125, 250, 500, 750, 1000, 1500, 2000, 2750, 3750];
/// Score thresholds per aggressiveness 0..=3 (mean capped log likelihood ratio).
const THRESHOLDS: [f64; 4] = [0.25, 0.45, 0.8, 1.3];
/// Cap of one band's log likelihood ratio.
const LLR_CAP: f64 = 8.0;
/// An SNR from which the likelihood ratio is surely capped (11.5 - ln 11.5 - 1 = 8.06 > 8).
const CAPPED_SNR: f64 = 11.5;
/// Minimum-statistics bias compensation.
const NOISE_BIAS: f64 = 2.5;
/// Per-10 ms smoothing of the band power and of the score.
const POWER_SMOOTHING_10MS: f64 = 0.7;
const SCORE_SMOOTHING_10MS: f64 = 0.5;
/// Minimum-statistics window: sub-windows of this length, this many of them.
const SUBWINDOW_MS: u32 = 250;
const SUBWINDOWS: usize = 6;
/// Rate the spectrum is analysed at (all supported rates are multiples of it).
const ANALYSIS_RATE: usize = 8000;
/// Noise floor for digital silence: white noise at -70 dBFS.
const FLOOR_RMS: f64 = 3.162_277_660_168_379_5e-4;
/// Level trackers: step per 10 ms (natural-log units), their quantiles, and where between them the gate sits.
const LEVEL_STEP_10MS: f64 = 0.03;
const LOW_QUANTILE: f64 = 0.2;
const HIGH_QUANTILE: f64 = 0.9;
const GATE_FRACTION: f64 = 0.7;
/// Speech must last this long before it arms the hangover.
const BURST_MS: u32 = 30;

pub struct SpectralDetector {
    frame_len: usize,
    decimation: usize,
    analysis_len: usize,
    decimation_scale: f32,
    fft: RealFft,
    window: Vec<f32>,
    history: Vec<f32>,
    bins_lo: usize,
    bins: Vec<f32>,
    bands: Vec<(usize, usize)>,
    band_power: Vec<f64>,
    smoothed: Vec<f64>,
    current_min: Vec<f64>,
    past_min: Vec<f64>,
    subwindow_frames: usize,
    frames_in_subwindow: usize,
    subwindows_filled: usize,
    subwindow_slot: usize,
    power_alpha: f64,
    score_beta: f64,
    floor: f64,
    threshold: f64,
    score: f64,
    hangover_frames: u32,
    hangover_left: u32,
    burst_frames: u32,
    burst: u32,
    started: bool,
    level_step: f64,
    low_level: f64,
    high_level: f64,
    level_started: bool,
}

/// `base^(frame_ms/10)` by repeated multiplication (deterministic across runtimes).
fn per_frame(base: f64, frame_ms: u32) -> f64 {
    let mut value = 1.0;
    for _ in 0..frame_ms / 10 {
        value *= base;
    }
    value
}

impl SpectralDetector {
    pub fn new(rate: u32, frame_ms: u32, aggressiveness: usize, hangover_ms: u32) -> SpectralDetector {
        let frame_len = (rate as usize * frame_ms as usize) / 1000;
        let decimation = rate as usize / ANALYSIS_RATE;
        let analysis_len = frame_len / decimation;
        let n_fft = analysis_len.next_power_of_two();
        let window: Vec<f32> = (0..n_fft)
            .map(|i| (0.5 - 0.5 * detmath::cos(2.0 * std::f64::consts::PI * i as f64 / n_fft as f64)) as f32)
            .collect();
        let mut window_energy = 0.0f64;
        for &w in &window {
            window_energy += w as f64 * w as f64;
        }
        let bin = |hz: usize| (hz * n_fft + ANALYSIS_RATE / 2) / ANALYSIS_RATE;
        let bins_lo = bin(BAND_EDGES_HZ[0]);
        let bands: Vec<(usize, usize)> =
            BAND_EDGES_HZ.windows(2).map(|e| (bin(e[0]) - bins_lo, bin(e[1]) - bins_lo)).collect();
        let bins_hi = bin(BAND_EDGES_HZ[BAND_EDGES_HZ.len() - 1]);
        let band_count = bands.len();
        SpectralDetector {
            frame_len,
            decimation,
            analysis_len,
            decimation_scale: 1.0 / decimation as f32,
            fft: RealFft::new(n_fft),
            window,
            history: vec![0.0; n_fft],
            bins_lo,
            bins: vec![0.0; bins_hi - bins_lo],
            bands,
            band_power: vec![0.0; band_count],
            smoothed: vec![0.0; band_count],
            current_min: vec![0.0; band_count],
            past_min: vec![0.0; band_count * SUBWINDOWS],
            subwindow_frames: (SUBWINDOW_MS / frame_ms) as usize,
            frames_in_subwindow: 0,
            subwindows_filled: 0,
            subwindow_slot: 0,
            power_alpha: per_frame(POWER_SMOOTHING_10MS, frame_ms),
            score_beta: per_frame(SCORE_SMOOTHING_10MS, frame_ms),
            floor: FLOOR_RMS * FLOOR_RMS * window_energy,
            threshold: THRESHOLDS[aggressiveness],
            score: 0.0,
            hangover_frames: hangover_ms / frame_ms,
            hangover_left: 0,
            burst_frames: BURST_MS.div_ceil(frame_ms),
            burst: 0,
            started: false,
            level_step: LEVEL_STEP_10MS * (frame_ms / 10) as f64,
            low_level: 0.0,
            high_level: 0.0,
            level_started: false,
        }
    }

    /// Decides one frame of exactly `frame_len` mono samples.
    pub fn decide(&mut self, frame: &[f32]) -> bool {
        let n_fft = self.history.len();
        debug_assert_eq!(frame.len(), self.frame_len);
        self.history.copy_within(self.analysis_len.., 0);
        let tail = &mut self.history[n_fft - self.analysis_len..];
        if self.decimation == 1 {
            tail.copy_from_slice(frame);
        } else {
            for (slot, group) in tail.iter_mut().zip(frame.chunks_exact(self.decimation)) {
                let mut sum = 0.0f32;
                for &x in group {
                    sum += x;
                }
                *slot = sum * self.decimation_scale;
            }
        }
        let bins_hi = self.bins_lo + self.bins.len();
        self.fft.power(&self.history, &self.window, self.bins_lo, bins_hi, &mut self.bins);
        for (power, &(lo, hi)) in self.band_power.iter_mut().zip(&self.bands) {
            let mut sum = 0.0f64;
            for &p in &self.bins[lo..hi] {
                sum += p as f64;
            }
            *power = sum / (hi - lo) as f64;
        }
        self.track_noise();

        let mut llr_sum = 0.0f64;
        for b in 0..self.band_power.len() {
            let noise = self.noise_floor(b);
            let snr = self.band_power[b] / noise;
            if snr >= CAPPED_SNR {
                // g - ln g - 1 grows with g and already exceeds the cap here: skip the logarithm.
                llr_sum += LLR_CAP;
            } else if snr > 1.0 {
                let llr = snr - detmath::ln(snr) - 1.0;
                llr_sum += if llr > LLR_CAP { LLR_CAP } else { llr };
            }
        }
        let mean_llr = llr_sum / self.band_power.len() as f64;
        self.score = self.score_beta * self.score + (1.0 - self.score_beta) * mean_llr;

        if self.is_loud() && self.score > self.threshold {
            if self.burst < self.burst_frames {
                self.burst += 1;
            }
            if self.burst == self.burst_frames {
                self.hangover_left = self.hangover_frames;
            }
            return true;
        }
        self.burst = 0;
        if self.hangover_left > 0 {
            self.hangover_left -= 1;
            true
        } else {
            false
        }
    }

    /// See step 5 of the module documentation.
    fn is_loud(&mut self) -> bool {
        let mut total = 0.0f64;
        for &power in &self.band_power {
            total += power;
        }
        let level = detmath::ln(if total > self.floor { total } else { self.floor });
        if !self.level_started {
            self.level_started = true;
            self.low_level = level;
            self.high_level = level;
        }
        self.low_level +=
            if level < self.low_level { self.level_step * (LOW_QUANTILE - 1.0) } else { self.level_step * LOW_QUANTILE };
        self.high_level +=
            if level < self.high_level { self.level_step * (HIGH_QUANTILE - 1.0) } else { self.level_step * HIGH_QUANTILE };
        level > self.low_level + GATE_FRACTION * (self.high_level - self.low_level)
    }

    fn track_noise(&mut self) {
        let bands = self.band_power.len();
        if !self.started {
            self.started = true;
            self.smoothed.copy_from_slice(&self.band_power);
            self.current_min.copy_from_slice(&self.band_power);
        } else {
            for b in 0..bands {
                self.smoothed[b] = self.power_alpha * self.smoothed[b] + (1.0 - self.power_alpha) * self.band_power[b];
                if self.smoothed[b] < self.current_min[b] {
                    self.current_min[b] = self.smoothed[b];
                }
            }
        }
        self.frames_in_subwindow += 1;
        if self.frames_in_subwindow == self.subwindow_frames {
            let slot = self.subwindow_slot * bands;
            self.past_min[slot..slot + bands].copy_from_slice(&self.current_min);
            self.current_min.copy_from_slice(&self.smoothed);
            self.subwindow_slot = (self.subwindow_slot + 1) % SUBWINDOWS;
            if self.subwindows_filled < SUBWINDOWS {
                self.subwindows_filled += 1;
            }
            self.frames_in_subwindow = 0;
        }
    }

    fn noise_floor(&self, band: usize) -> f64 {
        let bands = self.band_power.len();
        let mut minimum = self.current_min[band];
        for slot in 0..self.subwindows_filled {
            let past = self.past_min[slot * bands + band];
            if past < minimum {
                minimum = past;
            }
        }
        let noise = NOISE_BIAS * minimum;
        if noise > self.floor {
            noise
        } else {
            self.floor
        }
    }
}
