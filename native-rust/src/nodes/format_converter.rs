//! FormatConverterNode: converts between f32, i16 and i32 interleaved samples and maps channels
//! (N -> mono by averaging, mono -> N by copying). Parameters as the original remotemedia node:
//! `target_format` ("f32" | "i16" | "i32", default "f32") and optional `target_channels`.

use super::sample::Sample;
use crate::audio::{validate_input, AudioIn, AudioOut, AudioShape, SampleFormat, Samples, MAX_CHANNELS};
use crate::error::NodeError;
use crate::node::NodeExecutor;
use crate::params::Params;

pub const KIND: &str = "FormatConverterNode";

pub struct FormatConverter {
    target: SampleFormat,
    target_channels: Option<usize>,
}

pub fn create(config: &str) -> Result<Box<dyn NodeExecutor>, NodeError> {
    Ok(Box::new(FormatConverter::from_config(config)?))
}

impl FormatConverter {
    pub fn from_config(config: &str) -> Result<FormatConverter, NodeError> {
        let mut p = Params::parse(KIND, config)?;
        let target = match p.choice("target_format", &["f32", "i16", "i32"], "f32")?.as_str() {
            "i16" => SampleFormat::S16,
            "i32" => SampleFormat::S32,
            _ => SampleFormat::F32,
        };
        let target_channels = p.opt_int("target_channels", 1, MAX_CHANNELS as i64)?.map(|c| c as usize);
        p.finish()?;
        Ok(FormatConverter { target, target_channels })
    }

    fn output_channels(&self, input_channels: usize) -> Result<usize, NodeError> {
        let out = self.target_channels.unwrap_or(input_channels);
        if out == input_channels || out == 1 || input_channels == 1 {
            Ok(out)
        } else {
            Err(NodeError::unsupported_format(format!(
                "{KIND}: cannot map {input_channels} channels to {out}; supported: same count, N -> 1 (average), 1 -> N (copy)"
            )))
        }
    }
}

/// Converts and channel-maps `frames` frames from `src` (`in_ch` interleaved) into `dst` (`out_ch`).
fn convert<I: Sample, O: Sample>(src: &[I], in_ch: usize, dst: &mut [O], out_ch: usize, frames: usize) {
    if in_ch == out_ch {
        for (d, s) in dst[..frames * out_ch].iter_mut().zip(&src[..frames * in_ch]) {
            *d = O::from_f64(s.to_f64());
        }
    } else if out_ch == 1 {
        let divisor = in_ch as f64;
        for (d, frame) in dst[..frames].iter_mut().zip(src.chunks_exact(in_ch)) {
            let mut sum = 0.0f64;
            for s in frame {
                sum += s.to_f64();
            }
            *d = O::from_f64(sum / divisor);
        }
    } else {
        for (frame, s) in dst[..frames * out_ch].chunks_exact_mut(out_ch).zip(&src[..frames]) {
            frame.fill(O::from_f64(s.to_f64()));
        }
    }
}

fn convert_into<O: Sample>(input: &AudioIn, dst: &mut [O], out_ch: usize) {
    match input.samples {
        Samples::F32(s) => convert(s, input.channels, dst, out_ch, input.frames),
        Samples::S16(s) => convert(s, input.channels, dst, out_ch, input.frames),
        Samples::S32(s) => convert(s, input.channels, dst, out_ch, input.frames),
    }
}

impl NodeExecutor for FormatConverter {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn output_shape(&self, input: &AudioShape) -> Result<AudioShape, NodeError> {
        validate_input(input, KIND)?;
        Ok(AudioShape { channels: self.output_channels(input.channels)?, format: self.target, ..*input })
    }

    fn process(&mut self, input: &AudioIn, output: &mut AudioOut) -> Result<(), NodeError> {
        validate_input(&input.shape(), KIND)?;
        let out_ch = self.output_channels(input.channels)?;
        let (frames, rate) = (input.frames, input.sample_rate);
        match self.target {
            SampleFormat::F32 => convert_into(input, output.f32_frames(frames, out_ch, rate, KIND)?, out_ch),
            SampleFormat::S16 => convert_into(input, output.s16_frames(frames, out_ch, rate, KIND)?, out_ch),
            SampleFormat::S32 => convert_into(input, output.s32_frames(frames, out_ch, rate, KIND)?, out_ch),
        }
        Ok(())
    }

    fn reset(&mut self) {}

    fn property(&self, name: &str, _arg: f64) -> Option<f64> {
        match name {
            "latency_frames" => Some(0.0),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn run_f32_to_i16(config: &str, input: &[f32], channels: usize) -> Result<(Vec<i16>, usize), NodeError> {
        let mut node = FormatConverter::from_config(config)?;
        let mut bytes = vec![0u8; input.len() * 2 * 8];
        let mut out = AudioOut::new(&mut bytes);
        node.process(&AudioIn::f32(input, channels, 48000), &mut out)?;
        let (frames, ch) = (out.frames, out.channels);
        assert_eq!(out.format, SampleFormat::S16);
        assert_eq!(out.sample_rate, 48000);
        let samples: Vec<i16> = bytes[..frames * ch * 2].chunks_exact(2).map(|b| i16::from_ne_bytes([b[0], b[1]])).collect();
        Ok((samples, ch))
    }

    #[test]
    fn converts_f32_to_i16_with_rounding_clamping_and_nan() {
        let input = [0.0, 0.5, -0.5, 1.0, -1.0, 2.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY];
        let (out, ch) = run_f32_to_i16(r#"{"target_format":"i16"}"#, &input, 1).unwrap();
        assert_eq!(ch, 1);
        assert_eq!(out, vec![0, 16384, -16384, 32767, -32768, 32767, 0, 32767, -32768]);
    }

    #[test]
    fn downmixes_by_averaging_and_upmixes_by_copying() {
        let (out, ch) = run_f32_to_i16(r#"{"target_format":"i16","target_channels":1}"#, &[0.5, 0.25, -1.0, 1.0], 2).unwrap();
        assert_eq!((out, ch), (vec![12288, 0], 1));
        let (out, ch) = run_f32_to_i16(r#"{"target_format":"i16","target_channels":3}"#, &[0.5, -0.5], 1).unwrap();
        assert_eq!((out, ch), (vec![16384, 16384, 16384, -16384, -16384, -16384], 3));
    }

    #[test]
    fn rejects_unsupported_channel_maps_and_bad_config() {
        let e = run_f32_to_i16(r#"{"target_format":"i16","target_channels":2}"#, &[0.0; 6], 3).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedFormat);
        let e = FormatConverter::from_config(r#"{"target_format":"u8"}"#).err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        assert!(e.message.contains("target_format"));
        let e = FormatConverter::from_config(r#"{"target_channels":0}"#).err().unwrap();
        assert!(e.message.contains("target_channels"));
    }

    #[test]
    fn reports_buffer_too_small() {
        let mut node = FormatConverter::from_config(r#"{"target_format":"i32"}"#).unwrap();
        let mut bytes = vec![0u8; 8];
        let mut out = AudioOut::new(&mut bytes);
        let e = node.process(&AudioIn::s16(&[1, 2, 3], 1, 16000), &mut out).unwrap_err();
        assert_eq!(e.code, ErrorCode::BufferTooSmall);
        // The node stays usable after an error.
        let mut bytes = vec![0u8; 12];
        let mut out = AudioOut::new(&mut bytes);
        node.process(&AudioIn::s16(&[1, 2, 3], 1, 16000), &mut out).unwrap();
        assert_eq!(out.frames, 3);
    }
}
