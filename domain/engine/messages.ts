import { roleTitle, type RoleId } from '../roles.ts';
import { formatPriceFact, PRICE_FACTS } from './price-facts.ts';
import type { FactValue, StepState } from './types.ts';

/**
 * Notification texts. They carry the case reference, the step and dates only: never a name, a
 * personnummer or a health detail (DESIGN.md, Privacy). Facts interpolated into notes are
 * numbers and dates the routine captured.
 */
export function openedMessage(caseRef: string, title: string, due: string | null, notes: string[]): string {
  const deadline = due ? ` Senast ${due}.` : '';
  return [`${caseRef}: ${title}.${deadline}`, ...notes].join(' ');
}

export function openedInfoMessage(caseRef: string, title: string, role: RoleId): string {
  return `${caseRef}: ”${title}” har öppnats för ${roleTitle(role)}.`;
}

export function completedMessage(caseRef: string, title: string, step: StepState, date: string): string {
  return `${caseRef}: ”${title}” är klart (${roleTitle(step.role)}, ${date}).`;
}

export function lateMessage(caseRef: string, title: string, step: StepState): string {
  return `${caseRef}: ”${title}” skulle ha varit klart senast ${step.due ?? '–'} (${roleTitle(step.role)}).`;
}

export function closedMessage(caseRef: string, title: string, date: string, reason: string): string {
  return `${caseRef}: ${title} avslutas ${date}. Orsak: ${reason}.`;
}

export function wrongRoleMessage(title: string, roles: RoleId[]): string {
  const who = roles.map(roleTitle).join(' eller ');
  return `”${title}” görs av ${who} på ärendet. Be den som har rollen, eller dennes ersättare, att göra det.`;
}

/**
 * Replaces {fact} placeholders (the routine check makes sure each names a labelled fact); a fact
 * without a value shows as "–" rather than leaking the template, and a price in Swedish.
 */
export function interpolate(text: string, values: Record<string, FactValue>): string {
  return text.replace(/\{(\w{1,60})\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined || v === null) return '–';
    return typeof v === 'number' && PRICE_FACTS.has(name) ? formatPriceFact(v) : String(v);
  });
}

/** The {fact} names a text interpolates. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(/\{(\w{1,60})\}/g)].map((m) => m[1] ?? '');
}

export function occurrenceTitle(title: string, occurrence: string | null): string {
  return occurrence === null ? title : `${title} (${occurrence})`;
}
