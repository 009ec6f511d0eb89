//! Frame times: the demo at 160x48 (target under 2 ms) and 10,000 incidents (under 5 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use pagerdeck::testing::{bulk_state, demo_state};
use pagerdeck::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn frames(c: &mut Criterion) {
    let theme = Theme::load("dark", None).expect("built-in theme");
    let cases = [
        ("demo 160x48", demo_state(160, 48)),
        ("demo 80x24", demo_state(80, 24)),
        ("10k incidents 160x48", bulk_state(10_000, 160, 48)),
    ];
    for (name, state) in cases {
        let mut terminal =
            Terminal::new(TestBackend::new(state.size.0, state.size.1)).expect("test backend");
        c.bench_function(&format!("frame: {name}"), |b| {
            b.iter(|| {
                // A full redraw each time: clear so the diff cannot skip unchanged cells.
                terminal.clear().expect("clear");
                terminal
                    .draw(|frame| pagerdeck::ui::render(frame, &state, &theme))
                    .expect("draw");
            })
        });
    }
    c.bench_function("refresh: merge 10k incidents", |b| {
        let template = bulk_state(10_000, 160, 48);
        let incidents: Vec<_> = template.incidents.iter().map(|i| (**i).clone()).collect();
        let mut state = template;
        let mut generation = 100;
        // The batch is made outside the timing: the source task builds it, not the loop.
        b.iter_batched(
            || {
                generation += 1;
                let mut batch = incidents.clone();
                batch[generation as usize % 10_000].title.push('!');
                (generation, batch)
            },
            |(generation, batch)| {
                state.apply(
                    pagerdeck::event::Event::Incidents {
                        source: "demo".into(),
                        generation,
                        result: Ok(batch),
                        degraded: None,
                    },
                    pagerdeck::testing::frozen_now(),
                )
            },
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(60).measurement_time(std::time::Duration::from_secs(4));
    targets = frames
}
criterion_main!(benches);
