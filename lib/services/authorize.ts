import { roleCan, type Permission, type Principal } from '@/lib/domain/access/roles';
import { forbiddenError } from '@/lib/errors';

/** Throws forbidden unless the principal holds the permission; the first line of every service verb. */
export function assertCan(principal: Principal, permission: Permission): void {
  if (!roleCan(principal.role, permission)) throw forbiddenError();
}
