// Prepares a Node-RED user directory with this pack linked in: used by `npm start` and the browser tests.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/**
 * @param {string} userDir
 * @param {{ port: number, flowsFrom?: string, replayDirs?: string[] }} opts
 * @returns {string} the settings file path
 */
function prepareUserDir(userDir, opts) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  fs.mkdirSync(userDir, { recursive: true });

  // Link the pack the way `npm install <folder>` would, so Node-RED loads it as a module with its examples.
  const [scope, name] = pkg.name.split('/');
  const scopeDir = path.join(userDir, 'node_modules', scope);
  const linkPath = path.join(scopeDir, name);
  fs.mkdirSync(scopeDir, { recursive: true });
  if (!fs.existsSync(linkPath)) fs.symlinkSync(root, linkPath, 'dir');

  const settingsPath = path.join(userDir, 'settings.js');
  if (!fs.existsSync(settingsPath)) {
    const settings = {
      uiHost: '127.0.0.1',
      uiPort: opts.port,
      flowFile: 'flows.json',
      credentialSecret: false,
      editorTheme: { projects: { enabled: false }, tours: false },
      logging: { console: { level: 'info', metrics: false, audit: false } },
      telemetry: { enabled: false }, // no prompt, no call home: the pack works offline
      tinyml: { replayDirs: opts.replayDirs || [] },
    };
    fs.writeFileSync(settingsPath,
      `// Node-RED settings for this project (created once; edit freely).\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`);
  }

  const flowsPath = path.join(userDir, 'flows.json');
  if (opts.flowsFrom && !fs.existsSync(flowsPath)) fs.copyFileSync(opts.flowsFrom, flowsPath);
  return settingsPath;
}

/** The Node-RED launcher script of the installed node-red package. */
function nodeRedScript() {
  return require.resolve('node-red/red.js', { paths: [root] });
}

module.exports = { prepareUserDir, nodeRedScript, root };
