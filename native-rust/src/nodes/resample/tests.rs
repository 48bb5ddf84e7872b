//! Unit tests of the native resampler: quality figures of issue 4, chunking invariance, lengths,
//! reset, latency, every rate pair and bad input.

use super::design::{FilterBank, Quality};
use super::*;
use crate::error::ErrorCode;

fn node(target: u32, quality: &str) -> AudioResample {
    AudioResample::from_config(&format!(r#"{{"target_sample_rate":{target},"quality":"{quality}"}}"#)).unwrap()
}

/// Feeds `input` in blocks of `chunk(i)` frames, then flushes; returns all output samples.
fn run_chunked(node: &mut AudioResample, input: &[f32], channels: usize, rate: u32, mut chunk: impl FnMut(usize) -> usize) -> Vec<f32> {
    let frames = input.len() / channels;
    let mut result = Vec::new();
    let mut at = 0;
    let mut call = 0;
    while at < frames {
        let n = chunk(call).clamp(1, frames - at);
        call += 1;
        let block = AudioIn::f32(&input[at * channels..(at + n) * channels], channels, rate);
        let max = node.output_shape(&block.shape()).unwrap().frames;
        let mut bytes = vec![0u8; max * channels * 4];
        let mut out = AudioOut::new(&mut bytes);
        node.process(&block, &mut out).unwrap();
        let written = out.frames;
        assert!(written <= max);
        result.extend(bytes[..written * channels * 4].chunks_exact(4).map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]])));
        at += n;
    }
    let mut bytes = vec![0u8; node.max_output_frames(rate, 0) * channels * 4];
    let mut out = AudioOut::new(&mut bytes);
    node.flush(&mut out).unwrap();
    let written = out.frames;
    result.extend(bytes[..written * channels * 4].chunks_exact(4).map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]])));
    result
}

fn resample_whole(input: &[f32], channels: usize, rate: u32, target: u32, quality: &str) -> Vec<f32> {
    run_chunked(&mut node(target, quality), input, channels, rate, |_| usize::MAX)
}

fn sine(rate: u32, frequency: f64, seconds: f64) -> Vec<f32> {
    let n = (rate as f64 * seconds) as usize;
    (0..n).map(|i| (2.0 * std::f64::consts::PI * frequency * i as f64 / rate as f64).sin() as f32).collect()
}

/// Level of `signal` (edges skipped) in dBFS, a full-scale sine being 0 dBFS.
fn level_dbfs(signal: &[f32]) -> f64 {
    let power: f64 = signal.iter().map(|&s| (s as f64) * (s as f64)).sum::<f64>() / signal.len() as f64;
    10.0 * (2.0 * power).max(1e-300).log10()
}

/// (THD+N in dB, gain in dB): least-squares fit of a*cos + b*sin + dc at `frequency`; the residual
/// relative to the fitted sine.
fn sine_fit(signal: &[f32], rate: u32, frequency: f64) -> (f64, f64) {
    let w = 2.0 * std::f64::consts::PI * frequency / rate as f64;
    let mut m = [[0.0f64; 3]; 3];
    let mut v = [0.0f64; 3];
    for (i, &s) in signal.iter().enumerate() {
        let basis = [(w * i as f64).cos(), (w * i as f64).sin(), 1.0];
        for r in 0..3 {
            for c in 0..3 {
                m[r][c] += basis[r] * basis[c];
            }
            v[r] += basis[r] * s as f64;
        }
    }
    let x = solve3(m, v);
    let mut residual = 0.0;
    for (i, &s) in signal.iter().enumerate() {
        let fit = x[0] * (w * i as f64).cos() + x[1] * (w * i as f64).sin() + x[2];
        residual += (s as f64 - fit).powi(2);
    }
    let amplitude2 = x[0] * x[0] + x[1] * x[1];
    let thdn = 10.0 * (residual / signal.len() as f64 / (amplitude2 / 2.0)).max(1e-300).log10();
    (thdn, 10.0 * amplitude2.log10())
}

fn solve3(mut m: [[f64; 3]; 3], mut v: [f64; 3]) -> [f64; 3] {
    for col in 0..3 {
        let pivot = (col..3).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs())).unwrap();
        m.swap(col, pivot);
        v.swap(col, pivot);
        for row in col + 1..3 {
            let f = m[row][col] / m[col][col];
            for k in col..3 {
                m[row][k] -= f * m[col][k];
            }
            v[row] -= f * v[col];
        }
    }
    let mut x = [0.0; 3];
    for row in (0..3).rev() {
        let mut s = v[row];
        for k in row + 1..3 {
            s -= m[row][k] * x[k];
        }
        x[row] = s / m[row][row];
    }
    x
}

fn middle(signal: &[f32], rate: u32) -> &[f32] {
    let skip = rate as usize / 2;
    &signal[skip..signal.len() - skip]
}

fn check_quality(rate: u32, quality: &str, max_alias: f64, max_thdn: f64, max_edge: f64) {
    for tone in [9001.0, 12007.0, 19997.0] {
        let out = resample_whole(&sine(rate, tone, 3.01), 1, rate, 16000, quality);
        let alias = level_dbfs(middle(&out, 16000));
        eprintln!("{rate} {quality}: alias {tone} Hz {alias:.1} dBFS");
        assert!(alias <= max_alias, "{rate} {quality}: alias of {tone} Hz is {alias:.1} dBFS");
    }
    let mut gains = Vec::new();
    for tone in [997.0, 3397.0, 6997.0] {
        let out = resample_whole(&sine(rate, tone, 3.01), 1, rate, 16000, quality);
        let (thdn, gain) = sine_fit(middle(&out, 16000), 16000, tone);
        eprintln!("{rate} {quality}: THD+N {tone} Hz {thdn:.1} dB");
        assert!(thdn <= max_thdn, "{rate} {quality}: THD+N at {tone} Hz is {thdn:.1} dB");
        gains.push(gain);
    }
    let edge = gains[2] - gains[0];
    eprintln!("{rate} {quality}: edge {edge:.5} dB");
    assert!(edge.abs() <= max_edge, "{rate} {quality}: 7 kHz edge {edge:.3} dB");
}

#[test]
fn high_quality_meets_issue_figures() {
    check_quality(48000, "high", -140.0, -130.0, 0.05);
    check_quality(44100, "high", -140.0, -130.0, 0.05);
}

#[test]
fn medium_quality_meets_issue_figures() {
    check_quality(48000, "medium", -120.0, -120.0, 0.1);
    check_quality(44100, "medium", -120.0, -120.0, 0.1);
}

#[test]
fn low_quality_meets_issue_figures() {
    check_quality(48000, "low", -100.0, -100.0, 0.5);
    check_quality(44100, "low", -100.0, -100.0, 0.5);
}

fn noise(frames: usize, channels: usize, seed: u64) -> Vec<f32> {
    let mut state = seed;
    (0..frames * channels)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

#[test]
fn any_chunking_gives_bit_identical_output() {
    for (rate, channels) in [(48000u32, 2usize), (44100, 1), (8000, 3)] {
        let input = noise(rate as usize / 2, channels, 7);
        let whole = resample_whole(&input, channels, rate, 16000, "high");
        let mut seed = 12345u64;
        let sizes: Vec<Box<dyn FnMut(usize) -> usize>> = vec![
            Box::new(|_| 1),
            Box::new(|_| 7),
            Box::new(move |_| rate as usize / 50),
            Box::new(move |_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                (seed >> 33) as usize % 3000
            }),
        ];
        for size in sizes {
            let chunked = run_chunked(&mut node(16000, "high"), &input, channels, rate, size);
            assert_eq!(chunked.len(), whole.len());
            assert!(chunked.iter().zip(&whole).all(|(a, b)| a.to_bits() == b.to_bits()), "{rate} Hz x{channels}: chunked output differs");
        }
    }
}

#[test]
fn output_length_is_rounded_ratio_for_every_rate_pair() {
    let rates = [8000u32, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
    for &from in &rates {
        for &to in &rates {
            for frames in [1usize, 999] {
                let input = noise(frames, 1, 3);
                let out = resample_whole(&input, 1, from, to, "low");
                let expected = ((frames as u64 * to as u64 * 2 + from as u64) / (2 * from as u64)) as usize;
                assert_eq!(out.len(), expected, "{from} -> {to}, {frames} frames");
                if from == to {
                    assert_eq!(out, input, "equal rates pass through untouched");
                }
                assert!(out.iter().all(|s| s.is_finite()));
            }
        }
    }
}

#[test]
fn every_rate_pair_passes_a_low_tone_at_unity_gain() {
    let rates = [8000u32, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
    for &from in &rates {
        for &to in &rates {
            let out = resample_whole(&sine(from, 440.0, 1.2), 1, from, to, "medium");
            let (thdn, gain) = sine_fit(&out[to as usize / 10..out.len() - to as usize / 10], to, 440.0);
            assert!(gain.abs() < 0.01 && thdn < -100.0, "{from} -> {to}: gain {gain:.4} dB, THD+N {thdn:.1} dB");
        }
    }
}

#[test]
fn reset_starts_a_new_stream() {
    let input = noise(4800, 2, 9);
    let mut n = node(16000, "high");
    let first = run_chunked(&mut n, &input, 2, 48000, |_| 960);
    // Half a stream, then reset: the next stream must not remember it.
    let block = AudioIn::f32(&input[..2000], 2, 48000);
    let mut bytes = vec![0u8; 1 << 16];
    n.process(&block, &mut AudioOut::new(&mut bytes)).unwrap();
    n.reset();
    let second = run_chunked(&mut n, &input, 2, 48000, |_| 333);
    assert_eq!(first, second);
    // After a reset another rate is a new stream, not a mismatch.
    let other = run_chunked(&mut n, &noise(441, 2, 1), 2, 44100, |_| 441);
    assert_eq!(other.len(), 160 * 2);
}

#[test]
fn latency_is_reported_and_matches_held_back_output() {
    let mut n = node(16000, "high");
    assert_eq!(n.property("latency_frames", 48000.0), Some(40.0));
    let input = noise(4800, 1, 2);
    let block = AudioIn::f32(&input, 1, 48000);
    let mut bytes = vec![0u8; 1 << 16];
    let mut out = AudioOut::new(&mut bytes);
    n.process(&block, &mut out).unwrap();
    let latency = n.property("latency_frames", 0.0).unwrap();
    assert_eq!(latency, 40.0);
    assert!((out.frames as f64 + latency - 1600.0).abs() <= 1.0, "{} frames out", out.frames);
    // A delayed impulse comes out at the same time position (time-aligned output).
    let mut impulse = vec![0.0f32; 4800];
    impulse[3000] = 1.0;
    let out = resample_whole(&impulse, 1, 48000, 16000, "high");
    let peak = out.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    assert_eq!(peak, 1000);
}

#[test]
fn rate_change_mid_stream_is_a_clear_error() {
    let mut n = node(16000, "high");
    let mut bytes = vec![0u8; 1 << 16];
    n.process(&AudioIn::f32(&[0.0; 480], 1, 48000), &mut AudioOut::new(&mut bytes)).unwrap();
    let e = n.process(&AudioIn::f32(&[0.0; 441], 1, 44100), &mut AudioOut::new(&mut bytes)).unwrap_err();
    assert_eq!(e.code, ErrorCode::StreamMismatch);
    assert!(e.message.contains("48000") && e.message.contains("44100") && e.message.contains("reset"), "{}", e.message);
    let e = n.process(&AudioIn::f32(&[0.0; 480], 2, 48000), &mut AudioOut::new(&mut bytes)).unwrap_err();
    assert_eq!(e.code, ErrorCode::StreamMismatch);
    // Still usable at the original shape.
    n.process(&AudioIn::f32(&[0.0; 480], 1, 48000), &mut AudioOut::new(&mut bytes)).unwrap();
}

#[test]
fn bad_input_gets_the_right_error_and_the_node_stays_usable() {
    let mut n = node(16000, "high");
    let mut bytes = vec![0u8; 1 << 16];
    let e = n.process(&AudioIn::s16(&[0; 480], 1, 48000), &mut AudioOut::new(&mut bytes)).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedFormat);
    assert!(e.message.contains("FormatConverterNode"));
    for rate in [0u32, 384_001] {
        let e = n.process(&AudioIn::f32(&[0.0; 480], 1, rate), &mut AudioOut::new(&mut bytes)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "rate {rate}");
    }
    let e = n.process(&AudioIn::f32(&[0.0; 65 * 10], 65, 48000), &mut AudioOut::new(&mut bytes)).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    // Output too small: error, and the stream did not advance.
    let input = noise(960, 1, 5);
    let mut small = vec![0u8; 8];
    let e = n.process(&AudioIn::f32(&input, 1, 48000), &mut AudioOut::new(&mut small)).unwrap_err();
    assert_eq!(e.code, ErrorCode::BufferTooSmall);
    // Zero-length and one-sample input are fine.
    n.process(&AudioIn::f32(&[], 1, 48000), &mut AudioOut::new(&mut bytes)).unwrap();
    let retry = run_chunked(&mut n, &input, 1, 48000, |_| 960);
    assert_eq!(retry, resample_whole(&input, 1, 48000, 16000, "high"));
    assert_eq!(resample_whole(&[0.5], 1, 48000, 16000, "high").len(), 0);
    assert_eq!(resample_whole(&[0.5, 0.5], 1, 48000, 16000, "high").len(), 1);
    // Config errors name the key.
    let e = AudioResample::from_config(r#"{"quality":"best"}"#).err().unwrap();
    assert!(e.message.contains("quality"));
    let e = AudioResample::from_config(r#"{"target_sample_rate":0}"#).err().unwrap();
    assert!(e.message.contains("target_sample_rate"));
}

#[test]
fn nan_only_spoils_the_outputs_whose_window_covers_it() {
    let mut input = vec![0.25f32; 48000];
    input[24000] = f32::NAN;
    input[30000] = f32::INFINITY;
    let out = resample_whole(&input, 1, 48000, 16000, "high");
    let bad: Vec<usize> = out.iter().enumerate().filter(|(_, s)| !s.is_finite()).map(|(i, _)| i).collect();
    assert!(!bad.is_empty() && bad.len() <= 2 * 81, "{} non-finite outputs", bad.len());
    assert!(bad.iter().all(|&i| (7900..8100).contains(&i) || (9900..10100).contains(&i)));
    assert!(out[..7900].iter().chain(&out[10100..]).all(|s| s.is_finite()));
}

#[test]
fn every_kernel_agrees_with_scalar_within_float_rounding() {
    use super::kernels::{produce, Run};
    let bank = FilterBank::design(44100, 16000, Quality::High);
    let history = noise(8192, 1, 11);
    let run = Run {
        coefficients: &bank.coefficients,
        taps: bank.taps,
        phases: bank.phases,
        step: bank.step,
        history: &history,
        shadow: &[],
        window_start: 3,
        phase: 5,
        count: 2000,
    };
    let mut reference = vec![0.0f32; 2000];
    produce(KernelKind::Scalar, &run, &mut reference, 1);
    for kind in [KernelKind::Avx2Fma, KernelKind::Avx512] {
        let supported = match kind {
            KernelKind::Avx512 => cfg!(target_arch = "x86_64") && std::arch::is_x86_feature_detected!("avx512f"),
            _ => KernelKind::detect() != KernelKind::Scalar,
        };
        if !supported {
            continue;
        }
        let mut out = vec![0.0f32; 2000];
        produce(kind, &run, &mut out, 1);
        let worst = out.iter().zip(&reference).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(worst < 1e-5, "{kind:?}: {worst}");
    }
}

/// Counts allocations made by the current thread, so a test can prove the streaming path makes none.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counter is a const-initialized thread-local Cell,
// which never allocates.
unsafe impl std::alloc::GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        std::alloc::System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        std::alloc::System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        std::alloc::System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static COUNTING_ALLOCATOR: CountingAllocator = CountingAllocator;

#[test]
fn streaming_does_not_allocate_after_the_first_block() {
    for (rate, channels) in [(48000u32, 2usize), (44100, 1)] {
        let mut n = node(16000, "high");
        let input = noise(rate as usize, channels, 4);
        let frame = rate as usize / 50;
        let mut bytes = vec![0u8; 1 << 16];
        n.process(&AudioIn::f32(&input[..frame * channels], channels, rate), &mut AudioOut::new(&mut bytes)).unwrap();
        let before = ALLOCATIONS.with(|a| a.get());
        for f in 1..50 {
            let block = AudioIn::f32(&input[f * frame * channels..(f + 1) * frame * channels], channels, rate);
            n.process(&block, &mut AudioOut::new(&mut bytes)).unwrap();
        }
        n.flush(&mut AudioOut::new(&mut bytes)).unwrap();
        n.process(&AudioIn::f32(&input[..frame * channels], channels, rate), &mut AudioOut::new(&mut bytes)).unwrap();
        assert_eq!(ALLOCATIONS.with(|a| a.get()), before, "{rate} Hz: the streaming path allocated");
    }
}

#[test]
fn aligned_decimation_path_matches_the_plain_kernel_bit_for_bit() {
    use super::kernels::{produce, Run};
    if KernelKind::detect() == KernelKind::Scalar {
        return;
    }
    let bank = FilterBank::design(48000, 16000, Quality::High);
    let history = noise(20000, 1, 13);
    for (window_start, count) in [(0usize, 5000usize), (5, 333), (11, 7)] {
        let plain = Run {
            coefficients: &bank.coefficients,
            taps: bank.taps,
            phases: 1,
            step: 3,
            history: &history,
            shadow: &[],
            window_start,
            phase: 0,
            count,
        };
        let shadowed = Run { shadow: &history, ..plain };
        let (mut a, mut b) = (vec![0.0f32; count], vec![0.0f32; count]);
        produce(KernelKind::Avx2Fma, &plain, &mut a, 1);
        produce(KernelKind::Avx2Fma, &shadowed, &mut b, 1);
        assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()), "start {window_start}, {count} outputs");
    }
}
