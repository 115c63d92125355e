/**
 * The one error type for unexpected-but-known failures in the shell (STYLE.md §5). Expected
 * refusals from the routines are values, not exceptions. Each code has a Swedish message for the
 * user and an HTTP status; the log gets the code, never personal data.
 */
export const errorCodes = {
  DB_UNAVAILABLE: { status: 503, message: 'Databasen går inte att nå just nu. Försök igen om en stund.' },
  BAD_REQUEST: { status: 400, message: 'Begäran kunde inte tolkas.' },
  UNAUTHORIZED: { status: 401, message: 'Inloggningen kunde inte verifieras.' },
  FORBIDDEN: { status: 403, message: 'Du har inte behörighet till detta.' },
  NOT_FOUND: { status: 404, message: 'Hittades inte.' },
  CONFLICT: { status: 409, message: 'Någon annan hann före. Läs in på nytt och försök igen.' },
  INTERNAL: { status: 500, message: 'Något gick fel hos Boendelotsen. Felet är loggat; försök igen eller kontakta administratören.' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;

  constructor(code: ErrorCode, opts: { userMessage?: string; cause?: unknown; detail?: string } = {}) {
    super(opts.detail ?? code, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = opts.userMessage ?? errorCodes[code].message;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

/** Whatever was thrown, as an AppError (unknown errors become INTERNAL). */
export function toAppError(err: unknown): AppError {
  return err instanceof AppError ? err : new AppError('INTERNAL', { cause: err });
}
