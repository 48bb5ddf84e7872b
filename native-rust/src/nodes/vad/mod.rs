//! VADNode: voice activity decisions per 10/20/30 ms frame of f32 audio at 8/16/32/48 kHz
//! (multi-channel input is averaged to mono for analysis), reported as events
//! (`VoiceActivity` per frame, `SpeechStart`, `SpeechEnd`) and as properties (`speech_frames`,
//! `total_frames`, `is_speech`, `in_speech`). The audio passes through unchanged, or with
//! `gate_audio` only the frames decided as speech are output.
//!
//! Frames are cut from the stream, not from each call: a partial frame waits for the next call, so
//! decisions do not depend on how the stream is chunked. With one call over a whole buffer, the
//! energy mode is exactly the original node (remainder dropped). The partial frame left at flush
//! is not analyzed.

mod config;
mod detmath;
mod energy;
mod fft;
mod spectral;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;

use crate::audio::{validate_f32_input, validate_input, AudioIn, AudioOut, AudioShape, SampleFormat};
use crate::error::NodeError;
use crate::node::{EventKind, NodeExecutor, RmEvent};

pub use config::{VadConfig, VadMode, SUPPORTED_RATES};
use energy::EnergyDetector;
use spectral::SpectralDetector;

pub const KIND: &str = "VADNode";

/// Pending events kept for a reader; beyond this the oldest are dropped (and counted).
const MAX_PENDING_EVENTS: usize = 1 << 16;

pub fn create(config: &str) -> Result<Box<dyn NodeExecutor>, NodeError> {
    Ok(Box::new(VadNode::from_config(config)?))
}

enum Detector {
    Energy(EnergyDetector),
    Spectral(Box<SpectralDetector>),
}

impl Detector {
    fn decide(&mut self, frame: &[f32]) -> bool {
        match self {
            Detector::Energy(d) => d.decide(frame),
            Detector::Spectral(d) => d.decide(frame),
        }
    }
}

/// The stream's shape, fixed by the first block after creation or reset.
struct Stream {
    rate: u32,
    channels: usize,
    frame_len: usize,
    detector: Detector,
}

pub struct VadNode {
    config: VadConfig,
    stream: Option<Stream>,
    /// Mono samples of the current partial frame.
    pending: Vec<f32>,
    /// The same frame's original interleaved samples (kept only when gating).
    held: Vec<f32>,
    /// Stream position of `pending[0]`.
    pending_start: u64,
    in_speech: bool,
    speech_start: u64,
    speech_frames: u64,
    total_frames: u64,
    events: VecDeque<RmEvent>,
    dropped_events: u64,
}

impl VadNode {
    pub fn from_config(config: &str) -> Result<VadNode, NodeError> {
        Ok(VadNode {
            config: VadConfig::parse(config)?,
            stream: None,
            pending: Vec::new(),
            held: Vec::new(),
            pending_start: 0,
            in_speech: false,
            speech_start: 0,
            speech_frames: 0,
            total_frames: 0,
            events: VecDeque::new(),
            dropped_events: 0,
        })
    }

    fn check_rate(rate: u32) -> Result<(), NodeError> {
        if SUPPORTED_RATES.contains(&rate) {
            Ok(())
        } else {
            Err(NodeError::unsupported_format(format!(
                "{KIND}: sample rate {rate} Hz is not supported; use 8000, 16000, 32000 or 48000 (put an AudioResampleNode before it)"
            )))
        }
    }

    /// Validates a block against the stream, starting the stream on the first block.
    fn ensure_stream(&mut self, input: &AudioIn) -> Result<(), NodeError> {
        validate_input(&input.shape(), KIND)?;
        input.require_f32(KIND)?;
        Self::check_rate(input.sample_rate)?;
        if let Some(stream) = &self.stream {
            if stream.rate != input.sample_rate || stream.channels != input.channels {
                return Err(NodeError::stream_mismatch(format!(
                    "{KIND}: stream started as {} Hz, {} ch but this block is {} Hz, {} ch; reset the node to change format",
                    stream.rate, stream.channels, input.sample_rate, input.channels
                )));
            }
            return Ok(());
        }
        let rate = input.sample_rate;
        let detector = match self.config.mode {
            VadMode::Energy => Detector::Energy(EnergyDetector::new(self.config.energy_threshold)),
            VadMode::Robust => Detector::Spectral(Box::new(SpectralDetector::new(
                rate,
                self.config.frame_duration_ms,
                self.config.aggressiveness,
                self.config.hangover_ms,
            ))),
        };
        let frame_len = self.config.frame_samples(rate);
        self.pending.reserve(frame_len);
        self.stream = Some(Stream { rate, channels: input.channels, frame_len, detector });
        Ok(())
    }

    fn push_event(&mut self, kind: EventKind, frame: u64, value: f64) {
        if self.events.len() == MAX_PENDING_EVENTS {
            self.events.pop_front();
            self.dropped_events += 1;
        }
        self.events.push_back(RmEvent { kind: kind as u32, reserved: 0, frame, value });
    }

    /// Records one frame decision and the utterance boundaries it implies.
    fn record(&mut self, speech: bool, frame_start: u64, rate: u32) {
        self.total_frames += 1;
        self.push_event(EventKind::VoiceActivity, frame_start, if speech { 1.0 } else { 0.0 });
        if speech {
            self.speech_frames += 1;
            if !self.in_speech {
                self.in_speech = true;
                self.speech_start = frame_start;
                self.push_event(EventKind::SpeechStart, frame_start, 0.0);
            }
        } else if self.in_speech {
            self.end_utterance(frame_start, rate);
        }
    }

    fn end_utterance(&mut self, end: u64, rate: u32) {
        self.in_speech = false;
        let seconds = (end - self.speech_start) as f64 / rate as f64;
        self.push_event(EventKind::SpeechEnd, end, seconds);
    }

    fn max_output_frames(&self, input_frames: usize, rate: u32) -> usize {
        if self.config.gate_audio {
            input_frames + self.config.frame_samples(rate)
        } else {
            input_frames
        }
    }
}

/// The index of the first NaN or infinite sample, if any.
fn first_non_finite(samples: &[f32]) -> Option<usize> {
    samples.iter().position(|s| !s.is_finite())
}

impl NodeExecutor for VadNode {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn output_shape(&self, input: &AudioShape) -> Result<AudioShape, NodeError> {
        validate_f32_input(input, KIND)?;
        Self::check_rate(input.sample_rate)?;
        Ok(AudioShape { frames: self.max_output_frames(input.frames, input.sample_rate), ..*input })
    }

    fn process(&mut self, input: &AudioIn, output: &mut AudioOut) -> Result<(), NodeError> {
        self.ensure_stream(input)?;
        let samples = input.require_f32(KIND)?;
        let channels = input.channels;
        if let Some(index) = first_non_finite(&samples[..input.frames * channels]) {
            return Err(NodeError::invalid_argument(format!(
                "{KIND}: input sample {index} (frame {}, channel {}) is {}; the block was not consumed",
                index / channels,
                index % channels,
                samples[index]
            )));
        }
        let rate = input.sample_rate;
        let capacity = self.max_output_frames(input.frames, rate);
        let out = output.f32_frames(capacity, channels, rate, KIND)?;
        let gate = self.config.gate_audio;
        let mut written = 0;
        if !gate {
            out.copy_from_slice(&samples[..input.frames * channels]);
            written = input.frames;
        }
        let frame_len = self.stream.as_ref().map_or(0, |s| s.frame_len);
        let mut index = 0;
        while index < input.frames {
            let take = (frame_len - self.pending.len()).min(input.frames - index);
            let block = &samples[index * channels..(index + take) * channels];
            if channels == 1 {
                self.pending.extend_from_slice(block);
            } else {
                for frame in block.chunks_exact(channels) {
                    let mut sum = 0.0f64;
                    for &s in frame {
                        sum += s as f64;
                    }
                    self.pending.push((sum / channels as f64) as f32);
                }
            }
            if gate {
                self.held.extend_from_slice(block);
            }
            index += take;
            if self.pending.len() == frame_len {
                let frame_start = self.pending_start;
                let speech = match self.stream.as_mut() {
                    Some(stream) => stream.detector.decide(&self.pending),
                    None => false,
                };
                self.record(speech, frame_start, rate);
                if gate && speech {
                    out[written * channels..(written + frame_len) * channels].copy_from_slice(&self.held);
                    written += frame_len;
                }
                self.pending.clear();
                self.held.clear();
                self.pending_start = frame_start + frame_len as u64;
            }
        }
        output.frames = written;
        Ok(())
    }

    fn flush(&mut self, output: &mut AudioOut) -> Result<(), NodeError> {
        let Some(stream) = &self.stream else {
            output.empty(1, SampleFormat::F32, 0);
            return Ok(());
        };
        let (rate, channels) = (stream.rate, stream.channels);
        // The partial frame is not analyzed; when gating inside an utterance it still belongs to it.
        let tail = if self.config.gate_audio && self.in_speech { self.pending.len() } else { 0 };
        let out = output.f32_frames(tail, channels, rate, KIND)?;
        out.copy_from_slice(&self.held[..tail * channels]);
        let analyzed_end = self.pending_start;
        if self.in_speech {
            self.end_utterance(analyzed_end, rate);
        }
        self.pending_start += self.pending.len() as u64;
        self.pending.clear();
        self.held.clear();
        Ok(())
    }

    fn reset(&mut self) {
        self.stream = None;
        self.pending.clear();
        self.held.clear();
        self.pending_start = 0;
        self.in_speech = false;
        self.speech_start = 0;
        self.speech_frames = 0;
        self.total_frames = 0;
        self.events.clear();
        self.dropped_events = 0;
    }

    fn property(&self, name: &str, arg: f64) -> Option<f64> {
        match name {
            "latency_frames" => Some(0.0),
            "speech_frames" => Some(self.speech_frames as f64),
            "total_frames" => Some(self.total_frames as f64),
            "is_speech" => Some(if self.speech_frames > 0 { 1.0 } else { 0.0 }),
            "in_speech" => Some(if self.in_speech { 1.0 } else { 0.0 }),
            "dropped_events" => Some(self.dropped_events as f64),
            // Samples per analysis frame at the sample rate given as `arg`.
            "frame_samples" => Some(self.config.frame_samples(arg as u32) as f64),
            "max_output_frames" => Some(self.max_output_frames(arg as usize, self.stream.as_ref().map_or(48000, |s| s.rate)) as f64),
            _ => None,
        }
    }

    fn read_events(&mut self, out: &mut [RmEvent]) -> usize {
        let count = out.len().min(self.events.len());
        for (slot, event) in out.iter_mut().zip(self.events.drain(..count)) {
            *slot = event;
        }
        count
    }
}
