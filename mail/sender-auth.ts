import type arcModule from 'mailauth/lib/arc/index.js';
import type { DnsResolver } from 'mailauth/lib/dkim/verify.js';
import { trustedAuthResults, type AuthResults } from '../lib/auth-results.ts';
import { once } from '../lib/once.ts';
import type { HeaderMap } from './classify.ts';

export type { DnsResolver };

// mailauth (with joi and the public-suffix list) is needed only when a mail is checked here,
// without the gateway's results: loaded then, not at every start.
const mailauth = once(() =>
  Promise.all([import('mailauth/lib/dkim/verify.js'), import('mailauth/lib/arc/index.js'), import('mailauth/lib/dmarc/index.js')]).then(([dkim, arc, dmarc]) => ({
    dkimVerify: dkim.default.dkimVerify,
    arc: arc.default.arc,
    dmarc: dmarc.default.dmarc,
  })),
);

/**
 * What a mail must prove about its sender before anything in it is believed:
 * - `dmarc`: the From domain's DMARC passes (an aligned DKIM signature; or aligned SPF when the
 *   gateway's results are trusted, since only the receiving server sees the connecting IP);
 * - `dkim`: a valid DKIM signature aligned with the From domain (for domains without DMARC);
 * - `spf`: the gateway says SPF passed for an envelope domain aligned with From (needs a servid);
 * - `none`: nothing is checked (development only; refused in production by config).
 */
export type MailAuthPolicy = 'dmarc' | 'dkim' | 'spf' | 'none';

export type SenderAuthSettings = {
  policy: MailAuthPolicy;
  /** When set, the receiving gateway's Authentication-Results with this authserv-id are trusted instead of verifying here. */
  servId: string | undefined;
  /** ARC sealers (signing domains) trusted to vouch for a DMARC pass that forwarding broke. */
  arcSealers: readonly string[];
};

export type SenderAuthResult =
  | { ok: true; via: string }
  /** `transient`: a DNS failure; try again later rather than judge the sender. */
  | { ok: false; reason: string; transient?: boolean };

export type SenderAuthenticator = (mail: { source: Buffer; from: string | null; headers: HeaderMap }) => Promise<SenderAuthResult>;

/** DNS answers must come within this: a hanging resolver must not hold the mailbox. */
const DNS_TIMEOUT_MS = 10_000;

/**
 * Judges a mail's sender by the policy (SPF, DKIM, DMARC with mailauth, ARC for trusted
 * forwarders), or by the trusted gateway's Authentication-Results. `resolver` is mailauth's
 * DNS hook (defaults to the system resolver); tests serve their DKIM keys through it.
 */
export function createSenderAuthenticator(settings: SenderAuthSettings, resolver?: DnsResolver): SenderAuthenticator {
  const resolve = withTimeout(resolver ?? defaultResolver());
  return async (mail) => {
    if (settings.policy === 'none') return { ok: true, via: 'none' };
    const fromDomain = mail.from?.split('@')[1];
    if (fromDomain === undefined) return { ok: false, reason: 'no_from' };
    if (settings.servId !== undefined) {
      const found = trustedAuthResults(mail.headers.get('authentication-results') ?? [], settings.servId);
      if (!found) return { ok: false, reason: 'no_trusted_authentication_results' };
      return judgeAuthResults(found, settings.policy, fromDomain);
    }
    if (settings.policy === 'spf') return { ok: false, reason: 'spf_needs_servid' };
    return verifyHere(mail.source, settings, fromDomain, resolve);
  };
}

async function verifyHere(source: Buffer, settings: SenderAuthSettings, fromDomain: string, resolver: DnsResolver): Promise<SenderAuthResult> {
  const lib = await mailauth();
  const dkim = await lib.dkimVerify(source, { resolver, minBitLength: 1024 });
  const rows = dkim.results ?? [];
  if (rows.some((r) => r.status.result === 'temperror')) return { ok: false, reason: 'dkim=temperror', transient: true };
  const alignedPass = rows.some((r) => r.status.result === 'pass' && Boolean(r.status.aligned));
  if (settings.policy === 'dkim' && alignedPass) return { ok: true, via: 'dkim' };
  const arc = await lib.arc(dkim.arc, { resolver, minBitLength: 1024 });
  if (settings.policy === 'dmarc') {
    const dmarc = await lib.dmarc({
      headerFrom: dkim.headerFrom ?? [],
      spfDomains: [],
      dkimDomains: rows.filter((r) => r.status.result === 'pass').map((r) => ({ domain: r.signingDomain, aligned: r.status.aligned ?? false, underSized: r.status.underSized ?? false })),
      arcResult: arc,
      resolver,
    });
    const result = dmarc ? dmarc.status.result : 'none';
    if (result === 'pass') return { ok: true, via: 'dmarc' };
    if (result === 'temperror') return { ok: false, reason: 'dmarc=temperror', transient: true };
    if (arcVouches(arc, settings.arcSealers, fromDomain)) return { ok: true, via: 'arc' };
    return { ok: false, reason: `dmarc=${result}` };
  }
  if (arcVouches(arc, settings.arcSealers, fromDomain)) return { ok: true, via: 'arc' };
  return { ok: false, reason: `dkim=${rows.map((r) => r.status.result).join(',') || 'none'}` };
}

/**
 * A forwarding gateway (the municipality's own) may break a DKIM signature by rewriting the
 * mail; its ARC seal carries what it saw. Believed only from a sealer named in the settings.
 */
function arcVouches(arc: Awaited<ReturnType<typeof arcModule.arc>>, sealers: readonly string[], fromDomain: string): boolean {
  if (arc.status.result !== 'pass' || !arc.signature) return false;
  const sealer = arc.signature.signingDomain?.toLowerCase();
  if (sealer === undefined || !sealers.includes(sealer)) return false;
  const seen = arc.authenticationResults?.dmarc;
  return seen?.result === 'pass' && seen.header?.from?.toLowerCase() === fromDomain;
}

function judgeAuthResults(found: AuthResults, policy: Exclude<MailAuthPolicy, 'none'>, fromDomain: string): SenderAuthResult {
  const passes = found.results.filter((r) => r.result === 'pass');
  const ok =
    policy === 'dmarc'
      ? passes.some((r) => r.method === 'dmarc' && r.props['header.from']?.toLowerCase() === fromDomain)
      : policy === 'dkim'
        ? passes.some((r) => r.method === 'dkim' && aligned(r.props['header.d'] ?? domainOf(r.props['header.i']), fromDomain))
        : passes.some((r) => r.method === 'spf' && aligned(domainOf(r.props['smtp.mailfrom']) ?? r.props['smtp.helo'], fromDomain));
  if (ok) return { ok: true, via: `authentication-results:${policy}` };
  const seen = found.results.find((r) => r.method === policy);
  if (seen?.result === 'temperror') return { ok: false, reason: `${policy}=temperror`, transient: true };
  return { ok: false, reason: `${policy}=${seen?.result ?? 'none'}` };
}

/** Relaxed alignment, conservatively: the same domain or one a subdomain of the other (never a bare TLD). */
function aligned(domain: string | undefined, fromDomain: string): boolean {
  const d = domain?.toLowerCase().replace(/^@/, '');
  if (d === undefined || !d.includes('.')) return false;
  return d === fromDomain || d.endsWith(`.${fromDomain}`) || fromDomain.endsWith(`.${d}`);
}

function domainOf(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(at + 1);
}

function defaultResolver(): DnsResolver {
  // Loaded lazily so importing this module does no I/O set-up.
  return async (name, rrtype) => {
    const dns = await import('node:dns');
    return dns.promises.resolve(name, rrtype);
  };
}

function withTimeout(resolver: DnsResolver): DnsResolver {
  return (name, rrtype) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(Object.assign(new Error(`DNS timeout for ${name}`), { code: 'ETIMEOUT' })), DNS_TIMEOUT_MS);
      resolver(name, rrtype).then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
}
