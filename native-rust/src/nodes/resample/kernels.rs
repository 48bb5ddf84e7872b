//! The inner loop: one output = dot product of a coefficient row with a window of input history.
//!
//! Each kernel (scalar, AVX2+FMA, AVX-512) computes every output with the same sequence of
//! operations whether it is computed alone or in a group of eight, which is what makes the output
//! bit-identical across any chunking of the input. Groups share coefficient loads (one phase, e.g.
//! 48k -> 16k, or phase-major order in big runs) or at least overlap their FMA chains.

use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelKind {
    Scalar,
    Avx2Fma,
    Avx512,
}

impl KernelKind {
    /// The best kernel this CPU runs, detected once per process.
    /// `REMOTEMEDIA_RESAMPLE_KERNEL=scalar|avx2|avx512` overrides it (for tests and benchmarks).
    pub fn detect() -> KernelKind {
        static DETECTED: OnceLock<KernelKind> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            let best = best_supported();
            match std::env::var("REMOTEMEDIA_RESAMPLE_KERNEL").as_deref() {
                Ok("scalar") => KernelKind::Scalar,
                Ok("avx2") if best != KernelKind::Scalar => KernelKind::Avx2Fma,
                _ => best,
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            KernelKind::Scalar => "scalar",
            KernelKind::Avx2Fma => "avx2+fma",
            KernelKind::Avx512 => "avx512f",
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn best_supported() -> KernelKind {
    // AMD cores up to Zen 4 split 512-bit operations into two 256-bit halves; there AVX2 measured
    // a few percent faster (fewer cross-lane reductions, same FMA throughput), so AVX-512 is chosen
    // on other vendors only. REMOTEMEDIA_RESAMPLE_KERNEL=avx512 forces it.
    let avx512 = is_x86_feature_detected!("avx512f");
    if avx512 && (!is_amd() || std::env::var("REMOTEMEDIA_RESAMPLE_KERNEL").as_deref() == Ok("avx512")) {
        KernelKind::Avx512
    } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        KernelKind::Avx2Fma
    } else {
        KernelKind::Scalar
    }
}

#[cfg(target_arch = "x86_64")]
fn is_amd() -> bool {
    // Leaf 0 exists on every x86_64 CPU (the intrinsic is safe since Rust 1.87).
    let id = std::arch::x86_64::__cpuid(0);
    // "AuthenticAMD" is spelled across ebx, edx, ecx.
    id.ebx == u32::from_le_bytes(*b"Auth") && id.edx == u32::from_le_bytes(*b"enti") && id.ecx == u32::from_le_bytes(*b"cAMD")
}

#[cfg(not(target_arch = "x86_64"))]
fn best_supported() -> KernelKind {
    KernelKind::Scalar
}

/// A run of consecutive outputs of one channel.
pub struct Run<'a> {
    /// `phases * taps` coefficients, row-major.
    pub coefficients: &'a [f32],
    pub taps: usize,
    pub phases: usize,
    pub step: usize,
    /// This channel's contiguous input history.
    pub history: &'a [f32],
    /// The same samples again, stored 32 bytes off `history`'s cache-line alignment, or empty.
    /// Lets the AVX2 one-phase kernel read every 8-float block within a single cache line.
    pub shadow: &'a [f32],
    /// Index in `history` of the first output's window, and that output's phase.
    pub window_start: usize,
    pub phase: usize,
    pub count: usize,
}

/// Computes `run.count` outputs into `out[k * stride]`.
pub fn produce(kind: KernelKind, run: &Run, out: &mut [f32], stride: usize) {
    assert!(run.taps % 16 == 0 && run.coefficients.len() == run.taps * run.phases);
    if run.count == 0 {
        return;
    }
    // The last window must lie inside the history: bounds are checked once here, not per tap.
    let last_start = run.window_start + ((run.phase + (run.count - 1) * run.step) / run.phases);
    assert!(last_start + run.taps <= run.history.len(), "window beyond history");
    assert!(run.shadow.is_empty() || run.shadow.len() == run.history.len(), "shadow differs from history");
    assert!((run.count - 1) * stride < out.len(), "output beyond buffer");
    match kind {
        // SAFETY: the kernel was chosen by runtime feature detection; bounds were checked above.
        #[cfg(target_arch = "x86_64")]
        KernelKind::Avx512 => unsafe { x86::produce_avx512(run, out, stride) },
        #[cfg(target_arch = "x86_64")]
        KernelKind::Avx2Fma if run.phases == 1 && !run.shadow.is_empty() => unsafe {
            x86::decimate_avx2(run, out, stride)
        },
        #[cfg(target_arch = "x86_64")]
        KernelKind::Avx2Fma => unsafe { x86::produce_avx2(run, out, stride) },
        _ => produce_scalar(run, out, stride),
    }
}

/// Walks the outputs of a run: (window start, phase) of each in turn, without a division per output
/// (an integer divide costs more than a dozen FMAs here).
#[derive(Clone, Copy)]
struct Cursor {
    window_start: usize,
    phase: usize,
    whole_step: usize,
    phase_step: usize,
    phases: usize,
}

impl Cursor {
    fn new(run: &Run) -> Cursor {
        Cursor {
            window_start: run.window_start,
            phase: run.phase,
            whole_step: run.step / run.phases,
            phase_step: run.step % run.phases,
            phases: run.phases,
        }
    }

    #[inline(always)]
    fn advance(&mut self) {
        self.window_start += self.whole_step;
        self.phase += self.phase_step;
        if self.phase >= self.phases {
            self.phase -= self.phases;
            self.window_start += 1;
        }
    }
}

fn produce_scalar(run: &Run, out: &mut [f32], stride: usize) {
    let mut at = Cursor::new(run);
    for k in 0..run.count {
        let row = &run.coefficients[at.phase * run.taps..][..run.taps];
        let window = &run.history[at.window_start..][..run.taps];
        // Four partial sums break the dependency chain; fixed order keeps results reproducible.
        let mut partial = [0.0f32; 4];
        for (c, x) in row.chunks_exact(4).zip(window.chunks_exact(4)) {
            for lane in 0..4 {
                partial[lane] = c[lane].mul_add(x[lane], partial[lane]);
            }
        }
        out[k * stride] = (partial[0] + partial[1]) + (partial[2] + partial[3]);
        at.advance();
    }
}

#[cfg(target_arch = "x86_64")]
#[path = "kernels_x86.rs"]
mod x86;
