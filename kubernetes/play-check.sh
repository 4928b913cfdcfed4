#!/usr/bin/env bash
# Runs the Kubernetes manifests for real with `podman kube play` and checks the service they start:
#
#   bash kubernetes/play-check.sh       (as root; .ci/run calls it after src/main/docker/container-check.sh)
#
# 1. needs the image $IMAGE; when it is missing, builds it with src/main/docker/container-check.sh
#    (KEEP_IMAGE=1, so the image stays for this script);
# 2. renders kubernetes/overlays/demo (the base + the demo profile + the local image) through a
#    throw-away kustomization that only renames everything "play-check-…" (no clash with anything
#    else on the machine), points at $IMAGE and publishes the pod's port on a free host port;
# 3. `podman kube play`: the Deployment's pod, with the routes ConfigMap and the data PVC as volumes.
#    podman 4.3 ignores the Service and the ServiceAccount, and runs the probes only as systemd-timer
#    healthchecks (none without systemd: it logs an error), so this script waits for /q/health/ready itself; then GET /stages must list the sandbox's three CRMs, each polled (OK) with
#    stages, which needs the route files from the ConfigMap; `podman kube down` and the volumes go;
# 4. podman mounts a ConfigMap as plain files, Kubernetes as symlinks into a "..data" directory: the
#    same image is run once more with the ConfigMap's files laid out as the kubelet does, and GET
#    /stages must answer the same (the service's file:routes/*.yaml pattern follows the symlinks and
#    does not load the hidden copies twice).
# Fails with what went wrong and the container's log.
#
# Knobs: IMAGE (localhost/leadsync:jvm), READY_TIMEOUT_S (180).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

IMAGE="${IMAGE:-localhost/leadsync:jvm}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-180}"
PREFIX="play-check-"
POD="${PREFIX}leadsync-pod-0"
CONTAINER="$POD-leadsync"           # podman names a Deployment's container <deployment>-pod-0-<container>
SYMLINK_CONTAINER="${PREFIX}kubelet-layout-$$"
WORK="$(mktemp -d /var/tmp/leadsync-play-check.XXXXXX)"
chmod 755 "$WORK"                   # the container user reads the routes laid out in it (step 4)
STARTED=$(date +%s)

say() { echo "== $(date -u +%H:%M:%S) $*"; }
fail() {
    echo "FAIL: $*" >&2
    for c in "$CONTAINER" "$SYMLINK_CONTAINER"; do
        if podman container exists "$c" 2>/dev/null; then
            echo "--- log of container $c:" >&2
            podman logs "$c" 2>&1 | tail -60 >&2 || true
        fi
    done
    exit 1
}
cleanup() {
    if [[ -f "$WORK/rendered.yaml" ]]; then podman kube down "$WORK/rendered.yaml" >/dev/null 2>&1 || true; fi
    podman rm -f -v -t 5 "$SYMLINK_CONTAINER" >/dev/null 2>&1 || true
    # kube down leaves the volumes it made for the PVC and the ConfigMap.
    podman volume ls -q | grep "^$PREFIX" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v kubectl >/dev/null || fail "kubectl (1.32+, with kustomize) is needed to render kubernetes/"
command -v jq >/dev/null || fail "jq is needed"
export PATH="$PATH:/usr/sbin:/sbin"

# --- 1. the image ---
if ! podman image exists "$IMAGE" 2>/dev/null; then
    [[ -f src/main/docker/container-check.sh ]] || fail "no image $IMAGE, and no src/main/docker/container-check.sh to build it"
    say "no image $IMAGE: building it with src/main/docker/container-check.sh"
    KEEP_IMAGE=1 IMAGE="$IMAGE" bash src/main/docker/container-check.sh || fail "container-check.sh failed"
fi

source src/main/docker/podman-settings.sh
podman_settings "$WORK"

free_port() {
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 30000))
        ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
    fail "no free port"
}

# --- 2. render ---
port="$(free_port)"
mkdir "$WORK/kustomize"
# Kustomize takes a relative path to another kustomization only.
demo="$(realpath --relative-to="$WORK/kustomize" kubernetes/overlays/demo)"
cat >"$WORK/kustomize/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- $demo
namePrefix: $PREFIX
images:
- name: localhost/leadsync
  newName: ${IMAGE%:*}
  newTag: ${IMAGE##*:}
patches:
- target:
    kind: Deployment
  patch: |-
    - op: add
      path: /spec/template/spec/containers/0/ports/0/hostPort
      value: $port
EOF
kubectl kustomize "$WORK/kustomize" >"$WORK/rendered.yaml" || fail "kubectl kustomize failed"
say "rendered kubernetes/overlays/demo: $(grep -c '^kind:' "$WORK/rendered.yaml") objects, image $IMAGE, host port $port"

# --- 3. podman kube play ---
t0=$(date +%s)
podman kube play "$WORK/rendered.yaml" >"$WORK/play.log" 2>&1 || { cat "$WORK/play.log" >&2; fail "podman kube play failed"; }
say "podman kube play started pod $POD"

base="http://127.0.0.1:$port"
wait_ready() { # container name, base URL
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$2/q/health/ready" || true)" == 200 ]]; do
        [[ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" == true ]] || fail "$1 is not running"
        (($(date +%s) - t0 < READY_TIMEOUT_S)) || fail "$1 not ready within ${READY_TIMEOUT_S}s: $(curl -s "$2/q/health/ready")"
        sleep 1
    done
}
# GET /stages until the three sandbox CRMs are OK, each with stages (their first polls run right after start).
check_stages() { # container name, base URL
    local answer="" t1
    t1=$(date +%s)
    while (($(date +%s) - t1 < 60)); do
        answer="$(curl -s --max-time 5 "$2/stages" || true)"
        if jq -e '[.sources[] | select(.status == "OK" and .stageCount > 0) | .source] | sort
                  == ["superfone", "telecrm", "truto:demo-pipedrive"]' <<<"$answer" >/dev/null 2>&1; then
            say "GET /stages on $1: $(jq -c '[.sources[] | {(.source): .stageCount}] | add' <<<"$answer"), $(jq '.stages | length' <<<"$answer") stages"
            return
        fi
        sleep 2
    done
    fail "GET /stages on $1 does not list the three sandbox CRMs with stages: $answer"
}
wait_ready "$CONTAINER" "$base"
say "ready after $(($(date +%s) - t0)) s"
check_stages "$CONTAINER" "$base"

# The console through the pod as shipped (read-only root, user 185): its overview lists the three sources.
console="$(curl -s --max-time 5 "$base/console/" || true)"
for source in telecrm superfone truto:demo-pipedrive; do
    grep -q "<h3 id=\"source-[0-9]*\">$source</h3>" <<<"$console" || fail "GET /console/ does not show source $source: ${console:0:300}"
done
say "GET /console/ shows the three sources"

# What the pod runs with: the manifests' security settings as podman applied them, and the routes mounted.
[[ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}' "$CONTAINER")" == "true 185" ]] \
    || fail "not read-only as user 185: $(podman inspect --format '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}' "$CONTAINER")"
# The image has route files of its own under /deployments/routes: they must be hidden by the ConfigMap's.
mounts="$(podman inspect --format '{{range .Mounts}}{{.Destination}}={{.Name}} {{end}}' "$CONTAINER")"
[[ " $mounts" == *" /deployments/routes=${PREFIX}leadsync-routes-"* ]] \
    || fail "/deployments/routes is not the routes ConfigMap; mounts: $mounts"
mounted="$(podman exec "$CONTAINER" ls /deployments/routes | sort | tr '\n' ' ')"
expected="$(cd routes && ls ./*.yaml | sed 's#^\./##' | sort | tr '\n' ' ')"
[[ "$mounted" == "$expected" ]] || fail "routes in the pod: $mounted; in routes/: $expected"

routes_played="$(podman logs "$CONTAINER" 2>&1 | grep -o 'Routes startup (total:[0-9]*' | head -1)"
podman kube down "$WORK/rendered.yaml" >/dev/null 2>&1 || fail "podman kube down failed"
say "podman kube down: pod removed ($(($(date +%s) - t0)) s after kube play)"

# --- 4. the kubelet's ConfigMap layout ---
layout="$WORK/routes"
stamp="..$(date -u +%Y_%m_%d_%H_%M_%S).000000001"
mkdir -p "$layout/$stamp"
# The ConfigMap's files (routes/*.yaml: KubernetesManifestsTest checks they are the same) written as
# the kubelet does: in a timestamped directory, "..data" pointing at it, each file a symlink through it.
cp routes/*.yaml "$layout/$stamp/"
ln -s "$stamp" "$layout/..data"
for file in "$layout/$stamp"/*; do ln -s "..data/$(basename "$file")" "$layout/$(basename "$file")"; done
chmod -R a+rX "$layout"

port="$(free_port)"
base="http://127.0.0.1:$port"
t0=$(date +%s)
podman run -d --name "$SYMLINK_CONTAINER" --read-only --tmpfs /tmp -p "127.0.0.1:$port:8080" \
    -v "$layout:/deployments/routes:ro" -e QUARKUS_PROFILE=demo "$IMAGE" >/dev/null || fail "podman run failed"
wait_ready "$SYMLINK_CONTAINER" "$base"
check_stages "$SYMLINK_CONTAINER" "$base"
routes_started="$(podman logs "$SYMLINK_CONTAINER" 2>&1 | grep -o 'Routes startup (total:[0-9]*' | head -1)"
[[ -n "$routes_started" && "$routes_started" == "$routes_played" ]] \
    || fail "routes started: '$routes_started' from the kubelet layout, '$routes_played' from kube play"
say "kubelet layout (symlinks through ..data): ${routes_started#Routes startup (} routes, as in the played pod"
podman rm -f -v -t 5 "$SYMLINK_CONTAINER" >/dev/null

say "OK: kubernetes/overlays/demo played with podman and checked in $(($(date +%s) - STARTED)) s"
