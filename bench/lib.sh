# Helpers shared by the bench/*.sh scripts. Sourced, not run.
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR_REL="target/quarkus-app/quarkus-run.jar"

die() {
    echo "FAIL: $*" >&2
    exit 1
}

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# Builds the jar with the wrapper when it is missing, or older than a file under src/main or the pom (so a
# checkout of other code, e.g. another lead store, is not measured with a jar built from the old one).
ensure_jar() {
    local why=""
    if [[ ! -f "$REPO_ROOT/$JAR_REL" ]]; then
        why="is missing"
    elif [[ -n "$(find "$REPO_ROOT/src/main" "$REPO_ROOT/pom.xml" -newer "$REPO_ROOT/$JAR_REL" -print -quit)" ]]; then
        why="is older than src/main or pom.xml"
    fi
    if [[ -n "$why" ]]; then
        echo "== $JAR_REL $why: building it (./mvnw -q -B -ntp -o package -DskipTests)"
        (cd "$REPO_ROOT" && ./mvnw -q -B -ntp -o package -DskipTests) || die "the build failed"
        [[ -f "$REPO_ROOT/$JAR_REL" ]] || die "the build did not produce $JAR_REL"
    fi
}

# Copies target/quarkus-app into $1 so a rebuild by someone else during the benchmark cannot swap the
# jar under a running measurement. Prints the copied jar's path.
snapshot_app() {
    local into="$1"
    cp -a "$REPO_ROOT/target/quarkus-app" "$into/quarkus-app"
    echo "$into/quarkus-app/quarkus-run.jar"
}

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
    local p tries=0
    while ((tries < 200)); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
                echo "$p"
                return 0
            fi
        fi
        tries=$((tries + 1))
    done
    die "no free port found"
}

# Median of the numbers on stdin (one per line); the mean of the two middle ones for an even count.
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "n/a"; exit }
        if (NR % 2) { print v[(NR + 1) / 2] } else { printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }
    }'
}

# Waits until GET $1 answers 200, polling every $2 seconds, for at most $3 seconds; fails if pid $4 dies.
wait_http_200() {
    local url="$1" every="$2" limit_s="$3" pid="$4" deadline
    deadline=$(($(now_ms) + limit_s * 1000))
    while true; do
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" == "200" ]]; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 2
        (($(now_ms) < deadline)) || return 1
        sleep "$every"
    done
}

# Stops a process this script started: SIGTERM, then SIGKILL after 15 s.
stop_pid() {
    local pid="$1" i
    [[ -n "$pid" ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    echo "   (pid $pid ignored SIGTERM for 15 s; killing it)" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# VmRSS of a pid in KiB.
rss_kib() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# Lines of a leadsync log at WARN level or worse (Quarkus console format: "... LEVEL [logger] ...").
log_problems() {
    grep -E '^[0-9-]+ [0-9:,.]+ +(WARN|ERROR|FATAL) ' "$1" || true
}

# gc_peaks GCLOG FROM_LINE -> "peak_before_all max_after_all peak_before_window max_after_window gcs_in_window"
# in MiB, from a -Xlog:gc log; the window is every line after FROM_LINE. Full GCs we forced (System.gc,
# jcmd) are left out.
gc_peaks() {
    awk -v from="$2" '
        function mib(v, u) { return u == "K" ? v / 1024 : (u == "G" ? v * 1024 : (u == "B" ? v / 1048576 : v)) }
        /Pause Full \((System.gc\(\)|Diagnostic Command)\)/ { next }
        match($0, /[0-9]+[BKMG]->[0-9]+[BKMG]\(/) {
            s = substr($0, RSTART, RLENGTH - 1)
            split(s, p, "->")
            b = mib(substr(p[1], 1, length(p[1]) - 1) + 0, substr(p[1], length(p[1])))
            a = mib(substr(p[2], 1, length(p[2]) - 1) + 0, substr(p[2], length(p[2])))
            if (b > pb) pb = b; if (a > pa) pa = a
            if (NR > from) { if (b > qb) qb = b; if (a > qa) qa = a; n++ }
        }
        END { printf "%d %d %d %d %d\n", pb, pa, qb, qa, n }
    ' "$1"
}
