/** What a provider delivers; a provider may deliver several. */
export const PROVIDER_SERVICES = ['boendestod_lov', 'bmss_ramavtal', 'extern_placering'] as const;
export type ProviderService = (typeof PROVIDER_SERVICES)[number];

export const SERVICE_TITLES: Record<ProviderService, string> = {
  boendestod_lov: 'Boendestöd enligt LOV',
  bmss_ramavtal: 'Bostad med särskild service (ramavtal)',
  extern_placering: 'Extern placering',
};

/** The routine whose provider the service is. */
export const SERVICE_OF_ROUTINE: Record<string, ProviderService> = {
  'boendestod-lov': 'boendestod_lov',
  'ramavtal-bb': 'bmss_ramavtal',
  'extern-placering': 'extern_placering',
};

/** Reads a service as an administrator writes it in a file: the id, or words such as "LOV boendestöd". */
export function parseService(text: string): ProviderService | undefined {
  const t = text.trim().toLowerCase();
  if ((PROVIDER_SERVICES as readonly string[]).includes(t)) return t as ProviderService;
  if (/boendest[öo]d|lov/.test(t)) return 'boendestod_lov';
  if (/bmss|ramavtal|s[äa]rskild service/.test(t)) return 'bmss_ramavtal';
  if (/extern/.test(t)) return 'extern_placering';
  return undefined;
}
