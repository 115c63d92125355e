import { mailIdentityColumns } from './mail.ts';
import { sql } from 'drizzle-orm';
import { bigserial, customType, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Raw mail bytes: postgres.js gives a Buffer, PGlite a Uint8Array; callers always get a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * A BB mail quarantined because the case reference it names matches no case: kept so
 * the sending planeringsledare can link it to the right case from Teams. The mail also stays in
 * the Quarantine folder; nothing here is ever deleted, a link only marks the row.
 */
export const quarantinedBb = pgTable(
  'quarantined_bb',
  {
    /** The "mejl-id" people type in `koppla ID REF`. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The mail ledger key of the quarantined mail. */
    ...mailIdentityColumns(),
    /** The mail's bytes sealed with AES-256-GCM (lib/pnr-crypto.ts, purpose QUARANTINE_RAW). */
    raw: bytea('raw').notNull(),
    /** The key that sealed `raw`; null only for rows kept before encryption (`keys rotate` seals them). */
    rawKeyId: text('raw_key_id'),
    fromAddress: text('from_address').notNull(),
    /** The planeringsledare who sent it: the only one who may link it. */
    senderPersonId: text('sender_person_id').notNull(),
    /** The reference written in the BB (matched no case). */
    namedCaseRef: text('named_case_ref').notNull(),
    /** Keyed lookup hash of the BB's personnummer (as on cases.pnr_hash): a link must match it. */
    pnrHash: text('pnr_hash').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    quarantinedAt: timestamp('quarantined_at', { withTimezone: true }).notNull(),
    /** 'waiting' | 'linked' */
    status: text('status').notNull().default('waiting'),
    linkedCaseRef: text('linked_case_ref'),
    linkedBy: text('linked_by'),
    linkedAt: timestamp('linked_at', { withTimezone: true }),
    /** When a linked mail was moved out of the Quarantine folder (to Processed); null while it still waits there. */
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('quarantined_bb_key_idx').on(t.mailbox, t.uidValidity, t.uid),
    index('quarantined_bb_sender_idx').on(t.senderPersonId, t.status),
    index('quarantined_bb_release_idx').on(t.id).where(sql`status = 'linked' and released_at is null`),
  ],
);
