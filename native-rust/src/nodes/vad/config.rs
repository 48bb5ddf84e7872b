//! VADNode parameters, read strictly (errors name the key), shared by both detection modes.

use crate::error::NodeError;
use crate::params::Params;

use super::KIND;

/// Sample rates the VAD analyses (the WebRTC VAD's set).
pub const SUPPORTED_RATES: [u32; 4] = [8000, 16000, 32000, 48000];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VadMode {
    /// Spectral/statistical detector (the default): noise floor by minimum statistics, sub-band SNR likelihood, hangover.
    Robust,
    /// The original remotemedia VADNode: per-frame RMS above `energy_threshold`.
    Energy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VadConfig {
    pub mode: VadMode,
    pub frame_duration_ms: u32,
    pub energy_threshold: f64,
    pub aggressiveness: usize,
    pub hangover_ms: u32,
    pub gate_audio: bool,
}

impl VadConfig {
    pub fn parse(config: &str) -> Result<VadConfig, NodeError> {
        let mut p = Params::parse(KIND, config)?;
        let mode = match p.choice("mode", &["robust", "energy"], "robust")?.as_str() {
            "energy" => VadMode::Energy,
            _ => VadMode::Robust,
        };
        let frame_duration_ms = p.int("frame_duration_ms", 10, 30, 30)? as u32;
        if !frame_duration_ms.is_multiple_of(10) {
            return Err(NodeError::invalid_config(format!(
                "{KIND}: parameter 'frame_duration_ms' must be 10, 20 or 30, got {frame_duration_ms}"
            )));
        }
        let energy_threshold = p.number("energy_threshold", 0.0, 1.0, 0.02)?;
        let aggressiveness = p.int("aggressiveness", 0, 3, 2)? as usize;
        let hangover_ms = p.int("hangover_ms", 0, 2000, 150)? as u32;
        let gate_audio = p.boolean("gate_audio", false)?;
        p.finish()?;
        Ok(VadConfig { mode, frame_duration_ms, energy_threshold, aggressiveness, hangover_ms, gate_audio })
    }

    /// Samples per analysis frame at `rate`.
    pub fn frame_samples(&self, rate: u32) -> usize {
        (rate as usize * self.frame_duration_ms as usize) / 1000
    }
}
