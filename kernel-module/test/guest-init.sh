#!/bin/busybox sh
# /init of the KBP test guest (built by run.sh).  Brings up virtio-net with
# 10.0.2.15/24 (slirp's network, no default route), starts the UDP echo server
# on $kbp_port (a kernel command line parameter), then serves the host's
# commands on the second serial port: each line read from /dev/ttyS1 is run by
# this shell and answered with its output and a line "@@END <exit status>".
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
exec </dev/console >/dev/console 2>&1
echo 5 >/proc/sys/kernel/hung_task_timeout_secs
# For reading the vCPUs' instruction pointers from QEMU's monitor (KASLR).
grep -m 1 ' _stext$' /proc/kallsyms | sed 's/^/kbp-guest: /'

log() { echo "kbp-guest: $*"; }

for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
         failover net_failover virtio_net; do
  insmod "/mods/$m.ko" || log "insmod $m failed"
done
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
udp-echo server "${kbp_port:?kbp_port missing on the kernel command line}" &
log "echo server on port $kbp_port, pid $!"

# ---- helpers the host calls ----

# Sum of NET_RX over all CPUs in /proc/softirqs.
netrx() { awk '$1 == "NET_RX:" { s = 0; for (i = 2; i <= NF; i++) s += $i; print s }' /proc/softirqs; }

# Sum of one key over the 'cpu=' lines of the KBP statistics.
kbp_field() {
  awk -v f="$1" '$1 ~ /^cpu=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) s += kv[2] } }
                 END { print s + 0 }' /sys/kernel/debug/kbp/stats
}

# Guest uptime in centiseconds (/proc/uptime has two decimals), without a fork.
uptime_cs() { read -r up _ </proc/uptime; echo $((${up%.*} * 100 + 1${up#*.} - 100)); }

# wait_for SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds, for at
# most SECONDS of guest time.  A deadline rather than SECONDS * 10 turns: under
# TCG with traffic each turn costs more than its 0.1 s sleep (wait_for 10 took
# 11-12 s), and the host waits only 10 s longer than the guest's limit before it
# declares the guest dead, so a transition that never ends must be reported as
# such by the guest, not look like a hung guest.
wait_for() {
  end=$(($(uptime_cs) + $1 * 100)); shift
  until "$@"; do
    [ "$(uptime_cs)" -lt "$end" ] || return 1
    sleep 0.1
  done
}

# The livepatch is fully applied / fully gone (the sysfs directory disappears).
kbp_patched() {
  [ "$(cat /sys/kernel/livepatch/kbp/enabled 2>/dev/null)" = 1 ] &&
    [ "$(cat /sys/kernel/livepatch/kbp/transition 2>/dev/null)" = 0 ]
}
kbp_unpatched() { [ ! -e /sys/kernel/livepatch/kbp ]; }

# Wall-clock milliseconds of COMMAND, printed as "ms=N".
timed() {
  t0=$(cut -d' ' -f1 /proc/uptime); "$@"; rc=$?
  t1=$(cut -d' ' -f1 /proc/uptime)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "ms=%d\n", (b - a) * 1000 }'
  return $rc
}

# ---- command loop on ttyS1 ----
stty -F /dev/ttyS1 raw -echo
log "serving commands on ttyS1"
exec </dev/ttyS1 >/dev/ttyS1 2>&1
echo "@@READY"
while IFS= read -r line; do
  eval "$line"
  echo "@@END $?"
done
poweroff -f
