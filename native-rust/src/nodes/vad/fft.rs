//! Power spectrum of a real block: an n-point real FFT computed as an n/2-point complex radix-2 FFT
//! (split re/im arrays so the butterflies vectorize) plus the usual even/odd untangling, evaluated
//! only for the bins the VAD uses. The managed `VadFft.cs` performs the same f32 operations in the
//! same order.

use super::detmath;

pub struct RealFft {
    half: usize,
    bit_reverse: Vec<usize>,
    twiddle_re: Vec<f32>,
    twiddle_im: Vec<f32>,
    untangle_re: Vec<f32>,
    untangle_im: Vec<f32>,
    re: Vec<f32>,
    im: Vec<f32>,
}

impl RealFft {
    /// `n` must be a power of two, at least 8.
    pub fn new(n: usize) -> RealFft {
        let half = n / 2;
        let bits = half.trailing_zeros();
        let bit_reverse = (0..half).map(|i| i.reverse_bits() >> (usize::BITS - bits)).collect();
        let angle = |k: usize, len: usize| 2.0 * std::f64::consts::PI * k as f64 / len as f64;
        RealFft {
            half,
            bit_reverse,
            twiddle_re: (0..half / 2).map(|k| detmath::cos(angle(k, half)) as f32).collect(),
            twiddle_im: (0..half / 2).map(|k| -detmath::sin(angle(k, half)) as f32).collect(),
            untangle_re: (0..=half).map(|k| detmath::cos(angle(k, n)) as f32).collect(),
            untangle_im: (0..=half).map(|k| -detmath::sin(angle(k, n)) as f32).collect(),
            re: vec![0.0; half],
            im: vec![0.0; half],
        }
    }

    /// Transforms `input * window` (both of length n) and writes |X[k]|^2 for k in `lo..hi` into `power[k - lo]`.
    pub fn power(&mut self, input: &[f32], window: &[f32], lo: usize, hi: usize, power: &mut [f32]) {
        let half = self.half;
        for m in 0..half {
            let target = self.bit_reverse[m];
            self.re[target] = input[2 * m] * window[2 * m];
            self.im[target] = input[2 * m + 1] * window[2 * m + 1];
        }
        let mut size = 2;
        while size <= half {
            let span = size / 2;
            let step = half / size;
            let mut start = 0;
            while start < half {
                for j in 0..span {
                    let (wr, wi) = (self.twiddle_re[j * step], self.twiddle_im[j * step]);
                    let (a, b) = (start + j, start + j + span);
                    let tr = wr * self.re[b] - wi * self.im[b];
                    let ti = wr * self.im[b] + wi * self.re[b];
                    self.re[b] = self.re[a] - tr;
                    self.im[b] = self.im[a] - ti;
                    self.re[a] += tr;
                    self.im[a] += ti;
                }
                start += size;
            }
            size *= 2;
        }
        for k in lo..hi {
            let mirror = if k == 0 { 0 } else { half - k };
            let (a, b) = (self.re[k % half], self.im[k % half]);
            let (c, d) = (self.re[mirror], self.im[mirror]);
            let (even_re, even_im) = ((a + c) * 0.5, (b - d) * 0.5);
            let (odd_re, odd_im) = ((b + d) * 0.5, (c - a) * 0.5);
            let (wr, wi) = (self.untangle_re[k], self.untangle_im[k]);
            let x_re = even_re + (wr * odd_re - wi * odd_im);
            let x_im = even_im + (wr * odd_im + wi * odd_re);
            power[k - lo] = x_re * x_re + x_im * x_im;
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
