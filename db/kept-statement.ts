import { Param, Placeholder, SQL, sql, StringChunk } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

/** A value of a kept statement: given with each run, or (while it is built) its placeholder. */
export type StatementValue = string | Placeholder;

const dialect = new PgDialect();

/**
 * A statement built once and run many times with new values. Building drizzle's SQL from nested
 * query builders costs about as much CPU as the database spends running a small query, so a
 * statement on the path of every chat request keeps its text: `build` writes it once with a
 * placeholder per value, and each run only splices the values in. The
 * values are sent as they are (strings; no column encoder applies); constants become literals.
 */
export function keptStatement<K extends string>(build: (placeholder: (name: K) => Placeholder, db: Db) => SQL): (db: Db, values: Record<K, string | null>) => SQL {
  let kept: { texts: string[]; params: unknown[] } | undefined;
  return (db, values) => {
    // The text does not depend on the database it is first built for (PGlite and PostgreSQL share the dialect).
    kept ??= textAndParams(build((name) => sql.placeholder(name), db));
    const chunks: unknown[] = [new StringChunk(kept.texts[0] ?? '')];
    kept.params.forEach((param, i) => {
      chunks.push(new Param(param instanceof Placeholder ? values[param.name as K] : param), new StringChunk(kept?.texts[i + 1] ?? ''));
    });
    return new SQL(chunks as SQL['queryChunks']);
  };
}

/**
 * The statement's text cut at its placeholders, and the placeholders ($1, $2, … in the order they
 * appear). The constants the builders made parameters ('open', a lock key) are written into the
 * text as literals: the server can then plan the kept statement once for every run (a parameter
 * in `status = $1` keeps a partial index on status = 'open' out of a generic plan, so every run
 * was planned anew).
 */
function textAndParams(statement: SQL): { texts: string[]; params: unknown[] } {
  const query = dialect.sqlToQuery(statement);
  const cut = query.sql.split(/\$\d+/);
  if (cut.length !== query.params.length + 1) throw new Error('a kept statement holds a $ outside its parameters');
  const texts = [cut[0] ?? ''];
  const params: unknown[] = [];
  query.params.forEach((param, i) => {
    const next = cut[i + 1] ?? '';
    if (param instanceof Placeholder) {
      params.push(param);
      texts.push(next);
    } else {
      texts[texts.length - 1] += `${literal(param)}${next}`;
    }
  });
  return { texts, params };
}

/** A constant of the statement as an SQL literal (standard strings: a quote is doubled, a backslash is itself). */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`a kept statement cannot write ${typeof value} as a literal`);
}

/**
 * A query builder prepared once per database (a transaction gets its own): drizzle builds the
 * text once, and each call only fills in the placeholders and maps the rows. For lookups on the
 * path of every card press.
 */
export function preparedPerDb<Q>(prepare: (db: Db) => Q): (db: Db) => Q {
  const kept = new WeakMap<Db, Q>();
  return (db) => {
    let query = kept.get(db);
    if (query === undefined) {
      query = prepare(db);
      kept.set(db, query);
    }
    return query;
  };
}
