"""Python peers for the resampler harness, run by Debian's /usr/bin/python3 (python3-resampy, python3-scipy).

  serve <spec.json>                   a warm worker driven by the harness, one command per line, so its rounds
                                      interleave with the .NET rows:  batch <method> <rate> -> ms;
                                      stream <method> <rate> -> ns per frame; quality -> ok; quit
  first-call <method> <input> <rate>  a fresh interpreter: import time and the first call's time; JSON on stdout

The harness (C#) does all quality analysis on the outputs written here, so every row uses one analysis code.
"""
import json
import math
import sys
import time


def resampler(method):
    if method == "resampy kaiser_best":
        import resampy
        return lambda x, sr, to: resampy.resample(x, sr, to, filter="kaiser_best")
    if method == "scipy resample_poly":
        from scipy.signal import resample_poly
        return lambda x, sr, to: resample_poly(x, to // math.gcd(sr, to), sr // math.gcd(sr, to))
    raise SystemExit("unknown method " + method)


METHODS = ["resampy kaiser_best", "scipy resample_poly"]


def bench(spec_path):
    import numpy as np
    spec = json.load(open(spec_path))
    out_rate = spec["output_rate"]
    results = []
    for method in METHODS:
        run = resampler(method)
        for rate_text, path in spec["inputs"].items():
            rate = int(rate_text)
            stereo = np.fromfile(path, dtype=np.float32)
            times = []
            for i in range(spec["warmup"] + spec["runs"]):
                t0 = time.perf_counter()
                mono = stereo.reshape(-1, 2).mean(axis=1, dtype=np.float32)
                y = run(mono, rate, out_rate)
                t1 = time.perf_counter()
                if i >= spec["warmup"]:
                    times.append((t1 - t0) * 1e3)
            mono = stereo.reshape(-1, 2).mean(axis=1, dtype=np.float32)
            frame = rate // 50
            frame_ns = []
            for p in range(spec["stream_passes"] + 1):
                for f in range(spec["stream_frames"]):
                    block = mono[f * frame:(f + 1) * frame]
                    t0 = time.perf_counter_ns()
                    run(block, rate, out_rate)
                    t1 = time.perf_counter_ns()
                    if p > 0:
                        frame_ns.append(t1 - t0)
            results.append({"method": method, "rate": rate, "batch_ms": times, "frame_ns": frame_ns})
        for item in spec["quality"]:
            x = np.fromfile(item["input"], dtype=np.float32)
            y = np.asarray(run(x, item["rate"], out_rate), dtype=np.float32)
            y.tofile(item["output_prefix"] + method.replace(" ", "_") + ".f32")
    json.dump(results, sys.stdout)


def serve(spec_path):
    import numpy as np
    spec = json.load(open(spec_path))
    out_rate = spec["output_rate"]
    runs = {i: resampler(m) for i, m in enumerate(METHODS)}
    stereo = {int(r): np.fromfile(p, dtype=np.float32) for r, p in spec["inputs"].items()}
    mono = {r: x.reshape(-1, 2).mean(axis=1, dtype=np.float32) for r, x in stereo.items()}
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "batch":
            run, rate = runs[int(words[1])], int(words[2])
            t0 = time.perf_counter()
            m = stereo[rate].reshape(-1, 2).mean(axis=1, dtype=np.float32)
            run(m, rate, out_rate)
            print((time.perf_counter() - t0) * 1e3, flush=True)
        elif words[0] == "stream":
            run, rate = runs[int(words[1])], int(words[2])
            frame = rate // 50
            times = []
            for f in range(spec["stream_frames"]):
                block = mono[rate][f * frame:(f + 1) * frame]
                t0 = time.perf_counter_ns()
                run(block, rate, out_rate)
                times.append(time.perf_counter_ns() - t0)
            print(" ".join(str(t) for t in times), flush=True)
        elif words[0] == "quality":
            for i, method in enumerate(METHODS):
                for item in spec["quality"]:
                    x = np.fromfile(item["input"], dtype=np.float32)
                    y = np.asarray(runs[i](x, item["rate"], out_rate), dtype=np.float32)
                    y.tofile(item["output_prefix"] + method.replace(" ", "_") + ".f32")
            print("ok", flush=True)


def first_call(method, path, rate):
    t0 = time.perf_counter()
    import numpy as np
    run = resampler(method)
    t1 = time.perf_counter()
    x = np.fromfile(path, dtype=np.float32)
    t2 = time.perf_counter()
    run(x, int(rate), 16000)
    t3 = time.perf_counter()
    run(x, int(rate), 16000)
    t4 = time.perf_counter()
    json.dump({"import_ms": (t1 - t0) * 1e3, "first_call_ms": (t3 - t2) * 1e3, "second_call_ms": (t4 - t3) * 1e3}, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "bench":
        bench(sys.argv[2])
    elif sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        first_call(sys.argv[2], sys.argv[3], sys.argv[4])
