import { describe, expect, it } from 'vitest';
import { shippedRoutines } from '../../support/routines.ts';
import { isRoleId } from '../../../domain/roles.ts';

describe('who may start each routine', () => {
  it.each(shippedRoutines.latest.map((r) => [r.id, r] as const))('%s names at least one starter role, each a known role that holds a step', (_id, routine) => {
    expect(routine.startableBy.length).toBeGreaterThan(0);
    for (const role of routine.startableBy) expect(isRoleId(role)).toBe(true);
    const stepRoles = JSON.stringify(routine.steps.map((s) => s.role));
    for (const role of routine.startableBy) expect(stepRoles).toContain(`"${role}"`);
  });
});
