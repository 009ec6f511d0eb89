//! Playbook rendering: a 1 MiB playbook parsed and laid out at width 80 (target < 20 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use pagerdeck::markdown::render;
use pagerdeck::providers::demo::DEMO_PLAYBOOKS;

/// About 1 MiB of real-looking playbook: the demo's playbooks, repeated.
fn big_playbook() -> String {
    let mut text = String::new();
    let mut round = 0;
    while text.len() < 1 << 20 {
        for (path, body) in DEMO_PLAYBOOKS {
            text.push_str(&format!("\n# Part {round}: {path}\n\n"));
            text.push_str(body.split("+++").nth(2).unwrap_or(body));
        }
        round += 1;
    }
    text
}

fn markdown(c: &mut Criterion) {
    let text = big_playbook();
    c.bench_function("markdown: 1 MiB playbook, parse only", |b| {
        b.iter(|| pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()).count())
    });
    // Parse + layout, the figure the target is about; freeing the result is timed apart.
    c.bench_function("markdown: 1 MiB playbook at width 80", |b| {
        b.iter_with_large_drop(|| render(&text, 80))
    });
    c.bench_function("markdown: 1 MiB playbook at width 40", |b| {
        b.iter_with_large_drop(|| render(&text, 40))
    });
    let parsed = pagerdeck::markdown::Document::parse(&text);
    c.bench_function(
        "markdown: 1 MiB playbook, re-layout at width 100 (parsed once)",
        |b| b.iter_with_large_drop(|| parsed.layout(100)),
    );
    c.bench_function(
        "markdown: 1 MiB playbook at width 80, freeing included",
        |b| b.iter(|| render(&text, 80)),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = markdown
}
criterion_main!(benches);
