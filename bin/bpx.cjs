#!/usr/bin/env node
// Runs the bundled CLI; `npm run build` writes dist/bpx.cjs (a CommonJS entry: Node starts it without its ES module
// loader, which only the commands' chunks need).
require('../dist/bpx.cjs');
