#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.

//! Hostile input: text from providers, playbooks and config, carrying every kind of
//! terminal sequence and invisible character, must reach neither the screen's cells nor
//! what the commands print, and a 10,000-character title is cut with "…".

mod cli;
mod corpus;
mod screens;
