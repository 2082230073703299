#!/usr/bin/env node
// The `tinyml` command: a thin launcher for the compiled CLI in dist/.
'use strict';
const { main } = require('../dist/src/cli/main.js');
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
