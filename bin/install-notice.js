#!/usr/bin/env node
// Says, once per install, which Node runs vidlib when the npm doing the install runs on an older one.
// (npm runs this script with the project's own Node 24, so npm's Node is read from its user agent.)
const agent = process.env.npm_config_user_agent ?? "";
const npmNode = /\bnode\/v((\d+)\.[\d.]+)/u.exec(agent);
if (npmNode !== null && Number(npmNode[2]) < 24) {
  process.stdout.write(
    `vidlib runs on Node.js 24. This npm runs on Node ${npmNode[1]}, so npm install has added Node 24 to the project\n` +
    "(node_modules/.bin/node): npm start, npm test and npx vidlib use it. Nothing else is needed.\n");
}
