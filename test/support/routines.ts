import type { RoutineCatalog } from '../../domain/routines/registry.ts';
import { DEFAULT_ROUTINES_DIR, loadRoutineCatalogOrThrow } from '../../services/routine-catalog.ts';

/** The five shipped routines, read and checked the way the service reads them at start. */
export const shippedRoutines: RoutineCatalog = (await loadRoutineCatalogOrThrow(DEFAULT_ROUTINES_DIR, '2026-12-01')).catalog;
