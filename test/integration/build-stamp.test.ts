import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript without types (it runs before anything is built)
import { isStale, ROOT } from '../../bin/ensure-build.js';

const probe = path.join(ROOT as string, 'domain', `lint-probe-${process.pid}-stamp.ts`);

describe('the build stamp', () => {
  afterAll(() => rmSync(probe, { force: true }));

  it('is not made stale by the linter’s probe files, which other tests write while apps start', () => {
    // The global set-up built dist/ from these sources.
    expect((isStale as () => boolean)()).toBe(false);
    writeFileSync(probe, 'export const now = new Date();\n');
    expect((isStale as () => boolean)()).toBe(false);
    rmSync(probe);
    expect((isStale as () => boolean)()).toBe(false);
  });
});
