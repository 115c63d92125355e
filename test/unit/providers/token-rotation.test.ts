import { describe, expect, it } from 'vitest';
import { nextInRotation } from '../../../domain/providers/rotation.ts';
import { findToken, formatToken, judgeToken, tokenExpired, tokenMacInput } from '../../../domain/providers/token.ts';
import { birthDateOf, sixtyFifthBirthday } from '../../../domain/providers/turns-65.ts';

describe('case token in a subject', () => {
  it('reads back a token from a reply subject, with a case reference holding hyphens', () => {
    const token = formatToken({ caseRef: 'FF-2026-0142-1', orderId: 17, expiresOn: '2027-03-01', mac: '3f9a0c1b2d' });
    expect(token).toBe('[BL-FF-2026-0142-1-17-20270301-3f9a0c1b2d]');
    expect(findToken(`SV: Re: Beställning boendestöd ${token}`)).toEqual({ caseRef: 'FF-2026-0142-1', orderId: 17, expiresOn: '2027-03-01', mac: '3f9a0c1b2d' });
    expect(findToken('SV: Beställning FF-2026-0142')).toBeNull();
    // The token format before orders and days, and an impossible day: no token.
    expect(findToken('SV: [BL-FF-2026-0142-3f9a0c1b2d]')).toBeNull();
    expect(findToken('SV: [BL-FF-2026-0142-17-20271341-3f9a0c1b2d]')).toBeNull();
  });

  it('binds the MAC input to case, provider, order and last day', () => {
    const base = { caseRef: 'FF-2026-0142', orderId: 3, expiresOn: '2027-01-31' };
    const input = tokenMacInput(base, 'omsorg-a');
    for (const changed of [tokenMacInput({ ...base, orderId: 4 }, 'omsorg-a'), tokenMacInput({ ...base, expiresOn: '2027-02-01' }, 'omsorg-a'), tokenMacInput(base, 'stod-b'), tokenMacInput({ ...base, caseRef: 'FF-2026-0143' }, 'omsorg-a')]) {
      expect(changed).not.toBe(input);
    }
  });

  it('believes a token through its last day only', () => {
    expect(tokenExpired({ expiresOn: '2027-01-31' }, '2027-01-31')).toBe(false);
    expect(tokenExpired({ expiresOn: '2027-01-31' }, '2027-02-01')).toBe(true);
  });

  it('rejects a sender from an unknown domain, a made-up token, another provider’s token, a former provider, a spent token and an ended order', () => {
    const base = { senderProviderId: 'p1', macMatchesSender: true, macMatchesOtherProvider: false, expired: false, orderCurrent: true, caseProviderId: 'p1' };
    expect(judgeToken(base)).toEqual({ ok: true });
    expect(judgeToken({ ...base, senderProviderId: null })).toEqual({ ok: false, reason: 'unknown_sender_domain' });
    expect(judgeToken({ ...base, macMatchesSender: false })).toEqual({ ok: false, reason: 'token_forged' });
    expect(judgeToken({ ...base, macMatchesSender: false, macMatchesOtherProvider: true })).toEqual({ ok: false, reason: 'token_other_provider' });
    expect(judgeToken({ ...base, caseProviderId: 'p2', orderCurrent: false })).toEqual({ ok: false, reason: 'not_case_provider' });
    expect(judgeToken({ ...base, expired: true })).toEqual({ ok: false, reason: 'token_expired' });
    expect(judgeToken({ ...base, orderCurrent: false })).toEqual({ ok: false, reason: 'token_other_order' });
    // A forged MAC is never judged on the day or order it claims.
    expect(judgeToken({ ...base, macMatchesSender: false, expired: true, orderCurrent: false })).toEqual({ ok: false, reason: 'token_forged' });
  });
});

describe('ickeval rotation', () => {
  const p = (id: string, position: number, takesNewCustomers = true, active = true) => ({ id, position, takesNewCustomers, active });
  const providers = [p('c', 3), p('a', 1), p('b', 2, false), p('d', 4, true, false)];

  it('starts at the first provider and goes round in the register order', () => {
    expect(nextInRotation(providers, null)?.id).toBe('a');
    expect(nextInRotation(providers, 'a')?.id).toBe('c');
    expect(nextInRotation(providers, 'c')?.id).toBe('a');
  });

  it('passes over providers taking no new customers or inactive, keeping their place', () => {
    expect(nextInRotation(providers, 'b')?.id).toBe('c');
    expect(nextInRotation([p('a', 1, false)], null)).toBeNull();
  });

  it('starts from the beginning when the last assigned provider has left the register', () => {
    expect(nextInRotation(providers, 'gone')?.id).toBe('a');
  });
});

describe('the 65th birthday from a personnummer', () => {
  it('reads the birth date, also from a samordningsnummer, and handles 29 February', () => {
    expect(birthDateOf('196103152383')).toBe('1961-03-15');
    expect(birthDateOf('196103752383')).toBe('1961-03-15');
    expect(sixtyFifthBirthday('1961-03-15')).toBe('2026-03-15');
    expect(sixtyFifthBirthday('1960-02-29')).toBe('2025-02-28');
  });
});
