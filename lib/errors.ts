/** The one error family of ChargeOps; each edge (action, route, OCPP, socket) maps it once. */
export type AppErrorKind =
  'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'validation' | 'precondition_failed';

export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    /** Per-field messages for forms (field name -> message). */
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbiddenError = (message = 'You are not allowed to do this') =>
  new AppError('forbidden', message);
export const conflict = (message: string, fieldErrors?: Record<string, string>) =>
  new AppError('conflict', message, fieldErrors);
export const invalid = (message: string, fieldErrors?: Record<string, string>) =>
  new AppError('validation', message, fieldErrors);

/** HTTP status for an error kind. */
export function httpStatusOf(kind: AppErrorKind): number {
  return {
    unauthenticated: 401,
    forbidden: 403,
    not_found: 404,
    conflict: 409,
    validation: 422,
    precondition_failed: 412,
  }[kind];
}
