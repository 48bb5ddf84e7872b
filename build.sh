#!/usr/bin/env bash
# The one entry point for people and CI.
#   ./build.sh setup            install every Debian package the project needs (idempotent, quiet when done)
#   ./build.sh build            build the Rust crate and the whole solution (Release)
#   ./build.sh test [legs]      cargo test, then the .NET suite with native and with REMOTEMEDIA_DISABLE_NATIVE=1
#                               (legs: all | native | managed; default all)
#   ./build.sh run [args]       the main job (no args: the CLI converts the bundled sample)
#   ./build.sh bench [suite]    benchmarks: format | resample | speech | all BenchmarkDotNet suites (default: format)
#   ./build.sh pack             the NuGet package(s) into artifacts/packages
#   ./build.sh generate         regenerate interop/NativeMethods.g.cs from the Rust source
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$HOME/.dotnet:$PATH"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Every Debian package the project uses (tests, benchmarks, the voice server).
DEBIAN_PACKAGES=(
  espeak-ng sox
  # speech layer (src/RemoteMedia.Speech): recognition engine + model, synthesis engine + voices
  libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us libespeak-ng1 espeak-ng-data
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

run_leg() {
  local name=$1; shift
  echo "=== .NET tests, $name leg ==="
  local log="artifacts/test-$name.log"
  set +e
  env "$@" dotnet test RemoteMedia.sln -c Release --no-build -nologo 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  SUMMARY+=("$name leg: $(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/, Duration: [^-]*- /, /; s/ +/ /g' | paste -sd '|' -)")
  return "$rc"
}

test_all() {
  local legs=${1:-all} rc=0
  setup_if_needed
  mkdir -p artifacts
  echo "=== cargo test (native-rust) ==="
  cargo test --release --offline --manifest-path native-rust/Cargo.toml 2>&1 | tee artifacts/test-cargo.log
  SUMMARY=("cargo: $(grep -E '^test result' artifacts/test-cargo.log | head -1)")
  dotnet build RemoteMedia.sln -c Release -nologo -clp:NoSummary -v:q
  if [ "$legs" = all ] || [ "$legs" = native ]; then run_leg native REMOTEMEDIA_DISABLE_NATIVE= || rc=1; fi
  if [ "$legs" = all ] || [ "$legs" = managed ]; then run_leg managed REMOTEMEDIA_DISABLE_NATIVE=1 || rc=1; fi
  echo "=== summary ==="
  printf '%s\n' "${SUMMARY[@]}"
  [ "$rc" -eq 0 ] && echo "ALL TEST LEGS PASSED" || echo "SOME TESTS FAILED"
  return "$rc"
}

run_main() {
  if [ $# -gt 0 ]; then
    dotnet run --project src/RemoteMedia.Cli -c Release -- "$@"
    return
  fi
  mkdir -p artifacts
  dotnet build src/RemoteMedia.Cli -c Release -nologo -v:q -clp:NoSummary
  local cli=src/RemoteMedia.Cli/bin/Release/net10.0/remotemedia
  "$cli" info
  "$cli" convert samples/speech-48k-stereo.wav artifacts/speech-mono-i16.wav --format i16 --channels 1
  echo "wrote artifacts/speech-mono-i16.wav"
}

bench() {
  local suite=${1:-format}; shift || true
  case "$suite" in
    format) dotnet run -c Release --project benchmarks/RemoteMedia.Benchmarks -- --filter '*FormatConverter*' --exporters github "$@" ;;
    all) dotnet run -c Release --project benchmarks/RemoteMedia.Benchmarks -- --filter '*' --exporters github "$@" ;;
    resample) dotnet run -c Release --project benchmarks/RemoteMedia.Harness -- resample "$@" ;;
    speech) dotnet run -c Release --project benchmarks/RemoteMedia.Speech.Harness -- "$@" ;;  # tables for benchmarks/results/speech.md
    *) echo "unknown benchmark suite '$suite' (format | resample | speech | all)" >&2; exit 2 ;;
  esac
}

pack() {
  dotnet pack src/RemoteMedia.Core -c Release -o artifacts/packages -nologo
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
  *) sed -n '2,10p' "$0"; [ -z "$verb" ] || exit 2 ;;
esac
