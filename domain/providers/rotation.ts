/**
 * Ickeval (routine 4): "handläggare väljer utförare efter turordningsprincipen". The rotation is a
 * circle of the providers of one service in a fixed order; the pointer is the last one assigned.
 * The next is the first after the pointer that is active and takes new customers, so a provider
 * that pauses keeps its place and is simply passed over, and nobody is picked twice in a row while
 * another is waiting. Pure: the shell keeps the pointer in the database under a row lock.
 */

export type RotationCandidate = {
  id: string;
  /** Position in the rotation (the register's order); ties broken by id. */
  position: number;
  active: boolean;
  takesNewCustomers: boolean;
};

function rotationOrder(providers: readonly RotationCandidate[]): RotationCandidate[] {
  return [...providers].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The next provider in turn after `lastAssignedId` (null: from the start), or null if none can take the case. */
export function nextInRotation(providers: readonly RotationCandidate[], lastAssignedId: string | null): RotationCandidate | null {
  const order = rotationOrder(providers);
  if (order.length === 0) return null;
  const last = lastAssignedId === null ? -1 : order.findIndex((p) => p.id === lastAssignedId);
  for (let step = 1; step <= order.length; step++) {
    const candidate = order[(last + step + order.length) % order.length];
    if (candidate && candidate.active && candidate.takesNewCustomers) return candidate;
  }
  return null;
}
