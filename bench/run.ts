// npm run bench -- <name>: runs one benchmark; each prints its figures and, last, one JSON line.
const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  scan: () => import("./scan.js"),
  search: () => import("./search.js"),
  convert: () => import("./convert.js"),
  upload: () => import("./upload.js"),
  sync: () => import("./sync.js"),
  jobs: () => import("./jobs.js"),
  cluster: () => import("./cluster.js"),
};

const name = process.argv[2] ?? "";
const load = BENCHMARKS[name];
if (load === undefined) {
  process.stderr.write(`Usage: npm run bench -- <${Object.keys(BENCHMARKS).join("|")}>\n`);
  process.exit(2);
}
await load();
