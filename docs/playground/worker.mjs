// The playground's worker: Pyodide, chainrule and the runner live here, so the
// page stays responsive (and redraws the decision boundary) while Python runs.
// Everything is loaded from this folder: no CDN, no network.
//
// The fast start: restore a snapshot of Python's memory taken when the site was
// built (scripts/playground_snapshot.mjs), in which the runner, autograd and nn
// are already imported, then write the wheels' files (for tracebacks' source
// lines and for modules imported later).  Starting Python and importing the
// package otherwise takes most of the load time.  If there is no snapshot or it
// does not restore, the worker starts Python from scratch and installs the wheels.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";

const here = (path) => new URL(path, import.meta.url).href;
const send = (msg) => postMessage(JSON.stringify(msg));
const indexURL = here("./vendor/pyodide/");
let runner = null;

async function bytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function gunzip(data) {
  // a server may already have decoded it (Content-Encoding: gzip): look for gzip's magic number
  if (data[0] !== 0x1f || data[1] !== 0x8b) return data;
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function writeFiles(pyodide, files) {
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  for (const [name, text] of Object.entries(files)) {
    const file = `${sitePackages}/${name}`;
    pyodide.FS.mkdirTree(file.slice(0, file.lastIndexOf("/")));
    pyodide.FS.writeFile(file, text);
  }
}

async function fromSnapshot(manifest, runnerCode, step) {
  step("Loading Python (Pyodide) with chainrule already imported (a snapshot made when the site was built)…");
  const snapshot = bytes(here("wheels/" + manifest.snapshot)).then(gunzip);
  const files = bytes(here("wheels/" + manifest.files))
    .then(gunzip)
    .then((data) => JSON.parse(new TextDecoder().decode(data)));
  const pyodide = await loadPyodide({ indexURL, _loadSnapshot: snapshot });
  step("Writing chainrule's files…");
  writeFiles(pyodide, await files);
  pyodide.FS.writeFile("/home/pyodide/playground.py", await runnerCode); // imported already: for tracebacks
  // the snapshot froze the random module's state: seed it afresh, as a new Python would be
  pyodide.runPython("import random; random.seed()");
  return pyodide;
}

async function fromScratch(manifest, runnerCode, step) {
  step("Loading Python (Pyodide, Python compiled to WebAssembly)…");
  const pyodide = await loadPyodide({ indexURL });
  step("Installing chainrule and its dependencies (local wheels)…");
  // Pyodide installs wheels from URLs itself; micropip would add ~2.5 s (its own wheel and import) for nothing
  await pyodide.loadPackage(manifest.wheels.map((w) => here("wheels/" + w)), { checkIntegrity: false });
  step("Importing autograd and nn…");
  pyodide.FS.writeFile("/home/pyodide/playground.py", await runnerCode);
  pyodide.runPython(manifest.setup);
  return pyodide;
}

async function start() {
  const t0 = performance.now();
  const step = (text) => send({ type: "status", text, ms: Math.round(performance.now() - t0) });
  const runnerCode = fetch(here("runner.py")).then((r) => r.text());
  const manifest = await (await fetch(here("wheels/manifest.json"))).json();
  let pyodide = null;
  let how = "snapshot";
  if (manifest.snapshot) {
    try {
      pyodide = await fromSnapshot(manifest, runnerCode, step);
    } catch (e) {
      const why = String((e && e.message) || e).split("\n")[0];
      step(`The snapshot did not load (${why}): starting Python from scratch…`);
    }
  }
  if (pyodide === null) {
    how = "scratch";
    pyodide = await fromScratch(manifest, runnerCode, step);
  }
  runner = pyodide.pyimport("playground");
  send({ type: "ready", ms: Math.round(performance.now() - t0), chainrule: manifest.chainrule, how });
}

const started = start().catch((e) => send({ type: "fatal", text: String((e && e.stack) || e) }));

onmessage = async (event) => {
  await started;
  const { type, code, id } = event.data;
  if (type !== "run" || !runner) return;
  const t0 = performance.now();
  let ok = false;
  try {
    ok = runner.run(code);
  } catch (e) {
    send({ type: "error", text: String(e) });
  }
  send({ type: "done", id, ok, ms: Math.round(performance.now() - t0) });
};
