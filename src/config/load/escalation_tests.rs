//! `[escalation]` routes: Alertmanager's (the example's, exactly one way to page, the
//! routing key read when the source is built) and PagerDuty's (`next_level` and its refusals).

use super::tests::parse;

/// The example's commented line that starts with `start`, uncommented.
fn example_line(start: &str) -> String {
    let line = crate::config::EXAMPLE
        .lines()
        .find(|l| l.starts_with(start))
        .unwrap();
    line[2..].to_string()
}

#[test]
fn the_examples_alertmanager_routes_parse_when_uncommented() {
    let events = example_line("# alertmanager = { events_routing_key_env");
    let config = parse(&format!("[escalation]\n{events}\n")).unwrap();
    let route = config.escalation.alertmanager.unwrap();
    assert_eq!(
        route.target().unwrap(),
        crate::config::AlertmanagerTarget::Events {
            routing_key_env: "ENGCAP_ROUTING_KEY",
            url: None,
            read_back: None
        }
    );
    let webhook = example_line("# alertmanager = { webhook_url");
    let config = parse(&format!("[escalation]\n{webhook}\n")).unwrap();
    assert_eq!(
        config.escalation.alertmanager.unwrap().target().unwrap(),
        crate::config::AlertmanagerTarget::Webhook {
            url: "https://hooks.example.com/pagerdeck"
        }
    );
}

#[test]
fn an_alertmanager_route_must_name_exactly_one_way_to_page() {
    let both = "[escalation]\nname = \"L2\"\nalertmanager = { events_routing_key_env = \"K\", webhook_url = \"https://h/x\" }\n";
    let error = parse(both).unwrap_err();
    assert_eq!(error.key.as_deref(), Some("escalation.alertmanager"));
    assert_eq!(error.line, Some(3));
    assert!(
        error
            .message
            .contains("events_routing_key_env = \"NAME_OF_VARIABLE\""),
        "{error}"
    );
    assert!(error.message.ends_with("not both"), "{error}");
    let error = parse("[escalation]\nalertmanager = {}\n").unwrap_err();
    assert!(
        error.message.contains("webhook_url = \"https://…\""),
        "{error}"
    );
    assert!(error.message.contains("neither is set"), "{error}");
    let error =
        parse("[escalation]\nalertmanager = { events_url = \"https://e/enqueue\" }\n").unwrap_err();
    assert!(
        error
            .message
            .contains("events_url needs events_routing_key_env"),
        "{error}"
    );
    let error =
        parse("[escalation]\nalertmanager = { webhook_url = \"hooks.example.com/s3cr3t\" }\n")
            .unwrap_err();
    assert!(
        error
            .message
            .contains("webhook_url must start with https://"),
        "{error}"
    );
    assert!(
        !error.message.contains("s3cr3t"),
        "the URL may be a secret: {error}"
    );
    let error = parse("[escalation]\nalertmanager = { routing_key = \"inline\" }\n").unwrap_err();
    assert!(error.message.contains("unknown field"), "{error}");
}

#[test]
fn an_alertmanager_source_reads_its_routing_key_at_start_and_names_a_missing_one() {
    let text = |variable: &str| {
        format!(
            "[escalation]\nalertmanager = {{ events_routing_key_env = \"{variable}\" }}\n\
             [[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"http://127.0.0.1:9093\"]\n"
        )
    };
    let config = parse(&text("PAGERDECK_TEST_NO_SUCH_ROUTING_KEY")).unwrap();
    let error = crate::sources::build(&config.sources[0], &config, "me", chrono::Utc::now())
        .err()
        .unwrap();
    assert!(
        error.contains("PAGERDECK_TEST_NO_SUCH_ROUTING_KEY (events_routing_key_env) is not set"),
        "{error}"
    );
    // Any variable that is set will do here (tests may not set one: no unsafe code).
    let config = parse(&text("PATH")).unwrap();
    let built =
        crate::sources::build(&config.sources[0], &config, "me", chrono::Utc::now()).unwrap();
    assert_eq!(built.capabilities().escalate, Ok(()));
    let bare = parse(&text("PATH").replace(
        "[escalation]\nalertmanager = { events_routing_key_env = \"PATH\" }\n",
        "",
    ))
    .unwrap();
    let built = crate::sources::build(&bare.sources[0], &bare, "me", chrono::Utc::now()).unwrap();
    let refusal = built.capabilities().escalate.unwrap_err();
    assert!(
        refusal.contains("set [escalation] alertmanager = { events_routing_key_env"),
        "{refusal}"
    );
}

/// `[escalation] pagerduty = …` parsed, or its error.
fn pagerduty(route: &str) -> Result<crate::config::Config, super::ConfigError> {
    parse(&format!(
        "[escalation]\nname = \"L2\"\npagerduty = {route}\n"
    ))
}

#[test]
fn next_level_needs_no_policy_and_builds_the_route_it_names() {
    assert!(
        crate::config::EXAMPLE.contains("{ mode = \"next_level\" }"),
        "the example shows it"
    );
    let config = pagerduty("{ mode = \"next_level\" }").unwrap();
    let route = config.escalation.pagerduty.as_ref().unwrap();
    assert_eq!(route.way(), Ok(crate::config::PagerdutyWay::NextLevel));
    let text = "[escalation]\npagerduty = { mode = \"next_level\" }\n[me]\nemail = \"ana@example.com\"\n\
                [[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\ntoken_cmd = \"echo pd-key\"\n";
    let config = parse(text).unwrap();
    let built =
        crate::sources::build(&config.sources[0], &config, "me", chrono::Utc::now()).unwrap();
    assert_eq!(built.capabilities().escalate, Ok(()));
    assert_eq!(
        built.escalation_route().as_deref(),
        Some(
            "PagerDuty: the next level of the incident's escalation policy, the hand-over as a note"
        )
    );
}

#[test]
fn next_level_beside_a_policy_or_a_level_is_refused_with_why() {
    let error =
        pagerduty("{ mode = \"next_level\", escalation_policy_id = \"PENGCAP\" }").unwrap_err();
    assert_eq!(error.key.as_deref(), Some("escalation.pagerduty"));
    assert_eq!(error.line, Some(3));
    assert!(
        error
            .message
            .contains("climbs the incident's own escalation policy")
            && error
                .message
                .contains("escalation_policy_id has no place beside it"),
        "{error}"
    );
    let error = pagerduty("{ mode = \"next_level\", escalation_level = 2 }").unwrap_err();
    assert_eq!(error.key.as_deref(), Some("escalation.pagerduty"));
    assert!(
        error.message.contains("finds the incident's level itself")
            && error
                .message
                .contains("escalation_level has no place beside it"),
        "{error}"
    );
    let error = pagerduty("{ mode = \"next_levels\" }").unwrap_err();
    assert!(error.message.contains("next_level"), "{error}");
}

#[test]
fn the_other_pagerduty_routes_still_need_exactly_one_target() {
    let way = |route: &str| {
        let config = pagerduty(route).unwrap();
        format!("{:?}", config.escalation.pagerduty.unwrap().way().unwrap())
    };
    assert_eq!(way("{ escalation_level = 2 }"), "Level(2)");
    assert_eq!(
        way("{ escalation_policy_id = \"PENGCAP\", mode = \"responder_request\" }"),
        "ResponderRequest { policy: \"PENGCAP\" }"
    );
    for wrong in [
        "{ escalation_policy_id = \"PENGCAP\", escalation_level = 2 }",
        "{ escalation_level = 0 }",
        "{}",
    ] {
        let error = pagerduty(wrong).unwrap_err();
        assert!(
            error
                .message
                .contains("or mode = \"next_level\"; only one of them"),
            "{wrong}: {error}"
        );
    }
    let error = pagerduty("{ escalation_policy_id = \"\" }").unwrap_err();
    assert!(
        error.message.contains("escalation_policy_id is empty"),
        "{error}"
    );
}

#[test]
fn an_events_route_may_read_level_twos_answer_with_a_rest_token() {
    let events = example_line(
        "# alertmanager = { events_routing_key_env = \"ENGCAP_ROUTING_KEY\", api_token_env",
    );
    let config = parse(&format!("[escalation]\n{events}\n")).unwrap();
    assert_eq!(
        config.escalation.alertmanager.unwrap().target().unwrap(),
        crate::config::AlertmanagerTarget::Events {
            routing_key_env: "ENGCAP_ROUTING_KEY",
            url: None,
            read_back: Some(crate::config::ReadBackTarget {
                token_env: "PAGERDUTY_TOKEN",
                url: None
            })
        }
    );
    let eu = "[escalation]\nalertmanager = { events_routing_key_env = \"K\", api_token_env = \"T\", api_url = \"https://api.eu.pagerduty.com\" }\n";
    let target = parse(eu).unwrap().escalation.alertmanager.unwrap();
    let crate::config::AlertmanagerTarget::Events { read_back, .. } = target.target().unwrap()
    else {
        panic!("an Events route");
    };
    assert_eq!(
        read_back.and_then(|r| r.url),
        Some("https://api.eu.pagerduty.com")
    );
}

#[test]
fn a_rest_token_only_applies_to_an_events_route_and_needs_a_name_and_an_http_url() {
    let webhook = "[escalation]\nname = \"L2\"\nalertmanager = { webhook_url = \"https://h/s3cr3t\", api_token_env = \"T\" }\n";
    let error = parse(webhook).unwrap_err();
    assert_eq!(error.key.as_deref(), Some("escalation.alertmanager"));
    assert_eq!(error.line, Some(3));
    assert!(
        error.message.contains(
            "api_token_env and api_url only apply to events_routing_key_env (PagerDuty Events)"
        ),
        "{error}"
    );
    assert!(!error.message.contains("s3cr3t"), "{error}");
    let error = parse("[escalation]\nalertmanager = { webhook_url = \"https://h/x\", api_url = \"https://api.pagerduty.com\" }\n").unwrap_err();
    assert!(
        error
            .message
            .contains("only apply to events_routing_key_env"),
        "{error}"
    );
    let error = parse("[escalation]\nalertmanager = { events_routing_key_env = \"K\", api_url = \"https://api.pagerduty.com\" }\n").unwrap_err();
    assert!(
        error.message.contains("api_url needs api_token_env"),
        "{error}"
    );
    let error = parse(
        "[escalation]\nalertmanager = { events_routing_key_env = \"K\", api_token_env = \"\" }\n",
    )
    .unwrap_err();
    assert!(error.message.contains("api_token_env is empty"), "{error}");
    let error = parse("[escalation]\nalertmanager = { events_routing_key_env = \"K\", api_token_env = \"T\", api_url = \"api.pagerduty.com\" }\n").unwrap_err();
    assert!(
        error.message.contains("api_url must start with https://"),
        "{error}"
    );
}

#[test]
fn the_rest_token_is_read_at_start_and_a_missing_one_is_named() {
    let text = |variable: &str| {
        format!(
            "[escalation]\nalertmanager = {{ events_routing_key_env = \"PATH\", api_token_env = \"{variable}\" }}\n\
             [[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurls = [\"http://127.0.0.1:9093\"]\n"
        )
    };
    let config = parse(&text("PAGERDECK_TEST_NO_SUCH_API_TOKEN")).unwrap();
    let error = crate::sources::build(&config.sources[0], &config, "me", chrono::Utc::now())
        .err()
        .unwrap();
    assert_eq!(
        error,
        "[escalation] alertmanager: the environment variable PAGERDECK_TEST_NO_SUCH_API_TOKEN (api_token_env) is not set"
    );
    // Any variable that is set will do here (tests may not set one: no unsafe code).
    let config = parse(&text("PATH")).unwrap();
    let built =
        crate::sources::build(&config.sources[0], &config, "me", chrono::Utc::now()).unwrap();
    assert_eq!(built.capabilities().escalate, Ok(()));
    let route = built.escalation_route().unwrap();
    assert!(
        route.ends_with("whether level two took it is read from https://api.pagerduty.com"),
        "{route}"
    );
}
