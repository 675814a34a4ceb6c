#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the locked dependencies, type-checks,
# starts a real Keystone (scripts/keystone.sh), then runs every jest test against it.
# Extra arguments go to jest, e.g. `npm test -- test/e2e`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

npm run --silent typecheck
npm run --silent lint
# The process tests run `dist/main.js` exactly as `npm start` does.
npm run --silent build

# The real-Keystone tests must run in CI: a failure to start Keystone fails the suite.
keystone_env="$(scripts/keystone.sh up | tail -n 1)"
if [[ "$keystone_env" != KEYSTONE_URL=* ]]; then
  echo "scripts/keystone.sh up did not print KEYSTONE_URL=..., got: $keystone_env" >&2
  exit 1
fi
export "${keystone_env?}"

# A private Redis for the replica tests, which share state across gateway processes.
redis_env="$(scripts/redis.sh up | tail -n 1)"
if [[ "$redis_env" != REDIS_URL=* ]]; then
  echo "scripts/redis.sh up did not print REDIS_URL=..., got: $redis_env" >&2
  exit 1
fi
export REDIS_TEST_URL="${redis_env#REDIS_URL=}"

# The browser tests (test/browser) drive Debian's headless Chromium: installed when missing.
scripts/chromium.sh >/dev/null

mkdir -p test-output
# A full run must prove the log audit saw lines and secrets; a partial run may see none.
if [[ $# -eq 0 ]]; then export LOG_AUDIT_REQUIRED=1; fi
status=0
npx jest --ci --json --outputFile=test-output/jest.json "$@" || status=$?

# One plain summary line, whatever jest printed above it.
# shellcheck disable=SC2016 # the backticks are JavaScript's, not the shell's
node -e '
  const r = require("./test-output/jest.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' || true
exit "$status"
