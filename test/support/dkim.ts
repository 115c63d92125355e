import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DnsResolver } from '../../mail/sender-auth.ts';

/**
 * The DNS a test mail's sender authentication sees, served through mailauth's resolver hook:
 * every `*.test` domain publishes the signer key under selector `test` and a DMARC record with
 * p=reject. The keys are test-only fixtures (test/fixtures/dkim); the impostor key is published
 * nowhere, so a mail signed with it carries a signature that does not verify.
 */
const DKIM_SELECTOR = 'test';
export const GATEWAY_SERVID = 'mx.kommun.test';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/dkim/${name}.pem`, import.meta.url), 'utf8');
const SIGNER_KEY = fixture('signer');
const IMPOSTOR_KEY = fixture('impostor');
const PUBLIC_KEY = createPublicKey(SIGNER_KEY).export({ type: 'spki', format: 'der' }).toString('base64');

export const testDnsResolver: DnsResolver = (name, rrtype) => {
  const host = name.toLowerCase().replace(/\.$/, '');
  // Test domains, and the Agents Playground's example.com (the end-to-end tier mails as its user).
  if (rrtype === 'TXT' && (host.endsWith('.test') || host === 'example.com' || host.endsWith('.example.com'))) {
    if (host.startsWith(`${DKIM_SELECTOR}._domainkey.`)) return Promise.resolve([[`v=DKIM1; k=rsa; p=${PUBLIC_KEY}`]]);
    if (host.startsWith('_dmarc.')) return Promise.resolve([['v=DMARC1; p=reject']]);
  }
  return Promise.reject(Object.assign(new Error(`queryTxt ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
};

/** How a test mail is signed: by its From domain (the default), by another domain, with a key not in DNS, or not at all. */
export type Signing = 'from-domain' | { domain: string } | 'wrong-key' | 'unsigned';

/** nodemailer's DKIM options for a mail from `from`. */
export function dkimOptions(from: string, signing: Signing = 'from-domain'): { domainName: string; keySelector: string; privateKey: string } | undefined {
  if (signing === 'unsigned') return undefined;
  const fromDomain = from.split('@')[1] ?? 'kommun.test';
  if (signing === 'wrong-key') return { domainName: fromDomain, keySelector: DKIM_SELECTOR, privateKey: IMPOSTOR_KEY };
  return { domainName: signing === 'from-domain' ? fromDomain : signing.domain, keySelector: DKIM_SELECTOR, privateKey: SIGNER_KEY };
}
