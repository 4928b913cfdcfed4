#!/usr/bin/env bash
# Store benchmark: leadsync's embedded SQLite store (<data-dir>/store.db) with a large history in it. Run from
# anywhere:
#
#   bash bench/store.sh                                          # 1,000,000 finished updates, 100,000 dead letters
#   N_FINISHED=100000 N_LETTERS=10000 N_MORE=50000 REQUESTS=2000 bash bench/store.sh   # a quick check
#
# 1. seed     leadsync creates the schema in a fresh data dir (Flyway) and stops; StoreBench.java then inserts
#             N_FINISHED finished lead updates (updated_at over the last DAYS days) and N_LETTERS dead letters with
#             JDBC, 50,000 rows per transaction. Seeding time, store.db and -wal sizes, bytes per table and index.
# 2. start-up leadsync on a copy of the empty store (schema, no rows) and on the seeded one, STARTS times each,
#             alternating: launch -> first 200 on /q/health/ready, and RSS then.
# 3. reads    leadsync on the seeded store; C client threads, WARMUP unmeasured then REQUESTS measured requests of
#             each kind: GET /leads/{id} (random seeded ids) and GET /dead-letters pages (limit 100; no filter,
#             ?target=superfone, ?reason=UNREACHABLE, ?target=superfone&reason=REJECTED; each from the start and
#             after the middle letter). p50/p99/max, requests/s, leadsync CPU per request, RSS and heap after.
# 4. retention leadsync with LEADSYNC_DELIVERY_KEEP_DONE=KEEP_DONE prunes the updates finished before the cut-off
#             (its first prune runs 1 min after start); rows pruned, how long, store.db before/after; then N_MORE
#             finished updates more are seeded and the file's growth is compared with their size.
# Goals printed beside the figures: the p99s of GET /leads/{id} and GET /dead-letters with the store full (no
# fixed target). Fails on any wrong count or answer (a 404 for a seeded id, a page that is not the expected one).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$BENCH_DIR/delivery/common.sh" # value, gc_lines, print_build_header, log_summary
source "$BENCH_DIR/store/common.sh"    # start_leadsync, helper, stats, machine_ticks, ...
cd "$REPO_ROOT" # leadsync reads ./routes/*.yaml

N_FINISHED="${N_FINISHED:-1000000}"
N_LETTERS="${N_LETTERS:-100000}"
N_MORE="${N_MORE:-500000}"
DAYS="${DAYS:-6}"           # the seeded updates' updated_at spread over the last DAYS days
MORE_DAYS="${MORE_DAYS:-2}" # ... and the N_MORE ones' over the last MORE_DAYS days (kept by the prune)
KEEP_DONE="${KEEP_DONE:-3d}"
PRUNE_INTERVAL="${PRUNE_INTERVAL:-1h}" # the first prune runs 1 min after start whatever this is; 1h: only that one
C="${C:-8}"
REQUESTS="${REQUESTS:-20000}"
WARMUP="${WARMUP:-2000}"
STARTS="${STARTS:-3}"
HEAP_OPTS="${HEAP_OPTS:--Xmx256m -XX:+UseG1GC}"
APP_EXTRA_OPTS="${APP_EXTRA_OPTS:-}"
CLIENT_OPTS="${CLIENT_OPTS:--Xmx256m -XX:+UseSerialGC}"
SEED_OPTS="${SEED_OPTS:--Xmx256m -XX:+UseSerialGC}"
DATA_PARENT="${DATA_PARENT:-/tmp}"
POLL_EVERY="${POLL_EVERY:-0.02}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-120}"
PRUNE_TIMEOUT_S="${PRUNE_TIMEOUT_S:-900}"

command -v curl >/dev/null || die "curl is needed"
for v in N_FINISHED N_LETTERS N_MORE C REQUESTS WARMUP STARTS; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
((N_FINISHED >= 1 && N_LETTERS >= 100 && C >= 1 && REQUESTS >= 1 && STARTS >= 1)) ||
    die "N_FINISHED >= 1, N_LETTERS >= 100, C, REQUESTS and STARTS >= 1"
# KEEP_DONE in milliseconds (leadsync reads it as a Quarkus duration: 3d, 72h, 90m, 30s).
KEEP_MS="$(awk -v d="$KEEP_DONE" 'BEGIN {
    if (d !~ /^[0-9]+[dhms]$/) exit 1
    n = substr(d, 1, length(d) - 1); u = substr(d, length(d))
    print n * (u == "d" ? 86400000 : u == "h" ? 3600000 : u == "m" ? 60000 : 1000) }')" ||
    die "KEEP_DONE must be a number and d, h, m or s (e.g. 3d), not '$KEEP_DONE'"

WORK="$(mktemp -d /tmp/leadsync-store.XXXXXX)"
DATA_ROOT="$(mktemp -d "$DATA_PARENT/leadsync-store-data.XXXXXX")"
APP_PID=""
WATCH_PID=""
cleanup() {
    if [[ -n "$WATCH_PID" ]]; then
        kill "$WATCH_PID" 2>/dev/null || true
        wait "$WATCH_PID" 2>/dev/null || true
    fi
    stop_pid "$APP_PID"
    rm -rf "$WORK/quarkus-app" "$DATA_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"
HELPER="$BENCH_DIR/store/StoreBench.java"
find_sqlite_jar # the SQLite driver leadsync itself runs, from the copied app
META="$WORK/seed"
EMPTY="$DATA_ROOT/empty"
BIG="$DATA_ROOT/big"

# ---- header ------------------------------------------------------------------------------------------------------

echo "== leadsync store benchmark (SQLite, the embedded default)"
print_build_header
echo "   leadsync:    java $HEAP_OPTS${APP_EXTRA_OPTS:+ $APP_EXTRA_OPTS} -Xlog:gc:file=<run>.gc.log -jar quarkus-run.jar"
echo "                no CRM configured (env -i: QUARKUS_HTTP_PORT, LEADSYNC_DATA_DIR only; retention adds the two below)"
echo "   data dirs:   under $DATA_PARENT; SQLite driver $(basename "$SQLITE_JAR")"
echo "   seed:        $N_FINISHED finished updates over the last $DAYS days, $N_LETTERS dead letters; then $N_MORE more over the last $MORE_DAYS days"
echo "   client:      java $CLIENT_OPTS bench/store/StoreBench.java load (JDK HttpClient, HTTP/1.1, $C threads, closed loop)"
echo "                $WARMUP unmeasured + $REQUESTS measured requests per kind"
echo "   retention:   LEADSYNC_DELIVERY_KEEP_DONE=$KEEP_DONE LEADSYNC_DELIVERY_PRUNE_INTERVAL=$PRUNE_INTERVAL"
echo "   logs:        $WORK"
echo "   loadavg:     $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"

# ---- 1. seed -------------------------------------------------------------------------------------------------------

echo
echo "== 1. seed"
mkdir -p "$EMPTY"
start_leadsync schema "$EMPTY"
FRESH_MS="$READY_MS"
stop_leadsync
[[ -s "$EMPTY/store.db" ]] || die "leadsync left no $EMPTY/store.db"
echo "   schema: leadsync on a fresh data dir (Flyway creates the schema) was ready after $FRESH_MS ms; stopped"
cp -a "$EMPTY" "$BIG"
stats empty "$EMPTY/store.db"
EMPTY_BYTES="$(value file_db_bytes "$WORK/empty.stats")"
m0="$(machine_ticks)"
TIMEFORMAT='%R %U %S'
{ time helper seed "$BIG/store.db" "$META" first "$N_FINISHED" "$N_LETTERS" "$DAYS" 1 >"$WORK/seed-first.out" 2>&1; } \
    2>"$WORK/seed-first.time" || { cat "$WORK/seed-first.out" >&2; die "seeding failed"; }
m1="$(machine_ticks)"
grep -q '^FAIL' "$WORK/seed-first.out" && { cat "$WORK/seed-first.out" >&2; die "seeding failed"; }
read -r _ seed_user seed_sys <"$WORK/seed-first.time"
SO="$WORK/seed-first.out"
stats seeded "$BIG/store.db"
BYTES_PER_UPDATE="$(awk -v a="$(value seed_size_after_updates "$SO")" -v e="$EMPTY_BYTES" -v n="$N_FINISHED" 'BEGIN { printf "%.0f", (a - e) / n }')"
printf '   seeding: %s s in all (%s s for %s updates = %.0f/s, %s s for %s dead letters = %.0f/s; checkpoints included, JVM start not)\n' \
    "$(value seed_total_s "$SO")" "$(value seed_updates_s "$SO")" "$N_FINISHED" \
    "$(awk -v n="$N_FINISHED" -v s="$(value seed_updates_s "$SO")" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')" \
    "$(value seed_letters_s "$SO")" "$N_LETTERS" \
    "$(awk -v n="$N_LETTERS" -v s="$(value seed_letters_s "$SO")" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')"
echo "            (JDBC batches of 1,000, a commit per 50,000 rows, synchronous=NORMAL, 256 MiB page cache; seeder CPU $(awk -v u="$seed_user" -v s="$seed_sys" 'BEGIN { printf "%.1f", u + s }') s;"
echo "             $(load_line "$m0" "$m1" "$(awk -v u="$seed_user" -v s="$seed_sys" 'BEGIN { printf "%d", (u + s) * 100 }')"))"
echo "   empty store: $(stat_line empty)"
echo "   seeded:      $(stat_line seeded)"
echo "                lead_update alone: $(mib "$(value seed_size_after_updates "$SO")") after its $N_FINISHED rows = $BYTES_PER_UPDATE B per update (table and its indexes)"
[[ "$(value rows_lead_update "$WORK/seeded.stats")" == "$N_FINISHED" && "$(value rows_dead_letter "$WORK/seeded.stats")" == "$N_LETTERS" ]] ||
    die "the seeded store holds $(value rows_lead_update "$WORK/seeded.stats") updates and $(value rows_dead_letter "$WORK/seeded.stats") dead letters, not $N_FINISHED and $N_LETTERS"
echo "   by table and index (dbstat):"
sed -n 's/^# /     /p' "$WORK/seeded.stats"
helper plans "$BIG/store.db" >"$WORK/plans.out" 2>&1 || { cat "$WORK/plans.out" >&2; die "plans failed"; }
echo "   the statements behind the requests: SQLite's plan (no ANALYZE statistics, as leadsync runs them) and their cost"
echo "   in SQLite alone (StoreBench plans: run in the seeder's JVM through the same driver, one thread, 1,000 runs):"
sed -n 's/^# /     /p' "$WORK/plans.out"

# ---- 2. start-up ---------------------------------------------------------------------------------------------------

echo
echo "== 2. start-up: launch -> first 200 on /q/health/ready (probed every ${POLL_EVERY}s), RSS then; empty store vs seeded, alternating"
echo "   (other CPU: CPU time of everything but leadsync from launch to ready, the curl probes included)"
: >"$WORK/ready-empty"
: >"$WORK/ready-big"
: >"$WORK/rss-empty"
: >"$WORK/rss-big"
for ((r = 1; r <= STARTS; r++)); do
    line="   run $r:"
    for which in empty big; do
        dir="$EMPTY"
        [[ "$which" == empty ]] || dir="$BIG"
        start_leadsync "start-$which-$r" "$dir"
        echo "$READY_MS" >>"$WORK/ready-$which"
        echo "$READY_RSS_MIB" >>"$WORK/rss-$which"
        line+="$(printf '  %-5s %6d ms %4d MiB (other CPU %4s s)' "$which" "$READY_MS" "$READY_RSS_MIB" "$READY_OTHER_S")"
        stop_leadsync
    done
    echo "$line   (loadavg $(cut -d" " -f1 /proc/loadavg))"
done
READY_EMPTY="$(median <"$WORK/ready-empty")"
READY_BIG="$(median <"$WORK/ready-big")"
echo "   median: empty store $READY_EMPTY ms, $(median <"$WORK/rss-empty") MiB; seeded ($N_FINISHED updates, $N_LETTERS dead letters) $READY_BIG ms, $(median <"$WORK/rss-big") MiB"

# ---- 3. reads ----------------------------------------------------------------------------------------------------------

echo
echo "== 3. reads on the seeded store"
start_leadsync reads "$BIG"
echo "   leadsync ready after $READY_MS ms on port $APP_PORT (pid $APP_PID)"
mark="$(gc_lines)"
OUT="$WORK/reads.out"
# shellcheck disable=SC2086
WATCH_PIDS="leadsync:$APP_PID" java $CLIENT_OPTS "$HELPER" load "http://127.0.0.1:$APP_PORT" "$META" first "$C" "$REQUESTS" "$WARMUP" \
    >"$OUT" 2>&1 || {
    cat "$OUT" >&2
    log_summary "$LOG" >&2
    die "the read client failed (a FAIL line above says which answer was wrong)"
}
sed -n 's/^# /   /p' "$OUT"
RSS_AFTER=$(($(rss_kib "$APP_PID") / 1024))
WAL_RUNNING="$(mib "$(stat -c %s "$BIG/store.db-wal" 2>/dev/null || echo -1)")"
read -r -a g <<<"$(gc_peaks "$GCLOG" "$mark")"
echo "   leadsync after the reads: RSS $RSS_AFTER MiB; store.db-wal $WAL_RUNNING while running"
echo "   heap ($HEAP_OPTS): peak heap-before-GC ${g[2]} MiB during the reads (${g[4]} GCs), max heap-after-GC ${g[3]} MiB;"
echo "        heap after a forced full GC at the end: $(heap_after_full_gc)"
log_summary "$LOG"
stop_leadsync

# ---- 4. retention ----------------------------------------------------------------------------------------------------

echo
echo "== 4. retention: keep-done $KEEP_DONE"
stats before-prune "$BIG/store.db"
echo "   before:  $(stat_line before-prune)"
start_leadsync prune "$BIG" "LEADSYNC_DELIVERY_KEEP_DONE=$KEEP_DONE" "LEADSYNC_DELIVERY_PRUNE_INTERVAL=$PRUNE_INTERVAL"
echo "   leadsync ready after $READY_MS ms; its first prune runs 1 min after start (@Scheduled delayed=1m)"
# The watcher runs in leadsync's environment so it reads the log's time stamps in the same time zone.
WATCH_OUT="$WORK/prune.watch"
a0="$(pid_ticks "$APP_PID")"
m0="$(machine_ticks)"
# shellcheck disable=SC2086
env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" java $SEED_OPTS -cp "$SQLITE_JAR" "$HELPER" watch "$BIG/store.db" "$LOG" \
    "$PRUNE_TIMEOUT_S" >"$WATCH_OUT" 2>&1 &
WATCH_PID=$!
wait "$WATCH_PID" || { cat "$WATCH_OUT" >&2; tail -20 "$LOG" >&2; WATCH_PID=""; die "the prune was not seen"; }
WATCH_PID=""
a1="$(pid_ticks "$APP_PID")"
m1="$(machine_ticks)"
stop_leadsync
PRUNED="$(value pruned_rows "$WATCH_OUT")"
LOGGED="$(value prune_logged_ms "$WATCH_OUT")"
FIRST_SEEN="$(value prune_first_deletion_seen_ms "$WATCH_OUT")"
LAST_BEFORE="$(value prune_last_poll_before_ms "$WATCH_OUT")"
((FIRST_SEEN > 0)) || die "the watcher never saw a deletion (did the prune run before it started?): $(cat "$WATCH_OUT")"
ALL_PRUNED="$(grep -oE 'Pruned [0-9]+ finished lead updates' "$LOG" | awk '{ s += $2 } END { print s + 0 }')"
stats after-prune "$BIG/store.db" "$((LAST_BEFORE - KEEP_MS))"
REMAINING="$(value rows_lead_update "$WORK/after-prune.stats")"
[[ "$REMAINING" == "$((N_FINISHED - ALL_PRUNED))" ]] ||
    die "after pruning $ALL_PRUNED (log) of $N_FINISHED updates the store holds $REMAINING, not $((N_FINISHED - ALL_PRUNED))"
[[ "$(value rows_finished_before "$WORK/after-prune.stats")" == "0" ]] ||
    die "$(value rows_finished_before "$WORK/after-prune.stats") updates finished before the cut-off are still there"
((PRUNED > 0)) || die "the prune deleted nothing (KEEP_DONE $KEEP_DONE vs seeded over $DAYS days?)"
[[ "$(value rows_dead_letter "$WORK/after-prune.stats")" == "$N_LETTERS" ]] || die "the prune changed the dead letters"
echo "   pruned:  $PRUNED updates (log: \"Pruned $PRUNED finished lead updates older than …\"; $(((PRUNED + 4999) / 5000)) transactions of <= 5,000, and one that found none);"
echo "            $REMAINING left, none finished before the cut-off; dead letters untouched"
# The first batch commits before a poll can see it: took = log line - first deletion seen + one batch (the mean
# of the others). PRUNE_S is that estimate.
PRUNE_S="$(awk -v l="$LOGGED" -v f="$FIRST_SEEN" -v b="$LAST_BEFORE" -v n="$PRUNED" 'BEGIN {
    batches = int((n + 4999) / 5000); seen = (l - f) / 1000
    printf "%.1f", (batches > 1 ? seen * batches / (batches - 1) : (l - b) / 1000) }')"
awk -v l="$LOGGED" -v f="$FIRST_SEEN" -v b="$LAST_BEFORE" -v n="$PRUNED" -v t="$PRUNE_S" 'BEGIN {
    batches = int((n + 4999) / 5000); seen = (l - f) / 1000
    printf "   took:    about %.1f s = %.2f s from the first deletion seen to the log line'"'"'s time stamp (lowest seq polled every\n", t, seen
    printf "            50 ms; the poll before saw none %.2f s earlier), + one batch for the first, which commits unseen:\n", (f - b) / 1000
    printf "            %.2f s, the mean of the other %d; %.0f updates/s\n", (batches > 1 ? seen / (batches - 1) : 0), batches - 1, n / t }'
echo "            leadsync CPU from ready to the log line (the prune, and 1 min of idling before it): $(awk -v a="$a0" -v b="$a1" 'BEGIN { printf "%.1f", (b - a) / 100 }') s;"
echo "            $(load_line "$m0" "$m1" "$((a1 - a0 + $(value watcher_cpu_ticks "$WATCH_OUT")))") in that window (leadsync and the watcher not counted as other)"
echo "   after:   $(stat_line after-prune)"
if ((ALL_PRUNED != PRUNED)); then
    echo "            (later prunes before the stop took $((ALL_PRUNED - PRUNED)) more)"
fi

m0="$(machine_ticks)"
{ time helper seed "$BIG/store.db" "$META" more "$N_MORE" 0 "$MORE_DAYS" 2 >"$WORK/seed-more.out" 2>&1; } \
    2>"$WORK/seed-more.time" || { cat "$WORK/seed-more.out" >&2; die "seeding $N_MORE more failed"; }
grep -q '^FAIL' "$WORK/seed-more.out" && { cat "$WORK/seed-more.out" >&2; die "seeding $N_MORE more failed"; }
stats after-more "$BIG/store.db"
[[ "$(value rows_lead_update "$WORK/after-more.stats")" == "$((REMAINING + N_MORE))" ]] ||
    die "after seeding $N_MORE more the store holds $(value rows_lead_update "$WORK/after-more.stats") updates, not $((REMAINING + N_MORE))"
SIZE_PRUNED="$(value file_db_bytes "$WORK/after-prune.stats")"
SIZE_MORE="$(value file_db_bytes "$WORK/after-more.stats")"
SIZE_SEEDED="$(value file_db_bytes "$WORK/seeded.stats")"
echo "   +$N_MORE finished updates (over the last $MORE_DAYS days) seeded in $(value seed_updates_s "$WORK/seed-more.out") s"
echo "   then:    $(stat_line after-more)"
awk -v p="$SIZE_PRUNED" -v m="$SIZE_MORE" -v s="$SIZE_SEEDED" -v per="$BYTES_PER_UPDATE" -v n="$N_MORE" \
    -v fp="$(value freelist_count "$WORK/after-prune.stats")" -v fm="$(value freelist_count "$WORK/after-more.stats")" \
    -v ps="$(value page_size "$WORK/after-more.stats")" 'BEGIN {
    full = per * n
    printf "   growth:  store.db %.1f -> %.1f MiB = %+.1f MiB for %d updates whose full size is %.1f MiB (%d B each, from step 1): %.0f%% of it;\n",
        p / 1048576, m / 1048576, (m - p) / 1048576, n, full / 1048576, per, (full > 0 ? 100 * (m - p) / full : 0)
    printf "            free pages %d (%.1f MiB) before, %d (%.1f MiB) after; the file is %+.1f MiB against the seeded store before the prune\n",
        fp, fp * ps / 1048576, fm, fm * ps / 1048576, (m - s) / 1048576 }'

# ---- summary --------------------------------------------------------------------------------------------------------

echo
echo "== summary ($N_FINISHED finished updates, $N_LETTERS dead letters stored; $C client threads; $REQUESTS requests per kind)"
awk '
    function kind(f, p) { split(f, p, "_"); return p[1] }
    /^kind[0-9]+_name / { name[kind($1)] = $2; order[++n] = kind($1) }
    /^kind[0-9]+_p99_ms / { p99[kind($1)] = $2 }
    /^kind[0-9]+_p50_ms / { p50[kind($1)] = $2 }
    /^kind[0-9]+_rps / { rps[kind($1)] = $2 }
    END {
        for (i = 1; i <= n; i++) {
            id = order[i]; nm = name[id]; gsub(/_/, " ", nm)
            if (nm ~ /^GET \/leads/) {
                printf "   goal: p99 of %s: %s ms (p50 %s ms, %s req/s)\n", nm, p99[id], p50[id], rps[id]
                continue
            }
            if (worst == "" || p99[id] + 0 > worst + 0) { worst = p99[id]; wname = nm }
            list = list sprintf("%s%s", (list == "" ? "" : ", "), p99[id])
        }
        printf "   goal: p99 of GET /dead-letters (limit 100): worst %s ms (%s); all eight, in the table'"'"'s order: %s ms\n", worst, wname, list
        print "         (no fixed target: reported only)"
    }' "$OUT"
echo "   start-up: empty store $READY_EMPTY ms, seeded $READY_BIG ms (medians of $STARTS)"
echo "   retention: $PRUNED updates pruned in about $PRUNE_S s;" \
    "store.db $(mib "$SIZE_SEEDED") seeded, $(mib "$SIZE_PRUNED") after the prune, $(mib "$SIZE_MORE") after $N_MORE more"
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "logs kept in $WORK"
