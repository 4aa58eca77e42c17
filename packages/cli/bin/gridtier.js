#!/usr/bin/env node
// The installed command: a committed file, so the link exists before the first build.
import '../dist/main.js';
