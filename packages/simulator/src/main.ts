import { runStandalone } from './run-standalone';

// Standalone entry point: `tsx src/main.ts --latency 800ms --rpm 60`.
runStandalone(process.argv.slice(2), process.env);
