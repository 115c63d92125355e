import { answerInternal, decideInternal, proposeInternalMove } from './coordination-internal.ts';
import { accept, decline, moveIn, offer, ordersSent, reserve } from './coordination-offers.ts';
import { addQueueEntry, endQueueEntry, investigationDone, listQueue } from './coordination-queue.ts';
import type { CoordinationDeps } from './coordination-support.ts';
import { listVacancies, registerVacancy } from './coordination-vacancies.ts';

export type { CoordinationDeps, CoordinationResult } from './coordination-support.ts';

type Bound<F> = F extends (deps: CoordinationDeps, ...args: infer A) => infer R ? (...args: A) => R : never;
const bind = <F extends (deps: CoordinationDeps, ...args: never[]) => unknown>(deps: CoordinationDeps, f: F) =>
  ((...args: never[]) => f(deps, ...args)) as Bound<F>;

/**
 * Boendekoordination (routines 3 and 5): vacancies, queues, offers and internal moves. Each call is
 * one transaction with compare-and-set on the vacancy and offer, its audit entry and outbox rows.
 */
export function createCoordinationService(deps: CoordinationDeps) {
  return {
    registerVacancy: bind(deps, registerVacancy),
    listVacancies: bind(deps, listVacancies),
    addQueueEntry: bind(deps, addQueueEntry),
    listQueue: bind(deps, listQueue),
    endQueueEntry: bind(deps, endQueueEntry),
    investigationDone: bind(deps, investigationDone),
    reserve: bind(deps, reserve),
    offer: bind(deps, offer),
    decline: bind(deps, decline),
    accept: bind(deps, accept),
    ordersSent: bind(deps, ordersSent),
    moveIn: bind(deps, moveIn),
    proposeInternalMove: bind(deps, proposeInternalMove),
    answerInternal: bind(deps, answerInternal),
    decideInternal: bind(deps, decideInternal),
  };
}

export type CoordinationService = ReturnType<typeof createCoordinationService>;
