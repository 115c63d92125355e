-- One round trip per audit entry: the chain's lock, its previous hash and the insert in one call.
-- The caller sends the entry's canonical JSON body (db/audit.ts entryBody); the hash is
-- sha256(prev_hash || '\n' || body) in hex, the same bytes db/audit.ts entryHash computes, so
-- `audit verify` checks these entries like any other. Each statement of a plpgsql function takes
-- a fresh snapshot, so the previous hash is read after the lock is held: it is the chain's last
-- committed entry (or one of this transaction's own).
CREATE OR REPLACE FUNCTION audit_append(p_lock_namespace integer, p_chain text, p_at timestamptz, p_actor text, p_action text, p_case_ref text, p_detail jsonb, p_body text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  prev text;
BEGIN
  PERFORM pg_advisory_xact_lock(p_lock_namespace, hashtext(p_chain));
  SELECT hash INTO prev FROM audit_log WHERE chain = p_chain ORDER BY id DESC LIMIT 1;
  prev := coalesce(prev, repeat('0', 64));
  INSERT INTO audit_log (at, actor, action, case_ref, detail, chain, prev_hash, hash)
  VALUES (p_at, p_actor, p_action, p_case_ref, p_detail, p_chain, prev, encode(sha256(convert_to(prev || E'\n' || p_body, 'UTF8')), 'hex'));
END;
$$;
