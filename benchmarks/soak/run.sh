#!/usr/bin/env bash
# The long soak (not in CI): 20 concurrent calls through the real voice server, one leaving and one joining every
# second, for N minutes (default 30). The server runs in the test process (which samples its heap, RSS, threads,
# descriptors and native counters); the callers run in their own process (RemoteMedia.LoadTest callers).
# Writes benchmarks/soak/results-<date>.md.
#   benchmarks/soak/run.sh [minutes]
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$HOME/.dotnet:$PATH"
minutes=${1:-30}
out="$PWD/benchmarks/soak/results-$(date -u +%Y%m%d-%H%M)-${minutes}min.md"
dotnet build tests/RemoteMedia.Server.Tests -c Release -nologo -v:q -clp:NoSummary
dotnet build benchmarks/RemoteMedia.LoadTest -c Release -nologo -v:q -clp:NoSummary
REMOTEMEDIA_SOAK_MINUTES=$minutes REMOTEMEDIA_SOAK_OUT=$out \
  REMOTEMEDIA_SOAK_CALLERS="$PWD/benchmarks/RemoteMedia.LoadTest/bin/Release/net10.0/RemoteMedia.LoadTest.dll" \
  dotnet test tests/RemoteMedia.Server.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~LongSoakTests" --logger "console;verbosity=detailed"
echo "soak report: $out"
