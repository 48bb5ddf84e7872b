// RemoteMedia voice client: the original remotemedia signaling protocol over /ws
// ({type:"offer",sdp} -> {type:"answer",sdp}, ice-candidate both ways, {type:"close"}),
// microphone audio up, the assistant's spoken reply down, transcripts and timings on the
// "messages" data channel when it opens, else on the WebSocket.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const state = { ws: null, pc: null, channel: null, stream: null, audioCtx: null, meters: [] };
  window.remoteMedia = { transcripts: [], replies: [], timings: [], states: [], replyLevel: 0, errors: [] };

  // Every event also goes to the console as one line, so headless test runs and support sessions can read it.
  function emit(event) {
    console.info("remotemedia: " + JSON.stringify(event));
  }

  function log(kind, text) {
    const li = document.createElement("li");
    li.className = kind;
    li.textContent = text;
    $("log").appendChild(li);
  }

  function setState(text) {
    emit({ type: "page-state", state: text });
    $("state").textContent = text;
    window.remoteMedia.states.push(text);
  }

  function meter(stream, element, key) {
    const ctx = state.audioCtx;
    const source = ctx.createMediaStreamSource(stream);
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(data);
      let sum = 0;
      for (const v of data) sum += v * v;
      const rms = Math.sqrt(sum / data.length);
      element.value = Math.min(1, rms * 4);
      if (key) {
        if (rms > 0.01 && window.remoteMedia[key] <= 0.01) emit({ type: "remote-audio", rms });
        window.remoteMedia[key] = Math.max(window.remoteMedia[key], rms);
      }
    }, 50);
    state.meters.push(timer);
  }

  function onServerMessage(message, via) {
    emit(Object.assign({ via }, message));
    switch (message.type) {
      case "transcript":
        window.remoteMedia.transcripts.push(message.text);
        log("you", message.text);
        break;
      case "reply":
        window.remoteMedia.replies.push(message.text);
        log("assistant", message.text);
        break;
      case "timings":
        window.remoteMedia.timings.push(message);
        if (message.preprocess_us_per_frame !== undefined) $("t-pre").textContent = message.preprocess_us_per_frame.toFixed(1);
        if (message.asr_ms !== undefined) $("t-asr").textContent = message.asr_ms.toFixed(0);
        if (message.tts_ms !== undefined) $("t-tts").textContent = message.tts_ms.toFixed(0);
        if (message.reply_latency_ms !== undefined) $("t-reply").textContent = message.reply_latency_ms.toFixed(0);
        if (message.runtime) $("t-runtime").textContent = message.runtime;
        break;
      case "state":
        setState(message.state);
        break;
      case "error":
        window.remoteMedia.errors.push(message.message);
        log("error", message.message);
        break;
    }
  }

  async function start() {
    $("start").disabled = true;
    setState("starting");
    try {
      state.audioCtx = new AudioContext();
      state.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      meter(state.stream, $("mic"));
      const pc = new RTCPeerConnection({ iceServers: [] });
      state.pc = pc;
      state.stream.getTracks().forEach((t) => pc.addTrack(t, state.stream));
      const channel = pc.createDataChannel("messages", { ordered: true });
      state.channel = channel;
      channel.onopen = () => {
        emit({ type: "datachannel-open", label: channel.label });
        channel.send(JSON.stringify({ type: "greeting", text: "hello from the RemoteMedia page" }));
      };
      channel.onmessage = (e) => { try { onServerMessage(JSON.parse(e.data), "datachannel"); } catch (_) { /* not JSON */ } };
      pc.ontrack = (e) => {
        $("remote").srcObject = e.streams[0] || new MediaStream([e.track]);
        meter($("remote").srcObject, $("reply"), "replyLevel");
      };
      pc.onconnectionstatechange = () => setState(pc.connectionState);
      pc.onicecandidate = (e) => {
        if (e.candidate && state.ws && state.ws.readyState === WebSocket.OPEN) {
          state.ws.send(JSON.stringify({ type: "ice-candidate", candidate: e.candidate.toJSON() }));
        }
      };
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      const ws = new WebSocket(`${scheme}://${location.host}/ws${location.search}`);
      state.ws = ws;
      ws.onmessage = async (e) => {
        const message = JSON.parse(e.data);
        if (message.type === "answer") {
          await pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
        } else if (message.type === "ice-candidate" && message.candidate) {
          await pc.addIceCandidate(message.candidate);
        } else {
          onServerMessage(message, "websocket");
        }
      };
      ws.onclose = () => setState("signaling closed");
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      ws.send(JSON.stringify({ type: "offer", sdp: pc.localDescription.sdp }));
      $("stop").disabled = false;
    } catch (err) {
      window.remoteMedia.errors.push(String(err));
      log("error", String(err));
      stop();
    }
  }

  function stop() {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify({ type: "close" }));
    state.meters.forEach(clearInterval);
    state.meters = [];
    if (state.pc) state.pc.close();
    if (state.stream) state.stream.getTracks().forEach((t) => t.stop());
    if (state.ws) state.ws.close();
    Object.assign(state, { ws: null, pc: null, channel: null, stream: null });
    $("start").disabled = false;
    $("stop").disabled = true;
    setState("idle");
  }

  $("start").addEventListener("click", start);
  $("stop").addEventListener("click", stop);
  window.remoteMedia.start = start;
  window.remoteMedia.stop = stop;
  // ?autostart=1 starts the call on load (kiosks, headless tests); browsers may still ask for the microphone.
  if (new URLSearchParams(location.search).get("autostart") === "1") start();
})();
