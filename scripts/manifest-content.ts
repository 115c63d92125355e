import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManifestUtil, type TeamsAppManifest } from '@microsoft/app-manifest';
import type { Config } from '../config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST_DIR = path.join(ROOT, 'manifest');

/**
 * The app manifest from the template, with the overview tab when TAB_PUBLIC_URL says where Teams
 * reaches the app: a personal tab, a team tab with its configuration page, and the SSO app
 * (webApplicationInfo) whose token the tab asks Teams for.
 */
export function renderManifest(config: Pick<Config, 'bot' | 'tab'>, version: string): TeamsAppManifest {
  const botId = config.bot.appId ?? '';
  const text = readFileSync(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8').replaceAll('{{BOT_ID}}', botId).replaceAll('{{VERSION}}', version);
  const manifest = JSON.parse(text) as TeamsAppManifest;
  const base = config.tab.publicUrl;
  if (base === undefined) return manifest;
  const url = new URL(base);
  const clientId = config.tab.clientId ?? botId;
  const contentUrl = new URL('/tab', url).toString();
  manifest.staticTabs = [{ entityId: 'oversikt', name: 'Översikt', contentUrl, websiteUrl: contentUrl, scopes: ['personal'] }];
  manifest.configurableTabs = [{ configurationUrl: new URL('/tab/config', url).toString(), canUpdateConfiguration: false, scopes: ['team'], context: ['channelTab'] }];
  manifest.webApplicationInfo = { id: clientId, resource: config.tab.resource ?? `api://${url.host}/${clientId}` };
  manifest.validDomains = [url.host];
  return manifest;
}

/** Schema validation without the network: the schema ships with @microsoft/app-manifest. */
export async function validateOffline(manifest: TeamsAppManifest): Promise<string[]> {
  const schemaPath = createRequire(import.meta.url).resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8').replace(/\\a/g, '\\x07')) as Parameters<typeof ManifestUtil.validateManifestAgainstSchema>[1];
  return ManifestUtil.validateManifestAgainstSchema(manifest, schema);
}
