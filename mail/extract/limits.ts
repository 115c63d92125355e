/** Bounds on what intake will read, so a hostile or broken mail fails fast and cleanly. */
export type ExtractLimits = {
  /** A whole mail larger than this is refused unread. */
  maxMailBytes: number;
  /** An attachment larger than this is skipped (reported, not read). */
  maxDocumentBytes: number;
  /** HTML (a body or a DOCX rendering) longer than this is refused: HTML bombs. */
  maxHtmlChars: number;
  /** Extracted text longer than this is cut: a BB is a page or two. */
  maxTextChars: number;
  /** PDF pages read; a BB is one or two. */
  maxPdfPages: number;
  /** Total bytes a DOCX may inflate to (zip bomb guard). */
  maxDocxInflatedBytes: number;
  /** Wall-clock bound on one document's extraction. */
  timeoutMs: number;
};

export const DEFAULT_LIMITS: ExtractLimits = {
  maxMailBytes: 40 * 1024 * 1024,
  maxDocumentBytes: 10 * 1024 * 1024,
  maxHtmlChars: 2 * 1024 * 1024,
  maxTextChars: 200_000,
  maxPdfPages: 10,
  maxDocxInflatedBytes: 30 * 1024 * 1024,
  timeoutMs: 10_000,
};

export type ExtractErrorCode = 'too_large' | 'unreadable' | 'timeout' | 'unsupported';

/** Why a document could not be read. `message` is Swedish and names no personal data. */
export class ExtractError extends Error {
  readonly code: ExtractErrorCode;
  constructor(code: ExtractErrorCode, message: string) {
    super(message);
    this.name = 'ExtractError';
    this.code = code;
  }
}

/** Races `work` against a timer; `onTimeout` releases what the work holds (a PDF document). */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new ExtractError('timeout', `${what} tog för lång tid att läsa (över ${ms} ms).`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
