# WebRTC client for the end-to-end test: Debian python3-aiortc 1.4 (run with /usr/bin/python3).
# Posts its offer to the C# server, sends a WAV as Opus, measures the tone the server sends back,
# and prints one JSON line. Runs inside the test's private network namespace.
import asyncio, json, math, sys, urllib.request
import aioice.ice
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]   # aioice skips 127.0.0.1 otherwise
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer


def goertzel_share(samples, freq, rate=48000):
    w = 2 * math.pi * freq / rate
    c = 2 * math.cos(w)
    s1 = s2 = energy = 0.0
    for v in samples:
        s0 = v + c * s1 - s2
        s2, s1 = s1, s0
        energy += v * v
    p = s1 * s1 + s2 * s2 - c * s1 * s2
    return 0.0 if energy == 0 else 2 * p / (len(samples) * energy)


async def main(url, wav, seconds):
    player = MediaPlayer(wav, loop=True)
    pc = RTCPeerConnection()
    states = []
    received = []

    @pc.on("connectionstatechange")
    async def on_state():
        states.append(pc.connectionState)

    async def consume(track):
        try:
            while True:
                frame = await track.recv()
                a = frame.to_ndarray().reshape(-1, len(frame.layout.channels))[:, 0]
                received.extend(int(x) for x in a)
        except Exception:
            pass

    @pc.on("track")
    def on_track(track):
        if track.kind == "audio":
            asyncio.ensure_future(consume(track))

    dc = {"echo": None, "fromServer": None, "label": None}
    chat = pc.createDataChannel("chat")

    @chat.on("open")
    def on_open():
        chat.send("hello from aiortc")

    @chat.on("message")
    def on_chat(m):
        dc["echo"] = m

    @pc.on("datachannel")
    def on_dc(channel):
        dc["label"] = channel.label

        @channel.on("message")
        def on_server(m):
            dc["fromServer"] = m

    pc.addTrack(player.audio)
    await pc.setLocalDescription(await pc.createOffer())
    loop = asyncio.get_running_loop()
    req = urllib.request.Request(url, data=pc.localDescription.sdp.encode(), method="POST")
    answer = await loop.run_in_executor(None, lambda: urllib.request.urlopen(req, timeout=10).read().decode())
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await asyncio.sleep(seconds)
    sent = 0
    for s in pc.getSenders():
        for r in (await s.getStats()).values():
            if r.type == "outbound-rtp":
                sent = r.packetsSent
    tail = received[-48000:]
    rms = math.sqrt(sum(v * v for v in tail) / len(tail)) if tail else 0.0
    print(json.dumps({"states": states, "samples": len(received), "packetsSent": sent,
                      "toneShare": goertzel_share(tail, 1000.0) if tail else 0.0, "rms": rms, "dc": dc}), flush=True)
    await pc.close()
    player.audio.stop() if player.audio else None


asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
