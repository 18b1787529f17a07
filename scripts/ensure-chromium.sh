#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded browser). Install it from
# Debian's packages when we can (root with apt-get); otherwise the browser tests skip,
# unless LINLI_REQUIRE_BROWSER=1.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "== installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null && exit 0
fi
echo "== /usr/bin/chromium is missing: browser tests will be skipped (apt-get install chromium)" >&2
exit 1
