//! The one error-code enum shared with C# (mirrored in the generated NativeMethods.g.cs) and the
//! per-thread last-error message.

use std::cell::RefCell;
use std::fmt;

/// Status codes returned by every `rm_*` function: 0 is success, negative values are errors.
/// The C# `ErrorCode` enum is generated from this one; never renumber an existing code.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Ok = 0,
    /// A required pointer argument was null.
    NullArgument = -1,
    /// An argument had an invalid value (buffer shape, channel count, sample rate, ...).
    InvalidArgument = -2,
    /// `rm_node_create` was given a node kind that is not registered.
    UnknownNodeKind = -3,
    /// The node configuration JSON was malformed, had an unknown key, a wrong type or a value out of range.
    InvalidConfig = -4,
    /// The output buffer cannot hold the node's output.
    BufferTooSmall = -5,
    /// The input's sample format or channel layout is not supported by this node.
    UnsupportedFormat = -6,
    /// The stream changed shape mid-stream (sample rate, channels) or the call is not valid in this state.
    StreamMismatch = -7,
    /// The node does not have the requested property or operation.
    NotSupported = -8,
    /// An internal failure (a caught panic); the node should be discarded.
    Internal = -99,
}

impl ErrorCode {
    pub fn as_status(self) -> i32 {
        self as i32
    }
}

/// An error raised by a node or by the ABI layer: a code plus a human-readable message.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeError {
    pub code: ErrorCode,
    pub message: String,
}

impl NodeError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        NodeError { code, message: message.into() }
    }
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
    }
    pub fn invalid_config(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidConfig, message)
    }
    pub fn unsupported_format(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::UnsupportedFormat, message)
    }
    pub fn buffer_too_small(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BufferTooSmall, message)
    }
    pub fn stream_mismatch(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::StreamMismatch, message)
    }
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for NodeError {}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records `message` as this thread's last error (read back by `rm_last_error`).
pub fn set_last_error(message: &str) {
    LAST_ERROR.with(|e| {
        let mut e = e.borrow_mut();
        e.clear();
        e.push_str(message);
    });
}

pub fn clear_last_error() {
    LAST_ERROR.with(|e| e.borrow_mut().clear());
}

/// Runs `f` with this thread's last error message.
pub fn with_last_error<R>(f: impl FnOnce(&str) -> R) -> R {
    LAST_ERROR.with(|e| f(&e.borrow()))
}
