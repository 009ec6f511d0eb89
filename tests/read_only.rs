#![allow(clippy::unwrap_used)] // Tests: a failure here is a failed test.
//! Read-only mode holds where writes are sent, not only in the keymap: every verb asked
//! for, by the headless commands or straight through the outbox, against PagerDuty,
//! Opsgenie and Alertmanager (with its route to level two), reaches no server as
//! anything but a GET.

#[allow(dead_code)] // Only `text` is used: these runs need their own environment.
#[path = "support/cli.rs"]
mod cli;
#[path = "support/recording.rs"]
mod recording;

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use cli::text;
use pagerdeck::command::Op;
use pagerdeck::config::Config;
use pagerdeck::config::load::parse_toml;
use pagerdeck::event::{Event, OpState};
use pagerdeck::incident::IncidentKey;
use pagerdeck::journal::Journal;
use pagerdeck::outbox::{self, OutboxSettings};
use recording::{
    AM_INCIDENT, OG_ALERT, PD_INCIDENT, config_text, every_verb, run, serve, write_config, writes,
};

const REFUSED: &str = "read-only mode: nothing was sent";

#[tokio::test(flavor = "multi_thread")]
async fn no_headless_verb_sends_a_write_in_read_only_mode() {
    let server = serve().await;
    let home = tempfile::tempdir().unwrap();
    let events = format!(
        "{{ events_routing_key_env = \"PAGERDECK_TEST_ROUTING_KEY\", events_url = \"{}/events\" }}",
        server.uri()
    );
    // Read-only by the flag, and by the config alone.
    let by_flag = write_config(
        home.path(),
        "flag.toml",
        &config_text(&server.uri(), &events, false),
    );
    let by_config = write_config(
        home.path(),
        "config.toml",
        &config_text(&server.uri(), &events, true),
    );
    let escalate = |key| vec!["escalate", key, "--yes", "--message", "need you"];
    let attempts = [
        vec!["ack", PD_INCIDENT],
        vec!["note", PD_INCIDENT, "rolled", "back"],
        escalate(PD_INCIDENT),
        vec!["ack", OG_ALERT],
        vec!["note", OG_ALERT, "rolled", "back"],
        escalate(OG_ALERT),
        vec!["ack", AM_INCIDENT],
        escalate(AM_INCIDENT),
    ];
    for attempt in &attempts {
        for (config, flag) in [(&by_flag, Some("--read-only")), (&by_config, None)] {
            let args: Vec<&str> = flag.into_iter().chain(attempt.iter().copied()).collect();
            let out = run(home.path(), config, &args);
            let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
            assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
            assert!(said.contains(REFUSED), "{args:?}: {said}");
        }
    }
    assert_eq!(writes(&server).await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_outbox_sends_no_verb_to_any_kind_of_source_in_read_only_mode() {
    let server = serve().await;
    let webhook = format!("{{ webhook_url = \"{}/hook\" }}", server.uri());
    let text = config_text(&server.uri(), &webhook, false);
    let config: Config = parse_toml(&text, Path::new("read-only.toml")).unwrap();
    let (events, mut inbox) = mpsc::unbounded_channel();
    let mut handles = Vec::new();
    for source in &config.sources {
        let built = pagerdeck::sources::build(source, &config, "Ana Ops", Utc::now()).unwrap();
        handles.push(built.spawn(source, true, events.clone()));
    }
    // Each source has polled once, so each knows the incident a verb is for.
    let mut polled = std::collections::HashSet::new();
    while polled.len() < handles.len() {
        if let Some(Event::Incidents { source, result, .. }) = inbox.recv().await {
            assert!(result.is_ok(), "{source}: {result:?}");
            polled.insert(source);
        }
    }
    let journal = tempfile::tempdir().unwrap();
    let journal = Journal::open(&journal.path().join("journal.jsonl")).map_err(|e| e.to_string());
    let settings = OutboxSettings {
        me: "Ana Ops".into(),
        first_retry: Duration::from_millis(10),
    };
    let ops = outbox::spawn(journal, handles, settings, events);
    let mut sent = 0;
    for key in [PD_INCIDENT, OG_ALERT, AM_INCIDENT] {
        let key: IncidentKey = key.parse().unwrap();
        for verb in every_verb(&server.uri()) {
            sent += 1;
            let op = Op {
                id: sent,
                key: key.clone(),
                verb,
                assignee_then: None,
                incident: None,
            };
            ops.send(op).unwrap();
        }
    }
    let mut settled = std::collections::HashMap::new();
    while settled.len() < sent as usize {
        let event = tokio::time::timeout(Duration::from_secs(60), inbox.recv())
            .await
            .expect("every op settles within a minute");
        if let Some(Event::Op { id, state }) = event
            && !matches!(state, OpState::Pending | OpState::Sent)
        {
            settled.insert(id, state);
        }
    }
    for (id, state) in &settled {
        assert_eq!(state, &OpState::Failed(REFUSED.into()), "op {id}");
    }
    assert_eq!(writes(&server).await, Vec::<String>::new());
}
