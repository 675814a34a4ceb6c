#!/usr/bin/env bash
# Headless Chromium for the browser tests (test/browser): Debian's `chromium`, installed with
# apt-get when missing (playwright's own browser downloads cannot work here). Idempotent; prints
# the executable's path last, and fails loudly when it cannot provide one.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

die() {
  echo "scripts/chromium.sh: $*" >&2
  exit 1
}

if [[ ! -x "$CHROMIUM" ]]; then
  command -v apt-get >/dev/null || die "$CHROMIUM is missing and there is no apt-get to install it (Debian package: chromium)"
  [[ $EUID -eq 0 ]] || die "$CHROMIUM is missing; install it as root: apt-get install --no-install-recommends chromium"
  echo "scripts/chromium.sh: installing Debian's chromium…" >&2
  # Lock timeout: another job on the machine may be running apt at the same moment.
  apt=(apt-get -q -o DPkg::Lock::Timeout=600)
  rc=0
  {
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update &&
      DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends chromium
  } >&2 || rc=$?
  ((rc == 0)) || die "apt-get failed (exit $rc) installing chromium"
  [[ -x "$CHROMIUM" ]] || die "chromium is installed but $CHROMIUM is not there"
fi

"$CHROMIUM" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1 || die "$CHROMIUM does not start: $("$CHROMIUM" --version 2>&1 | tail -n 1)"
echo "$CHROMIUM"
