import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../bot/http-server.ts';
import { cases } from '../../db/schema/index.ts';
import { LOGGER_OPTIONS } from '../../lib/logger.ts';
import { ENGINES, openTestDb, type TestDb } from '../support/test-db.ts';

const PNR = '199104123188';
const NAME = 'Elsa Berg';

/** A logger with the production options that keeps its lines for the test to read. */
function linesLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug', ...LOGGER_OPTIONS }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

describe.each(ENGINES)('a database error in the log on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps the error code and drops the query parameters (names, personnummer)', async () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const row = { caseRef: 'FF-2026-7101', routineId: 'ramavtal-bb', routineVersion: 1, status: 'open', clientInitials: 'E.B.', pnrCipher: `${NAME} ${PNR}`, state: { name: NAME }, createdAt: now, updatedAt: now };
    await t.db.insert(cases).values(row);
    const err = await t.db.insert(cases).values(row).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    // Unredacted, the error does carry the data: the test would catch a serializer that lets it through.
    expect(JSON.stringify({ message: (err as Error).message, ...(err as object) })).toContain(PNR);

    const { logger, lines } = linesLogger();
    logger.error({ code: 'DB_WRITE_FAILED', err }, 'write failed');
    const [line] = lines;
    expect(line).toBeDefined();
    expect(line).not.toContain(PNR);
    expect(line).not.toContain(NAME);
    expect(JSON.parse(line!)).toMatchObject({ code: 'DB_WRITE_FAILED', err: { cause: { code: '23505' } } });
  });
});

describe('a bad body to /api/messages', () => {
  let http: HttpServer;
  let base = '';
  const { logger, lines } = linesLogger();
  beforeAll(async () => {
    http = createHttpServer({
      logger,
      health: () => Promise.resolve({ ok: true, detail: {} }),
      mount: (app) => app.post('/api/messages', (_req, res) => void res.status(200).json({})),
    });
    const address = await http.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => http.close(1000));

  const post = (body: string) => fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers 400 to malformed JSON and logs its size, not its content', async () => {
    const body = `{"text": "${NAME} ${PNR}", `;
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'BAD_REQUEST', message: 'Begäran kunde inte tolkas.' });
    const logged = lines.filter((l) => l.includes('BODY_MALFORMED'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ sizeBytes: Buffer.byteLength(body) });
    expect(lines.join('\n')).not.toContain(PNR);
  });

  it('answers 413 to a body over the limit and logs its size only', async () => {
    const body = JSON.stringify({ text: `${NAME} ${PNR} `.repeat(60_000) });
    const res = await post(body);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'BODY_TOO_LARGE' });
    const logged = lines.filter((l) => l.includes('BODY_TOO_LARGE'));
    expect(JSON.parse(logged[0]!)).toMatchObject({ sizeBytes: Buffer.byteLength(body) });
    expect(lines.join('\n')).not.toContain(NAME);
  });
});
