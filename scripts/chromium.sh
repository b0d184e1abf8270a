#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the widget's browser test.
# Playwright never downloads a browser here; without root or apt the browser
# test is skipped with its reason, and everything else still runs.
set -uo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not installed and cannot install it (needs root and apt); the browser test will be skipped" >&2
    exit 0
fi
echo "chromium: installing Debian's chromium (once)" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-wqy-microhei >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-wqy-microhei >/dev/null 2>&1; } \
    || echo "chromium: apt-get failed; the browser test will be skipped" >&2
exit 0
