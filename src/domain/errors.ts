/**
 * The platform's own errors. The engine (access, workflow, services, jobs) throws these and
 * nothing of the panel's: a worker, the integration API and the panel all understand them, and
 * only the panel's edge (src/admin/errors.ts) turns them into AdminJS's error classes.
 *
 * Every message is what the user reads, in Chinese.
 */

/** A refusal the user can understand and act on (HTTP 400 / an error notice in the panel). */
export class PlatformError extends Error {
  readonly status: number = 400;
  /** A stable machine-readable code (the integration API's `error.code`). */
  readonly code: string = 'invalid_request';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Per-field problems of a form or a record (the panel shows each beside its field). */
export class ValidationFailed extends PlatformError {
  override readonly code = 'validation_failed';
  constructor(readonly fieldErrors: Record<string, { message: string }>, message = '表单有误，请检查后重新提交') {
    super(message);
  }
}

/** Outside the principal's rights or jurisdiction; says nothing of whether the record exists. */
export class AccessDenied extends PlatformError {
  override readonly status = 403;
  override readonly code = 'forbidden';
}

/** The state changed under the user (someone else decided, an open request exists …). */
export class Conflict extends PlatformError {
  override readonly status = 409;
  override readonly code = 'conflict';
}

export class NotFound extends PlatformError {
  override readonly status = 404;
  override readonly code = 'not_found';
}

/** The message of any error as the user may read it: a platform error's own, otherwise none. */
export function userMessage(e: unknown): string | undefined {
  return e instanceof PlatformError ? e.message : undefined;
}
