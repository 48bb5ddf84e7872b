#!/usr/bin/env bash
# The one entry point for people and CI.
#   ./build.sh setup            install every Debian package the project needs (idempotent, quiet when done)
#   ./build.sh build            build the Rust crate and the whole solution (Release)
#   ./build.sh test [legs]      cargo test, then the .NET suite with native and with REMOTEMEDIA_DISABLE_NATIVE=1,
#                               then pack + a stand-alone package consumer (legs: all | native | managed | package)
#   ./build.sh run [cli args]   the main job: the voice server on 127.0.0.1:8080; with args, the remotemedia CLI
#                               (e.g. ./build.sh run convert samples/speech-48k-stereo.wav out.wav --channels 1)
#   ./build.sh bench [suite]    benchmarks: format | resample | vad | speech | pipeline | server | all (default: format)
#   ./build.sh pack             the NuGet package(s) into artifacts/packages
#   ./build.sh generate         regenerate interop/NativeMethods.g.cs from the Rust source
#   ./build.sh stats            lines of code per layer, NodeExecutor contract count, files touched to add an error code
#   ./build.sh fuzz <target> [s] AFL++/SharpFuzz on one parser (manifest wav sdp stun rtp signaling | all), see tests/RemoteMedia.Fuzz/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$HOME/.dotnet:$PATH"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Every Debian package the project uses (tests, benchmarks, the voice server).
DEBIAN_PACKAGES=(
  # media transport: Opus, SRTP, SCTP data channels
  libopus0 libsrtp2-1 libusrsctp2
  # speech: recognition (pocketsphinx + en-us model) and synthesis (espeak-ng)
  libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us libespeak-ng1 espeak-ng espeak-ng-data
  # peers measured in tests and benchmarks: WebRTC VAD, libsoxr, speexdsp, libsamplerate, Python resampy/scipy
  libwebrtc-audio-processing1 libsoxr0 libspeexdsp1 libsamplerate0 python3 python3-resampy python3-scipy python3-numpy
  # end-to-end tests: headless Chromium and aiortc clients in private network namespaces
  chromium python3-aiortc python3-aiohttp iproute2 util-linux curl
  # ./build.sh fuzz: AFL++ drives the SharpFuzz-instrumented parsers
  afl++
)

missing_packages() {
  local p
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

setup() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  if [ -n "${missing// }" ]; then
    echo "setup: installing Debian packages: $missing"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  command -v cargo >/dev/null || { echo "setup: cargo not found (install Rust with rustup; it is part of this machine image)" >&2; exit 1; }
  command -v dotnet >/dev/null || { echo "setup: dotnet not found (install the .NET 10 SDK)" >&2; exit 1; }
}

setup_if_needed() {
  if [ -n "$(missing_packages)" ] || ! command -v cargo >/dev/null; then setup; fi
}

build() {
  dotnet build RemoteMedia.sln -c Release -nologo -clp:NoSummary -v:q
}

# One summary line per test assembly of a leg, from the runner's own "Passed!/Failed!" lines.
summarize() {
  local leg=$1 log=$2 lines
  lines=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/^(Passed|Failed)! +- +(.*), Duration: [^-]*- ([^ ]+)\.dll.*/\3: \1 (\2)/; s/ +/ /g')
  [ -n "$lines" ] || lines="NO TEST RAN"
  while IFS= read -r line; do SUMMARY+=("$leg | $line"); done <<< "$lines"
}

run_leg() {
  local name=$1; shift
  echo "=== .NET tests, $name leg ==="
  local log="artifacts/test-$name.log"
  set +e
  env "$@" dotnet test RemoteMedia.sln -c Release --no-build -nologo 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  summarize "$name leg" "$log"
  return "$rc"
}

# Packs RemoteMedia into a fresh local feed, then a stand-alone consumer restores and runs it, with and without the native asset.
package_leg() {
  echo "=== package leg: pack + consumer ==="
  local feed=artifacts/test-feed
  rm -rf "$feed"
  pack_into "$feed"
  set +e
  REMOTEMEDIA_PACKAGE_FEED="$PWD/$feed" dotnet test tests/RemoteMedia.Package.Tests -c Release -nologo 2>&1 | tee artifacts/test-package.log
  local rc=${PIPESTATUS[0]}
  set -e
  summarize "package leg" artifacts/test-package.log
  return "$rc"
}

test_all() {
  local legs=${1:-all} rc=0
  setup_if_needed
  mkdir -p artifacts
  echo "=== cargo test (native-rust) ==="
  cargo test --release --offline --manifest-path native-rust/Cargo.toml 2>&1 | tee artifacts/test-cargo.log
  SUMMARY=("cargo: $(awk '/^test result/ {p += $4; f += $6; i += $8} END {printf "%d passed, %d failed, %d ignored", p, f, i}' artifacts/test-cargo.log)")
  dotnet build RemoteMedia.sln -c Release -nologo -clp:NoSummary -v:q
  if [ "$legs" = all ] || [ "$legs" = native ]; then run_leg native REMOTEMEDIA_DISABLE_NATIVE= || rc=1; fi
  if [ "$legs" = all ] || [ "$legs" = managed ]; then run_leg managed REMOTEMEDIA_DISABLE_NATIVE=1 || rc=1; fi
  if [ "$legs" = all ] || [ "$legs" = package ]; then package_leg || rc=1; fi
  echo "=== summary ==="
  printf '%s\n' "${SUMMARY[@]}"
  [ "$rc" -eq 0 ] && echo "ALL TEST LEGS PASSED" || echo "SOME TESTS FAILED"
  return "$rc"
}

run_main() {
  dotnet build src/RemoteMedia.Cli -c Release -nologo -v:q -clp:NoSummary
  local cli=src/RemoteMedia.Cli/bin/Release/net10.0/remotemedia
  if [ $# -gt 0 ]; then
    "$cli" "$@"
    return
  fi
  "$cli" info
  echo "voice server: open http://127.0.0.1:8080/ in a browser (Ctrl+C stops it)"
  exec "$cli" serve
}

machine_description() {
  echo "## Machine"
  echo
  echo "- cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "- os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- dotnet: $(dotnet --version), $(rustc --version)"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
}

# BenchmarkDotNet over the SDK, then the same kernel called straight from Rust: the difference is the boundary.
bench_format() {
  dotnet run -c Release --project benchmarks/RemoteMedia.Benchmarks -- --filter '*FormatConverter*' --exporters github "$@"
  local kernel
  kernel=$(cargo run --release --offline --quiet --manifest-path native-rust/Cargo.toml --example kernel_timing)
  {
    echo "# FormatConverterNode: native vs managed, and what the native boundary costs"
    echo
    echo "Generated by \`./build.sh bench format\`. One 20 ms stereo frame (960 frames, f32) to mono i16."
    echo
    machine_description
    echo "## BenchmarkDotNet (C#: SDK call, raw ABI call, managed node, bare P/Invoke)"
    echo
    sed -n "/^|/{s/&#39;/'/g;p}" BenchmarkDotNet.Artifacts/results/RemoteMedia.Benchmarks.FormatConverterBenchmarks-report-github.md
    echo
    echo "## The same kernel called directly in Rust (no ABI, no C#)"
    echo
    echo "$kernel" | sed 's/^/- /'
    echo
    echo "The boundary's cost is the 1-frame SDK call minus the 1-frame direct Rust call (the kernel does almost nothing"
    echo "there); the 960-frame rows are dominated by the kernel, and this shared 2-core VM adds microseconds of noise to them."
  } > benchmarks/results/format-converter.md
  echo "wrote benchmarks/results/format-converter.md"
}

bench() {
  local suite=${1:-format}; shift || true
  case "$suite" in
    format) bench_format "$@" ;;
    all) dotnet run -c Release --project benchmarks/RemoteMedia.Benchmarks -- --filter '*' --exporters github "$@" ;;
    resample) dotnet run -c Release --project benchmarks/RemoteMedia.Harness -- resample "$@" ;;
    vad) dotnet run -c Release --project benchmarks/RemoteMedia.VadEval -- "$@" ;;
    speech) dotnet run -c Release --project benchmarks/RemoteMedia.Speech.Harness -- "$@" ;;
    pipeline) dotnet run -c Release --project benchmarks/RemoteMedia.Benchmarks -- --filter '*PipelineMetrics*' '*VoicePreprocessing*' --exporters github "$@" ;;
    server) dotnet run -c Release --project benchmarks/RemoteMedia.LoadTest -- server "$@" ;;
    *) echo "unknown benchmark suite '$suite' (format | resample | vad | speech | pipeline | server | all)" >&2; exit 2 ;;
  esac
}

# Lines that are not blank and not only a comment.
code_lines() {
  if [ $# -eq 0 ]; then echo 0; return; fi
  cat "$@" 2>/dev/null | grep -vE '^\s*($|//|#|/\*|\*)' | wc -l
}

stats() {
  local layers=(
    "native kernels|native-rust/src"
    "generated interop|interop/NativeMethods.g.cs"
    "binding generator|interop/RemoteMedia.Interop.Generator"
    "safe SDK + managed nodes|src/RemoteMedia.Core"
    "pipeline|src/RemoteMedia.Pipeline"
    "speech|src/RemoteMedia.Speech"
    "transport (WebRTC)|src/RemoteMedia.WebRtc"
    "server|src/RemoteMedia.Server"
    "CLI|src/RemoteMedia.Cli"
    "tests|tests"
    "benchmarks|benchmarks"
  )
  printf '| layer | files | lines of code |\n|---|---:|---:|\n'
  local entry name path files total=0
  for entry in "${layers[@]}"; do
    name=${entry%%|*}; path=${entry#*|}
    [ -e "$path" ] || continue
    mapfile -t files < <(find "$path" -type f \( -name '*.rs' -o -name '*.cs' -o -name '*.js' -o -name '*.html' -o -name '*.py' \) -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/target/*')
    local n; n=$(code_lines "${files[@]}")
    total=$((total + n))
    printf '| %s | %d | %d |\n' "$name" "${#files[@]}" "$n"
  done
  mapfile -t files < <(find archive -type f \( -name '*.rs' -o -name '*.cs' -o -name '*.js' -o -name '*.py' \) 2>/dev/null)
  printf '| **active total** | | **%d** |\n| archived | %d | %d |\n\n' "$total" "${#files[@]}" "$(code_lines "${files[@]}")"

  local rust_contracts cs_contracts
  rust_contracts=$(grep -rEl '^\s*pub trait NodeExecutor\b' native-rust/src | wc -l)
  cs_contracts=$(grep -rEl --include='*.cs' '\binterface INodeExecutor\b' src | wc -l)
  echo "NodeExecutor contract definitions: Rust $rust_contracts, C# $cs_contracts (must be 1 and 1)"

  # Files to touch to add one error code: those that list (nearly) every code — the enum, its generated mirror,
  # and any exhaustive match, switch or message table. Files that only use a few codes need no change.
  local codes threshold enumerating
  codes=$(awk '/pub enum ErrorCode/{f=1;next} f&&/^}/{f=0} f' native-rust/src/error.rs | grep -cE '^\s*[A-Z][A-Za-z]+ = -?[0-9]+')
  threshold=$(( (codes * 8 + 9) / 10 ))
  enumerating=$(grep -rlE --include='*.rs' --include='*.cs' 'ErrorCode|[A-Z][A-Za-z]+ = -?[0-9]+' native-rust/src interop src tests 2>/dev/null |
    grep -v '/obj/' | while read -r f; do
      c=$(awk '/pub enum ErrorCode/{f=1;next} f&&/^}/{f=0} f' native-rust/src/error.rs | grep -oE '^\s*[A-Z][A-Za-z]+' | tr -d ' ' |
        while read -r name; do if grep -qE "\b$name\b" "$f"; then echo "$name"; fi; done | wc -l)
      if [ "$c" -ge "$threshold" ]; then echo "$f"; fi
    done | sort -u)
  echo "Files to change to add one error code (files naming >= $threshold of the $codes codes, plus the use site and its test): $(echo "$enumerating" | grep -c .)"
  echo "$enumerating" | sed 's/^/  /'
  [ "$rust_contracts" -eq 1 ] && [ "$cs_contracts" -eq 1 ]
}

# The packages: RemoteMedia (SDK + native library per RID), RemoteMedia.Pipeline, RemoteMedia.WebRtc.
PACKABLE=(src/RemoteMedia.Core src/RemoteMedia.Pipeline src/RemoteMedia.WebRtc)

pack_into() {
  local p
  for p in "${PACKABLE[@]}"; do dotnet pack "$p" -c Release -o "$1" -nologo -v:q -clp:NoSummary; done
}

pack() {
  pack_into artifacts/packages
  ls -la artifacts/packages
}

generate() {
  dotnet run --project interop/RemoteMedia.Interop.Generator -c Release
}

verb=${1:-}
shift || true
case "$verb" in
  setup) setup ;;
  build) setup_if_needed; build ;;
  test) test_all "$@" ;;
  run) setup_if_needed; run_main "$@" ;;
  bench) setup_if_needed; bench "$@" ;;
  pack) pack ;;
  generate) generate ;;
  stats) stats ;;
  fuzz) exec tests/RemoteMedia.Fuzz/fuzz.sh "$@" ;;
  *) sed -n '2,13p' "$0"; [ -z "$verb" ] || exit 2 ;;
esac
