// Make the playground's Python snapshot (run by scripts/build_site.py, with Node):
//
//     node scripts/playground_snapshot.mjs site/playground
//
// Starts the Pyodide runtime from node_modules/ (the same files the site copies),
// writes the wheels' files (manifest.files, made from them) and the runner
// where the page writes them, runs manifest.setup (imports the runner, autograd
// and nn), as the page's worker does when it has no snapshot, and saves the interpreter's memory,
// gzipped, as manifest.snapshot in wheels/.  The page restores it instead of
// starting Python and importing the package (most of its load time); see worker.mjs.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const playground = path.resolve(process.argv[2] ?? path.join(root, "site", "playground"));
const wheels = path.join(playground, "wheels");
const t0 = performance.now();

// sys.executable as in a browser (Node would give it this script's path)
const pyodide = await loadPyodide({ _makeSnapshot: true, _sysExecutable: "./this.program" });
const manifest = JSON.parse(fs.readFileSync(path.join(wheels, "manifest.json"), "utf8"));
const files = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(wheels, manifest.files))).toString("utf8"));
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const [name, text] of Object.entries(files)) {
  const file = `${sitePackages}/${name}`;
  pyodide.FS.mkdirTree(file.slice(0, file.lastIndexOf("/")));
  pyodide.FS.writeFile(file, text);
}
pyodide.FS.writeFile("/home/pyodide/playground.py", fs.readFileSync(path.join(playground, "runner.py"), "utf8"));
pyodide.runPython(manifest.setup); // what the page runs when it has no snapshot
const snapshot = pyodide.makeMemorySnapshot();
const gz = zlib.gzipSync(snapshot, { level: 6 });
fs.writeFileSync(path.join(wheels, manifest.snapshot), gz);
const mb = (n) => (n / 1e6).toFixed(1);
console.log(`snapshot: ${mb(snapshot.length)} MB of memory, ${mb(gz.length)} MB gzipped, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
