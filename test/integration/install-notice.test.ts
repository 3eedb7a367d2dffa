import { expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const NOTICE = fileURLToPath(new URL("../../bin/install-notice.js", import.meta.url));
const run = (agent: string): string =>
  spawnSync(process.execPath, [NOTICE], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", npm_config_user_agent: agent } }).stdout;

test("npm install on an older Node says in one plain sentence which Node runs vidlib; on Node 24 it says nothing", () => {
  const older = run("npm/11.19.1 node/v20.20.2 linux x64 workspaces/false");
  expect(older).toBe(
    "vidlib runs on Node.js 24. This npm runs on Node 20.20.2, so npm install has added Node 24 to the project\n" +
    "(node_modules/.bin/node): npm start, npm test and npx vidlib use it. Nothing else is needed.\n");
  expect(older).not.toMatch(/warn|error|EBADENGINE/iu);
  expect(run("npm/11.6.0 node/v24.21.0 linux x64 workspaces/false")).toBe("");
  expect(run("")).toBe("");
});
