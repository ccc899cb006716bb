#!/usr/bin/env bash
# Real-kernel harness: UDP ping-pong RTT between two network namespaces joined by a veth
# pair, under chosen configurations (idle, CPU contention on the receiving CPU, threaded
# NAPI on the receiving veth). Writes <out>/results.json (RTT percentiles per configuration)
# and, with --trace, <out>/trace-<config>.txt (tracefs text, bounded).
#
#   tests/real-kernel/harness.sh [--config NAME]... [--duration S] [--rate MPS]
#                                [--size BYTES] [--trace] [--trace-kb KB] [--out DIR]
#                                [--client-cpu N] [--server-cpu N] [--wait-quiet S]
#
# --wait-quiet S: before each configuration, wait up to S seconds until the whole machine
# was under 10% busy for one second (other work on the machine shows up as latency; the JSON
# records each CPU's busy share during every run either way).
#
# Configurations (default: idle contention threaded-napi):
#   idle               nothing else running; veth without NAPI (backlog path, kernel default)
#   contention         stress-ng --cpu 1 pinned to the server (receiving) CPU
#   gro-contention     GRO on the server's veth (veth NAPI polled in NET_RX softirq) + contention
#   threaded-napi      GRO on + threaded NAPI on the server's veth + contention
#   threaded-napi-idle GRO on + threaded NAPI on the server's veth, no contention
#
# Safety: run as root. Traffic goes only between addresses inside the two namespaces
# this script creates (10.213.x.y/30). Everything it creates (namespaces, and with them
# the veths; processes, by PID and process group; its own tracefs instance; a tracefs
# mount it made) is removed on every exit path: normal end, error, INT and TERM.
# KBP_RK_FAIL_AT=running makes it fail on purpose in the middle of a run (for check-clean.sh).
set -Eeuo pipefail

die() { echo "harness: $*" >&2; exit 2; }

configs=()
duration_s=10
rate_mps=10000
size_bytes=64
trace=0
trace_kb=4096           # ring buffer per CPU (overwrite mode: the trace keeps the last events)
trace_max_bytes=$((64 * 1024 * 1024))
out_dir=""
ncpu="$(nproc)"
client_cpu=0
server_cpu=$((ncpu - 1))
port=11111
wait_quiet_s=0         # before each configuration, wait up to this long for the machine to go quiet

while [ $# -gt 0 ]; do
  case "$1" in
    --config) configs+=("${2:?}"); shift 2 ;;
    --duration) duration_s="${2:?}"; shift 2 ;;
    --rate) rate_mps="${2:?}"; shift 2 ;;
    --size) size_bytes="${2:?}"; shift 2 ;;
    --trace) trace=1; shift ;;
    --trace-kb) trace_kb="${2:?}"; shift 2 ;;
    --out) out_dir="${2:?}"; shift 2 ;;
    --client-cpu) client_cpu="${2:?}"; shift 2 ;;
    --server-cpu) server_cpu="${2:?}"; shift 2 ;;
    --wait-quiet) wait_quiet_s="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -E/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[ ${#configs[@]} -gt 0 ] || configs=(idle contention threaded-napi)
for c in "${configs[@]}"; do
  case "$c" in idle|contention|gro-contention|threaded-napi|threaded-napi-idle) ;;
    *) die "unknown configuration: $c" ;; esac
done
for n in "$duration_s" "$rate_mps" "$size_bytes" "$trace_kb" "$client_cpu" "$server_cpu" "$wait_quiet_s"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a whole number: $n"
done
[ "$client_cpu" -lt "$ncpu" ] && [ "$server_cpu" -lt "$ncpu" ] || die "CPU out of range (this machine has $ncpu)"
[ "$(id -u)" -eq 0 ] || die "must run as root"
[ -n "$out_dir" ] || out_dir="$(pwd)/real-kernel-out-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out_dir"
: >"$out_dir/sessions"

# Unique names (with the PID): namespace names and veth names (<= 15 characters).
ns_client="kbp-rk-$$-c"
ns_server="kbp-rk-$$-s"
veth_client="krk$$c"
veth_server="krk$$s"
ip_client=10.213.0.1
ip_server=10.213.0.2
tracefs=/sys/kernel/tracing
trace_instance="$tracefs/instances/kbp-rk-$$"

pids=()                # every background process we started (each leads its own process group)
created_ns=()
mounted_tracefs=0
cleaned=0

stop_pid() {           # stop_pid PID: TERM its process group, then KILL what is left
  local pid="$1" i
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  [ "$cleaned" -eq 0 ] || return 0
  cleaned=1
  trap '' INT TERM
  set +e
  local pid ns
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  pids=()
  for ns in "${created_ns[@]}"; do
    # Anything still inside a namespace we made was started by us.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  created_ns=()
  if [ -d "$trace_instance" ]; then
    echo 0 >"$trace_instance/tracing_on" 2>/dev/null
    echo >"$trace_instance/set_event" 2>/dev/null
    rmdir "$trace_instance" 2>/dev/null
  fi
  # Unmount only what we mounted, and only if no other tracefs instance (another harness) is in use.
  if [ "$mounted_tracefs" -eq 1 ] && [ -z "$(ls -A "$tracefs/instances" 2>/dev/null)" ]; then
    umount "$tracefs" 2>/dev/null
  fi
  mounted_tracefs=0
  rm -f "$out_dir"/.results.json.tmp.* 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'echo "harness: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

# Start a background process in its own session/process group; $! is its PID and PGID.
# KBP_RK_OWNER marks it (and its children) as ours, for check-clean.sh.
# Each leader's PID is also its session ID; they are listed in <out>/sessions for the same reason.
spawn() { KBP_RK_OWNER="$$" setsid "$@" & pids+=("$!"); echo "$!" >>"$out_dir/sessions"; }
forget() { local p="$1" keep=() x; for x in "${pids[@]}"; do [ "$x" = "$p" ] || keep+=("$x"); done; pids=("${keep[@]}"); }

need() {               # need COMMAND PACKAGE: apt-get install the package when the command is missing
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "harness: installing $2" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1; } ||
    die "could not install $2"
}
need sockperf sockperf
need stress-ng stress-ng
need ethtool ethtool
need setsid util-linux
need taskset util-linux

setup_net() {
  ip netns add "$ns_client"; created_ns+=("$ns_client")
  ip netns add "$ns_server"; created_ns+=("$ns_server")
  # Create the pair directly inside the namespaces: it never exists in the root namespace.
  ip -n "$ns_client" link add "$veth_client" type veth peer name "$veth_server" netns "$ns_server"
  ip -n "$ns_client" addr add "$ip_client/30" dev "$veth_client"
  ip -n "$ns_server" addr add "$ip_server/30" dev "$veth_server"
  ip -n "$ns_client" link set lo up
  ip -n "$ns_server" link set lo up
  ip -n "$ns_client" link set "$veth_client" up
  ip -n "$ns_server" link set "$veth_server" up
}

teardown_net() {
  local ns pid
  for ns in "${created_ns[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  created_ns=()
}

trace_start() {
  if ! [ -d "$tracefs/events" ]; then
    mount -t tracefs nodev "$tracefs" && mounted_tracefs=1
  fi
  [ -d "$trace_instance" ] || mkdir "$trace_instance"
  echo 0 >"$trace_instance/tracing_on"
  echo "$trace_kb" >"$trace_instance/buffer_size_kb"
  : >"$trace_instance/set_event"
  local ev
  for ev in irq:irq_handler_entry irq:irq_handler_exit irq:softirq_raise irq:softirq_entry \
            irq:softirq_exit napi:napi_poll net:netif_receive_skb net:net_dev_xmit \
            sched:sched_switch sched:sched_wakeup; do
    echo "$ev" >>"$trace_instance/set_event" || echo "harness: event $ev not available" >&2
  done
  : >"$trace_instance/trace"          # clear the buffer
  echo 1 >"$trace_instance/tracing_on"
}

trace_stop() {         # trace_stop FILE
  echo 0 >"$trace_instance/tracing_on"
  head -c "$trace_max_bytes" "$trace_instance/trace" >"$1" || true
  : >"$trace_instance/set_event" || true
  : >"$trace_instance/trace" || true
}

cpu_ticks() {          # per CPU: "busy total" ticks from /proc/stat, one line each, cpu0 first
  awk '/^cpu[0-9]/ { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat
}
busy_pct() {           # busy_pct BEFORE AFTER: per CPU busy share between two cpu_ticks snapshots
  paste -d' ' <(echo "$1") <(echo "$2") |
    awk '{ t = $4 - $2; printf "%s%.0f", (NR > 1 ? ", " : ""), (t > 0 ? 100 * ($3 - $1) / t : 0) }'
}
steal_pct() {          # steal_pct: machine-wide steal share over one interval, from two /proc/stat "cpu" lines
  paste -d' ' <(echo "$1") <(echo "$2") |
    awk '{ t = 0; for (i = 2; i <= 11; i++) t += $(i + 11) - $i; printf "%.1f", (t > 0 ? 100 * ($(9 + 11) - $9) / t : 0) }'
}
wait_quiet() {
  [ "$wait_quiet_s" -gt 0 ] || return 0
  local start=$SECONDS a b
  while [ $((SECONDS - start)) -lt "$wait_quiet_s" ]; do
    a="$(cpu_ticks)"; sleep 1; b="$(cpu_ticks)"
    paste -d' ' <(echo "$a") <(echo "$b") |
      awk '{ busy += $3 - $1; t += $4 - $2 } END { exit !(t > 0 && 100 * busy / t < 10) }' && return 0
  done
  echo "harness: the machine did not go quiet within ${wait_quiet_s}s; measuring anyway" >&2
}

num() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] && echo "$1" || echo null; }
json_str() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }

run_config() {         # run_config NAME: one run; sets last_gro, last_threaded, last_contention
  local cfg="$1" gro=0 threaded=0 contention=0
  case "$cfg" in
    idle) ;;
    contention) contention=1 ;;
    gro-contention) gro=1; contention=1 ;;
    threaded-napi) gro=1; threaded=1; contention=1 ;;
    threaded-napi-idle) gro=1; threaded=1 ;;
  esac
  local log="$out_dir/sockperf-$cfg.txt"
  wait_quiet
  setup_net
  if [ "$gro" -eq 1 ]; then
    # GRO requested on the receiving veth: veth creates its own NAPI (§3.2). veth_xmit uses it
    # only for skbs veth_skb_is_eligible_for_gro() accepts; with TSO on the sending veth (the
    # default) a UDP skb qualifies only when the receiver has rx-udp-gro-forwarding (or
    # rx-gro-list) on, as in the kernel's selftests/net/udpgro_fwd.sh.
    ip netns exec "$ns_server" ethtool -K "$veth_server" gro on rx-udp-gro-forwarding on >/dev/null
  fi
  local threaded_read=0
  if [ "$threaded" -eq 1 ]; then
    ip netns exec "$ns_server" sh -c "echo 1 > /sys/class/net/$veth_server/threaded"
    threaded_read="$(ip netns exec "$ns_server" cat "/sys/class/net/$veth_server/threaded")"
  fi
  last_gro="$(ip netns exec "$ns_server" ethtool -k "$veth_server" | sed -n 's/^generic-receive-offload: \([a-z]*\).*/\1/p')"
  last_threaded="$threaded_read"
  last_contention="$([ "$contention" -eq 1 ] && echo true || echo false)"

  spawn ip netns exec "$ns_server" taskset -c "$server_cpu" sockperf server -i "$ip_server" -p "$port" \
    >"$out_dir/sockperf-server-$cfg.txt" 2>&1
  local server_pid="$!" i
  for i in $(seq 50); do
    ip netns exec "$ns_server" ss -Huln "src $ip_server:$port" 2>/dev/null | grep -q . && break
    kill -0 "$server_pid" 2>/dev/null || die "sockperf server exited early"
    sleep 0.1
  done
  local stress_pid=""
  if [ "$contention" -eq 1 ]; then
    spawn taskset -c "$server_cpu" stress-ng --cpu 1 --cpu-method loop --timeout "$((duration_s + 30))s" \
    >"$out_dir/stress-ng-$cfg.txt" 2>&1
    stress_pid="$!"
    sleep 0.5
  fi
  if [ "$trace" -eq 1 ]; then trace_start; fi
  local ticks_before stat_before
  ticks_before="$(cpu_ticks)"; stat_before="$(grep '^cpu ' /proc/stat)"
  last_load="$(cut -d' ' -f1 /proc/loadavg)"

  spawn ip netns exec "$ns_client" taskset -c "$client_cpu" sockperf ping-pong -i "$ip_server" -p "$port" \
    -t "$duration_s" --mps "$rate_mps" -m "$size_bytes" --full-rtt >"$log" 2>&1
  local client_pid="$!"
  if [ "${KBP_RK_FAIL_AT:-}" = running ]; then
    sleep 1
    echo "harness: KBP_RK_FAIL_AT=running: failing on purpose mid-run" >&2
    false
  fi
  local client_status=0
  wait "$client_pid" || client_status=$?
  forget "$client_pid"
  last_busy="$(busy_pct "$ticks_before" "$(cpu_ticks)")"
  last_steal="$(steal_pct "$stat_before" "$(grep '^cpu ' /proc/stat)")"
  if [ "$trace" -eq 1 ]; then trace_stop "$out_dir/trace-$cfg.txt"; fi
  [ -z "$stress_pid" ] || { stop_pid "$stress_pid"; forget "$stress_pid"; }
  stop_pid "$server_pid"; forget "$server_pid"
  teardown_net
  [ "$client_status" -eq 0 ] || die "sockperf ping-pong exited with $client_status in $cfg (see $log)"
}

member_json() {        # member_json NAME: one JSON member "NAME": {...} from the sockperf log
  local cfg="$1" log="$out_dir/sockperf-$1.txt" clean
  clean="$(sed 's/\x1b\[[0-9;]*m//g' "$log")"
  pick() { sed -n "s/$1/\\1/p" <<<"$clean" | tail -n 1; }
  local p50 p99 p999 max samples avg dropped
  p50="$(pick '.*percentile 50\.000 = *\([0-9.]*\).*')"
  p99="$(pick '.*percentile 99\.000 = *\([0-9.]*\).*')"
  p999="$(pick '.*percentile 99\.900 = *\([0-9.]*\).*')"
  max="$(pick '.*<MAX> observation = *\([0-9.]*\).*')"
  samples="$(pick '.*Total \([0-9]*\) observations.*')"
  avg="$(pick '.*avg-rtt=\([0-9.]*\).*')"
  dropped="$(pick '.*# dropped messages = \([0-9]*\).*')"
  [ -n "$p50" ] && [ -n "$samples" ] || die "could not parse the sockperf output of $cfg (see $log)"
  printf '    %s: {"p50Us": %s, "p99Us": %s, "p999Us": %s, "maxUs": %s, "avgUs": %s, "samples": %s, "dropped": %s,\n' \
    "$(json_str "$cfg")" "$(num "$p50")" "$(num "$p99")" "$(num "$p999")" "$(num "$max")" "$(num "$avg")" \
    "$(num "$samples")" "$(num "${dropped:-}")"
  printf '      "loadAvg1Before": %s, "cpuBusyPctDuringRun": [%s], "stealPctDuringRun": %s,\n' \
    "$(num "$last_load")" "$last_busy" "$(num "$last_steal")"
  printf '      "contentionOnServerCpu": %s, "groOnServerVeth": %s, "threadedNapiOnServerVeth": %s, "sockperfLog": %s, "trace": %s}' \
    "$last_contention" "$(json_str "${last_gro:-unknown}")" "$(num "${last_threaded:-0}")" \
    "$(json_str "sockperf-$cfg.txt")" "$([ "$trace" -eq 1 ] && json_str "trace-$cfg.txt" || echo null)"
}

members=()
for cfg in "${configs[@]}"; do
  echo "harness: $cfg: ${duration_s}s of sockperf ping-pong at $rate_mps msg/s, $size_bytes B" \
       "(client CPU $client_cpu, server CPU $server_cpu)" >&2
  run_config "$cfg"
  member="$(member_json "$cfg")"
  members+=("$member")
done

# Written atomically: a temporary file in the same directory, then rename.
tmp="$(mktemp "$out_dir/.results.json.tmp.XXXXXX")"
{
  printf '{\n'
  printf '  "kernel": %s,\n' "$(json_str "$(uname -r)")"
  printf '  "kernelVersion": %s,\n' "$(json_str "$(uname -v)")"
  printf '  "cpus": %s,\n' "$ncpu"
  printf '  "cpuModel": %s,\n' "$(json_str "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)")"
  printf '  "date": %s,\n' "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
  printf '  "sockperf": %s,\n' "$(json_str "$(sockperf --version 2>&1 | sed -n 's/.*version \([^ ]*\).*/\1/p' | head -n 1)")"
  printf '  "stressNg": %s,\n' "$(json_str "$(stress-ng --version 2>&1 | head -n 1)")"
  printf '  "durationS": %s, "rateMps": %s, "sizeBytes": %s, "clientCpu": %s, "serverCpu": %s,\n' \
    "$duration_s" "$rate_mps" "$size_bytes" "$client_cpu" "$server_cpu"
  printf '  "rtt": "round trip (sockperf --full-rtt), microseconds",\n'
  printf '  "configs": {\n'
  local_i=0
  for m in "${members[@]}"; do
    local_i=$((local_i + 1))
    if [ "$local_i" -lt "${#members[@]}" ]; then printf '%s,\n' "$m"; else printf '%s\n' "$m"; fi
  done
  printf '  }\n}\n'
} >"$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$out_dir/results.json"
echo "harness: wrote $out_dir/results.json" >&2
