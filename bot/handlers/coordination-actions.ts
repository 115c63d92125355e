import type { CardAction } from '../invoke.ts';
import { internalActions } from './coordination-internal.ts';
import { offerActions } from './coordination-offers.ts';
import { registerVacancyAction } from './coordination-vacancies.ts';

/** The coordination card verbs (Action.Execute), registered with the others in teams-app.ts. */
export const COORDINATION_CARD_ACTIONS: readonly CardAction[] = [registerVacancyAction, ...offerActions, ...internalActions];
