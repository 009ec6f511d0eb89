#!/usr/bin/env bash
# Every check pagerdeck has, in the order CI runs them. Installs the test servers it needs
# when they are missing (Debian: tmux, curl, prometheus, prometheus-alertmanager; npm: Prism).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }

# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PRISM_VERSION=5.14.2 # the newest Prism that runs on Node 20
need_prism() {
    if command -v prism >/dev/null && prism --version 2>/dev/null | grep -q "$PRISM_VERSION"; then return 0; fi
    need_deb npm npm
    say "installing @stoplight/prism-cli@$PRISM_VERSION"
    as_root npm install -g --silent --no-audit --no-fund "@stoplight/prism-cli@$PRISM_VERSION" >/dev/null
    command -v prism >/dev/null || { echo "could not install Prism: npm install -g @stoplight/prism-cli@$PRISM_VERSION" >&2; exit 1; }
}

say "test servers and tools"
need_deb tmux tmux
need_deb curl curl
need_deb prometheus prometheus
need_deb prometheus-alertmanager prometheus-alertmanager
need_prism
echo "tmux $(tmux -V | cut -d' ' -f2), $(prometheus --version 2>&1 | head -1), prism $(prism --version)"

say "cargo fmt --check"
cargo fmt --check

say "cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets -- -D warnings

say "cargo test"
cargo test --locked

say "end to end in tmux (release build)"
cargo build --locked --release
tests/e2e/tmux.sh target/release/pagerdeck
tests/e2e/escalate.sh target/release/pagerdeck
tests/e2e/mixed.sh target/release/pagerdeck
tests/e2e/signals.sh target/release/pagerdeck
tests/e2e/resume.sh target/release/pagerdeck
tests/e2e/not_actionable.sh target/release/pagerdeck
tests/e2e/faults.sh target/release/pagerdeck
tests/e2e/drill.sh target/release/pagerdeck

say "fuzz: each target ${FUZZ_SECONDS:-30}s (scripts/fuzz.sh)"
scripts/fuzz.sh
