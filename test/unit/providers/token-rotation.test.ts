import { describe, expect, it } from 'vitest';
import { nextInRotation } from '../../../domain/providers/rotation.ts';
import { findToken, formatToken, judgeToken } from '../../../domain/providers/token.ts';
import { birthDateOf, sixtyFifthBirthday } from '../../../domain/providers/turns-65.ts';

describe('case token in a subject', () => {
  it('reads back a token from a reply subject, with a case reference holding hyphens', () => {
    const token = formatToken({ caseRef: 'FF-2026-0142-1', mac: '3f9a0c1b2d' });
    expect(token).toBe('[BL-FF-2026-0142-1-3f9a0c1b2d]');
    expect(findToken(`SV: Re: Beställning boendestöd ${token}`)).toEqual({ caseRef: 'FF-2026-0142-1', mac: '3f9a0c1b2d' });
    expect(findToken('SV: Beställning FF-2026-0142')).toBeNull();
  });

  it('rejects a sender from an unknown domain, a made-up token, another provider’s token and a former provider', () => {
    const base = { senderProviderId: 'p1', macMatchesSender: true, macMatchesOtherProvider: false, caseProviderId: 'p1' };
    expect(judgeToken(base)).toEqual({ ok: true });
    expect(judgeToken({ ...base, senderProviderId: null })).toEqual({ ok: false, reason: 'unknown_sender_domain' });
    expect(judgeToken({ ...base, macMatchesSender: false })).toEqual({ ok: false, reason: 'token_forged' });
    expect(judgeToken({ ...base, macMatchesSender: false, macMatchesOtherProvider: true })).toEqual({ ok: false, reason: 'token_other_provider' });
    expect(judgeToken({ ...base, caseProviderId: 'p2' })).toEqual({ ok: false, reason: 'not_case_provider' });
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
