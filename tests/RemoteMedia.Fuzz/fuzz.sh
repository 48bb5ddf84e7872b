#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with AFL++ (Debian afl++) and SharpFuzz instrumentation.
#   tests/RemoteMedia.Fuzz/fuzz.sh <target> [seconds]      (./build.sh fuzz <target> [seconds] calls this)
#   tests/RemoteMedia.Fuzz/fuzz.sh all [seconds-each]
#   tests/RemoteMedia.Fuzz/fuzz.sh mutate <target> [seconds] (no AFL++: the deterministic mutation fuzzer)
# Targets: manifest wav sdp stun rtp signaling. Seeds: tests/RemoteMedia.Fuzz/corpus/<target>/.
# Output: artifacts/fuzz/<target>/ (AFL++ queue, crashes, hangs). Every saved crash is replayed at the end;
# turn each into a regression test in the xunit suites, and add the input to corpus/<target>/regression-*.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$HOME/.dotnet:$PATH"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

TARGETS=(manifest wav sdp stun rtp signaling)
BIN=artifacts/fuzz/bin
target=${1:-}
seconds=${2:-60}

build_instrumented() {
  # A private, instrumented copy of the harness and the RemoteMedia assemblies (the normal build stays untouched).
  dotnet build tests/RemoteMedia.Fuzz -c Release -nologo -v:q -clp:NoSummary -o "$BIN.new" >/dev/null
  local d
  for d in RemoteMedia.Core RemoteMedia.Pipeline RemoteMedia.WebRtc RemoteMedia.Server; do
    dotnet "$BIN.new/RemoteMedia.Fuzz.dll" instrument "$BIN.new/$d.dll" >/dev/null
  done
  rm -rf "$BIN"
  mv "$BIN.new" "$BIN"
}

run_afl() {
  local t=$1 secs=$2 out=artifacts/fuzz/$1
  rm -rf "$out"
  mkdir -p "$out"
  echo "fuzz: $t for ${secs}s (AFL++ + SharpFuzz)"
  # dotnet is not an instrumented binary: skip the check; no CPU pinning on a shared box; -m none for the CLR.
  AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
    timeout $((secs + 60)) afl-fuzz -i "tests/RemoteMedia.Fuzz/corpus/$t" -o "$out" -t 5000 -m none -V "$secs" \
    -- dotnet "$BIN/RemoteMedia.Fuzz.dll" afl "$t" >"$out/afl.log" 2>&1 || true
  local stats=$out/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "fuzz: afl-fuzz did not start; see $out/afl.log" >&2
    tail -20 "$out/afl.log" >&2
    return 1
  fi
  local execs crashes hangs corpus edges
  execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")
  crashes=$(awk -F' *: *' '$1=="saved_crashes"{print $2}' "$stats")
  hangs=$(awk -F' *: *' '$1=="saved_hangs"{print $2}' "$stats")
  corpus=$(awk -F' *: *' '$1=="corpus_count"{print $2}' "$stats")
  edges=$(awk -F' *: *' '$1=="edges_found"{print $2}' "$stats")
  echo "fuzz: $t: executions=$execs crashes=$crashes hangs=$hangs corpus=$corpus edges=$edges"
  echo "$t $secs $execs $crashes $hangs $corpus $edges" >> artifacts/fuzz/summary.txt
  if [ "${crashes:-0}" != 0 ]; then
    echo "fuzz: replaying the crashes of $t:"
    dotnet "$BIN/RemoteMedia.Fuzz.dll" run "$t" "$out/default/crashes" | grep -v '^   at System\.' | head -40 || true
    return 1
  fi
}

case "$target" in
  ""|-h|--help) sed -n '2,9p' "$0"; exit 2 ;;
  mutate)
    t=${2:?target}; secs=${3:-60}
    dotnet build tests/RemoteMedia.Fuzz -c Release -nologo -v:q -clp:NoSummary >/dev/null
    dotnet tests/RemoteMedia.Fuzz/bin/Release/net10.0/RemoteMedia.Fuzz.dll mutate "$t" "$secs" "tests/RemoteMedia.Fuzz/corpus/$t" 1
    ;;
  *)
    command -v afl-fuzz >/dev/null || {
      echo "fuzz: installing afl++ (Debian)"
      if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq --no-install-recommends afl++ >/dev/null; else sudo apt-get install -y -qq --no-install-recommends afl++ >/dev/null; fi
    }
    build_instrumented
    if [ "$target" = all ]; then
      rc=0
      for t in "${TARGETS[@]}"; do run_afl "$t" "$seconds" || rc=1; done
      exit $rc
    fi
    [[ " ${TARGETS[*]} " == *" $target "* ]] || { echo "fuzz: unknown target '$target' (${TARGETS[*]})" >&2; exit 2; }
    run_afl "$target" "$seconds"
    ;;
esac
