#!/usr/bin/env bash
# Steady-rate latency: POST /leads at a fixed RATE (200 updates/s) for DURATION (60 s), after WARMUP_S (10 s) at
# the same rate that is sent but not counted, to a fresh leadsync delivering to a fast fake Superfone
# (bench/fake-crm/FakeCrm.java) on 127.0.0.1. Run from anywhere:
#
#   bash bench/latency.sh
#   RATE=100 DURATION=20 bash bench/latency.sh     # a quick check that it all works
#   RATE=400 DURATION=120 bash bench/latency.sh
#
# Open loop: update i is sent at start + i / RATE whatever the earlier answers took (bench/delivery/
# DeliveryLoad.java steady, JDK HttpClient sendAsync), so a slow leadsync cannot lower the offered rate and
# hide its own slowness (coordinated omission). Once the fake has answered every upsert, the client reads each
# receipt (GET /leads/{id}) and reports, over the measured updates:
#   accept->delivered  receipt updatedAt - acceptedAt: p50 / p90 / p99 / max, against the goal p50 <= 20 ms,
#                      p99 <= 100 ms;
#   POST /leads        answer time from the update's *scheduled* send time: p50 / p99 / max;
#   achieved rate      sent/s, accepted/s (first measured send -> last measured 202), delivered/s (-> last
#                      measured updatedAt);
#   CPU and memory     leadsync's utime + stime from the first measured send to the fake's last upsert, per
#                      measured update, and its RSS then.
# Fails if a POST /leads fails, a receipt is not DELIVERED, or the fake saw a number of upserts or distinct
# phones other than RATE x (WARMUP_S + DURATION).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$BENCH_DIR/delivery/common.sh"
cd "$REPO_ROOT" # leadsync reads ./routes/*.yaml

RATE="${RATE:-200}"            # updates per second offered
DURATION="${DURATION:-60}"     # measured seconds
WARMUP_S="${WARMUP_S:-10}"     # seconds at RATE before them, not counted (JIT warm-up); 0 counts from the start
CONCURRENCY="${CONCURRENCY:-}" # leadsync's Superfone deliveries in parallel; empty: leadsync's default
HEAP_OPTS="${HEAP_OPTS:--Xmx256m -XX:+UseG1GC}"
APP_EXTRA_OPTS="${APP_EXTRA_OPTS:-}"
FAKE_OPTS="${FAKE_OPTS:--Xmx256m -XX:+UseSerialGC}"
CLIENT_OPTS="${CLIENT_OPTS:--Xmx256m -XX:+UseSerialGC}"
DATA_PARENT="${DATA_PARENT:-/tmp}"
TIMEOUT_S="${TIMEOUT_S:-120}" # after the schedule ends: for the last answers, deliveries and receipts
READY_TIMEOUT_S="${READY_TIMEOUT_S:-90}"
GOAL_P50_MS=20
GOAL_P99_MS=100

command -v curl >/dev/null || die "curl is needed"
[[ "$RATE" =~ ^[0-9]+$ && "$DURATION" =~ ^[0-9]+$ && "$WARMUP_S" =~ ^[0-9]+$ && "$RATE" -ge 1 && "$DURATION" -ge 1 ]] ||
    die "RATE and DURATION must be whole numbers >= 1, WARMUP_S >= 0"
[[ -z "$CONCURRENCY" || "$CONCURRENCY" =~ ^[0-9]+$ ]] || die "CONCURRENCY must be a whole number"
TOTAL=$((RATE * (WARMUP_S + DURATION)))
MEASURED=$((RATE * DURATION))
((TOTAL <= 100000)) || die "RATE x (WARMUP_S + DURATION) must be <= 100000 (phones are +9190000NNNNN)"

WORK="$(mktemp -d /tmp/leadsync-latency.XXXXXX)"
DATA_ROOT="$(mktemp -d "$DATA_PARENT/leadsync-latency-data.XXXXXX")"
APP_PID=""
FAKE_PID=""
cleanup() {
    stop_pid "$APP_PID"
    stop_pid "$FAKE_PID"
    rm -rf "$WORK/quarkus-app" "$DATA_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"
CLIENT="$BENCH_DIR/delivery/DeliveryLoad.java"

echo "== leadsync steady-rate latency"
print_build_header
echo "   leadsync:    java $HEAP_OPTS${APP_EXTRA_OPTS:+ $APP_EXTRA_OPTS} -Xlog:gc:file=<run>.gc.log -jar quarkus-run.jar"
echo "                LEADSYNC_SUPERFONE_CONCURRENCY=${CONCURRENCY:-(default)}, data dir under $DATA_PARENT"
echo "   FakeCrm:     FAKECRM_SUPERFONE_CATALOG=docs java $FAKE_OPTS bench/fake-crm/FakeCrm.java PORT 0 50"
echo "   client:      java $CLIENT_OPTS bench/delivery/DeliveryLoad.java steady (JDK HttpClient sendAsync, HTTP/1.1, open loop)"
echo "   schedule:    $RATE updates/s: $WARMUP_S s warm-up (not counted), then $DURATION s measured = $MEASURED updates ($TOTAL in all)"
echo "   logs:        $WORK"
echo "   loadavg:     $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"

name="steady-r$RATE"
start_fake "$name"
start_app "$name" "$CONCURRENCY"
out="$WORK/$name.out"
mkdir -p "$WORK/$name"
echo
echo "== $name: DeliveryLoad steady -> leadsync on $APP_PORT -> FakeCrm on $FAKE_PORT"
mark="$(gc_lines)"
rc=0
# shellcheck disable=SC2086
WATCH_PIDS="leadsync:$APP_PID fake:$FAKE_PID" timeout $((WARMUP_S + DURATION + TIMEOUT_S + 60)) java $CLIENT_OPTS "$CLIENT" \
    steady "http://127.0.0.1:$APP_PORT" "http://127.0.0.1:$FAKE_PORT" "$RATE" "$WARMUP_S" "$DURATION" "$WORK/$name" \
    "$TIMEOUT_S" >"$out" 2>&1 || rc=$?
if ((rc != 0)); then
    cat "$out" >&2
    tail -20 "$LOG" >&2
    die "[$name] the client failed (rc $rc)"
fi
requests="$(fake_stat superfone_lead_requests)"
ok="$(fake_stat superfone_lead_ok)"
distinct="$(fake_stat superfone_lead_distinct_phones)"
delivered="$(value receipts_delivered "$out")"
read -r -a heap <<<"$(gc_peaks "$GCLOG" "$mark")"
p50="$(value accept_to_delivered_ms_p50 "$out")"
p99="$(value accept_to_delivered_ms_p99 "$out")"
verdict() { # VALUE GOAL
    awk -v v="$1" -v g="$2" 'BEGIN { print (v + 0 <= g + 0 ? "MET" : "MISSED") }'
}

printf '   rate:       offered %s/s; achieved: sent %s/s, accepted %s/s, delivered %s/s (measured updates only)\n' \
    "$(value offered_per_s "$out")" "$(value sent_per_s "$out")" "$(value accepts_per_s "$out")" "$(value delivered_per_s "$out")"
printf '   client:     late sends p99 %s ms, max %s ms (scheduled -> actually sent; more than a few ms: the client itself could not keep the schedule)\n' \
    "$(value send_lag_ms_p99 "$out")" "$(value send_lag_ms_max "$out")"
printf '   POST /leads answer time (from the scheduled send): p50 %s ms, p99 %s ms, max %s ms\n' \
    "$(value post_leads_ms_p50 "$out")" "$(value post_leads_ms_p99 "$out")" "$(value post_leads_ms_max "$out")"
printf '   accept->delivered (receipts, updatedAt - acceptedAt): p50 %s ms, p90 %s ms, p99 %s ms, max %s ms\n' \
    "$p50" "$(value accept_to_delivered_ms_p90 "$out")" "$p99" "$(value accept_to_delivered_ms_max "$out")"
printf '   goal:       p50 <= %s ms: %s (%s); p99 <= %s ms: %s (%s)\n' "$GOAL_P50_MS" "$(verdict "$p50" "$GOAL_P50_MS")" "$p50" \
    "$GOAL_P99_MS" "$(verdict "$p99" "$GOAL_P99_MS")" "$p99"
echo "   per 10 s of the measured schedule, accept->delivered p50/p99/max ms: $(cat "$WORK/$name/slices.txt")"
printf '   receipts:   %s DELIVERED, %s dead letters, %s not final; fake: %s upserts (%s answered 200), %s distinct phones (warm-up included)\n' \
    "$delivered" "$(value receipts_dead_letter "$out")" "$(value receipts_not_final "$out")" "$requests" "$ok" "$distinct"
printf '   leadsync:   CPU %s s from the first measured send to the last upsert = %s ms per update; RSS then %s MiB\n' \
    "$(value cpu_leadsync_s "$out")" "$(value cpu_leadsync_ms_per_update "$out")" "$(value rss_leadsync_mib "$out")"
printf '   other CPU in that window: fake %s s, client %s s, everything else %s s; machine %s%% busy, %s%% iowait (of %s cores)\n' \
    "$(value cpu_fake_s "$out")" "$(value cpu_client_s "$out")" "$(value cpu_other_s "$out")" \
    "$(value machine_busy_pct "$out")" "$(value machine_iowait_pct "$out")" "$(nproc)"
echo "   heap ($HEAP_OPTS): peak heap-before-GC ${heap[2]} MiB during the run (${heap[4]} GCs); max heap-after-GC ${heap[3]} MiB"
log_summary "$LOG"
[[ "$delivered" == "$TOTAL" && "$requests" == "$TOTAL" && "$ok" == "$TOTAL" && "$distinct" == "$TOTAL" ]] ||
    die "[$name] expected $TOTAL DELIVERED receipts and $TOTAL upserts, all 200, with $TOTAL distinct phones"
stop_pid "$APP_PID"
APP_PID=""
stop_pid "$FAKE_PID"
FAKE_PID=""
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "logs kept in $WORK"
