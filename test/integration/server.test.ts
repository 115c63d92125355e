import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { inject } from 'vitest';
import { startApp } from '../support/app-process.ts';
import { createPostgresDatabase } from '../support/test-db.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'boendelotsen-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type Health = { status: string; database: string; migration: string; starts: number };

describe('the service as a user starts it', () => {
  it('starts on PGlite, answers /healthz, stops cleanly on SIGTERM and keeps its data for the next start', async () => {
    const first = await startApp({ DATA_DIR: dataDir });
    const h1 = (await (await fetch(`${first.baseUrl}/healthz`)).json()) as Health;
    expect(h1).toMatchObject({ status: 'ok', database: 'pglite', starts: 1 });
    expect(h1.migration).toMatch(/^\d{4}_/);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    const second = await startApp({ DATA_DIR: dataDir });
    const h2 = (await (await fetch(`${second.baseUrl}/healthz`)).json()) as Health;
    expect(h2.starts).toBe(2);
    expect(await second.stop('SIGINT')).toBe(0);
  });

  it('answers 503 on /healthz when the database goes away', async () => {
    const url = await createPostgresDatabase();
    const app = await startApp({ DATABASE_URL: url });
    const ok = (await (await fetch(`${app.baseUrl}/healthz`)).json()) as Health;
    expect(ok).toMatchObject({ status: 'ok', database: 'postgres' });

    const admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database ${url.split('/').pop()} with (force)`);
    await admin.end();

    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable' });
    expect(await app.stop()).toBe(0);
  });

  it('refuses to start with a bad setting and names it', async () => {
    const app = await startApp({ DATA_DIR: dataDir, PORT: 'inte-en-port' }, { waitHealthy: false });
    expect(await app.exited).toBe(78);
    expect(app.output()).toMatch(/PORT \("inte-en-port"\)/);
  });
});
