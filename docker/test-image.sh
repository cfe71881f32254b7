#!/usr/bin/env bash
# Builds the image from docker/Dockerfile with podman and runs it the way a sidecar runs: certificates mounted
# read-only, a read-only root file system with a writable /tmp, unprivileged, stopped with SIGTERM. Traffic goes
# only to 127.0.0.1 (host network) and every wait has a deadline.
#
#   bash docker/test-image.sh
#
# The Dockerfile's public bases (Maven and Temurin images) need a registry. This script builds stand-ins from
# Debian packages instead (mmdebstrap: Java 17 with Maven for the build stage, Java 17 for the runtime stage) and
# passes them as BUILD_IMAGE and RUNTIME_IMAGE; every other line of the Dockerfile runs as users run it. The local
# Maven repository is mounted into the build stage so that it resolves what `mvn verify` already fetched.
#
# Checks: the default command prints the usage and exits 0; --version answers; the process runs as uid 10001;
# a listener serves HTTPS from a mounted combined PEM to a backend on the host, with the native epoll transport
# and RSA signed by the image's libcrypto; SIGTERM drains and exits 0.
#
# Installs podman, runc and mmdebstrap with apt where missing. runc with cgroupfs, because crun refuses hosts
# with hybrid cgroups; explicit, modest ulimits, because podman's defaults raise limits, which a host that is
# itself a container without CAP_SYS_RESOURCE forbids.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
suite=${SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}
image=localhost/gatehouse:image-test
build_base=localhost/gatehouse-base-build:$suite
runtime_base=localhost/gatehouse-base-runtime:$suite
name=gatehouse-image-test-$$

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]}"
    sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_if_needed apt-get update -q
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

engine=(podman --runtime runc --cgroup-manager cgroupfs)
limits=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

work=$(mktemp -d)
backend_pid=
cleanup() {
    "${engine[@]}" rm -f "$name" >/dev/null 2>&1 || true
    [ -n "$backend_pid" ] && kill "$backend_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A base from Debian packages, made once per suite and kept in podman's store for later runs.
ensure_base() {
    local tag=$1 packages=$2
    if "${engine[@]}" image exists "$tag"; then
        return
    fi
    step "making $tag from Debian $suite packages"
    mmdebstrap --quiet --variant=minbase --include="$packages" "$suite" "$work/base.tar"
    "${engine[@]}" import --quiet "$work/base.tar" "$tag" >/dev/null
    rm -f "$work/base.tar"
}
ensure_base "$build_base" openjdk-17-jdk-headless,maven,ca-certificates
ensure_base "$runtime_base" openjdk-17-jre-headless,ca-certificates

step "building $image from docker/Dockerfile"
mkdir -p "$HOME/.m2"
"${engine[@]}" build --quiet --network host "${limits[@]}" -v "$HOME/.m2:/root/.m2" \
    --build-arg BUILD_IMAGE="$build_base" --build-arg RUNTIME_IMAGE="$runtime_base" \
    -f "$here/docker/Dockerfile" -t "$image" "$here" >/dev/null

run=("${engine[@]}" run --network host "${limits[@]}")

step "the default command prints the usage"
usage=$("${run[@]}" --rm "$image") || fail "the image's default command exited $?"
grep -q "^Usage: gatehouse" <<<"$usage" || fail "no usage from the default command: $usage"

step "--version answers"
"${run[@]}" --rm "$image" --version | grep -q "^gatehouse " || fail "--version did not name gatehouse"

step "the process is unprivileged"
uid=$("${run[@]}" --rm --entrypoint id "$image" -u)
[ "$uid" = 10001 ] || fail "the image runs as uid $uid, not 10001"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
listen_port=$(free_port)
backend_port=$(free_port)

step "a sidecar: mounted certificate, read-only root, HTTPS on 127.0.0.1:$listen_port to a backend on :$backend_port"
mkdir -p "$work/etc" "$work/www"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=Image test CA" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
    -extfile "$work/san.ext" -out "$work/server.crt" 2>/dev/null
# As certmonger's post-save writes it: certificate, key and the issuing CA in one file.
cat "$work/server.crt" "$work/server.key" "$work/ca.pem" > "$work/etc/server.pem"
cp "$work/ca.pem" "$work/etc/ca.pem"
cat > "$work/etc/gatehouse.yaml" <<EOF
trust: /etc/gatehouse/ca.pem
listeners:
  - name: sidecar
    bind: "127.0.0.1:$listen_port"
    certificates:
      - pem: /etc/gatehouse/server.pem
    backend: app
backends:
  app:
    servers: ["127.0.0.1:$backend_port"]
ocsp: {enabled: false}
EOF
# A secret mounted for another user: readable, not writable.
chmod 0755 "$work/etc"
chmod 0644 "$work/etc"/*
echo "served through the image" > "$work/www/page.txt"
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$backend_port" >"$work/backend.log" 2>&1 &
backend_pid=$!

"${run[@]}" -d --name "$name" --read-only --tmpfs /tmp -v "$work/etc:/etc/gatehouse:ro" \
    "$image" run -c /etc/gatehouse/gatehouse.yaml >/dev/null

body=
for _ in $(seq 120); do
    if body=$(curl -sS --fail --max-time 5 --cacert "$work/ca.pem" "https://127.0.0.1:$listen_port/page.txt" 2>/dev/null); then
        break
    fi
    state=$("${engine[@]}" inspect --format '{{.State.Status}}' "$name")
    [ "$state" = running ] || { "${engine[@]}" logs "$name" >&2; fail "the container stopped ($state) before serving"; }
    sleep 0.5
done
[ "$body" = "served through the image" ] || { "${engine[@]}" logs "$name" >&2; fail "no page through the image within 60 s (got '$body')"; }

logs=$("${engine[@]}" logs "$name" 2>&1)
! grep -q " ERROR " <<<"$logs" || { echo "$logs" >&2; fail "errors in the log of a good start"; }
grep -q "listener ready name=sidecar .*transport=epoll" <<<"$logs" || { echo "$logs" >&2; fail "the listener did not use the native epoll transport"; }
grep -q 'rsa certificates sign_with="libcrypto' <<<"$logs" || { echo "$logs" >&2; fail "RSA signing did not go to the image's libcrypto"; }

step "SIGTERM drains and exits 0"
"${engine[@]}" stop --time 30 "$name" >/dev/null
code=$("${engine[@]}" inspect --format '{{.State.ExitCode}}' "$name")
logs=$("${engine[@]}" logs "$name" 2>&1)
[ "$code" = 0 ] || { echo "$logs" >&2; fail "the container exited $code after SIGTERM"; }
grep -q "stopped" <<<"$logs" || { echo "$logs" >&2; fail "no 'stopped' line after SIGTERM"; }

echo "image test passed"
