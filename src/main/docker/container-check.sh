#!/usr/bin/env bash
# Builds leadsync's JVM image with podman and checks that it really works as shipped:
#
#   bash src/main/docker/container-check.sh      (as root; run by .ci/run after the tests)
#
# 1. installs podman, runc, debootstrap, jq and curl when missing (apt-get);
# 2. makes the base image $BASE_IMAGE from Debian packages when it does not exist yet (no container
#    registry is reachable from our machines, so the default UBI base cannot be pulled); it is kept as
#    a cache for the next run;
# 3. builds src/main/docker/Dockerfile.jvm on it as $IMAGE (from target/quarkus-app: built when missing);
# 4. runs it with the demo profile, --read-only --tmpfs /tmp and a named volume for the data dir, waits
#    for /q/health/ready, routes a lead update to the sandbox's Superfone until its receipt is DELIVERED;
# 5. checks that the log is JSON, holds none of the sandbox's secrets and no write refused by the
#    read-only file system; stops the container with SIGTERM and checks the exit code and clean shutdown;
# 6. removes the container, the volume and (unless KEEP_IMAGE=1) the image.
# Fails with what went wrong and the container's log.
#
# Knobs: IMAGE (localhost/leadsync:jvm), BASE_IMAGE (localhost/leadsync-jre17:bookworm),
# KEEP_IMAGE (0), READY_TIMEOUT_S (120).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

IMAGE="${IMAGE:-localhost/leadsync:jvm}"
BASE_IMAGE="${BASE_IMAGE:-localhost/leadsync-jre17:bookworm}"
KEEP_IMAGE="${KEEP_IMAGE:-0}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-120}"
NAME="leadsync-check-$$"
VOLUME="leadsync-check-data-$$"
WORK="$(mktemp -d /var/tmp/leadsync-container-check.XXXXXX)"
STARTED=$(date +%s)

say() { echo "== $(date -u +%H:%M:%S) $*"; }
fail() {
    echo "FAIL: $*" >&2
    if podman container exists "$NAME" 2>/dev/null; then
        echo "--- log of container $NAME:" >&2
        podman logs "$NAME" 2>&1 | tail -80 >&2 || true
    fi
    exit 1
}
cleanup() {
    podman rm -f -t 5 "$NAME" >/dev/null 2>&1 || true
    podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
    if [[ "$KEEP_IMAGE" != 1 ]]; then podman rmi -f "$IMAGE" >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. tools ---
missing=()
for tool in podman runc debootstrap jq curl; do # each is also its Debian package's name
    command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] || missing+=("$tool")
done
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"

source src/main/docker/podman-settings.sh
podman_settings "$WORK"
podman --version

# --- 2. the base image, made once from Debian packages ---
if podman image exists "$BASE_IMAGE"; then
    say "base image $BASE_IMAGE exists: reusing it"
else
    say "making base image $BASE_IMAGE with debootstrap (Debian bookworm, openjdk-17-jre-headless)"
    arch="$(dpkg --print-architecture)"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$WORK/rootfs" \
        >"$WORK/debootstrap.log" 2>&1 || { tail -30 "$WORK/debootstrap.log" >&2; fail "debootstrap failed"; }
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
    # An imported image has no environment at all: PATH and JAVA_HOME must be given.
    tar -C "$WORK/rootfs" -c . | podman import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$arch" \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["/bin/sh"]' \
        - "$BASE_IMAGE" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; fail "podman import of the base image failed"; }
    rm -rf "$WORK/rootfs"
fi

# --- 3. the application image ---
if [[ ! -f target/quarkus-app/quarkus-run.jar ]]; then
    say "target/quarkus-app is missing: ./mvnw -B -ntp package -DskipTests"
    ./mvnw -B -ntp -q package -DskipTests || fail "the Maven build failed"
fi
say "building $IMAGE on $BASE_IMAGE"
podman build -q -f src/main/docker/Dockerfile.jvm --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$IMAGE" . >/dev/null \
    || fail "podman build failed"

# --- 4. run it as shipped ---
port=""
for _ in $(seq 50); do
    p=$((20000 + RANDOM % 30000))
    ss -Hltn "sport = :$p" | grep -q . || { port=$p; break; }
done
[[ -n "$port" ]] || fail "no free port"
podman volume create "$VOLUME" >/dev/null
# Configuration by a mounted file: an API key, which every call below must then carry.
api_key="check-key-$RANDOM$RANDOM"
mkdir -p "$WORK/config"
echo "leadsync.api-key=$api_key" >"$WORK/config/application.properties"
chmod -R a+rX "$WORK"
say "starting $NAME (demo profile, port $port, read-only root, volume $VOLUME, config/application.properties mounted)"
podman run -d --name "$NAME" --network host --read-only --tmpfs /tmp \
    -v "$VOLUME:/deployments/data" -v "$WORK/config:/deployments/config:ro" \
    -e QUARKUS_PROFILE=demo -e QUARKUS_HTTP_PORT="$port" \
    "$IMAGE" >/dev/null || fail "podman run failed"

base="http://127.0.0.1:$port"
t0=$(date +%s)
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/q/health/ready" || true)" == 200 ]]; do
    [[ "$(podman inspect --format '{{.State.Running}}' "$NAME")" == true ]] || fail "the container exited before it was ready"
    (($(date +%s) - t0 < READY_TIMEOUT_S)) || fail "not ready within ${READY_TIMEOUT_S}s: $(curl -s "$base/q/health/ready")"
    sleep 0.5
done
say "ready after $(($(date +%s) - t0)) s"

code="$(curl -s -o /dev/null -w '%{http_code}' "$base/stages")"
[[ "$code" == 401 ]] || fail "GET /stages without the API key of the mounted config answered $code, not 401"
answer="$(curl -s -X POST "$base/leads" -H "X-Api-Key: $api_key" -H 'Content-Type: application/json' \
    -d '{"target":"superfone","phone":"+919999999999","name":"Jane Doe","stage":"Qualified"}')"
id="$(jq -r '.id // empty' <<<"$answer")"
[[ -n "$id" ]] || fail "POST /leads did not accept the update: $answer"
status=""
for _ in $(seq 60); do
    receipt="$(curl -s -H "X-Api-Key: $api_key" "$base/leads/$id")"
    status="$(jq -r '.status // empty' <<<"$receipt" 2>/dev/null || true)"
    [[ "$status" == DELIVERED || "$status" == DEAD_LETTER ]] && break
    sleep 1
done
[[ "$status" == DELIVERED ]] || fail "lead update $id is not DELIVERED: $receipt"
say "lead update $id DELIVERED: $receipt"
# The receipt must be on the volume, not lost in the container's (read-only) layer: in the SQLite store there
# (store.db, or its write-ahead log until a checkpoint copies it over).
store_files=$(find "$(podman volume inspect --format '{{.Mountpoint}}' "$VOLUME")" -name 'store.db*')
[[ -n "$store_files" ]] || fail "no store.db on the data volume"
grep -qaF "$id" $store_files || fail "the receipt of $id is not in the store on the data volume ($store_files)"

# --- 5. logs and shutdown ---
podman logs "$NAME" >"$WORK/app.log" 2>&1
lines=$(grep -c . "$WORK/app.log" || true)
jq -e -c 'select(type == "object" and has("level") and has("message"))' "$WORK/app.log" >"$WORK/json.log" 2>/dev/null \
    || fail "the container's log is not JSON lines: $(grep -v '^{' "$WORK/app.log" | head -3)"
[[ "$(wc -l <"$WORK/json.log")" -eq "$lines" ]] || fail "only $(wc -l <"$WORK/json.log") of $lines log lines are JSON records"
while read -r secret; do
    [[ -z "$secret" ]] || ! grep -qF "$secret" "$WORK/app.log" || fail "a secret (sandbox credential or the API key) appears in the log"
done < <(sed -n 's/^%demo\.leadsync\.[a-z]*\.\(token\|api-key\)=//p' application.properties; echo "$api_key")
if grep -qi 'read-only file system' "$WORK/app.log"; then
    fail "something was refused by the read-only file system: $(grep -i 'read-only file system' "$WORK/app.log" | head -3)"
fi
if jq -e -r 'select(.level == "ERROR" or .level == "WARN" or .level == "WARNING") | .message' "$WORK/json.log" >"$WORK/problems.txt"; then
    echo "   WARN/ERROR lines in the log:"; sed 's/^/     /' "$WORK/problems.txt"
fi
say "log: $lines JSON lines, no secrets, nothing refused by the read-only root"

say "stopping $NAME (SIGTERM, 30 s before SIGKILL)"
t1=$(date +%s)
podman stop -t 30 "$NAME" >/dev/null
code="$(podman inspect --format '{{.State.ExitCode}}' "$NAME")"
podman logs "$NAME" >"$WORK/app.log" 2>&1
# A JVM ended by SIGTERM exits 143 (128 + 15) after its shutdown hooks ran; 137 would be SIGKILL.
[[ "$code" == 143 ]] || fail "exit code $code after SIGTERM (expected 143)"
jq -e -r 'select(.message | test("stopped in [0-9.]+s")) | .message' "$WORK/app.log" \
    || fail "no clean Quarkus shutdown (\"stopped in\") in the log"
say "stopped after $(($(date +%s) - t1)) s, exit code $code"

say "OK: $IMAGE built on $BASE_IMAGE and checked in $(($(date +%s) - STARTED)) s"
