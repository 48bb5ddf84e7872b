//! Audio buffers as they cross the C ABI (`RmAudio`) and the safe views nodes work with.

use crate::error::NodeError;
use std::ffi::c_void;

/// Interleaved sample encoding. Values match `RmAudio.format`.
#[repr(u16)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    F32 = 0,
    S16 = 1,
    S32 = 2,
}

impl SampleFormat {
    pub fn from_raw(raw: u16) -> Option<SampleFormat> {
        match raw {
            0 => Some(SampleFormat::F32),
            1 => Some(SampleFormat::S16),
            2 => Some(SampleFormat::S32),
            _ => None,
        }
    }
    pub fn bytes(self) -> usize {
        match self {
            SampleFormat::S16 => 2,
            SampleFormat::F32 | SampleFormat::S32 => 4,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            SampleFormat::F32 => "f32",
            SampleFormat::S16 => "i16",
            SampleFormat::S32 => "i32",
        }
    }
}

/// An audio buffer as passed across the C ABI. For outputs, `frames` is the capacity (in frames of the
/// layout given by `channels` and `format`) on the way in and the number of frames written on the way
/// out; the node also writes the output's `channels`, `format` and `sample_rate`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RmAudio {
    pub data: *mut c_void,
    pub frames: u32,
    pub channels: u16,
    pub format: u16,
    pub sample_rate: u32,
}

/// Largest channel count any node accepts.
pub const MAX_CHANNELS: usize = 64;
/// Highest sample rate any node accepts.
pub const MAX_SAMPLE_RATE: u32 = 384_000;

/// The shape of an audio block without its samples: what `output_shape` talks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioShape {
    pub frames: usize,
    pub channels: usize,
    pub format: SampleFormat,
    pub sample_rate: u32,
}

/// Borrowed interleaved samples of one of the supported formats.
#[derive(Debug, Clone, Copy)]
pub enum Samples<'a> {
    F32(&'a [f32]),
    S16(&'a [i16]),
    S32(&'a [i32]),
}

impl Samples<'_> {
    pub fn format(&self) -> SampleFormat {
        match self {
            Samples::F32(_) => SampleFormat::F32,
            Samples::S16(_) => SampleFormat::S16,
            Samples::S32(_) => SampleFormat::S32,
        }
    }
}

/// A read-only audio block handed to a node.
#[derive(Debug, Clone, Copy)]
pub struct AudioIn<'a> {
    pub samples: Samples<'a>,
    pub frames: usize,
    pub channels: usize,
    pub sample_rate: u32,
}

impl<'a> AudioIn<'a> {
    pub fn f32(samples: &'a [f32], channels: usize, sample_rate: u32) -> AudioIn<'a> {
        AudioIn { samples: Samples::F32(samples), frames: samples.len() / channels.max(1), channels, sample_rate }
    }
    pub fn s16(samples: &'a [i16], channels: usize, sample_rate: u32) -> AudioIn<'a> {
        AudioIn { samples: Samples::S16(samples), frames: samples.len() / channels.max(1), channels, sample_rate }
    }
    pub fn s32(samples: &'a [i32], channels: usize, sample_rate: u32) -> AudioIn<'a> {
        AudioIn { samples: Samples::S32(samples), frames: samples.len() / channels.max(1), channels, sample_rate }
    }
    pub fn format(&self) -> SampleFormat {
        self.samples.format()
    }
    pub fn shape(&self) -> AudioShape {
        AudioShape { frames: self.frames, channels: self.channels, format: self.format(), sample_rate: self.sample_rate }
    }
    /// The samples as f32, or an `UnsupportedFormat` error naming `node`.
    pub fn require_f32(&self, node: &str) -> Result<&'a [f32], NodeError> {
        match self.samples {
            Samples::F32(s) => Ok(s),
            other => Err(not_f32(other.format(), node)),
        }
    }
}

/// Destination memory for a node's output, with its capacity in bytes. The node picks the layout
/// with one of the `*_frames` calls, which check capacity and record the shape written.
pub struct AudioOut<'a> {
    bytes: &'a mut [u8],
    pub frames: usize,
    pub channels: usize,
    pub format: SampleFormat,
    pub sample_rate: u32,
}

impl<'a> AudioOut<'a> {
    /// Wraps raw output memory. `bytes` must be aligned to 4 bytes (checked by the ABI layer).
    pub fn new(bytes: &'a mut [u8]) -> AudioOut<'a> {
        AudioOut { bytes, frames: 0, channels: 0, format: SampleFormat::F32, sample_rate: 0 }
    }

    pub fn capacity_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Capacity in frames of the given layout.
    pub fn capacity_frames(&self, channels: usize, format: SampleFormat) -> usize {
        self.bytes.len() / (channels.max(1) * format.bytes())
    }

    fn claim(&mut self, frames: usize, channels: usize, format: SampleFormat, rate: u32, node: &str) -> Result<(), NodeError> {
        let needed = frames * channels * format.bytes();
        if needed > self.bytes.len() {
            return Err(NodeError::buffer_too_small(format!(
                "{node}: output needs {frames} frames x {channels} channels of {} ({needed} bytes), buffer holds {} bytes",
                format.name(),
                self.bytes.len()
            )));
        }
        self.frames = frames;
        self.channels = channels;
        self.format = format;
        self.sample_rate = rate;
        Ok(())
    }

    /// Declares `frames` frames of f32 output and returns the memory to fill.
    pub fn f32_frames(&mut self, frames: usize, channels: usize, rate: u32, node: &str) -> Result<&mut [f32], NodeError> {
        self.claim(frames, channels, SampleFormat::F32, rate, node)?;
        let len = frames * channels;
        // SAFETY: capacity was checked above, the ABI layer checked 4-byte alignment, and every
        // bit pattern is a valid f32.
        Ok(unsafe { std::slice::from_raw_parts_mut(self.bytes.as_mut_ptr() as *mut f32, len) })
    }

    pub fn s16_frames(&mut self, frames: usize, channels: usize, rate: u32, node: &str) -> Result<&mut [i16], NodeError> {
        self.claim(frames, channels, SampleFormat::S16, rate, node)?;
        let len = frames * channels;
        // SAFETY: as in f32_frames.
        Ok(unsafe { std::slice::from_raw_parts_mut(self.bytes.as_mut_ptr() as *mut i16, len) })
    }

    pub fn s32_frames(&mut self, frames: usize, channels: usize, rate: u32, node: &str) -> Result<&mut [i32], NodeError> {
        self.claim(frames, channels, SampleFormat::S32, rate, node)?;
        let len = frames * channels;
        // SAFETY: as in f32_frames.
        Ok(unsafe { std::slice::from_raw_parts_mut(self.bytes.as_mut_ptr() as *mut i32, len) })
    }

    /// Declares an empty output of the given shape (nothing to emit yet).
    pub fn empty(&mut self, channels: usize, format: SampleFormat, rate: u32) {
        self.frames = 0;
        self.channels = channels;
        self.format = format;
        self.sample_rate = rate;
    }
}

fn not_f32(format: SampleFormat, node: &str) -> NodeError {
    NodeError::unsupported_format(format!(
        "{node} takes f32 samples, got {}; put a FormatConverterNode before it",
        format.name()
    ))
}

/// `validate_input` plus f32 samples, for the nodes that only compute in f32.
pub fn validate_f32_input(input: &AudioShape, node: &str) -> Result<(), NodeError> {
    validate_input(input, node)?;
    if input.format != SampleFormat::F32 {
        return Err(not_f32(input.format, node));
    }
    Ok(())
}

/// Checks the shape every node requires of an input block.
pub fn validate_input(input: &AudioShape, node: &str) -> Result<(), NodeError> {
    if input.channels == 0 || input.channels > MAX_CHANNELS {
        return Err(NodeError::invalid_argument(format!(
            "{node}: channel count must be 1..={MAX_CHANNELS}, got {}",
            input.channels
        )));
    }
    if input.sample_rate == 0 || input.sample_rate > MAX_SAMPLE_RATE {
        return Err(NodeError::invalid_argument(format!(
            "{node}: sample rate must be 1..={MAX_SAMPLE_RATE} Hz, got {}",
            input.sample_rate
        )));
    }
    Ok(())
}
