/**
 * Database statements per unit of work (a mail, a request), grouped by their opening text, most
 * frequent first: what a bench prints to show where the round trips go.
 */
export function statementsPer(statements: ReadonlyArray<{ query: string; calls: number }>, units: number, rows = 30): { total: number; table: string } {
  const kinds = new Map<string, number>();
  for (const s of statements) {
    const key = s.query.replace(/\s+/g, ' ').slice(0, 70);
    kinds.set(key, (kinds.get(key) ?? 0) + s.calls);
  }
  const total = statements.reduce((sum, s) => sum + s.calls, 0) / units;
  const table = [...kinds]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([k, n]) => `  ${(n / units).toFixed(2).padStart(6)}  ${k}`)
    .join('\n');
  return { total, table };
}
