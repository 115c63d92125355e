import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * In a fresh process (the CommonJS module cache is per process): load teams-ai's Application as
 * the bot does, note which recognizer packages were evaluated, then use botbuilder-dialogs'
 * recognizers and report what they found.
 */
function run(defer: boolean): { evaluatedAtLoad: string[]; cultures: string[]; choice: unknown; number: unknown; evaluatedAfterUse: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    import { types } from 'node:util';
    import { deferTextRecognizers, DEFERRED_RECOGNIZERS } from './bot/defer-recognizers.ts';
    if (${defer}) deferTextRecognizers();
    const req = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});
    req('@microsoft/teams-ai/lib/Application.js');
    const dialogsReq = createRequire(req.resolve('botbuilder-dialogs'));
    const evaluated = () => DEFERRED_RECOGNIZERS.filter((name) => {
      const entry = dialogsReq.cache[dialogsReq.resolve(name)];
      return entry !== undefined && !types.isProxy(entry.exports);
    });
    const evaluatedAtLoad = evaluated();
    const dialogs = req('botbuilder-dialogs');
    const cultures = dialogs.PromptCultureModels.getSupportedCultureCodes();
    const choice = dialogs.recognizeChoices('the second one', ['röd', 'blå', 'grön'])[0]?.resolution;
    const number = dialogsReq('@microsoft/recognizers-text-number').recognizeNumber('twenty-one', 'en-us')[0]?.resolution;
    process.stdout.write(JSON.stringify({ evaluatedAtLoad, cultures, choice, number, evaluatedAfterUse: evaluated() }));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as ReturnType<typeof run>;
}

describe('deferred text recognizers', () => {
  it('keeps botbuilder-dialogs from evaluating the recognizers while the bot loads', () => {
    expect(run(false).evaluatedAtLoad).toHaveLength(4);
    expect(run(true).evaluatedAtLoad).toEqual([]);
  });

  it('gives a prompt that does run the same cultures and results as without the stand-ins', () => {
    const plain = run(false);
    const deferred = run(true);
    expect(deferred.cultures).toEqual(plain.cultures);
    expect(deferred.cultures).toContain('en-us');
    expect(deferred.choice).toEqual({ value: 'blå', index: 1, score: 1 });
    expect(deferred.choice).toEqual(plain.choice);
    expect(deferred.number).toEqual({ value: '21' });
    expect(deferred.number).toEqual(plain.number);
    // Used once, the real package is loaded and stays in the cache.
    expect(deferred.evaluatedAfterUse).toContain('@microsoft/recognizers-text-number');
  });
});
