import type { WritableDB } from '../types';
import { migration001InitialSchema } from './001-initial-schema';
import { migration002ModelLifecycle } from './002-model-lifecycle';
import { migration003DriftAlerts } from './003-drift-alerts';
import { migration004Planning } from './004-planning';
import { migration005FoldDetail } from './005-fold-detail';
import { migration006ClassCapacity } from './006-class-capacity';

export interface Migration {
  version: number;
  name: string;
  up: (db: WritableDB) => void;
}

/** Append only: a released migration never changes, its number and name are recorded in every database. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial-schema', up: migration001InitialSchema },
  { version: 2, name: 'model-lifecycle', up: migration002ModelLifecycle },
  { version: 3, name: 'drift-alerts', up: migration003DriftAlerts },
  { version: 4, name: 'planning', up: migration004Planning },
  { version: 5, name: 'fold-detail', up: migration005FoldDetail },
  { version: 6, name: 'class-capacity', up: migration006ClassCapacity },
];
