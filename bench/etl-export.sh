#!/usr/bin/env bash
# ETL export benchmark: leadsync's `telecrm-leads` job, run once as a Kubernetes CronJob runs it
# (LEADSYNC_RUN_ONCE=telecrm-leads java -jar quarkus-run.jar, exits 0 on success), against a fake TeleCRM lead
# search (bench/etl/FakeLeadSearch.java) on 127.0.0.1 that generates N leads on the fly. Run from anywhere:
#
#   bash bench/etl-export.sh
#   SIZES="2000 20000" bash bench/etl-export.sh
#   SIZES=1000000 RUNS=3 HEAP_OPTS="-Xmx128m -XX:+UseG1GC" bash bench/etl-export.sh
#
# For every size N in SIZES (and every one of RUNS rounds): a fresh fake with N leads, a fresh data dir, one
# leadsync process with a GC log; leads/s = N / the run's own duration (EtlJobs' start, which names the export
# files, -> the "ETL telecrm-leads (run-once): SUCCEEDED" log line); the process's wall time separately; heap
# from the GC log during the run; peak RSS. The run fails the script unless it exits 0 and leaves exactly one
# .jsonl with N lines and N distinct leadIds, one .csv with N records and N distinct leadIds, no hidden temp
# file, a checkpoint at the newest lead, and the fake saw exactly one request per page.
# leadsync gets a clean environment (env -i: PATH, HOME, LANG, TZ=UTC and its own settings below): no datasource
# URL, so the files alone are written. The fake counts any other request (run-once stops the stage-poll timers, so
# there should be none).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT" # leadsync reads ./routes/*.yaml

SIZES="${SIZES:-100000 1000000}"
RUNS="${RUNS:-1}"
HEAP_OPTS="${HEAP_OPTS:--Xmx256m -XX:+UseG1GC}"
PAGE_SIZE="${PAGE_SIZE:-100}"
FAKE_OPTS="${FAKE_OPTS:--Xmx128m -XX:+UseSerialGC}"
RUN_TIMEOUT_S="${RUN_TIMEOUT_S:-1800}"
KEEP_EXPORTS="${KEEP_EXPORTS:-0}" # 1: keep each run's export files (1M leads: about 0.7 GB per run)
JOB=telecrm-leads

command -v curl >/dev/null || die "curl is needed"
command -v sqlite3 >/dev/null || die "sqlite3 is needed (the checkpoint is read from the store)"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a whole number >= 1"
[[ "$PAGE_SIZE" =~ ^[0-9]+$ ]] && ((PAGE_SIZE >= 1 && PAGE_SIZE <= 100)) || die "PAGE_SIZE must be 1..100 (TeleCRM's limit)"
for n in $SIZES; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] && ((n <= 99999999)) || die "SIZES must be whole numbers 1..99999999, not '$n'"
done

# Peak RSS: GNU time's getrusage maxrss (exact) when it is there, else VmHWM sampled every 0.2 s.
GNU_TIME=""
if [[ -x /usr/bin/time ]] && /usr/bin/time --version 2>&1 | grep -q GNU; then
    GNU_TIME=/usr/bin/time
fi

WORK="$(mktemp -d /tmp/leadsync-etl.XXXXXX)"
WRAP_PID="" # the leadsync process as started: GNU time, or java itself
APP_PID=""  # java
FAKE_PID=""
cleanup() {
    stop_pid "$APP_PID"
    [[ "$WRAP_PID" == "$APP_PID" ]] || stop_pid "$WRAP_PID"
    stop_pid "$FAKE_PID"
    rm -rf "$WORK/quarkus-app"
    # a verified run's exports are deleted at once (unless KEEP_EXPORTS=1); what is left belongs to a failed run
    if [[ "$KEEP_EXPORTS" != 1 ]] && compgen -G "$WORK/data-*/exports/*" >/dev/null; then
        echo "   (export files of the failed run kept for inspection: $(du -sh "$WORK" | cut -f1) in $WORK)" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"

echo "== leadsync ETL export benchmark ($JOB, run-once)"
echo "   date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "   nproc:      $(nproc)"
echo "   java:       $(java -version 2>&1 | head -1)"
echo "   jar:        $JAR_REL (built $(date -u -r "$REPO_ROOT/$JAR_REL" '+%Y-%m-%d %H:%M:%S UTC'), run from a copy)"
echo "   git HEAD:   $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)"
echo "   leadsync:   LEADSYNC_RUN_ONCE=$JOB java $HEAP_OPTS -Xlog:gc*:file=<run>.gc.log -jar quarkus-run.jar"
echo "   fake:       java $FAKE_OPTS bench/etl/FakeLeadSearch.java PORT N"
echo "   sizes:      $SIZES; runs per size: $RUNS; page size: $PAGE_SIZE"
echo "   peak RSS:   $([[ -n "$GNU_TIME" ]] && echo "GNU time (getrusage maxrss)" || echo "VmHWM sampled every 0.2 s")"
echo "   logs:       $WORK"
if [[ -f "$REPO_ROOT/config/application.properties" ]]; then
    echo "   WARNING:    $REPO_ROOT/config/application.properties exists and leadsync reads it (a datasource URL there"
    echo "               would add PostgreSQL to every run); move it away for a clean measurement"
fi
echo "   loadavg:    $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"

# ---- helpers -----------------------------------------------------------------------------------------------

# "2026-11-22 17:32:23,036" or "20261122T173222371Z" (UTC) -> epoch ms
epoch_ms() {
    local t="$1"
    if [[ "$t" =~ ^([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{3})Z$ ]]; then
        t="${BASH_REMATCH[1]}-${BASH_REMATCH[2]}-${BASH_REMATCH[3]} ${BASH_REMATCH[4]}:${BASH_REMATCH[5]}:${BASH_REMATCH[6]}.${BASH_REMATCH[7]}"
    fi
    date -u -d "${t/,/.}" +%s%3N
}

fake_stat() { # NAME -> its value(s) in the fake's GET /stats, as saved after the run
    awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$WORK/$RUN.fake-stats"
}

cpu_s() { # PID -> utime + stime in seconds, from /proc/PID/stat
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo "n/a"
}

start_fake() { # LEADS
    stop_pid "$FAKE_PID"
    FAKE_PORT="$(free_port)"
    FAKE_LOG="$WORK/$RUN.fake.log"
    # shellcheck disable=SC2086
    java $FAKE_OPTS "$BENCH_DIR/etl/FakeLeadSearch.java" "$FAKE_PORT" "$1" >"$FAKE_LOG" 2>&1 &
    FAKE_PID=$!
    wait_http_200 "http://127.0.0.1:$FAKE_PORT/health" 0.1 60 "$FAKE_PID" || {
        cat "$FAKE_LOG" >&2
        die "[$RUN] FakeLeadSearch did not start"
    }
}

# The java process under GNU time (its only child), or the started process itself.
java_pid_of() {
    local wrap="$1" child i
    if [[ -z "$GNU_TIME" ]]; then
        echo "$wrap"
        return
    fi
    for ((i = 0; i < 100; i++)); do
        child="$(pgrep -P "$wrap" 2>/dev/null | head -1 || true)"
        if [[ -n "$child" ]]; then
            echo "$child"
            return
        fi
        kill -0 "$wrap" 2>/dev/null || break
        sleep 0.02
    done
    echo ""
}

# gc_stats GCLOG FROM_MS TO_MS -> "max_after max_before pauses young mixed full remark max_after_all max_before_all"
# (MiB; the run's figures count the pauses that ended within [FROM_MS, TO_MS], from the timemillis decorator;
# "-" when none did)
gc_stats() {
    awk -v from="$2" -v to="$3" '
        function mib(v, u) { return u == "K" ? v / 1024 : (u == "G" ? v * 1024 : (u == "B" ? v / 1048576 : v)) }
        !/\]\[gc +\] GC\([0-9]+\) Pause/ { next }
        match($0, /[0-9]+[BKMG]->[0-9]+[BKMG]\(/) {
            s = substr($0, RSTART, RLENGTH - 1)
            split(s, p, "->")
            b = mib(substr(p[1], 1, length(p[1]) - 1) + 0, substr(p[1], length(p[1])))
            a = mib(substr(p[2], 1, length(p[2]) - 1) + 0, substr(p[2], length(p[2])))
            if (b > pb) pb = b; if (a > pa) pa = a
            t = match($0, /\[[0-9]+ms\]/) ? substr($0, RSTART + 1, RLENGTH - 4) + 0 : -1
            if (t >= from && t <= to) {
                if (b > qb) qb = b; if (a > qa) qa = a; n++
                if ($0 ~ /Pause Young \(Mixed\)/) mixed++
                else if ($0 ~ /Pause Young/) young++
                else if ($0 ~ /Pause Full/) full++
                else if ($0 ~ /Pause Remark/) remark++
            }
        }
        END {
            if (n) printf "%.0f %.0f ", qa, qb; else printf "- - " # no pause within the run
            printf "%d %d %d %d %d %.0f %.0f\n", n, young, mixed, full, remark, pa, pb
        }
    ' "$1"
}

# ---- one run ---------------------------------------------------------------------------------------------------

: >"$WORK/summary"

run_once() { # N ROUND
    local n="$1" round="$2"
    RUN="n$n-r$round"
    local log="$WORK/$RUN.log" gclog="$WORK/$RUN.gc.log" data="$WORK/data-$RUN" timef="$WORK/$RUN.time.txt"
    local pages=$(((n + PAGE_SIZE - 1) / PAGE_SIZE))
    echo
    echo "== run $RUN: $n leads, $pages pages of $PAGE_SIZE"
    start_fake "$n"
    mkdir -p "$data"
    local app_port
    app_port="$(free_port)"
    local -a wrap=()
    [[ -z "$GNU_TIME" ]] || wrap=("$GNU_TIME" -v -o "$timef")
    local t0 t1
    t0=$(now_ms)
    # The stage poll of TeleCRM (its timer starts in run-once mode too, 1 s after start-up) is pushed out of the
    # run, so only the export talks to the fake; TZ=UTC makes the log's timestamps UTC.
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" TZ=UTC \
        QUARKUS_HTTP_PORT="$app_port" \
        LEADSYNC_DATA_DIR="$data" \
        LEADSYNC_RUN_ONCE="$JOB" \
        LEADSYNC_TELECRM_BASE_URL="http://127.0.0.1:$FAKE_PORT/autoupdate/v2" \
        LEADSYNC_TELECRM_ENTERPRISE_ID=bench \
        LEADSYNC_TELECRM_TOKEN=t \
        LEADSYNC_ETL_PAGE_SIZE="$PAGE_SIZE" \
        "${wrap[@]}" java $HEAP_OPTS "-Xlog:gc*:file=$gclog:timemillis,uptime,level,tags" -jar "$JAR" >"$log" 2>&1 &
    WRAP_PID=$!
    APP_PID="$(java_pid_of "$WRAP_PID")"
    [[ -n "$APP_PID" ]] || APP_PID="$WRAP_PID"
    local hwm=0 h deadline=$((t0 + RUN_TIMEOUT_S * 1000))
    while kill -0 "$APP_PID" 2>/dev/null; do
        h="$(awk '/^VmHWM:/ { print $2 }' "/proc/$APP_PID/status" 2>/dev/null || true)"
        [[ -z "$h" ]] || hwm="$h"
        if (($(now_ms) > deadline)); then
            tail -30 "$log" >&2
            die "[$RUN] leadsync still running after $RUN_TIMEOUT_S s (RUN_TIMEOUT_S)"
        fi
        sleep 0.2
    done
    local rc=0
    wait "$WRAP_PID" || rc=$?
    t1=$(now_ms)
    APP_PID=""
    WRAP_PID=""
    local wall_ms=$((t1 - t0))

    # ---- the run's outcome, from its log
    local done_line
    done_line="$(grep -E "ETL $JOB \(run-once[^)]*\): " "$log" || true)"
    if ((rc != 0)) || [[ "$(grep -c . <<<"$done_line")" != 1 ]] || ! grep -q ': SUCCEEDED, ' <<<"$done_line"; then
        echo "--- leadsync log, WARN/ERROR lines (at most 20):" >&2
        log_problems "$log" | head -20 | cut -c1-400 >&2
        echo "--- leadsync log, last 15 lines:" >&2
        tail -15 "$log" >&2
        die "[$RUN] leadsync exited $rc; outcome line: ${done_line:-none}"
    fi
    echo "   $(cut -d' ' -f1,2 <<<"$done_line") ${done_line#*\) }"
    local records skipped
    records="$(grep -oE 'SUCCEEDED, [0-9]+ records' <<<"$done_line" | grep -oE '[0-9]+' || true)"
    skipped="$(grep -oE '[0-9]+ skipped' <<<"$done_line" | grep -oE '[0-9]+' || true)"
    [[ "$records" == "$n" && "$skipped" == 0 ]] || die "[$RUN] leadsync says $records records, $skipped skipped; expected $n and 0"

    # ---- the export files
    local exports="$data/exports" listing jsonl csv stamp
    listing="$(ls -A "$exports" 2>/dev/null || true)"
    echo "   exports: $(tr '\n' ' ' <<<"$listing")"
    jsonl="$(grep -E "^$JOB-[0-9]{8}T[0-9]{9}Z\.jsonl$" <<<"$listing" || true)"
    [[ "$(grep -c . <<<"$jsonl")" == 1 ]] || die "[$RUN] expected exactly one $JOB-*.jsonl in $exports, found: ${listing:-nothing}"
    stamp="${jsonl#"$JOB"-}"
    stamp="${stamp%.jsonl}"
    csv="$JOB-$stamp.csv"
    [[ "$listing" == "$(printf '%s\n%s' "$csv" "$jsonl")" ]] ||
        die "[$RUN] $exports must hold exactly $csv and $jsonl (no hidden temp file, nothing else); it holds: $(tr '\n' ' ' <<<"$listing")"

    local lines ids bad
    lines="$(wc -l <"$exports/$jsonl" | tr -d ' ')"
    # every line's leadId, which must be lead-K with 1 <= K <= N; distinct ones counted
    bad="$(awk -v n="$n" '{
            if (!match($0, /"leadId":"lead-[0-9]+"/)) { bad++; next }
            k = substr($0, RSTART + 15, RLENGTH - 16) + 0
            if (k < 1 || k > n) bad++
            print k > "/dev/stderr"
        } END { print bad + 0 }' "$exports/$jsonl" 2>"$WORK/$RUN.jsonl-ids")"
    ids="$(LC_ALL=C sort -u "$WORK/$RUN.jsonl-ids" | wc -l | tr -d ' ')"
    local order
    order="$(awk 'NR > 1 && $1 != prev - 1 { bad = 1 } { prev = $1 } END { print bad ? "not newest first" : "newest first" }' "$WORK/$RUN.jsonl-ids")"
    rm -f "$WORK/$RUN.jsonl-ids"
    echo "   $jsonl: $lines lines, $ids distinct leadIds, $bad lines without a leadId lead-1..lead-$n ($order)"
    ((lines == n && ids == n && bad == 0)) || die "[$RUN] $jsonl: expected $n lines with $n distinct leadIds lead-1..lead-$n"

    # CSV records, quote-aware: a record ends at a line break outside quotes (RFC 4180, "" is an escaped quote,
    # which keeps the count of quotes even). The first two columns (source, leadId) are never quoted here.
    local csv_stats header rows physical csv_ids
    header="$(head -1 "$exports/$csv")"
    [[ "$header" == "source,leadId,stage,phone,name,email,fields" ]] || die "[$RUN] $csv: unexpected header '$header'"
    csv_stats="$(awk '
        { q = gsub(/"/, "\"") ; open = (open + q) % 2
          if (!inrec) { split($0, c, ","); if (NR > 1) print c[2] > "/dev/stderr"; inrec = 1 }
          if (!open) { records++; inrec = 0 } }
        END { print records + 0, NR, open }' "$exports/$csv" 2>"$WORK/$RUN.csv-ids")"
    read -r rows physical bad <<<"$csv_stats"
    rows=$((rows - 1)) # the header
    csv_ids="$(LC_ALL=C sort -u "$WORK/$RUN.csv-ids" | wc -l | tr -d ' ')"
    rm -f "$WORK/$RUN.csv-ids"
    echo "   $csv: $rows records ($physical physical lines incl. header), $csv_ids distinct leadIds"
    ((bad == 0)) || die "[$RUN] $csv ends inside a quoted cell"
    ((rows == n && csv_ids == n)) || die "[$RUN] $csv: expected $n records with $n distinct leadIds"
    ((physical == n + 1)) || die "[$RUN] $csv: $physical physical lines for $n records: a cell holds a line break the fake never sends"
    if [[ "$KEEP_EXPORTS" != 1 ]]; then
        rm -f "$exports/$jsonl" "$exports/$csv"
    fi

    # ---- the checkpoint: the newest lead's created_on (the fake prints its range at start), saved in the
    # store (<data>/store.db, table etl_checkpoint) as {"created_on":"N"}
    local newest checkpoint
    newest="$(grep -oE 'created_on [0-9]+\.\.[0-9]+' "$FAKE_LOG" | sed -E 's/.*\.\.//')"
    checkpoint="$(sqlite3 "$data/store.db" "select positions from etl_checkpoint where job = '$JOB'" 2>/dev/null |
        grep -oE '"created_on":"[0-9]+' | head -1 | grep -oE '[0-9]+$' || true)"
    echo "   checkpoint: ${checkpoint:-none} (newest lead's created_on: $newest)"
    [[ "$checkpoint" == "$newest" ]] || die "[$RUN] checkpoint ${checkpoint:-missing}, expected $newest"

    # ---- what the fake saw
    curl -s --max-time 5 -o "$WORK/$RUN.fake-stats" "http://127.0.0.1:$FAKE_PORT/stats" || die "[$RUN] GET /stats of the fake failed"
    local fake_cpu
    fake_cpu="$(cpu_s "$FAKE_PID")"
    local req ok rows_served other unauth badreq filtered first_us last_us
    req="$(fake_stat search_requests)"
    ok="$(fake_stat search_ok)"
    rows_served="$(fake_stat rows_served)"
    other="$(fake_stat other_requests)"
    unauth="$(fake_stat unauthorized)"
    badreq="$(fake_stat bad_requests)"
    filtered="$(fake_stat search_filtered)"
    first_us="$(fake_stat first_search_us)"
    last_us="$(fake_stat last_answer_us)"
    stop_pid "$FAKE_PID"
    FAKE_PID=""
    echo "   fake: $req searches ($ok answered 200, $filtered with created_on), $rows_served rows, $unauth 401, $badreq 400/405, $other other requests"
    ((req == pages && ok == pages && rows_served == n && other == 0 && unauth == 0 && badreq == 0 && filtered == 0)) ||
        die "[$RUN] the fake should have served exactly $pages unfiltered searches ($n rows) and nothing else"

    # ---- times: the run's own start is EtlJobs' `started`, which names the files (UTC, ms); its end the outcome line
    local start_ms end_ms run_ms started_line started_ms fetch_ms
    start_ms="$(epoch_ms "$stamp")"
    end_ms="$(epoch_ms "$(cut -d' ' -f1,2 <<<"$done_line")")"
    run_ms=$((end_ms - start_ms))
    ((run_ms > 0)) || die "[$RUN] run duration $run_ms ms from $stamp to the outcome line"
    started_line="$(grep -E 'INFO +\[io.quarkus\] .* started in ' "$log" | head -1 || true)"
    started_ms="$(grep -oE 'started in [0-9.]+s' <<<"$started_line" | grep -oE '[0-9.]+' || echo '?')"
    fetch_ms=$(((last_us - first_us) / 1000))
    local rate
    rate="$(awk -v n="$n" -v ms="$run_ms" 'BEGIN { printf "%.0f", n * 1000 / ms }')"
    echo "   run: $run_ms ms (files' stamp $stamp -> outcome line), $rate leads/s; first search -> last answer $fetch_ms ms;" \
        "first search $(((first_us / 1000) - start_ms)) ms after the run started"
    echo "   process: wall $wall_ms ms (launch -> exit), Quarkus 'started in ${started_ms}s', run ended $((t0 + wall_ms - end_ms)) ms before the exit"
    # pace per tenth of the walk: leads between the first searches of two tenths / the time between them
    echo "   leads/s per tenth of the walk (fake's arrivals): $(awk -v n="$n" -v last="$last_us" '
        NR == 1 { for (i = 1; i <= NF; i++) t[i] = $i }
        NR == 2 { for (i = 1; i <= NF; i++) k[i] = $i; m = NF }
        END {
            t[m + 1] = last; k[m + 1] = n; out = ""
            for (i = 1; i <= m; i++) {
                if (t[i] == 0 || t[i + 1] <= t[i]) { out = out " -"; continue }
                out = out sprintf(" %.0f", (k[i + 1] - k[i]) * 1e6 / (t[i + 1] - t[i]))
            }
            print substr(out, 2)
        }' <<<"$(fake_stat tenths_us; fake_stat tenths_skip)")"

    # ---- heap and RSS
    local -a g
    read -r -a g <<<"$(gc_stats "$gclog" "$start_ms" "$end_ms")"
    local rss_mib rss_src app_cpu="n/a"
    if [[ -n "$GNU_TIME" && -s "$timef" ]]; then
        rss_mib="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$timef")"
        rss_src="maxrss"
        app_cpu="$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$timef")"
    else
        rss_mib="$(awk -v k="$hwm" 'BEGIN { printf "%.0f", k / 1024 }')"
        rss_src="VmHWM sampled"
    fi
    echo "   heap during the run ($HEAP_OPTS): max after GC ${g[0]} MiB, max before GC ${g[1]} MiB;" \
        "${g[2]} pauses (${g[3]} young, ${g[4]} mixed, ${g[5]} full, ${g[6]} remark)"
    echo "   heap over the whole process: max after GC ${g[7]} MiB, max before GC ${g[8]} MiB;" \
        "peak RSS $rss_mib MiB ($rss_src; last VmHWM sample $((hwm / 1024)) MiB)"
    echo "   CPU: leadsync ${app_cpu} s (user + sys, whole process), the fake $fake_cpu s (whole life)"
    local nproblems
    nproblems="$(log_problems "$log" | grep -vc 'This Gauge has been already registered' || true)"
    echo "   leadsync log: $nproblems WARN/ERROR lines besides Micrometer's gauge warning ($log)"
    if ((nproblems > 0)); then
        log_problems "$log" | grep -v 'This Gauge has been already registered' | cut -c1-300 | sort | uniq -c | sort -rn | head -5 | sed 's/^/     /'
    fi
    echo "$n $round $rate $run_ms $wall_ms ${g[0]} ${g[1]} $rss_mib ${g[2]}" >>"$WORK/summary"
}

for n in $SIZES; do
    for ((r = 1; r <= RUNS; r++)); do
        run_once "$n" "$r"
    done
done

# ---- summary -------------------------------------------------------------------------------------------------------
echo
echo "== summary ($JOB run-once, page size $PAGE_SIZE, $HEAP_OPTS; heap from the GC log, pauses within the run)"
printf '   %10s %4s %9s %9s %10s %16s %17s %13s %7s\n' size run leads/s "run s" "wall s" "max after-GC MiB" "max before-GC MiB" "peak RSS MiB" pauses
while read -r n round rate run_ms wall_ms qa qb rss gcs; do
    printf '   %10s %4s %9s %9.2f %10.2f %16s %17s %13s %7s\n' "$n" "$round" "$rate" \
        "$(awk -v v="$run_ms" 'BEGIN { print v / 1000 }')" "$(awk -v v="$wall_ms" 'BEGIN { print v / 1000 }')" \
        "$qa" "$qb" "$rss" "$gcs"
done <"$WORK/summary"
echo "   leads/s = size / run s; run = EtlJobs' start (the export files' stamp) -> the 'SUCCEEDED' log line;"
echo "   wall = launch -> exit of the whole process (JVM start-up, Quarkus start, run, shutdown)."
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "logs kept in $WORK"
