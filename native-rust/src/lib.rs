//! RemoteMedia native core: audio kernels behind one generic C ABI.
//!
//! Every node kind implements [`node::NodeExecutor`]; the C ABI in [`abi`] exposes them all through
//! the same handful of `rm_node_*` functions. Nothing here depends on any other crate.

pub mod abi;
pub mod audio;
pub mod error;
pub mod json;
pub mod node;
pub mod nodes;
pub mod params;
pub mod registry;

pub use error::{ErrorCode, NodeError};
pub use node::NodeExecutor;
