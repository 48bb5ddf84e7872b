#!/usr/bin/env python3
"""Writes the seed corpora under corpus/<target>/ (run once; the output is committed). Standard library only."""
import hashlib, hmac, json, os, struct, zlib, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# manifest: the documented examples plus small hand-made ones
os.makedirs(os.path.join(OUT, "manifest"), exist_ok=True)
for ex in ("voice-utterances.json", "mono-blocks.json"):
    shutil.copy(os.path.join(ROOT, "docs", "examples", ex), os.path.join(OUT, "manifest", ex))
put("manifest", "minimal.json", json.dumps({"version": "v1", "metadata": {"name": "m"}, "nodes": [{"id": "a", "node_type": "FormatConverterNode", "params": {"target_format": "f32"}}], "connections": []}))
put("manifest", "chain.json", json.dumps({"version": "v1", "metadata": {"name": "c", "description": "d"}, "nodes": [
    {"id": "fmt", "node_type": "FormatConverterNode", "params": {}, "runtime_hint": "auto"},
    {"id": "rs", "node_type": "AudioResampleNode", "params": {"target_rate": 16000}, "is_streaming": True},
    {"id": "vad", "node_type": "VADNode", "params": {"mode": 3}}],
    "connections": [{"from": "fmt", "to": "rs"}, {"from": "rs", "to": "vad"}]}))


# wav: tiny files of every supported encoding, plus extensible
def wav(fmt_tag, channels, rate, bits, frames, extensible=False, extra_chunk=False):
    block = channels * bits // 8
    data = bytes((i * 37) & 0xFF for i in range(frames * block))
    if extensible:
        sub = b"\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71" if fmt_tag == 1 else b"\x03\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * block, block, bits, 22, bits, 3) + sub
    else:
        fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    if extra_chunk:
        body += b"LIST" + struct.pack("<I", 4) + b"INFO"
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body

put("wav", "s16-mono-48k.wav", wav(1, 1, 48000, 16, 16))
put("wav", "s16-stereo-44k-list.wav", wav(1, 2, 44100, 16, 8, extra_chunk=True))
put("wav", "s24-mono-16k.wav", wav(1, 1, 16000, 24, 8))
put("wav", "s32-mono-8k.wav", wav(1, 1, 8000, 32, 8))
put("wav", "f32-stereo-48k.wav", wav(3, 2, 48000, 32, 8))
put("wav", "ext-s16-stereo.wav", wav(1, 2, 48000, 16, 8, extensible=True))
put("wav", "ext-f32-mono.wav", wav(3, 1, 48000, 32, 8, extensible=True))

# sdp: the real browser and aiortc offers, and our loopback client's shape
fx = os.path.join(ROOT, "tests", "RemoteMedia.WebRtc.Tests", "Fixtures")
for f in ("chromium-offer.sdp", "aiortc-offer.sdp"):
    os.makedirs(os.path.join(OUT, "sdp"), exist_ok=True)
    shutil.copy(os.path.join(fx, f), os.path.join(OUT, "sdp", f))
put("sdp", "loopback-offer.sdp", "\r\n".join([
    "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
    "m=audio 5000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=mid:0", "a=sendrecv", "a=rtcp-mux",
    "a=ice-ufrag:abcd", "a=ice-pwd:0123456789abcdef01234567",
    "a=fingerprint:sha-256 " + ":".join(["AB"] * 32), "a=setup:actpass", "a=rtpmap:111 opus/48000/2",
    "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host",
    "m=application 5000 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 127.0.0.1", "a=mid:1", "a=sctp-port:5000", ""]))

# stun: RFC 5769 vectors and requests that pass the fuzz agent's checks (ufrag fuzzufrg, remote 'remote')
put("stun", "rfc5769-request.bin", bytes.fromhex(
    "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74"
    "002400046e0001ff80290008932ff9b151263b36000600096576746a3a6836765920202000080014"
    "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf"))
put("stun", "rfc5769-response.bin", bytes.fromhex(
    "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220"
    "002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
    "80280004c07d4c96"))


def tlv(t, v):
    pad = (4 - len(v) % 4) % 4
    return struct.pack(">HH", t, len(v)) + v + b"\0" * pad


def binding(user, key, use_candidate):
    tid = bytes(range(1, 13))
    attrs = tlv(0x0006, user) + tlv(0x0024, struct.pack(">I", 0x6E0001FF)) + tlv(0x802A, b"\1" * 8)
    if use_candidate:
        attrs += tlv(0x0025, b"")
    hdr = lambda extra: struct.pack(">HHI", 0x0001, len(attrs) + extra, 0x2112A442) + tid
    mi = hmac.new(key, hdr(24) + attrs, hashlib.sha1).digest()
    attrs += tlv(0x0008, mi)
    crc = (zlib.crc32(hdr(8) + attrs) ^ 0x5354554E) & 0xFFFFFFFF
    return hdr(8) + attrs + tlv(0x8028, struct.pack(">I", crc))

put("stun", "valid-check.bin", binding(b"fuzzufrg:remote", b"fuzzpassword0123456789ab", False))
put("stun", "valid-nominating-check.bin", binding(b"fuzzufrg:remote", b"fuzzpassword0123456789ab", True))
put("stun", "wrong-user.bin", binding(b"other:remote", b"fuzzpassword0123456789ab", False))


# rtp: length-prefixed packet streams, and RTCP compounds
def rtp(seq, ts, ssrc=0x1234, pt=111, marker=0, csrc=0, ext=None, pad=0, payload=b"\xf8\xff\xfe"):
    b0 = 0x80 | (0x20 if pad else 0) | (0x10 if ext is not None else 0) | csrc
    p = struct.pack(">BBHII", b0, (marker << 7) | pt, seq, ts, ssrc) + b"\0\0\0\1" * csrc
    if ext is not None:
        p += struct.pack(">HH", 0xBEDE, len(ext) // 4) + ext
    p += payload
    if pad:
        p += b"\0" * (pad - 1) + bytes([pad])
    return p

def stream(*packets):
    return b"".join(struct.pack(">H", len(p)) + p for p in packets)

put("rtp", "in-order.bin", stream(*(rtp(100 + i, 960 * i) for i in range(5))))
put("rtp", "reordered-dup-loss.bin", stream(rtp(10, 0), rtp(12, 1920), rtp(11, 960), rtp(11, 960), rtp(15, 4800), rtp(16, 5760), rtp(17, 6720), rtp(18, 7680)))
put("rtp", "wrap.bin", stream(rtp(65534, 0), rtp(65535, 960), rtp(0, 1920), rtp(1, 2880)))
put("rtp", "csrc-ext-pad.bin", stream(rtp(1, 0, csrc=2, ext=b"\x10\xff\0\0", pad=4)))
sr = struct.pack(">BBHI", 0x80, 200, 6, 0x1234) + struct.pack(">IIIII", 0xE000, 0, 960, 10, 1000)
rr = struct.pack(">BBHI", 0x81, 201, 7, 0x5678) + struct.pack(">IIIIII", 0x1234, 0x01000002, 100, 0, 0, 0)
sdes = struct.pack(">BBHI", 0x81, 202, 3, 0x1234) + b"\x01\x04fuzz\0\0"
bye = struct.pack(">BBHI", 0x81, 203, 1, 0x1234)
put("rtp", "rtcp-sr-rr-sdes-bye.bin", sr + rr + sdes + bye)
put("rtp", "rtcp-rr.bin", rr)

# signaling: every message the page sends
for name, msg in {
    "offer.json": {"type": "offer", "sdp": "v=0\r\n"},
    "candidate.json": {"type": "ice-candidate", "candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid": "0", "sdpMLineIndex": 0}},
    "close.json": {"type": "close"},
    "unknown.json": {"type": "hello", "extra": [1, 2.5, None, True, {"a": "b"}]},
}.items():
    put("signaling", name, json.dumps(msg))
put("signaling", "not-an-object.json", "[1,2,3]")
print("seeds written to", OUT)
