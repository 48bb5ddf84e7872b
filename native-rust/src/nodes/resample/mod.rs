//! AudioResampleNode: streaming rational-ratio resampling with a Kaiser-windowed sinc polyphase
//! filter. Parameters as the original remotemedia node: `target_sample_rate` (default 16000) and
//! `quality` ("low" | "medium" | "high", default "high"); the input rate comes from the input buffer.
//! f32 interleaved, any channel count. See docs/RESAMPLER.md.

pub mod design;
pub mod kernels;
pub mod stream;

#[cfg(test)]
mod tests;

use crate::audio::{validate_f32_input, AudioIn, AudioOut, AudioShape, SampleFormat, MAX_SAMPLE_RATE};
use crate::error::NodeError;
use crate::node::NodeExecutor;
use crate::params::Params;
use design::Quality;
use kernels::KernelKind;
use stream::{Source, Stream};

pub const KIND: &str = "AudioResampleNode";

pub fn create(config: &str) -> Result<Box<dyn NodeExecutor>, NodeError> {
    Ok(Box::new(AudioResample::from_config(config)?))
}

/// What the node does with the current stream.
enum Mode {
    /// No input seen since creation, reset or flush.
    Idle,
    /// Input rate equals the target rate: samples pass through untouched.
    PassThrough { input_rate: u32, channels: usize },
    Resampling { input_rate: u32, stream: Stream },
}

pub struct AudioResample {
    target_rate: u32,
    quality: Quality,
    mode: Mode,
    /// The last stream's filter state, kept so a new stream at the same rate and channel count
    /// reuses its buffers instead of allocating.
    spare: Option<(u32, Stream)>,
}

impl AudioResample {
    pub fn from_config(config: &str) -> Result<AudioResample, NodeError> {
        let mut p = Params::parse(KIND, config)?;
        let target_rate = p.int("target_sample_rate", 1, MAX_SAMPLE_RATE as i64, 16000)? as u32;
        let quality = Quality::parse(&p.choice("quality", &["low", "medium", "high"], "high")?).unwrap_or(Quality::High);
        p.finish()?;
        Ok(AudioResample { target_rate, quality, mode: Mode::Idle, spare: None })
    }

    fn check_input(&self, shape: &AudioShape) -> Result<(), NodeError> {
        check_format(shape)?;
        let current = match &self.mode {
            Mode::Idle => None,
            Mode::PassThrough { input_rate, channels } => Some((*input_rate, *channels)),
            Mode::Resampling { input_rate, stream } => Some((*input_rate, stream.channels())),
        };
        if let Some((rate, channels)) = current {
            if rate != shape.sample_rate {
                return Err(NodeError::stream_mismatch(format!(
                    "{KIND}: input sample rate changed mid-stream from {rate} Hz to {} Hz; call flush() or reset() before starting a stream at a new rate",
                    shape.sample_rate
                )));
            }
            if channels != shape.channels {
                return Err(NodeError::stream_mismatch(format!(
                    "{KIND}: channel count changed mid-stream from {channels} to {}; call flush() or reset() first",
                    shape.channels
                )));
            }
        }
        Ok(())
    }

    /// Starts a stream for this input shape (designs the filter, or reuses the last one).
    fn start_stream(&mut self, input_rate: u32, channels: usize) {
        if input_rate == self.target_rate {
            self.mode = Mode::PassThrough { input_rate, channels };
            return;
        }
        let stream = match self.spare.take() {
            Some((rate, mut stream)) if rate == input_rate && stream.channels() == channels => {
                stream.reset();
                stream
            }
            _ => Stream::new(design::shared_design(input_rate, self.target_rate, self.quality), channels, KernelKind::detect()),
        };
        self.mode = Mode::Resampling { input_rate, stream };
    }

    fn end_stream(&mut self) {
        if let Mode::Resampling { input_rate, stream } = std::mem::replace(&mut self.mode, Mode::Idle) {
            self.spare = Some((input_rate, stream));
        }
    }

    /// The largest output a process of `frames` frames at `input_rate` (or the flush after it) writes.
    fn max_output_frames(&self, input_rate: u32, frames: usize) -> usize {
        if input_rate == self.target_rate {
            return frames;
        }
        let (phases, step) = design::reduced_ratio(input_rate, self.target_rate);
        let half_taps = design::taps_per_output(input_rate, self.target_rate, self.quality) / 2;
        let per_input = |n: usize| (n as u128 * phases as u128).div_ceil(step as u128) as usize;
        per_input(frames) + per_input(half_taps) + 2
    }
}

/// Rates and channels in range, and f32 samples: anything else needs a FormatConverterNode first.
fn check_format(shape: &AudioShape) -> Result<(), NodeError> {
    validate_f32_input(shape, KIND)
}

impl NodeExecutor for AudioResample {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn output_shape(&self, input: &AudioShape) -> Result<AudioShape, NodeError> {
        check_format(input)?;
        Ok(AudioShape {
            frames: self.max_output_frames(input.sample_rate, input.frames),
            channels: input.channels,
            format: SampleFormat::F32,
            sample_rate: self.target_rate,
        })
    }

    fn process(&mut self, input: &AudioIn, output: &mut AudioOut) -> Result<(), NodeError> {
        let shape = input.shape();
        self.check_input(&shape)?;
        let samples = input.require_f32(KIND)?;
        let (channels, frames) = (shape.channels, shape.frames);
        if matches!(self.mode, Mode::Idle) {
            self.start_stream(shape.sample_rate, channels);
        }
        let target_rate = self.target_rate;
        match &mut self.mode {
            Mode::PassThrough { .. } => {
                output.f32_frames(frames, channels, target_rate, KIND)?.copy_from_slice(&samples[..frames * channels]);
            }
            Mode::Resampling { stream, .. } => {
                // Claim (and check) the output before touching the stream so a too-small buffer
                // leaves the node exactly as it was.
                let count = stream.outputs_for(frames);
                let out = output.f32_frames(count, channels, target_rate, KIND)?;
                stream.process(Source::Interleaved(&samples[..frames * channels]), frames, out);
            }
            Mode::Idle => unreachable!("a stream was started above"),
        }
        Ok(())
    }

    fn flush(&mut self, output: &mut AudioOut) -> Result<(), NodeError> {
        let target_rate = self.target_rate;
        match &mut self.mode {
            Mode::Idle => output.empty(1, SampleFormat::F32, target_rate),
            Mode::PassThrough { channels, .. } => output.empty(*channels, SampleFormat::F32, target_rate),
            Mode::Resampling { stream, .. } => {
                let channels = stream.channels();
                let out = output.f32_frames(stream.flush_count(), channels, target_rate, KIND)?;
                stream.flush(out);
            }
        }
        self.end_stream();
        Ok(())
    }

    fn reset(&mut self) {
        self.end_stream();
    }

    fn property(&self, name: &str, arg: f64) -> Option<f64> {
        match name {
            // Output frames the node holds back (the filter's half-length); `arg` may name an input
            // rate to ask before the first block arrives.
            "latency_frames" => Some(match &self.mode {
                Mode::Resampling { stream, .. } => stream.latency_frames(),
                Mode::PassThrough { .. } => 0.0,
                Mode::Idle if arg >= 1.0 && arg <= MAX_SAMPLE_RATE as f64 && arg as u32 != self.target_rate => {
                    let rate = arg as u32;
                    let (phases, step) = design::reduced_ratio(rate, self.target_rate);
                    (design::taps_per_output(rate, self.target_rate, self.quality) / 2) as f64 * phases as f64 / step as f64
                }
                Mode::Idle => 0.0,
            }),
            "taps_per_output" => match &self.mode {
                Mode::Resampling { stream, .. } => Some(stream.bank().taps as f64),
                _ => Some(0.0),
            },
            _ => None,
        }
    }
}
