// Errors of the management services (CLI, admin API, console): each names the field and what to fix.

export class ValidationError extends Error {
  constructor(
    /** RFC 7591 §3.2.2 code where one applies (`invalid_redirect_uri`, `invalid_client_metadata`). */
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`Not found: ${entity} ${id}`);
    this.name = 'NotFoundError';
  }
}
