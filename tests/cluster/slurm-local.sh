#!/bin/bash
# End-to-end test of `kbp-sim slurm` on a throwaway one-node Slurm cluster on this machine:
# munged, slurmctld and slurmd run from a temporary directory on private ports, the
# generated job array and merge job run for real, and the merged result must equal the
# unsharded sweep byte for byte. Every daemon it starts is stopped on exit (by its pid).
# Needs root; installs the Debian packages slurmctld slurmd slurm-client munge with apt-get
# when missing. Prints 'slurm-local: passed: ...' per check. Usage: tests/cluster/slurm-local.sh
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
    echo "slurm-local: skipped: needs root (the daemons run as root on private ports)"
    exit 0
fi
missing=0
for tool in munged slurmctld slurmd sbatch squeue; do
    command -v "$tool" >/dev/null || missing=1
done
if [ "$missing" = 1 ]; then
    # Debian's packages; the services they would start are not used (the test runs its own).
    echo "slurm-local: installing slurmctld slurmd slurm-client munge with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null; } \
        || { echo "slurm-local: FAILED: could not install the Slurm packages"; exit 1; }
    # Package scripts may start the distribution's own daemons: stop them, this test runs its own.
    for svc in slurmctld slurmd munge; do
        if command -v systemctl >/dev/null && systemctl is-active -q "$svc" 2>/dev/null; then systemctl stop "$svc" || true; fi
        pkill -x "${svc/munge/munged}" 2>/dev/null || true
    done
fi
for tool in munged slurmctld slurmd sbatch squeue; do
    command -v "$tool" >/dev/null || { echo "slurm-local: FAILED: $tool missing after installing"; exit 1; }
done

repo=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp -d /tmp/kbp-slurm-local.XXXXXX)
pids=()
# Every process of the daemons' sessions (each daemon runs under setsid, so its session id
# is its pid; slurmstepd and the job steps it starts stay in slurmd's session).
ours() {
    local sid
    for sid in "${pids[@]}"; do
        ps -eo pid=,sid= | awk -v s="$sid" '$2 == s { print $1 }'
    done
}
cleanup() {
    local pid left
    for pid in $(ours); do kill "$pid" 2>/dev/null || true; done
    for _ in $(seq 100); do
        [ -z "$(ours)" ] && break
        sleep 0.1
    done
    for pid in $(ours); do kill -9 "$pid" 2>/dev/null || true; done
    sleep 0.2
    left=$(ours)
    if [ -n "$left" ]; then echo "slurm-local: processes still running: $left" >&2; fi
    if [ "${KEEP:-0}" != 1 ]; then rm -rf "$t"; else echo "slurm-local: kept $t"; fi
}
trap cleanup EXIT

echo "slurm-local: building kbp-sim"
dotnet build "$repo/src/Kbp.Sim.Cli" --artifacts-path "$t/artifacts" -v q -nologo >"$t/build.log" 2>&1 || { cat "$t/build.log"; exit 1; }
kbp="$t/artifacts/bin/Kbp.Sim.Cli/debug/kbp-sim"

# munge, with its own key and socket.
mkdir -p "$t/munge"
dd if=/dev/urandom of="$t/munge/key" bs=1024 count=1 status=none
chmod 0400 "$t/munge/key"
chmod 0700 "$t/munge"
setsid munged --force --key-file="$t/munge/key" --socket="$t/munge/socket" --pid-file="$t/munge/pid" \
    --log-file="$t/munge/log" --seed-file="$t/munge/seed" --foreground >"$t/munge/out" 2>&1 &
pids+=($!)

host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$t/state" "$t/spool"
cat >"$t/slurm.conf" <<CONF
ClusterName=kbpsimlocal
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$t/munge/socket
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/slurmctld.pid
SlurmdPidFile=$t/slurmd.pid
SlurmctldLogFile=$t/slurmctld.log
SlurmdLogFile=$t/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$t/slurm.conf"
sleep 1
setsid slurmctld -D -f "$t/slurm.conf" >"$t/slurmctld.out" 2>&1 &
pids+=($!)
setsid slurmd -D -f "$t/slurm.conf" -N "$host" >"$t/slurmd.out" 2>&1 &
pids+=($!)

for _ in $(seq 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -q idle; then break; fi
    sleep 1
done
sinfo -h -o '%T' | grep -q idle || { echo "slurm-local: the node did not come up"; tail -20 "$t/slurmctld.log" "$t/slurmd.log"; exit 1; }

cd "$repo"
sweep=(sweep scenarios/paper/vm-napi-80mbps-64b.yaml --vary traffic.rate=40Mbps,80Mbps --vary traffic.frameSize=64B,512B,1518B
    --duration 10ms --repetitions 1 --set traffic.warmup=1ms --seed 5)
"$kbp" "${sweep[@]}" --json "$t/whole.json" --csv "$t/whole.csv" >/dev/null
"$kbp" slurm "${sweep[@]}" --tasks 4 --cpus-per-task 1 --time 00:05:00 --workdir "$t/w" | tee "$t/submitted.txt"
merge=$(sed -n 's/^merge job \([0-9]*\):.*/\1/p' "$t/submitted.txt")

wait_for() {
    for _ in $(seq 300); do
        [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return
        sleep 1
    done
}
same() {
    cmp -s "$t/whole.json" "$t/w/merged.json" && cmp -s "$t/whole.csv" "$t/w/merged.csv"
}
wait_for "$merge"
if ! same; then
    echo "slurm-local: FAILED: the merged result differs or is missing"
    ls -l "$t/w" "$t/w/parts" "$t/w/logs" || true
    tail -5 "$t"/w/logs/* || true
    exit 1
fi
echo "slurm-local: passed: 4 array tasks and the merge job gave the unsharded JSON and CSV byte for byte"

# A lost task: its part is gone, merge names the missing points; resubmitting that task
# alone and the merge after it (docs/scaling.md, "When a task fails") restores the result.
rm "$t/w/parts/part-2-of-4.jsonl" "$t/w/merged.json" "$t/w/merged.csv"
if "$kbp" merge "$t"/w/parts/part-*-of-4.jsonl --json "$t/w/merged.json" 2>"$t/merge.err"; then
    echo "slurm-local: FAILED: merge accepted a missing part"; exit 1
fi
grep -q "1 missing point(s): traffic.rate=40Mbps,traffic.frameSize=1518B$" "$t/merge.err" \
    || { echo "slurm-local: FAILED: merge did not name the missing points: $(cat "$t/merge.err")"; exit 1; }
[ ! -e "$t/w/merged.json" ] || { echo "slurm-local: FAILED: merge wrote an output"; exit 1; }
again=$(sbatch --parsable --array=2 "$t/w/array.sbatch" | cut -d';' -f1)
merge=$(sbatch --parsable --dependency=afterok:"$again" "$t/w/merge.sbatch" | cut -d';' -f1)
wait_for "$merge"
if ! same; then
    echo "slurm-local: FAILED: resubmitting task 2 did not restore the merged result"; exit 1
fi
echo "slurm-local: passed: task 2 resubmitted alone and merged again gave the same bytes"
