# Summarises `jfr print --events jdk.FileForce,jdk.JavaMonitorEnter` (text) of a leadsync recording made by
# bench/delivery.sh (JFR=1, thresholds 0 ms): prints "GROUP<TAB>MILLISECONDS" per event, grouped by
#   fsync <leadsync caller>              jdk.FileForce, by the first io.leadsync frame outside JsonFiles
#   monitor <class> by <thread group>    jdk.JavaMonitorEnter (time spent waiting to enter a synchronized block)
# The script sorts and reduces these lines to count / total / mean / p50 / p99 per group.
function ms(v, u) { return u == "ns" ? v / 1e6 : (u == "us" ? v / 1e3 : (u == "s" ? v * 1e3 : (u == "min" ? v * 6e4 : v))) }
function flush() {
    if (type == "") return
    if (type == "jdk.FileForce") g = "fsync by " (caller == "" ? "?" : caller)
    else g = "monitor " monitor " waited for by " thread
    printf "%s\t%.4f\n", g, d
    type = ""; caller = ""; monitor = ""; thread = ""; d = 0
}
/^jdk\.(FileForce|JavaMonitorEnter) \{/ { flush(); type = $1; next }
/^  duration = / { d = ms($3 + 0, $4); next }
/^  monitorClass = / { monitor = $3; next }
/^  eventThread = / { t = $0; sub(/^[^"]*"/, "", t); sub(/".*/, "", t); gsub(/[0-9]+/, "#", t); thread = t; next }
/^    io\.leadsync\./ && caller == "" && $1 !~ /JsonFiles|ClientProxy/ { caller = $1; sub(/\(.*/, "", caller); next }
END { flush() }
