#!/usr/bin/env node
// The `switchyard` command. Runs the TypeScript sources directly through tsx's loader. `dev` and
// `simulator` start servers and load the whole stack; every other command loads only the client
// side, so it starts in a fraction of the time.
require('tsx/cjs');
const servers = new Set(['dev', 'simulator']);
require(servers.has(process.argv[2]) ? '../src/server-main.ts' : '../src/main.ts');
