//! Power spectrum of a real block: an n-point real FFT computed as an n/2-point complex radix-2 FFT
//! (split re/im arrays so the butterflies vectorize) plus the usual even/odd untangling, evaluated
//! only for the bins the VAD uses. The managed `VadFft.cs` performs the same f32 operations in the
//! same order.

use super::detmath;

pub struct RealFft {
    half: usize,
    bit_reverse: Vec<usize>,
    /// Twiddles e^{-2 pi i j / (2 span)}, j < span, for each stage with span >= 4 (spans 1 and 2
    /// need no multiplications and are done apart).
    stage_re: Vec<Vec<f32>>,
    stage_im: Vec<Vec<f32>>,
    untangle_re: Vec<f32>,
    untangle_im: Vec<f32>,
    re: Vec<f32>,
    im: Vec<f32>,
}

impl RealFft {
    /// `n` must be a power of two, at least 16.
    pub fn new(n: usize) -> RealFft {
        let half = n / 2;
        let bits = half.trailing_zeros();
        let bit_reverse = (0..half).map(|i| i.reverse_bits() >> (usize::BITS - bits)).collect();
        let angle = |k: usize, len: usize| 2.0 * std::f64::consts::PI * k as f64 / len as f64;
        let (mut stage_re, mut stage_im) = (Vec::new(), Vec::new());
        let mut span = 4;
        while span < half {
            stage_re.push((0..span).map(|j| detmath::cos(angle(j, 2 * span)) as f32).collect());
            stage_im.push((0..span).map(|j| -detmath::sin(angle(j, 2 * span)) as f32).collect());
            span *= 2;
        }
        RealFft {
            half,
            bit_reverse,
            stage_re,
            stage_im,
            untangle_re: (0..=half).map(|k| detmath::cos(angle(k, n)) as f32).collect(),
            untangle_im: (0..=half).map(|k| -detmath::sin(angle(k, n)) as f32).collect(),
            re: vec![0.0; half],
            im: vec![0.0; half],
        }
    }

    /// Transforms `input * window` (both of length n) and writes |X[k]|^2 for k in `lo..hi` into `power[k - lo]`.
    pub fn power(&mut self, input: &[f32], window: &[f32], lo: usize, hi: usize, power: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2, checked just above.
                return unsafe { self.power_avx2(input, window, lo, hi, power) };
            }
        }
        self.power_portable(input, window, lo, hi, power)
    }

    /// The same code compiled for AVX2: wider vectors for the butterflies, identical arithmetic
    /// (element-wise IEEE operations, no fused multiply-add), so results do not change.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn power_avx2(&mut self, input: &[f32], window: &[f32], lo: usize, hi: usize, power: &mut [f32]) {
        self.power_portable(input, window, lo, hi, power)
    }

    #[inline(always)]
    fn power_portable(&mut self, input: &[f32], window: &[f32], lo: usize, hi: usize, power: &mut [f32]) {
        let half = self.half;
        let (re, im) = (&mut self.re[..half], &mut self.im[..half]);
        for ((pair, w), &target) in input.chunks_exact(2).zip(window.chunks_exact(2)).zip(&self.bit_reverse) {
            re[target] = pair[0] * w[0];
            im[target] = pair[1] * w[1];
        }
        // Spans 1 and 2 (twiddles 1 and -i) fused: one pass over groups of four, same operations
        // in the same order as two separate passes.
        for (r, i) in re.chunks_exact_mut(4).zip(im.chunks_exact_mut(4)) {
            let (r0, r1, r2, r3) = (r[0] + r[1], r[0] - r[1], r[2] + r[3], r[2] - r[3]);
            let (i0, i1, i2, i3) = (i[0] + i[1], i[0] - i[1], i[2] + i[3], i[2] - i[3]);
            r[0] = r0 + r2;
            i[0] = i0 + i2;
            r[2] = r0 - r2;
            i[2] = i0 - i2;
            // (r3 + i i3) * (-i) = i3 - i r3
            r[1] = r1 + i3;
            i[1] = i1 - r3;
            r[3] = r1 - i3;
            i[3] = i1 + r3;
        }
        let mut span = 4;
        for (twiddle_re, twiddle_im) in self.stage_re.iter().zip(&self.stage_im) {
            let size = 2 * span;
            for (r, i) in re.chunks_exact_mut(size).zip(im.chunks_exact_mut(size)) {
                let (r_lo, r_hi) = r.split_at_mut(span);
                let (i_lo, i_hi) = i.split_at_mut(span);
                let (w_re, w_im) = (&twiddle_re[..span], &twiddle_im[..span]);
                // Equal lengths let the compiler drop bounds checks and vectorize the lanes.
                let (i_lo, r_hi, i_hi) = (&mut i_lo[..span], &mut r_hi[..span], &mut i_hi[..span]);
                for j in 0..span {
                    let tr = w_re[j] * r_hi[j] - w_im[j] * i_hi[j];
                    let ti = w_re[j] * i_hi[j] + w_im[j] * r_hi[j];
                    r_hi[j] = r_lo[j] - tr;
                    i_hi[j] = i_lo[j] - ti;
                    r_lo[j] += tr;
                    i_lo[j] += ti;
                }
            }
            span *= 2;
        }
        for (k, slot) in (lo..hi).zip(power.iter_mut()) {
            let (own, mirror) = if k == 0 || k == half { (0, 0) } else { (k, half - k) };
            let (a, b) = (re[own], im[own]);
            let (c, d) = (re[mirror], im[mirror]);
            let (even_re, even_im) = ((a + c) * 0.5, (b - d) * 0.5);
            let (odd_re, odd_im) = ((b + d) * 0.5, (c - a) * 0.5);
            let (wr, wi) = (self.untangle_re[k], self.untangle_im[k]);
            let x_re = even_re + (wr * odd_re - wi * odd_im);
            let x_im = even_im + (wr * odd_im + wi * odd_re);
            *slot = x_re * x_re + x_im * x_im;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_direct_dft() {
        let n = 64;
        let input: Vec<f32> = (0..n).map(|i| ((i * 7 % 13) as f32 - 6.0) / 7.0).collect();
        let window = vec![1.0f32; n];
        let mut fft = RealFft::new(n);
        let mut power = vec![0.0f32; n / 2 + 1];
        fft.power(&input, &window, 0, n / 2 + 1, &mut power);
        for (k, p) in power.iter().enumerate() {
            let (mut re, mut im) = (0.0f64, 0.0f64);
            for (i, x) in input.iter().enumerate() {
                let a = -2.0 * std::f64::consts::PI * (k * i) as f64 / n as f64;
                re += *x as f64 * a.cos();
                im += *x as f64 * a.sin();
            }
            let expected = re * re + im * im;
            assert!((*p as f64 - expected).abs() < 1e-3 * (1.0 + expected), "bin {k}: {p} vs {expected}");
        }
    }
}

