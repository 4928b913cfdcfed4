#!/usr/bin/env bash
# Delivery benchmark: UPDATES (20,000) lead updates through leadsync's POST /leads to a fast fake Superfone
# (bench/fake-crm/FakeCrm.java) on 127.0.0.1, against a plain java.net.http.HttpClient sending the same
# UPDATES upserts straight to the same fake at the same concurrency (the ceiling). Run from anywhere:
#
#   bash bench/delivery.sh
#   CONCURRENCIES=16 RUNS=3 bash bench/delivery.sh
#   THREAD_DUMPS=10 CONCURRENCIES=4 bash bench/delivery.sh        # + jcmd Thread.print samples, summarised
#   DATA_PARENT=/dev/shm CONCURRENCIES=4 bash bench/delivery.sh   # leadsync's data dir on tmpfs (fsync ~free)
#   JFR=1 PERF_SECONDS=10 CONCURRENCIES=16 bash bench/delivery.sh  # + fsync/lock times (JFR), kernel time (perf)
#
# For every concurrency C in CONCURRENCIES (and every one of RUNS rounds):
#   ceiling   fresh FakeCrm; bench/delivery/DeliveryLoad.java sends UPDATES x POST /enterprise/api/lead, C at
#             a time; updates/s = UPDATES / (first send -> last answer).
#   leadsync  fresh FakeCrm and a fresh leadsync (fresh data dir, C deliveries in parallel, GC log);
#             once GET /stages shows superfone OK, the client posts UPDATES x POST /leads, C at a time, then
#             waits until the fake has answered UPDATES upserts and every receipt is DELIVERED;
#             updates/s = UPDATES / (first POST -> the latest receipt's updatedAt); latency = each receipt's
#             acceptedAt -> updatedAt.
# Fails if a POST /leads fails, a receipt is not DELIVERED, or the fake saw a number of upserts or distinct
# phones other than expected (a ceiling request the fake answered but the client saw fail is only reported).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT" # leadsync reads ./routes/*.yaml

UPDATES="${UPDATES:-20000}"
WARMUP="${WARMUP:-0}" # unmeasured updates sent (and delivered) first, on the same client and JVMs
CONCURRENCIES="${CONCURRENCIES:-4 16}"
RUNS="${RUNS:-1}"
HEAP_OPTS="${HEAP_OPTS:--Xmx256m -XX:+UseG1GC}"
APP_EXTRA_OPTS="${APP_EXTRA_OPTS:-}"
FAKE_OPTS="${FAKE_OPTS:--Xmx256m -XX:+UseSerialGC}"
CLIENT_OPTS="${CLIENT_OPTS:--Xmx256m -XX:+UseSerialGC}"
POLL_DELAY_MS="${POLL_DELAY_MS:-}" # empty: leadsync's default (leadsync.delivery.poll-delay-ms)
DATA_PARENT="${DATA_PARENT:-/tmp}"
TIMEOUT_S="${TIMEOUT_S:-600}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-90}"
THREAD_DUMPS="${THREAD_DUMPS:-0}"
DUMP_EVERY_S="${DUMP_EVERY_S:-1}"
JFR="${JFR:-0}"                   # 1: JFR recording of leadsync (fsyncs and monitor waits at threshold 0 ms)
PERF_SECONDS="${PERF_SECONDS:-0}" # > 0: perf record (cpu-clock, kernel stacks) of leadsync for that long
PERF_DELAY_S="${PERF_DELAY_S:-8}" # ... starting that long after the client starts
GOAL_RATIO=0.8

command -v curl >/dev/null || die "curl is needed"
((THREAD_DUMPS == 0)) || command -v jcmd >/dev/null || die "THREAD_DUMPS needs jcmd"
((JFR == 0)) || command -v jfr >/dev/null || die "JFR=1 needs the jfr tool (from the JDK)"
((PERF_SECONDS == 0)) || command -v perf >/dev/null || die "PERF_SECONDS needs perf"
[[ "$UPDATES" =~ ^[0-9]+$ && "$WARMUP" =~ ^[0-9]+$ && "$UPDATES" -ge 1 && $((UPDATES + WARMUP)) -le 100000 ]] ||
    die "UPDATES must be >= 1 and UPDATES + WARMUP <= 100000 (phones are +9190000NNNNN)"
TOTAL=$((UPDATES + WARMUP))

WORK="$(mktemp -d /tmp/leadsync-delivery.XXXXXX)"
DATA_ROOT="$(mktemp -d "$DATA_PARENT/leadsync-delivery-data.XXXXXX")"
APP_PID=""
FAKE_PID=""
DUMPER_PID=""
PERF_PID=""
cleanup() {
    local p
    for p in "$DUMPER_PID" "$PERF_PID"; do
        if [[ -n "$p" ]]; then
            kill "$p" 2>/dev/null || true
            wait "$p" 2>/dev/null || true
        fi
    done
    stop_pid "$APP_PID"
    stop_pid "$FAKE_PID"
    rm -rf "$WORK/quarkus-app" "$DATA_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"
CLIENT="$BENCH_DIR/delivery/DeliveryLoad.java"

# JFR settings: the JDK's default.jfc, with jdk.FileForce and jdk.JavaMonitorEnter recorded at any duration.
if ((JFR != 0)); then
    JAVA_HOME_DIR="$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/^ *java.home = / { print $2 }')"
    [[ -f "$JAVA_HOME_DIR/lib/jfr/default.jfc" ]] || die "no $JAVA_HOME_DIR/lib/jfr/default.jfc"
    awk '/<event name="/ { ev = $0; sub(/.*<event name="/, "", ev); sub(/".*/, "", ev) }
        (ev == "jdk.FileForce" || ev == "jdk.JavaMonitorEnter") && /<setting name="threshold"/ { sub(/>[^<]*</, ">0 ms<") }
        { print }' "$JAVA_HOME_DIR/lib/jfr/default.jfc" >"$WORK/bench.jfc"
fi

echo "== leadsync delivery benchmark"
echo "   date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "   nproc:       $(nproc)"
echo "   java:        $(java -version 2>&1 | head -1)"
echo "   jar:         $JAR_REL (built $(date -u -r "$REPO_ROOT/$JAR_REL" '+%Y-%m-%d %H:%M:%S UTC'), run from a copy)"
echo "   git HEAD:    $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)$(git -C "$REPO_ROOT" diff --quiet HEAD -- src routes application.properties pom.xml 2>/dev/null || echo ' (+ uncommitted changes under src/ routes/ or the build files)')"
echo "   leadsync:    java $HEAP_OPTS${APP_EXTRA_OPTS:+ $APP_EXTRA_OPTS} -Xlog:gc:file=<run>.gc.log$( ((JFR == 0)) || echo " -XX:StartFlightRecording=…") -jar quarkus-run.jar"
echo "                LEADSYNC_SUPERFONE_CONCURRENCY=C (and the older LEADSYNC_DELIVERY_CONCURRENCY=C), LEADSYNC_DELIVERY_POLL_DELAY_MS=${POLL_DELAY_MS:-(default)}, data dir under $DATA_PARENT"
echo "   FakeCrm:     FAKECRM_SUPERFONE_CATALOG=docs java $FAKE_OPTS bench/fake-crm/FakeCrm.java PORT 0 50"
echo "   client:      java $CLIENT_OPTS bench/delivery/DeliveryLoad.java (JDK HttpClient, HTTP/1.1, C threads)"
echo "   updates:     $UPDATES per run$( ((WARMUP == 0)) || echo ", after $WARMUP unmeasured warm-up updates"); concurrencies: $CONCURRENCIES; rounds: $RUNS"
echo "   logs:        $WORK"
echo "   loadavg:     $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"

# ---- processes -----------------------------------------------------------------------------------------

start_fake() { # NAME
    stop_pid "$FAKE_PID"
    FAKE_PORT="$(free_port)"
    # shellcheck disable=SC2086
    FAKECRM_SUPERFONE_CATALOG=docs java $FAKE_OPTS "$BENCH_DIR/fake-crm/FakeCrm.java" "$FAKE_PORT" 0 50 \
        >"$WORK/$1.fake.log" 2>&1 &
    FAKE_PID=$!
    wait_http_200 "http://127.0.0.1:$FAKE_PORT/health" 0.1 60 "$FAKE_PID" || {
        cat "$WORK/$1.fake.log" >&2
        die "FakeCrm did not start"
    }
}

fake_stat() { # KEY
    curl -s --max-time 5 "http://127.0.0.1:$FAKE_PORT/stats" | awk -v k="$1" '$1 == k { print $2 }'
}

start_app() { # NAME C
    local name="$1" c="$2"
    stop_pid "$APP_PID"
    APP_PORT="$(free_port)"
    LOG="$WORK/$name.log"
    GCLOG="$WORK/$name.gc.log"
    DATA="$DATA_ROOT/$name"
    mkdir -p "$DATA"
    local extra=() jfr_opts=""
    [[ -z "$POLL_DELAY_MS" ]] || extra+=("LEADSYNC_DELIVERY_POLL_DELAY_MS=$POLL_DELAY_MS")
    ((JFR == 0)) || jfr_opts="-XX:StartFlightRecording=filename=$WORK/$name.jfr,settings=$WORK/bench.jfc"
    # Deliveries in parallel: leadsync.superfone.concurrency since the per-CRM delivery routes;
    # LEADSYNC_DELIVERY_CONCURRENCY is the single key before them (ignored by current versions).
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" \
        QUARKUS_HTTP_PORT="$APP_PORT" \
        LEADSYNC_DATA_DIR="$DATA" \
        LEADSYNC_SUPERFONE_BASE_URL="http://127.0.0.1:$FAKE_PORT/superfone" \
        LEADSYNC_SUPERFONE_API_KEY=k \
        LEADSYNC_STAGES_INITIAL_DELAY=0s LEADSYNC_STAGES_POLL_INTERVAL=1h \
        LEADSYNC_SUPERFONE_CONCURRENCY="$c" LEADSYNC_DELIVERY_CONCURRENCY="$c" \
        "${extra[@]}" \
        java $HEAP_OPTS $APP_EXTRA_OPTS $jfr_opts "-Xlog:gc:file=$GCLOG:uptime,level,tags" -jar "$JAR" >"$LOG" 2>&1 &
    APP_PID=$!
    local rc=0
    wait_http_200 "http://127.0.0.1:$APP_PORT/q/health/ready" 0.05 "$READY_TIMEOUT_S" "$APP_PID" || rc=$?
    if ((rc != 0)); then
        tail -40 "$LOG" >&2
        die "[$name] leadsync did not become ready (rc $rc)"
    fi
    # Deliveries wait for the target's catalog: post only once Superfone's is loaded.
    local i
    for ((i = 0; i < READY_TIMEOUT_S * 10; i++)); do
        if curl -s --max-time 2 "http://127.0.0.1:$APP_PORT/stages" | grep -q '"source":"superfone","status":"OK"'; then
            return 0
        fi
        sleep 0.1
    done
    curl -s "http://127.0.0.1:$APP_PORT/stages" >&2 || true
    die "[$name] GET /stages never showed superfone OK"
}

# value KEY FILE: the value of a "key value" line the client printed
value() {
    awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print "n/a" }' "$2"
}

# ---- thread dumps (optional) ----------------------------------------------------------------------------

start_dumper() { # NAME: THREAD_DUMPS x jcmd Thread.print, DUMP_EVERY_S apart, starting 3 s after the client
    local name="$1" pid="$APP_PID"
    (
        sleep 3
        for ((i = 1; i <= THREAD_DUMPS; i++)); do
            kill -0 "$pid" 2>/dev/null || exit 0
            jcmd "$pid" Thread.print >"$WORK/$name.threads.$i.txt" 2>/dev/null || true
            sleep "$DUMP_EVERY_S"
        done
    ) &
    DUMPER_PID=$!
}

start_perf() { # NAME: perf record of leadsync, PERF_SECONDS long, PERF_DELAY_S after the client starts
    local name="$1" pid="$APP_PID"
    (
        sleep "$PERF_DELAY_S"
        exec perf record -q -e cpu-clock -F 499 -g -p "$pid" -o "$WORK/$name.perf.data" -- sleep "$PERF_SECONDS"
    ) >"$WORK/$name.perf.log" 2>&1 &
    PERF_PID=$!
}

summarise_perf() { # NAME
    [[ -s "$WORK/$1.perf.data" ]] || { echo "   perf: no data (see $WORK/$1.perf.log)"; return 0; }
    echo "   perf (cpu-clock, ${PERF_SECONDS}s of leadsync from ${PERF_DELAY_S}s after the client started; $WORK/$1.perf.data):"
    perf script -i "$WORK/$1.perf.data" -F comm,tid,ip,sym 2>/dev/null | awk -f "$BENCH_DIR/delivery/perf-summary.awk" |
        sed 's/^/     /'
}

summarise_jfr() { # NAME (after leadsync stopped and wrote its recording)
    [[ -s "$WORK/$1.jfr" ]] || { echo "   JFR: no recording"; return 0; }
    echo "   JFR (whole recording, warm-up included; $WORK/$1.jfr): fsyncs and waits to enter a synchronized block"
    jfr print --events jdk.FileForce,jdk.JavaMonitorEnter "$WORK/$1.jfr" | awk -f "$BENCH_DIR/delivery/jfr-summary.awk" |
        sort -t$'\t' -k1,1 -k2,2g | awk -f "$BENCH_DIR/delivery/reduce.awk" | sort -k3,3gr | head -6 | sed 's/^/     /'
}

# Counts, over every dump of a run, the request and delivery threads by (thread group, state, top frame,
# first leadsync frame, the lock waited for).
summarise_dumps() { # NAME
    local files=("$WORK/$1".threads.*.txt)
    [[ -e "${files[0]}" ]] || return 0
    echo "   thread dumps: ${#files[@]} (jcmd Thread.print, ${DUMP_EVERY_S}s apart); threads of POST /leads (executor-thread) and of delivery (Camel), counted over all dumps:"
    awk '
        function flush() {
            if (name != "" && name ~ /^(executor-thread|Camel)/) {
                key = sprintf("%-34s %-13s top: %s | leadsync: %s%s", name, state, top, (app == "" ? "-" : app),
                    (lock == "" ? "" : " | waiting for " lock))
                n[key]++
            }
            name = ""; state = ""; top = ""; app = ""; lock = ""
        }
        /^"/ { flush(); name = $0; sub(/^"/, "", name); sub(/".*/, "", name); gsub(/[0-9]+/, "#", name); next }
        /java.lang.Thread.State:/ { state = $2; next }
        /^\tat / { f = $2; sub(/\(.*/, "", f); if (top == "") top = f; if (app == "" && f ~ /^io\.leadsync\./) app = f; next }
        /- (waiting to lock|parking to wait for)/ { if (lock == "") { lock = $0; sub(/.*\(a /, "", lock); sub(/\).*/, "", lock) } }
        END { flush(); for (k in n) printf "%6d  %s\n", n[k], k }
    ' "${files[@]}" | sort -rn | head -20 | sed 's/^/     /'
}

# ---- heap, from the GC log (same reading as bench/poll.sh) ------------------------------------------------

gc_lines() {
    wc -l <"$GCLOG" | tr -d ' '
}


# ---- one measurement of each kind ---------------------------------------------------------------------------

run_ceiling() { # C ROUND
    local c="$1" r="$2" name="ceiling-c$1-r$2" out
    start_fake "$name"
    out="$WORK/$name.out"
    echo
    echo "== $name: DeliveryLoad ceiling -> FakeCrm on $FAKE_PORT, $UPDATES upserts, $c at a time"
    # shellcheck disable=SC2086
    WATCH_PIDS="fake:$FAKE_PID" timeout "$TIMEOUT_S" java $CLIENT_OPTS "$CLIENT" ceiling "http://127.0.0.1:$FAKE_PORT" \
        "$UPDATES" "$c" "$WARMUP" >"$out" 2>&1 || { cat "$out" >&2; die "[$name] the client failed"; }
    local requests ok
    requests="$(fake_stat superfone_lead_requests)"
    ok="$(fake_stat superfone_lead_ok)"
    # A failed request that the fake nevertheless counted and answered (seen about once in 20,000-80,000: the
    # JDK client's "HTTP/1.1 header parser received no bytes" on a kept-alive connection) is reported, not
    # fatal: the fake still did all UPDATES upserts in the window. Anything else is.
    [[ "$requests" == "$TOTAL" && "$ok" == "$TOTAL" ]] ||
        { cat "$out" >&2; die "[$name] expected $TOTAL answered upserts (fake: $requests requests, $ok ok)"; }
    printf '   %s updates/s   (%s s; request latency p50 %s ms, p99 %s ms; client-side failures: %s)\n' \
        "$(value updates_per_s "$out")" "$(value elapsed_s "$out")" "$(value request_ms_p50 "$out")" \
        "$(value request_ms_p99 "$out")" "$(value failures "$out")"
    grep '^# request' "$out" | sed 's/^# /   client: /' || true
    printf '   CPU in the window: client %s s, fake %s s, other processes %s s; machine %s%% busy, %s%% iowait (of %s cores)\n' \
        "$(value cpu_client_s "$out")" "$(value cpu_fake_s "$out")" "$(value cpu_other_s "$out")" \
        "$(value machine_busy_pct "$out")" "$(value machine_iowait_pct "$out")" "$(nproc)"
    stop_pid "$FAKE_PID"
    FAKE_PID=""
    CEILING="$(value updates_per_s "$out")"
    CEILING_OTHER="$(value cpu_other_s "$out")"
}

run_leadsync() { # C ROUND
    local c="$1" r="$2" name="leadsync-c$1-r$2" out mark
    start_fake "$name"
    start_app "$name" "$c"
    out="$WORK/$name.out"
    mkdir -p "$WORK/$name"
    echo
    echo "== $name: DeliveryLoad submit -> leadsync on $APP_PORT (Superfone delivery concurrency $c) -> FakeCrm on $FAKE_PORT"
    mark="$(gc_lines)"
    ((THREAD_DUMPS == 0)) || start_dumper "$name"
    ((PERF_SECONDS == 0)) || start_perf "$name"
    local rc=0
    # shellcheck disable=SC2086
    WATCH_PIDS="leadsync:$APP_PID fake:$FAKE_PID" timeout "$TIMEOUT_S" java $CLIENT_OPTS "$CLIENT" submit \
        "http://127.0.0.1:$APP_PORT" "http://127.0.0.1:$FAKE_PORT" "$UPDATES" "$c" "$DATA" "$WORK/$name" \
        "$TIMEOUT_S" "$WARMUP" >"$out" 2>&1 || rc=$?
    if [[ -n "$DUMPER_PID" ]]; then
        wait "$DUMPER_PID" 2>/dev/null || true
        DUMPER_PID=""
    fi
    if [[ -n "$PERF_PID" ]]; then
        wait "$PERF_PID" 2>/dev/null || true
        PERF_PID=""
    fi
    if ((rc != 0)); then
        cat "$out" >&2
        tail -20 "$LOG" >&2
        die "[$name] the client failed (rc $rc)"
    fi
    local requests distinct
    requests="$(fake_stat superfone_lead_requests)"
    distinct="$(fake_stat superfone_lead_distinct_phones)"
    printf '   accepted: %s x 202 in %s s = %s/s (POST /leads p50 %s ms, p99 %s ms)\n' "$UPDATES" "$(value accept_s "$out")" \
        "$(value accepts_per_s "$out")" "$(value post_leads_ms_p50 "$out")" "$(value post_leads_ms_p99 "$out")"
    printf '   delivered: %s receipts DELIVERED, %s dead letters; fake: %s upserts, %s distinct phones%s\n' \
        "$(value receipts_delivered "$out")" "$(value receipts_dead_letter "$out")" "$requests" "$distinct" \
        "$( ((WARMUP == 0)) || echo " (warm-up included)")"
    printf '   %s updates/s   (first POST -> last DELIVERED receipt: %s s)\n' "$(value updates_per_s "$out")" \
        "$(value elapsed_s "$out")"
    printf '   accept->delivered latency: p50 %s ms, p99 %s ms, max %s ms\n' "$(value accept_to_delivered_ms_p50 "$out")" \
        "$(value accept_to_delivered_ms_p99 "$out")" "$(value accept_to_delivered_ms_max "$out")"
    printf '   CPU in the window: leadsync %s s, fake %s s, client %s s, other processes %s s; machine %s%% busy, %s%% iowait (of %s cores)\n' \
        "$(value cpu_leadsync_s "$out")" "$(value cpu_fake_s "$out")" "$(value cpu_client_s "$out")" \
        "$(value cpu_other_s "$out")" "$(value machine_busy_pct "$out")" "$(value machine_iowait_pct "$out")" "$(nproc)"
    [[ "$(value receipts_delivered "$out")" == "$UPDATES" && "$requests" == "$TOTAL" && "$distinct" == "$TOTAL" ]] ||
        die "[$name] expected $UPDATES DELIVERED receipts, $TOTAL upserts and $TOTAL distinct phones (warm-up included)"
    local s
    read -r -a s <<<"$(gc_peaks "$GCLOG" "$mark")"
    echo "   heap ($HEAP_OPTS): peak heap-before-GC ${s[2]} MiB during the run (${s[4]} GCs), ${s[0]} MiB over the whole run; max heap-after-GC ${s[3]} MiB during the run"
    local unreadable problems
    unreadable="$(grep -c 'An inbox file could not be read' "$LOG" || true)"
    problems="$(log_problems "$LOG" | grep -vc 'An inbox file could not be read' || true)"
    echo "   leadsync log: $unreadable 'inbox file could not be read' ERROR lines (an inbox file picked up again after its delivery deleted it), $problems other WARN/ERROR lines"
    log_problems "$LOG" | grep -v 'An inbox file could not be read' | cut -c1-200 | sort | uniq -c | sort -rn | head -3 |
        sed 's/^/     /' || true
    echo "   per second since the first POST (accepted, delivered): $(awk 'NR > 1 { printf "%s%s:%s/%s", sep, $1, $2, $3; sep = " " }' "$WORK/$name/timeline.txt")"
    summarise_dumps "$name"
    ((PERF_SECONDS == 0)) || summarise_perf "$name"
    stop_pid "$APP_PID"
    APP_PID=""
    ((JFR == 0)) || summarise_jfr "$name"
    stop_pid "$FAKE_PID"
    FAKE_PID=""
    # The data dir stays until the script ends: deleting tens of thousands of files here would slow the
    # next run's file creation for ~30 s on an ext4 without a journal (recently-deleted inodes, RESULTS.md).
    echo "$c $r $CEILING $(value updates_per_s "$out") $(value accepts_per_s "$out") $(value accept_to_delivered_ms_p50 "$out") $(value accept_to_delivered_ms_p99 "$out") ${s[2]} ${s[0]} $(value cpu_leadsync_s "$out") $(value machine_busy_pct "$out") $unreadable $(value cpu_other_s "$out") $CEILING_OTHER" >>"$WORK/summary"
}

: >"$WORK/summary"
for ((round = 1; round <= RUNS; round++)); do
    for c in $CONCURRENCIES; do
        [[ "$c" =~ ^[0-9]+$ && "$c" -ge 1 && "$c" -le 256 ]] || die "concurrency '$c' must be 1..256"
        run_ceiling "$c" "$round"
        run_leadsync "$c" "$round"
    done
done

echo
echo "== summary ($UPDATES updates per run; updates/s = $UPDATES / (first request -> last delivery))"
printf '   %3s %5s %10s %10s %7s %9s %8s %8s %15s %9s %6s %13s\n' C round "ceiling/s" "leadsync/s" ratio "accepts/s" \
    "p50 ms" "p99 ms" "peak heap MiB" "CPU s" "busy%" "other CPU s"
awk '{ printf "   %3s %5s %10s %10s %7.3f %9s %8s %8s %15s %9s %6s %13s\n", $1, $2, $3, $4, $4 / $3, $5, $6, $7, $8 " (" $9 ")", $10, $11, $14 " / " $13 }' \
    "$WORK/summary"
echo "   (p50/p99: accept->delivered; peak heap: max heap-before-GC during the run (whole run); CPU s: leadsync's CPU"
echo "    time in the run's window; busy%: all cores, leadsync run; other CPU s: CPU time of everything but the three"
echo "    benchmark processes during the ceiling / the leadsync window, kernel threads included - the write-back of"
echo "    leadsync's own files shows up there (a few seconds with the data dir on disk); much more means other work)"
awk -v g="$GOAL_RATIO" '{ if ($4 / $3 < g) bad = bad " C=" $1 "/round " $2 } END {
    if (bad == "") printf "   goal (ratio >= %.1f): MET in every run\n", g
    else printf "   goal (ratio >= %.1f): MISSED in:%s\n", g, bad }' "$WORK/summary"
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "logs kept in $WORK"
