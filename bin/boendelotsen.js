#!/usr/bin/env node
// Entry for `npx boendelotsen …`: runs the TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register();
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await import(path.join(root, 'main.ts'));
