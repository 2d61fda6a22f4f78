// Hark's player, one for the site and the embed. Without this script every player is the
// browser's own <audio controls>, which keeps working. With it: play/pause, seek, back 15 s,
// forward 30 s, speed 0.5-3x, keyboard keys, the position of each episode kept in localStorage
// and resumed, Media Session metadata, and on the site a "play next" queue. On the site the one
// <audio> lives in the dock outside <main>, which app.js swaps on navigation, so playback goes on
// while the user browses.

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3];
const posKey = (id) => "hark:pos:" + id;
const QUEUE_KEY = "hark:queue";
const NOW_KEY = "hark:now";

const store = {
  get(key, fallback) {
    try {
      const v = localStorage.getItem(key);
      return v === null ? fallback : JSON.parse(v);
    } catch (e) {
      return fallback; // storage off (private mode, an embed's partitioned storage full)
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // nothing to keep it in; the player still plays
    }
  },
};

// episodeOf reads an episode from an element's data-ep-* attributes.
export function episodeOf(el) {
  const d = el.dataset;
  return { id: d.epId, title: d.epTitle || "", podcast: d.epPodcast || "", audio: d.epAudio,
    image: d.epImage || "", url: d.epUrl || "" };
}

function clock(sec) {
  if (!isFinite(sec) || sec < 0) sec = 0;
  sec = Math.floor(sec);
  const h = Math.floor(sec / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

// Player drives one <audio> with controls built into ui.
export class Player {
  constructor(audio, ui) {
    this.audio = audio;
    this.episode = null;
    this.pendingSeek = null;
    this.savedAt = 0;
    audio.removeAttribute("controls");
    this.build(ui);
    this.listen();
  }

  build(ui) {
    ui.classList.add("player-ui");
    this.now = el("span", { class: "now" });
    this.playBtn = el("button", { type: "button", class: "pp", "aria-label": "Play" }, "▶");
    const back = el("button", { type: "button", "aria-label": "Back 15 seconds" }, "↺15");
    const fwd = el("button", { type: "button", "aria-label": "Forward 30 seconds" }, "30↻");
    this.seek = el("input", { type: "range", min: "0", max: "0", step: "1", value: "0", "aria-label": "Position" });
    this.time = el("span", { class: "time", "aria-live": "off" }, "0:00");
    this.speed = el("select", { "aria-label": "Speed" });
    for (const s of SPEEDS) {
      const o = el("option", { value: String(s) }, s + "×");
      if (s === 1) o.selected = true;
      this.speed.appendChild(o);
    }
    back.addEventListener("click", () => this.skip(-15));
    fwd.addEventListener("click", () => this.skip(30));
    this.playBtn.addEventListener("click", () => this.toggle());
    this.seek.addEventListener("input", () => { this.audio.currentTime = Number(this.seek.value); });
    this.speed.addEventListener("change", () => this.setRate(Number(this.speed.value)));
    const row = el("div", { class: "controls" });
    row.append(this.playBtn, back, fwd, this.seek, this.time, this.speed);
    ui.append(this.now, row);
  }

  listen() {
    const a = this.audio;
    a.addEventListener("play", () => this.paint());
    a.addEventListener("pause", () => { this.paint(); this.save(true); });
    a.addEventListener("loadedmetadata", () => {
      if (this.pendingSeek !== null) {
        a.currentTime = Math.min(this.pendingSeek, a.duration || this.pendingSeek);
        this.pendingSeek = null;
      }
      this.paint();
    });
    a.addEventListener("timeupdate", () => { this.paint(); this.save(false); });
    a.addEventListener("ended", () => {
      if (this.episode) store.set(posKey(this.episode.id), 0);
      this.onEnded && this.onEnded();
    });
    a.addEventListener("ratechange", () => { this.speed.value = String(a.playbackRate); });
  }

  // load makes ep the current episode, resumed where it was left, at seekTo when given.
  load(ep, seekTo) {
    if (!this.episode || this.episode.id !== ep.id) {
      this.episode = ep;
      this.audio.src = ep.audio;
      this.pendingSeek = store.get(posKey(ep.id), 0) || null;
      this.now.textContent = ep.title + (ep.podcast ? " · " + ep.podcast : "");
      this.mediaSession();
      document.dispatchEvent(new CustomEvent("hark:episode", { detail: ep }));
    }
    if (seekTo !== undefined) {
      if (this.audio.readyState >= 1) this.audio.currentTime = seekTo;
      else this.pendingSeek = seekTo;
    }
  }

  play() {
    const p = this.audio.play();
    if (p && p.catch) p.catch(() => this.paint());
  }

  toggle() {
    if (!this.episode) return;
    if (this.audio.paused) this.play(); else this.audio.pause();
  }

  skip(sec) {
    const a = this.audio;
    const t = (this.pendingSeek !== null ? this.pendingSeek : a.currentTime) + sec;
    const end = isFinite(a.duration) ? a.duration : Infinity;
    const to = Math.max(0, Math.min(t, end));
    if (a.readyState >= 1) a.currentTime = to; else this.pendingSeek = to;
    this.paint();
  }

  setRate(r) {
    this.audio.playbackRate = Math.min(3, Math.max(0.5, r));
    store.set("hark:rate", this.audio.playbackRate);
  }

  // save keeps the position of the current episode, at most every 2 s unless now.
  save(now) {
    if (!this.episode) return;
    const t = Date.now();
    if (!now && t - this.savedAt < 2000) return;
    this.savedAt = t;
    store.set(posKey(this.episode.id), Math.floor(this.audio.currentTime));
  }

  paint() {
    const a = this.audio;
    const playing = !a.paused;
    this.playBtn.textContent = playing ? "❚❚" : "▶";
    this.playBtn.setAttribute("aria-label", playing ? "Pause" : "Play");
    const d = isFinite(a.duration) ? a.duration : 0;
    this.seek.max = String(Math.floor(d));
    this.seek.value = String(Math.floor(a.currentTime));
    this.time.textContent = clock(a.currentTime) + (d ? " / " + clock(d) : "");
    if ("mediaSession" in navigator) navigator.mediaSession.playbackState = playing ? "playing" : "paused";
  }

  mediaSession() {
    if (!("mediaSession" in navigator) || !this.episode) return;
    const ep = this.episode;
    navigator.mediaSession.metadata = new MediaMetadata({ title: ep.title, artist: ep.podcast, album: ep.podcast,
      artwork: ep.image ? [{ src: ep.image }] : [] });
    const handlers = {
      play: () => this.play(),
      pause: () => this.audio.pause(),
      seekbackward: () => this.skip(-15),
      seekforward: () => this.skip(30),
      seekto: (d) => { this.audio.currentTime = d.seekTime; },
      nexttrack: this.onEnded ? () => this.onEnded() : null,
    };
    for (const [k, h] of Object.entries(handlers)) {
      try { navigator.mediaSession.setActionHandler(k, h); } catch (e) { /* not supported here */ }
    }
  }

  // keys: space or k plays and pauses, ← or j goes back 15 s, → or l forward 30 s, < and > the speed.
  keys(ev) {
    const t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !this.episode) return;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]") && t !== this.seek) return;
    // A focused button or link takes space for itself, as it should; the letters still work.
    if (ev.key === " " && t.closest && t.closest("button, a, summary")) return;
    const i = SPEEDS.indexOf(this.audio.playbackRate);
    const act = {
      " ": () => this.toggle(), k: () => this.toggle(),
      ArrowLeft: () => this.skip(-15), j: () => this.skip(-15),
      ArrowRight: () => this.skip(30), l: () => this.skip(30),
      ">": () => this.setRate(SPEEDS[Math.min(SPEEDS.length - 1, i + 1)] || 1),
      "<": () => this.setRate(SPEEDS[Math.max(0, i - 1)] || 1),
    }[ev.key];
    if (act) { ev.preventDefault(); act(); }
  }
}

// The embed: a player around the page's own audio element.
function startEmbed(root) {
  const audio = root.querySelector("audio");
  const ui = root.querySelector("[data-player-ui]");
  const p = new Player(audio, ui);
  const first = root.querySelector("[data-ep-id]");
  p.load(episodeOf(first));
  p.setRate(store.get("hark:rate", 1));
  document.addEventListener("keydown", (ev) => p.keys(ev));
  root.addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-play]");
    if (!b) return;
    ev.preventDefault();
    p.load(episodeOf(b));
    p.play();
  });
}

// The site: the dock's player, the queue, the play and seek links of whatever page is shown.
function startSite(dock) {
  const p = new Player(dock.querySelector("audio"), dock.querySelector("[data-player-ui]"));
  p.setRate(store.get("hark:rate", 1));
  const queueList = dock.querySelector(".queue ol");
  const queueCount = dock.querySelector(".queue summary");
  const queue = () => store.get(QUEUE_KEY, []);
  const paintQueue = () => {
    const q = queue();
    queueCount.textContent = "Up next (" + q.length + ")";
    queueList.textContent = "";
    for (const ep of q) queueList.appendChild(el("li", {}, ep.title));
  };
  const start = (ep, seekTo) => {
    p.load(ep, seekTo);
    store.set(NOW_KEY, ep);
    dock.hidden = false;
    p.play();
  };
  p.onEnded = () => {
    const q = queue();
    const next = q.shift();
    store.set(QUEUE_KEY, q);
    paintQueue();
    if (next) start(next);
  };
  const last = store.get(NOW_KEY, null);
  if (last && last.audio) {
    p.load(last);
    dock.hidden = false;
  }
  paintQueue();
  window.addEventListener("storage", (ev) => { if (ev.key === QUEUE_KEY) paintQueue(); });
  document.addEventListener("keydown", (ev) => p.keys(ev));
  document.addEventListener("click", (ev) => {
    const play = ev.target.closest("[data-play]");
    const next = ev.target.closest("[data-queue]");
    const seek = ev.target.closest("a[data-t]");
    if (play) {
      ev.preventDefault();
      const ep = episodeOf(play);
      if (p.episode && p.episode.id === ep.id && !p.audio.paused) p.audio.pause();
      else start(ep);
    } else if (next) {
      ev.preventDefault();
      const q = queue().filter((e) => e.id !== next.dataset.epId);
      q.push(episodeOf(next));
      store.set(QUEUE_KEY, q);
      paintQueue();
      next.textContent = "Queued";
      if (!p.episode) {
        start(q.shift());
        store.set(QUEUE_KEY, q);
        paintQueue();
      }
    } else if (seek) {
      const page = document.querySelector("main [data-page-episode]");
      if (!page) return;
      ev.preventDefault();
      start(episodeOf(page), Number(seek.dataset.t));
    }
  });
  const follow = () => followTranscript(p);
  p.audio.addEventListener("timeupdate", follow);
  document.addEventListener("hark:swapped", () => { adoptPagePlayer(); follow(); });
  adoptPagePlayer();
}

// adoptPagePlayer turns an episode page's own <audio> (what works without JavaScript) into a
// button that plays the episode in the dock, so the audio survives navigation.
function adoptPagePlayer() {
  const page = document.querySelector("main [data-page-episode]");
  if (!page) return;
  const own = page.querySelector("audio");
  if (own) own.remove();
  page.querySelectorAll("[data-js-only]").forEach((e) => { e.hidden = false; });
}

// followTranscript marks, in each list that follows playback (the chapters, the transcript), the
// entry at the current time of the page's episode, and keeps it in view in a list that scrolls.
function followTranscript(p) {
  const page = document.querySelector("main [data-page-episode]");
  if (!page || !p.episode || p.episode.id !== page.dataset.epId) return;
  const t = p.audio.currentTime;
  for (const box of document.querySelectorAll("main [data-follow]")) {
    let cur = null;
    for (const l of box.querySelectorAll("[data-start]")) {
      if (Number(l.dataset.start) <= t) cur = l; else break;
    }
    const old = box.querySelector(".current");
    if (old === cur) continue;
    if (old) { old.classList.remove("current"); old.removeAttribute("aria-current"); }
    if (!cur) continue;
    cur.classList.add("current");
    cur.setAttribute("aria-current", "true");
    if (box.scrollHeight > box.clientHeight) {
      box.scrollTop = cur.offsetTop - box.offsetTop - box.clientHeight / 3;
    }
  }
}

const embed = document.querySelector("[data-embed-player]");
const dock = document.getElementById("dock");
if (embed) startEmbed(embed);
else if (dock) startSite(dock);
