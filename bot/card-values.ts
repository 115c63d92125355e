import type { LocalDate } from '../domain/calendar/local-date.ts';
import type { FactValue } from '../domain/engine/types.ts';
import type { FieldSpec } from '../domain/routines/types.ts';
import { FIELD_PREFIX } from './cards/task-card.ts';
import { readDate } from './args.ts';

/**
 * A card's inputs as the engine's facts: dates as YYYY-MM-DD, numbers as numbers, toggles as
 * booleans. Only the fields the routine declares are read, so nothing else typed into a card
 * (a name, a personnummer) travels on.
 */
export function fieldValues(captures: readonly FieldSpec[], data: Record<string, unknown>, today: LocalDate): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const f of captures) {
    const raw = data[`${FIELD_PREFIX}${f.name}`];
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') continue;
    const value = String(raw).trim();
    if (value === '') continue;
    if (f.kind === 'number') out[f.name] = Number(value.replace(',', '.').replace(/\s/g, ''));
    else if (f.kind === 'boolean') out[f.name] = value === 'true';
    else if (f.kind === 'date' || f.kind === 'document_date') out[f.name] = readDate(value, today) ?? value;
    else out[f.name] = value;
  }
  return out;
}
