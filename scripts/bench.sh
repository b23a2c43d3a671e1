#!/usr/bin/env bash
# Load benchmark of barong's edge check against a no-op baseline, in one run.
#
#   scripts/bench.sh
#
# Builds barong and the two bench examples (release), starts barong on a fresh SQLite
# data dir with in-memory sessions (and, when Redis answers, a second barong with Redis
# sessions), prepares a session cookie, a gRPC CheckRequest frame and pre-signed API-key
# requests with examples/bench_fixture.rs, starts examples/noop_ext_authz.rs, and
# measures for BENCH_DURATION seconds each:
#   (a) gRPC ext_authz Check with the session cookie   (h2load)
#   (b) HTTP check /api/v2/auth/... with the cookie     (wrk)
#   (c) HTTP check with X-Auth-Apikey/Nonce/Signature   (wrk + scripts/bench_apikey.lua)
# then prints one Markdown table. Everything started is stopped on exit.
#
# barong runs with BARONG_APIKEY_NONCE_WINDOW_MS=$BENCH_NONCE_WINDOW_MS (900000 by
# default, instead of 5000): the API-key nonces are signed ahead of time and spread over
# ±lines/2 ms around the fixture's clock, each usable once.
#
# Settings (environment):
#   BENCH_DURATION=10         seconds per measurement
#   BENCH_THREADS=$(nproc)    load-generator threads (wrk -t, h2load -t)
#   BENCH_CONNECTIONS=2*nproc connections (wrk -c, h2load -c)
#   BENCH_STREAMS=8           concurrent gRPC streams per h2 connection (h2load -m)
#   BENCH_APIKEY_LINES=1000000 pre-signed API-key requests per barong instance
#   BENCH_NONCE_WINDOW_MS=900000
#   BENCH_REDIS_URL=redis://127.0.0.1:6379/   BENCH_REDIS=auto|0|1
#   BENCH_SKIP_BUILD=1        use the binaries already in target/release
#   BENCH_KEEP=1              keep the temp dir (logs, fixtures, raw outputs)
#   BENCH_DIAG=0              skip the diagnostic gRPC row (no-op with a JWT-sized answer
#                             and Nagle on, i.e. barong's gRPC listener setup)
#   BARONG_LOG_LEVEL          passed to barong (default: barong's own, info)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release
NPROC=$(nproc 2>/dev/null || echo 2)
DURATION=${BENCH_DURATION:-10}
THREADS=${BENCH_THREADS:-$NPROC}
CONNS=${BENCH_CONNECTIONS:-$((2 * NPROC))}
STREAMS=${BENCH_STREAMS:-8}
LINES=${BENCH_APIKEY_LINES:-1000000}
WINDOW_MS=${BENCH_NONCE_WINDOW_MS:-900000}
REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/}
REDIS_MODE=${BENCH_REDIS:-auto}
RESOURCE=/api/v2/barong/resource/users/me
GRPC_PATH=/envoy.service.auth.v3.Authorization/Check

die() {
    echo "bench: $*" >&2
    exit 1
}
log() { echo "bench: $*" >&2; }

for tool in wrk h2load curl; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "'$tool' is required but not installed (apt-get install wrk nghttp2-client curl)"
done
[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || command -v cargo >/dev/null 2>&1 || die "cargo not found"
((THREADS <= CONNS)) || die "BENCH_THREADS ($THREADS) must not exceed BENCH_CONNECTIONS ($CONNS)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/barong-bench.XXXXXX")
PIDS=()
REDIS_PREFIXES=()

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for prefix in "${REDIS_PREFIXES[@]}"; do
        redis-cli -u "$REDIS_URL" --scan --pattern "${prefix}*" 2>/dev/null |
            xargs -r -n 1000 redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
    done
    if [[ ${BENCH_KEEP:-0} == 1 || $status -ne 0 ]]; then
        log "logs and raw outputs kept in $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Stops one process we started (and forgets it).
stop() {
    local pid=$1 rest=()
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || rest+=("$p"); done
    PIDS=("${rest[@]}")
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port
    for _ in $(seq 200); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

# wait_http URL PID LOG: until URL answers 2xx, or the process dies.
wait_http() {
    local url=$1 pid=$2 logfile=$3
    for _ in $(seq 300); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$logfile" >&2; die "process $pid exited (log: $logfile)"; }
        sleep 0.1
    done
    tail -n 30 "$logfile" >&2
    die "$url did not answer within 30 s"
}

# ---------------------------------------------------------------- build
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    log "building (release): barong, examples noop_ext_authz and bench_fixture"
    (cd "$ROOT" && cargo build --release --bin barong --example noop_ext_authz --example bench_fixture)
fi
for b in "$BIN/barong" "$BIN/examples/noop_ext_authz" "$BIN/examples/bench_fixture"; do
    [[ -x $b ]] || die "$b missing (build first, or unset BENCH_SKIP_BUILD)"
done

# ---------------------------------------------------------------- barong instances
# start_barong NAME [REDIS_URL]: sets BARONG_HTTP, BARONG_GRPC, BARONG_PID, BARONG_DIR.
start_barong() {
    local name=$1 redis=${2:-}
    BARONG_DIR=$TMP/$name
    mkdir -p "$BARONG_DIR"
    BARONG_HTTP=127.0.0.1:$(free_port)
    BARONG_GRPC=127.0.0.1:$(free_port)
    BARONG_ENV=(
        "BARONG_DATA_DIR=$BARONG_DIR/data"
        "BARONG_HTTP_ADDR=$BARONG_HTTP"
        "BARONG_GRPC_ADDR=$BARONG_GRPC"
        "BARONG_APIKEY_NONCE_WINDOW_MS=$WINDOW_MS"
        # The per-key limiter runs (its cost is measured) but never refuses the load.
        "BARONG_RATE_LIMIT_APIKEY_PER_SEC=100000000"
    )
    if [[ -n $redis ]]; then
        local prefix="barong-bench-$$-$RANDOM:"
        REDIS_PREFIXES+=("$prefix")
        BARONG_ENV+=("BARONG_REDIS_URL=$redis" "BARONG_REDIS_KEY_PREFIX=$prefix")
    fi
    env "${BARONG_ENV[@]}" "$BIN/barong" serve >"$BARONG_DIR/barong.log" 2>&1 &
    BARONG_PID=$!
    PIDS+=("$BARONG_PID")
    wait_http "http://$BARONG_HTTP/health/ready" "$BARONG_PID" "$BARONG_DIR/barong.log"
    log "barong ($name) pid $BARONG_PID on http $BARONG_HTTP, grpc $BARONG_GRPC," \
        "BARONG_APIKEY_NONCE_WINDOW_MS=$WINDOW_MS"
}

run_fixture() {
    FIX=$BARONG_DIR/fixture
    env "${BARONG_ENV[@]}" "$BIN/examples/bench_fixture" --out "$FIX" --lines "$LINES" \
        >"$BARONG_DIR/fixture.log" 2>&1 || { cat "$BARONG_DIR/fixture.log" >&2; die "fixture failed"; }
    sed 's/^/bench:   fixture: /' "$BARONG_DIR/fixture.log" >&2
    COOKIE=$(head -n 1 "$FIX/cookie.txt")
}

# ---------------------------------------------------------------- sanity checks
# check_http_allow URL HEADER...: 200 with an Authorization header.
check_http_allow() {
    local url=$1 code hdr=$TMP/sanity.hdr
    shift
    local args=()
    for h in "$@"; do args+=(-H "$h"); done
    code=$(curl -sS -o "$TMP/sanity.body" -D "$hdr" -w '%{http_code}' "${args[@]}" "$url")
    [[ $code == 200 ]] || die "sanity: $url answered $code: $(head -c 300 "$TMP/sanity.body")"
    grep -qi '^authorization: Bearer ' "$hdr" || die "sanity: $url answered 200 without an Authorization header"
}

# check_grpc_allow ADDR FRAME: grpc-status 0 and an OK CheckResponse carrying a Bearer header.
check_grpc_allow() {
    local addr=$1 frame=$2 hdr=$TMP/sanity_grpc.hdr body=$TMP/sanity_grpc.body
    curl -sS --http2-prior-knowledge -o "$body" -D "$hdr" -X POST \
        -H 'content-type: application/grpc' -H 'te: trailers' \
        --data-binary "@$frame" "http://$addr$GRPC_PATH" ||
        die "sanity: gRPC Check to $addr failed"
    grep -qi '^grpc-status: *0' "$hdr" || die "sanity: gRPC Check to $addr: no grpc-status 0 ($(tr -d '\r' <"$hdr" | tr '\n' ' '))"
    # An allow is an OkHttpResponse with "authorization: Bearer …"; a denial carries a
    # JSON body with "errors" instead (and still grpc-status 0 at the transport level).
    grep -aq 'Bearer ' "$body" || die "sanity: gRPC Check to $addr was not an allow: $(tr -c '[:print:]' '.' <"$body" | head -c 300)"
    if grep -aq '"errors"' "$body"; then die "sanity: gRPC Check to $addr was denied"; fi
}

probe_line() { sed -n "${1}p" "$FIX/apikey_probe.txt"; }

check_apikey_allow() {
    local url=$1 n=$2 nonce sig
    read -r nonce sig <<<"$(probe_line "$n")"
    [[ -n ${sig:-} ]] || die "no probe line $n in $FIX/apikey_probe.txt"
    check_http_allow "$url" "X-Auth-Apikey: $(head -n 1 "$FIX/kid.txt")" "X-Auth-Nonce: $nonce" "X-Auth-Signature: $sig"
}

sanity() { # sanity GRPC_ADDR HTTP_ADDR PROBE_LINE
    check_grpc_allow "$1" "$FIX/grpc_session.bin"
    check_http_allow "http://$2/api/v2/auth$RESOURCE" "Cookie: $COOKIE"
    check_apikey_allow "http://$2/api/v2/auth$RESOURCE" "$3"
}

# ---------------------------------------------------------------- measurements
declare -A RPS P50 P99 ERR NOTE

to_ms() { # wrk latency such as 512.00us, 1.23ms, 2.01s, 1.00m
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}

failed_closed() { # count of fail-closed errors in a barong log (0 when none/absent)
    [[ -f ${1:-} ]] || { echo 0; return; }
    grep -c 'failed closed' "$1" || true
}

# bench_grpc KEY ADDR FRAME [BARONG_LOG]
bench_grpc() {
    local key=$1 addr=$2 frame=$3 blog=${4:-} out=$TMP/$1.h2load reqlog=$TMP/$1.reqlog before
    before=$(failed_closed "$blog")
    log "h2load $key: -t $THREADS -c $CONNS -m $STREAMS -D $DURATION"
    h2load -t "$THREADS" -c "$CONNS" -m "$STREAMS" -D "$DURATION" --warm-up-time 1 \
        -H 'content-type: application/grpc' -H 'te: trailers' -d "$frame" \
        --log-file "$reqlog" "http://$addr$GRPC_PATH" >"$out" 2>&1 ||
        { cat "$out" >&2; die "h2load failed for $key"; }
    RPS[$key]=$(awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^req\/s/) { print $i + 0; exit } }' "$out")
    [[ -n ${RPS[$key]} ]] || { cat "$out" >&2; die "cannot parse h2load output for $key"; }
    # p50/p99 from the per-request log (3rd column: µs until the end of the response).
    read -r P50[$key] P99[$key] < <(cut -f3 "$reqlog" | sort -n | awk '
        { v[NR] = $1 }
        END { if (NR == 0) { print "n/a n/a"; exit }
              i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++; if (i50 < 1) i50 = 1
              i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++; if (i99 < 1) i99 = 1
              printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
    local done ok non2xx failed errored timeout closed
    done=$(awk '/^requests:/ { print $6 + 0 }' "$out")
    ok=$(awk '/^requests:/ { print $8 + 0 }' "$out")
    failed=$(awk '/^requests:/ { print $10 + 0 }' "$out")
    errored=$(awk '/^requests:/ { print $12 + 0 }' "$out")
    timeout=$(awk '/^requests:/ { print $14 + 0 }' "$out")
    non2xx=$(awk '/^status codes:/ { print $5 + $7 + $9 }' "$out")
    closed=$(($(failed_closed "$blog") - before))
    ERR[$key]=$((failed + errored + timeout + non2xx + closed))
    NOTE[$key]="$done done, $ok succeeded, HTTP non-2xx $non2xx, failed closed $closed"
    [[ ${ok:-0} -gt 0 ]] || { cat "$out" >&2; die "h2load: no request succeeded for $key"; }
    local two=$(awk '/^status codes:/ { print $3 + 0 }' "$out")
    [[ $two -gt 0 && $non2xx -eq 0 ]] || log "WARNING: $key: status codes: $(grep '^status codes' "$out")"
}

# bench_wrk KEY URL BARONG_LOG|"" [WRK_OPTIONS...] [-- SCRIPT_ARGS...]
bench_wrk() {
    local key=$1 url=$2 blog=${3:-} out=$TMP/$1.wrk before
    shift 3
    local opts=() script_args=()
    while (($#)); do
        if [[ $1 == -- ]]; then shift; script_args=(-- "$@"); break; fi
        opts+=("$1")
        shift
    done
    before=$(failed_closed "$blog")
    log "wrk $key: -t $THREADS -c $CONNS -d ${DURATION}s"
    wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" --latency "${opts[@]}" "$url" "${script_args[@]}" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed for $key"; }
    RPS[$key]=$(awk '/^Requests\/sec:/ { print $2 + 0 }' "$out")
    [[ -n ${RPS[$key]} ]] || { cat "$out" >&2; die "cannot parse wrk output for $key"; }
    P50[$key]=$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$out")")
    P99[$key]=$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$out")")
    local total non2xx sockerr closed replayed
    total=$(awk '/requests in/ { print $1 + 0; exit }' "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF + 0 }' "$out")
    sockerr=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$out")
    closed=$(($(failed_closed "$blog") - before))
    replayed=$(awk '/^apikey lines:/ { print $(NF) + 0 }' "$out")
    ERR[$key]=$((${non2xx:-0} + ${sockerr:-0}))
    NOTE[$key]="$total requests, non-2xx ${non2xx:-0}, socket errors ${sockerr:-0}, failed closed $closed"
    if [[ -n $replayed ]]; then
        NOTE[$key]+=", replayed nonces $replayed"
        ((replayed == 0)) || log "WARNING: $key ran out of API-key lines ($replayed replays, denied by barong); raise BENCH_APIKEY_LINES"
    fi
    ((${non2xx:-0} == 0)) || log "WARNING: $key: ${non2xx} non-2xx answers"
}

# bench_all STORE GRPC_ADDR HTTP_ADDR [BARONG_LOG]
bench_all() {
    local store=$1 grpc=$2 http=$3 blog=${4:-}
    bench_grpc "grpc_session_$store" "$grpc" "$FIX/grpc_session.bin" "$blog"
    bench_wrk "http_session_$store" "http://$http/api/v2/auth$RESOURCE" "$blog" -H "Cookie: $COOKIE"
    bench_wrk "http_apikey_$store" "http://$http/api/v2/auth$RESOURCE" "$blog" \
        -s "$ROOT/scripts/bench_apikey.lua" -- "$FIX/apikey_lines.txt" "$FIX/kid.txt" "$THREADS"
}

STORES=(memory)
case $REDIS_MODE in
    0 | no | false) ;;
    1 | yes | true)
        command -v redis-cli >/dev/null && [[ $(redis-cli -u "$REDIS_URL" ping 2>/dev/null) == PONG ]] ||
            die "BENCH_REDIS=1 but Redis at $REDIS_URL does not answer"
        STORES+=(redis) ;;
    *)
        if command -v redis-cli >/dev/null && [[ $(redis-cli -u "$REDIS_URL" ping 2>/dev/null) == PONG ]]; then
            STORES+=(redis)
        else
            log "Redis at $REDIS_URL not answering: skipping the Redis-session rows"
        fi ;;
esac

START=$(date -u +%FT%TZ)
for store in "${STORES[@]}"; do
    if [[ $store == redis ]]; then start_barong "$store" "$REDIS_URL"; else start_barong "$store"; fi
    run_fixture
    if [[ $store == "${STORES[0]}" ]]; then
        # The no-op baseline, measured with the same inputs (it ignores them).
        NOOP_GRPC=127.0.0.1:$(free_port)
        NOOP_HTTP=127.0.0.1:$(free_port)
        "$BIN/examples/noop_ext_authz" "$NOOP_GRPC" "$NOOP_HTTP" >"$TMP/noop.log" 2>&1 &
        NOOP_PID=$!
        PIDS+=("$NOOP_PID")
        wait_http "http://$NOOP_HTTP/" "$NOOP_PID" "$TMP/noop.log"
        log "no-op baseline pid $NOOP_PID on http $NOOP_HTTP, grpc $NOOP_GRPC"
        sanity "$NOOP_GRPC" "$NOOP_HTTP" 1
        bench_all noop "$NOOP_GRPC" "$NOOP_HTTP"
        stop "$NOOP_PID"
    fi
    # Sanity before the load (also warms barong's caches), and after it.
    sanity "$BARONG_GRPC" "$BARONG_HTTP" 2
    bench_all "$store" "$BARONG_GRPC" "$BARONG_HTTP" "$BARONG_DIR/barong.log"
    sanity "$BARONG_GRPC" "$BARONG_HTTP" 3
    errors=$(grep -cE ' (ERROR|WARN) ' "$BARONG_DIR/barong.log" || true)
    ((errors == 0)) || { log "WARNING: barong ($store) logged $errors WARN/ERROR lines:"; grep -E ' (ERROR|WARN) ' "$BARONG_DIR/barong.log" | sort | uniq -c | sort -rn | head -5 >&2; }
    stop "$BARONG_PID"
    if [[ $store == "${STORES[0]}" && ${BENCH_DIAG:-1} == 1 ]]; then
        # Diagnostic row: the no-op gRPC server answering a JWT of barong's size, with
        # Nagle left on as barong's gRPC listener does (tonic ignores its tcp_nodelay
        # default under serve_with_incoming).
        BEARER=$(tr -d '\r' <"$TMP/sanity.hdr" | sed -n 's/^[Aa]uthorization: //p' | head -n 1)
        NOOP_GRPC=127.0.0.1:$(free_port)
        NOOP_HTTP=127.0.0.1:$(free_port)
        NOOP_BEARER=$BEARER NOOP_TCP_NODELAY=0 "$BIN/examples/noop_ext_authz" "$NOOP_GRPC" "$NOOP_HTTP" \
            >"$TMP/noop_nagle.log" 2>&1 &
        NOOP_PID=$!
        PIDS+=("$NOOP_PID")
        wait_http "http://$NOOP_HTTP/" "$NOOP_PID" "$TMP/noop_nagle.log"
        check_grpc_allow "$NOOP_GRPC" "$FIX/grpc_session.bin"
        bench_grpc grpc_session_nagle "$NOOP_GRPC" "$FIX/grpc_session.bin"
        NAGLE_BEARER_LEN=${#BEARER}
        stop "$NOOP_PID"
    fi
done

# ---------------------------------------------------------------- report
store_label() {
    case $1 in
        noop) echo "no-op baseline" ;;
        memory) echo "barong: SQLite + memory sessions" ;;
        redis) echo "barong: SQLite + Redis sessions" ;;
        nagle) echo "diagnostic: no-op answering a ${NAGLE_BEARER_LEN}-char Bearer (barong's JWT size), TCP_NODELAY off" ;;
    esac
}

echo
echo "| Front end | Credential | Store | req/s | p50 ms | p99 ms | % of no-op req/s | errors |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for row in "grpc_session|gRPC ext_authz Check (h2load)|session cookie" \
    "http_session|HTTP auth check (wrk)|session cookie" \
    "http_apikey|HTTP auth check (wrk + Lua)|API key (HMAC, single-use nonce)"; do
    IFS='|' read -r kind front cred <<<"$row"
    base=${RPS[${kind}_noop]}
    for store in noop "${STORES[@]}" nagle; do
        key=${kind}_$store
        [[ -n ${RPS[$key]:-} ]] || continue
        pct=$(awk -v a="${RPS[$key]}" -v b="$base" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * a / b; else print "n/a" }')
        printf '| %s | %s | %s | %.0f | %s | %s | %s | %s |\n' "$front" "$cred" "$(store_label "$store")" \
            "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "$pct" "${ERR[$key]}"
    done
done
cat <<EOF

Started $START; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo unknown CPU)); load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a).
Each row: ${DURATION} s, ${THREADS} threads, ${CONNS} connections$( ((STREAMS > 1)) && echo ", gRPC: ${STREAMS} streams per connection (h2load -m), 1 s warm-up"); load generator and server share the same cores.
Path checked: GET $RESOURCE (RBAC allow, upstream JWT injected). barong started with BARONG_APIKEY_NONCE_WINDOW_MS=$WINDOW_MS so that $LINES pre-signed, single-use API-key nonces stay fresh.
gRPC p50/p99 are computed from h2load's per-request log (--log-file); HTTP ones are wrk's --latency percentiles.
errors: gRPC = h2load failed/errored/timeout + HTTP non-2xx + barong "failed closed" log lines (a gRPC denial is an HTTP 200 and is not visible to h2load; the Check answer was verified allow before and after each load); HTTP = non-2xx + socket errors.
EOF
echo
for store in noop "${STORES[@]}" nagle; do
    for kind in grpc_session http_session http_apikey; do
        [[ -n ${NOTE[${kind}_$store]:-} ]] || continue
        echo "- ${kind}_$store: ${NOTE[${kind}_$store]}"
    done
done
