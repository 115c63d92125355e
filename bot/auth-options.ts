import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config } from '../config.ts';

/** Public-cloud endpoints (botframework-connector's AuthenticationConstants), spelled out because
 * overriding any one of them makes the connector take every value from these options. */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

/**
 * The Bot Framework settings from our config. BOT_OPENID_METADATA_URL replaces where the channel's
 * signing keys are read (tests serve their own; special clouds publish elsewhere).
 */
export function botAuthOptions(bot: Config['bot']): ConfigurationBotFrameworkAuthenticationOptions {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType,
  };
  if (bot.tenantId !== undefined) options.MicrosoftAppTenantId = bot.tenantId;
  if (bot.openIdMetadataUrl !== undefined) {
    Object.assign(options, PUBLIC_CLOUD, { ValidateAuthority: true, ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl });
  }
  return options;
}

export type BotMode = 'authenticated' | 'anonymous' | 'disabled';

/** With an app id every request is authenticated; without one only an explicit setting allows anonymous use. */
export function botMode(bot: Config['bot']): BotMode {
  if (bot.appId !== undefined) return 'authenticated';
  return bot.allowAnonymous ? 'anonymous' : 'disabled';
}
