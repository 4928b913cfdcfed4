# Summarises `perf script -F comm,tid,ip,sym` of a leadsync JVM (bench/delivery.sh, PERF_SECONDS): samples by
# thread group, and kernel samples by what the kernel was doing (the first matching frame, leaf to root).
# Java frames are not resolved (no perf map): user-space time shows only under its thread.
function flush(   g, k, i, f) {
    if (comm == "") return
    g = comm; gsub(/[0-9]+/, "#", g)
    n++; thr[g]++
    if (nk > 0) {
        k = "kernel: other"
        for (i = 1; i <= nk; i++) {
            f = kf[i]
            if (f ~ /fsync|jbd2|blkdev_issue_flush|file_write_and_wait/) { k = "kernel: fsync (write-back, journal if any, flush)"; break }
            if (f ~ /^(do_renameat2|vfs_rename|ext4_rename)/) { k = "kernel: rename"; break }
            if (f ~ /^(do_unlinkat|vfs_unlink|ext4_unlink)/) { k = "kernel: unlink"; break }
            if (f ~ /^(do_sys_openat2|path_openat|do_filp_open|ext4_create|do_mkdirat)/) { k = "kernel: open/create file"; break }
            if (f ~ /^(iterate_dir|ext4_readdir|__x64_sys_getdents)/) { k = "kernel: readdir"; break }
            if (f ~ /^(vfs_write|ksys_write)/ && !sock) { k = "kernel: file write"; break }
            if (f ~ /^(vfs_read|ksys_read|filemap_read)/ && !sock) { k = "kernel: file read"; break }
            if (f ~ /^(vfs_statx|vfs_fstat|__do_sys_newfstatat|do_faccessat|vfs_getattr)/) { k = "kernel: stat/access"; break }
            if (f ~ /^(tcp_|__tcp|inet_|sock_|__sys_sendto|__sys_recvfrom|sock_sendmsg|sock_recvmsg|ip_|__dev_queue|net_rx|__napi|process_backlog|loopback)/) { k = "kernel: TCP (loopback)"; break }
            if (f ~ /^(ep_poll|do_epoll|__x64_sys_epoll|do_sys_poll|__x64_sys_poll)/) { k = "kernel: epoll/poll"; break }
            if (f ~ /futex/) { k = "kernel: futex (lock/park/unpark)"; break }
            if (f ~ /^(do_page_fault|exc_page_fault|handle_mm_fault|asm_exc_page_fault)/) { k = "kernel: page faults"; break }
            if (f ~ /^(schedule|__schedule|finish_task_switch|try_to_wake_up)/) { k = "kernel: scheduler"; break }
        }
        kern[k]++; nkern++
    }
    comm = ""; nk = 0; sock = 0
}
/^[^ \t]/ { flush(); line = $0; sub(/[ \t]+[0-9]+[ \t]*$/, "", line); comm = line; next }
/^[ \t]+[0-9a-f]+ / {
    if ($1 ~ /^ffffffff/) { nk++; kf[nk] = $2; if ($2 ~ /^(tcp_|sock_|inet_)/) sock = 1 }
    next
}
END {
    flush()
    printf "samples %d, of which in the kernel %d (%.1f%%)\n", n, nkern, 100 * nkern / n
    print "-- by thread group"
    for (g in thr) printf "%7d %5.1f%%  %s\n", thr[g], 100 * thr[g] / n, g | "sort -rn | head -12"
    close("sort -rn | head -12")
    print "-- kernel samples by activity (share of all samples)"
    for (k in kern) printf "%7d %5.1f%%  %s\n", kern[k], 100 * kern[k] / n, k | "sort -rn"
    close("sort -rn")
}
