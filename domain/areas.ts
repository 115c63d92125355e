/**
 * A person's areas (stadsområde / verksamhetsområde). The directory keeps them in one column; a
 * person working in several lists them separated by `;` or `|` (a comma separates CSV columns).
 */
export function areasOf(area: string | null | undefined): string[] {
  if (!area) return [];
  return [...new Set(area.split(/[;|]/).map((a) => a.trim()).filter(Boolean))];
}

/** Areas compare without regard to case or surrounding space ("Väster" = "väster "). */
export function sameArea(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase('sv') === b.trim().toLocaleLowerCase('sv');
}

export function inAreas(area: string | null | undefined, areas: readonly string[]): boolean {
  return !!area && areas.some((a) => sameArea(a, area));
}
