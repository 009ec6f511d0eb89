//! The bundled scenarios and their playbooks, embedded so `pagerdeck drill` works with
//! nothing installed or configured.

/// (name, scenario TOML): one of each kind.
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "disk-creep",
        include_str!("../../assets/drills/disk-creep.toml"),
    ),
    (
        "orders-outage",
        include_str!("../../assets/drills/orders-outage.toml"),
    ),
    (
        "flapping-probe",
        include_str!("../../assets/drills/flapping-probe.toml"),
    ),
];

/// (path under `assets/drills/playbooks/`, markdown): what the bundled scenarios name,
/// and what a team's scenario may name too.
pub const PLAYBOOKS: &[(&str, &str)] = &[
    (
        "billing/invoice-store.md",
        include_str!("../../assets/drills/playbooks/billing/invoice-store.md"),
    ),
    (
        "fulfilment/orders-api.md",
        include_str!("../../assets/drills/playbooks/fulfilment/orders-api.md"),
    ),
    (
        "web/synthetics.md",
        include_str!("../../assets/drills/playbooks/web/synthetics.md"),
    ),
];

pub fn playbook(path: &str) -> Option<&'static str> {
    PLAYBOOKS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}
