#!/usr/bin/env bash
# Runs one voice-server call from headless Chromium, entirely inside a private network namespace:
#   unshare -n bash browser-call.sh <server.dll> <mic.wav> <page-url-path> <out-dir> <timeout-s> <expected-text> [static-dir]
# The server listens on 127.0.0.1:8080 (the original client's port); an optional static server on :8081 serves
# [static-dir] (a page shaped like the original client). Stops once the page has shown <expected-text> as a transcript
# and heard reply audio (the fake microphone repeats the sentence), or at the timeout, then ends exactly the
# processes it started. Logs land in <out-dir>.
set -u
server_dll=$1 wav=$2 page=$3 out=$4 limit=$5 expected=$6 static_dir=${7:-}
ip link set lo up || { echo "cannot bring up lo: is this inside 'unshare -n' as root?" >&2; exit 3; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done; rm -rf "$profile"; }
profile=$(mktemp -d)
trap cleanup EXIT
# A page served from elsewhere (the :8081 static server) is another origin: the server must be told to allow it.
origins=()
[ -n "$static_dir" ] && origins=(--VoiceServer:AllowedOrigins:0=http://127.0.0.1:8081)
dotnet "$server_dll" --urls http://127.0.0.1:8080 "${origins[@]}" > "$out/server.log" 2>&1 & pids+=($!)
if [ -n "$static_dir" ]; then
  /usr/bin/python3 -m http.server 8081 --bind 127.0.0.1 --directory "$static_dir" > "$out/static.log" 2>&1 & pids+=($!)
fi
for _ in $(seq 1 200); do curl -sf http://127.0.0.1:8080/health > /dev/null && break; sleep 0.1; done
/usr/lib/chromium/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --use-fake-ui-for-media-stream \
  --use-fake-device-for-media-stream --use-file-for-fake-audio-capture="$wav" --allow-loopback-in-peer-connection \
  --autoplay-policy=no-user-gesture-required --enable-logging=stderr --v=0 --remote-debugging-port=0 \
  "http://127.0.0.1:$page" > "$out/chromium.log" 2>&1 & pids+=($!)
deadline=$((SECONDS + limit))
while [ $SECONDS -lt $deadline ]; do
  grep -q "\"transcript\",\"text\":\"$expected\"" "$out/chromium.log" 2>/dev/null && grep -q '"reply_latency_ms"' "$out/chromium.log" 2>/dev/null \
    && grep -q '"remote-audio"' "$out/chromium.log" 2>/dev/null && break
  sleep 0.5
done
curl -s http://127.0.0.1:8080/connections > "$out/connections.json"
curl -s http://127.0.0.1:8080/metrics > "$out/metrics.txt"
