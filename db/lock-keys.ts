/**
 * Every advisory lock key the app takes, in one place: two features picking the same number
 * would silently serialise on (or deadlock against) each other.
 */
export const LOCK_KEYS = {
  migrations: 4_711_001,
  audit: 4_711_002,
  auditSeal: 4_711_004,
  mailbox: 4_711_003,
} as const;
