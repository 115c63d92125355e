import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { problemsOf } from '../support/config-problems.ts';

describe('config', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3978);
    expect(config.db.url).toBeUndefined();
    expect(config.db.dataDir).toBe('./data');
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '  ' });
    expect(config.http.port).toBe(3978);
    expect(config.db.url).toBeUndefined();
  });

  it('names a malformed variable and says what is wrong', () => {
    const problems = problemsOf({ PORT: 'åtta' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT \("åtta"\): .*portnummer/);
  });

  it('lists every bad variable at once, not just the first', () => {
    const problems = problemsOf({ PORT: '99999', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
  });

  it('never echoes a secret value in the error', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://user:hemligt@host/db' });
    expect(problems.join('\n')).not.toContain('hemligt');
    expect(problems[0]).toContain('DATABASE_URL');
  });

  it('names a variable that production requires when it is missing', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([expect.stringMatching(/^PNR_ENCRYPTION_KEY \(saknas\)/)]);
  });

  it('rejects an encryption key of the wrong length', () => {
    const problems = problemsOf({ PNR_ENCRYPTION_KEY: 'abc123' });
    expect(problems[0]).toMatch(/^PNR_ENCRYPTION_KEY \("\*\*\*"\): .*64 hexadecimala/);
  });
});
