#!/usr/bin/env node
// The esmctl command: runs the compiled CLI (npm ci runs `prepare`, which builds dist/).
import '../dist/cli/main.js';
