import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { renderManifest, validateOffline } from '../../scripts/manifest-content.ts';

const BOT = '0f0e0d0c-0b0a-4000-8000-000000000001';

describe('the Teams app manifest', () => {
  it('validates offline without the tab when no public URL is set', async () => {
    const m = renderManifest(loadConfig({ MICROSOFT_APP_ID: BOT }), '1.2.3');
    expect(m.staticTabs).toBeUndefined();
    expect(await validateOffline(m)).toEqual([]);
  });

  it('gains the personal tab, the team tab and the SSO app, and still validates offline', async () => {
    const m = renderManifest(loadConfig({ MICROSOFT_APP_ID: BOT, TAB_PUBLIC_URL: 'https://boende.kommun.example' }), '1.2.3');
    expect(m.staticTabs?.[0]).toMatchObject({ contentUrl: 'https://boende.kommun.example/tab', scopes: ['personal'] });
    expect(m.configurableTabs?.[0]).toMatchObject({ configurationUrl: 'https://boende.kommun.example/tab/config', scopes: ['team'] });
    expect(m.webApplicationInfo).toEqual({ id: BOT, resource: `api://boende.kommun.example/${BOT}` });
    expect(m.validDomains).toEqual(['boende.kommun.example']);
    expect(await validateOffline(m)).toEqual([]);
  });
});
