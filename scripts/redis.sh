#!/usr/bin/env bash
# A private Redis on loopback for the replica tests (the gateway's shared state across
# processes). Installs Debian's redis-server when missing; idempotent.
#
# Usage: scripts/redis.sh up|down
#   up    start it if it is not answering; the LAST line of stdout is REDIS_URL=redis://127.0.0.1:PORT
#   down  stop it
# Environment: REDIS_STATE_DIR (/var/tmp/soda-aksk-gateway/redis), REDIS_PORT (16379).
set -euo pipefail

STATE_DIR=${REDIS_STATE_DIR:-/var/tmp/soda-aksk-gateway/redis}
PORT=${REDIS_PORT:-16379}

log() { echo "redis.sh: $*" >&2; }

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  log "installing redis-server from Debian"
  if [[ $(id -u) -ne 0 ]]; then
    log "redis-server is missing and installing it needs root"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # policy-rc.d keeps the package from starting Debian's own instance on port 6379.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  apt-get install -y -qq --no-install-recommends redis-server >&2 || {
    [[ $created_policy -eq 1 ]] && rm -f "$policy"
    log "apt-get install redis-server failed"
    exit 1
  }
  [[ $created_policy -eq 1 ]] && rm -f "$policy"
  return 0
}

answering() { redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; }

cmd_up() {
  install_redis
  if ! answering; then
    mkdir -p "$STATE_DIR"
    # No persistence: the tests' state is throwaway, and fsync would only slow them down.
    redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --save '' --appendonly no \
      --dir "$STATE_DIR" --pidfile "$STATE_DIR/redis.pid" --logfile "$STATE_DIR/redis.log" >&2
    for _ in $(seq 1 50); do answering && break; sleep 0.1; done
    answering || { log "redis-server did not answer on port $PORT; see $STATE_DIR/redis.log"; exit 1; }
    log "started on 127.0.0.1:$PORT"
  fi
  echo "REDIS_URL=redis://127.0.0.1:$PORT"
}

cmd_down() {
  if answering; then redis-cli -h 127.0.0.1 -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; fi
}

case ${1:-} in
up) cmd_up ;;
down) cmd_down ;;
*) sed -n '5,8s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
