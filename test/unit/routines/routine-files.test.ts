import { cpSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routinesValidateCommand, routinesDiffCommand } from '../../../cli/routines.ts';
import { decide } from '../../../domain/engine/decide.ts';
import type { CaseEvent, CaseState } from '../../../domain/engine/types.ts';
import { stepIdForHook } from '../../../domain/routines/hooks.ts';
import { routineJsonSchema } from '../../../domain/routines/schema.ts';
import { DEFAULT_ROUTINES_DIR, formatRoutineProblem, loadRoutineCatalog } from '../../../services/routine-catalog.ts';
import { actor, at } from '../engine/helpers.ts';

type Json = Record<string, unknown> & { steps: Array<Record<string, unknown>>; params: Record<string, unknown> };

/** A copy of the shipped routines to corrupt, one change at a time. */
function copyOfShipped(): { dir: string; edit: (file: string, change: (routine: Json) => void) => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'routines-'));
  cpSync(DEFAULT_ROUTINES_DIR, dir, { recursive: true });
  return {
    dir,
    edit: (file, change) => {
      const routine = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Json;
      change(routine);
      writeFileSync(path.join(dir, file), JSON.stringify(routine, null, 2));
    },
  };
}

/** Renames a step id everywhere the file names it (its id, what opens after it, conditions). */
function renameStep(dir: string, file: string, from: string, to: string): void {
  const text = readFileSync(path.join(dir, file), 'utf8');
  writeFileSync(path.join(dir, file), text.replaceAll(`"${from}"`, `"${to}"`));
}

function step(routine: Json, id: string): Record<string, unknown> {
  const found = routine.steps.find((s) => s['id'] === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

async function problemsIn(dir: string): Promise<string[]> {
  const loaded = await loadRoutineCatalog(dir, '2026-12-01');
  if (loaded.ok) return [];
  return loaded.problems.map(formatRoutineProblem);
}

describe('routine files', () => {
  it('loads the five shipped routines, checked, with their AU calendars from .ics files', async () => {
    const loaded = await loadRoutineCatalog(DEFAULT_ROUTINES_DIR, '2026-12-01');
    if (!loaded.ok) throw new Error(loaded.problems.map(formatRoutineProblem).join('\n'));
    expect(loaded.catalog.latest.map((r) => r.id).sort()).toEqual(['boendekoordination', 'boendestod-lov', 'extern-placering', 'intern-flytt', 'ramavtal-bb']);
    const au = loaded.catalog.find('extern-placering')?.params['auMeetings'];
    expect(Array.isArray(au) && au.length).toBeGreaterThan(10);
    // Tuesday 2026-03-10 meeting: the tjänsteutlåtande is due ten working days before.
    expect(au).toContainEqual({ date: '2026-03-10', submissionDeadline: '2026-02-24' });
    for (const r of loaded.catalog.latest) expect(r.startableBy.length).toBeGreaterThan(0);
  });

  it('keeps the JSON Schema for editors in step with the zod schema', () => {
    const committed = JSON.parse(readFileSync(path.join(DEFAULT_ROUTINES_DIR, 'routine.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(routineJsonSchema());
  });

  it('finds a follow-up contract that waits only on the skipped negotiation (routine 1 uppföljande)', async () => {
    const c = copyOfShipped();
    c.edit('ramavtal-bb.json', (r) => { (step(r, 'avtal_uppf')['opensOn'] as { steps: string[] }).steps = ['forhandling_uppf']; });
    const problems = await problemsIn(c.dir);
    expect(problems).toContain('ramavtal-bb.json, steg avtal_uppf: skedet uppfoljande: steget hoppas över i den normala vägen (utan undantag) fast rutinen kräver det; det väntar bara på steg som hoppats över (forhandling_uppf)');
    expect(problems.some((p) => p.startsWith('ramavtal-bb.json, steg avtal_retur_uppf:'))).toBe(true);
  });

  it('finds an ickeval that opens on the unmoved last day of the choice period (routine 4)', async () => {
    const c = copyOfShipped();
    c.edit('boendestod-lov.json', (r) => { ((step(r, 'ickeval')['opensOn'] as { at: { kind: string } }).at).kind = 'validity'; });
    const problems = await problemsIn(c.dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^boendestod-lov\.json, steg ickeval: steget öppnas \d{4}-\d\d-\d\d men ersätter ”val_utforare”, vars tidsfrist \(flyttad till vardag\) är/);
  });

  it('names file, step and problem for schema errors, missing references, templates, params and an empty AU calendar', async () => {
    const c = copyOfShipped();
    c.edit('intern-flytt.json', (r) => { step(r, 'avstamning')['role'] = 'vaktmastare'; });
    c.edit('boendestod-lov.json', (r) => {
      step(r, 'bestallning')['opensOn'] = { on: 'steps_done', steps: ['val_utforare', 'finns_inte'], mode: 'any' };
      step(r, 'genomforandeplan')['mailOnComplete'] = [{ to: 'leverantor', template: 'okand_mall', fields: ['gpReceivedOn'] }];
    });
    c.edit('ramavtal-bb.json', (r) => { delete r.params['bbDays']; });
    c.edit('extern-placering.json', (r) => { r.params['auMeetings'] = []; });
    const problems = await problemsIn(c.dir);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^intern-flytt\.json: steps\[0\] \(avstamning\)\.role: ska vara en roll \(socialsekreterare, /),
      'boendestod-lov.json, steg bestallning: öppnas efter hänvisar till steget ”finns_inte”, som inte finns',
      'boendestod-lov.json, steg genomforandeplan: e-post när steget är klart: e-postmallen ”okand_mall” finns inte i mallkatalogen',
      'ramavtal-bb.json, steg bb: tidsfristen hänvisar till parametern ”bbDays”, som inte finns',
      'extern-placering.json, steg tjansteutlatande: AU-kalendern ”auMeetings” är tom: steget får ingen tidsfrist. Ange AU:s sammanträden (lista eller .ics-fil)',
    ]));
  });

  it('refuses a notification that fills in a fact the catalogue has no Swedish label for', async () => {
    const c = copyOfShipped();
    c.edit('ramavtal-bb.json', (r) => { (step(r, 'kontrollrakning')['notes'] as Array<{ text: string }>)[0]!.text = 'Obs! Priset stämmer inte: {statedDailyPrice} kr mot {internPris} kr.'; });
    expect(await problemsIn(c.dir)).toEqual(['ramavtal-bb.json, steg kontrollrakning: anteckningen fyller i uppgiften ”{internPris}”, som saknar svensk etikett i mallkatalogen']);
  });

  it('refuses an unknown hook, naming file and step', async () => {
    const c = copyOfShipped();
    c.edit('boendekoordination.json', (r) => { step(r, 'erbjudande')['hook'] = 'vacancy.erbjud'; });
    const problems = await problemsIn(c.dir);
    expect(problems).toEqual([expect.stringMatching(/^boendekoordination\.json: steps\[\d+\] \(erbjudande\)\.hook: ska vara en känd hook \(vacancy\.register, .*vacancy\.offer/)]);
  });

  it('refuses a hook without its step, a hook on two steps, and a hooked step needing data the hook does not give', async () => {
    const c = copyOfShipped();
    c.edit('boendekoordination.json', (r) => { delete step(r, 'svar')['hook']; });
    c.edit('intern-flytt.json', (r) => { step(r, 'intern_flytt')['hook'] = 'internal_move.dialog'; });
    c.edit('boendestod-lov.json', (r) => {
      (step(r, 'ickeval')['captures'] as Array<Record<string, unknown>>).push({ name: 'motivering', kind: 'text', label: 'Motivering', required: true });
    });
    const problems = await problemsIn(c.dir);
    expect(problems).toEqual(expect.arrayContaining([
      'boendekoordination.json: hooken ”vacancy.answer” saknar sitt steg: rutinen använder hookarna för vacancy och ska då ha ett steg med var och en av dem',
      'intern-flytt.json, steg intern_flytt: hooken ”internal_move.dialog” finns redan på steget ”dialog_planeringsledare”; en hook hör till ett steg',
      'intern-flytt.json: hooken ”internal_move.moved” saknar sitt steg: rutinen använder hookarna för internal_move och ska då ha ett steg med var och en av dem',
      'boendestod-lov.json, steg ickeval: hooken ”provider.ickeval” lämnar inte uppgiften ”motivering” som steget kräver (den lämnar provider)',
    ]));
  });

  it('loads a routine whose hooked steps have new ids: the hook, not the id, ties the step to its service', async () => {
    const c = copyOfShipped();
    renameStep(c.dir, 'boendekoordination.json', 'erbjudande', 'erbjud_lagenhet');
    const loaded = await loadRoutineCatalog(c.dir, '2026-12-01');
    if (!loaded.ok) throw new Error(loaded.problems.map(formatRoutineProblem).join('\n'));
    const def = loaded.catalog.find('boendekoordination');
    expect(def && stepIdForHook(def, 'vacancy.offer')).toBe('erbjud_lagenhet');
  });

  it('refuses a price in a mail that must be free of price, and a fact without a Swedish label', async () => {
    const c = copyOfShipped();
    c.edit('boendestod-lov.json', (r) => { step(r, 'bestallning')['mailOnComplete'] = [{ to: 'leverantor', template: 'bestallning_boendestod', fields: ['orderSentOn', 'dailyPrice', 'hemligtFalt'] }]; });
    const problems = await problemsIn(c.dir);
    expect(problems).toEqual([
      'boendestod-lov.json, steg bestallning: e-post när steget är klart: e-postmallen ”bestallning_boendestod” ska vara utan pris men får uppgiften ”dailyPrice”',
      'boendestod-lov.json, steg bestallning: e-post när steget är klart: uppgiften ”hemligtFalt” i e-postmallen ”bestallning_boendestod” har ingen svensk etikett i mallkatalogen',
    ]);
  });

  it('finds a Swedish word written without å, ä or ö where the routine spells it with them', async () => {
    const c = copyOfShipped();
    c.edit('ramavtal-bb.json', (r) => { step(r, 'bb_uppf')['rules'] = [{ rule: 'condition', when: { fact: 'bbKind', equals: 'uppfoljande' }, message: 'Behovsbedömningen är inte av slaget ”uppfoljande”.' }]; });
    expect(await problemsIn(c.dir)).toEqual(['ramavtal-bb.json, steg bb_uppf: texten ”Behovsbedömningen är inte av slaget ”uppfoljande”.” skriver ”uppfoljande” där rutinen annars skriver ”uppföljande”']);
  });

  it('finds a step nothing opens, and a file that is not JSON', async () => {
    const c = copyOfShipped();
    c.edit('boendestod-lov.json', (r) => { step(r, 'uppfoljning')['opensOn'] = { on: 'timer', armedBy: 'uppfoljning', at: { from: 'opened', kind: 'deadline' } }; });
    writeFileSync(path.join(c.dir, 'trasig.json'), '{ "id": ');
    const problems = await problemsIn(c.dir);
    expect(problems).toContain('boendestod-lov.json, steg uppfoljning: steget kan aldrig nås: inget skede, steg eller bevakning öppnar det');
    expect(problems.some((p) => p.startsWith('trasig.json: filen kan inte läsas som JSON'))).toBe(true);
  });

  it('`routines validate DIR` passes on the shipped folder and fails with the messages on a corrupted copy', async () => {
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { out += t; } };
    expect(await routinesValidateCommand.run([DEFAULT_ROUTINES_DIR], { io, usage: 'routines validate [MAPP]' })).toBe(0);
    expect(out).toContain('OK: ');
    const c = copyOfShipped();
    c.edit('ramavtal-bb.json', (r) => { (step(r, 'avtal_uppf')['opensOn'] as { steps: string[] }).steps = ['forhandling_uppf']; });
    out = '';
    expect(await routinesValidateCommand.run([c.dir], { io, usage: 'routines validate [MAPP]' })).toBe(2);
    expect(out).toContain('ramavtal-bb.json, steg avtal_uppf: skedet uppfoljande');
    expect(out).toContain(`fel i ${c.dir}`);
  });
});

describe('routine versions', () => {
  /** Version 2 of boendestöd: three months to choose, and the follow-up step renamed. */
  function withVersion2(): string {
    const c = copyOfShipped();
    cpSync(path.join(c.dir, 'boendestod-lov.json'), path.join(c.dir, 'boendestod-lov.v1.json'));
    c.edit('boendestod-lov.json', (r) => {
      r['version'] = 2;
      r.params['valMonths'] = 3;
      step(r, 'uppfoljning')['title'] = 'Följ upp insatsen med den enskilde';
    });
    return c.dir;
  }

  it('keeps a case started on version 1 on version 1 to its end after version 2 is active', async () => {
    const v1only = await loadRoutineCatalog(DEFAULT_ROUTINES_DIR, '2026-12-01');
    const both = await loadRoutineCatalog(withVersion2(), '2026-12-01');
    if (!v1only.ok || !both.ok) throw new Error('routines do not load');
    expect(both.catalog.find('boendestod-lov')?.version).toBe(2);
    const hl = actor('socialsekreterare');
    const run = (lookup: typeof both.catalog.find, state: CaseState | null, event: CaseEvent, day: string): CaseState => {
      const d = decide(state, event, at(day), lookup);
      if (!d.ok) throw new Error(d.message);
      return d.next;
    };
    let s = run(v1only.catalog.find, null, { type: 'start', caseRef: 'OF-2026-0101', routineId: 'boendestod-lov', phase: 'nytt_arende' }, '2026-01-12');
    s = run(v1only.catalog.find, s, { type: 'complete', stepKey: 'beslut', actor: hl, data: { decisionDate: '2026-01-12' } }, '2026-01-12');
    // Version 2 becomes active; the running case goes on with version 1's rules.
    const find = both.catalog.find;
    s = run(find, s, { type: 'complete', stepKey: 'val_utforare', actor: hl, data: { provider: 'Utförare A' } }, '2026-02-02');
    s = run(find, s, { type: 'complete', stepKey: 'bestallning', actor: hl, data: { orderSentOn: '2026-02-03' } }, '2026-02-03');
    s = run(find, s, { type: 'provider_reply', kind: 'confirmed', date: '2026-02-04' }, '2026-02-04');
    s = run(find, s, { type: 'provider_reply', kind: 'started', date: '2026-02-10' }, '2026-02-10');
    s = run(find, s, { type: 'complete', stepKey: 'gp_paborjad', actor: hl }, '2026-02-11');
    s = run(find, s, { type: 'provider_reply', kind: 'genomforandeplan', date: '2026-03-02' }, '2026-03-02');
    s = run(find, s, { type: 'complete', stepKey: 'uppfoljning', actor: hl, data: { followUpOn: '2026-05-04' } }, '2026-05-04');
    s = run(find, s, { type: 'close', actor: hl, date: '2026-05-31', reason: 'Insatsen upphör' }, '2026-05-05');
    expect(s).toMatchObject({ routineVersion: 1, status: 'closed' });
    expect(s.steps['uppfoljning']?.status).toBe('done');
    // A case started now gets version 2: three months to choose.
    let n = run(find, null, { type: 'start', caseRef: 'OF-2026-0102', routineId: 'boendestod-lov', phase: 'nytt_arende' }, '2026-05-04');
    n = run(find, n, { type: 'complete', stepKey: 'beslut', actor: hl, data: { decisionDate: '2026-05-04' } }, '2026-05-04');
    expect(n.routineVersion).toBe(2);
    expect(n.steps['val_utforare']?.due).toBe('2026-08-04');
  });

  it('refuses two files with the same routine and version', async () => {
    const c = copyOfShipped();
    cpSync(path.join(c.dir, 'intern-flytt.json'), path.join(c.dir, 'intern-flytt.kopia.json'));
    expect(await problemsIn(c.dir)).toEqual(['intern-flytt.kopia.json: intern-flytt version 1 finns redan i intern-flytt.json; en ändrad rutin ska få ett nytt versionsnummer']);
  });

  it('`routines diff ID V1 V2` shows the changed deadline parameter and step', async () => {
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { out += t; } };
    expect(await routinesDiffCommand.run(['boendestod-lov', '1', '2'], { io, usage: 'routines diff ID V1 V2', routinesDir: withVersion2() })).toBe(0);
    expect(out).toContain('~ parameter valMonths: 2 → 3');
    expect(out).toContain('~ steg uppfoljning, titel: "Boka och gör uppföljning med den enskilde (och boendestödjaren om den enskilde vill)" → "Följ upp insatsen med den enskilde"');
  });
});
