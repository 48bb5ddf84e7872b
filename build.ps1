#!/usr/bin/env pwsh
# Mirror of build.sh for pwsh users (Windows/macOS). Same verbs, same dotnet/cargo commands.
# It cannot be exercised on the Linux CI machine (no pwsh there); keep it in step with build.sh.
#   ./build.ps1 setup | build | test [all|native|managed] | run [args] | bench <suite> | pack | generate | stats | fuzz
param([Parameter(Position = 0)][string]$Verb = "", [Parameter(Position = 1, ValueFromRemainingArguments = $true)][string[]]$Rest = @())
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"; $env:DOTNET_NOLOGO = "1"

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Setup {
    if (-not (Get-Command cargo -ErrorAction SilentlyContinue)) { throw "cargo not found: install Rust with rustup" }
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw "dotnet not found: install the .NET 10 SDK" }
    if ($IsLinux) { Invoke-Checked bash @("./build.sh", "setup") }
    # On Windows/macOS the optional peers (espeak-ng, libsoxr, ...) come from the platform's package manager; tests that need them say so.
}

function Test-Leg([string]$Name, [string]$DisableNative) {
    Write-Host "=== .NET tests, $Name leg ==="
    $env:REMOTEMEDIA_DISABLE_NATIVE = $DisableNative
    try { & dotnet test RemoteMedia.sln -c Release --no-build; return $LASTEXITCODE -eq 0 }
    finally { Remove-Item Env:REMOTEMEDIA_DISABLE_NATIVE -ErrorAction SilentlyContinue }
}

switch ($Verb) {
    "setup" { Setup }
    "build" { Setup; Invoke-Checked dotnet @("build", "RemoteMedia.sln", "-c", "Release") }
    "test" {
        Setup
        $legs = if ($Rest.Count -gt 0) { $Rest[0] } else { "all" }
        Invoke-Checked cargo @("test", "--release", "--offline", "--manifest-path", "native-rust/Cargo.toml")
        Invoke-Checked dotnet @("build", "RemoteMedia.sln", "-c", "Release")
        $ok = $true
        if ($legs -in "all", "native") { $ok = (Test-Leg "native" "") -and $ok }
        if ($legs -in "all", "managed") { $ok = (Test-Leg "managed" "1") -and $ok }
        if ($legs -in "all", "package") {
            $feed = Join-Path $PSScriptRoot "artifacts/test-feed"
            Remove-Item -Recurse -Force $feed -ErrorAction SilentlyContinue
            foreach ($p in "src/RemoteMedia.Core", "src/RemoteMedia.Pipeline", "src/RemoteMedia.WebRtc") { Invoke-Checked dotnet @("pack", $p, "-c", "Release", "-o", $feed) }
            $env:REMOTEMEDIA_PACKAGE_FEED = $feed
            & dotnet test tests/RemoteMedia.Package.Tests -c Release
            $ok = ($LASTEXITCODE -eq 0) -and $ok
        }
        if (-not $ok) { throw "SOME TESTS FAILED" }
        Write-Host "ALL TEST LEGS PASSED"
    }
    "run" {
        Setup
        if ($Rest.Count -gt 0) { Invoke-Checked dotnet (@("run", "--project", "src/RemoteMedia.Cli", "-c", "Release", "--") + $Rest) }
        else {
            Invoke-Checked dotnet @("run", "--project", "src/RemoteMedia.Cli", "-c", "Release", "--", "info")
            Write-Host "voice server: open http://127.0.0.1:8080/ in a browser (Ctrl+C stops it)"
            Invoke-Checked dotnet @("run", "--project", "src/RemoteMedia.Cli", "-c", "Release", "--", "serve")
        }
    }
    "bench" {
        $suite = if ($Rest.Count -gt 0) { $Rest[0] } else { "format" }
        switch ($suite) {
            "format" { Invoke-Checked dotnet @("run", "-c", "Release", "--project", "benchmarks/RemoteMedia.Benchmarks", "--", "--filter", "*FormatConverter*", "--exporters", "github") }
            "all" { Invoke-Checked dotnet @("run", "-c", "Release", "--project", "benchmarks/RemoteMedia.Benchmarks", "--", "--filter", "*", "--exporters", "github") }
            "resample" { Invoke-Checked dotnet @("run", "-c", "Release", "--project", "benchmarks/RemoteMedia.Harness", "--", "resample") }
            "vad" { Invoke-Checked dotnet @("run", "-c", "Release", "--project", "benchmarks/RemoteMedia.VadEval") }
            "speech" { Invoke-Checked dotnet @("run", "-c", "Release", "--project", "benchmarks/RemoteMedia.Speech.Harness") }
            "server" { Invoke-Checked dotnet @("run", "-c", "Release", "--project", "benchmarks/RemoteMedia.LoadTest", "--", "server") }
            default { throw "unknown benchmark suite '$suite' (format | resample | all)" }
        }
    }
    "pack" { foreach ($p in "src/RemoteMedia.Core", "src/RemoteMedia.Pipeline", "src/RemoteMedia.WebRtc") { Invoke-Checked dotnet @("pack", $p, "-c", "Release", "-o", "artifacts/packages") } }
    "generate" { Invoke-Checked dotnet @("run", "--project", "interop/RemoteMedia.Interop.Generator", "-c", "Release") }
    # stats and fuzz are shell tools (find, grep, AFL++): run through bash where one exists (Git Bash, WSL, macOS).
    "stats" { Invoke-Checked bash @("./build.sh", "stats") }
    "fuzz" { Invoke-Checked bash (@("./build.sh", "fuzz") + $Rest) }
    default { Get-Content $PSCommandPath | Select-Object -Skip 1 -First 4; if ($Verb) { exit 2 } }
}
