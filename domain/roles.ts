/** The roles of DESIGN.md's table. A case names which person holds each role on it. */
export const ROLE_IDS = [
  'socialsekreterare',
  'planeringsledare',
  'socialadministrator',
  'link_samordnare',
  'enhetschef_myndighet',
  'enhetschef_utforare',
  'verksamhetschef',
  'boendesamordnare',
  'avgiftshandlaggare',
  'ekonomicontroller',
  'samordnare_lss_sol',
  'administration',
  'leverantor',
  'hso',
] as const;

export type RoleId = (typeof ROLE_IDS)[number];

export const ROLE_TITLES: Readonly<Record<RoleId, string>> = {
  socialsekreterare: 'socialsekreterare/handläggare',
  planeringsledare: 'planeringsledare',
  socialadministrator: 'socialadministratör',
  link_samordnare: 'LINK-samordnare',
  enhetschef_myndighet: 'enhetschef på myndighet',
  enhetschef_utforare: 'enhetschef (BmSS/boende)',
  verksamhetschef: 'verksamhetschef',
  boendesamordnare: 'boendesamordnare',
  avgiftshandlaggare: 'avgiftshandläggare',
  ekonomicontroller: 'ekonomicontroller',
  samordnare_lss_sol: 'samordnare LSS/SoL',
  administration: 'enheten för administration',
  leverantor: 'leverantör/utförare',
  hso: 'Hälsa och sjukvård/hemtjänst',
};

/** Roles reached by e-mail only: a functional mailbox and the external provider never use Teams. */
export const MAIL_ONLY_ROLES: readonly RoleId[] = ['administration', 'leverantor'];

export function isRoleId(value: unknown): value is RoleId {
  return typeof value === 'string' && (ROLE_IDS as readonly string[]).includes(value);
}

export function roleTitle(role: RoleId): string {
  return ROLE_TITLES[role];
}
