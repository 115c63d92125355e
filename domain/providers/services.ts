/** What a provider delivers; a provider may deliver several. */
export const PROVIDER_SERVICES = ['boendestod_lov', 'bmss_ramavtal', 'extern_placering'] as const;
export type ProviderService = (typeof PROVIDER_SERVICES)[number];

/** Reads a service as an administrator writes it in a file: the id, or words such as "LOV boendestöd". */
export function parseService(text: string): ProviderService | undefined {
  const t = text.trim().toLowerCase();
  if ((PROVIDER_SERVICES as readonly string[]).includes(t)) return t as ProviderService;
  if (/boendest[öo]d|lov/.test(t)) return 'boendestod_lov';
  if (/bmss|ramavtal|s[äa]rskild service/.test(t)) return 'bmss_ramavtal';
  if (/extern/.test(t)) return 'extern_placering';
  return undefined;
}
