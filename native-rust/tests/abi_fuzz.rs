//! Deterministic randomized test of the C ABI: random node kinds, configs and buffer shapes through
//! rm_node_create / rm_node_process / rm_node_flush. Buffers are always as large as the shape claims
//! (the ABI trusts that), but everything else is hostile: zero or huge frame counts, channel counts,
//! unknown formats, absurd rates, NaN/Inf samples, tiny outputs, configs with wrong keys and types.
//! Nothing may panic (status Internal), every error must leave a message, nodes stay usable.

use remotemedia_native::abi::*;
use remotemedia_native::audio::RmAudio;
use remotemedia_native::registry::NODE_KINDS;
use remotemedia_native::ErrorCode;
use std::ffi::{c_char, CStr, CString};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const VALUES: &[&str] = &[
    "0", "1", "-1", "2", "16000", "48000", "1e309", "0.5", "-0.0", "true", "false", "null", "\"\"", "\"f32\"", "\"i16\"",
    "\"high\"", "\"low\"", "\"energy\"", "[]", "{}", "[1,2]", "\"\\u0000\"", "99999999999", "3.7",
];
const KEYS: &[&str] = &[
    "target_format", "target_channels", "target_sample_rate", "quality", "mode", "aggressiveness", "energy_threshold",
    "frame_duration_ms", "gate_audio", "hangover_ms", "buffer_size_samples", "bogus", "",
];

fn random_config(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => String::new(),
        1 => ["{", "[", "{\"a\":", "nul", "{}}", "\"x\"", "{\"a\":1,\"a\":2}"][rng.below(7) as usize].to_string(),
        _ => {
            let members: Vec<String> = (0..rng.below(4))
                .map(|_| format!("\"{}\":{}", rng.pick(KEYS), rng.pick(VALUES)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
    }
}

fn last_error() -> String {
    let mut buf = [0 as c_char; 1024];
    unsafe { rm_last_error(buf.as_mut_ptr(), buf.len()) };
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}

fn check(status: i32, what: &str) {
    assert_ne!(status, ErrorCode::Internal as i32, "{what} panicked: {}", last_error());
    if status != 0 {
        assert!(!last_error().is_empty(), "{what} failed with {status} but left no message");
    }
}

#[test]
fn random_configs_and_buffers_never_panic_or_leak() {
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let baseline = rm_live_node_count();
    let mut created = 0;
    for iteration in 0..3000 {
        let kind = if rng.below(10) == 0 { "NotAKind" } else { NODE_KINDS[rng.below(NODE_KINDS.len() as u64) as usize].0 };
        // Half the time use a valid default config so processing gets exercised.
        let config = if rng.below(2) == 0 { String::new() } else { random_config(&mut rng) };
        let kind_c = CString::new(kind).unwrap();
        let config_c = CString::new(config.replace('\0', "")).unwrap();
        let mut node = std::ptr::null_mut();
        let status = unsafe { rm_node_create(kind_c.as_ptr(), config_c.as_ptr(), &mut node) };
        check(status, &format!("create {kind} {config}"));
        if status != 0 {
            assert!(node.is_null());
            continue;
        }
        created += 1;
        for _ in 0..4 {
            let channels = *rng.pick(&[0u16, 1, 1, 2, 2, 3, 8, 64, 65]);
            let format = *rng.pick(&[0u16, 0, 0, 1, 2, 3]);
            let rate = *rng.pick(&[0u32, 1, 8000, 16000, 22050, 44100, 48000, 96000, 384_000, 400_000]);
            let frames = *rng.pick(&[0u32, 1, 7, 160, 480, 960, 4099]);
            let samples = frames as usize * channels as usize;
            let mut input = vec![0f32; samples.max(1)];
            for s in input.iter_mut() {
                *s = match rng.below(20) {
                    0 => f32::NAN,
                    1 => f32::INFINITY,
                    2 => f32::NEG_INFINITY,
                    3 => f32::MAX,
                    _ => (rng.below(2001) as f32 - 1000.0) / 500.0,
                };
            }
            // s16 data is viewed from the same allocation: reinterpretation is fine for fuzzing.
            let audio = RmAudio { data: input.as_mut_ptr().cast(), frames, channels, format, sample_rate: rate };
            let capacity = *rng.pick(&[0u32, 1, 64, 4096, 20000]);
            let mut out = vec![0f32; capacity as usize * 2 + 1];
            let mut output = RmAudio { data: out.as_mut_ptr().cast(), frames: capacity, channels: 2, format: 0, sample_rate: 0 };
            let status = unsafe { rm_node_process(node, &audio, &mut output) };
            check(status, &format!("process {kind} {config} iteration {iteration}"));
            if status == 0 {
                assert!(output.frames as u64 * output.channels as u64 <= capacity as u64 * 2, "{kind} wrote past capacity");
            }
            let mut shape = RmAudio { data: std::ptr::null_mut(), frames: 0, channels: 0, format: 0, sample_rate: 0 };
            check(unsafe { rm_node_output_shape(node, &audio, &mut shape) }, "output_shape");
            if rng.below(4) == 0 {
                let mut output = RmAudio { data: out.as_mut_ptr().cast(), frames: capacity, channels: 2, format: 0, sample_rate: 0 };
                check(unsafe { rm_node_flush(node, &mut output) }, "flush");
            }
            if rng.below(8) == 0 {
                check(unsafe { rm_node_reset(node) }, "reset");
            }
        }
        let name = CString::new(*rng.pick(&["latency_frames", "speech_frames", "is_speech", "nope", ""])).unwrap();
        let mut value = 0.0;
        check(unsafe { rm_node_get_property(node, name.as_ptr(), 100.0, &mut value) }, "get_property");
        unsafe { rm_node_destroy(node) };
    }
    assert!(created > 500, "too few nodes were created ({created}) for the run to mean much");
    assert_eq!(rm_live_node_count(), baseline);
}
