// The playground's worker: Pyodide, chainrule and the runner live here, so the
// page stays responsive (and redraws the decision boundary) while Python runs.
// Everything is loaded from this folder: no CDN, no network.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";

const here = (path) => new URL(path, import.meta.url).href;
const send = (msg) => postMessage(JSON.stringify(msg));
let runner = null;

async function start() {
  const t0 = performance.now();
  const step = (text) => send({ type: "status", text, ms: Math.round(performance.now() - t0) });
  step("Loading Python (Pyodide, Python compiled to WebAssembly)…");
  const pyodide = await loadPyodide({ indexURL: here("./vendor/pyodide/") });
  step("Installing chainrule and its dependencies (local wheels)…");
  const manifest = await (await fetch(here("wheels/manifest.json"))).json();
  // Pyodide installs wheels from URLs itself; micropip would add ~2.5 s (its own wheel and import) for nothing
  await pyodide.loadPackage(manifest.wheels.map((w) => here("wheels/" + w)), { checkIntegrity: false });
  step("Importing autograd and nn…");
  pyodide.FS.writeFile("/home/pyodide/playground.py", await (await fetch(here("runner.py"))).text());
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide'); import playground, autograd, nn");
  runner = pyodide.pyimport("playground");
  send({ type: "ready", ms: Math.round(performance.now() - t0), chainrule: manifest.chainrule });
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
