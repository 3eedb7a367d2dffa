#!/usr/bin/env node
// The CLI runs from the compiled output; `npm install` builds it (prepare), `npm run build` rebuilds it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// better-sqlite3 13 crashes (it does not fail politely) on an older Node, so check before loading it.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(
    `vidlib needs Node.js 24 or newer; this is ${process.versions.node}.\n` +
    "Run it as `npx vidlib …` inside the vidlib folder (npm install put Node 24 in node_modules/.bin), or install Node.js 24 LTS.\n");
  process.exit(2);
}
const entry = new URL("../dist/src/cli/index.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("vidlib is not built yet: run `npm run build` in the vidlib folder first.\n");
  process.exit(1);
}
const { cliMain } = await import(entry.href);
await cliMain();
