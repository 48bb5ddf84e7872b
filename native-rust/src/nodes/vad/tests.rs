use super::*;
use crate::error::ErrorCode;

/// Runs `samples` through a fresh node in chunks of `chunk` frames; returns the output and events.
fn run(config: &str, samples: &[f32], channels: usize, rate: u32, chunk: usize) -> (VadNode, Vec<f32>, Vec<RmEvent>) {
    let mut node = VadNode::from_config(config).unwrap();
    let mut output = Vec::new();
    let mut events = Vec::new();
    let mut buffer = vec![0u8; (chunk + 2000) * channels * 4];
    for block in samples.chunks(chunk * channels) {
        let mut out = AudioOut::new(&mut buffer);
        node.process(&AudioIn::f32(block, channels, rate), &mut out).unwrap();
        let n = out.frames * channels;
        output.extend(buffer[..n * 4].chunks_exact(4).map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]])));
        drain(&mut node, &mut events);
    }
    let mut out = AudioOut::new(&mut buffer);
    node.flush(&mut out).unwrap();
    let n = out.frames * channels;
    output.extend(buffer[..n * 4].chunks_exact(4).map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]])));
    drain(&mut node, &mut events);
    (node, output, events)
}

fn drain(node: &mut VadNode, events: &mut Vec<RmEvent>) {
    let mut slots = [RmEvent { kind: 0, reserved: 0, frame: 0, value: 0.0 }; 7];
    loop {
        let n = node.read_events(&mut slots);
        events.extend_from_slice(&slots[..n]);
        if n < slots.len() {
            break;
        }
    }
}

fn decisions(events: &[RmEvent]) -> Vec<bool> {
    events.iter().filter(|e| e.kind == EventKind::VoiceActivity as u32).map(|e| e.value == 1.0).collect()
}

/// Deterministic white noise in [-amplitude, amplitude].
fn noise(len: usize, amplitude: f32, seed: u64) -> Vec<f32> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * amplitude
        })
        .collect()
}

/// A crude voiced sound: harmonics of a gliding 120-180 Hz pitch with a syllable-rate envelope.
fn vowels(len: usize, rate: u32, amplitude: f32) -> Vec<f32> {
    let mut phase = 0.0f64;
    (0..len)
        .map(|i| {
            let t = i as f64 / rate as f64;
            let f0 = 150.0 + 30.0 * (2.0 * std::f64::consts::PI * 0.7 * t).sin();
            phase += 2.0 * std::f64::consts::PI * f0 / rate as f64;
            let envelope = 0.6 + 0.4 * (2.0 * std::f64::consts::PI * 4.0 * t).sin();
            let mut s = 0.0;
            for h in 1..=20 {
                s += (h as f64 * phase).sin() / h as f64;
            }
            (s * envelope * 0.4) as f32 * amplitude
        })
        .collect()
}

#[test]
fn energy_mode_matches_the_original_on_hand_computed_frames() {
    // 16 kHz, 30 ms -> 480-sample frames. Frame RMS: 0.0, 0.03 (> 0.02), 0.02 (not >), 0.5; then a
    // 100-sample remainder that the original drops.
    let mut samples = vec![0.0f32; 480];
    samples.extend((0..480).map(|i| if i % 2 == 0 { 0.03 } else { -0.03 }));
    samples.extend(std::iter::repeat(0.02f32).take(480));
    samples.extend(std::iter::repeat(-0.5f32).take(480));
    samples.extend(std::iter::repeat(0.9f32).take(100));
    let (node, output, events) = run(r#"{"mode":"energy"}"#, &samples, 1, 16000, samples.len());
    assert_eq!(decisions(&events), vec![false, true, false, true]);
    assert_eq!(node.property("speech_frames", 0.0), Some(2.0));
    assert_eq!(node.property("total_frames", 0.0), Some(4.0));
    assert_eq!(node.property("is_speech", 0.0), Some(1.0));
    assert_eq!(output, samples, "pass-through keeps the audio, remainder included");
}

#[test]
fn energy_mode_averages_channels_and_honours_the_threshold() {
    // Stereo: channels cancel in frame 0 (mono 0) and agree in frame 1 (mono 0.25). 8 kHz, 10 ms -> 80.
    let mut samples = Vec::new();
    for _ in 0..80 {
        samples.extend([0.4f32, -0.4]);
    }
    for _ in 0..80 {
        samples.extend([0.25f32, 0.25]);
    }
    let (node, _, events) = run(r#"{"mode":"energy","frame_duration_ms":10,"energy_threshold":0.05}"#, &samples, 2, 8000, 37);
    assert_eq!(decisions(&events), vec![false, true]);
    assert_eq!(node.property("is_speech", 0.0), Some(1.0));
    let (node, _, _) = run(r#"{"mode":"energy","frame_duration_ms":10,"energy_threshold":0.25}"#, &samples, 2, 8000, 160);
    assert_eq!(node.property("is_speech", 0.0), Some(0.0), "0.25 is not > 0.25");
}

#[test]
fn robust_mode_detects_voiced_sound_in_noise_and_rejects_noise_alone() {
    let rate = 16000;
    let mut samples = noise(rate as usize, 0.02, 1);
    let speech = vowels(rate as usize, rate, 0.3);
    let tail = noise(rate as usize, 0.02, 2);
    let background = noise(speech.len(), 0.02, 3);
    samples.extend(speech.iter().zip(&background).map(|(s, n)| s + n));
    samples.extend(tail);
    let (_, _, events) = run(r#"{"frame_duration_ms":10}"#, &samples, 1, rate, 480);
    let d = decisions(&events);
    assert_eq!(d.len(), 300);
    let lead = d[20..100].iter().filter(|&&s| s).count();
    let voiced = d[100..200].iter().filter(|&&s| s).count();
    let after = d[230..300].iter().filter(|&&s| s).count();
    assert!(lead <= 2, "noise before speech: {lead} speech frames");
    assert!(voiced >= 95, "voiced second: {voiced} of 100 frames");
    assert!(after <= 2, "noise after speech: {after}");

    let (node, _, _) = run(r#"{"frame_duration_ms":20}"#, &noise(rate as usize * 3, 0.2, 9), 1, rate, 1000);
    let speech_frames = node.property("speech_frames", 0.0).unwrap();
    assert!(speech_frames <= 3.0, "loud white noise alone: {speech_frames} speech frames");
}

#[test]
fn decisions_do_not_depend_on_chunking() {
    let rate = 48000;
    let mut samples = noise(rate as usize / 2, 0.01, 4);
    samples.extend(vowels(rate as usize / 2, rate, 0.2));
    samples.extend(noise(rate as usize / 2, 0.01, 5));
    for mode in [r#"{"frame_duration_ms":20}"#, r#"{"mode":"energy","frame_duration_ms":10}"#] {
        let (_, _, reference) = run(mode, &samples, 1, rate, samples.len());
        for chunk in [1, 7, 480, 1001] {
            let (_, _, events) = run(mode, &samples, 1, rate, chunk);
            assert_eq!(events, reference, "{mode} chunk {chunk}");
        }
    }
}

#[test]
fn events_bracket_utterances_and_gating_outputs_only_speech() {
    let rate = 8000;
    let mut samples = vec![0.0f32; 800];
    samples.extend(std::iter::repeat(0.5f32).take(400));
    samples.extend(vec![0.0f32; 400]);
    samples.extend(std::iter::repeat(0.5f32).take(250)); // 1600..1850: frame 6 speech, 170-sample tail
    let config = r#"{"mode":"energy","frame_duration_ms":30,"gate_audio":true}"#;
    let (_, output, events) = run(config, &samples, 1, rate, 333);
    let boundaries: Vec<(u32, u64)> =
        events.iter().filter(|e| e.kind != EventKind::VoiceActivity as u32).map(|e| (e.kind, e.frame)).collect();
    // 240-sample frames: frames 3,4 (720..1200) speech -> start 720, end 1200; frame 6 (1440..1680) speech.
    assert_eq!(boundaries, vec![(2, 720), (3, 1200), (2, 1440), (3, 1680)]);
    let end = events.iter().find(|e| e.kind == EventKind::SpeechEnd as u32).unwrap();
    assert_eq!(end.value, 480.0 / 8000.0);
    // Gated output: frames 3, 4, 6 and the 170-sample tail (1680..1850) inside the open utterance.
    assert_eq!(output.len(), 240 * 3 + 170);
}

#[test]
fn bad_input_and_config_give_clear_errors_and_leave_the_node_usable() {
    let mut node = VadNode::from_config(r#"{"frame_duration_ms":10}"#).unwrap();
    let mut bytes = vec![0u8; 4096];
    let mut out = AudioOut::new(&mut bytes);
    let e = node.process(&AudioIn::f32(&[0.0; 100], 1, 44100), &mut out).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedFormat);
    assert!(e.message.contains("44100"), "{}", e.message);
    let e = node.process(&AudioIn::s16(&[0; 100], 1, 16000), &mut out).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedFormat);
    let mut block = vec![0.0f32; 100];
    block[42] = f32::NAN;
    let e = node.process(&AudioIn::f32(&block, 1, 16000), &mut out).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert!(e.message.contains("sample 42"), "{}", e.message);
    node.process(&AudioIn::f32(&[0.0; 160], 1, 16000), &mut out).unwrap();
    assert_eq!(node.property("total_frames", 0.0), Some(1.0), "the NaN block was not consumed");
    let e = node.process(&AudioIn::f32(&[0.0; 160], 2, 16000), &mut out).unwrap_err();
    assert_eq!(e.code, ErrorCode::StreamMismatch);
    let mut small = vec![0u8; 16];
    let mut out = AudioOut::new(&mut small);
    assert_eq!(node.process(&AudioIn::f32(&[0.0; 160], 1, 16000), &mut out).unwrap_err().code, ErrorCode::BufferTooSmall);

    for (config, key) in [
        (r#"{"mode":"loud"}"#, "mode"),
        (r#"{"frame_duration_ms":15}"#, "frame_duration_ms"),
        (r#"{"aggressiveness":4}"#, "aggressiveness"),
        (r#"{"energy_threshold":"high"}"#, "energy_threshold"),
        (r#"{"hangover_ms":-1}"#, "hangover_ms"),
        (r#"{"gate_audio":1}"#, "gate_audio"),
        (r#"{"threshold":0.1}"#, "threshold"),
    ] {
        let e = VadNode::from_config(config).err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        assert!(e.message.contains(key), "{config}: {}", e.message);
    }
}

#[test]
fn reset_forgets_the_stream() {
    let samples = vowels(16000, 16000, 0.3);
    let (mut node, _, first) = run("", &samples, 1, 16000, 160);
    node.reset();
    assert_eq!(node.property("total_frames", 0.0), Some(0.0));
    let mut bytes = vec![0u8; samples.len() * 4];
    let mut out = AudioOut::new(&mut bytes);
    node.process(&AudioIn::f32(&samples, 1, 16000), &mut out).unwrap();
    let mut again = Vec::new();
    drain(&mut node, &mut again);
    assert_eq!(decisions(&again), decisions(&first));
}

/// Per-frame cost of the robust detector, best of many short rounds (the machine is shared).
/// Run with `cargo test --release -- --ignored --nocapture`.
#[test]
#[ignore]
fn robust_detector_speed() {
    let rate = 16000;
    let mut samples = noise(rate as usize * 2, 0.01, 7);
    for (s, v) in samples.iter_mut().zip(vowels(rate as usize * 2, rate, 0.2)) {
        *s += v;
    }
    let mut detector = spectral::SpectralDetector::new(rate, 10, 2, 150);
    let mut best = f64::MAX;
    let mut speech = 0;
    for _ in 0..200 {
        let start = thread_cpu_ns();
        for frame in samples.chunks_exact(160) {
            speech += detector.decide(frame) as usize;
        }
        best = best.min((thread_cpu_ns() - start) as f64 / (samples.len() / 160) as f64);
    }
    println!("robust detector per 10 ms frame at 16 kHz (thread CPU, best round): {best:.0} ns ({speech} speech decisions)");
}

/// This thread's CPU time: the machine is shared, so wall time overstates the cost.
fn thread_cpu_ns() -> u64 {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec { seconds: 0, nanoseconds: 0 };
    // SAFETY: clock_gettime writes one Timespec.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    time.seconds as u64 * 1_000_000_000 + time.nanoseconds as u64
}
