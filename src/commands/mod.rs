//! One module per command group.

pub(crate) mod changed;
pub mod check;
pub mod ci;
pub mod docs;
pub mod doctor;
pub mod fleet;
pub mod init;
pub mod lint;
pub mod migrate;
pub mod sandbox;
pub mod schema;
pub mod scratch;
pub mod url;
