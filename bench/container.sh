#!/usr/bin/env bash
# Plain jar vs JVM container, side by side in one run: time from launch to the first 200 on
# /q/health/ready, and the java process's RSS (VmRSS) at that moment. Both run the demo profile (the
# sandbox plays the three CRMs) with a fresh data dir. Runs alternate jar, container, jar, … so a change
# of load on the machine hits both alike. As root, with podman (src/main/docker/container-check.sh sets
# it up):
#
#   bash bench/container.sh               # 5 runs of each
#   RUNS=9 bash bench/container.sh
#
# The container is the image of src/main/docker/Dockerfile.jvm, built from the same copy of
# target/quarkus-app as the jar on $BASE_IMAGE (made by container-check.sh when missing), tagged
# $BENCH_IMAGE and removed at the end; it runs as shipped: --read-only --tmpfs /tmp, a named volume,
# --network host, JSON logs, the image's JAVA_OPTS. The jar runs with JVM defaults and plain logs.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT" # the jar reads ./routes/*.yaml

RUNS="${RUNS:-5}"
POLL_EVERY="${POLL_EVERY:-0.02}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-120}"
BASE_IMAGE="${BASE_IMAGE:-localhost/leadsync-jre17:bookworm}"
BENCH_IMAGE="localhost/leadsync:bench-$$"

WORK="$(mktemp -d /tmp/leadsync-container-bench.XXXXXX)"
APP_PID=""
CTR=""
cleanup() {
    stop_pid "$APP_PID"
    if [[ -n "$CTR" ]]; then podman rm -f -t 5 "$CTR" >/dev/null 2>&1 || true; fi
    podman volume rm -f "leadsync-bench-$$" >/dev/null 2>&1 || true
    podman rmi -f "$BENCH_IMAGE" >/dev/null 2>&1 || true
    rm -rf "$WORK/ctx" "$WORK"/data-*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v podman >/dev/null || die "podman is missing: run src/main/docker/container-check.sh once (it installs and sets it up)"
source src/main/docker/podman-settings.sh
podman_settings "$WORK"

ensure_jar
if ! podman image exists "$BASE_IMAGE"; then
    echo "== $BASE_IMAGE is missing: making it with src/main/docker/container-check.sh"
    bash src/main/docker/container-check.sh || die "container-check.sh failed"
fi
# One snapshot of the app for both: the jar runs from it, and it is the image's build context.
mkdir -p "$WORK/ctx/target"
JAR="$(snapshot_app "$WORK/ctx/target")"
cp -a routes .dockerignore "$WORK/ctx/"
podman build -q -f src/main/docker/Dockerfile.jvm --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$BENCH_IMAGE" "$WORK/ctx" >/dev/null \
    || die "podman build failed"

echo "== leadsync start-up: plain jar vs JVM container (demo profile)"
echo "   date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "   nproc:     $(nproc)"
echo "   host java: $(java -version 2>&1 | head -1)"
echo "   image:     Dockerfile.jvm on $BASE_IMAGE, java: $(podman run --rm --network none --entrypoint java "$BENCH_IMAGE" -version 2>&1 | head -1)"
echo "   image JVM: $(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$BENCH_IMAGE" | sed -n 's/^JAVA_OPTS=//p')"
echo "   jar:       $JAR_REL (built $(date -u -r "$REPO_ROOT/$JAR_REL" '+%Y-%m-%d %H:%M:%S UTC'), one copy for both)"
echo "   git HEAD:  $(git rev-parse --short HEAD 2>/dev/null || echo n/a)"
echo "   runs:      $RUNS of each, alternating; readiness probed every ${POLL_EVERY}s with curl"
echo "   loadavg:   $(cut -d" " -f1-3 /proc/loadavg) at start (1/5/15-min load; well above 0 means other work is competing for the cores)"
echo

# wait_ready URL T0_NS ALIVE_CMD... -> prints ms to the first 200, or fails
wait_ready() {
    local url="$1" t0="$2"
    shift 2
    while true; do
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" == 200 ]]; then
            echo $((($(date +%s%N) - t0) / 1000000))
            return 0
        fi
        "$@" || return 2
        (((($(date +%s%N) - t0) / 1000000) < READY_TIMEOUT_S * 1000)) || return 1
        sleep "$POLL_EVERY"
    done
}
ctr_running() { [[ "$(podman inspect --format '{{.State.Running}}' "$CTR" 2>/dev/null)" == true ]]; }

: >"$WORK/jar-ms"; : >"$WORK/jar-rss"; : >"$WORK/ctr-ms"; : >"$WORK/ctr-rss"
for ((run = 1; run <= RUNS; run++)); do
    # --- the plain jar ---
    PORT="$(free_port)"
    mkdir -p "$WORK/data-$run"
    T0=$(date +%s%N)
    env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" QUARKUS_PROFILE=demo \
        QUARKUS_HTTP_PORT="$PORT" LEADSYNC_DATA_DIR="$WORK/data-$run" \
        java -jar "$JAR" >"$WORK/jar-$run.log" 2>&1 &
    APP_PID=$!
    MS="$(wait_ready "http://127.0.0.1:$PORT/q/health/ready" "$T0" kill -0 "$APP_PID")" \
        || { tail -30 "$WORK/jar-$run.log" >&2; die "run $run: the jar did not become ready"; }
    RSS="$(awk -v k="$(rss_kib "$APP_PID")" 'BEGIN { printf "%.1f", k / 1024 }')"
    stop_pid "$APP_PID"; APP_PID=""
    SELF="$(grep -oE 'started in [0-9]+[.][0-9]+s' "$WORK/jar-$run.log" | head -1 || true)"
    printf 'run %d jar:       ready after %5d ms   RSS %6.1f MiB   (%s)\n' "$run" "$MS" "$RSS" "${SELF:-n/a}"
    echo "$MS" >>"$WORK/jar-ms"; echo "$RSS" >>"$WORK/jar-rss"
    sleep 1

    # --- the container ---
    PORT="$(free_port)"
    CTR="leadsync-bench-$$-$run"
    podman volume rm -f "leadsync-bench-$$" >/dev/null 2>&1 || true
    podman volume create "leadsync-bench-$$" >/dev/null
    T0=$(date +%s%N)
    podman run -d --name "$CTR" --network host --read-only --tmpfs /tmp -v "leadsync-bench-$$:/deployments/data" \
        -e QUARKUS_PROFILE=demo -e QUARKUS_HTTP_PORT="$PORT" "$BENCH_IMAGE" >/dev/null
    CREATED_MS=$((($(date +%s%N) - T0) / 1000000))
    MS="$(wait_ready "http://127.0.0.1:$PORT/q/health/ready" "$T0" ctr_running)" \
        || { podman logs "$CTR" 2>&1 | tail -30 >&2; die "run $run: the container did not become ready"; }
    PID="$(podman inspect --format '{{.State.Pid}}' "$CTR")"
    [[ "$(tr '\0' ' ' <"/proc/$PID/cmdline")" == *java* ]] || die "pid $PID of $CTR is not java"
    RSS="$(awk -v k="$(rss_kib "$PID")" 'BEGIN { printf "%.1f", k / 1024 }')"
    podman stop -t 15 "$CTR" >/dev/null
    SELF="$(podman logs "$CTR" 2>&1 | grep -oE 'started in [0-9]+[.][0-9]+s' | head -1 || true)"
    podman rm -f "$CTR" >/dev/null; CTR=""
    printf 'run %d container: ready after %5d ms   RSS %6.1f MiB   (%s; podman run returned after %d ms)\n' \
        "$run" "$MS" "$RSS" "${SELF:-n/a}" "$CREATED_MS"
    echo "$MS" >>"$WORK/ctr-ms"; echo "$RSS" >>"$WORK/ctr-rss"
    sleep 1
done

echo
printf '%-10s  %18s  %14s  %s\n' "" "median ready (ms)" "median RSS" "ready ms min/max"
for k in jar ctr; do
    printf '%-10s  %18s  %10s MiB  %s/%s\n' "$([[ $k == jar ]] && echo jar || echo container)" \
        "$(median <"$WORK/$k-ms")" "$(median <"$WORK/$k-rss")" "$(sort -n "$WORK/$k-ms" | head -1)" "$(sort -n "$WORK/$k-ms" | tail -1)"
done
echo "loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "logs kept in $WORK"
