import { describe, expect, it } from 'vitest';
import { readProviderReply } from '../../../domain/providers/reply-text.ts';

const read = (text: string, attachmentNames: string[] = [], mailDate = '2026-11-24') => readProviderReply({ text, attachmentNames, mailDate });

describe('reading a provider reply', () => {
  it('reads a confirmation as confirmed on the day the mail was sent', () => {
    expect(read('Hej! Vi bekräftar att beställningen har mottagits.\nMvh Anna')).toEqual({ findings: [{ kind: 'confirmed', date: '2026-11-24' }], unclear: [] });
  });

  it('reads "start 3 december" as a start in the year nearest the mail', () => {
    expect(read('Start 3 december.').findings).toEqual([{ kind: 'started', date: '2026-12-03' }]);
    expect(read('Insatsen startar 3 januari', [], '2026-12-28').findings).toEqual([{ kind: 'started', date: '2027-01-03' }]);
  });

  it('reads "påbörjas 2026-12-03" and a confirmation in the same mail, confirmation first', () => {
    expect(read('Tack för beställningen, vi har tagit emot den. Insatsen påbörjas 2026-12-03.').findings).toEqual([
      { kind: 'confirmed', date: '2026-11-24' },
      { kind: 'started', date: '2026-12-03' },
    ]);
  });

  it('takes the date after the word start, not an earlier one', () => {
    expect(read('Beställningen från 2026-11-20 är mottagen, start 3/12').findings).toContainEqual({ kind: 'started', date: '2026-12-03' });
  });

  it('leaves a negated start to a person', () => {
    const r = read('Vi kan inte starta den 3 december, personalen är sjuk.');
    expect(r.findings).toEqual([]);
    expect(r.unclear).toContain('negated');
  });

  it('leaves a start without a date to a person', () => {
    expect(read('Vi startar så snart vi kan.').unclear).toEqual(['start_without_date']);
  });

  it('reads an attached genomförandeplan, not the words about starting it', () => {
    expect(read('Här kommer genomförandeplanen. Upprättandet påbörjades i oktober.', ['Genomforandeplan EB.pdf']).findings).toEqual([{ kind: 'genomforandeplan', date: '2026-11-24' }]);
  });

  it('does not take a plan that is mentioned but not attached', () => {
    expect(read('Bifogar genomförandeplanen.').unclear).toEqual(['document_not_attached']);
  });

  it('reads a monthly report with its month', () => {
    expect(read('Månadsrapport för oktober bifogas.', ['rapport.pdf'], '2026-11-08').findings).toEqual([
      { kind: 'manadsrapport', date: '2026-11-08', data: { reportMonth: '2026-10' } },
    ]);
    expect(read('', ['manadsrapport_2026-12.pdf'], '2027-01-05').findings[0]?.data).toEqual({ reportMonth: '2026-12' });
  });

  it('reads an absence with its start date and kind', () => {
    expect(read('Kunden är inlagd på sjukhus sedan 1 november och väntas vara borta minst 6 veckor.').findings).toEqual([
      { kind: 'franvaro', date: '2026-11-01', data: { reportKind: 'franvaro_over_30_dagar' } },
    ]);
    expect(read('Kunden tar inte emot stödet enligt beställningen.').findings[0]?.data).toEqual({ reportKind: 'ej_enligt_bestallning' });
  });

  it('ignores the quoted original mail under the reply', () => {
    const r = read('Hej, vad gäller detta?\n\nFrån: Boendelotsen\nSkickat: den 23 november\nBekräfta senast nästa arbetsdag. Start senast 2026-12-07.');
    expect(r).toEqual({ findings: [], unclear: ['nothing_recognised'] });
  });

  it('finds nothing in free text and says so', () => {
    expect(read('Ring mig när du har tid, vi behöver prata om kunden.')).toEqual({ findings: [], unclear: ['nothing_recognised'] });
  });
});
