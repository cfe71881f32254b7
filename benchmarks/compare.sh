#!/usr/bin/env bash
# Side-by-side load comparison: Gatehouse against HAProxy (and nginx and hitch where installed), each pinned to one
# core with one worker, behind the same nginx origin, with the same certificates, in the same run. Prints ratios.
#
#   bash benchmarks/compare.sh            # ~20 minutes (~11 without peers); installs haproxy, nginx-light and wrk with
#                                         # apt when missing (nginx is also the origin, so it is always a peer)
#   PEERS="" bash benchmarks/compare.sh   # Gatehouse and HAProxy only; PEERS="nginx hitch" is the default
#   DURATION=20 bash benchmarks/compare.sh
#   RATE=5000 bash benchmarks/compare.sh   # the fixed rate of the latency rows
#   WARMUP=60 bash benchmarks/compare.sh   # seconds of warm-up per server (default 30)
#   HS_CONNECTIONS=32 bash benchmarks/compare.sh  # handshakes in flight in the handshake rows (default 64)
#   HS_LOAD=s_time bash benchmarks/compare.sh    # handshake rows from openssl s_time, as runs before the 25th did
#   HS_CLIENTS=4 HS_LOAD=s_time bash benchmarks/compare.sh  # s_time clients side by side (default 3)
#   ROW_WARMUP=30 bash benchmarks/compare.sh # seconds of the same load, unmeasured, before each figure (default 15)
#   ROUNDS=3 bash benchmarks/compare.sh      # 3 alternating rounds per row: medians, and each round logged (default 1)
#   JAVA_OPTS=-XX:+UseParallelGC bash benchmarks/compare.sh  # JVM options for Gatehouse, as ./gatehouse takes them
#
# Layout (see the benchmarking notes): the proxy under test on core 1; origin and load generators on core 0.
# Full handshakes come from HandshakeLoad in the benchmarks jar (built here when missing or stale): HS_CONNECTIONS
# handshakes in flight on one event loop, each on a new connection with a new BoringSSL client engine that has no
# session to offer, X25519 only, closed as soon as it completes; it fails the run if any handshake was resumed or
# failed. It costs about half of what `openssl s_time -new` costs on the client's core, so the servers are busier
# and less of their CPU goes to waking up. It offers TLS_AES_128_GCM_SHA256 first, as browsers do, and every
# server here uses the client's order (HAProxy with prefer-client-ciphers), so all do the same cryptography; the
# log names the suites each one chose. Keep-alive and bulk use wrk, whose connections are few and long-lived;
# latency uses benchmarks/fixed_rate.py, open loop at RATE requests/s (default 2000) over 20 keep-alive connections.
# Each figure is reported with the server's CPU use, and per fully busy server core (value * 100 / CPU%), so a
# client-bound row shows as such. Traffic goes to 127.0.0.1 only; every process started is stopped on exit.
# The peers: nginx as a TLS reverse proxy doing the same header work, and hitch, a TLS-to-TCP relay that parses no
# HTTP at all (so its request rows measure TLS and relaying only, less work than the HTTP proxies do).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${DURATION:-10}"
work="$(mktemp -d -t gatehouse-compare.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
log() { printf 'compare: %s\n' "$*" >&2; }

need=()
command -v haproxy >/dev/null || need+=(haproxy)
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v taskset >/dev/null || need+=(util-linux)
if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ "$(nproc)" -ge 2 ] || { log "needs two cores (proxy on one, origin and load on the other)"; exit 1; }
# Every process started below inherits this: 5,000 held connections need more than the usual 1,024 descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge 12000 ] || log "only $(ulimit -n) open files allowed; idle-connection figures may be cut short"
# The launcher builds the jar when it is missing or older than the sources: here, before anything is measured, not
# later on the measured core.
"$here/gatehouse" --version >/dev/null
load_jar="$here/benchmarks/target/benchmarks.jar"
if [ "${HS_LOAD:-java}" != s_time ] \
        && { [ ! -f "$load_jar" ] || [ -n "$(find "$here/benchmarks/src/main" -name '*.java' -newer "$load_jar" | head -1)" ]; }; then
    log "building the benchmarks jar (the handshake load generator)"
    (cd "$here" && mvn -B -q package -DskipTests -pl benchmarks -am) >&2
fi

# --- certificates: RSA-2048 and ECDSA P-256, each a combined PEM, one CA ---
cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=bench-ca 2>/dev/null
for kind in rsa ec; do
    if [ "$kind" = rsa ]; then keyopt=(-newkey rsa:2048); else keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
    openssl req "${keyopt[@]}" -nodes -keyout "$kind.key" -out "$kind.csr" -subj /CN=localhost 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > san.ext
    openssl x509 -req -in "$kind.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out "$kind.crt" -extfile san.ext 2>/dev/null
    cat "$kind.crt" "$kind.key" > "$kind.pem"
done

# --- origin: nginx on core 0, a 13-byte page and a 1 MiB file ---
# nginx's workers run as nobody when started as root: they must be able to read the files.
chmod 755 "$work"
mkdir -p www && printf 'hello, world\n' > www/small && head -c 1048576 /dev/zero > www/1m && chmod -R a+rX www
cat > origin.conf <<EOF
worker_processes 1;
daemon off;
pid $work/origin.pid;
error_log $work/origin-error.log;
# hitch opens one origin connection per client connection: 5,000 held ones, and more.
worker_rlimit_nofile 20000;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 100000;
    server { listen 127.0.0.1:18080; root $work/www; }
}
EOF
taskset -c 0 nginx -c "$work/origin.conf" -e "$work/origin-error.log" &
pids+=($!)

# --- the proxies, each on core 1 with one worker, TLS 1.3 and 1.2, http mode ---
start_gatehouse() {
    local pem="$1" port="$2"
    cat > "gatehouse-$port.yaml" <<EOF
listeners:
  - {name: bench, bind: "127.0.0.1:$port", mode: http, certificates: [{pem: $work/$pem}], backend: origin}
backends: {origin: {servers: ["127.0.0.1:18080"]}}
ocsp: {enabled: false}
EOF
    # Through the launcher, with the JVM's defaults (or JAVA_OPTS, as the launcher takes it): the configuration
    # operators run, not one tuned for the comparison.
    taskset -c 1 "$here/gatehouse" run -c "gatehouse-$port.yaml" --workers 1 > "gatehouse-$port.log" 2>&1 &
    pids+=($!)
}
start_haproxy() {
    local pem="$1" port="$2"
    cat > "haproxy-$port.cfg" <<EOF
global
    nbthread 1
    maxconn 8000
    tune.ssl.default-dh-param 2048
    ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option http-keep-alive
frontend bench
    # prefer-client-ciphers: the client's order of cipher suites, as Gatehouse (BoringSSL), nginx and hitch use it.
    bind 127.0.0.1:$port ssl crt $work/$pem alpn http/1.1 prefer-client-ciphers
    # The same forwarding headers Gatehouse sends, replacing the client's (a TLS front end in an OpenStack cloud
    # sets them too), so that both do the same work per request.
    http-request del-header X-Forwarded-Port
    http-request set-header X-Forwarded-For %[src]
    http-request set-header X-Forwarded-Proto https
    http-request set-header X-Forwarded-Host %[req.hdr(host)] if { req.hdr(host) -m found }
    http-request set-header Forwarded for=%[src]\;proto=https
    default_backend origin
backend origin
    http-reuse always
    server o1 127.0.0.1:18080
EOF
    taskset -c 1 haproxy -f "haproxy-$port.cfg" -db > "haproxy-$port.log" 2>&1 &
    pids+=($!)
}
start_nginx() {
    local pem="$1" port="$2"
    cat > "nginx-$port.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
pid $work/nginx-$port.pid;
error_log $work/nginx-$port-error.log;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 100000;
    keepalive_timeout 120s;
    ssl_protocols TLSv1.2 TLSv1.3;
    upstream origin { server 127.0.0.1:18080; keepalive 64; }
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $work/$pem;
        ssl_certificate_key $work/$pem;
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-Host \$http_host;
            proxy_set_header Forwarded "for=\$remote_addr;proto=https";
            # Buffers in memory only, as the others stream: a 1 MiB response must not go through a temporary file.
            proxy_max_temp_file_size 0;
        }
    }
}
EOF
    taskset -c 1 nginx -c "$work/nginx-$port.conf" -e "$work/nginx-$port-error.log" > "nginx-$port.log" 2>&1 &
    pids+=($!)
}
start_hitch() {
    local pem="$1" port="$2"
    cat > "hitch-$port.conf" <<EOF
frontend = "[127.0.0.1]:$port"
backend = "[127.0.0.1]:18080"
pem-file = "$work/$pem"
workers = 1
daemon = off
tls-protos = TLSv1.2 TLSv1.3
alpn-protos = "http/1.1"
ocsp-dir = "$work"
EOF
    # hitch refuses to run its workers as root.
    [ "$(id -u)" != 0 ] || printf 'user = "nobody"\ngroup = "nogroup"\n' >> "hitch-$port.conf"
    taskset -c 1 hitch --config="hitch-$port.conf" > "hitch-$port.log" 2>&1 &
    pids+=($!)
}

# Every process that holds the listening socket: nginx and hitch do their work in children of a master process.
pids_on_port() {
    local found
    found=$(ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u | tr '\n' ' ')
    [ -n "$found" ] || { log "nothing listens on port $1: see $work/*.log"; cat "$work"/*-19*.log >&2; exit 1; }
    echo "$found"
}
# The table's columns; each server listens on <prefix>43 (RSA certificate) and <prefix>44 (ECDSA).
servers=(gatehouse haproxy)
for peer in ${PEERS-nginx hitch}; do
    case "$peer" in
        nginx | hitch) if command -v "$peer" >/dev/null; then servers+=("$peer"); else log "$peer is not installed: left out"; fi ;;
        *) log "unknown peer $peer (nginx and hitch are known)"; exit 2 ;;
    esac
done
port_of() {
    local prefix
    case "$1" in gatehouse) prefix=194 ;; haproxy) prefix=195 ;; nginx) prefix=196 ;; hitch) prefix=197 ;; esac
    if [ "$2" = rsa ]; then echo "${prefix}43"; else echo "${prefix}44"; fi
}
title_of() {
    case "$1" in
        gatehouse) echo Gatehouse ;;
        haproxy) echo "HAProxy $(haproxy -v | head -1 | awk '{print $3}')" ;;
        nginx) echo "nginx $(nginx -v 2>&1 | sed 's|.*nginx/||')" ;;
        hitch) echo "hitch $(hitch --version 2>&1 | awk '{print $2}')" ;;
    esac
}
all_ports=()
for server in "${servers[@]}"; do
    "start_$server" rsa.pem "$(port_of "$server" rsa)"
    "start_$server" ec.pem "$(port_of "$server" ec)"
    all_ports+=("$(port_of "$server" rsa)" "$(port_of "$server" ec)")
done
for port in "${all_ports[@]}" 18080; do
    for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.5; done
done
# Here, not inside a measurement's subshell, a server that did not start ends the run.
for port in "${all_ports[@]}"; do pids_on_port "$port" >/dev/null; done
# JIT warm-up for the JVM (handshakes and requests both), and equal treatment for the others: measured cold, the
# JVM's handshakes cost three times what they cost warm, and under RSA handshakes the C2 compiler was still busy
# after 40 s (2.9 ms of CPU per handshake in the first 10 s, 1.6 ms after 40 s, steady after 50 s). WARMUP (seconds,
# default 30) is spent on handshakes; half of it on each request path. Each row then settles its own load first.
warmup="${WARMUP:-30}"
# One s_time is a single-threaded client that also does its half of every key exchange: alone it cannot keep a
# server busy. HS_CLIENTS of them (default 3) run side by side; this prints their summed count in s_time's own words.
parallel_s_time() {
    local port="$1" seconds="$2" i clients=()
    for i in $(seq 1 "${HS_CLIENTS:-3}"); do
        taskset -c 0 openssl s_time -connect "127.0.0.1:$port" -new -time "$seconds" > "$work/s_time.$port.$i" 2>&1 &
        clients+=($!)
    done
    # Only these: a bare wait would also wait for the servers started above.
    wait "${clients[@]}" || true
    cat "$work"/s_time."$port".* | awk '/connections in [0-9.]+ real seconds/ {n += $1; if ($4 > t) t = $4}
        END {printf "%d connections in %s real seconds (%s clients)\n", n, t, '"${HS_CLIENTS:-3}"'}'
    rm -f "$work"/s_time."$port".*
}
# Full handshakes for SECONDS from one core, by HandshakeLoad or, with HS_LOAD=s_time, by s_time.
handshake_load() {
    local port="$1" seconds="$2"
    if [ "${HS_LOAD:-java}" = s_time ]; then
        parallel_s_time "$port" "$seconds"
        return
    fi
    taskset -c 0 java -cp "$load_jar" io.gatehouse.benchmarks.HandshakeLoad 127.0.0.1 "$port" "$seconds" "${HS_CONNECTIONS:-64}"
}
for port in "${all_ports[@]}"; do
    handshake_load "$port" "$warmup" >/dev/null 2>&1 || true
    taskset -c 0 wrk -t1 -c20 -d"$((warmup / 2))s" "https://127.0.0.1:$port/small" >/dev/null 2>&1 || true
    taskset -c 0 wrk -t1 -c4 -d"$((warmup / 2))s" "https://127.0.0.1:$port/1m" >/dev/null 2>&1 || true
done

# CPU ticks, and resident KiB, summed over the processes given.
cpu_ticks() { local pid; for pid in "$@"; do awk '{print $14 + $15}' "/proc/$pid/stat"; done | awk '{t += $1} END {print t}'; }
rss_kib() { local pid; for pid in "$@"; do awk '/VmRSS/ {print $2}' "/proc/$pid/status"; done | awk '{t += $1} END {print t}'; }
# Runs a measurement command while sampling the server's CPU; prints "value cpu%".
measure() {
    local port="$1" parse="$2"
    shift 2
    local pids before after start end out
    read -r -a pids <<<"$(pids_on_port "$port")"
    before=$(cpu_ticks "${pids[@]}"); start=$(date +%s.%N)
    out=$("$@" 2>&1 || true)
    after=$(cpu_ticks "${pids[@]}"); end=$(date +%s.%N)
    local cpu
    cpu=$(awk -v t=$((after - before)) -v s="$start" -v e="$end" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", 100 * t / hz / (e - s) }')
    # The raw lines each figure comes from, so a surprising number can be checked.
    [ -n "${settling:-}" ] || printf '%s\n' "$out" | grep -E 'real seconds|Requests/sec|Transfer/sec|Non-2xx|Socket errors|requests in' | sed "s/^/compare: port $port: /" >&2
    if grep -q 'Non-2xx' <<<"$out"; then
        log "port $port answered with errors; a figure of error responses would be meaningless"
        exit 1
    fi
    if grep -q 'not a figure of full handshakes' <<<"$out"; then
        log "port $port: $(grep 'not a figure' <<<"$out")"
        exit 1
    fi
    printf '%s %s\n' "$(printf '%s\n' "$out" | eval "$parse")" "$cpu"
}

handshakes() { measure "$1" "awk '/connections in [0-9.]+ real seconds/ {printf \"%.0f\", \$1 / \$4}'" \
    handshake_load "$1" "$duration"; }
keepalive() { measure "$1" "awk '/Requests\\/sec/ {printf \"%.0f\", \$2}'" \
    taskset -c 0 wrk -t1 -c50 -d"${duration}s" "https://127.0.0.1:$1/small"; }
bulk() { measure "$1" "awk '/Transfer\\/sec/ {v=\$2; if (v ~ /GB/) {sub(/GB/,\"\",v); v*=1024} else if (v ~ /KB/) {sub(/KB/,\"\",v); v/=1024} else sub(/MB/,\"\",v); printf \"%.0f\", v}'" \
    taskset -c 0 wrk -t1 -c4 -d"${duration}s" "https://127.0.0.1:$1/1m"; }

# The same load, unmeasured, for ROW_WARMUP seconds (default 15) right before each figure, for every server alike: a
# JIT compiles for the traffic it has seen, and after a switch from one load to another the JVM spent a fifth of its
# CPU recompiling for ten seconds (0.97 ms of CPU per ECDSA handshake, then 0.66 ms). Steady state is what a proxy
# that runs for weeks lives in; JMH warms up each benchmark for the same reason.
settle() {
    local fn="$1" port="$2" measured="$duration"
    duration="${ROW_WARMUP:-15}" settling=1
    "$fn" "$port" >/dev/null
    duration="$measured" settling=
}
# Of several "value cpu%" lines, the one whose value per busy core is the median.
median_per_core() {
    printf '%s\n' "$@" | awk '{print ($2 > 0 ? $1 * 100 / $2 : 0), $1, $2}' | sort -n \
        | awk '{line[NR] = $2 " " $3} END {print line[int((NR + 1) / 2)]}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# Gatehouse's rounds against HAProxy's, round by round: the two servers of a round ran back to back, so their ratio
# carries less of the machine's drift than the ratio of two medians does. Prints each server's figure per busy core
# by round, the ratios, and their median (the table keeps the medians' ratio, as in earlier runs). The sort is by
# hand: mawk, Debian's default awk, has no asort.
paired_rounds() {
    paste -d' ' <(printf '%s' "$1") <(printf '%s' "$2") | awk '
        { g = ($2 > 0 ? $1 * 100 / $2 : 0); h = ($4 > 0 ? $3 * 100 / $4 : 0)
          gs = gs sprintf(" %.0f (%s%%)", g, $2); hs = hs sprintf(" %.0f (%s%%)", h, $4)
          r[NR] = (h > 0 ? g / h : 0); rs = rs sprintf(" %.2f", r[NR]) }
        END { n = NR
              for (i = 2; i <= n; i++) { v = r[i]; for (j = i - 1; j >= 1 && r[j] > v; j--) r[j + 1] = r[j]; r[j + 1] = v }
              m = (n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2)
              printf "per busy core by round, Gatehouse%s; HAProxy%s; ratios%s, median %.2f", gs, hs, rs, m }'
}
# ROUNDS (default 1) alternates the servers that many times and keeps each one's median round: this machine's speed
# drifts by 10-30% over minutes, and alternating spreads the drift over all of them.
# Prints Gatehouse and HAProxy with the two ratios, then each peer as "value (CPU), ratio per busy core to HAProxy".
row() {
    local name="$1" unit="$2" fn="$3" kind="$4" server r peers=""
    local -A runs=() value=() cpu=() per=()
    for server in "${servers[@]}"; do settle "$fn" "$(port_of "$server" "$kind")"; done
    for r in $(seq 1 "${ROUNDS:-1}"); do
        for server in "${servers[@]}"; do runs[$server]+="$("$fn" "$(port_of "$server" "$kind")")"$'\n'; done
    done
    for server in "${servers[@]}"; do
        local -a lines
        mapfile -t lines < <(printf '%s' "${runs[$server]}")
        read -r "value[$server]" "cpu[$server]" < <(median_per_core "${lines[@]}")
        # Parentheses matter: in awk, "printf ..., x > 0 ? ..." redirects the output to a file named 0.
        per[$server]=$(awk -v v="${value[$server]}" -v c="${cpu[$server]}" 'BEGIN { printf "%.0f", (c > 0 ? v * 100 / c : 0) }')
    done
    for server in "${servers[@]:2}"; do
        peers+=" ${value[$server]} (${cpu[$server]}% CPU), $(ratio "${per[$server]}" "${per[haproxy]}") |"
    done
    [ "${ROUNDS:-1}" -lt 2 ] || log "$name: $(paired_rounds "${runs[gatehouse]}" "${runs[haproxy]}")"
    printf '| %s | %s | %s (%s%% CPU) | %s (%s%% CPU) | %s | %s |%s %s |\n' "$name" "$unit" \
        "${value[gatehouse]}" "${cpu[gatehouse]}" "${value[haproxy]}" "${cpu[haproxy]}" \
        "$(ratio "${value[gatehouse]}" "${value[haproxy]}")" "$(ratio "${per[gatehouse]}" "${per[haproxy]}")" "$peers" \
        "$([ "${cpu[gatehouse]:-0}" -lt 90 ] || [ "${cpu[haproxy]:-0}" -lt 90 ] && echo 'client-bound: see per-core' || echo '')"
}

log "measuring, ${duration}s per figure"
header="| figure | unit | Gatehouse | $(title_of haproxy) | ratio | ratio per busy server core |"
rule="|---|---|---|---|---|---|"
for server in "${servers[@]:2}"; do header+=" $(title_of "$server"), per busy core to HAProxy |"; rule+="---|"; done
echo "$header note |"
echo "$rule---|"
row "full handshakes, RSA-2048" "hs/s" handshakes rsa
row "full handshakes, ECDSA P-256" "hs/s" handshakes ec
row "keep-alive requests, 13-byte body" "req/s" keepalive ec
row "bulk, 1 MiB responses" "MiB/s" bulk ec
# Rows where lower is better and CPU is not the point: Gatehouse, HAProxy and their ratio, each peer with its ratio
# to HAProxy. Arguments: the figure's name and unit, then one value per server in table order.
plain_row() {
    local name="$1" unit="$2" peers="" i
    shift 2
    local -a v=("$@")
    for ((i = 2; i < ${#v[@]}; i++)); do peers+=" ${v[$i]}, $(ratio "${v[$i]}" "${v[1]}") |"; done
    printf '| %s | %s | %s | %s | %s | |%s lower is better |\n' "$name" "$unit" "${v[0]}" "${v[1]}" "$(ratio "${v[0]}" "${v[1]}")" "$peers"
}
idle_rss_row() {
    local count="${IDLE_CONNECTIONS:-5000}" server values=()
    for server in "${servers[@]}"; do values+=("$(idle_kib_per_connection "$(port_of "$server" ec)" "$count")"); done
    plain_row "resident memory per idle TLS connection, $count held" KiB "${values[@]}"
}
# Holds COUNT idle TLS connections open and returns the server's RSS growth per connection, in KiB.
idle_kib_per_connection() {
    local port="$1" count="$2" pids before after
    read -r -a pids <<<"$(pids_on_port "$port")"
    before=$(rss_kib "${pids[@]}")
    coproc HOLD { exec taskset -c 0 python3 "$here/benchmarks/hold_connections.py" "$port" "$count" "$work/ca.pem"; }
    local line
    read -r line <&"${HOLD[0]}"
    after=$(rss_kib "${pids[@]}")
    exec {HOLD[1]}>&-
    wait "$HOLD_PID" 2>/dev/null || true
    log "port $port: $line, RSS $before -> $after KiB"
    awk -v a="$after" -v b="$before" -v n="${line#held }" 'BEGIN { printf "%.1f", (n > 0 ? (a - b) / n : 0) }'
}

# Open-loop load at a fixed, moderate rate: the latency a client sees when no server is saturated.
latency_rows() {
    local rate="${RATE:-2000}" server port out p
    local -A result=()
    for server in "${servers[@]}"; do
        port=$(port_of "$server" ec)
        taskset -c 0 python3 "$here/benchmarks/fixed_rate.py" "$port" "$rate" "${ROW_WARMUP:-15}" 20 "$work/ca.pem" >/dev/null
        out=$(taskset -c 0 python3 "$here/benchmarks/fixed_rate.py" "$port" "$rate" "$duration" 20 "$work/ca.pem")
        log "port $port: $out"
        if ! grep -q ' errors=0 ' <<<"$out"; then
            log "error responses from port $port during the fixed-rate run; latency figures would be meaningless"
            exit 1
        fi
        result[$server]="$out"
    done
    for p in p50 p99; do
        local values=()
        for server in "${servers[@]}"; do values+=("$(sed -n "s/.* ${p}_us=\([0-9]*\).*/\1/p" <<<"${result[$server]}")"); done
        plain_row "$p latency at $rate req/s, 13-byte body" us "${values[@]}"
    done
}

latency_rows
idle_rss_row
echo
echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ //'); $(openssl version); $(java -version 2>&1 | head -1)"
