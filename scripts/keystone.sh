#!/usr/bin/env bash
# A real OpenStack Keystone (Debian's python3-keystone on a private PostgreSQL) for the
# integration tests. Everything lives in one state directory outside the repository, so
# several clones on one machine share one Keystone.
#
# Usage: scripts/keystone.sh up|down|reset|env|seed|stop-db|logs [-f]
#   up     install what is missing, (re)start PostgreSQL and Keystone, seed the test users;
#          the LAST line of stdout is KEYSTONE_URL=http://127.0.0.1:PORT/v3, all else is stderr
#   down   stop Keystone and PostgreSQL, keep the state
#   reset  down, then delete the state directory
#   env    print the KEYSTONE_URL line (exit 1 when Keystone does not answer)
#   seed   (re)apply the test users and projects to a running Keystone
#   stop-db stop PostgreSQL only, leaving Keystone up: it then fails every call with a plain-text
#          500, which the fault tests need from a real Keystone; `up` brings the database back
#   logs   tail the Keystone logs (-f to follow)
#
# Environment: KEYSTONE_STATE_DIR (default /var/tmp/soda-aksk-gateway/keystone),
# KEYSTONE_PORT (15000), KEYSTONE_PG_PORT (15432), KEYSTONE_START_TIMEOUT (seconds, 90).
#
# Seeded (domain Default): admin/password (admin on project admin, from bootstrap);
# project demo; alice/alice-password (member on demo, default project demo);
# bob/bob-password (member on demo, no default project); carol/carol-password (no role);
# the gateway's service user aksk-service/aksk-service-password (admin on project service).
set -euo pipefail

STATE_DIR=${KEYSTONE_STATE_DIR:-/var/tmp/soda-aksk-gateway/keystone}
STATE_DIR=${STATE_DIR%/}
[[ $STATE_DIR == /* ]] || STATE_DIR=$PWD/$STATE_DIR # postgres runs from /, so no relative paths
START_TIMEOUT=${KEYSTONE_START_TIMEOUT:-90}

# Layout of the state directory. pg/ belongs to the postgres user; the rest to whoever runs us.
PG_DIR=$STATE_DIR/pg
PG_DATA=$PG_DIR/data
PG_RUN=$PG_DIR/run                           # unix socket directory
PG_LOG=$PG_DIR/postgres.log
CONF=$STATE_DIR/keystone.conf
PORTS_FILE=$STATE_DIR/ports.env
KS_PID=$STATE_DIR/keystone.pid
KS_LOG=$STATE_DIR/keystone.log               # Keystone's own log (oslo.log)
KS_SERVER_LOG=$STATE_DIR/keystone-server.log # the WSGI test server: banner, access log, tracebacks
SETUP_LOG=$STATE_DIR/setup.log               # initdb, pg_ctl and keystone-manage output
MARKER=$STATE_DIR/.soda-keystone-state       # proves the directory is ours before reset deletes it

DB_PASSWORD=keystone-db-password # loopback-only throwaway database, not a secret
ADMIN_PASSWORD=password

# Debian's interpreter, never a pyenv/venv python3 that happens to be first on PATH: the seed
# uses only the stdlib, but keystone's own tools are bound to /usr/bin/python3 anyway.
SYS_PYTHON=/usr/bin/python3

log() { printf 'keystone.sh: %s\n' "$*" >&2; }
die() {
  printf 'keystone.sh: ERROR: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Installing

# python3-botocore: the download tests read the AWS credentials file with the SDK's own parser.
REQUIRED_PACKAGES=(python3-keystone python3-psycopg2 postgresql curl python3-botocore)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

install_packages() {
  local missing=() pkg
  for pkg in "${REQUIRED_PACKAGES[@]}"; do
    installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0

  [[ $EUID -eq 0 ]] || die "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})"
  log "installing ${missing[*]} (one-off, a few minutes)"

  # Package postinst scripts would start Debian's own PostgreSQL cluster; we run private
  # instances, so forbid service starts for the duration of the install (unless a policy
  # already exists, as in container images).
  local own_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi

  # Lock timeout: another job on the machine may be running apt at the same moment.
  local apt=(apt-get -q -o DPkg::Lock::Timeout=600)
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update &&
      DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
  } >&2 || rc=$?
  [[ -n $own_policy ]] && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "apt-get failed (exit $rc) installing ${missing[*]}"

  for pkg in "${missing[@]}"; do
    installed "$pkg" || die "package $pkg is still not installed after apt-get"
  done
}

# The newest installed PostgreSQL's bin directory (empty when none is installed).
postgres_bin_dir() {
  find /usr/lib/postgresql -maxdepth 3 -name initdb -path '*/bin/*' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname
}

# Called after install_packages: binaries only exist from then on.
find_binaries() {
  PG_BIN=$(postgres_bin_dir)
  [[ -n $PG_BIN ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
  local tool
  for tool in keystone-manage keystone-wsgi-public curl; do
    command -v "$tool" >/dev/null || die "$tool not found on PATH after installing packages"
  done
  [[ -x $SYS_PYTHON ]] || die "$SYS_PYTHON not found"
}

# ---------------------------------------------------------------------------------------------
# Ports: fixed when the state is created (they are baked into postgresql.conf, keystone.conf and
# the catalog endpoints), so a later run with other values must not silently diverge.

load_ports() {
  local want_ks=${KEYSTONE_PORT:-} want_pg=${KEYSTONE_PG_PORT:-}
  if [[ -f $PORTS_FILE ]]; then
    # shellcheck source=/dev/null
    source "$PORTS_FILE"
    if [[ -n $want_ks && $want_ks != "$KS_PORT" ]] || [[ -n $want_pg && $want_pg != "$PG_PORT" ]]; then
      die "state in $STATE_DIR uses KEYSTONE_PORT=$KS_PORT KEYSTONE_PG_PORT=$PG_PORT; run '$0 reset' to change ports"
    fi
  else
    KS_PORT=${want_ks:-15000}
    PG_PORT=${want_pg:-15432}
  fi
  KEYSTONE_URL=http://127.0.0.1:$KS_PORT/v3
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: a private cluster, run by the unprivileged postgres user because the server
# refuses to run as root. When we are not root we run it as ourselves.

as_pg() {
  if [[ $EUID -eq 0 ]]; then
    # cd /: the caller's directory (a clone under /root, say) may be unreadable for postgres.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# pg_ctl status alone is not enough: a postmaster killed a moment ago stays a zombie until
# pid 1 reaps it (about a second here), and pg_ctl counts that as running. Asking our own
# socket proves it is ours and accepting connections.
pg_alive() { [[ -f $PG_DATA/PG_VERSION ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
pg_running() { pg_alive && "$PG_BIN/pg_isready" -q -h "$PG_RUN" -p "$PG_PORT" -t 2; }

psql_admin() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$PG_PORT" -d postgres "$@"; }

init_postgres() {
  [[ -f $PG_DIR/.initialised ]] && return 0
  log "creating a private PostgreSQL cluster in $PG_DATA (port $PG_PORT)"
  rm -rf "$PG_DATA" # a half-made cluster from an interrupted run
  mkdir -p "$PG_DATA" "$PG_RUN"
  [[ $EUID -eq 0 ]] && chown -R postgres:postgres "$PG_DIR"
  chmod 700 "$PG_DIR" "$PG_DATA"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >>"$SETUP_LOG" 2>&1 ||
    fail_with_log "initdb failed" "$SETUP_LOG"
  # Loopback only, our own port and socket directory, so Debian's main cluster (if any) and
  # other instances are untouched. fsync off: a test database, rebuilt by 'reset' if a crash
  # ever corrupts it, and db_sync is several times faster without it.
  as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<EOF

# --- soda-aksk-gateway test instance (scripts/keystone.sh)
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
  start_postgres
  psql_admin <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'keystone') THEN
    CREATE ROLE keystone LOGIN PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
EOF
  if [[ -z $(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'keystone'") ]]; then
    psql_admin -c "CREATE DATABASE keystone OWNER keystone"
  fi
  touch "$PG_DIR/.initialised"
}

start_postgres() {
  # A postmaster still starting up, or one just killed, settles within seconds either way.
  local i
  for ((i = 0; i < 50; i++)); do
    pg_running && return 0
    pg_alive || break
    sleep 0.2
  done
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  # setsid: the server must outlive this script and not get the caller's terminal signals.
  # 9>&-: the server must not inherit (and so hold forever) our lock. pg_ctl copes with a
  # stale postmaster.pid left by a kill or a reboot.
  if ! as_pg setsid -w "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >>"$SETUP_LOG" 2>&1 9>&-; then
    fail_with_log "PostgreSQL did not start (port $PG_PORT taken?)" "$SETUP_LOG" "$PG_LOG"
  fi
}

stop_postgres() {
  [[ -n ${PG_BIN:-} ]] || return 0
  pg_alive || return 0
  log "stopping PostgreSQL"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Keystone

write_keystone_conf() {
  cat >"$CONF" <<EOF
# Written by scripts/keystone.sh; rewritten on every cold start.
[DEFAULT]
log_dir = $STATE_DIR
log_file = $(basename "$KS_LOG")
use_stderr = false
debug = false

[database]
connection = postgresql+psycopg2://keystone:$DB_PASSWORD@127.0.0.1:$PG_PORT/keystone

[token]
provider = fernet

[fernet_tokens]
key_repository = $STATE_DIR/fernet-keys

[credential]
key_repository = $STATE_DIR/credential-keys
EOF
}

# keystone-manage chatters on stdout/stderr: keep it in setup.log, show it only on failure.
keystone_manage() {
  keystone-manage --config-file "$CONF" "$@" >>"$SETUP_LOG" 2>&1 ||
    fail_with_log "keystone-manage $1 failed" "$SETUP_LOG" "$KS_LOG"
}

configure_keystone() {
  write_keystone_conf
  [[ -f $STATE_DIR/.keystone-initialised ]] && return 0
  # Every step below is safe to repeat, so an interrupted first run just starts over here.
  local user group
  user=$(id -un)
  group=$(id -gn)
  log "initialising the Keystone database (db_sync, fernet and credential keys)"
  keystone_manage db_sync
  keystone_manage fernet_setup --keystone-user "$user" --keystone-group "$group"
  keystone_manage credential_setup --keystone-user "$user" --keystone-group "$group"
  log "bootstrapping admin/$ADMIN_PASSWORD, project admin, region RegionOne"
  keystone_manage bootstrap \
    --bootstrap-username admin --bootstrap-password "$ADMIN_PASSWORD" \
    --bootstrap-project-name admin --bootstrap-role-name admin \
    --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "$KEYSTONE_URL" --bootstrap-public-url "$KEYSTONE_URL" \
    --bootstrap-internal-url "$KEYSTONE_URL"
  touch "$STATE_DIR/.keystone-initialised"
}

# The pid is ours only if it is alive and still a Keystone server (pids get reused after a reboot).
keystone_pid() {
  local pid
  [[ -f $KS_PID ]] || return 1
  pid=$(<"$KS_PID")
  [[ $pid =~ ^[0-9]+$ ]] && grep -qa keystone-wsgi-public "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

keystone_answers() { curl -fsS -o /dev/null --max-time 3 "$KEYSTONE_URL" 2>/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_keystone() {
  if keystone_pid >/dev/null; then
    wait_for_keystone
    return 0
  fi
  port_in_use "$KS_PORT" && die "port $KS_PORT is taken by another process; set KEYSTONE_PORT (after '$0 reset')"
  log "starting Keystone on 127.0.0.1:$KS_PORT"
  # setsid + no stdin/stdout: detached from the caller's session and pipes, so it outlives this
  # script and `$(keystone.sh up)` does not wait on it; 9>&- so it does not hold our lock. A
  # background job of a non-interactive shell is never a process group leader, so setsid
  # execs in place and $! is the server's own pid.
  setsid keystone-wsgi-public --host 127.0.0.1 --port "$KS_PORT" -- --config-file "$CONF" \
    </dev/null >>"$KS_SERVER_LOG" 2>&1 9>&- &
  echo $! >"$KS_PID"
  wait_for_keystone
}

wait_for_keystone() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until keystone_answers; do
    keystone_pid >/dev/null || fail_with_log "Keystone exited during start-up" "$KS_SERVER_LOG" "$KS_LOG"
    ((SECONDS < deadline)) || fail_with_log "Keystone did not answer $KEYSTONE_URL within ${START_TIMEOUT}s" "$KS_SERVER_LOG" "$KS_LOG"
    sleep 0.3
  done
}

stop_keystone() {
  local pid i
  pid=$(keystone_pid) || {
    rm -f "$KS_PID"
    return 0
  }
  log "stopping Keystone (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  rm -f "$KS_PID"
}

# ---------------------------------------------------------------------------------------------
# Seeding, through the REST API as an admin would (stdlib only). Safe to repeat: it looks
# things up before creating them and puts fields and roles back where a test changed them.

seed() {
  log "seeding projects demo and service, users alice, bob, carol and aksk-service"
  "$SYS_PYTHON" -I - "$KEYSTONE_URL" "$ADMIN_PASSWORD" "$STATE_DIR/seed.json" <<'PY' >&2 ||
import json, sys, urllib.error, urllib.parse, urllib.request

base, admin_password, out_file = sys.argv[1:4]

def call(method, path, body=None, token=None, expect=(200, 201, 204)):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            status, headers, raw = res.status, res.headers, res.read()
    except urllib.error.HTTPError as err:
        status, headers, raw = err.code, err.headers, err.read()
    if status not in expect:
        sys.exit(f"seed: {method} {path} -> {status} {raw[:300].decode(errors='replace')}")
    return status, headers, (json.loads(raw) if raw else None)

def login(name, password, scope=None):
    auth = {"identity": {"methods": ["password"], "password": {"user": {
        "name": name, "domain": {"id": "default"}, "password": password}}}}
    if scope:
        auth["scope"] = scope
    status, headers, body = call("POST", "/auth/tokens?nocatalog", {"auth": auth},
                                 expect=(201, 401))
    return (headers["X-Subject-Token"], body["token"]) if status == 201 else (None, None)

admin, _ = login("admin", admin_password,
                 {"project": {"name": "admin", "domain": {"id": "default"}}})
if not admin:
    sys.exit("seed: admin/" + admin_password + " cannot log in to project admin")

def find(collection, **query):
    q = urllib.parse.urlencode(query)
    items = call("GET", f"/{collection}?{q}", token=admin)[2][collection]
    return items[0] if items else None

demo = find("projects", name="demo", domain_id="default")
if not demo:
    demo = call("POST", "/projects", {"project": {"name": "demo", "domain_id": "default",
                "description": "test project of soda-aksk-gateway", "enabled": True}},
                token=admin)[2]["project"]
member = find("roles", name="member")
if not member:
    sys.exit("seed: role 'member' missing (bootstrap should have made it)")

users = {  # name: (password, default project id, role on demo)
    "alice": ("alice-password", demo["id"], True),
    "bob": ("bob-password", None, True),
    "carol": ("carol-password", None, False),
}
ids = {"demo_project_id": demo["id"], "member_role_id": member["id"]}
for name, (password, default_project, has_role) in users.items():
    user = find("users", name=name, domain_id="default")
    if not user:
        user = call("POST", "/users", {"user": {"name": name, "domain_id": "default",
                    "password": password, "enabled": True,
                    "default_project_id": default_project}}, token=admin)[2]["user"]
    elif user.get("default_project_id") != default_project or not user.get("enabled"):
        call("PATCH", f"/users/{user['id']}", {"user": {"enabled": True,
             "default_project_id": default_project}}, token=admin)
    ids[f"{name}_user_id"] = user["id"]
    grant = f"/projects/{demo['id']}/users/{user['id']}/roles/{member['id']}"
    if has_role:
        call("PUT", grant, token=admin)
    else:  # carol must have no role anywhere, whatever a test gave her
        assignments = call("GET", f"/role_assignments?user.id={user['id']}", token=admin)[2]
        for a in assignments["role_assignments"]:
            scope, role = a["scope"], a["role"]["id"]
            if "project" in scope:
                path = f"/projects/{scope['project']['id']}/users/{user['id']}/roles/{role}"
            elif "domain" in scope:
                path = f"/domains/{scope['domain']['id']}/users/{user['id']}/roles/{role}"
            else:
                path = f"/system/users/{user['id']}/roles/{role}"
            call("DELETE", path, token=admin)
    # A password a test changed is put back; the login also proves the user works.
    if login(name, password, "unscoped")[0] is None:
        call("PATCH", f"/users/{user['id']}", {"user": {"password": password}}, token=admin)
        if login(name, password, "unscoped")[0] is None:
            sys.exit(f"seed: {name} still cannot log in")

# The gateway's service user (KEYSTONE_SERVICE_*): admin on project service, as OpenStack
# services' users are, so it may list and change every user's credentials.
service = find("projects", name="service", domain_id="default")
if not service:
    service = call("POST", "/projects", {"project": {"name": "service", "domain_id": "default",
                   "description": "Service users of soda-aksk-gateway.", "enabled": True}},
                   token=admin)[2]["project"]
admin_role = find("roles", name="admin")
service_user = find("users", name="aksk-service", domain_id="default")
if not service_user:
    service_user = call("POST", "/users", {"user": {"name": "aksk-service", "domain_id": "default",
                        "password": "aksk-service-password", "enabled": True}},
                        token=admin)[2]["user"]
elif not service_user.get("enabled"):
    call("PATCH", f"/users/{service_user['id']}", {"user": {"enabled": True}}, token=admin)
call("PUT", f"/projects/{service['id']}/users/{service_user['id']}/roles/{admin_role['id']}", token=admin)
if login("aksk-service", "aksk-service-password", "unscoped")[0] is None:
    call("PATCH", f"/users/{service_user['id']}", {"user": {"password": "aksk-service-password"}}, token=admin)
if login("aksk-service", "aksk-service-password",
         {"project": {"name": "service", "domain": {"id": "default"}}})[0] is None:
    sys.exit("seed: aksk-service cannot log in to project service")
ids.update(service_project_id=service["id"], aksk_service_user_id=service_user["id"])

with open(out_file, "w") as f:
    json.dump(ids, f, indent=2)
print("seed: " + ", ".join(f"{k}={v}" for k, v in ids.items()))
PY
    fail_with_log "seeding Keystone failed" "$KS_SERVER_LOG" "$KS_LOG"
  touch "$STATE_DIR/.seeded"
}

# ---------------------------------------------------------------------------------------------

fail_with_log() {
  local msg=$1 file
  shift
  for file in "$@"; do
    [[ -s $file ]] || continue
    printf -- '--- last lines of %s ---\n' "$file" >&2
    tail -n 40 "$file" >&2
  done
  die "$msg"
}

with_lock() {
  mkdir -p "$(dirname "$STATE_DIR")"
  # Two clones (or two CI steps) running 'up' at once must not both initdb or start servers.
  exec 9>"$STATE_DIR.lock"
  flock -w 900 9 || die "timed out waiting for $STATE_DIR.lock"
}

make_state_dir() {
  mkdir -p "$STATE_DIR"
  # The postgres user must be able to traverse down to pg/.
  chmod 755 "$(dirname "$STATE_DIR")" "$STATE_DIR"
  touch "$MARKER"
}

cmd_up() {
  with_lock
  install_packages
  find_binaries
  make_state_dir
  load_ports

  # Fast path: both servers already up (a second 'up', another clone's 'up').
  if [[ -f $STATE_DIR/.seeded ]] && pg_running && keystone_pid >/dev/null && keystone_answers; then
    log "already running"
    echo "KEYSTONE_URL=$KEYSTONE_URL"
    return 0
  fi

  [[ -f $PORTS_FILE ]] || printf 'KS_PORT=%s\nPG_PORT=%s\n' "$KS_PORT" "$PG_PORT" >"$PORTS_FILE"
  init_postgres
  start_postgres
  configure_keystone
  start_keystone
  seed
  log "ready: $KEYSTONE_URL (admin/$ADMIN_PASSWORD; logs: $0 logs)"
  echo "KEYSTONE_URL=$KEYSTONE_URL"
}

cmd_down() {
  with_lock
  [[ -d $STATE_DIR ]] || return 0
  load_ports
  stop_keystone
  PG_BIN=$(postgres_bin_dir)
  stop_postgres
}

cmd_stop_db() {
  with_lock
  [[ -d $STATE_DIR ]] || return 0
  load_ports
  PG_BIN=$(postgres_bin_dir)
  stop_postgres
}

cmd_reset() {
  cmd_down
  [[ -d $STATE_DIR ]] || return 0
  # Guard the rm -rf: only a directory this script made (or an empty one) is deleted.
  if [[ ! -f $MARKER ]] && [[ -n $(ls -A "$STATE_DIR") ]]; then
    die "$STATE_DIR was not made by this script; not deleting it"
  fi
  log "deleting $STATE_DIR"
  rm -rf -- "$STATE_DIR"
}

cmd_env() {
  [[ -f $PORTS_FILE ]] || die "no Keystone state in $STATE_DIR; run '$0 up'"
  load_ports
  keystone_answers || die "Keystone does not answer at $KEYSTONE_URL; run '$0 up'"
  echo "KEYSTONE_URL=$KEYSTONE_URL"
}

cmd_seed() {
  cmd_env >/dev/null
  with_lock
  seed
}

cmd_logs() {
  local follow=()
  [[ ${1:-} == -f ]] && follow=(-F)
  local files=() f
  for f in "$KS_SERVER_LOG" "$KS_LOG"; do
    [[ -f $f ]] && files+=("$f")
  done
  ((${#files[@]})) || die "no Keystone logs in $STATE_DIR"
  tail -n 100 "${follow[@]}" "${files[@]}"
}

usage() {
  sed -n '6,16s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

main() {
  umask 022
  case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  reset) cmd_reset ;;
  env) cmd_env ;;
  seed) cmd_seed ;;
  stop-db) cmd_stop_db ;;
  logs) cmd_logs "${2:-}" ;;
  *) usage ;;
  esac
}

main "$@"
