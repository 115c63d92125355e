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
 * values are sent as they are (strings; no column encoder applies).
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

/** The statement's text cut at its parameters ($1, $2, … in the order they appear) and the parameters. */
function textAndParams(statement: SQL): { texts: string[]; params: unknown[] } {
  const query = dialect.sqlToQuery(statement);
  const texts = query.sql.split(/\$\d+/);
  if (texts.length !== query.params.length + 1) throw new Error('a kept statement holds a $ outside its parameters');
  return { texts, params: query.params };
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
