#!/usr/bin/env bash
# Validate-mode benchmark: wall time of `LEADSYNC_VALIDATE_ROUTES=routes java -jar quarkus-run.jar` on the shipped
# routes/ directory, as CI runs it before a deploy, from launch to exit. Run from anywhere:
#
#   bash bench/validate.sh                                   # 5 runs, JVM defaults
#   RUNS=10 bash bench/validate.sh                           # more runs
#   JAVA_OPTS="-XX:TieredStopAtLevel=1" bash bench/validate.sh   # extra JVM options (default: none)
#
# Each run: a fresh working directory holding a copy of routes/ and nothing else, a clean environment (env -i),
# no CRM configured. A run must exit 0 and print exactly "route validation: OK, N route files" (on stderr, stdout
# empty), and leave the working directory as it was (validate mode writes nothing): else the script fails.
# Printed per run: wall ms (date +%s%N around the process), CPU s (user+sys) and peak RSS (GNU time), then the medians.
# Then one more run with the console log at INFO (QUARKUS_LOG_CONSOLE_LEVEL=INFO) splits its time by the log's
# timestamps: launch -> Camel's boot begins (JVM start, Quarkus start-up: config, CDI, Vert.x, datasources) ->
# route-file check's scratch context starts (the YAML DSL schema loaded, every file checked against it and parsed)
# -> exit (routes created in the scratch context, report, Quarkus stops what had started, JVM exit).
# No goal: a figure to track, and to compare with a full start (bench/startup.sh).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

RUNS="${RUNS:-5}"
JAVA_OPTS="${JAVA_OPTS:-}"
TIMEOUT_S="${TIMEOUT_S:-120}"
[[ "$RUNS" =~ ^[0-9]+$ ]] && ((RUNS >= 1)) || die "RUNS must be a whole number >= 1, not '$RUNS'"
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is needed for CPU time and peak RSS (apt-get install time)"

WORK="$(mktemp -d /tmp/leadsync-validate.XXXXXX)"
cleanup() {
    rm -rf "$WORK/quarkus-app" "$WORK"/run-*/routes
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_jar
JAR="$(snapshot_app "$WORK")"
FILES="$(find routes -maxdepth 1 -name '*.yaml' | wc -l)"
EXPECTED="route validation: OK, $FILES route files"

echo "== leadsync validate-mode benchmark"
echo "   date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "   nproc:     $(nproc)"
echo "   java:      $(java -version 2>&1 | head -1)"
echo "   jar:       $JAR_REL (built $(date -u -r "$REPO_ROOT/$JAR_REL" '+%Y-%m-%d %H:%M:%S UTC'), run from a copy)"
echo "   git HEAD:  $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)"
echo "   JVM opts:  ${JAVA_OPTS:-(none)}"
echo "   routes:    routes/, $FILES files"
echo "   runs:      $RUNS, then one with the log at INFO for the phases"
echo "   logs:      $WORK"
echo "   loadavg:   $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"
echo

# run_validate DIR [VAR=VALUE ...]: validate mode in DIR (holding routes/); exit code, wall ms, CPU s and peak RSS
# KiB into DIR.exit, DIR.ms, DIR.time, launch and exit instants into DIR.span; stdout and stderr into DIR.out and DIR.err.
run_validate() {
    local dir="$1" t0 t1 code
    shift
    t0=$(date +%s%N)
    set +e
    # shellcheck disable=SC2086
    (cd "$dir" && env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" LEADSYNC_VALIDATE_ROUTES=routes "$@" \
        /usr/bin/time -f '%U %S %M' -o "$dir.time" timeout "$TIMEOUT_S" java $JAVA_OPTS -jar "$JAR" \
        >"$dir.out" 2>"$dir.err")
    code=$?
    set -e
    t1=$(date +%s%N)
    echo "$code" >"$dir.exit"
    echo $(((t1 - t0) / 1000000)) >"$dir.ms"
    echo "$((t0 / 1000000)) $((t1 / 1000000))" >"$dir.span" # launch and exit, epoch ms
}

# The working directory's listing (names, sizes), to see that a run wrote nothing there.
listing() {
    (cd "$1" && find . -printf '%p %s\n' | sort)
}

MS_FILE="$WORK/ms.txt"
CPU_FILE="$WORK/cpu.txt"
RSS_FILE="$WORK/rss.txt"
: >"$MS_FILE"
: >"$CPU_FILE"
: >"$RSS_FILE"

for ((run = 1; run <= RUNS; run++)); do
    DIR="$WORK/run-$run"
    mkdir -p "$DIR"
    cp -a routes "$DIR/routes"
    BEFORE="$(listing "$DIR")"
    run_validate "$DIR"
    CODE="$(cat "$DIR.exit")"
    # GNU time appends "Command exited with non-zero status N" before its line when the command failed.
    read -r USER_S SYS_S RSS_KIB < <(tail -1 "$DIR.time")
    if [[ "$CODE" != 0 || "$(cat "$DIR.err")" != "$EXPECTED" || -s "$DIR.out" ]]; then
        echo "--- stdout:" >&2
        head -20 "$DIR.out" >&2
        echo "--- stderr:" >&2
        head -20 "$DIR.err" >&2
        die "run $run: exit $CODE; expected exit 0 and only '$EXPECTED' on stderr"
    fi
    [[ "$(listing "$DIR")" == "$BEFORE" ]] || die "run $run: the working directory changed: $(diff <(echo "$BEFORE") <(listing "$DIR") || true)"
    MS="$(cat "$DIR.ms")"
    CPU="$(awk -v u="$USER_S" -v s="$SYS_S" 'BEGIN { printf "%.2f", u + s }')"
    RSS_MIB="$(awk -v k="$RSS_KIB" 'BEGIN { printf "%.1f", k / 1024 }')"
    printf 'run %d: exit 0 after %5d ms   CPU %5s s (user+sys)   peak RSS %6.1f MiB\n' "$run" "$MS" "$CPU" "$RSS_MIB"
    echo "$MS" >>"$MS_FILE"
    echo "$CPU" >>"$CPU_FILE"
    echo "$RSS_MIB" >>"$RSS_FILE"
    sleep 1
done

echo
echo "median: $(median <"$MS_FILE") ms wall, $(median <"$CPU_FILE") s CPU, $(median <"$RSS_FILE") MiB peak RSS" \
    "  (min/max ms: $(sort -n "$MS_FILE" | head -1)/$(sort -n "$MS_FILE" | tail -1))"

# Phases, from one run with the console log at INFO (its lines carry millisecond timestamps).
DIR="$WORK/run-phases"
mkdir -p "$DIR"
cp -a routes "$DIR/routes"
run_validate "$DIR" QUARKUS_LOG_CONSOLE_LEVEL=INFO
read -r LAUNCH_MS END_MS <"$DIR.span"
stamp_ms() { # the epoch ms of the first log line matching $1 ("2026-12-06 10:29:32,705 INFO ..."), or nothing
    local line
    line="$(grep -m1 -E "$1" "$DIR.err" || true)"
    [[ -n "$line" ]] || return 0
    date -d "$(echo "$line" | awk '{ print $1 " " $2 }' | tr , .)" +%s%3N
}
CAMEL_MS="$(stamp_ms 'Apache Camel Quarkus .* is starting')"
CHECK_MS="$(stamp_ms '\(route-file-check\) is starting')"
echo
if [[ "$(cat "$DIR.exit")" == 0 && -n "$CAMEL_MS" && -n "$CHECK_MS" ]]; then
    echo "phases of one run with the log at INFO ($(cat "$DIR.ms") ms in all):"
    echo "   launch -> Camel's boot begins (JVM start, Quarkus start-up):        $((CAMEL_MS - LAUNCH_MS)) ms"
    echo "   -> the scratch context starts (schema loaded, files checked, parsed): $((CHECK_MS - CAMEL_MS)) ms"
    echo "   -> exit (routes created, report, Quarkus stops, JVM exits):          $((END_MS - CHECK_MS)) ms"
else
    echo "phases: not found in $DIR.err (exit $(cat "$DIR.exit"))"
fi
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "outputs kept in $WORK"
