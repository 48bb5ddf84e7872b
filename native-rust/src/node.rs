//! The one node contract of the native side. Every node kind implements it; the C ABI and the
//! registry know nothing else about nodes.

use crate::audio::{AudioIn, AudioOut, AudioShape};
use crate::error::NodeError;

/// A non-audio result a node reports (voice activity decisions, speech start/end, ...), read through
/// `rm_node_read_events`. `frame` is the stream position (input frames since the last reset).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmEvent {
    pub kind: u32,
    pub reserved: u32,
    pub frame: u64,
    pub value: f64,
}

/// `RmEvent.kind` values; mirrored in C# by the generated `NodeEventKind`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// One analysis frame's decision: `value` is 1.0 for speech, 0.0 for silence.
    VoiceActivity = 1,
    /// Speech started at `frame`.
    SpeechStart = 2,
    /// Speech ended at `frame`; `value` is the utterance length in seconds.
    SpeechEnd = 3,
}

/// A stateful audio node. Implementations must never panic on bad input; they return a
/// [`NodeError`] that names the problem and stay usable afterwards.
pub trait NodeExecutor: Send {
    /// The public node kind name, e.g. `FormatConverterNode`.
    fn kind(&self) -> &'static str;

    /// Validates an input shape and returns the output shape it produces, with `frames` the most
    /// frames that processing `input.frames` frames (or a flush after it) can write.
    fn output_shape(&self, input: &AudioShape) -> Result<AudioShape, NodeError>;

    /// Consumes one input block and writes whatever output is ready.
    fn process(&mut self, input: &AudioIn, output: &mut AudioOut) -> Result<(), NodeError>;

    /// Ends the stream: writes any buffered tail. The default has nothing buffered.
    fn flush(&mut self, output: &mut AudioOut) -> Result<(), NodeError> {
        output.frames = 0;
        Ok(())
    }

    /// Forgets all stream state, as if newly created with the same configuration.
    fn reset(&mut self);

    /// A numeric property (e.g. `latency_frames`, `max_output_frames`), or `None` if the node has none
    /// of that name. `arg` is the argument for parameterized properties (such as an input frame count).
    fn property(&self, _name: &str, _arg: f64) -> Option<f64> {
        None
    }

    /// Moves pending events into `out`, oldest first; returns how many were written.
    fn read_events(&mut self, _out: &mut [RmEvent]) -> usize {
        0
    }
}
