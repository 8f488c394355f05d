#!/usr/bin/env node
// The `switchyard` command. Runs the TypeScript sources directly through tsx's loader.
require('tsx/cjs');
require('../src/main.ts');
