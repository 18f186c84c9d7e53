// The playground page: an editor, Run, the printed output, the drawing (DOT from
// draw_dot, rendered by Graphviz in WebAssembly), the step-through of the last
// backward(), and a live decision boundary. Python runs in worker.mjs.

const EXAMPLES = [
  { file: "examples/chain_rule.py", title: "L = a·b + a (the README's example)" },
  { file: "examples/neuron.py", title: "A neuron: tanh(x·w + b)" },
  { file: "examples/moons.py", title: "Training: an MLP on two moons" },
];

const $ = (id) => document.getElementById(id);
const state = { ready: false, readyMs: null, how: null, log: [], runs: 0, boundaryUpdates: 0, frames: [], captions: [], frame: 0 };
window.playground = state; // read by the tests
let graphviz = null; // loaded after the worker has started: Python's start is the long part
let worker = null;
let timer = null;
let runId = 0;
const t0 = performance.now();
const EMPTY_GRAPH = document.getElementById("graph").innerHTML;

function setStatus(text, kind = "busy") {
  const el = $("status");
  el.textContent = text;
  el.className = kind;
}

async function svgOf(dot) {
  return (await graphviz).dot(dot);
}

const BACKWARD_TITLE = document.getElementById("graph-title").innerHTML;
async function showDot(dot, shown) {
  // a drawing made by show() is the user's choice, not necessarily the last backward's graph
  $("graph-title").innerHTML = shown ? "Graph drawn by <code>show()</code>" : BACKWARD_TITLE;
  $("graph").innerHTML = await svgOf(dot);
}

function showNote(text) {
  const p = document.createElement("p");
  p.textContent = text;
  $("notes").appendChild(p);
}

// --- the step-through player -------------------------------------------------
const frameCache = new Map();
async function showFrame(k) {
  const n = state.frames.length;
  state.frame = Math.max(0, Math.min(n - 1, k));
  const i = state.frame;
  $("slider").value = i;
  $("counter").textContent = `${i + 1} / ${n}`;
  $("caption").textContent = state.captions[i];
  if (!frameCache.has(i)) frameCache.set(i, await svgOf(state.frames[i]));
  if (state.frame === i) $("frame").innerHTML = frameCache.get(i);
}
function stopPlaying() {
  if (timer) clearInterval(timer);
  timer = null;
  $("play").textContent = "▶ play";
}
$("prev").onclick = () => { stopPlaying(); showFrame(state.frame - 1); };
$("next").onclick = () => { stopPlaying(); showFrame(state.frame + 1); };
$("slider").oninput = () => { stopPlaying(); showFrame(parseInt($("slider").value, 10)); };
$("play").onclick = () => {
  if (timer) return stopPlaying();
  if (state.frame >= state.frames.length - 1) showFrame(0);
  $("play").textContent = "❚❚ pause";
  timer = setInterval(() => (state.frame >= state.frames.length - 1 ? stopPlaying() : showFrame(state.frame + 1)), 900);
};
$("player").tabIndex = 0;
$("player").onkeydown = (e) => {
  if (e.key === "ArrowRight") $("next").onclick();
  else if (e.key === "ArrowLeft") $("prev").onclick();
};

// --- the decision boundary ---------------------------------------------------
function drawBoundary(msg) {
  const canvas = $("boundary");
  const ctx = canvas.getContext("2d");
  const { n, z, X, y, title } = msg;
  const [x0, x1, y0, y1] = msg.bounds;
  const w = canvas.width, h = canvas.height, cw = w / n, ch = h / n;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const s = z[j * n + i];
      const a = 0.25 + 0.5 * Math.min(1, Math.abs(Math.tanh(s)));
      ctx.fillStyle = s > 0 ? `rgba(230, 120, 20, ${a})` : `rgba(40, 110, 200, ${a})`;
      ctx.fillRect(Math.floor(i * cw), Math.floor(j * ch), Math.ceil(cw), Math.ceil(ch));
    }
  }
  for (let k = 0; k < X.length; k++) {
    const px = ((X[k][0] - x0) / (x1 - x0)) * w, py = ((y1 - X[k][1]) / (y1 - y0)) * h;
    ctx.beginPath();
    ctx.arc(px, py, 4, 0, 2 * Math.PI);
    ctx.fillStyle = y[k] > 0 ? "#b34700" : "#0b3d91";
    ctx.fill();
    ctx.strokeStyle = "white";
    ctx.stroke();
  }
  $("training").hidden = false;
  $("boundary-title").textContent = title;
  state.boundaryUpdates += 1;
}

// --- the worker --------------------------------------------------------------
function onMessage(event) {
  const msg = JSON.parse(event.data);
  switch (msg.type) {
    case "status":
      state.log.push([msg.text, msg.ms]);
      setStatus(`${msg.text} (${(msg.ms / 1000).toFixed(1)} s)`);
      break;
    case "ready":
      state.log.push(["ready", msg.ms]);
      state.ready = true;
      state.how = msg.how; // "snapshot", or "scratch" when Python had to start from nothing
      state.readyMs = Math.round(performance.now() - t0);
      $("version").textContent = msg.chainrule;
      setStatus(`Ready in ${(state.readyMs / 1000).toFixed(1)} s. Edit the code and press Run (Ctrl+Enter).`, "ok");
      document.body.dataset.state = "ready";
      $("run").disabled = false;
      if (state.runs === 0) run();
      break;
    case "stdout":
      $("output").textContent += msg.text;
      break;
    case "error":
      $("error").hidden = false;
      $("error").textContent += msg.text;
      break;
    case "note":
      showNote(msg.text);
      break;
    case "dot":
      showDot(msg.dot, msg.shown);
      break;
    case "steps":
      state.frames = msg.dots;
      state.captions = msg.captions;
      frameCache.clear();
      $("slider").max = msg.dots.length - 1;
      $("player").hidden = false;
      showFrame(0);
      break;
    case "boundary":
      drawBoundary(msg);
      break;
    case "done":
      state.runs += 1;
      document.body.dataset.state = "ready";
      $("run").disabled = false;
      $("stop").disabled = true;
      if (msg.ok) {
        const ran = `Ran in ${(msg.ms / 1000).toFixed(2)} s.`;
        // the first run follows the load at once: keep saying how long the load took
        setStatus(state.runs === 1 ? `Ready in ${(state.readyMs / 1000).toFixed(1)} s (Python and chainrule). ${ran}` : ran, "ok");
      } else {
        setStatus("Your code raised an exception: its traceback is below the output.", "bad");
      }
      break;
    case "fatal":
      document.body.dataset.state = "failed";
      setStatus("The playground could not start: " + msg.text, "bad");
      break;
  }
}

function startWorker() {
  worker = new Worker(new URL("worker.mjs", import.meta.url), { type: "module" });
  worker.onmessage = onMessage;
  worker.onerror = (e) => setStatus("The playground's worker failed: " + (e.message || e), "bad");
}

function run() {
  if (!state.ready) return;
  stopPlaying();
  $("output").textContent = "";
  $("error").textContent = "";
  $("error").hidden = true;
  $("notes").innerHTML = "";
  // a run's panes show only what this run made
  $("graph").innerHTML = EMPTY_GRAPH;
  $("graph-title").innerHTML = BACKWARD_TITLE;
  $("player").hidden = true;
  $("training").hidden = true;
  state.frames = [];
  $("run").disabled = true;
  $("stop").disabled = false;
  document.body.dataset.state = "running";
  setStatus("Running…");
  worker.postMessage({ type: "run", code: $("code").value, id: ++runId });
}

function stop() {
  // Python cannot be interrupted from here: end the worker and start a fresh one
  worker.terminate();
  state.ready = false;
  state.runs += 1;
  $("run").disabled = true;
  $("stop").disabled = true;
  showNote("Stopped. Python is restarting…");
  startWorker();
}

$("run").onclick = run;
$("stop").onclick = stop;
$("code").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    if (!$("run").disabled) run();
  } else if (e.key === "Tab") {
    e.preventDefault();
    const el = e.target, s = el.selectionStart;
    el.setRangeText("    ", s, el.selectionEnd, "end");
  }
});

async function loadExamples() {
  const select = $("example");
  const codes = await Promise.all(EXAMPLES.map(async (ex) => (await fetch(ex.file)).text()));
  EXAMPLES.forEach((ex, i) => {
    ex.code = codes[i];
    select.add(new Option(ex.title, String(i)));
  });
  select.onchange = () => {
    $("code").value = EXAMPLES[select.value].code;
    if (state.ready) run();
  };
  $("code").value = EXAMPLES[0].code;
}

setStatus("Loading the page…");
startWorker();
// Graphviz (WebAssembly, 0.8 MB of script) loads while Python starts, not before it
graphviz = import("./vendor/graphviz/index.js").then((m) => m.Graphviz.load());
loadExamples();
