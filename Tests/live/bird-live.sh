#!/usr/bin/env bash
# Live BGP test of the BIRD backend: builds Tests/live/bird-live.fab, starts
# every generated config in its own network namespace (veth pairs on a Linux
# bridge in a switch namespace, TEST-NET addresses only), then asserts through
# birdc that every session is Established, that both reflectors hold every VM
# /32, and that rogue routes injected at one hypervisor are rejected.
# Everything it starts is stopped by PID and every namespace it made is
# deleted, also on failure. Usage: bird-live.sh FABRICC
set -euo pipefail

fabricc=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/fabricc-bird-live.XXXXXX)
tag="fbl$$"                      # prefix of every namespace and link we make
devices=(rr1 rr2 kvm1 kvm2 kvm3)
declare -A addr=([rr1]=192.0.2.1 [rr2]=192.0.2.2 [kvm1]=192.0.2.11 [kvm2]=192.0.2.12 [kvm3]=192.0.2.13)
started=()

cleanup() {
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
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*"; exit 1; }

# 1. Build, with the password from the environment: the configs in out/
# name it, its value goes to the secrets folder only. Deploy each config
# with its secrets file beside it (as docs/backends.md says) and
# parse-check the pair.
password="live-test-$$"
BIRD_LIVE_PASSWORD="$password" "$fabricc" build "$here/bird-live.fab" -o "$work/out" --secrets "$work/secrets" --diagnostic-format short
if grep -rqF -- "$password" "$work/out"; then fail "the password is in the committed tree"; fi
[ "$(stat -c %a "$work/secrets")" = 700 ] || fail "the secrets folder is not 0700"
deploy() {   # deploy DEVICE CONFIG: /etc/bird of the device, in $work/dev-DEVICE
    mkdir -p "$work/dev-$1"
    # BIRD logs to stderr only with -f; keep the file config untouched and
    # capture its log through a log statement of our own.
    { echo "log \"$work/$1.log\" all;"; cat "$2"; } > "$work/dev-$1/bird.conf"
    install -m 0600 "$work/secrets/bird/$1.secrets.conf" "$work/dev-$1/$1.secrets.conf"
}
for d in "${devices[@]}"; do
    grep -q "password secret_bgp;" "$work/out/bird/$d.conf" || fail "$d.conf names no password"
    [ "$(stat -c %a "$work/secrets/bird/$d.secrets.conf")" = 600 ] || fail "$d.secrets.conf is not 0600"
    deploy "$d" "$work/out/bird/$d.conf"
    bird -p -c "$work/dev-$d/bird.conf" || fail "bird -p rejects $d.conf with its secrets"
done

# 2. kvm3 turns rogue: besides its VM it announces a /32 outside the pools, a
# /24, a pool /32 with a foreign next hop and one with a non-empty AS path.
rogue='filter fab_rogue {\
    if proto = "rogue" \&\& net = 198.51.100.61/32 then { bgp_next_hop = 192.0.2.99; accept; }\
    if proto = "rogue" \&\& net = 198.51.100.62/32 then { bgp_path.prepend(64999); accept; }\
    accept;\
}\
protocol static rogue {\
    ipv4 { import all; export none; };\
    route 203.0.113.99/32 blackhole;\
    route 198.51.100.0/24 blackhole;\
    route 198.51.100.61/32 blackhole;\
    route 198.51.100.62/32 blackhole;\
}'
sed -e "s|^protocol device fab_device {|$rogue\n&|" \
    -e 's|export filter fab_to_reflectors;|export filter fab_rogue;|' \
    -e '/next hop self;/d' "$work/out/bird/kvm3.conf" > "$work/kvm3-rogue.conf"
deploy kvm3 "$work/kvm3-rogue.conf"
bird -p -c "$work/dev-kvm3/bird.conf" || fail "the rogue config does not parse"

# 3. The wire: one switch namespace with a bridge, a veth pair per device.
sw="$tag-sw"
ip netns add "$sw"; started+=("$sw")
ip -n "$sw" link add br0 type bridge
ip -n "$sw" link set br0 up
i=0
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
done

# 4. Start BIRD in each namespace.
for d in "${devices[@]}"; do
    ip netns exec "$tag-$d" bird -c "$work/dev-$d/bird.conf" -s "$work/$d.ctl" -P "$work/$d.pid"
done
start=$(date +%s)

birdc_() { birdc -s "$work/$1.ctl" "${@:2}"; }

# 5. Every session Established (within 60 s).
established() {
    local d=$1 want=$2
    [ "$(birdc_ "$d" show protocols | awk '$2 == "BGP" && $6 == "Established"' | wc -l)" -eq "$want" ]
}
for _ in $(seq 120); do
    ok=1
    established rr1 4 || ok=0    # three clients and rr2
    established rr2 4 || ok=0
    for h in kvm1 kvm2 kvm3; do established "$h" 2 || ok=0; done
    [ "$ok" = 1 ] && break
    sleep 0.5
done
for d in "${devices[@]}"; do
    echo "== $d"; birdc_ "$d" show protocols | awk '$2 == "BGP"'
done
[ "$ok" = 1 ] || fail "not every session is Established"
echo "all sessions Established after $(( $(date +%s) - start )) s"
# Every BGP connection is signed: the kernel reports TCP-MD5 on each.
for d in "${devices[@]}"; do
    conns=$(ip netns exec "$tag-$d" ss -tnie '( sport = :179 or dport = :179 )' 2>/dev/null | grep -c '^ESTAB' || true)
    signed=$(ip netns exec "$tag-$d" ss -tnie '( sport = :179 or dport = :179 )' 2>/dev/null | grep -A1 '^ESTAB' | grep -c 'md5' || true)
    echo "$d: $conns BGP connections, $signed with TCP-MD5"
    [ "$conns" -gt 0 ] && [ "$conns" = "$signed" ] || fail "$d: not every BGP connection uses TCP-MD5"
done

# 6. The reflectors hold every VM /32 and none of the rogue routes.
routes_of() { birdc_ "$1" show route | awk '/^[0-9]/ {print $1}' | sort; }
for _ in $(seq 20); do
    [ "$(routes_of rr1 | wc -l)" -ge 4 ] && [ "$(routes_of rr2 | wc -l)" -ge 4 ] && break
    sleep 0.5
done
for rr in rr1 rr2; do
    got=$(routes_of "$rr" | tr '\n' ' ')
    echo "$rr routes: $got"
    for vm in 198.51.100.11/32 198.51.100.12/32 198.51.100.21/32 198.51.100.31/32; do
        case " $got " in *" $vm "*) ;; *) fail "$rr lacks VM route $vm";; esac
    done
    for rogue in 203.0.113.99/32 198.51.100.0/24 198.51.100.61/32 198.51.100.62/32; do
        case " $got " in *" $rogue "*) fail "$rr accepted rogue route $rogue";; esac
    done
    # The VM routes keep their hypervisor as next hop.
    birdc_ "$rr" show route 198.51.100.21/32 all | grep -q "BGP.next_hop: 192.0.2.12" || fail "$rr: 198.51.100.21/32 does not point at kvm2"
done
# And the rejections were for the reasons the filter states.
for reason in "outside the client's pools" "not a /32" "next hop is not the client" "AS path not empty"; do
    line=$(grep -m1 -F "$reason" "$work/rr1.log") || fail "rr1 did not log a rejection: $reason"
    echo "rr1 log: ${line#* }"
done

# 6b. RFC 4456 on the mesh: rr1 and rr2 share cluster ID 192.0.2.100, so a
# client route one reflects to the other carries that ID in its cluster list
# and must be dropped there (BIRD checks cluster lists on client sessions only;
# the mesh filter does it). Each reflector offered the other its routes, and
# neither kept one.
for rr in rr1 rr2; do
    other=$([ "$rr" = rr1 ] && echo rr2 || echo rr1)
    looped=$(birdc_ "$rr" show route protocol "mesh_$other" all | grep -c "BGP.cluster_list:.*192.0.2.100" || true)
    [ "$looped" -eq 0 ] || fail "$rr kept $looped routes reflected back into its own cluster"
    line=$(grep -m1 -F "reflected back into its cluster" "$work/$rr.log") || fail "$rr logged no looped route: the check proved nothing"
    echo "$rr log: ${line#* }"
done

# 7. Hypervisors import nothing (their default): no routes learned over BGP.
for h in kvm1 kvm2; do
    [ -z "$(birdc_ "$h" show route protocol rr_rr1)" ] || [ "$(birdc_ "$h" show route protocol rr_rr1 | grep -c '^[0-9]')" -eq 0 ] || fail "$h imported routes"
done
echo "bird-live: OK in $(( $(date +%s) - start )) s"
