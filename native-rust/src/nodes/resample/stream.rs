//! Streaming state: per-channel input history, the absolute stream position and the bookkeeping
//! that makes the output independent of how the input is chunked.
//!
//! Output `n` is the filter evaluated at input time `n * step / phases` (time-aligned: no leading
//! delay in the sample stream). It is emitted as soon as its whole window has arrived, i.e. the node
//! holds back `taps / 2` input samples; `flush` feeds zeros for those and stops at exactly
//! `round(received * out / in)` outputs.

use super::design::FilterBank;
use super::kernels::{produce, KernelKind, Run};
use std::sync::Arc;

/// Input frames appended per inner step; bounds the history buffer (no allocation while streaming).
const CHUNK_FRAMES: usize = 4096;

/// Where input comes from: the caller's interleaved samples or the zeros of a flush.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Interleaved(&'a [f32]),
    Zeros,
}

pub struct Stream {
    bank: Arc<FilterBank>,
    kernel: KernelKind,
    channels: usize,
    /// Samples per channel region of `history`.
    capacity: usize,
    /// Each channel's recent input, contiguous, in a region starting on a 64-byte boundary; with
    /// the AVX2 kernel and one phase also a shadow copy starting 32 bytes past one, so every 8-float
    /// block of a window can be read from a copy that holds it within one cache line (a load split
    /// across two lines costs a second load slot, and this loop is load-bound).
    history: Vec<f32>,
    /// Start index in `history` of each copy: channel c at `2c`, its shadow (if any) at `2c + 1`.
    regions: Vec<usize>,
    shadowed: bool,
    /// Valid samples at the start of each region.
    held: usize,
    /// Absolute input index of each region's first sample (negative: the zeros before the stream).
    held_start: i64,
    received: u64,
    emitted: u64,
}

impl Stream {
    pub fn new(bank: Arc<FilterBank>, channels: usize, kernel: KernelKind) -> Stream {
        let capacity = bank.taps + CHUNK_FRAMES;
        let shadowed = kernel == KernelKind::Avx2Fma && bank.phases == 1;
        let copies = if shadowed { 2 } else { 1 };
        // Regions a whole number of cache lines apart, plus slack to align the first one.
        let region_stride = (capacity + 8).div_ceil(16) * 16;
        let history = vec![0.0f32; copies * channels * region_stride + 16];
        let first_aligned = (64 - history.as_ptr() as usize % 64) % 64 / 4;
        let regions = (0..2 * channels)
            .map(|r| if shadowed { first_aligned + r * region_stride + (r % 2) * 8 } else { first_aligned + (r / 2) * region_stride })
            .collect();
        let mut stream = Stream { bank, kernel, channels, capacity, history, regions, shadowed, held: 0, held_start: 0, received: 0, emitted: 0 };
        stream.reset();
        stream
    }

    /// Back to the start of a stream: the history holds the zeros before the first sample.
    pub fn reset(&mut self) {
        let lead = self.bank.taps / 2 - 1;
        for c in 0..self.channels {
            for copy in self.copies(c) {
                self.history[copy..copy + lead].fill(0.0);
            }
        }
        self.held = lead;
        self.held_start = -(lead as i64);
        self.received = 0;
        self.emitted = 0;
    }

    pub fn bank(&self) -> &FilterBank {
        &self.bank
    }

    pub fn channels(&self) -> usize {
        self.channels
    }

    pub fn received(&self) -> u64 {
        self.received
    }

    /// Output frames held back: the filter's half-length in output frames.
    pub fn latency_frames(&self) -> f64 {
        (self.bank.taps / 2) as f64 * self.bank.phases as f64 / self.bank.step as f64
    }

    /// Start indices of channel `c`'s copies of the history (one, or two with a shadow).
    fn copies(&self, c: usize) -> impl Iterator<Item = usize> + use<> {
        let (first, shadow) = (self.regions[2 * c], self.regions[2 * c + 1]);
        std::iter::once(first).chain(self.shadowed.then_some(shadow))
    }

    /// The input sample under output `n`'s time (floor).
    fn base(&self, n: u64) -> i64 {
        ((n as u128 * self.bank.step as u128) / self.bank.phases as u128) as i64
    }

    /// How many outputs are complete once `received` input frames have arrived.
    fn ready_after(&self, received: u64) -> u64 {
        // Output n needs input up to base(n) + taps/2.
        let last_usable = received as i64 - 1 - (self.bank.taps / 2) as i64;
        if last_usable < 0 {
            return 0;
        }
        let (l, m) = (self.bank.phases as u128, self.bank.step as u128);
        (((last_usable as u128 + 1) * l - 1) / m + 1) as u64
    }

    /// Outputs that processing `frames` more input frames writes.
    pub fn outputs_for(&self, frames: usize) -> usize {
        (self.ready_after(self.received + frames as u64) - self.emitted) as usize
    }

    /// Total outputs the stream owes at its end: round(received * out / in).
    fn final_count(&self) -> u64 {
        let (l, m) = (self.bank.phases as u128, self.bank.step as u128);
        ((2 * self.received as u128 * l + m) / (2 * m)) as u64
    }

    /// Outputs a flush now writes.
    pub fn flush_count(&self) -> usize {
        self.final_count().saturating_sub(self.emitted) as usize
    }

    /// Consumes `frames` frames and writes every output they complete (exactly `outputs_for(frames)`
    /// frames, interleaved) into `out`.
    pub fn process(&mut self, source: Source, frames: usize, out: &mut [f32]) {
        let limit = self.ready_after(self.received + frames as u64);
        self.consume(source, frames, limit, out);
    }

    /// Writes the tail (exactly `flush_count()` frames) and starts a new stream.
    pub fn flush(&mut self, out: &mut [f32]) {
        let target = self.final_count();
        if target > self.emitted {
            let zeros_needed = (self.base(target - 1) + (self.bank.taps / 2) as i64 + 1 - self.received as i64).max(0) as usize;
            self.consume(Source::Zeros, zeros_needed, target, out);
        }
        self.reset();
    }

    fn consume(&mut self, source: Source, frames: usize, limit: u64, out: &mut [f32]) {
        let mut consumed = 0;
        let mut written = 0;
        loop {
            written += self.emit_ready(limit, &mut out[written * self.channels..]);
            if consumed == frames {
                break;
            }
            self.drop_consumed_history();
            let take = (frames - consumed).min(self.capacity - self.held);
            self.append(source, consumed, take);
            consumed += take;
        }
    }

    fn append(&mut self, source: Source, first_frame: usize, frames: usize) {
        let channels = self.channels;
        for c in 0..channels {
          for start in self.copies(c) {
            let region = &mut self.history[start + self.held..][..frames];
            match source {
                Source::Zeros => region.fill(0.0),
                Source::Interleaved(samples) if channels == 1 => region.copy_from_slice(&samples[first_frame..first_frame + frames]),
                Source::Interleaved(samples) => {
                    let frames_in = &samples[first_frame * channels..(first_frame + frames) * channels];
                    for (dst, frame) in region.iter_mut().zip(frames_in.chunks_exact(channels)) {
                        *dst = frame[c];
                    }
                }
            }
          }
        }
        self.held += frames;
        self.received += frames as u64;
    }

    /// Forgets history no future output reads (everything before the next output's window).
    fn drop_consumed_history(&mut self) {
        let keep_from = (self.window_start(self.emitted) - self.held_start) as usize;
        if keep_from == 0 {
            return;
        }
        let keep_from = keep_from.min(self.held);
        for c in 0..self.channels {
            for start in self.copies(c) {
                self.history[start..start + self.held].copy_within(keep_from.., 0);
            }
        }
        self.held -= keep_from;
        self.held_start += keep_from as i64;
    }

    fn window_start(&self, n: u64) -> i64 {
        self.base(n) - (self.bank.taps / 2) as i64 + 1
    }

    /// Computes every output whose window is in the history (up to `limit`); returns how many.
    fn emit_ready(&mut self, limit: u64, out: &mut [f32]) -> usize {
        let end = self.ready_after(self.received).min(limit);
        if end <= self.emitted {
            return 0;
        }
        let count = (end - self.emitted) as usize;
        let window_start = (self.window_start(self.emitted) - self.held_start) as usize;
        let phase = ((self.emitted as u128 * self.bank.step as u128) % self.bank.phases as u128) as usize;
        for c in 0..self.channels {
            let start = self.regions[2 * c];
            let shadow = if self.shadowed { &self.history[self.regions[2 * c + 1]..][..self.held] } else { &[][..] };
            let run = Run {
                coefficients: &self.bank.coefficients,
                taps: self.bank.taps,
                phases: self.bank.phases,
                step: self.bank.step,
                history: &self.history[start..start + self.held],
                shadow,
                window_start,
                phase,
                count,
            };
            produce(self.kernel, &run, &mut out[c..], self.channels);
        }
        self.emitted = end;
        count
    }
}
