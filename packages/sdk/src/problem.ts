/** A problem the API answered with (RFC 9457), thrown by the client. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: {
      title?: string;
      detail?: string;
      code?: string;
      field?: string;
      [k: string]: unknown;
    },
    options?: { cause?: unknown },
  ) {
    super(`${status} ${problem.title ?? ''}: ${problem.detail ?? ''}`, options);
    this.name = 'ApiProblem';
  }

  get field(): string | undefined {
    return this.problem.field;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

/** The server could not be reached (or kept failing) after every retry. */
export class ApiUnreachable extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ApiUnreachable';
  }
}
