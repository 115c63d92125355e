#!/usr/bin/env node
// Entry for `npm start` and `npx boendelotsen …`: plain node on the compiled JavaScript in dist/,
// so signals reach the process that serves (no loader process in between).
import { ensureBuilt } from './ensure-build.js';

try {
  ensureBuilt();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const { main } = await import('../dist/main.js');
await main(process.argv.slice(2));
