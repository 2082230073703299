#!/usr/bin/env node
// `npm start`: Node-RED 4.1 on 127.0.0.1:1880 with a project-local user directory (.node-red/, git-ignored),
// this pack linked in, and on first run the capture example flow deployed on a replay virtual board.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { prepareUserDir, nodeRedScript, root } = require('./user-dir');

const port = Number(process.env.PORT || 1880);
const userDir = path.join(root, '.node-red');
const firstRun = !fs.existsSync(path.join(userDir, 'flows.json'));
const settingsPath = prepareUserDir(userDir, {
  port,
  flowsFrom: path.join(root, 'examples', 'flows', 'capture-demo.json'),
});
if (firstRun) console.log('tinyml: deployed the capture example flow (replay virtual board) into .node-red/flows.json');

const child = spawn(process.execPath, [nodeRedScript(), '--userDir', userDir, '--settings', settingsPath], { stdio: 'inherit' });
console.log(`tinyml: open http://127.0.0.1:${port}/ : samples appear in the debug sidebar`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
