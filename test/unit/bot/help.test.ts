import { describe, expect, it } from 'vitest';
import { CHAT_COMMANDS, helpText } from '../../../bot/commands.ts';
import { HELP_GROUPS } from '../../../bot/help.ts';

describe('hjälp', () => {
  it('puts every chat command in exactly one group', () => {
    const grouped = HELP_GROUPS.flatMap((g) => g.commandIds);
    expect([...grouped].sort()).toEqual(CHAT_COMMANDS.map((c) => c.id).sort());
  });

  it('shows the groups of the reader’s own roles first, then what everyone may do', () => {
    const text = helpText(['enhetschef_utforare']);
    const order = ['Lediga lägenheter', 'Intern flytt', 'För alla', 'Ärenden (socialsekreterare', 'Behovsbedömningar'].map((t) => text.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('**Lediga lägenheter, kö och erbjudanden (boendekoordination)** – dina roller');
    expect(text).not.toContain('**Ärenden (socialsekreterare/handläggare)** – dina roller');
  });

  it('still lists every command for someone with no role', () => {
    const text = helpText([]);
    for (const c of CHAT_COMMANDS) expect(text).toContain(`**${c.usage}**`);
  });
});
