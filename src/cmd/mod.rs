//! One module per subcommand.

pub mod bench;
pub mod build;
pub mod check;
pub mod progress;
pub mod watch;
