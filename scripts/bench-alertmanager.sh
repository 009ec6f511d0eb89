#!/usr/bin/env bash
# 10,000 alerts on a real Alertmanager: `pagerdeck incidents --json` against
# `amtool alert query -o json`, run side by side, median of 5 each, and pagerdeck's peak
# memory. Target (issue 4): pagerdeck at most half amtool's time, under 80 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

need_deb prometheus-alertmanager prometheus-alertmanager
need_deb amtool prometheus-alertmanager
need_deb curl curl
[ -x /usr/bin/time ] || need_deb /usr/bin/time time

ALERTS=${ALERTS:-10000}
ROUNDS=${ROUNDS:-5}
cargo build --locked --release -q
binary=$(realpath target/release/pagerdeck)
work=$(mktemp -d)
am_pid=""
trap '[ -n "$am_pid" ] && kill "$am_pid" 2>/dev/null; rm -rf "$work"' EXIT

# A free loopback port: the first one nothing answers on.
port=19093
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
url="http://127.0.0.1:$port"
printf 'route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n' > "$work/am.yml"
prometheus-alertmanager --config.file="$work/am.yml" --storage.path="$work/am-data" \
    --web.listen-address="127.0.0.1:$port" --cluster.listen-address= >"$work/am.log" 2>&1 &
am_pid=$!
for _ in $(seq 200); do curl -sf "$url/-/ready" >/dev/null && break; sleep 0.1; done
curl -sf "$url/-/ready" >/dev/null || { echo "Alertmanager did not start:"; cat "$work/am.log"; exit 1; } >&2

# 100 alert names x 1,000 services: 1,000 incidents of 10 alerts each (default grouping).
starts=$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:%SZ)
ends=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
awk -v n="$ALERTS" -v starts="$starts" -v ends="$ends" 'BEGIN {
    printf "["
    for (i = 0; i < n; i++) {
        printf "%s{\"labels\":{\"alertname\":\"Alert%d\",\"service\":\"svc-%d\",\"instance\":\"host-%d:9100\",\"severity\":\"%s\",\"team\":\"team-%d\"},", (i ? "," : ""), i % 100, i % 1000, i, (i % 7 ? "warning" : "critical"), i % 20
        printf "\"annotations\":{\"summary\":\"svc-%d is unhappy on host-%d\",\"runbook_url\":\"https://example.com/runbooks/alert%d.md\"},", i % 1000, i, i % 100
        printf "\"startsAt\":\"%s\",\"endsAt\":\"%s\",\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=up%%3D%%3D0\"}", starts, ends
    }
    printf "]"
}' > "$work/alerts.json"
curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$work/alerts.json" "$url/api/v2/alerts" >/dev/null
count() { amtool alert query -o json --alertmanager.url="$url" | grep -o '"fingerprint"' | wc -l; }
for _ in $(seq 100); do [ "$(count)" -ge "$ALERTS" ] && break; sleep 0.2; done
echo "Alertmanager $(prometheus-alertmanager --version 2>&1 | head -1 | awk '{print $3}') on $url holds $(count) alerts"

config() { # config FILE GROUP_BY
    printf '[[sources]]\nname = "bench"\nkind = "alertmanager"\nurls = ["%s"]\ntimeout = "30s"\ngroup_by = %s\n' "$url" "$2" > "$1"
}
config "$work/grouped.toml" '["alertname", "service"]'
config "$work/each.toml" '["alertname", "instance"]'

# run NAME COMMAND...: wall time in ms and peak RSS in KiB, appended to $work/NAME
run() {
    local name=$1; shift
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$@" > "$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 )) $(cat "$work/rss")" >> "$work/$name"
}
export XDG_CONFIG_HOME="$work/none" PAGERDECK_DATA_DIR="$work/data"
run warmup "$binary" --config "$work/grouped.toml" incidents --json
incidents=$(grep -c '"key"' "$work/out")
run warmup amtool alert query -o json --alertmanager.url="$url"
run warmup "$binary" --config "$work/each.toml" incidents --json
each=$(grep -c '"key"' "$work/out")
for _ in $(seq "$ROUNDS"); do
    run pagerdeck "$binary" --config "$work/grouped.toml" incidents --json
    run amtool amtool alert query -o json --alertmanager.url="$url"
    run each "$binary" --config "$work/each.toml" incidents --json
done

median() { sort -n -k"$2" "$work/$1" | awk -v k="$2" '{v[NR]=$k} END {print v[int((NR+1)/2)]}'; }
peak() { sort -n -k2 "$work/$1" | tail -1 | awk '{print $2}'; }
p=$(median pagerdeck 1); a=$(median amtool 1); e=$(median each 1)
echo "== $ALERTS alerts, median of $ROUNDS runs side by side"
printf 'pagerdeck incidents --json (%d incidents):      %5d ms, peak RSS %d MiB\n' "$incidents" "$p" $(( $(peak pagerdeck) / 1024 ))
printf 'pagerdeck incidents --json (%d incidents):     %5d ms, peak RSS %d MiB\n' "$each" "$e" $(( $(peak each) / 1024 ))
printf 'amtool alert query -o json:                     %5d ms, peak RSS %d MiB\n' "$a" $(( $(peak amtool) / 1024 ))
awk -v p="$p" -v a="$a" 'BEGIN {printf "pagerdeck / amtool: %.2f (target at most 0.50)\n", p / a}'
