#!/usr/bin/env bash
# Runs a shell script against an ovsdb-server of its own (no switch daemon:
# the script changes the database with `ovs-vsctl --no-wait`), with OVS_DB
# naming its socket. The server is stopped by PID and its folder removed,
# also on failure. Usage: with-ovsdb.sh SCRIPT; its output and status are
# the script's.
set -euo pipefail

script=$1
work=$(mktemp -d /tmp/fabricc-ovsdb.XXXXXX)

# Whether process $1 still runs: a daemon's exit leaves a zombie until
# init reaps it, which `kill -0` cannot tell apart.
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }

cleanup() {
    local status=$?
    if [ -s "$work/ovsdb.pid" ]; then
        pid=$(cat "$work/ovsdb.pid")
        # Asked first: a test runner may start us with SIGTERM blocked.
        ovs-appctl -t "$work/ovsdb.ctl" exit >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        for _ in $(seq 20); do alive "$pid" || break; sleep 0.05; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export OVS_RUNDIR=$work OVS_LOGDIR=$work OVS_DBDIR=$work
ovsdb-tool create "$work/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$work/conf.db" --remote="punix:$work/db.sock" --unixctl="$work/ovsdb.ctl" \
    --pidfile="$work/ovsdb.pid" --detach --log-file="$work/ovsdb.log" >>"$work/start.log" 2>&1
export OVS_DB="unix:$work/db.sock"
ovs-vsctl --db="$OVS_DB" --no-wait init
sh "$script"
