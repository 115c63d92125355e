import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUnits } from '../../db/coordination.ts';
import { runCommand, tempFiles } from '../support/cli-run.ts';
import { openTestDb, type TestDb } from '../support/test-db.ts';

const { file } = tempFiles('units-import-');

describe('units import', () => {
  let db: TestDb;
  beforeAll(async () => (db = await openTestDb('pglite')));
  afterAll(() => db.close());

  const run = (p: string) => runCommand('units import', [p], db);

  it('reads a semicolon file as Swedish Excel writes it, with quoted values and care mailboxes', async () => {
    const csv = [
      'id;name;area;landlord_email;manager_email;care_emails',
      'ROS;"Rosengården; gruppbostad";Norr;hyra@bostad.example;chef.ros@kommun.example;"vard1@kommun.example,vard2@kommun.example"',
      'LIN;Linden;Syd;hyra@bostad.example;;',
    ].join('\r\n');
    const r = await run(file('units.csv', csv));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const units = await listUnits(db.db);
    const ros = units.find((u) => u.id === 'ROS');
    expect(ros).toMatchObject({ name: 'Rosengården; gruppbostad', area: 'Norr', managerEmail: 'chef.ros@kommun.example', careEmails: ['vard1@kommun.example', 'vard2@kommun.example'] });
    expect(units.find((u) => u.id === 'LIN')).toMatchObject({ managerEmail: null, careEmails: [] });
  });

  it('names a bad row by its line in the file and writes nothing', async () => {
    const csv = ['id,name,area,landlord_email', 'A1,Ett,Norr,hyra@bostad.example', 'A2,Två,Norr,inte-en-adress'].join('\n');
    const r = await run(file('bad.csv', csv));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/rad 3: landlord_email/);
    expect((await listUnits(db.db)).some((u) => u.id === 'A1')).toBe(false);
  });
});
