#!/bin/sh
# Runs a command inside a private network namespace made for it, so that tests which multicast and
# broadcast never put a packet on this machine's real network. The namespace holds only:
#   lo
#   veth0 10.99.0.1/24 <-> veth1   multicast on: an ordinary LAN
#   veth2 10.98.0.1/24 <-> veth3   multicast off: a LAN where only broadcast reaches the others
# `unshare -rn` needs no root (an unprivileged user namespace maps the caller to root inside). When the
# namespace cannot be made the test fails and says why: it is never skipped, and never run outside.
set -u

if [ "${WSLAB_NETNS:-}" != "private" ]; then
    if ! why=$(unshare -rn true 2>&1); then
        echo "netns.sh: cannot make a private network namespace with 'unshare -rn': ${why:-no reason given}." >&2
        echo "netns.sh: the LAN discovery tests need one (unprivileged user namespaces enabled, util-linux installed);" >&2
        echo "netns.sh: they fail rather than send beacons onto this machine's real network." >&2
        exit 1
    fi
    WSLAB_NETNS=private exec unshare -rn sh "$0" "$@"
fi

step() {
    if ! "$@"; then
        echo "netns.sh: setting up the private network namespace failed at: $*" >&2
        exit 1
    fi
}

step ip link set lo up
step ip link add veth0 type veth peer name veth1
step ip addr add 10.99.0.1/24 dev veth0
step ip link set veth0 up
step ip link set veth1 up
step ip link add veth2 type veth peer name veth3
step ip addr add 10.98.0.1/24 brd 10.98.0.255 dev veth2
step ip link set veth2 multicast off
step ip link set veth3 multicast off
step ip link set veth2 up
step ip link set veth3 up
exec "$@"
