# Reduces "GROUP<TAB>VALUE" lines, sorted by group then value (sort -t$'\t' -k1,1 -k2,2g), to one line per
# group: count, total, mean, p50, p99 (nearest rank), in the values' unit (ms).
function out(   p50, p99) {
    if (g == "") return
    p50 = v[int((n + 1) / 2)]
    p99 = v[(int(n * 0.99 + 0.999999) < 1) ? 1 : int(n * 0.99 + 0.999999)]
    printf "%7d  total %9.1f ms  mean %7.2f ms  p50 %7.2f ms  p99 %7.2f ms  %s\n", n, s, s / n, p50, p99, g
}
BEGIN { FS = "\t" }
$1 != g { out(); g = $1; n = 0; s = 0 }
{ n++; v[n] = $2 + 0; s += $2 }
END { out() }
