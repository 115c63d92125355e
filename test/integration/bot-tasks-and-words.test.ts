import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople } from '../../db/people.ts';
import { insertInboxTask } from '../../db/providers.ts';
import { teamsUser } from '../support/bot-activities.ts';
import { chatAs } from '../support/bot-chat.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { ENGINES } from '../support/test-db.ts';

const hanna = teamsUser(21, 'Hanna Handläggare');
const REF = 'FF-2026-0777';

describe.each(ENGINES)('the bot’s task list and command words over HTTP (%s)', (engine) => {
  let h: BotHarness;
  let chat: ReturnType<typeof chatAs>;

  beforeAll(async () => {
    h = await startBotHarness({ engine });
    chat = chatAs(h);
    await upsertPeople(h.db.db, [{ id: 'p-hanna', aadObjectId: hanna.aadObjectId, email: 'hanna@kommun.se', name: 'Hanna Handläggare', roles: ['socialsekreterare', 'enhetschef_utforare'] }]);
  });
  afterAll(() => h.stop());

  it('lists a provider reply the mailbox could not read among my tasks, without its text', async () => {
    expect((await chat.say(hanna, 'mina uppgifter')).text).toContain('inga öppna uppgifter');
    const task = await insertInboxTask(h.db.db, {
      caseRef: REF, providerId: 'omsorg-a', assigneeId: 'p-hanna', messageId: '<x@omsorg-a.test>', reason: 'oklart vad svaret gäller',
      body: 'Hon har haft ett epileptiskt anfall i natt.', status: 'open', createdAt: h.clock.now(),
    });
    const reply = await chat.say(hanna, 'mina uppgifter');
    expect(reply.text).toContain('Mina uppgifter (1)');
    expect(reply.text).toContain(`Svar från utförare att läsa: **${REF}**`);
    expect(reply.text).toContain(`leverantör svar klart ${task.id}`);
    expect(JSON.stringify(h.connector.sent)).not.toContain('epileptiskt');
  });

  it('sends “inflyttad L12 DATUM” to the vacancy and “inflyttat REF DATUM” to the case, whichever word is typed', async () => {
    const vacancy = await chat.say(hanna, 'inflyttat L12 2026-03-02');
    expect(vacancy.text).toContain('Lägenheten L12 finns inte');
    const onCase = await chat.say(hanna, `inflyttad ${REF} 2026-03-02`);
    expect(onCase.text).toContain(`Hittar inget ärende ${REF} där du har en roll`);
  });

  it('does not take an unknown sentence for a command one short word away', async () => {
    expect((await chat.say(hanna, 'baka en kaka')).text).toMatch(/känner jag inte igen/);
    expect((await chat.say(hanna, 'tacka ja L12 2026-04-01')).text).not.toMatch(/känner jag inte igen/);
  });
});
