#!/usr/bin/env bash
# Makes sure Debian's HAProxy is installed for the load-balancer tests
# (tests/test_deploy.py checks deploy/haproxy/haproxy.cfg with `haproxy -c`,
# tests/integration/test_load_balancer.py runs it in front of two rasa servers).
# Without root or apt those tests are skipped with their reason, and
# everything else still runs.  Only installs; never starts a service.
set -uo pipefail
command -v haproxy >/dev/null 2>&1 && exit 0
[ -x /usr/sbin/haproxy ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "haproxy: not installed and cannot install it (needs root and apt); the load-balancer tests will be skipped" >&2
    exit 0
fi
echo "haproxy: installing Debian's haproxy (once)" >&2
# policy-rc.d 101: the package's init script must not start a system-wide HAProxy on port 80.
policy=/usr/sbin/policy-rc.d
had_policy=0
[ -e "$policy" ] && had_policy=1
[ "$had_policy" = 1 ] || { printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends haproxy >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends haproxy >/dev/null 2>&1; } \
    || echo "haproxy: apt-get failed; the load-balancer tests will be skipped" >&2
[ "$had_policy" = 1 ] || rm -f "$policy"
exit 0
