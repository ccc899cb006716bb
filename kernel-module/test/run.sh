#!/usr/bin/env bash
# The KBP kernel-module suite: builds kbp.ko against Debian's current headers,
# boots the matching Debian kernel in QEMU (TCG) with a small initramfs and
# checks the module with UDP echoes sent to 127.0.0.1 through slirp's hostfwd.
#
# Output: one line per check, "PASS name" or "FAIL name: reason", then
#   kernel-module: P passed, F failed
# Exit status 0 only when every check passed.  Needs root (apt-get, mknod).
#
# Environment:
#   KBP_TEST_CACHE    download cache (default /var/cache/kbp-test)
#   KBP_TEST_KEEP=1   keep the scratch directory even when everything passed
#   KBP_TEST_FIXTURES directory to copy the statistics captured in the guest to
#                     (kbp-stats-qemu.txt: default parameters; kbp-stats-qemu-sleep.txt:
#                     cpus=all weight=8 idle_mode=sleep policy=rr priority=10)
#   KBP_TEST_DISABLE_LOOPS=N  instead of the suite, N rounds of: load (alternately
#                     the defaults and the second parameter set), traffic for
#                     KBP_TEST_LOOP_TRAFFIC_S seconds (default 2), disable under
#                     traffic, rmmod; then the dmesg check.  For hunting rare
#                     hangs of the transitions.
#   KBP_TEST_STREAM_BURST  echoes per burst of the traffic that runs during the
#                     transitions (default 8); 64 makes the guest receive many
#                     times more frames per second.
# When the guest stops answering, the host dumps its state (guest_dump): vCPU
# registers in logs/monitor.log, SysRq backtraces and task lists on the console.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
module_src="$(dirname "$here")"
cache="${KBP_TEST_CACHE:-/var/cache/kbp-test}"
work="$(mktemp -d /tmp/kbp-test.XXXXXX)"
logs="$work/logs"
mkdir -p "$logs"
started=$SECONDS

passed=0
failed=0
qemu_pid=
stream_pid=
monitor_pid=

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
# check NAME REASON CONDITION...: PASS when CONDITION succeeds, FAIL with REASON otherwise.
check() {
  local name="$1" reason="$2"; shift 2
  if "$@"; then pass "$name"; else fail "$name" "$reason"; fi
}

cleanup() {
  [ -n "$stream_pid" ] && kill "$stream_pid" 2>/dev/null
  [ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
    kill "$qemu_pid" 2>/dev/null
    sleep 0.5
    kill -9 "$qemu_pid" 2>/dev/null
  fi
  exec 5>&- 6>&- 7>&- 2>/dev/null
}
trap cleanup EXIT

finish() {
  cleanup
  qemu_pid=
  if [ "$failed" -gt 0 ]; then
    if [ -s "$logs/console.log" ]; then
      echo "--- tail of the guest console ($logs/console.log) ---"
      tail -n 40 "$logs/console.log"
      echo "---"
    fi
    echo "kernel-module: logs kept in $work"
  elif [ "${KBP_TEST_KEEP:-0}" = 1 ]; then
    echo "kernel-module: scratch directory kept in $work"
  else
    rm -rf "$work"
  fi
  echo "kernel-module: suite took $((SECONDS - started)) s"
  echo "kernel-module: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# ---------------------------------------------------------------- host setup

packages=(linux-headers-amd64 qemu-system-x86 busybox-static cpio kmod gcc make libc6-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "kernel-module: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get install -y -q --no-install-recommends "${missing[@]}" ||
         { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; }; } \
       >"$logs/apt.log" 2>&1; then
    tail -n 20 "$logs/apt.log"
    fail packages "apt-get install ${missing[*]} failed (see $logs/apt.log)"
    finish
  fi
fi

# The headers ABI is whatever linux-headers-amd64 depends on today; never hard-coded.
abi_pkg="$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | grep -o 'linux-headers-[^ ,]*-amd64' | head -n 1)"
abi="${abi_pkg#linux-headers-}"
version="$(dpkg-query -W -f='${Version}' "$abi_pkg" 2>/dev/null)"
kdir="/usr/src/linux-headers-$abi"
if [ -z "$abi" ] || [ -z "$version" ] || [ ! -d "$kdir" ]; then
  fail packages "cannot derive the headers ABI from linux-headers-amd64 ('$abi_pkg' '$version')"
  finish
fi
pass "packages ($abi $version)"

# Module and test program.
mkdir -p "$work/build"
cp "$module_src/kbp.c" "$module_src/Kbuild" "$work/build/"
if make -C "$kdir" M="$work/build" modules >"$logs/build.log" 2>&1 &&
   [ "$(modinfo -F vermagic "$work/build/kbp.ko" | cut -d' ' -f1)" = "$abi" ]; then
  if grep -q 'warning:' "$logs/build.log"; then
    grep 'warning:' "$logs/build.log" | head -n 5
    fail build "kbp.ko built with compiler warnings"
  else
    pass build
  fi
else
  tail -n 20 "$logs/build.log"
  fail build "kbp.ko did not build against $kdir"
  finish
fi
if ! gcc -O2 -Wall -static -o "$work/udp-echo" "$here/udp-echo.c" >"$logs/udp-echo.log" 2>&1; then
  cat "$logs/udp-echo.log"
  fail udp-echo "the test program did not build"
  finish
fi

# Debian kernel image of the same ABI and version, extracted once into the cache.
image="$cache/$abi-$version"
if [ ! -s "$image/vmlinuz" ]; then
  mkdir -p "$cache/deb" "$image.tmp"
  deb="$(ls "$cache/deb/linux-image-${abi}_${version}_amd64.deb" 2>/dev/null)"
  if [ -z "$deb" ]; then
    (cd "$cache/deb" && { apt-get download "linux-image-$abi=$version" ||
       { apt-get update -q && apt-get download "linux-image-$abi=$version"; }; }) >"$logs/download.log" 2>&1
    deb="$(ls "$cache/deb/linux-image-${abi}_${version}_amd64.deb" 2>/dev/null)"
  fi
  if [ -z "$deb" ]; then
    tail -n 20 "$logs/download.log"
    fail kernel-image "apt-get download linux-image-$abi=$version failed"
    finish
  fi
  mods="./lib/modules/$abi/kernel"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$image.tmp" "./boot/vmlinuz-$abi" \
    "$mods/drivers/virtio/virtio.ko" "$mods/drivers/virtio/virtio_ring.ko" \
    "$mods/drivers/virtio/virtio_pci.ko" "$mods/drivers/virtio/virtio_pci_legacy_dev.ko" \
    "$mods/drivers/virtio/virtio_pci_modern_dev.ko" "$mods/drivers/net/virtio_net.ko" \
    "$mods/drivers/net/net_failover.ko" "$mods/net/core/failover.ko" 2>"$logs/extract.log"
  if [ ! -s "$image.tmp/boot/vmlinuz-$abi" ]; then
    cat "$logs/extract.log"
    fail kernel-image "cannot extract vmlinuz and the virtio modules from $deb"
    finish
  fi
  mkdir -p "$image.tmp/mods"
  find "$image.tmp/lib" -name '*.ko' -exec mv {} "$image.tmp/mods/" \;
  mv "$image.tmp/boot/vmlinuz-$abi" "$image.tmp/vmlinuz"
  rm -rf "$image.tmp/boot" "$image.tmp/lib" "$image"
  mv "$image.tmp" "$image"
  rm -f "$deb"
fi

# initramfs: static busybox, the virtio modules, kbp.ko, udp-echo and /init.
root="$work/initramfs"
mkdir -p "$root/bin" "$root/dev" "$root/mods"
cp /bin/busybox "$root/bin/busybox"
cp "$work/udp-echo" "$root/bin/udp-echo"
cp "$image"/mods/*.ko "$root/mods/"
cp "$work/build/kbp.ko" "$root/kbp.ko"
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"
mknod "$root/dev/console" c 5 1 2>/dev/null || true
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initramfs.cpio"

# ---------------------------------------------------------------- the guest

setup_s=$((SECONDS - started))
port="$("$work/udp-echo" freeport)"
# The guest runs for well under a minute, so the detectors the module must never
# trigger report within seconds: RCU CPU stall 5 s, Tasks-RCU stall 5 s
# (1250 jiffies at HZ=250), soft lockup 2 * 2 s; hung tasks 5 s (set by /init).
detectors="rcupdate.rcu_cpu_stall_timeout=5 rcupdate.rcu_task_stall_timeout=1250 watchdog_thresh=2"
loops="${KBP_TEST_DISABLE_LOOPS:-0}"
mkfifo "$work/ctl.in" "$work/ctl.out" "$work/mon.in" "$work/mon.out"
# sysrq_always_enabled: the host asks for task dumps through the emulated
# keyboard (guest_dump below) when the guest stops answering.
#
# thread=single: both vCPUs take turns on one host thread instead of one thread
# each (MTTCG).  Enabling and disabling the patch rewrites the ftrace call site
# at __napi_schedule+0 with text_poke_bp() (int3, then the new bytes; each step
# followed by an IPI that makes every CPU serialize), while the other vCPU runs
# that very function for every received frame.  Under MTTCG, QEMU 7.2
# (Debian 12) can keep a translation of the intermediate int3 although memory
# already holds the final bytes: the vCPUs then trap on it forever with IRQs off
# (kprobe_int3_handler() finds no int3 in memory and restarts the instruction),
# and the guest freezes with nothing on the console.  Reproduced with
# KBP_TEST_DISABLE_LOOPS under traffic: both vCPUs looping through exc_int3 at
# __napi_schedule+0, memory there the final NOP5, and the guest running on as
# soon as a debugger breakpoint made QEMU flush its translations.  Real CPUs
# (and KVM) follow the serializing protocol text_poke_bp() relies on; with one
# vCPU executing at a time, a write and a translation of the same code cannot
# interleave.
timeout -k 5 $((150 + 15 * loops)) qemu-system-x86_64 -accel tcg,thread=single -machine q35 -m 512 -smp 2 -nodefaults \
  -display none -no-reboot \
  -kernel "$image/vmlinuz" -initrd "$work/initramfs.cpio" \
  -append "console=ttyS0 loglevel=5 panic=-1 mitigations=off sysrq_always_enabled $detectors kbp_port=$port" \
  -serial "file:$logs/console.log" \
  -chardev "pipe,id=ctl,path=$work/ctl" -serial chardev:ctl \
  -chardev "pipe,id=mon,path=$work/mon" -mon chardev=mon,mode=readline \
  -netdev "user,id=n0,ipv6=off,hostfwd=udp:127.0.0.1:$port-:$port" \
  -device virtio-net-pci,netdev=n0 \
  >"$logs/qemu.log" 2>&1 &
qemu_pid=$!
exec 5<>"$work/ctl.out" 6<>"$work/ctl.in" 7<>"$work/mon.in"
cat "$work/mon.out" >"$logs/monitor.log" 2>/dev/null &
monitor_pid=$!

# guest_dump: what the vCPUs execute (QEMU's view, in monitor.log; the guest
# printed where _stext is, for KASLR) and magic SysRq through the emulated
# keyboard.  The keyboard interrupt runs the handler (__handle_sysrq()) in
# interrupt context, so the dump works even when no task of the guest gets a
# CPU: l = backtrace of every CPU (what runs there), w = blocked tasks, t = all
# tasks with their scheduler state.
guest_dump() {
  local k
  printf 'info cpus\ninfo registers -a\n' >&7
  for k in l w t; do
    printf 'sendkey alt-sysrq-%s\n' "$k" >&7
    sleep 3
  done
  printf 'info cpus\ninfo registers -a\n' >&7
  sleep 1
  echo "kernel-module: SysRq l, w, t sent to the guest (console.log), vCPU registers in monitor.log" >&2
}

# g COMMAND [TIMEOUT]: run COMMAND in the guest's shell; its output lands in
# $out, its exit status is returned (255: no answer within TIMEOUT seconds).
# After one unanswered command the guest is considered stuck: later commands fail
# at once, so a hung guest costs one timeout, not one per check.
out=
guest_stuck=0
g() {
  local line deadline=$((SECONDS + ${2:-20}))
  out=
  if [ "$guest_stuck" = 1 ] || ! kill -0 "$qemu_pid" 2>/dev/null; then
    guest_stuck=1
    return 255
  fi
  printf '%s\n' "$1" >&6
  while [ "$SECONDS" -lt "$deadline" ]; do
    IFS= read -r -t 1 -u 5 line || continue
    line="${line%$'\r'}"
    case "$line" in
      *"@@END "*)   # output without a final newline shares the marker's line
        out+="${line%%@@END *}"
        return "${line##*@@END }" ;;
      *) out+="$line"$'\n' ;;
    esac
  done
  echo "kernel-module: no answer from the guest to: $1" >&2
  guest_stuck=1
  guest_dump
  return 255
}

# Wait for the guest's /init.
ready=0
deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$qemu_pid" 2>/dev/null; do
  if IFS= read -r -t 1 -u 5 line && [ "${line%$'\r'}" = "@@READY" ]; then ready=1; break; fi
done
if [ "$ready" != 1 ]; then
  cat "$logs/qemu.log"
  fail boot "the guest did not reach its command loop within 60 s"
  finish
fi
pass "boot (setup ${setup_s} s, boot $((SECONDS - started - setup_s)) s)"

# traffic COUNT BURST: UDP echoes from the host; result line in $tout.
tout=
traffic() { tout="$("$work/udp-echo" client 127.0.0.1 "$port" "$1" "$2")"; }
# stream_start / stream_stop: echoes in bursts of KBP_TEST_STREAM_BURST (8) until
# stopped (result in $tout).
stream_start() {
  rm -f "$work/stream.stop"
  "$work/udp-echo" stream 127.0.0.1 "$port" "${KBP_TEST_STREAM_BURST:-8}" "$work/stream.stop" 60 \
    >"$work/stream.out" 2>&1 &
  stream_pid=$!
  sleep 0.5
}
stream_stop() {
  touch "$work/stream.stop"
  wait "$stream_pid"; local rc=$?
  stream_pid=
  tout="$(cat "$work/stream.out")"
  return $rc
}
netrx() { g netrx; echo "${out//[^0-9]/}"; }
kbp_field() { g "kbp_field $1"; echo "${out//[^0-9]/}"; }

# ---- stock kernel ----
g 'wait_for 10 ip route get 10.0.2.2 >/dev/null'
traffic 20 1   # ARP and first contact, not counted
rx0="$(netrx)"
traffic 200 1; rc=$?
rx1="$(netrx)"
check stock_echo "$tout" [ "$rc" -eq 0 ]
check stock_netrx_rises "NET_RX $rx0 -> $rx1" [ "$((rx1 - rx0))" -gt 0 ]

# ---- the kernel log ----
# dmesg, and the console (which also has what a stuck guest printed at warning level).
dmesg_phase() {
  g 'dmesg'; rc=$?
  printf '%s' "$out" >"$logs/dmesg.txt"
  bad="$(grep -hE 'WARNING|BUG|Oops|Call Trace|[Ll]ockup|LOCKUP|detected stall|stalls on|kthread starved|blocked for more than' \
    "$logs/dmesg.txt" "$logs/console.log" | head -n 5)"
  [ "$rc" -eq 0 ] || bad="no dmesg from the guest${bad:+; console: $bad}"
  check dmesg_clean "$bad" [ -z "$bad" ]
  # Expected with idle_mode=busy policy=fifo: the busy thread uses its CPU until
  # RT throttling (sched_rt_runtime_us) takes 50 ms of each second back.
  grep -q 'RT throttling activated' "$logs/dmesg.txt" &&
    echo "kernel-module: note: 'sched: RT throttling activated' in the guest (busy poll at SCHED_FIFO, see README)"
  grep -E 'kbp|livepatch' "$logs/dmesg.txt" >"$logs/dmesg-kbp.txt"
  printf 'poweroff -f\n' >&6
  timeout 10 tail --pid="$qemu_pid" -f /dev/null
}

# ---- KBP_TEST_DISABLE_LOOPS: only load, disable under traffic, unload ----
if [ "$loops" -gt 0 ]; then
  for i in $(seq 1 "$loops"); do
    if [ $((i % 2)) = 1 ]; then params=; else params='cpus=all weight=8 idle_mode=sleep policy=rr priority=10'; fi
    g "insmod /kbp.ko $params && timed wait_for 30 kbp_patched" 40; rc=$?
    check "loop${i}_enable (${params:-defaults}, ${out//[^0-9]/} ms)" "insmod or the transition failed: $out" [ "$rc" -eq 0 ]
    stream_start
    sleep "${KBP_TEST_LOOP_TRAFFIC_S:-2}"
    g 'echo 0 > /sys/kernel/livepatch/kbp/enabled && timed wait_for 30 kbp_unpatched' 40; rc=$?
    stream_stop; rc2=$?
    check "loop${i}_disable (${params:-defaults}, ${out//[^0-9]/} ms)" "disable did not finish: $out" [ "$rc" -eq 0 ]
    check "loop${i}_echo" "$tout" [ "$rc2" -eq 0 ]
    g 'timeout 30 rmmod kbp'; rc=$?
    check "loop${i}_rmmod" "status $rc $out" [ "$rc" -eq 0 ]
    [ "$guest_stuck" = 1 ] && break
  done
  dmesg_phase
  finish
fi

# ---- KBP with the default parameters ----
g 'insmod /kbp.ko && timed wait_for 30 kbp_patched' 40; rc=$?
check "kbp_enable (transition ${out//[^0-9]/} ms)" "insmod or the patch transition failed: $out" [ "$rc" -eq 0 ]
g 'for p in cpus weight idle_mode policy priority; do printf "%s=%s " $p "$(cat /sys/module/kbp/parameters/$p)"; done'
params="${out% }"
check kbp_param_defaults "got '$params'" [ "$params" = "cpus=0 weight=64 idle_mode=busy policy=fifo priority=50" ]
g 'ps -o pid,comm | grep -c "kbp/"'
check kbp_threads "expected one kbp/0 thread, ps counted ${out//[^0-9]/}" [ "${out//[^0-9]/}" = 1 ]

p0="$(kbp_field packets)"
rx0="$(netrx)"
traffic 200 1; rc=$?
rx1="$(netrx)"
p1="$(kbp_field packets)"
check kbp_echo "$tout" [ "$rc" -eq 0 ]
check kbp_no_netrx "NET_RX $rx0 -> $rx1 with KBP enabled" [ "$rx1" -eq "$rx0" ]
check kbp_polls_packets "KBP counted $((p1 - p0)) packets for 200 echoes" [ "$((p1 - p0))" -ge 200 ]

q0="$(kbp_field requeues)"
rx0="$(netrx)"
traffic 1024 256; rc=$?
rx1="$(netrx)"
q1="$(kbp_field requeues)"
check kbp_burst_echo "$tout" [ "$rc" -eq 0 ]
check kbp_full_weight_requeue "requeues $q0 -> $q1 after bursts of 256" [ "$q1" -gt "$q0" ]
check kbp_burst_no_netrx "NET_RX $rx0 -> $rx1" [ "$rx1" -eq "$rx0" ]

# napi_disable() and napi_enable() with the napi in KBP's hands.
g 'ip link set eth0 down && ip link set eth0 up && wait_for 10 ip route get 10.0.2.2 >/dev/null'; rc=$?
traffic 100 1; rc2=$?
check kbp_link_down_up "link down/up status $rc; $tout" [ "$((rc + rc2))" -eq 0 ]

g 'cat /sys/kernel/debug/kbp/stats'
printf '%s' "$out" >"$logs/kbp-stats.txt"
stats_ok() {
  awk '
    /^# kbp stats v1$/ { head++; next }
    /^params cpus=[0-9,-]+ weight=[0-9]+ idle_mode=(busy|sleep) policy=(fifo|rr|normal) priority=[0-9]+$/ { params++; next }
    /^cpu=[0-9]+( [a-z_]+=[0-9]+)+$/ { cpu++; next }
    /^batch cpu=[0-9]+( [0-9]+(-[0-9]+|\+)?=[0-9]+)+$/ { batch++; next }
    { bad++ }
    END { exit !(head == 1 && params == 1 && cpu >= 1 && batch == cpu && !bad) }' "$1"
}
check kbp_stats_format "unexpected lines in the statistics: $(head -c 300 "$logs/kbp-stats.txt")" \
  stats_ok "$logs/kbp-stats.txt"

# ---- disable while the threads busy-poll under traffic, unload, reload ----
# Traffic for 6 s first: longer than every detector's threshold above.
stream_start
sleep 6
g 'echo 0 > /sys/kernel/livepatch/kbp/enabled && timed wait_for 30 kbp_unpatched' 40; rc=$?
check "kbp_disable_busy (transition ${out//[^0-9]/} ms)" "disable did not finish within 30 s: $out" [ "$rc" -eq 0 ]
disabled=$rc
stream_stop; rc=$?
check kbp_disable_under_traffic_echo "$tout" [ "$rc" -eq 0 ]
g 'timeout 30 rmmod kbp'; rc=$?
check kbp_rmmod "rmmod kbp: status $rc $out" [ "$rc" -eq 0 ]
g 'ps -o comm | grep -c "kbp/"'
check kbp_threads_gone "kbp threads left after rmmod: ${out//[^0-9]/}" [ "${out//[^0-9]/}" = 0 ]
rx0="$(netrx)"
traffic 100 1; rc=$?
rx1="$(netrx)"
check stock_again_echo "$tout" [ "$rc" -eq 0 ]
check stock_again_netrx_rises "NET_RX $rx0 -> $rx1 after rmmod" [ "$((rx1 - rx0))" -gt 0 ]

# Reload under traffic with the other parameter values (pointless if the patch
# could not be disabled: the module is still loaded).
reload_phase() {
  stream_start
  g 'insmod /kbp.ko cpus=all weight=8 idle_mode=sleep policy=rr priority=10 && timed wait_for 30 kbp_patched' 40; rc=$?
  check kbp_reload_under_traffic "insmod or the transition failed: $out" [ "$rc" -eq 0 ]
  stream_stop; rc=$?
  check kbp_enable_under_traffic_echo "$tout" [ "$rc" -eq 0 ]
  g 'ps -o comm | grep -c "kbp/"'
  check kbp_reload_threads "expected 2 threads with cpus=all, ps counted ${out//[^0-9]/}" [ "${out//[^0-9]/}" = 2 ]
  w0="$(kbp_field wakeups)"
  q0="$(kbp_field requeues)"
  rx0="$(netrx)"
  traffic 512 64; rc=$?
  rx1="$(netrx)"
  q1="$(kbp_field requeues)"
  w1="$(kbp_field wakeups)"
  check kbp_sleep_echo "$tout" [ "$rc" -eq 0 ]
  check kbp_sleep_no_netrx "NET_RX $rx0 -> $rx1" [ "$rx1" -eq "$rx0" ]
  check kbp_sleep_wakeups "wakeups $w0 -> $w1 with idle_mode=sleep" [ "$w1" -gt "$w0" ]
  check kbp_weight8_requeue "requeues $q0 -> $q1 with weight=8" [ "$q1" -gt "$q0" ]
  g 'cat /sys/kernel/debug/kbp/stats'
  printf '%s' "$out" >"$logs/kbp-stats-sleep.txt"
  check kbp_stats_format_two_cpus "unexpected statistics: $(head -c 300 "$logs/kbp-stats-sleep.txt")" \
    stats_ok "$logs/kbp-stats-sleep.txt"
  if [ -n "${KBP_TEST_FIXTURES:-}" ]; then
    mkdir -p "$KBP_TEST_FIXTURES"
    cp "$logs/kbp-stats.txt" "$KBP_TEST_FIXTURES/kbp-stats-qemu.txt"
    cp "$logs/kbp-stats-sleep.txt" "$KBP_TEST_FIXTURES/kbp-stats-qemu-sleep.txt"
  fi

  # Threaded NAPI keeps its own thread under the patch.
  g 'echo 1 > /sys/class/net/eth0/threaded && cat /sys/class/net/eth0/threaded'
  s0="$(kbp_field schedules)"
  traffic 100 1; rc=$?
  s1="$(kbp_field schedules)"
  g 'echo 0 > /sys/class/net/eth0/threaded'
  check threaded_napi_echo "$tout" [ "$rc" -eq 0 ]
  check threaded_napi_bypasses_kbp "KBP schedules $s0 -> $s1 with threaded NAPI" [ "$s1" -eq "$s0" ]

  stream_start
  g 'echo 0 > /sys/kernel/livepatch/kbp/enabled && wait_for 30 kbp_unpatched && timeout 30 rmmod kbp' 70; rc=$?
  stream_stop; rc2=$?
  check kbp_second_unload "disable + rmmod (sleep mode) failed: $out" [ "$rc" -eq 0 ]
  check kbp_second_unload_echo "$tout" [ "$rc2" -eq 0 ]
}
if [ "$disabled" -eq 0 ]; then
  reload_phase
else
  fail kbp_reload "skipped: the first disable did not finish"
fi

dmesg_phase
finish
