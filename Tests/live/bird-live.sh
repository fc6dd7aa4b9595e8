#!/usr/bin/env bash
# Live test of the BIRD and host-wiring backends, S5 (seed 004) end to end:
# builds Tests/live/bird-live.fab and starts every generated BIRD config in its
# own network namespace (veth pairs on a Linux bridge in a switch namespace,
# TEST-NET addresses only), beside a border router stand-in (BIRD, written
# here) that originates the default route. Each VM is a namespace of its own
# behind its hypervisor, wired by the generated ovs/<host>.sh. It asserts:
# sessions Established with TCP-MD5; the reflectors hold every VM /32 with its
# hypervisor as next hop and none of the rogue routes kvm3 injects; routes
# reflected back into their own cluster are dropped; the border points at
# the hypervisors and they take its default; VM a1 on kvm1 pings VM b1 on kvm2
# through the border; b1 migrates to kvm1 (its interface deleted on kvm2,
# created on kvm1 and routed there by kvm1's unchanged script, from the
# fabric's table) and within seconds the reflectors and the border point at
# kvm1, with no BIRD config rebuilt or reloaded, and the border reaches b1
# again; and with BFD, a hypervisor whose link goes down has its
# routes withdrawn by the reflectors in under a second.
# Everything it starts is stopped by PID and every namespace it made is
# deleted, also on failure. Usage: bird-live.sh FABRICC
set -euo pipefail

fabricc=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/fabricc-bird-live.XXXXXX)
tag="fbl$$"                      # prefix of every namespace and link we make
devices=(rr1 rr2 kvm1 kvm2 kvm3 border)
declare -A addr=([rr1]=192.0.2.1 [rr2]=192.0.2.2 [kvm1]=192.0.2.11 [kvm2]=192.0.2.12 [kvm3]=192.0.2.13 [border]=192.0.2.254)
vms=(a1 a2 b1 c1)
declare -A vm_ip=([a1]=198.51.100.11 [a2]=198.51.100.12 [b1]=198.51.100.21 [c1]=198.51.100.31)
declare -A vm_host=([a1]=kvm1 [a2]=kvm1 [b1]=kvm2 [c1]=kvm3)
started=()

# shellcheck source-path=SCRIPTDIR source=bird-live-lib.sh
. "$here/bird-live-lib.sh"
trap live_cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }

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
    [ ! -f "$work/secrets/bird/$1.secrets.conf" ] ||
        install -m 0600 "$work/secrets/bird/$1.secrets.conf" "$work/dev-$1/$1.secrets.conf"
}
for d in rr1 rr2 kvm1 kvm2 kvm3; do
    grep -q "password secret_bgp;" "$work/out/bird/$d.conf" || fail "$d.conf names no password"
    grep -q "bfd on;" "$work/out/bird/$d.conf" || fail "$d.conf runs no BFD"
    [ "$(stat -c %a "$work/secrets/bird/$d.secrets.conf")" = 600 ] || fail "$d.secrets.conf is not 0600"
    deploy "$d" "$work/out/bird/$d.conf"
    bird -p -c "$work/dev-$d/bird.conf" || fail "bird -p rejects $d.conf with its secrets"
done

# The border router stand-in: eBGP to both reflectors, with the fabric's
# password and BFD; originates the default route, takes the VM host routes
# and installs them in its kernel.
cat > "$work/border.conf" <<EOF
router id 192.0.2.254;
protocol device {}
protocol bfd { interface "*" { interval 100 ms; multiplier 3; }; }
protocol static upstream_default {
    ipv4 { import all; export none; };
    route 0.0.0.0/0 blackhole;
}
protocol kernel {
    ipv4 { import none; export filter { if source = RTS_BGP then accept; reject; }; };
}
template bgp reflectors {
    local 192.0.2.254 as 64999;
    direct;
    bfd on;
    hold time 9;
    keepalive time 3;
    password "$password";
    ipv4 {
        import filter { if net ~ [ 198.51.100.0/24{32,32} ] then accept; reject; };
        export filter { if net = 0.0.0.0/0 then accept; reject; };
    };
}
protocol bgp rr1 from reflectors { neighbor 192.0.2.1 as 64512; }
protocol bgp rr2 from reflectors { neighbor 192.0.2.2 as 64512; }
EOF
deploy border "$work/border.conf"
bird -p -c "$work/dev-border/bird.conf" || fail "the border stand-in does not parse"

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
live_wire
sw="$tag-sw"
ip netns exec "$tag-border" sysctl -q -w net.ipv4.ip_forward=1

# 4. The VMs: a namespace each, its NIC a veth whose host end is the VM's
# interface on its hypervisor (libvirt's tap), named as the intent says (the
# VM's name). Inside: its address as a /32, the anycast gateway on link.
vm_up() {   # vm_up VM HOST: the VM's NIC appears on HOST, as when it starts there
    local vm=$1 host=$2
    ip link add "${tag}v$vm" type veth peer name "${tag}w$vm"
    ip link set "${tag}v$vm" netns "$tag-$host"
    ip -n "$tag-$host" link set "${tag}v$vm" name "$vm"
    ip link set "${tag}w$vm" netns "$tag-vm-$vm"
    ip -n "$tag-vm-$vm" link set "${tag}w$vm" name eth0
    ip -n "$tag-vm-$vm" addr add "${vm_ip[$vm]}/32" dev eth0
    ip -n "$tag-vm-$vm" link set eth0 up
    ip -n "$tag-vm-$vm" route add 10.0.0.1 dev eth0
    ip -n "$tag-vm-$vm" route add default via 10.0.0.1 dev eth0
}
for vm in "${vms[@]}"; do
    ip netns add "$tag-vm-$vm"; started+=("$tag-vm-$vm")
    ip -n "$tag-vm-$vm" link set lo up
    vm_up "$vm" "${vm_host[$vm]}"
done
# The generated wiring, run on each hypervisor; twice, as it must be re-runnable.
wire() {   # wire HOST SCRIPT
    ip netns exec "$tag-$1" sh "$2" >"$work/wire-$1.out" 2>&1 || { cat "$work/wire-$1.out"; fail "$2 failed on $1"; }
}
for h in kvm1 kvm2 kvm3; do
    wire "$h" "$work/out/ovs/$h.sh"
    wire "$h" "$work/out/ovs/$h.sh"
done
ip -n "$tag-kvm1" route show 198.51.100.11 | grep -q "dev a1 proto static" || fail "kvm1 has no route to a1"

# 5. Start BIRD in each namespace.
for d in "${devices[@]}"; do
    ip netns exec "$tag-$d" bird -c "$work/dev-$d/bird.conf" -s "$work/$d.ctl" -P "$work/$d.pid"
done
start=$(date +%s)

birdc_() { birdc -s "$work/$1.ctl" "${@:2}"; }

# 6. Every session Established (within 60 s).
established() {
    local d=$1 want=$2
    [ "$(birdc_ "$d" show protocols | awk '$2 == "BGP" && $6 == "Established"' | wc -l)" -eq "$want" ]
}
for _ in $(seq 120); do
    ok=1
    established rr1 5 || ok=0    # three clients, rr2 and the border
    established rr2 5 || ok=0
    established border 2 || ok=0
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
    if [ "$conns" -eq 0 ] || [ "$conns" != "$signed" ]; then fail "$d: not every BGP connection uses TCP-MD5"; fi
done

# 7. The reflectors hold every VM /32 and none of the rogue routes.
routes_of() { birdc_ "$1" show route | awk '/^[0-9]/ {print $1}' | sort; }
for _ in $(seq 40); do
    [ "$(routes_of rr1 | grep -c '^198')" -ge 4 ] && [ "$(routes_of rr2 | grep -c '^198')" -ge 4 ] && break
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

# 7b. RFC 4456 on the mesh: rr1 and rr2 share cluster ID 192.0.2.100, so a
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

# 8. The border takes the VM routes, pointing at their hypervisors, and
# nothing rogue; kvm1 and kvm2 take its default route into their kernels;
# kvm3 imports nothing (its default).
kernel_route() { ip -n "$tag-$1" -4 route show "$2" 2>/dev/null; }
for _ in $(seq 40); do
    kernel_route border 198.51.100.21 | grep -q "via 192.0.2.12" && kernel_route kvm1 default | grep -q "via 192.0.2.254" && break
    sleep 0.25
done
echo "border kernel: $(ip -n "$tag-border" -4 route show proto bird | tr '\n' ';')"
kernel_route border 198.51.100.11 | grep -q "via 192.0.2.11" || fail "the border does not route a1 to kvm1"
kernel_route border 198.51.100.21 | grep -q "via 192.0.2.12" || fail "the border does not route b1 to kvm2"
[ -z "$(kernel_route border 198.51.100.61)" ] || fail "the border took a rogue route"
for h in kvm1 kvm2; do
    kernel_route "$h" default | grep -q "via 192.0.2.254 .*proto bird" || fail "$h has no default route via the border: $(kernel_route "$h" default)"
done
[ -z "$(ip -n "$tag-kvm3" -4 route show proto bird)" ] || fail "kvm3 imported routes"

# 9. The data plane: VM a1 (kvm1) reaches VM b1 (kvm2), through kvm1's
# default to the border, the border's /32 to kvm2, and b1's interface.
vm_ping() { ip netns exec "$tag-vm-$1" ping -c 3 -i 0.2 -W 1 -q "$2" >/dev/null 2>&1; }
vm_ping a1 198.51.100.21 || fail "a1 cannot reach b1 across the fabric"
echo "a1 (kvm1) pings b1 (kvm2)"

# 10. b1 migrates to kvm1: its interface goes from kvm2 (the kernel drops the
# route, BIRD withdraws it) and appears on kvm1, whose unchanged script
# routes it from the fabric's table (ovs/routed-vms, beside the scripts), as
# libvirt's hook would run it. Nothing is rebuilt: and were b1 moved in the
# intent, no BIRD config would change a byte, so nothing is reloaded either.
mkdir "$work/moved-intent"
sed -e '/^host kvm1 {/,/^}/ s/^    vm a2 {/    vm b1 {\n        ip 198.51.100.21\n    }\n    vm a2 {/' \
    -e '/^host kvm2 {/,/^}/ { /^    vm b1 {/,/^    }/d }' "$here/bird-live.fab" > "$work/moved-intent/bird-live.fab"
grep -q "vm b1" "$work/moved-intent/bird-live.fab" || fail "the moved intent lost b1"
BIRD_LIVE_PASSWORD="$password" "$fabricc" build "$work/moved-intent/bird-live.fab" -o "$work/moved" --diagnostic-format short
for d in rr1 rr2 kvm1 kvm2 kvm3; do
    cmp -s "$work/out/bird/$d.conf" "$work/moved/bird/$d.conf" || fail "moving a VM changed $d.conf"
done
moved=$(now_ms)
ip -n "$tag-kvm2" link del b1
vm_up b1 kvm1
wire kvm1 "$work/out/ovs/kvm1.sh"
ip -n "$tag-kvm1" route show 198.51.100.21 | grep -q "dev b1 proto static" || fail "kvm1's script did not route the migrated b1"
for _ in $(seq 100); do
    ok=1
    for rr in rr1 rr2; do
        birdc_ "$rr" show route 198.51.100.21/32 all | grep -q "BGP.next_hop: 192.0.2.11" || ok=0
    done
    kernel_route border 198.51.100.21 | grep -q "via 192.0.2.11" || ok=0
    [ "$ok" = 1 ] && break
    sleep 0.1
done
[ "$ok" = 1 ] || fail "after the migration the reflectors or the border do not point b1 at kvm1"
echo "b1 moved to kvm1: reflectors and border follow after $(( $(now_ms) - moved )) ms"
for rr in rr1 rr2; do
    if birdc_ "$rr" show route 198.51.100.21/32 all | grep -q "BGP.next_hop: 192.0.2.12"; then
        fail "$rr still has b1 on kvm2"
    fi
done
ip netns exec "$tag-border" ping -c 3 -i 0.2 -W 1 -q 198.51.100.21 >/dev/null 2>&1 || fail "the border cannot reach b1 on kvm1"
if vm_ping c1 198.51.100.21; then fail "c1 on kvm3, which imports no route, reached b1"; fi
echo "the border reaches b1 on kvm1"

# 11. BFD: kvm1's link goes down at the switch. The reflectors' BFD notices
# within 3 x 100 ms and drop its sessions, and with them its VM routes, well
# before the 9 s hold time.
down=$(now_ms)
ip -n "$sw" link set "$(cat "$work/kvm1.port")" down
for _ in $(seq 200); do
    ok=1
    for rr in rr1 rr2; do
        if birdc_ "$rr" show route 198.51.100.11/32 | grep -q '^198'; then ok=0; fi
    done
    [ "$ok" = 1 ] && break
    sleep 0.02
done
elapsed=$(( $(now_ms) - down ))
[ "$ok" = 1 ] || fail "the reflectors still route a1 through kvm1 after its link went down"
echo "kvm1's link down: its routes withdrawn by both reflectors after $elapsed ms"
[ "$elapsed" -lt 1000 ] || fail "withdrawing kvm1's routes took $elapsed ms, not under a second"
# And BFD is why: BIRD names the last error of the sessions it dropped.
for rr in rr1 rr2; do
    birdc_ "$rr" show protocols all client_kvm1 | grep -q "BFD session down" ||
        fail "$rr did not drop kvm1 for BFD: $(birdc_ "$rr" show protocols client_kvm1 | tail -n 1)"
done

echo "bird-live: OK in $(( $(date +%s) - start )) s"
