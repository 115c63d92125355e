/**
 * The parts of mailauth 4.9 (plain CommonJS, no bundled types) that sender-auth.ts uses. Deep
 * imports: the package has no exports map, and its `authenticate` would also run SPF, which a
 * mailbox reader cannot judge (it never sees the connecting IP).
 */
declare module 'mailauth/lib/dkim/verify.js' {
  export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;
  export type DkimResultRow = {
    signingDomain?: string;
    status: { result: string; comment?: string | false; aligned?: string | false; underSized?: number | false };
  };
  export type DkimVerifyResult = {
    headerFrom?: string[];
    results?: DkimResultRow[];
    /** Non-enumerable: the ARC sets, for the ARC check. */
    arc?: unknown;
  };
  const mod: { dkimVerify: (input: Buffer, opts: { resolver?: DnsResolver; minBitLength?: number }) => Promise<DkimVerifyResult> };
  export default mod;
}

declare module 'mailauth/lib/arc/index.js' {
  import type { DnsResolver } from 'mailauth/lib/dkim/verify.js';
  export type ArcResult = {
    status: { result: string; comment?: string };
    i?: number | false;
    signature?: { signingDomain?: string; status?: { result?: string } } | false;
    authenticationResults?: { dmarc?: { result?: string; header?: { from?: string } } };
  };
  const mod: { arc: (data: unknown, opts: { resolver?: DnsResolver; minBitLength?: number }) => Promise<ArcResult> };
  export default mod;
}

declare module 'mailauth/lib/dmarc/index.js' {
  import type { DnsResolver } from 'mailauth/lib/dkim/verify.js';
  import type { ArcResult } from 'mailauth/lib/arc/index.js';
  export type DmarcResult = { status: { result: string; header?: { from?: string; d?: string } }; domain?: string };
  const mod: {
    dmarc: (opts: {
      headerFrom: string[];
      spfDomains: string[];
      dkimDomains: { id?: string; domain?: string | undefined; aligned?: string | false; underSized?: number | false }[];
      arcResult?: ArcResult;
      resolver?: DnsResolver;
    }) => Promise<DmarcResult | false>;
  };
  export default mod;
}

/** The whole check as a receiving server runs it (the test gateway uses it to stamp results). */
declare module 'mailauth' {
  import type { DnsResolver } from 'mailauth/lib/dkim/verify.js';
  export function authenticate(
    input: Buffer,
    opts: { ip?: string; helo?: string; sender?: string; mta?: string; resolver?: DnsResolver; disableBimi?: boolean; disableArc?: boolean },
  ): Promise<{ headers: string }>;
}
