/**
 * `npm run manifest`: fills manifest/manifest.template.json with the bot id from config
 * (MICROSOFT_APP_ID), validates it offline against the schema bundled in @microsoft/app-manifest,
 * and zips it with the icons into manifest/build/boendelotsen.zip for upload to Teams.
 */
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, readEnvironment } from '../config.ts';
import { renderManifest, validateOffline } from './manifest-content.ts';

type Archive = { pipe: (s: NodeJS.WritableStream) => void; append: (b: Buffer | string, o: { name: string }) => void; finalize: () => Promise<void>; on: (e: 'error', f: (err: Error) => void) => void };
const archiver = createRequire(import.meta.url)('archiver') as (format: 'zip', opts: { zlib: { level: number } }) => Archive;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'manifest');
const OUT = path.join(DIR, 'build', 'boendelotsen.zip');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function main(): Promise<number> {
  const config = loadConfig(readEnvironment());
  const botId = config.bot.appId;
  if (!botId || !GUID.test(botId)) {
    process.stderr.write('MICROSOFT_APP_ID måste vara satt till botens app-id (ett GUID) för att bygga Teams-paketet.\n');
    return 78;
  }
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const manifest = renderManifest(config, version);
  if (!manifest.staticTabs) process.stderr.write('TAB_PUBLIC_URL är inte satt: paketet får ingen översiktsflik.\n');

  // Offline: the schema ships with @microsoft/app-manifest (validateManifest would fetch it).
  const version_ = manifest.manifestVersion;
  const errors = await validateOffline(manifest);
  if (errors.length > 0) {
    process.stderr.write(`Manifestet är ogiltigt (schema v${version_}):\n${errors.map((e) => `  - ${e}`).join('\n')}\n`);
    return 1;
  }

  mkdirSync(path.dirname(OUT), { recursive: true });
  const zip = archiver('zip', { zlib: { level: 9 } });
  const done = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(OUT);
    out.on('close', resolve);
    zip.on('error', reject);
    zip.pipe(out);
  });
  zip.append(`${JSON.stringify(manifest, null, 2)}\n`, { name: 'manifest.json' });
  zip.append(readFileSync(path.join(DIR, 'color.png')), { name: 'color.png' });
  zip.append(readFileSync(path.join(DIR, 'outline.png')), { name: 'outline.png' });
  await zip.finalize();
  await done;
  process.stdout.write(`${path.relative(ROOT, OUT)} skrivet (manifest v${version_}, bot ${botId}${manifest.staticTabs ? ', med översiktsfliken' : ''})\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`Teams-paketet kunde inte byggas: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
