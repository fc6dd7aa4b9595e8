#!/usr/bin/env bash
# Live test of a Calico-style node's BIRD config, S2 (seed 001): builds
# Tests/live/bird-live-s2.fab and starts the node's generated config beside
# two leaf stand-ins (BIRD, written here), each in its own network namespace
# on one bridged TEST-NET-1 segment. The leaves send the default route and
# junk; a pod is a namespace behind the node, routed as Calico routes it.
# It asserts: the node takes exactly the default route (over both leaves)
# into its kernel and nothing else; its kernel holds the pod block as a
# blackhole; the leaves route the block to the node and reach the pod; and a
# packet to an address of the block that no pod has dies at the node. As a
# control, the same packet without the blackhole loops between node and
# leaf until its TTL runs out, so the test can tell the two apart.
# Everything it starts is stopped by PID and every namespace it made is
# deleted, also on failure. Usage: bird-live-s2.sh FABRICC
set -euo pipefail

fabricc=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/fabricc-bird-live-s2.XXXXXX)
tag="fbs$$"
devices=(node1 leaf1 leaf2)
declare -A addr=([node1]=192.0.2.21 [leaf1]=192.0.2.1 [leaf2]=192.0.2.2)
started=()

# shellcheck source-path=SCRIPTDIR source=bird-live-lib.sh
. "$here/bird-live-lib.sh"
trap live_cleanup EXIT
trap 'exit 130' INT TERM


# 1. Build; the node's config as generated, the leaves' written here: eBGP
# to the node, each sending the default route plus junk (a foreign /24, a
# pod block of another node, a cover of the node's own block, a host route),
# taking the node's pod blocks into its kernel.
"$fabricc" build "$here/bird-live-s2.fab" -o "$work/out" --diagnostic-format short
deploy() {   # deploy DEVICE CONFIG
    mkdir -p "$work/dev-$1"
    { echo "log \"$work/$1.log\" all;"; cat "$2"; } > "$work/dev-$1/bird.conf"
    bird -p -c "$work/dev-$1/bird.conf" || fail "bird -p rejects $1's config"
}
deploy node1 "$work/out/bird/node1.conf"
for leaf in leaf1 leaf2; do
    cat > "$work/$leaf.conf" <<EOF
router id ${addr[$leaf]};
protocol device {}
protocol static offered {
    ipv4 { import all; export none; };
    route 0.0.0.0/0 blackhole;
    route 203.0.113.0/24 blackhole;
    route 10.244.2.0/26 blackhole;
    route 10.244.1.0/24 blackhole;
    route 198.51.100.7/32 blackhole;
}
protocol kernel {
    ipv4 { import none; export filter { if source = RTS_BGP then accept; reject; }; };
}
protocol bgp node1 {
    local ${addr[$leaf]} as 65201;
    neighbor 192.0.2.21 as 65300;
    direct;
    ipv4 {
        import filter { if net ~ [ 10.244.0.0/16{26,32} ] then accept; reject; };
        export where proto = "offered";
    };
}
EOF
    deploy "$leaf" "$work/$leaf.conf"
done

# 2. The wire, as in bird-live.sh; then a pod behind the node, routed as
# Calico routes one: a /32 to its veth, proxy ARP for its gateway.
live_wire
for d in "${devices[@]}"; do
    ip netns exec "$tag-$d" sysctl -q -w net.ipv4.ip_forward=1
    # No ICMP redirects: a looping packet must keep looping in the control.
    ip netns exec "$tag-$d" sysctl -q -w net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0
done
pod="$tag-pod"
ip netns add "$pod"; started+=("$pod")
ip link add "${tag}p" type veth peer name "${tag}q"
ip link set "${tag}p" netns "$tag-node1"
ip link set "${tag}q" netns "$pod"
ip -n "$tag-node1" link set "${tag}p" name cali1
ip -n "$tag-node1" link set cali1 up
ip netns exec "$tag-node1" sysctl -q -w net.ipv4.conf.cali1.proxy_arp=1
ip -n "$tag-node1" route add 10.244.1.5/32 dev cali1
ip -n "$pod" link set "${tag}q" name eth0
ip -n "$pod" addr add 10.244.1.5/32 dev eth0
ip -n "$pod" link set eth0 up
ip -n "$pod" route add 169.254.1.1 dev eth0
ip -n "$pod" route add default via 169.254.1.1 dev eth0

# 3. Start BIRD everywhere; both node sessions Established.
for d in "${devices[@]}"; do
    ip netns exec "$tag-$d" bird -c "$work/dev-$d/bird.conf" -s "$work/$d.ctl" -P "$work/$d.pid"
done
birdc_() { birdc -s "$work/$1.ctl" "${@:2}"; }
for _ in $(seq 120); do
    [ "$(birdc_ node1 show protocols | awk '$2 == "BGP" && $6 == "Established"' | wc -l)" -eq 2 ] && break
    sleep 0.5
done
birdc_ node1 show protocols | awk '$2 == "BGP"'
[ "$(birdc_ node1 show protocols | awk '$2 == "BGP" && $6 == "Established"' | wc -l)" -eq 2 ] || fail "the node's sessions are not Established"

# 4. The node's kernel: the default route over both leaves, the pod block
# as a blackhole, and none of the junk.
node_routes() { ip -n "$tag-node1" -4 route show proto bird; }
for _ in $(seq 40); do
    [ "$(node_routes | grep -c 'nexthop via')" -eq 2 ] && break
    sleep 0.25
done
echo "node1's kernel, from BIRD:"; node_routes | sed 's/^/  /'
node_routes | grep -q '^default' || fail "the node has no default route"
[ "$(node_routes | grep -c 'nexthop via 192.0.2.[12] ')" -eq 2 ] || fail "the default route does not use both leaves"
node_routes | grep -q '^blackhole 10.244.1.0/26' || fail "the pod block is not a blackhole in the node's kernel"
for junk in 203.0.113.0/24 10.244.2.0/26 10.244.1.0/24 198.51.100.7; do
    if node_routes | grep -q "^$junk"; then fail "the node took junk route $junk"; fi
done
[ "$(node_routes | wc -l)" -le 4 ] || fail "the node's kernel holds more than the default and the block"

# 5. The leaves route the block to the node; they reach the pod.
for leaf in leaf1 leaf2; do
    for _ in $(seq 40); do
        ip -n "$tag-$leaf" route show 10.244.1.0/26 | grep -q "via 192.0.2.21" && break
        sleep 0.25
    done
    ip -n "$tag-$leaf" route show 10.244.1.0/26 | grep -q "via 192.0.2.21" || fail "$leaf does not route the block to the node"
done
ip netns exec "$tag-leaf1" ping -c 3 -i 0.2 -W 1 -q 10.244.1.5 >/dev/null || fail "leaf1 cannot reach the pod"
echo "leaf1 reaches the pod 10.244.1.5"

# 6. An unallocated address of the block: five packets from leaf1 die at
# the node, which sends none of them back out of eth0.
tx() { ip -n "$tag-node1" -j -s link show eth0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'; }
send() { ip netns exec "$tag-leaf1" ping -c 5 -i 0.2 -W 1 -q 10.244.1.9 >/dev/null 2>&1 || true; }
before=$(tx); send; after=$(tx)
echo "to 10.244.1.9 with the blackhole: the node sent $((after - before)) packets back"
[ $((after - before)) -le 2 ] || fail "packets to an unallocated pod address left the node again ($((after - before)))"

# 7. The control: without the blackhole the same packets follow the
# default route back to a leaf, which returns them, until their TTL runs out.
ip -n "$tag-node1" route del blackhole 10.244.1.0/26
before=$(tx); send; after=$(tx)
echo "to 10.244.1.9 without it: the node sent $((after - before)) packets back"
[ $((after - before)) -ge 50 ] || fail "the control did not loop: the test cannot tell a drop from a loop"

echo "bird-live-s2: OK"
