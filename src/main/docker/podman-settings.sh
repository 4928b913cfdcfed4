# Sourced by the scripts that run podman here (container-check.sh, kubernetes/play-check.sh,
# bench/container.sh): podman's settings for the calling script only, through CONTAINERS_CONF, so the
# machine's own podman setup is left alone. runc, because crun refuses the hybrid cgroups of our kernels;
# ulimits within the host's hard limits, because podman's defaults are above them ("setrlimit ...
# Operation not permitted").
#
#   podman_settings DIR     writes DIR/containers.conf and exports CONTAINERS_CONF
podman_settings() {
    local nofile nproc
    nofile="$(ulimit -Hn)"; [[ "$nofile" == unlimited ]] && nofile=65536
    nproc="$(ulimit -Hu)"; [[ "$nproc" == unlimited ]] && nproc=4096
    nofile=$((nofile < 65536 ? nofile : 65536))
    nproc=$((nproc < 4096 ? nproc : 4096))
    printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\n' \
        "$nofile" "$nofile" "$nproc" "$nproc" >"$1/containers.conf"
    export CONTAINERS_CONF="$1/containers.conf"
}
