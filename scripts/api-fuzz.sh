#!/usr/bin/env bash
# Fuzzes barong's HTTP API with schemathesis, driven by barong's own OpenAPI document
# (GET /api/v2/openapi.json): identity, resource and admin operations, as a logged-in
# admin whose JWT comes from the edge check, exactly as an upstream would receive it.
#
#   scripts/api-fuzz.sh [--max-examples N] [--binary PATH] [--seed N] [--workers N]
#                       [--skip-if-unavailable] [-- extra schemathesis arguments]
#
#   --max-examples N   test cases per operation in the fuzzing phase (default 25); the
#                      coverage phase (boundary values of every parameter) runs as well
#   --binary PATH      the barong binary (default: cargo's ${CARGO_TARGET_DIR:-target}/
#                      debug/barong, built with `cargo build` when missing)
#   --seed N           schemathesis/Hypothesis seed, for a reproducible run (default
#                      20261205; API_FUZZ_SEED)
#   --workers N        concurrent schemathesis workers (default 2: the machines have 2 cores)
#   --skip-if-unavailable
#                      when schemathesis cannot be installed (PyPI unreachable), print a
#                      WARNING and exit 0 instead of failing (.ci/run uses this)
#   -- ARGS            passed on to `schemathesis run`, e.g. `-- --include-path-regex admin`
#
# What it does: installs schemathesis (pinned, API_FUZZ_SCHEMATHESIS overrides the pip
# requirement) into a throwaway venv ${TMPDIR:-/tmp}/barong-schemathesis; starts
# `barong serve` on a fresh data dir and free loopback ports with rate limits and
# CSRF off; seeds the admin (`barong seed` with BARONG_ADMIN_EMAIL/_PASSWORD); logs in
# (POST /api/v2/identity/sessions, cookie `_barong_session`); asks the HTTP edge check
# (GET /api/v2/auth/api/v2/barong/resource/users/me) for the upstream JWT; then runs
# schemathesis with `Authorization: Bearer <jwt>` against every operation. barong is
# always stopped on exit. Exits 1 when schemathesis reports any failure or error, when
# barong panicked, or when the run destroyed its own credentials; 2 on a usage or setup
# error.
#
# Output: a working directory ${TMPDIR:-/tmp}/barong-api-fuzz.XXXXXX (printed, kept)
# holds barong.log, schemathesis.log (every failure with its curl reproduction) and
# report/junit.xml; the summary at the end groups failures by operation, check and
# status. Only loopback addresses are used; the run is bounded by --max-examples and by
# API_FUZZ_TIMEOUT seconds (default 1800) for the schemathesis process.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

max_examples=25
binary=""
seed="${API_FUZZ_SEED:-20261205}"
workers=2
skip_if_unavailable=0
extra=()
st_requirement="${API_FUZZ_SCHEMATHESIS:-schemathesis==4.32.5}"
run_timeout="${API_FUZZ_TIMEOUT:-1800}"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --max-examples) max_examples="${2:-}"; shift 2 ;;
    --max-examples=*) max_examples="${1#*=}"; shift ;;
    --binary) binary="${2:-}"; shift 2 ;;
    --binary=*) binary="${1#*=}"; shift ;;
    --seed) seed="${2:-}"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    --workers) workers="${2:-}"; shift 2 ;;
    --workers=*) workers="${1#*=}"; shift ;;
    --skip-if-unavailable) skip_if_unavailable=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "api-fuzz: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ ! "$max_examples" =~ ^[1-9][0-9]*$ || ! "$workers" =~ ^[1-9][0-9]*$ || ! "$seed" =~ ^[0-9]+$ ]]; then
  echo "api-fuzz: --max-examples and --workers take a positive integer, --seed an integer" >&2
  exit 2
fi

log() { printf '\n== api-fuzz: %s\n' "$*"; }

# --- schemathesis, in a throwaway venv ---------------------------------------------
venv="${TMPDIR:-/tmp}/barong-schemathesis"
st="$venv/bin/schemathesis"
want_version="${st_requirement#*==}"
if [[ ! -x "$st" ]] || { [[ "$st_requirement" == *==* ]] &&
    [[ "$("$st" --version 2>/dev/null)" != *" $want_version" ]]; }; then
  log "installing $st_requirement into $venv"
  if [[ ! -x "$venv/bin/pip" ]]; then
    python3 -m venv "$venv" 2>/dev/null || {
      if command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null 2>&1 || true
      fi
      python3 -m venv "$venv"
    } || true
  fi
  if ! { [[ -x "$venv/bin/pip" ]] &&
         "$venv/bin/pip" install -q --disable-pip-version-check "$st_requirement"; }; then
    if [[ $skip_if_unavailable == 1 ]]; then
      echo "WARNING: schemathesis could not be installed (PyPI unreachable?); the API fuzz run is skipped" >&2
      exit 0
    fi
    echo "api-fuzz: could not install $st_requirement into $venv" >&2
    exit 2
  fi
fi
st_version="$("$st" --version)"

# --- the barong binary -------------------------------------------------------------
if [[ -z "$binary" ]]; then
  binary="${CARGO_TARGET_DIR:-target}/debug/barong"
  if [[ ! -x "$binary" ]]; then
    log "building $binary (cargo build)"
    cargo build
  fi
fi
if [[ ! -x "$binary" ]]; then
  echo "api-fuzz: no executable barong at $binary" >&2
  exit 2
fi
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"

# --- barong on a fresh data dir and free loopback ports -----------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/barong-api-fuzz.XXXXXX")"
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
http_port=$(free_port)
grpc_port=$(free_port)
while [[ "$grpc_port" == "$http_port" ]]; do grpc_port=$(free_port); done
base="http://127.0.0.1:$http_port"

admin_email="api-fuzz-admin@barong.local"
# Meets Barong's password rules (8..80 characters, lower, upper, digit, entropy).
admin_password="Fz9-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"

export BARONG_DATA_DIR="$work/data"
export BARONG_HTTP_ADDR="127.0.0.1:$http_port"
export BARONG_GRPC_ADDR="127.0.0.1:$grpc_port"
export BARONG_JWT_EXPIRE=3600 # outlives any bounded run: one token for the whole run
export BARONG_CSRF_PROTECTION=false
export BARONG_RATE_LIMIT_IDENTITY_PER_MIN=0 BARONG_RATE_LIMIT_ANON_PER_SEC=0
export BARONG_RATE_LIMIT_APIKEY_PER_SEC=0 BARONG_SMS_MIN_INTERVAL=0
export BARONG_SMS_MAX_PER_HOUR=0 BARONG_LOGIN_MAX_FAILURES=0
export BARONG_LOG_LEVEL="${BARONG_LOG_LEVEL:-info}"
export RUST_BACKTRACE=1 # a panic's location lands in barong.log
unset BARONG_CONFIG BARONG_DATABASE_URL BARONG_REDIS_URL BARONG_SMTP_URL
mkdir -p "$BARONG_DATA_DIR"

barong_pid=""
stop_barong() {
  if [[ -n "$barong_pid" ]] && kill -0 "$barong_pid" 2>/dev/null; then
    kill -TERM "$barong_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$barong_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$barong_pid" 2>/dev/null || true
    wait "$barong_pid" 2>/dev/null || true
  fi
  barong_pid=""
}
trap 'stop_barong' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "seeding the admin ($binary seed)"
BARONG_ADMIN_EMAIL="$admin_email" BARONG_ADMIN_PASSWORD="$admin_password" \
  "$binary" seed >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 2; }

log "starting barong on $base (data dir $BARONG_DATA_DIR)"
"$binary" serve >"$work/barong.log" 2>&1 &
barong_pid=$!
ready=0
for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "$base/health/ready" 2>/dev/null; then ready=1; break; fi
  kill -0 "$barong_pid" 2>/dev/null || break
  sleep 0.2
done
if [[ $ready != 1 ]]; then
  echo "api-fuzz: barong did not become ready; its log:" >&2
  tail -n 50 "$work/barong.log" >&2
  exit 2
fi

# --- a logged-in admin and its upstream JWT, through the edge check -----------------
jar="$work/cookies.txt"
login_body="$(ADMIN_EMAIL="$admin_email" ADMIN_PASSWORD="$admin_password" python3 -c \
  'import json, os; print(json.dumps({"email": os.environ["ADMIN_EMAIL"], "password": os.environ["ADMIN_PASSWORD"]}))')"
status=$(curl -sS -o "$work/login.json" -w '%{http_code}' -c "$jar" \
  -H 'content-type: application/json' -d "$login_body" "$base/api/v2/identity/sessions")
if [[ "$status" != 201 ]]; then
  echo "api-fuzz: log-in answered $status: $(cat "$work/login.json")" >&2
  exit 2
fi
status=$(curl -sS -o /dev/null -D "$work/edge.headers" -w '%{http_code}' -b "$jar" \
  "$base/api/v2/auth/api/v2/barong/resource/users/me")
jwt="$(sed -n 's/^[Aa]uthorization: Bearer \([^[:space:]]*\).*$/\1/p' "$work/edge.headers" | head -n1)"
if [[ "$status" != 200 || -z "$jwt" ]]; then
  echo "api-fuzz: the edge check answered $status without a JWT:" >&2
  cat "$work/edge.headers" >&2
  exit 2
fi
# The JWT must open both the resource and the admin API before the run means anything.
credentials_work() {
  local s1 s2
  s1=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $jwt" "$base/api/v2/resource/users/me")
  s2=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $jwt" "$base/api/v2/admin/users")
  [[ "$s1" == 200 && "$s2" == 200 ]]
}
if ! credentials_work; then
  echo "api-fuzz: the edge's JWT does not open GET resource/users/me and admin/users" >&2
  exit 2
fi

# --- schemathesis -------------------------------------------------------------------
# Checks, and why these:
#  - not_a_server_error: no 5xx, ever. A handler panic shows as a dropped connection
#    ("Network Error", counted as an error and failing the run) and as "panicked at" in
#    barong.log, which this script also fails on.
#  - response_schema_conformance, content_type_conformance, response_headers_conformance:
#    a response must match what the document promises (body schema, media type,
#    headers). They bite only where the document declares a body or headers, so they
#    grow with it (see the "schema coverage" line of the summary).
#  - status_code_conformance: every status must be documented for its operation. Kept on
#    on purpose although our documentation is not exhaustive yet: an undocumented status
#    fails the run and is listed per operation in the summary, so clients generated from
#    the document learn every answer; document it (or fix the handler) rather than drop
#    the check.
#  - negative_data_rejection: schema-violating input (wrong types, out-of-range values,
#    missing required parameters) must be refused with a 4xx, never accepted.
#  - missing_required_header: a documented required header left out must be refused.
# Left out, and why:
#  - positive_data_acceptance: expects every schema-valid request to get a 2xx, but the
#    document types parameters as plain strings/integers while Barong's business rules
#    (password strength, email format, existing uids, 2FA codes, label key syntax)
#    refuse most random values with a documented 4xx: noise, not findings.
#  - unsupported_method, allow_header_conformance: expect 405 with `Allow` for a wrong
#    method, while barong answers Barong's `404 {"error":"Route is not found"}` on
#    purpose (README, Identity API).
#  - ignored_auth: needs securitySchemes in the document, which declares none; the
#    suite's own tests cover authentication (tests/api/).
#  - use_after_free, ensure_resource_availability, object_level_authorization: stateful
#    checks that need OpenAPI links or several identities, which the document lacks.
checks="not_a_server_error,status_code_conformance,content_type_conformance"
checks+=",response_headers_conformance,response_schema_conformance"
checks+=",negative_data_rejection,missing_required_header"

# Exclusions: none by default. The operations that could destroy this run's own
# credentials are each guarded by something the fuzzer cannot produce, and their
# validation paths are worth fuzzing:
#  - DELETE identity/sessions ends the *cookie* session; schemathesis sends only the
#    JWT (no cookie), and the resource/admin APIs verify the JWT itself, not the session.
#  - DELETE resource/users/me and PUT resource/users/password need the admin's random
#    password; POST resource/otp/enable needs a TOTP code from a secret never shown.
#  - PUT admin/users, POST admin/users/update and POST admin/users/role on the admin's
#    own uid are refused (`admin.user.update_himself`), and the uid is never given to
#    the fuzzer.
#  - Admin permission changes alter the edge's RBAC table only; the admin API checks the
#    JWT's role against BARONG_ADMIN_ROLES, and the JWT was already issued.
# After the run the script checks that the JWT still opens both APIs and fails if not
# (a run whose later requests were all 401 would prove nothing). To exclude anyway:
#   scripts/api-fuzz.sh -- --exclude-operation-id delete_me
report="$work/report"
mkdir -p "$report"
st_args=(
  run "$base/api/v2/openapi.json"
  --url "$base"
  -H "Authorization: Bearer $jwt"
  --checks "$checks"
  --max-examples "$max_examples"
  --seed "$seed"
  --workers "$workers"
  --continue-on-failure        # every distinct failure of an operation, not the first only
  --generation-database none   # reproducible from the seed alone, nothing left behind
  --request-timeout 30
  --output-sanitize false      # real values in curl reproductions (a throwaway JWT)
  --no-color
  --report junit --report-junit-path "$report/junit.xml"
)
log "running $st_version: max ${max_examples} examples per operation, seed $seed, ${workers} workers"
start=$(date +%s)
set +e
( cd "$work" && timeout --signal=INT --kill-after=30 "$run_timeout" \
    "$st" "${st_args[@]}" "${extra[@]}" ) 2>&1 | tee "$work/schemathesis.log"
st_rc=${PIPESTATUS[0]}
set -e
elapsed=$(($(date +%s) - start))

creds_ok=1
credentials_work || creds_ok=0
curl -fsS -o "$work/openapi.json" "$base/api/v2/openapi.json" 2>/dev/null || true
stop_barong

# --- summary ------------------------------------------------------------------------
panics=$(grep -c 'panicked at' "$work/barong.log" || true)
log "summary ($st_version, seed $seed, max ${max_examples} examples, ${elapsed} s)"
python3 - "$report/junit.xml" "$jwt" "$base" <<'PY' || true
import re, sys, collections, xml.etree.ElementTree as ET
path, jwt, base = sys.argv[1:4]
try:
    root = ET.parse(path).getroot()
except Exception as e:  # schemathesis did not get as far as the report
    print(f"no JUnit report ({e})")
    sys.exit(0)
groups = collections.OrderedDict()
undocumented = collections.defaultdict(set)
for case in root.iter("testcase"):
    op = case.get("name")
    for node in list(case):
        if node.tag not in ("failure", "error"):
            continue
        text = (node.text or "").replace(jwt, "$JWT")
        for block in re.split(r"\n(?=\d+\. Test Case ID:)", text):
            checks = re.findall(r"^- (ST\d+ [^\n]+)$", block, re.M) or [block.strip().split("\n")[0]]
            status = re.search(r"^\[(\d{3})\]", block, re.M)
            status = status.group(1) if status else "no response"
            body = re.search(r"^\s+`(.*)`\s*$", block, re.M)
            curl = re.search(r"^\s+(curl .*)$", block, re.M)
            for check in checks:
                key = (op, check, status)
                if key not in groups:
                    groups[key] = (body.group(1)[:200] if body else "", curl.group(1) if curl else "")
                if check.startswith("ST103"):
                    undocumented[op].add(status)
if not groups:
    print("no failures")
    sys.exit(0)
print(f"{len(groups)} distinct failures (operation, check, status); reproduce with JWT=<token below>:")
for (op, check, status), (body, curl) in groups.items():
    print(f"\n* {op}: {check}: {status}")
    if body:
        print(f"    body: {body}")
    if curl:
        print(f"    {curl}")
if undocumented:
    print("\nundocumented statuses (status_code_conformance):")
    for op, statuses in undocumented.items():
        print(f"    {op}: {', '.join(sorted(statuses))}")
print(f"\nJWT={jwt}")
PY
if [[ "$panics" != 0 ]]; then
  echo
  echo "barong panicked $panics times; per distinct panic: message, first barong frame, handler (barong.log):"
  awk '/panicked at/ {msg = $0; getline; msg = msg " " $0; where = ""; handler = ""; want = 1; next}
       want && /^ +at / && /src\/[^ ]*\.rs:[0-9]+/ && !/\.cargo\/registry/ && !/\/rustc\// {
         sub(/^ +at +/, ""); if (where == "") where = $0; if ($0 ~ /src\/http\//) handler = $0 }
       want && /^ +[0-9]+: (tokio|hyper)::/ {
         print msg " | " where " | " handler; want = 0 }' \
    "$work/barong.log" | sed 's/^thread [^ ]* ([0-9]*) //' | sort | uniq -c | sort -rn
fi
python3 - "$work/schemathesis.log" "$work/openapi.json" <<'PY' || true
import json, re, sys
m = re.search(r"Test cases:\n\s+(.*)", open(sys.argv[1], errors="replace").read())
if m:
    print("\nschemathesis: " + m.group(1).strip())
# How much the response checks could see: operations whose documented responses
# declare a body schema (response_schema_conformance) or headers.
try:
    doc = json.load(open(sys.argv[2]))
except Exception:
    sys.exit(0)
ops = with_schema = with_headers = 0
for item in doc.get("paths", {}).values():
    for method, op in item.items():
        if method not in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
            continue
        ops += 1
        responses = op.get("responses", {}).values()
        with_schema += any("schema" in c for r in responses for c in r.get("content", {}).values())
        with_headers += any(r.get("headers") for r in responses)
print(f"schema coverage: {with_schema} of {ops} operations document a response body schema, "
      f"{with_headers} document response headers")
PY
echo "work dir (logs, JUnit report): $work"

failed=0
if [[ $st_rc != 0 ]]; then
  echo "FAIL: schemathesis exited $st_rc (failures or errors above; full output in $work/schemathesis.log)"
  failed=1
fi
if [[ "$panics" != 0 ]]; then
  echo "FAIL: barong panicked $panics times during the run"
  failed=1
fi
if [[ $creds_ok != 1 ]]; then
  echo "FAIL: after the run the JWT no longer opens resource/users/me and admin/users: the run destroyed its own credentials, later operations saw only 401s"
  failed=1
fi
if [[ $failed == 0 ]]; then
  echo "api-fuzz: ok"
fi
exit "$failed"
