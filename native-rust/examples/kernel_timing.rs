//! Times node kernels called directly in Rust (no ABI, no C#), so the cost of the boundary can be
//! read off against the BenchmarkDotNet numbers: `cargo run --release --example kernel_timing`.

use remotemedia_native::audio::{AudioIn, AudioOut};
use remotemedia_native::nodes::format_converter::FormatConverter;
use remotemedia_native::NodeExecutor;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    time_frames(960);
    time_frames(1);
}

fn time_frames(frames: usize) {
    let mut seed = 42u32;
    let input: Vec<f32> = (0..frames * 2)
        .map(|_| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 8) as f32 / (1u32 << 23) as f32 - 1.0
        })
        .collect();
    let mut node = FormatConverter::from_config(r#"{"target_format":"i16","target_channels":1}"#).unwrap();
    let mut bytes = vec![0u32; frames / 2 + 1];
    let iterations = if frames > 1 { 20_000 } else { 2_000_000 };
    let mut run = || {
        // SAFETY: a u32 buffer viewed as bytes; alignment 4 as the ABI requires.
        let out_bytes = unsafe { std::slice::from_raw_parts_mut(bytes.as_mut_ptr() as *mut u8, frames * 2) };
        let mut out = AudioOut::new(out_bytes);
        node.process(&AudioIn::f32(black_box(&input), 2, 48000), &mut out).unwrap();
        black_box(out.frames);
    };
    for _ in 0..iterations {
        run();
    }
    let mut rounds = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        for _ in 0..iterations {
            run();
        }
        rounds.push(start.elapsed().as_nanos() as f64 / iterations as f64);
    }
    rounds.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("FormatConverterNode f32 stereo -> i16 mono, {frames} frames, direct Rust call: median {:.1} ns (min {:.1})", rounds[7], rounds[0]);
}
