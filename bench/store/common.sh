# Helpers shared by bench/store.sh and bench/console.sh (leadsync on a seeded SQLite store). Sourced after
# bench/lib.sh and bench/delivery/common.sh (value, gc_lines), not run. They read the caller's WORK, JAR, HELPER,
# HEAP_OPTS, APP_EXTRA_OPTS, SEED_OPTS, POLL_EVERY and READY_TIMEOUT_S, and set SQLITE_JAR (find_sqlite_jar) and
# APP_PID, APP_PORT, LOG, GCLOG, READY_MS, READY_RSS_MIB, READY_OTHER_S (start_leadsync).
# shellcheck shell=bash

# The SQLite driver leadsync itself runs (same SQLite version), from the copied app in $WORK; else the newest in
# ~/.m2. Sets SQLITE_JAR.
find_sqlite_jar() {
    SQLITE_JAR="$(ls "$WORK"/quarkus-app/lib/main/org.xerial.sqlite-jdbc-*.jar 2>/dev/null | head -1)"
    if [[ -z "$SQLITE_JAR" ]]; then
        SQLITE_JAR="$(ls -v "$HOME"/.m2/repository/org/xerial/sqlite-jdbc/*/sqlite-jdbc-*.jar 2>/dev/null | tail -1)"
    fi
    [[ -n "$SQLITE_JAR" ]] || die "no sqlite-jdbc jar in the app's lib/main or ~/.m2/repository/org/xerial/sqlite-jdbc"
}

mib() { # BYTES -> MiB with one decimal ("absent" for -1)
    awk -v b="$1" 'BEGIN { if (b < 0) print "absent"; else printf "%.1f MiB\n", b / 1048576 }'
}

# "total-ticks not-busy-ticks" of the machine (/proc/stat: idle + iowait are not busy).
machine_ticks() {
    awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $5 + $6 }' /proc/stat
}

pid_ticks() { # utime + stime of a pid
    awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# busy% and other CPU s over a window: BEFORE AFTER (machine_ticks) OURS_TICKS (the benchmark's own CPU in it).
load_line() {
    awk -v b="$1" -v a="$2" -v ours="$3" 'BEGIN {
        split(b, x, " "); split(a, y, " "); total = y[1] - x[1]; busy = total - (y[2] - x[2])
        if (total <= 0) { print "machine n/a"; exit }
        other = busy - ours; if (other < 0) other = 0
        printf "machine %.0f%% busy (of %d cores), other CPU %.1f s\n", 100 * busy / total, '"$(nproc)"', other / 100 }'
}

helper() { # MODE ARGS...: StoreBench.java with the SQLite driver on the class path
    # shellcheck disable=SC2086
    java $SEED_OPTS -cp "$SQLITE_JAR" "$HELPER" "$@"
}

# Starts leadsync on data dir DATA (more NAME=VALUE words after it for its environment), with a GC log, and waits
# for the first 200 on /q/health/ready, probing every POLL_EVERY s as bench/startup.sh does. Sets APP_PID, APP_PORT,
# LOG, GCLOG, READY_MS (launch -> first 200), READY_RSS_MIB (VmRSS then) and READY_OTHER_S (CPU s of everything but
# leadsync meanwhile: the curl probes, and other work competing for the cores).
start_leadsync() { # NAME DATA [NAME=VALUE ...]
    local name="$1" data="$2" t0 code m0
    shift 2
    m0="$(machine_ticks)"
    APP_PORT="$(free_port)"
    LOG="$WORK/$name.log"
    GCLOG="$WORK/$name.gc.log"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" \
        QUARKUS_HTTP_PORT="$APP_PORT" LEADSYNC_DATA_DIR="$data" "$@" \
        java $HEAP_OPTS $APP_EXTRA_OPTS "-Xlog:gc:file=$GCLOG:uptime,level,tags" -jar "$JAR" >"$LOG" 2>&1 &
    APP_PID=$!
    while true; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$APP_PORT/q/health/ready" || true)"
        if [[ "$code" == "200" ]]; then
            READY_MS=$((($(date +%s%N) - t0) / 1000000))
            READY_RSS_MIB=$(($(rss_kib "$APP_PID") / 1024))
            READY_OTHER_S="$(awk -v b="$m0" -v a="$(machine_ticks)" -v ours="$(pid_ticks "$APP_PID")" 'BEGIN {
                split(b, x, " "); split(a, y, " "); o = (y[1] - x[1]) - (y[2] - x[2]) - ours
                printf "%.1f", (o < 0 ? 0 : o) / 100 }')"
            return 0
        fi
        if ! kill -0 "$APP_PID" 2>/dev/null || (((($(date +%s%N) - t0) / 1000000) > READY_TIMEOUT_S * 1000)); then
            tail -30 "$LOG" >&2
            die "[$name] leadsync did not become ready within ${READY_TIMEOUT_S}s (or exited)"
        fi
        sleep "$POLL_EVERY"
    done
}

stop_leadsync() {
    stop_pid "$APP_PID"
    APP_PID=""
}

# Forces a full GC through jcmd and prints the heap left after it, or n/a (as bench/poll.sh).
heap_after_full_gc() {
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

stats() { # NAME DB [BEFORE_MS]: sizes and counts into $WORK/NAME.stats
    helper stats "${@:2}" >"$WORK/$1.stats" 2>&1 || { cat "$WORK/$1.stats" >&2; die "stats of $2 failed"; }
    grep -q '^FAIL' "$WORK/$1.stats" && { cat "$WORK/$1.stats" >&2; die "stats of $2 failed"; }
    return 0
}

stat_line() { # NAME: one line of sizes and counts
    local s="$WORK/$1.stats"
    printf 'store.db %s, -wal %s; %s updates, %s dead letters; %s pages of %s B, %s free\n' \
        "$(mib "$(value file_db_bytes "$s")")" "$(mib "$(value file_wal_bytes "$s")")" "$(value rows_lead_update "$s")" \
        "$(value rows_dead_letter "$s")" "$(value page_count "$s")" "$(value page_size "$s")" "$(value freelist_count "$s")"
}
