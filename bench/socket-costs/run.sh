#!/usr/bin/env bash
# Measures the echo application's recvfrom and sendto costs on this machine (root: it
# creates a private network namespace with a veth pair whose peer is down, so the
# transmit path ends in veth_xmit dropping the frame; removed on exit).
# Usage: bench/socket-costs/run.sh [PAYLOAD_BYTES...]   (default: 18 470 1472, the UDP
# payloads of 64-, 512- and 1518-byte Ethernet frames)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ns="kbpsock$$"
bin="$(mktemp -d)"
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$bin"; }
trap cleanup EXIT
gcc -O2 -Wall -Wextra -o "$bin/socket_costs" "$here/socket_costs.c"
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" addr add 10.99.0.1/24 dev v0
ip -n "$ns" link set v0 up
ip -n "$ns" neigh add 10.99.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent
echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2 | xargs) MHz, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(18 470 1472)
for size in "${sizes[@]}"; do
  ip netns exec "$ns" taskset -c 1 "$bin/socket_costs" "$size" 10.99.0.2
done
