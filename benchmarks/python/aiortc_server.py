#!/usr/bin/python3
"""The Python peer of the voice server load benchmark (benchmarks/RemoteMedia.LoadTest).

What the original remotemedia server did per caller, with Debian's packages (python3-aiortc, python3-resampy,
python3-aiohttp, python3-numpy): receive WebRTC audio with aiortc (ICE, DTLS-SRTP, Opus decode to 48 kHz),
then per 20 ms frame: stereo s16 -> mono float, resampy 48 kHz -> 16 kHz (its default 'kaiser_best' filter
as the original used, or --filter kaiser_fast), an energy VAD and utterance segmentation. No speech recognition (our server runs with
VoiceServer:PreprocessOnly=true for the comparison).

The HTTP surface matches our server where the load client needs it: WebSocket signaling at /ws
({type:"offer",sdp} -> {type:"answer",sdp,session_id}; {type:"utterance"} events), /health, /connections
(per-session counters with our camelCase names) and /metrics (the same per-frame histogram in microseconds).

Run with Debian's interpreter: /usr/bin/python3 aiortc_server.py --port 8090 (binds 127.0.0.1 only).
"""
import argparse
import asyncio
import json
import logging
import time
import uuid

import aioice.ice
import numpy as np
import resampy
from aiohttp import web, WSMsgType
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

# aioice skips 127.0.0.1 when it gathers host candidates; the benchmark is loopback only.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000]
HIST_COUNTS = [0] * (len(BUCKETS) + 1)
HIST = {"sum": 0.0, "count": 0}
SESSIONS = {}
FILTER = {"name": "kaiser_best"}
log = logging.getLogger("aiortc_server")


def record(us):
    HIST["sum"] += us
    HIST["count"] += 1
    for i, b in enumerate(BUCKETS):
        if us <= b:
            HIST_COUNTS[i] += 1
            return
    HIST_COUNTS[-1] += 1


class EnergyVad:
    """20 ms frames at 16 kHz: speech when the RMS is above a threshold; an utterance ends after 450 ms of silence."""

    def __init__(self, on_utterance, threshold=0.01, hangover_frames=22, min_frames=15):
        self.on_utterance = on_utterance
        self.threshold = threshold
        self.hangover_frames = hangover_frames
        self.min_frames = min_frames
        self.buffer = []
        self.silence = 0
        self.active = False

    def process(self, x):
        speech = float(np.sqrt(np.mean(x * x))) > self.threshold
        if speech:
            self.active = True
            self.silence = 0
            self.buffer.append(x)
        elif self.active:
            self.buffer.append(x)
            self.silence += 1
            if self.silence >= self.hangover_frames:
                if len(self.buffer) - self.silence >= self.min_frames:
                    self.on_utterance(np.concatenate(self.buffer))
                self.buffer = []
                self.active = False
                self.silence = 0


class Session:
    def __init__(self, ws_send):
        self.id = uuid.uuid4().hex[:16]
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.ws_send = ws_send
        self.frames = 0
        self.lost = 0
        self.utterances = 0
        self.last_pts = None
        self.started = time.time()
        self.vad = EnergyVad(self.on_utterance)
        self.task = None

    def on_utterance(self, samples):
        self.utterances += 1
        self.ws_send({"type": "utterance", "audio_s": len(samples) / 16000.0})

    async def consume(self, track):
        try:
            while True:
                frame = await track.recv()
                t0 = time.perf_counter()
                if self.last_pts is not None and frame.pts is not None:
                    gap = (frame.pts - self.last_pts) // frame.samples - 1
                    if gap > 0:
                        self.lost += gap
                self.last_pts = frame.pts
                pcm = frame.to_ndarray()  # packed s16: shape (1, samples * channels)
                channels = len(frame.layout.channels)
                x = pcm.reshape(-1, channels).astype(np.float32).mean(axis=1) / 32768.0
                y = resampy.resample(x, 48000, 16000, filter=FILTER["name"])
                self.vad.process(y)
                self.frames += 1
                record((time.perf_counter() - t0) * 1e6)
        except MediaStreamError:
            pass

    def stats(self):
        return {"audioFramesReceived": self.frames, "rtpPackets": self.frames, "jitterLost": self.lost,
                "srtpAuthFailures": 0, "srtpOtherFailures": 0, "utterances": self.utterances}

    async def close(self):
        if self.task:
            self.task.cancel()
        await self.pc.close()


async def ws_handler(request):
    ws = web.WebSocketResponse(heartbeat=20)
    await ws.prepare(request)
    session = None

    def send(obj):
        if not ws.closed:
            asyncio.ensure_future(ws.send_str(json.dumps(obj)))

    try:
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            try:
                data = json.loads(msg.data)
            except ValueError:
                send({"type": "error", "message": "not JSON"})
                continue
            kind = data.get("type")
            if kind == "offer" and session is None:
                session = Session(send)
                SESSIONS[session.id] = session

                @session.pc.on("track")
                def on_track(track, s=session):
                    if track.kind == "audio":
                        s.task = asyncio.ensure_future(s.consume(track))

                await session.pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"], type="offer"))
                # Be the DTLS server (a=setup:passive) like our server, so one load client serves both.
                for t in session.pc.getTransceivers():
                    t.receiver.transport._set_role("server")
                answer = await session.pc.createAnswer()
                await session.pc.setLocalDescription(answer)
                send({"type": "answer", "sdp": session.pc.localDescription.sdp, "session_id": session.id})
            elif kind == "close":
                break
            elif kind == "ice-candidate":
                continue
            else:
                send({"type": "error", "message": f"unexpected message '{kind}'"})
    finally:
        if session is not None:
            SESSIONS.pop(session.id, None)
            await session.close()
    return ws


async def health(request):
    return web.json_response({"status": "ok", "sessions": len(SESSIONS)})


async def connections(request):
    return web.json_response({"count": len(SESSIONS), "sessions": [
        {"id": s.id, "started_at": s.started, "stats": s.stats()} for s in list(SESSIONS.values())]})


async def metrics(request):
    name = "remotemedia_preprocess_frame_duration_us"
    lines = [f"# TYPE {name} histogram"]
    cumulative = 0
    for b, c in zip(BUCKETS, HIST_COUNTS):
        cumulative += c
        lines.append(f'{name}_bucket{{le="{b}"}} {cumulative}')
    lines.append(f'{name}_bucket{{le="+Inf"}} {HIST["count"]}')
    lines.append(f"{name}_sum {HIST['sum']}")
    lines.append(f"{name}_count {HIST['count']}")
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--filter", default="kaiser_best", choices=["kaiser_best", "kaiser_fast"],
                        help="resampy filter: kaiser_best is resampy's default (the original server's); kaiser_fast is ~10x cheaper")
    args = parser.parse_args()
    FILTER["name"] = args.filter
    # numba compiles resampy's kernel on the first call (~2 s): do it before the first caller.
    resampy.resample(np.zeros(960, dtype=np.float32), 48000, 16000, filter=args.filter)
    logging.basicConfig(level=logging.WARNING)
    app = web.Application()
    app.router.add_get("/ws", ws_handler)
    app.router.add_get("/health", health)
    app.router.add_get("/connections", connections)
    app.router.add_get("/metrics", metrics)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
