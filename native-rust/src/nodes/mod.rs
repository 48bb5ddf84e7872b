//! Node kinds. Each module exports `KIND` and `create(config_json)`.

pub mod format_converter;
pub mod resample;
pub mod vad;
pub mod sample;
