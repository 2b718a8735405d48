/**
 * The panel's edge for errors: the engine throws the platform's own errors
 * (src/domain/errors.ts), the database refuses with SQLSTATEs; AdminJS understands only its own
 * classes. Everything thrown by an action or a scoped resource passes through `toAdminError`.
 */
import { AppError, ForbiddenError, NotFoundError, ValidationError } from 'adminjs';
import { DatabaseError } from 'sequelize';
import { AccessDenied, Conflict, NotFound, PlatformError, ValidationFailed } from '../domain/errors.js';
import { FORBIDDEN } from '../access/scope.js';

/** A refusal by the database's own wall (row-level security, the account-authority guard): SQLSTATE 42501. */
export function isDatabaseRefusal(e: unknown): boolean {
  return e instanceof DatabaseError && (e.original as { code?: string } | undefined)?.code === '42501';
}

export function toAdminError(e: unknown): unknown {
  if (e instanceof ValidationFailed) return new ValidationError(e.fieldErrors, { message: e.message });
  if (e instanceof AccessDenied) return new ForbiddenError(e.message);
  if (e instanceof NotFound) return new NotFoundError(e.message, 'platform');
  // A conflict (a second open transfer …) is an HTTP 409 of the server's error handler, not a notice.
  if (e instanceof Conflict) return e;
  if (e instanceof PlatformError) return new AppError(e.message);
  if (isDatabaseRefusal(e)) return new ForbiddenError(FORBIDDEN);
  return e;
}

/** An action's handler whose platform errors reach AdminJS as its own. */
export function adminHandler<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (e) {
      throw toAdminError(e);
    }
  };
}
