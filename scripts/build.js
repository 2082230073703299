#!/usr/bin/env node
// Build: compile TypeScript to CommonJS in dist/, then copy what Node-RED reads beside the node
// files (editor .html, icons/, locales/), because Node-RED looks for them only next to the .js.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outNodes = path.join(root, 'dist', 'nodes');

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });

fs.mkdirSync(outNodes, { recursive: true });
for (const file of fs.readdirSync(path.join(root, 'nodes'))) {
  if (file.endsWith('.html')) fs.copyFileSync(path.join(root, 'nodes', file), path.join(outNodes, file));
}
for (const dir of ['icons', 'locales']) {
  const src = path.join(root, dir);
  if (fs.existsSync(src)) fs.cpSync(src, path.join(outNodes, dir), { recursive: true });
}
