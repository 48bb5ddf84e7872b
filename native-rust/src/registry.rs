//! Node kinds by public name. Adding a node kind means one line here, nothing in the ABI.

use crate::error::{ErrorCode, NodeError};
use crate::node::NodeExecutor;
use crate::nodes;

type Constructor = fn(&str) -> Result<Box<dyn NodeExecutor>, NodeError>;

/// Every registered node kind: public name and constructor taking the JSON config.
pub const NODE_KINDS: &[(&str, Constructor)] = &[
    (nodes::format_converter::KIND, nodes::format_converter::create),
    (nodes::resample::KIND, nodes::resample::create),
    (nodes::vad::KIND, nodes::vad::create),
];

/// Creates a node of `kind` from its JSON configuration.
pub fn create(kind: &str, config: &str) -> Result<Box<dyn NodeExecutor>, NodeError> {
    match NODE_KINDS.iter().find(|(name, _)| *name == kind) {
        Some((_, constructor)) => constructor(config),
        None => Err(NodeError::new(
            ErrorCode::UnknownNodeKind,
            format!(
                "unknown node kind '{kind}'; known kinds: {}",
                NODE_KINDS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// The registered kind names, comma-separated.
pub fn kind_list() -> String {
    NODE_KINDS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(",")
}
