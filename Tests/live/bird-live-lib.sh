# Shared by the live BGP tests (bird-live.sh, bird-live-s2.sh), sourced
# after they set: work (their folder), tag (the prefix of every namespace
# and link they make), devices (one BIRD daemon and namespace each), addr
# (each device's address on the segment) and started (namespaces made so
# far, to delete).
# shellcheck shell=bash disable=SC2154

# Stops every daemon by PID and deletes every namespace made, on any exit;
# keeps the folder and prints the daemons' logs when the test failed.
live_cleanup() {
    local status=$?
    for d in "${devices[@]}"; do
        if [ -s "$work/$d.pid" ]; then
            pid=$(cat "$work/$d.pid")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    for ns in "${started[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    if [ "$status" -ne 0 ]; then
        echo "--- logs (kept in $work) ---"
        for d in "${devices[@]}"; do [ -f "$work/$d.log" ] && { echo "== $d"; tail -n 30 "$work/$d.log"; }; done
    else
        rm -rf "$work"
    fi
    exit "$status"
}

fail() { echo "FAIL: $*"; exit 1; }

# The wire: a switch namespace ($tag-sw) with a bridge, and per device a
# namespace ($tag-DEVICE) whose eth0, with the device's address, is a veth
# into that bridge. The switch end of each device's cable is named in
# $work/DEVICE.port.
live_wire() {
    local sw="$tag-sw" i=0 ns
    ip netns add "$sw"; started+=("$sw")
    ip -n "$sw" link add br0 type bridge
    ip -n "$sw" link set br0 up
    for d in "${devices[@]}"; do
        i=$((i + 1))
        ns="$tag-$d"
        ip netns add "$ns"; started+=("$ns")
        ip link add "${tag}a$i" type veth peer name "${tag}b$i"
        ip link set "${tag}a$i" netns "$ns"
        ip link set "${tag}b$i" netns "$sw"
        ip -n "$ns" link set "${tag}a$i" name eth0
        ip -n "$ns" addr add "${addr[$d]}/24" dev eth0
        ip -n "$ns" link set lo up
        ip -n "$ns" link set eth0 up
        ip -n "$sw" link set "${tag}b$i" master br0
        ip -n "$sw" link set "${tag}b$i" up
        echo "${tag}b$i" > "$work/$d.port"
    done
}
