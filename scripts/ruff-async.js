// Ruff's flake8-async (ASYNC) rules as WebAssembly, for scripts/eval-ranking.
// Usage: node scripts/ruff-async.js < file-list   (one path per line; relative paths stay relative)
// Prints one JSON line {path, line, code, message} per diagnostic. Needs @astral-sh/ruff-wasm-nodejs
// on NODE_PATH (eval-ranking installs it under .cache/ruff).
const { Workspace, PositionEncoding } = require("@astral-sh/ruff-wasm-nodejs");
const fs = require("fs");

const workspace = new Workspace({ lint: { select: ["ASYNC"] } }, PositionEncoding.UTF8);
const paths = fs.readFileSync(0, "utf8").split("\n").filter((p) => p.length > 0);
for (const path of paths) {
  let text;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    console.error(`${path}: ${e.message}`);
    continue;
  }
  let diagnostics;
  try {
    diagnostics = workspace.check(text);
  } catch (e) {
    // A file Ruff cannot parse yields no findings; say so rather than stop the whole run.
    console.error(`${path}: ${e}`);
    continue;
  }
  for (const d of diagnostics) {
    if (!d.code || !d.code.startsWith("ASYNC")) continue;
    console.log(JSON.stringify({ path, line: d.start_location.row, code: d.code, message: d.message }));
  }
}
