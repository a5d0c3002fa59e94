#!/bin/sh
# Install Debian's chromium (and fonts with Vietnamese diacritics) for the browser
# tests. The browser tests never download a browser of their own.
set -eu
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null
    exit 0
fi
echo "chromium is not installed and cannot be installed here (needs root and apt-get)." >&2
echo "Install Debian's package: sudo apt-get install chromium fonts-noto-core" >&2
if [ "${CI:-}" = "true" ]; then
    exit 1
fi
exit 0
