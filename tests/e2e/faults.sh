#!/usr/bin/env bash
# End to end: a real Alertmanager killed (SIGKILL) while pagerdeck runs beside the demo
# source, then started again on the same port and storage, at 120x40 and at 80x24. While
# it is down the status bar says it is failing and how old its last good data is, its
# alert stays listed under a warning, the demo stays live and keys still act; once it is
# back the source is live again with its alert, no key pressed. A loop stands in for
# Prometheus, which sends its firing alerts again every few seconds: Alertmanager keeps
# alerts in memory only, so a restarted one has them again only once they are re-sent.
set -uo pipefail
binary=$(realpath "${1:-target/release/pagerdeck}")
[ -x "$binary" ] || { echo "no binary at $binary: cargo build --release first" >&2; exit 1; }
for tool in tmux prometheus-alertmanager curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/test.sh installs it" >&2; exit 1; }
done

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

am_pid="" sender_pid=""
stop_servers() {
    for pid in $sender_pid $am_pid; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    am_pid="" sender_pid=""
}
trap 'stop_servers; tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$work"' EXIT

ALERT="inventory-sync stuck: no run for 20m"
SHOWN="inventory-sync stuck" # what of the title fits in the list at 80 columns

# The status bar: the screen's last line.
status_bar() { screen | tail -1; }
status_matches() { status_bar | grep -qE -- "$1"; }
# wait_status REGEX [SECONDS]: until the status bar matches REGEX.
wait_status() {
    local deadline=$((SECONDS + ${2:-10}))
    while [ $SECONDS -lt $deadline ]; do
        status_matches "$1" && return 0
        sleep 0.1
    done
    echo "    the status bar never matched /$1/:" >&2
    screen | sed 's/^/    | /' >&2
    return 1
}

# selected: the key of the incident the summary under the list shows.
selected() { screen | grep -oE '(demo|prod):[A-Za-z0-9/_-]+' | head -1; }
# wait_selected KEY: until the selected incident is KEY; wait_moved KEY: until it is not.
wait_selected() {
    for _ in $(seq 30); do [ "$(selected)" = "$1" ] && return 0; sleep 0.1; done
    echo "    the selection is $(selected), not $1" >&2
    return 1
}
wait_moved() {
    local now
    for _ in $(seq 30); do
        now=$(selected)
        [ -n "$now" ] && [ "$now" != "$1" ] && return 0
        sleep 0.1
    done
    echo "    the selection stayed on $1" >&2
    return 1
}

run_at() {
    local width=$1 height=$2
    local home="$work/$width" && mkdir -p "$home/data" "$home/config"
    echo "a real Alertmanager killed and restarted, beside the demo, at ${width}x${height}:"
    local port
    port=$(free_port)
    alertmanager_up "$home" "$port" || return 1
    # Prometheus's part: the firing alert, sent again every second.
    local alert='[{"labels": {"alertname": "InventorySyncStuck", "service": "inventory-sync", "severity": "critical"},
        "annotations": {"summary": "'"$ALERT"'"}}]'
    while :; do
        curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
            "http://127.0.0.1:$port/api/v2/alerts" -d "$alert"
        sleep 1
    done &
    sender_pid=$!
    cat > "$home/config.toml" <<CONFIG
[me]
name = "Ana Ops"

[[sources]]
name = "demo"
kind = "demo"

[[sources]]
name = "prod"
kind = "alertmanager"
urls = ["http://127.0.0.1:$port"]
poll_interval = "1s"
timeout = "1s"
CONFIG
    tmux -L "$socket" -f /dev/null new-session -d -s e2e -x "$width" -y "$height" \
        "env -u NO_COLOR TERM=xterm-256color XDG_CONFIG_HOME=$home/config PAGERDECK_CONFIG=$home/config.toml PAGERDECK_DATA_DIR=$home/data '$binary'; sleep 30"
    check "(setup) the Alertmanager alert is listed" wait_for "$SHOWN" 30
    check "(setup) both sources are live" wait_status "demo ● live.*prod ● live" 15

    kill -KILL "$am_pid"
    wait "$am_pid" 2>/dev/null
    am_pid=""
    check "killed: the status bar says prod is failing, in words" \
        wait_status "prod ✖ failing: .*(cannot|refused)" 20
    check "and how old its last good data is" wait_status "prod ✖ .*last good [0-9]+s ago" 5
    check "its alert stays listed" wait_for "$SHOWN" 1
    check "under a warning with the age of the data" wait_for_re "⚠ prod data [0-9]+s old" 1
    check "the demo source is still live" wait_status "demo ● live" 1
    check "its incidents are still listed" wait_for "ledger-worker con" 1
    local first
    first=$(selected)
    check "(setup) an incident is selected" test -n "$first"
    keys j
    check "j moves the selection while prod is down" wait_moved "$first"
    keys k
    check "k moves it back" wait_selected "$first"
    keys '?'
    check "? opens the help while prod is down" wait_for "Keys · Esc closes" 2
    escape
    check "Esc closes it" wait_gone "Keys · Esc closes" 2
    check "prod is still failing (not hidden by the keys)" wait_status "prod ✖ failing" 1

    alertmanager_up "$home" "$port" || return 1
    check "restarted on the same port and storage: prod is live again by itself" \
        wait_status "demo ● live.*prod ● live" 60
    check "the warning over the list is gone" wait_gone "⚠ prod" 5
    check "its alert is listed again, from the restarted server (once re-sent)" wait_for "$SHOWN" 15

    tmux -L "$socket" send-keys -t e2e q
    tmux -L "$socket" kill-server 2>/dev/null
    stop_servers
    # The tmux server releases its socket before the next size starts one.
    for _ in $(seq 50); do tmux -L "$socket" has-session 2>/dev/null || break; sleep 0.1; done
    sleep 0.3
}

run_at 120 40
run_at 80 24
echo "faults e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
