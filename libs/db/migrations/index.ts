import { InitialSchema1764300000000 } from './1764300000000-InitialSchema';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1764300000000];
