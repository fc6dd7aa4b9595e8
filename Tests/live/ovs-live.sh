#!/usr/bin/env bash
# Runs one generated OVS host script for real: starts ovsdb-server and
# ovs-vswitchd (userspace datapath) in a temporary directory, makes a fresh
# network namespace with the host's "physical" NICs (veth pairs, as this
# kernel has no dummy links), runs the script inside it twice with
# FABRICC_OVS_DATAPATH=netdev, FABRICC_OVS_DB pointing at the temporary
# database and the suite's fake virsh first on PATH, and after each run
# dumps what the tests compare: OUT/run<N>.status and .out, the Bridge, Port
# and Interface tables (ovs-vsctl --format=json) and `ip -j -d link`.
# Everything it starts is stopped by PID and the namespace (named
# fov<pid>-h) deleted, also on failure.
# Usage: ovs-live.sh SCRIPT OUT [NIC…]; FAKE_VIRSH_STATE names the fake's
# state; OVS_LIVE_BETWEEN, when set, is a shell command run in the namespace
# between the two runs, with OVS_DB naming the database; OVS_LIVE_AFTER, when
# set, one run after them from outside the namespace (OUT/after.out and
# after.status), with OVS_DB, OVS_NS and OVS_CTL set.
set -euo pipefail

script=$1
out=$2
shift 2
nics=("$@")
here=$(cd "$(dirname "$0")" && pwd)
: "${FAKE_VIRSH_STATE:?set FAKE_VIRSH_STATE to the fake virsh state directory}"
work=$(mktemp -d /tmp/fabricc-ovs-live.XXXXXX)
ns="fov$$-h"
made_ns=0

# Whether process $1 still runs: a daemon's exit leaves a zombie until
# init reaps it, which `kill -0` cannot tell apart.
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }

# Stops daemon $1: asked through its control socket $2 first (a test
# runner may start us with SIGTERM blocked, which the daemons inherit), then
# by PID, with SIGKILL if it is still there after a second.
stop() {
    ovs-appctl -t "$2" exit >/dev/null 2>&1 || kill "$1" 2>/dev/null || true
    for _ in $(seq 20); do alive "$1" || return 0; sleep 0.05; done
    kill -9 "$1" 2>/dev/null || true
}

cleanup() {
    local status=$?
    for daemon in vswitchd ovsdb; do
        if [ -s "$work/$daemon.pid" ]; then stop "$(cat "$work/$daemon.pid")" "$work/$daemon.ctl"; fi
    done
    [ "$made_ns" -eq 0 ] || ip netns del "$ns" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
        echo "--- logs (kept in $work) ---"
        for log in ovsdb vswitchd; do [ -f "$work/$log.log" ] && { echo "== $log"; tail -n 30 "$work/$log.log"; }; done
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export OVS_RUNDIR=$work OVS_LOGDIR=$work OVS_DBDIR=$work
db="unix:$work/db.sock"
ovsdb-tool create "$work/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$work/conf.db" --remote="punix:$work/db.sock" --unixctl="$work/ovsdb.ctl" \
    --pidfile="$work/ovsdb.pid" --detach --log-file="$work/ovsdb.log" >>"$work/start.log" 2>&1
ovs-vsctl --db="$db" --no-wait init

ip netns add "$ns"; made_ns=1
ip -n "$ns" link set lo up
i=0
for nic in "${nics[@]}"; do
    i=$((i + 1))
    ip -n "$ns" link add "$nic" type veth peer name "fov$$n$i"
    ip -n "$ns" link set "fov$$n$i" up       # the far end of the cable
done
# The switch daemon opens devices in its own namespace: it runs in the
# test host's. Daemons write nothing to our output (a pipe the caller reads
# to its end).
ip netns exec "$ns" ovs-vswitchd "$db" --unixctl="$work/vswitchd.ctl" \
    --pidfile="$work/vswitchd.pid" --detach --log-file="$work/vswitchd.log" >>"$work/start.log" 2>&1

mkdir -p "$work/bin" "$out"
cp "$here/../ovs/fake-virsh" "$work/bin/virsh"
chmod 755 "$work/bin/virsh"

for run in 1 2; do
    if [ "$run" -eq 2 ] && [ -n "${OVS_LIVE_BETWEEN-}" ]; then
        # A test's own change between the runs (the host drifting).
        OVS_DB="$db" ip netns exec "$ns" sh -c "$OVS_LIVE_BETWEEN" >"$out/between.out" 2>&1
    fi
    set +e
    ip netns exec "$ns" env -i PATH="$work/bin:/usr/sbin:/usr/bin:/sbin:/bin" FAKE_VIRSH_STATE="$FAKE_VIRSH_STATE" \
        FABRICC_OVS_DATAPATH=netdev FABRICC_OVS_DB="$db" sh "$script" >"$out/run$run.out" 2>&1
    echo $? >"$out/run$run.status"
    set -e
    for table in Bridge Port Interface; do
        ovs-vsctl --db="$db" --format=json list "$table" >"$out/run$run-$table.json"
    done
    ip -n "$ns" -j -d link show >"$out/run$run-links.json"
    ip -n "$ns" -j -4 address show >"$out/run$run-addresses.json"
    ip -n "$ns" -j -4 route show table main >"$out/run$run-routes.json"
    ip netns exec "$ns" sysctl -n net.ipv4.ip_forward >"$out/run$run-forwarding"
done
if [ -n "${OVS_LIVE_AFTER-}" ]; then
    # A test's own checks of the wired host, from outside it: OVS_NS names
    # the host's namespace, OVS_CTL the switch daemon's control socket.
    set +e
    OVS_DB="$db" OVS_NS="$ns" OVS_CTL="$work/vswitchd.ctl" bash -c "$OVS_LIVE_AFTER" >"$out/after.out" 2>&1
    echo $? >"$out/after.status"
    set -e
fi
echo "ovs-live: ran $script twice"
