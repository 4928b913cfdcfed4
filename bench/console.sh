#!/usr/bin/env bash
# Console benchmark: the operator console's pages (/console) on leadsync's embedded SQLite store holding a busy week.
# Run from anywhere:
#
#   bash bench/console.sh              # 1,000,000 finished updates, 100,000 dead letters, 100,000 webhook events
#   QUICK=1 bash bench/console.sh      # a quick check that it all works (~2 min; small store, few requests: not a result)
#
# 1. seed    leadsync creates the schema in a fresh data dir (Flyway) and stops; StoreBench.java console-seed then
#            inserts N_UPDATES finished lead updates (DELIVERED, SKIPPED, DEAD_LETTER; phone column filled; N_PHONES
#            phones plus one with HEAVY updates), N_LETTERS dead letters of those updates, their history (lead_history:
#            every failed CRM call, replayed and deleted letters' pasts), N_EVENTS webhook events of the same phones and
#            ETL_RUNS ETL runs, over the last DAYS days with DAY_PCT % of them in the last day and HOUR_PCT % in the last
#            hour. Sizes per table and index.
# 2. plans   every statement behind the pages, with the values the pages give it: SQLite's EXPLAIN QUERY PLAN and what
#            it costs SQLite alone (StoreBench.java console-plans).
# 3. pages   leadsync (demo profile, its polls and jobs pushed out, LEADSYNC_API_KEY set) on the seeded store; the
#            client signs in once (form token cookie, POST the key, session cookie) and GETs each page: WARMUP
#            unmeasured, then REQUESTS measured, C threads. p50/p99/max, leadsync CPU per request, RSS. Every answer
#            is checked against the seed (200, the page asked for, the right rows); the heavy phone's timeline is
#            walked once to its end (each of its updates and events must be on exactly one page) and its oldest update
#            looked up by id (the page must hold it): reported, not timed.
# Fails on any wrong answer. Pages with p99 over SLOW_MS are listed with their statements' plans at the end.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$BENCH_DIR/delivery/common.sh" # value, gc_lines, print_build_header, log_summary
source "$BENCH_DIR/store/common.sh"    # start_leadsync, helper, stats, stat_line, machine_ticks, ...
cd "$REPO_ROOT" # leadsync reads ./routes/*.yaml

if [[ "${QUICK:-0}" == 1 ]]; then
    : "${N_UPDATES:=50000}" "${N_LETTERS:=5000}" "${N_EVENTS:=5000}" "${REQUESTS:=100}" "${WARMUP:=20}" "${ETL_RUNS:=100}"
fi
N_UPDATES="${N_UPDATES:-1000000}"
N_LETTERS="${N_LETTERS:-100000}"
N_EVENTS="${N_EVENTS:-100000}"
N_PHONES="${N_PHONES:-$((N_UPDATES / 5))}"
HEAVY="${HEAVY:-500}"               # updates of the one busy phone
HEAVY_EVENTS="${HEAVY_EVENTS:-100}" # ... and its webhook events
DAYS="${DAYS:-6}"
DAY_PCT="${DAY_PCT:-25}"            # % of the updates, events finished in the last day (the last hour's included)
HOUR_PCT="${HOUR_PCT:-3}"           # ... in the last hour
ETL_RUNS="${ETL_RUNS:-500}"
C="${C:-1}"
REQUESTS="${REQUESTS:-500}"
WARMUP="${WARMUP:-100}"
SLOW_MS="${SLOW_MS:-100}"
API_KEY="${API_KEY:-bench-console-key}"
HEAP_OPTS="${HEAP_OPTS:--Xmx256m -XX:+UseG1GC}"
APP_EXTRA_OPTS="${APP_EXTRA_OPTS:-}"
CLIENT_OPTS="${CLIENT_OPTS:--Xmx256m -XX:+UseSerialGC}"
SEED_OPTS="${SEED_OPTS:--Xmx512m -XX:+UseSerialGC}"
DATA_PARENT="${DATA_PARENT:-/tmp}"
POLL_EVERY="${POLL_EVERY:-0.02}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-120}"

command -v curl >/dev/null || die "curl is needed"
for v in N_UPDATES N_LETTERS N_EVENTS N_PHONES HEAVY HEAVY_EVENTS ETL_RUNS C REQUESTS WARMUP SLOW_MS; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
((N_UPDATES >= HEAVY + 100 && N_LETTERS >= 100 && N_LETTERS <= N_UPDATES && N_EVENTS >= HEAVY_EVENTS && N_PHONES >= 1 &&
    C >= 1 && REQUESTS >= 1)) ||
    die "N_UPDATES >= HEAVY + 100, 100 <= N_LETTERS <= N_UPDATES, N_EVENTS >= HEAVY_EVENTS, N_PHONES, C and REQUESTS >= 1"
awk -v d="$DAYS" 'BEGIN { exit !(d > 1 && d < 30) }' || die "DAYS must be more than 1 and less than 30 (leadsync keeps 30d here)"

WORK="$(mktemp -d /tmp/leadsync-console.XXXXXX)"
DATA_ROOT="$(mktemp -d "$DATA_PARENT/leadsync-console-data.XXXXXX")"
APP_PID=""
cleanup() {
    stop_pid "$APP_PID"
    rm -rf "$WORK/quarkus-app" "$DATA_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"
HELPER="$BENCH_DIR/store/StoreBench.java"
find_sqlite_jar
META="$WORK/seed"
BIG="$DATA_ROOT/big"
URL=""

# leadsync for the pages: the demo profile (its sandbox CRMs are the three targets, so the stages page shows real
# catalogs and the dead-letter filters list them), the API key set, and everything that would run on its own during
# the measurement pushed out: stage polls after the first (1s after start), TeleCRM's change walk, the ETL jobs'
# schedules, the prune (keep-done 30d: the seeded week stays).
PAGE_ENV=(
    QUARKUS_PROFILE=demo
    "LEADSYNC_API_KEY=$API_KEY"
    LEADSYNC_STAGES_POLL_INTERVAL=1h
    LEADSYNC_SYNC_TELECRM_INTERVAL=1h
    LEADSYNC_SYNC_TELECRM_FULL_INTERVAL=1h
    LEADSYNC_ETL_STAGES_CRON=off
    LEADSYNC_ETL_LEAD_IMPORT_CRON=off
    LEADSYNC_ETL_TELECRM_LEADS_CRON=off
    LEADSYNC_ETL_TRUTO_LEADS_CRON=off
    LEADSYNC_DELIVERY_KEEP_DONE=30d
)

# ---- header ----------------------------------------------------------------------------------------------------------

echo "== leadsync console benchmark (SQLite, the embedded default)"
print_build_header
echo "   leadsync:    java $HEAP_OPTS${APP_EXTRA_OPTS:+ $APP_EXTRA_OPTS} -Xlog:gc:file=<run>.gc.log -jar quarkus-run.jar"
echo "                env -i: QUARKUS_HTTP_PORT, LEADSYNC_DATA_DIR, ${PAGE_ENV[*]/LEADSYNC_API_KEY=*/LEADSYNC_API_KEY=…}"
echo "   data dirs:   under $DATA_PARENT; SQLite driver $(basename "$SQLITE_JAR")"
echo "   seed:        $N_UPDATES finished updates ($N_PHONES phones + one with $HEAVY), $N_LETTERS dead letters, $N_EVENTS webhook"
echo "                events ($HEAVY_EVENTS of the busy phone), $ETL_RUNS ETL runs; over the last $DAYS days, $DAY_PCT % in the last day, $HOUR_PCT % in the last hour"
echo "   client:      java $CLIENT_OPTS bench/store/StoreBench.java console-load (JDK HttpClient, HTTP/1.1, $C thread(s), closed loop)"
echo "                $WARMUP unmeasured + $REQUESTS measured GETs per page, signed in once"
echo "   logs:        $WORK"
echo "   uptime:      $(uptime) (at start; well above 0 means other work is competing for the cores)"

# ---- 1. seed ---------------------------------------------------------------------------------------------------------

echo
echo "== 1. seed"
mkdir -p "$BIG"
start_leadsync schema "$BIG"
stop_leadsync
[[ -s "$BIG/store.db" ]] || die "leadsync left no $BIG/store.db"
echo "   schema: leadsync on a fresh data dir (Flyway creates the schema, V6 the phone column and its index, V7 lead_history) was ready after $READY_MS ms; stopped"
m0="$(machine_ticks)"
TIMEFORMAT='%R %U %S'
{ time helper console-seed "$BIG/store.db" "$META" "$N_UPDATES" "$N_LETTERS" "$N_EVENTS" "$N_PHONES" "$HEAVY" "$HEAVY_EVENTS" \
    "$DAYS" "$DAY_PCT" "$HOUR_PCT" "$ETL_RUNS" 1 >"$WORK/seed.out" 2>&1; } 2>"$WORK/seed.time" ||
    { cat "$WORK/seed.out" >&2; die "seeding failed"; }
m1="$(machine_ticks)"
grep -q '^FAIL' "$WORK/seed.out" && { cat "$WORK/seed.out" >&2; die "seeding failed"; }
read -r _ seed_user seed_sys <"$WORK/seed.time"
SO="$WORK/seed.out"
echo "   seeding: $(value seed_total_s "$SO") s ($(value seed_updates_s "$SO") s updates, $(value seed_letters_s "$SO") s dead letters," \
    "$(value seed_history_s "$SO") s history, $(value seed_events_s "$SO") s events and ETL runs; seeder CPU $(awk -v u="$seed_user" -v s="$seed_sys" 'BEGIN { printf "%.1f", u + s }') s;"
echo "            $(load_line "$m0" "$m1" "$(awk -v u="$seed_user" -v s="$seed_sys" 'BEGIN { printf "%d", (u + s) * 100 }')"))"
sed -n 's/^# /   /p' "$SO"
echo "   the pages ask for: heavy phone $(value heavy_phone "$SO") ($(value heavy_updates "$SO") updates, $(value heavy_events "$SO") events," \
    "$(value heavy_letters "$SO") dead letters, $(value heavy_history "$SO") history rows) and its oldest update $(value heavy_oldest_update "$SO");"
echo "        phone $(value few_phone "$SO") ($(value few_updates "$SO") updates, $(value few_events "$SO") events, $(value few_letters "$SO")" \
    "dead letters, $(value few_history "$SO") history rows) and its update $(value few_update "$SO"); the middle letter $(value middle_letter "$SO")"
stats seeded "$BIG/store.db"
echo "   seeded:  $(stat_line seeded)"
echo "   by table and index (dbstat):"
sed -n 's/^# /     /p' "$WORK/seeded.stats"

# ---- 2. plans --------------------------------------------------------------------------------------------------------

echo
echo "== 2. the statements behind the pages: SQLite's plan (no ANALYZE statistics, as leadsync runs them) and their cost in"
echo "   SQLite alone (StoreBench console-plans: the seeder's JVM, the same driver, one thread, warm, every column read)"
helper console-plans "$BIG/store.db" "$META" >"$WORK/plans.out" 2>&1 || { cat "$WORK/plans.out" >&2; die "plans failed"; }
sed -n 's/^# /   /p' "$WORK/plans.out"
awk '/^plan[0-9]+_what overview: (finished|dead letters)/ { k = $1; sub(/_what$/, "", k); w[k] = $0; sub(/^[^ ]+ overview: /, "", w[k]) }
    /^plan[0-9]+_counted / { k = $1; sub(/_counted$/, "", k)
        printf "   (%s: %d %s counted)\n", w[k], $2, (w[k] ~ /^dead letters/ ? "letters" : "updates") }' "$WORK/plans.out"

# ---- 3. pages --------------------------------------------------------------------------------------------------------

echo
echo "== 3. the pages"
start_leadsync pages "$BIG" "${PAGE_ENV[@]}"
URL="http://127.0.0.1:$APP_PORT"
echo "   leadsync ready after $READY_MS ms on port $APP_PORT (pid $APP_PID), RSS $READY_RSS_MIB MiB"
for ((i = 0; i < READY_TIMEOUT_S * 10; i++)); do
    stages="$(curl -s --max-time 2 -H "X-Api-Key: $API_KEY" "$URL/stages" || true)"
    ok=0
    for t in telecrm superfone truto:demo-pipedrive; do
        grep -q "\"source\":\"$t\",\"status\":\"OK\"" <<<"$stages" && ok=$((ok + 1))
    done
    ((ok == 3)) && break
    sleep 0.1
done
((ok == 3)) || { echo "$stages" >&2; die "GET /stages never showed the three demo sources OK"; }
sleep 2
a0="$(pid_ticks "$APP_PID")"
sleep 5
echo "   the demo's three catalogs loaded; leadsync idle before the pages: $(awk -v a="$a0" -v b="$(pid_ticks "$APP_PID")" 'BEGIN { printf "%.0f", (b - a) * 10 / 5 }') ms CPU per s over 5 s"
echo "   uptime before the pages: $(uptime)"
mark="$(gc_lines)"
OUT="$WORK/pages.out"
# shellcheck disable=SC2086
WATCH_PIDS="leadsync:$APP_PID" java $CLIENT_OPTS "$HELPER" console-load "$URL" "$META" "$API_KEY" "$C" "$REQUESTS" "$WARMUP" \
    "$REPO_ROOT/routes" >"$OUT" 2>&1 || {
    cat "$OUT" >&2
    log_summary "$LOG" >&2
    die "the console client failed (a FAIL line above says which answer was wrong)"
}
sed -n 's/^# /   /p' "$OUT"
echo "   uptime after the pages: $(uptime)"
RSS_AFTER=$(($(rss_kib "$APP_PID") / 1024))
read -r -a g <<<"$(gc_peaks "$GCLOG" "$mark")"
echo "   leadsync after the pages: RSS $RSS_AFTER MiB; heap ($HEAP_OPTS): peak heap-before-GC ${g[2]} MiB during the pages (${g[4]} GCs),"
echo "        max heap-after-GC ${g[3]} MiB; after a forced full GC at the end: $(heap_after_full_gc)"
log_summary "$LOG"
stop_leadsync

# ---- summary ---------------------------------------------------------------------------------------------------------

echo
echo "== summary ($N_UPDATES finished updates, $N_LETTERS dead letters, $N_EVENTS webhook events; $C client thread(s), $REQUESTS requests per page)"
printf '   %-48s %8s %8s %8s %10s %8s\n' page "p50 ms" "p99 ms" "max ms" "app ms/rq" "KiB"
awk -v slow="$SLOW_MS" '
    function id(f, p) { split(f, p, "_"); return p[1] }
    /^page[0-9]+_name / { name[id($1)] = $2; order[++n] = id($1) }
    /^page[0-9]+_p50_ms / { p50[id($1)] = $2 }
    /^page[0-9]+_p99_ms / { p99[id($1)] = $2 }
    /^page[0-9]+_max_ms / { mx[id($1)] = $2 }
    /^page[0-9]+_app_ms / { app[id($1)] = $2 }
    /^page[0-9]+_kib / { kib[id($1)] = $2 }
    END {
        for (i = 1; i <= n; i++) {
            k = order[i]; nm = name[k]; gsub(/_/, " ", nm)
            printf "   %-48s %8s %8s %8s %10s %8s%s\n", nm, p50[k], p99[k], mx[k], app[k], kib[k], (p99[k] + 0 > slow ? "  SLOW" : "")
        }
    }' "$OUT"
echo "   leadsync RSS $RSS_AFTER MiB after the pages"
awk -v slow="$SLOW_MS" -v plans="$WORK/plans.out" '
    function id(f, p) { split(f, p, "_"); return p[1] }
    function area(nm) { # the statements (labels of console-plans) behind a page
        if (nm ~ /overview/) return "^overview:"
        if (nm ~ /update id/) return "^lead"
        if (nm ~ /lead\?q=|older page/) return "^lead: "
        if (nm ~ /reason=UNREACHABLE/) return "UNREACHABLE"
        if (nm ~ /target=superfone/) return "target=superfone"
        if (nm ~ /after=/) return "after="
        if (nm ~ /since=/) return "since="
        if (nm ~ /dead-letters$/) return "first page"
        if (nm ~ /dead-letter\?id/) return "^dead-letter: "
        if (nm ~ /etl/) return "^etl:"
        return ""
    }
    /^page[0-9]+_name / { name[id($1)] = $2; order[++n] = id($1) }
    /^page[0-9]+_p99_ms / { p99[id($1)] = $2 }
    END {
        while ((getline line < plans) > 0) {
            split(line, f, " "); k = id(f[1])
            if (f[1] ~ /_what$/) { sub(/^[^ ]+ /, "", line); what[k] = line; keys[++m] = k }
            if (f[1] ~ /_mean_ms$/) mean[k] = f[2]
            if (f[1] ~ /_indexed$/) idx[k] = f[2]
            if (f[1] ~ /_counted$/) counted[k] = f[2]
            if (f[1] ~ /_plan$/) { sub(/^[^ ]+ /, "", line); plan[k] = line }
        }
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (p99[k] + 0 <= slow) continue
            nm = name[k]; gsub(/_/, " ", nm); a = area(nm); found++
            printf "   SLOW (p99 %s ms > %s ms): %s; its statements:\n", p99[k], slow, nm
            if (a == "") { print "     none in SQLite (this page reads leadsync'"'"'s memory)"; continue }
            for (j = 1; j <= m; j++) {
                kk = keys[j]
                if (what[kk] !~ a) continue
                printf "     %s: %s ms in SQLite alone, index used: %s%s\n       plan: %s\n", what[kk], mean[kk], idx[kk],
                    (kk in counted ? ", " counted[kk] " rows counted" : ""), plan[kk]
            }
        }
        if (!found) printf "   no page has a p99 over %s ms\n", slow
    }' "$OUT"
# The walk failed the client on a lost or repeated event; here what it covered, for the record.
echo "   the busy phone's timeline walked: $(value walk_pages "$OUT") pages, $(value walk_updates "$OUT") updates and" \
    "$(value walk_events "$OUT") webhook events, each on exactly one page ($(value walk_lost "$OUT") lost, $(value walk_repeated "$OUT")" \
    "shown twice); its oldest update's id opens the page that holds it: $(value old_update_shown "$OUT")"
echo "uptime at end: $(uptime)"
echo "logs kept in $WORK"
