//! The x86_64 kernels of kernels.rs: AVX2+FMA and AVX-512F dot products, the output loops around
//! them, and the cache-line-aligned one-phase path. Chosen at run time by `KernelKind::detect`.

use super::{Cursor, Run};
use std::arch::x86_64::*;

/// Outputs computed together: eight independent FMA chains cover the FMA latency, and with a
/// shared row one coefficient load feeds eight FMAs (the loop is load-bound, not FMA-bound).
const GROUP: usize = 8;

/// The output loop around one ISA's dot products. When a run holds at least a group of outputs
/// per phase it goes phase by phase (outputs `r, r + phases, ...` share a row and their windows
/// are `step` apart), so a row is loaded once per group and stays in L1; otherwise it goes in
/// output order with a row per output. Every output gets the same operation sequence either way.
macro_rules! produce_with {
    ($name:ident, $features:literal, $dot1:ident, $dot_shared:ident, $dot_rows:ident) => {
        #[target_feature(enable = $features)]
        pub unsafe fn $name(run: &Run, out: &mut [f32], stride: usize) {
            let (taps, c, h, o) = (run.taps, run.coefficients.as_ptr(), run.history.as_ptr(), out.as_mut_ptr());
            let mut at = Cursor::new(run);
            if run.count >= GROUP * run.phases {
                // Leftovers of each phase (fewer than a group) are pooled into groups of
                // rows, so they too run eight FMA chains instead of one.
                let mut pending = 0;
                let mut pending_rows = [c; GROUP];
                let mut pending_windows = [h; GROUP];
                let mut pending_outputs = [0usize; GROUP];
                for first in 0..run.phases {
                    let row = c.add(at.phase * taps);
                    let mut window = at.window_start;
                    let mut k = first;
                    while k + (GROUP - 1) * run.phases < run.count {
                        let x: [*const f32; GROUP] = std::array::from_fn(|g| h.add(window + g * run.step));
                        for (g, value) in $dot_shared(row, x, taps).into_iter().enumerate() {
                            *o.add((k + g * run.phases) * stride) = value;
                        }
                        window += GROUP * run.step;
                        k += GROUP * run.phases;
                    }
                    while k < run.count {
                        pending_rows[pending] = row;
                        pending_windows[pending] = h.add(window);
                        pending_outputs[pending] = k;
                        pending += 1;
                        if pending == GROUP {
                            for (g, value) in $dot_rows(pending_rows, pending_windows, taps).into_iter().enumerate() {
                                *o.add(pending_outputs[g] * stride) = value;
                            }
                            pending = 0;
                        }
                        window += run.step;
                        k += run.phases;
                    }
                    at.advance();
                }
                for g in 0..pending {
                    *o.add(pending_outputs[g] * stride) = $dot1(pending_rows[g], pending_windows[g], taps);
                }
                return;
            }
            let mut k = 0;
            while k + GROUP <= run.count {
                let group: [Cursor; GROUP] = std::array::from_fn(|_| {
                    let this = at;
                    at.advance();
                    this
                });
                let y = $dot_rows(group.map(|g| c.add(g.phase * taps)), group.map(|g| h.add(g.window_start)), taps);
                for (g, value) in y.into_iter().enumerate() {
                    *o.add((k + g) * stride) = value;
                }
                k += GROUP;
            }
            while k < run.count {
                *o.add(k * stride) = $dot1(c.add(at.phase * taps), h.add(at.window_start), taps);
                at.advance();
                k += 1;
            }
        }
    };
}

/// Dot products of one ISA: `$lanes`-wide blocks accumulated in order into one register per
/// output, then reduced by `$sum`. dot1 / shared-row / row-per-output variants.
macro_rules! dots {
    ($features:literal, $lanes:expr, $vec:ty, $zero:ident, $load:ident, $fma:ident, $sum:ident,
     $dot1:ident, $dot_shared:ident, $dot_rows:ident) => {
        #[inline]
        #[target_feature(enable = $features)]
        unsafe fn $dot1(c: *const f32, x: *const f32, taps: usize) -> f32 {
            let mut acc: $vec = $zero();
            let mut i = 0;
            while i < taps {
                acc = $fma($load(c.add(i)), $load(x.add(i)), acc);
                i += $lanes;
            }
            $sum(acc)
        }

        #[inline]
        #[target_feature(enable = $features)]
        unsafe fn $dot_shared(c: *const f32, x: [*const f32; GROUP], taps: usize) -> [f32; GROUP] {
            let mut acc: [$vec; GROUP] = [$zero(); GROUP];
            let mut i = 0;
            while i < taps {
                let coefficients = $load(c.add(i));
                for g in 0..GROUP {
                    acc[g] = $fma(coefficients, $load(x[g].add(i)), acc[g]);
                }
                i += $lanes;
            }
            acc.map(|a| $sum(a))
        }

        #[inline]
        #[target_feature(enable = $features)]
        unsafe fn $dot_rows(c: [*const f32; GROUP], x: [*const f32; GROUP], taps: usize) -> [f32; GROUP] {
            let mut acc: [$vec; GROUP] = [$zero(); GROUP];
            let mut i = 0;
            while i < taps {
                for g in 0..GROUP {
                    acc[g] = $fma($load(c[g].add(i)), $load(x[g].add(i)), acc[g]);
                }
                i += $lanes;
            }
            acc.map(|a| $sum(a))
        }
    };
}

#[inline]
#[target_feature(enable = "avx2,fma")]
unsafe fn sum256(v: __m256) -> f32 {
    let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    _mm_cvtss_f32(s)
}

#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn sum512(v: __m512) -> f32 {
    let lo = _mm512_castps512_ps256(v);
    let hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    let s = _mm256_add_ps(lo, hi);
    let s = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    _mm_cvtss_f32(s)
}

#[inline]
#[target_feature(enable = "avx2,fma")]
unsafe fn load256(p: *const f32) -> __m256 {
    _mm256_loadu_ps(p)
}

#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn load512(p: *const f32) -> __m512 {
    _mm512_loadu_ps(p)
}

dots!("avx2,fma", 8, __m256, _mm256_setzero_ps, load256, _mm256_fmadd_ps, sum256, dot1_avx2, dot_shared_avx2, dot_rows_avx2);
dots!("avx512f", 16, __m512, _mm512_setzero_ps, load512, _mm512_fmadd_ps, sum512, dot1_avx512, dot_shared_avx512, dot_rows_avx512);
produce_with!(produce_avx2, "avx2,fma", dot1_avx2, dot_shared_avx2, dot_rows_avx2);
produce_with!(produce_avx512, "avx512f", dot1_avx512, dot_shared_avx512, dot_rows_avx512);

/// Outputs per aligned group, and how far apart (in outputs) its members are: windows of
/// outputs 16 apart start 16·M floats apart, i.e. at the same offset within a cache line.
const ALIGNED_SPACING: usize = 16;

/// One phase (integer decimation by M) with a shadow copy: outputs are taken in groups of eight
/// that are 16 outputs apart, so all eight windows share one alignment; even 8-float blocks
/// then come from one copy and odd blocks from the other, each inside a single cache line.
/// Leftovers go through the shared-row kernel. Per output the operations are those of
/// `dot1_avx2` (one accumulator, blocks in order), so results do not depend on the grouping.
#[target_feature(enable = "avx2,fma")]
pub unsafe fn decimate_avx2(run: &Run, out: &mut [f32], stride: usize) {
    match run.step {
        2 => decimate_by::<2>(run, out, stride),
        3 => decimate_by::<3>(run, out, stride),
        4 => decimate_by::<4>(run, out, stride),
        6 => decimate_by::<6>(run, out, stride),
        _ => produce_avx2(run, out, stride),
    }
}

#[inline]
#[target_feature(enable = "avx2,fma")]
unsafe fn decimate_by<const M: usize>(run: &Run, out: &mut [f32], stride: usize) {
    let (taps, c, h, s, o) = (run.taps, run.coefficients.as_ptr(), run.history.as_ptr(), run.shadow.as_ptr(), out.as_mut_ptr());
    let span = GROUP * ALIGNED_SPACING;
    let mut pending = 0;
    let mut pending_windows = [h; GROUP];
    let mut pending_outputs = [0usize; GROUP];
    for first in 0..ALIGNED_SPACING.min(run.count) {
        let mut k = first;
        while k + (GROUP - 1) * ALIGNED_SPACING < run.count {
            let window = run.window_start + k * M;
            let (even, odd) = if (h.add(window) as usize) % 64 <= 32 { (h, s) } else { (s, h) };
            let y = dot_aligned_avx2::<M>(c, even.add(window), odd.add(window), taps);
            for (g, value) in y.into_iter().enumerate() {
                *o.add((k + g * ALIGNED_SPACING) * stride) = value;
            }
            k += span;
        }
        while k < run.count {
            pending_windows[pending] = h.add(run.window_start + k * M);
            pending_outputs[pending] = k;
            pending += 1;
            if pending == GROUP {
                for (g, value) in dot_shared_avx2(c, pending_windows, taps).into_iter().enumerate() {
                    *o.add(pending_outputs[g] * stride) = value;
                }
                pending = 0;
            }
            k += ALIGNED_SPACING;
        }
    }
    for g in 0..pending {
        *o.add(pending_outputs[g] * stride) = dot1_avx2(c, pending_windows[g], taps);
    }
}

/// Eight outputs 16 apart (windows 16·M floats apart): even blocks from `even`, odd from `odd`.
#[inline]
#[target_feature(enable = "avx2,fma")]
unsafe fn dot_aligned_avx2<const M: usize>(c: *const f32, even: *const f32, odd: *const f32, taps: usize) -> [f32; GROUP] {
    let apart = ALIGNED_SPACING * M;
    let mut acc = [_mm256_setzero_ps(); GROUP];
    let mut i = 0;
    while i < taps {
        let ce = _mm256_loadu_ps(c.add(i));
        for g in 0..GROUP {
            acc[g] = _mm256_fmadd_ps(ce, _mm256_loadu_ps(even.add(i + g * apart)), acc[g]);
        }
        let co = _mm256_loadu_ps(c.add(i + 8));
        for g in 0..GROUP {
            acc[g] = _mm256_fmadd_ps(co, _mm256_loadu_ps(odd.add(i + 8 + g * apart)), acc[g]);
        }
        i += 16;
    }
    acc.map(|a| sum256(a))
}
