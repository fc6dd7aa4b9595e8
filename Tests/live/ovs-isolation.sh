#!/usr/bin/env bash
# The data-plane half of the OVS isolation test: run by ovs-live.sh (as its
# OVS_LIVE_AFTER) once Golden/build/ovs-isolation's script has wired the
# host twice, with OVS_NS naming the host's namespace, OVS_CTL the switch
# daemon's control socket and OVS_DB the database. Each "VM" is a namespace
# holding the VM end of its veth (the host end is an access port), all in
# one IPv4 subnet, so only the VLANs keep them apart. It asserts that:
# va (inner VLAN 201, on br-int) reaches vb (inner VLAN 201, on br-eth1)
# across the nested trunk; vc (VLAN 202) and vo (outer VLAN 101) do not;
# ofproto/trace sends va's frames out of br-eth1's uplink tagged 201 and
# drops a frame of VLAN 150 (the outer cloud's) arriving on the trunk; and
# every link has the MTU the intent says. Its own namespaces are deleted on
# every exit path.
set -euo pipefail

: "${OVS_NS:?}" "${OVS_CTL:?}"
tag="foi$$"
vms=(va vb vc vo)
declare -A ip=([va]=10.99.0.1 [vb]=10.99.0.2 [vc]=10.99.0.3 [vo]=10.99.0.4)
made=()

cleanup() {
    local status=$?
    for ns in "${made[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*"; exit 1; }

for vm in "${vms[@]}"; do
    ns="$tag-$vm"
    ip netns add "$ns"; made+=("$ns")
    ip -n "$OVS_NS" link set "$vm-vm" netns "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$vm-vm" name eth0
    ip -n "$ns" addr add "${ip[$vm]}/24" dev eth0
    ip -n "$ns" link set eth0 up
done

# 1. Isolation in the data plane: only the two VMs of VLAN 201 meet.
reach() { ip netns exec "$tag-$1" ping -c 2 -i 0.2 -W 1 -q "${ip[$2]}" >/dev/null 2>&1; }
ok=0
for _ in $(seq 20); do reach va vb && { ok=1; break; }; sleep 0.25; done
[ "$ok" = 1 ] || fail "va cannot reach vb on inner VLAN 201 across the nested trunk"
echo "va (br-int, VLAN 201) reaches vb (br-eth1, VLAN 201) across the trunk"
for other in vc vo; do
    if reach va "$other"; then fail "va (VLAN 201) reaches $other on another VLAN"; fi
    if reach "$other" vb; then fail "$other reaches vb (VLAN 201) from another VLAN"; fi
done
echo "vc (VLAN 202) and vo (outer VLAN 101) reach neither"

# 2. What the switch does with a frame, by ofproto/trace.
trace() { ovs-appctl -t "$OVS_CTL" ofproto/trace "$@"; }
ofport() { ovs-vsctl --db="$OVS_DB" get Interface "$1" ofport; }
va_mac=$(ip -n "$tag-va" -j link show eth0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
broadcast="dl_src=$va_mac,dl_dst=ff:ff:ff:ff:ff:ff"
# va's broadcast leaves br-int into the trunk tagged 201 ...
out=$(trace br-int "in_port=$(ofport va-host),$broadcast")
printf '%s\n' "$out" | grep -q "push_vlan(vid=201" || printf '%s\n' "$out" | grep -q "mod_vlan_vid:201" ||
    fail "br-int does not tag va's frame 201 into the trunk: $out"
# ... and, arriving tagged on br-eth1's trunk, goes out of the uplink still
# tagged 201 and to vb untagged, never to vc or vo.
out=$(trace br-eth1 "in_port=$(ofport eth1-trunk),dl_vlan=201,$broadcast")
final=$(printf '%s\n' "$out" | grep '^Datapath actions:')
echo "br-eth1, a VLAN 201 frame from the trunk: $final"
# Datapath port numbers, as `dpif/show` lists them ("    eth1 1/2:").
dp() { ovs-appctl -t "$OVS_CTL" dpif/show | awk -v n="$1" '$1 == n { split($2, a, "/"); sub(/:$/, "", a[2]); print a[2]; exit }'; }
eth1=$(dp eth1); vb_dp=$(dp vb-host); vc_dp=$(dp vc-host); vo_dp=$(dp vo-host)
if [ -z "$eth1" ] || [ -z "$vb_dp" ]; then fail "cannot find the datapath ports: $(ovs-appctl -t "$OVS_CTL" dpif/show)"; fi
# The uplink gets it while the frame still carries VLAN 201; vb after the
# tag is popped.
printf '%s\n' "$final" | grep -qE "(^|[ ,])$eth1(,|$)" || fail "the VLAN 201 frame does not leave by the uplink eth1: $final"
printf '%s\n' "$final" | grep -qE "pop_vlan.*(^|[ ,])$vb_dp(,|$)" || fail "the VLAN 201 frame does not reach vb untagged: $final"
for p in "$vc_dp" "$vo_dp"; do
    if printf '%s\n' "$final" | grep -qE "(^|[ ,])$p(,|$)"; then fail "the VLAN 201 frame reaches port $p of another VLAN: $final"; fi
done
before_pop=${final%%pop_vlan*}
printf '%s\n' "$before_pop" | grep -qE "(^|[ ,])$eth1(,|$)" || fail "the frame leaves eth1 without its tag: $final"
echo "it leaves by eth1 tagged 201 and reaches vb, not vc or vo"
# A frame of the outer cloud's VLAN 150 on the inner cloud's trunk is dropped.
out=$(trace br-eth1 "in_port=$(ofport eth1-trunk),dl_vlan=150,$broadcast")
final=$(printf '%s\n' "$out" | grep '^Datapath actions:')
[ "$final" = "Datapath actions: drop" ] || fail "a VLAN 150 frame on the inner trunk is not dropped: $final"
echo "a VLAN 150 frame on the inner trunk: $final"

# 3. MTU on every link, as the intent says (the VM ends keep theirs).
for link in eth1 va-host vb-host vc-host vo-host int-trunk eth1-trunk; do
    mtu=$(ip -n "$OVS_NS" -j link show "$link" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["mtu"])')
    [ "$mtu" = 9000 ] || fail "$link has MTU $mtu, not 9000"
done
echo "every link has MTU 9000"
echo "ovs-isolation: OK"
