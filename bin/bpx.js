#!/usr/bin/env node
// Runs the bundled CLI; `npm run build` writes dist/bpx.mjs.
import '../dist/bpx.mjs';
