#!/usr/bin/env bash
# Poll benchmark: leadsync walking 10,000 stages of a fake Superfone (page numbers) and a fake Truto
# (cursors) served by bench/fake-crm/FakeCrm.java on 127.0.0.1. Run from anywhere:
#
#   bash bench/poll.sh
#   POLLS=10 HEAP_OPTS="-Xmx128m -XX:+UseG1GC" bash bench/poll.sh
#
# Three leadsync runs, each a fresh JVM with a fresh data dir, GC logging and the same heap cap:
#   main      FakeCrm 10,000 stages, page size cap 50: Superfone (200 pages) and Truto (200 cursors);
#             POLLS x POST /stages/refresh?source=superfone, then POLLS x ?source=truto:bench.
#   sf-200    Superfone only, page size 50  -> 200 pages, POLLS polls (heap vs. number of pages)
#   sf-20     Superfone only, page size 500 ->  20 pages, POLLS polls (same 10,000 stages)
# Every poll must answer 200 with status OK and stageCount 10000, and the fake must have served exactly
# one request per page; anything else fails the script.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT" # leadsync reads ./routes/*.yaml

STAGES="${STAGES:-10000}"
POLLS="${POLLS:-5}"
HEAP_OPTS="${HEAP_OPTS:--Xmx256m -XX:+UseG1GC}"
FAKE_OPTS="${FAKE_OPTS:--Xmx256m -XX:+UseSerialGC}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-90}"
GOAL_POLL_MS=2000

command -v curl >/dev/null || die "curl is needed"

WORK="$(mktemp -d /tmp/leadsync-poll.XXXXXX)"
APP_PID=""
FAKE_PID=""
cleanup() {
    stop_pid "$APP_PID"
    stop_pid "$FAKE_PID"
    rm -rf "$WORK/quarkus-app" "$WORK"/data-*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"

echo "== leadsync poll benchmark"
echo "   date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "   nproc:      $(nproc)"
echo "   java:       $(java -version 2>&1 | head -1)"
echo "   jar:        $JAR_REL (built $(date -u -r "$REPO_ROOT/$JAR_REL" '+%Y-%m-%d %H:%M:%S UTC'), run from a copy)"
echo "   git HEAD:   $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)"
echo "   leadsync:   java $HEAP_OPTS -Xlog:gc:file=<run>.gc.log -jar quarkus-run.jar"
echo "   FakeCrm:    java $FAKE_OPTS bench/fake-crm/FakeCrm.java PORT $STAGES PAGE_SIZE"
echo "   stages:     $STAGES; polls per source per run: $POLLS"
echo "   logs:       $WORK"
echo "   loadavg:    $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"

# ---- processes -----------------------------------------------------------------------------------------

start_fake() { # PAGE_SIZE
    stop_pid "$FAKE_PID"
    FAKE_PORT="$(free_port)"
    # shellcheck disable=SC2086
    java $FAKE_OPTS "$BENCH_DIR/fake-crm/FakeCrm.java" "$FAKE_PORT" "$STAGES" "$1" >"$WORK/fake-crm-$1.log" 2>&1 &
    FAKE_PID=$!
    wait_http_200 "http://127.0.0.1:$FAKE_PORT/health" 0.1 60 "$FAKE_PID" || {
        cat "$WORK/fake-crm-$1.log" >&2
        die "FakeCrm did not start"
    }
}

fake_requests() { # superfone|truto
    curl -s "http://127.0.0.1:$FAKE_PORT/stats" | awk -v k="$1_requests" '$1 == k { print $2 }'
}

start_app() { # RUN_NAME then NAME=VALUE... (extra environment)
    local name="$1"
    shift
    stop_pid "$APP_PID"
    APP_PORT="$(free_port)"
    RUN="$name"
    LOG="$WORK/$name.log"
    GCLOG="$WORK/$name.gc.log"
    mkdir -p "$WORK/data-$name"
    local t0
    t0=$(now_ms)
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" \
        QUARKUS_HTTP_PORT="$APP_PORT" \
        LEADSYNC_DATA_DIR="$WORK/data-$name" \
        LEADSYNC_STAGES_POLL_INTERVAL=1h LEADSYNC_STAGES_INITIAL_DELAY=1h \
        LEADSYNC_STAGES_CHANGES_URI='log:bench?level=DEBUG' \
        "$@" \
        java $HEAP_OPTS "-Xlog:gc:file=$GCLOG:uptime,level,tags" -jar "$JAR" >"$LOG" 2>&1 &
    APP_PID=$!
    local rc=0
    wait_http_200 "http://127.0.0.1:$APP_PORT/q/health/ready" 0.05 "$READY_TIMEOUT_S" "$APP_PID" || rc=$?
    if ((rc != 0)); then
        tail -40 "$LOG" >&2
        die "[$name] leadsync did not become ready (rc $rc)"
    fi
    echo
    echo "== run '$name': leadsync ready after $(($(now_ms) - t0)) ms on port $APP_PORT (FakeCrm on $FAKE_PORT)"
}

superfone_env() { # PAGE_SIZE
    echo "LEADSYNC_SUPERFONE_BASE_URL=http://127.0.0.1:$FAKE_PORT/superfone" \
        "LEADSYNC_SUPERFONE_API_KEY=k" "LEADSYNC_SUPERFONE_PAGE_SIZE=$1"
}

truto_env() { # PAGE_SIZE
    echo "LEADSYNC_TRUTO_BASE_URL=http://127.0.0.1:$FAKE_PORT/truto" "LEADSYNC_TRUTO_TOKEN=t" \
        "LEADSYNC_TRUTO_INTEGRATED_ACCOUNT_IDS=bench" "LEADSYNC_TRUTO_PAGE_SIZE=$1"
}

# ---- one poll --------------------------------------------------------------------------------------------

# poll SOURCE CRM EXPECTED_REQUESTS N -> prints one line, appends ms to $WORK/$RUN.$CRM.ms (N > 1)
poll() {
    local source="$1" crm="$2" expected="$3" n="$4"
    local before after out code secs ms body status count changes
    before="$(fake_requests "$crm")"
    body="$WORK/$RUN.$crm.$n.json"
    out="$(curl -s -o "$body" -w '%{http_code} %{time_total}' --max-time 300 -X POST \
        "http://127.0.0.1:$APP_PORT/stages/refresh?source=$source")" || die "[$RUN] POST refresh $source: curl failed"
    after="$(fake_requests "$crm")"
    code="${out%% *}"
    secs="${out##* }"
    ms="$(awk -v s="$secs" 'BEGIN { printf "%.0f", s * 1000 }')"
    status="$(grep -oE '"status":"[A-Z]+"' "$body" | head -1 | cut -d'"' -f4 || true)"
    count="$(grep -oE '"stageCount":[0-9]+' "$body" | head -1 | cut -d: -f2 || true)"
    changes="$(grep -E "Polled ${source}: " "$LOG" | tail -1 | grep -oE '[0-9]+ changes' || echo '? changes')"
    printf '   %-12s poll %d: %6d ms  HTTP %s  status %s  stageCount %s  CRM requests %d  (%s)\n' \
        "$source" "$n" "$ms" "$code" "${status:-?}" "${count:-?}" "$((after - before))" "$changes"
    if [[ "$code" != "200" || "$status" != "OK" || "$count" != "$STAGES" ]]; then
        echo "--- answer:" >&2
        cat "$body" >&2
        echo >&2
        die "[$RUN] poll $n of $source: expected HTTP 200, status OK, stageCount $STAGES"
    fi
    if ((after - before != expected)); then
        die "[$RUN] poll $n of $source: the fake CRM served $((after - before)) requests, expected $expected"
    fi
    if ((n == 1)); then
        echo "$ms" >"$WORK/$RUN.$crm.first"
    else
        echo "$ms" >>"$WORK/$RUN.$crm.ms"
    fi
}

poll_source() { # SOURCE CRM EXPECTED_REQUESTS
    local i
    : >"$WORK/$RUN.$2.ms"
    for ((i = 1; i <= POLLS; i++)); do
        poll "$1" "$2" "$3" "$i"
    done
    local first med
    first="$(cat "$WORK/$RUN.$2.first")"
    med="$(median <"$WORK/$RUN.$2.ms")"
    printf '   %-12s first poll %s ms; median of polls 2..%d: %s ms (values: %s)\n' "$1" "$first" "$POLLS" "$med" \
        "$(paste -sd' ' "$WORK/$RUN.$2.ms")"
    echo "$RUN $1 $first $med" >>"$WORK/summary.poll"
}

# ---- heap, from the GC log --------------------------------------------------------------------------------

gc_lines() { # GC log lines
    wc -l <"$GCLOG" | tr -d ' '
}


# Forces a full GC through jcmd and prints the heap left after it (MiB), or n/a.
retained_after_full_gc() {
    local before
    before="$(gc_lines)"
    if ! command -v jcmd >/dev/null || ! jcmd "$APP_PID" GC.run >/dev/null 2>&1; then
        echo "n/a"
        return
    fi
    sleep 0.5
    tail -n +"$((before + 1))" "$GCLOG" | grep -E 'Pause Full \((System.gc\(\)|Diagnostic Command)\)' | tail -1 |
        grep -oE '[0-9]+[KMG]->[0-9]+[KMG]' | sed -E 's/.*->//; s/M$/ MiB/' || echo "n/a"
}

report_heap() { # MARK (GC log lines before the polls)
    local s retained
    read -r -a s <<<"$(gc_peaks "$GCLOG" "$1")"
    retained="$(retained_after_full_gc)"
    echo "   heap ($HEAP_OPTS): peak heap-before-GC ${s[2]} MiB during the polls (${s[4]} GCs), ${s[0]} MiB over the whole run;"
    echo "        max heap-after-GC ${s[3]} MiB during the polls; heap after a forced full GC at the end: $retained"
    echo "$RUN ${s[2]} ${s[0]} ${s[3]} ${s[4]} $retained" >>"$WORK/summary.heap"
}

report_log() {
    local n
    n="$(log_problems "$LOG" | wc -l)"
    echo "   leadsync log: $n WARN/ERROR lines ($LOG)"
    if ((n > 0)); then
        log_problems "$LOG" | cut -c1-300 | sort | uniq -c | sort -rn | head -5 | sed 's/^/     /'
    fi
}

: >"$WORK/summary.poll"
: >"$WORK/summary.heap"

# ---- run 'main': Superfone + Truto, 200 pages / 200 cursors ----------------------------------------------
PAGES_50=$(((STAGES + 49) / 50))
PAGES_500=$(((STAGES + 499) / 500))

start_fake 50
# shellcheck disable=SC2046
start_app main $(superfone_env 50) $(truto_env 50)
MARK="$(gc_lines)"
poll_source superfone superfone "$PAGES_50"
poll_source truto:bench truto "$PAGES_50"
T0=$(date +%s%N)
curl -s --max-time 60 -o "$WORK/stages.json" "http://127.0.0.1:$APP_PORT/stages"
LIST_MS=$((($(date +%s%N) - T0) / 1000000))
if command -v jq >/dev/null; then
    LISTED="$(jq '[.stages[] | select(.source == "superfone" or .source == "truto:bench")] | length' "$WORK/stages.json")"
else # relies on the Stage record's field order (source, id, ...)
    LISTED="$(grep -oE '"source":"(superfone|truto:bench)","id"' "$WORK/stages.json" | wc -l)"
fi
echo "   GET /stages: $LISTED stages listed in $LIST_MS ms (expected $((2 * STAGES)))"
((LISTED == 2 * STAGES)) || die "[main] GET /stages listed $LISTED stages, expected $((2 * STAGES))"
report_heap "$MARK"
report_log
stop_pid "$APP_PID"
APP_PID=""

# ---- heap vs. number of pages: Superfone only, 200 pages then 20 pages ---------------------------------------
# shellcheck disable=SC2046
start_app sf-200 $(superfone_env 50)
MARK="$(gc_lines)"
poll_source superfone superfone "$PAGES_50"
report_heap "$MARK"
report_log
stop_pid "$APP_PID"
APP_PID=""

start_fake 500
# shellcheck disable=SC2046
start_app sf-20 $(superfone_env 500)
MARK="$(gc_lines)"
poll_source superfone superfone "$PAGES_500"
report_heap "$MARK"
report_log
stop_pid "$APP_PID"
APP_PID=""

# ---- summary ---------------------------------------------------------------------------------------------------
echo
echo "== summary (wall time of POST /stages/refresh, curl time_total; $STAGES stages per poll)"
printf '   %-8s %-12s %10s %18s\n' run source "first ms" "median 2..$POLLS ms"
while read -r run source first med; do
    printf '   %-8s %-12s %10s %18s\n' "$run" "$source" "$first" "$med"
done <"$WORK/summary.poll"
awk -v g="$GOAL_POLL_MS" '{ if ($3 > g || $4 > g) bad = bad " " $1 "/" $2 } END {
    if (bad == "") printf "   goal (every full poll < %d ms): MET\n", g
    else printf "   goal (every full poll < %d ms): MISSED by:%s\n", g, bad }' "$WORK/summary.poll"
echo
echo "== heap (MiB; from -Xlog:gc)"
printf '   %-8s %22s %18s %22s %6s %16s\n' run "peak before-GC, polls" "peak, whole run" "max after-GC, polls" GCs "after full GC"
while read -r run qb pb qa n ret; do
    printf '   %-8s %22s %18s %22s %6s %16s\n' "$run" "$qb" "$pb" "$qa" "$n" "$ret"
done <"$WORK/summary.heap"
echo "   (sf-200 = 200 pages of 50, sf-20 = 20 pages of 500; same $STAGES stages, same $POLLS polls)"
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "logs kept in $WORK"
