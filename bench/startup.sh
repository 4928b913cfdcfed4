#!/usr/bin/env bash
# Start-up benchmark: time from launching leadsync (no CRM configured, fresh data dir) to the first
# 200 on /q/health/ready, and the process's RSS (VmRSS) at that moment. Run from anywhere:
#
#   bash bench/startup.sh                 # 5 runs
#   RUNS=10 bash bench/startup.sh         # more runs
#   JAVA_OPTS="-Xmx256m" bash bench/startup.sh   # extra JVM options (default: none, JVM defaults)
#
# Baseline it is compared with (documented, not measured here): a bare Camel Quarkus app with 4 routes,
# JDK 17, this machine: first 200 on readiness after 2.6-2.8 s, RSS about 180 MiB.
# Goal: leadsync within 0.5 s and 30 MiB of it, i.e. <= 3.3 s and <= 210 MiB.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT" # leadsync reads ./routes/*.yaml

RUNS="${RUNS:-5}"
POLL_EVERY="${POLL_EVERY:-0.02}" # seconds between readiness probes
READY_TIMEOUT_S="${READY_TIMEOUT_S:-60}"
JAVA_OPTS="${JAVA_OPTS:-}"
BASELINE_MS_HI=2800
BASELINE_RSS_MIB=180
GOAL_MS=$((BASELINE_MS_HI + 500))
GOAL_RSS_MIB=$((BASELINE_RSS_MIB + 30))

WORK="$(mktemp -d /tmp/leadsync-startup.XXXXXX)"
APP_PID=""
cleanup() {
    stop_pid "$APP_PID"
    rm -rf "$WORK/quarkus-app" "$WORK"/data-*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"

echo "== leadsync start-up benchmark"
echo "   date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "   nproc:     $(nproc)"
echo "   java:      $(java -version 2>&1 | head -1)"
echo "   jar:       $JAR_REL (built $(date -u -r "$REPO_ROOT/$JAR_REL" '+%Y-%m-%d %H:%M:%S UTC'), run from a copy)"
echo "   git HEAD:  $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)"
echo "   JVM opts:  ${JAVA_OPTS:-(none)}"
echo "   runs:      $RUNS, readiness probed every ${POLL_EVERY}s with curl"
echo "   logs:      $WORK"
echo "   loadavg:   $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"
echo

MS_FILE="$WORK/ms.txt"
RSS_FILE="$WORK/rss.txt"
: >"$MS_FILE"
: >"$RSS_FILE"

for ((run = 1; run <= RUNS; run++)); do
    PORT="$(free_port)"
    DATA="$WORK/data-$run"
    LOG="$WORK/run-$run.log"
    mkdir -p "$DATA"
    # A clean environment: no LEADSYNC_* credential from the caller's shell can enable a CRM.
    # shellcheck disable=SC2086
    T0=$(date +%s%N)
    env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" \
        QUARKUS_HTTP_PORT="$PORT" LEADSYNC_DATA_DIR="$DATA" \
        java $JAVA_OPTS -jar "$JAR" >"$LOG" 2>&1 &
    APP_PID=$!
    URL="http://127.0.0.1:$PORT/q/health/ready"
    READY=""
    while true; do
        CODE="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$URL" || true)"
        if [[ "$CODE" == "200" ]]; then
            T1=$(date +%s%N)
            RSS_KIB="$(rss_kib "$APP_PID")"
            READY=1
            break
        fi
        if ! kill -0 "$APP_PID" 2>/dev/null; then
            break
        fi
        if (((($(date +%s%N) - T0) / 1000000) > READY_TIMEOUT_S * 1000)); then
            break
        fi
        sleep "$POLL_EVERY"
    done
    if [[ -z "$READY" ]]; then
        echo "--- last lines of $LOG:" >&2
        tail -30 "$LOG" >&2
        die "run $run: leadsync did not become ready within ${READY_TIMEOUT_S}s (or exited)"
    fi
    MS=$(((T1 - T0) / 1000000))
    RSS_MIB="$(awk -v k="$RSS_KIB" 'BEGIN { printf "%.1f", k / 1024 }')"
    SELF="$(grep -oE 'started in [0-9.]+s' "$LOG" | head -1 || true)"
    stop_pid "$APP_PID"
    APP_PID=""
    PROBLEMS="$(log_problems "$LOG" | wc -l)"
    printf 'run %d: ready after %5d ms   RSS %6.1f MiB   (Quarkus log: %s; WARN/ERROR lines: %d)\n' \
        "$run" "$MS" "$RSS_MIB" "${SELF:-n/a}" "$PROBLEMS"
    echo "$MS" >>"$MS_FILE"
    echo "$RSS_MIB" >>"$RSS_FILE"
    sleep 1
done

MED_MS="$(median <"$MS_FILE")"
MED_RSS="$(median <"$RSS_FILE")"
echo
echo "median: ready after $MED_MS ms, RSS $MED_RSS MiB   (min/max ms: $(sort -n "$MS_FILE" | head -1)/$(sort -n "$MS_FILE" | tail -1))"
echo "baseline (documented): 2600-2800 ms, ~${BASELINE_RSS_MIB} MiB; goal: <= ${GOAL_MS} ms and <= ${GOAL_RSS_MIB} MiB"
awk -v ms="$MED_MS" -v rss="$MED_RSS" -v gms="$GOAL_MS" -v grss="$GOAL_RSS_MIB" 'BEGIN {
    printf "time goal: %s (median %s ms vs <= %d ms)\n", (ms <= gms ? "MET" : "MISSED"), ms, gms
    printf "RSS goal:  %s (median %s MiB vs <= %d MiB)\n", (rss <= grss ? "MET" : "MISSED"), rss, grss
}'
if log_problems "$WORK/run-1.log" | grep -q .; then
    echo
    echo "WARN/ERROR lines in run 1's log:"
    log_problems "$WORK/run-1.log" | head -10
fi
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "logs kept in $WORK"
