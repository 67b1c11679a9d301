import { InitialSchema1764300000000 } from './1764300000000-InitialSchema';
import { UsersAndOwnership1764300000200 } from './1764300000200-UsersAndOwnership';
import { AuditTrail1764300000100 } from './1764300000100-AuditTrail';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1764300000000, UsersAndOwnership1764300000200, AuditTrail1764300000100];
