#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.

//! The playbook pane's markdown rendering: every construct at two widths (text and style
//! in the snapshots), real teams' playbooks, and hostile text.

mod show;

mod constructs;
mod demo;
mod fixtures;
mod hostile;
mod limits;
