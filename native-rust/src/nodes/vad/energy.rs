//! The original remotemedia VADNode decision: a frame is speech when its RMS exceeds the threshold
//! (`np.sqrt(np.mean(frame**2)) > energy_threshold`). Computed in f64 for both runtimes.

pub struct EnergyDetector {
    threshold: f64,
}

impl EnergyDetector {
    pub fn new(threshold: f64) -> EnergyDetector {
        EnergyDetector { threshold }
    }

    pub fn decide(&mut self, frame: &[f32]) -> bool {
        rms(frame) > self.threshold
    }
}

pub fn rms(frame: &[f32]) -> f64 {
    let mut sum = 0.0f64;
    for &x in frame {
        let x = x as f64;
        sum += x * x;
    }
    (sum / frame.len() as f64).sqrt()
}
