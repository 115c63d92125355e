import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';

/**
 * Outbound tokens without Entra ID: the channel side is faked (fake-connector.ts), so the bot's own
 * token for calling it is a fixed string the fake accepts.
 */
export class TestCredentials extends ConfigurationServiceClientCredentialFactory {
  override createCredentials(): Promise<never> {
    return Promise.resolve({ signRequest: (req: { headers: { set: (k: string, v: string) => void } }) => (req.headers.set('authorization', 'Bearer test-outbound'), Promise.resolve(req)) } as never);
  }
}
