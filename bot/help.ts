import type { RoleId } from '../domain/roles.ts';

/**
 * How `hjälp` groups the chat commands: the groups the reader's own roles use come first, then
 * what everyone may do, then the rest. The command table stays the one list of commands; this
 * only sorts it, and a unit test keeps every command in exactly one group.
 */
export type HelpGroup = { title: string; roles: readonly RoleId[] | 'everyone'; commandIds: readonly string[] };

export const HELP_GROUPS: readonly HelpGroup[] = [
  { title: 'För alla', roles: 'everyone', commandIds: ['help', 'tasks', 'case', 'complete', 'snooze', 'substitute'] },
  { title: 'Ärenden (socialsekreterare/handläggare)', roles: ['socialsekreterare', 'link_samordnare'], commandIds: ['placement', 'move_in', 'changed_need', 'close'] },
  { title: 'Behovsbedömningar (planeringsledare)', roles: ['planeringsledare'], commandIds: ['link_mail'] },
  {
    title: 'Lediga lägenheter, kö och erbjudanden (boendekoordination)',
    roles: ['socialsekreterare', 'enhetschef_utforare', 'planeringsledare', 'verksamhetschef'],
    commandIds: ['vacancies', 'register_vacancy', 'queue', 'change_list', 'queue_add', 'investigation_done', 'queue_end', 'reserve', 'offer', 'decline', 'accept', 'orders_sent', 'moved_in'],
  },
  { title: 'Intern flytt (enhetschef, planeringsledare, verksamhetschef)', roles: ['enhetschef_utforare', 'planeringsledare', 'verksamhetschef'], commandIds: ['internal_move', 'internal_answer', 'internal_decision'] },
  { title: 'Leverantörer, LOV (handläggare, samordnare LSS/SoL)', roles: ['socialsekreterare', 'samordnare_lss_sol'], commandIds: ['providers'] },
];

/** The groups in reading order for someone holding `roles`, each marked whether it is theirs. */
export function helpGroupsFor(roles: readonly string[]): Array<HelpGroup & { own: boolean }> {
  const own = (g: HelpGroup) => g.roles !== 'everyone' && g.roles.some((r) => roles.includes(r));
  const everyone = HELP_GROUPS.filter((g) => g.roles === 'everyone').map((g) => ({ ...g, own: false }));
  const mine = HELP_GROUPS.filter(own).map((g) => ({ ...g, own: true }));
  const others = HELP_GROUPS.filter((g) => g.roles !== 'everyone' && !own(g)).map((g) => ({ ...g, own: false }));
  return [...mine, ...everyone, ...others];
}
