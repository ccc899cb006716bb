#!/usr/bin/env bash
# Checks that tests/real-kernel/harness.sh leaves nothing behind: no network namespace, no
# veth, no sockperf or stress-ng process, no tracefs instance, no tracefs mount it made.
# Three runs: a short normal run (with --trace), a run that fails on purpose mid-run
# (KBP_RK_FAIL_AT=running), and a run killed with SIGTERM mid-run.
# Prints 'PASS name' / 'FAIL name: reason' and ends with 'real-kernel: P passed, F failed'.
# Run as root. Takes about 30 s.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
harness="$here/harness.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
finish() { echo "real-kernel: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

if [ "$(id -u)" -ne 0 ]; then
  fail root "must run as root (namespaces, veth, tracefs); set KBP_SKIP_REAL_KERNEL=1 to skip"
  finish
fi

# The harness starts every process with KBP_RK_OWNER=<its PID> in the environment, so a
# process is attributed to the run under test, not to another harness running at the same time.
baseline_tracefs_mounted="$(grep -c ' /sys/kernel/tracing tracefs ' /proc/mounts)"

sessions_of() { [ -f "$1/sessions" ] && grep -E '^[0-9]+$' "$1/sessions"; true; }

leftovers() {          # leftovers HARNESS_PID: prints what the harness left behind (nothing when clean)
  local h="$1" p
  ip netns list 2>/dev/null | grep -E "^kbp-rk-$h-" | sed 's/^/namespace /'
  ip -o link show 2>/dev/null | grep -E "krk$h[cs]" | awk -F': ' '{print "veth " $2}'
  for p in $(pgrep -x sockperf; pgrep -f '^stress-ng'; pgrep -x taskset; pgrep -x ip); do
    tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qx "KBP_RK_OWNER=$h" &&
      echo "process $p $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")"
  done
  # stress-ng workers overwrite their environment with their process title: also count any
  # process in a session the harness started (it lists the session leaders in <out>/sessions).
  for p in $(sessions_of "$out"); do
    ps -o pid=,stat=,args= -s "$p" 2>/dev/null | awk '$2 !~ /^Z/ {print "process " $0 " (in a session of the harness)"}'
  done
  ps -eo comm= | grep -q "^napi/krk$h" && echo "kernel thread napi/krk$h*"
  [ -d "/sys/kernel/tracing/instances/kbp-rk-$h" ] && echo "tracefs instance kbp-rk-$h"
  # The tracefs mount is shared: judge it only when no other harness is running.
  if ! ip netns list 2>/dev/null | grep -v "^kbp-rk-$h-" | grep -q '^kbp-rk-'; then
    [ "$(grep -c ' /sys/kernel/tracing tracefs ' /proc/mounts)" = "$baseline_tracefs_mounted" ] ||
      echo "tracefs mount changed"
  fi
}

check_clean() {        # check_clean NAME HARNESS_PID: namespace teardown is asynchronous; allow 10 s
  local name="$1" h="$2" left i
  for i in $(seq 50); do
    left="$(leftovers "$h")"
    [ -z "$left" ] && { pass "$name"; return; }
    sleep 0.2
  done
  fail "$name" "left behind: $(tr '\n' ';' <<<"$left")"
  reap "$h"
}

reap() {               # reap HARNESS_PID: remove what a failed check found, so a failure leaves nothing either
  local h="$1" p ns
  for p in $(pgrep -x sockperf; pgrep -f '^stress-ng'; pgrep -x taskset; pgrep -x ip); do
    tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qx "KBP_RK_OWNER=$h" && kill -KILL "$p" 2>/dev/null
  done
  for p in $(sessions_of "$out"); do
    for q in $(ps -o pid= -s "$p" 2>/dev/null); do kill -KILL "$q" 2>/dev/null; done
  done
  for ns in $(ip netns list 2>/dev/null | awk -v h="kbp-rk-$h-" 'index($1, h) == 1 {print $1}'); do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  [ -d "/sys/kernel/tracing/instances/kbp-rk-$h" ] && rmdir "/sys/kernel/tracing/instances/kbp-rk-$h" 2>/dev/null
  true
}

# 1. A short normal run of two configurations, with the trace.
out="$work/normal"
timeout -s TERM 120 "$harness" --duration 2 --rate 10000 --size 64 --config idle --config threaded-napi \
  --trace --trace-kb 256 --out "$out" >"$work/normal.log" 2>&1 &
h=$!
wait "$h"; st=$?
if [ "$st" -eq 0 ] && grep -q '"threaded-napi": {"p50Us": [0-9]' "$out/results.json" 2>/dev/null &&
   [ -s "$out/trace-idle.txt" ]; then
  pass normal-run-writes-results
else
  fail normal-run-writes-results "exit $st; $(tail -n 3 "$work/normal.log" | tr '\n' ' ')"
fi
check_clean normal-run-leaves-nothing "$h"

# 2. A failure in the middle of a run (with contention and threaded NAPI running).
out="$work/forced"
KBP_RK_FAIL_AT=running timeout -s TERM 120 "$harness" --duration 5 --config threaded-napi --trace --trace-kb 256 \
  --out "$out" >"$work/forced.log" 2>&1 &
h=$!
wait "$h"; st=$?
if [ "$st" -ne 0 ] && [ "$st" -ne 124 ] && ! [ -e "$out/results.json" ]; then
  pass forced-failure-exits-non-zero
else
  fail forced-failure-exits-non-zero "exit $st; results.json $( [ -e "$out/results.json" ] && echo written || echo absent)"
fi
check_clean forced-failure-leaves-nothing "$h"

# 3. SIGTERM in the middle of a run.
out="$work/term"
"$harness" --duration 30 --config threaded-napi --trace --trace-kb 256 --out "$out" >"$work/term.log" 2>&1 &
h=$!
for i in $(seq 100); do                      # until the client has started (its log exists)
  [ -e "$out/sockperf-threaded-napi.txt" ] && break
  kill -0 "$h" 2>/dev/null || break
  sleep 0.1
done
sleep 1
kill -TERM "$h" 2>/dev/null
for i in $(seq 100); do kill -0 "$h" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$h" 2>/dev/null; then
  fail sigterm-stops-harness "still running 10 s after SIGTERM"
  kill -KILL "$h" 2>/dev/null
fi
wait "$h"; st=$?
if [ "$st" -eq 143 ]; then pass sigterm-exits-143; else fail sigterm-exits-143 "exit $st"; fi
check_clean sigterm-leaves-nothing "$h"

finish
