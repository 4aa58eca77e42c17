/** Where in an input a problem was found: a script file and line, or an element of the circuit. */
export interface SourceLocation {
  file?: string;
  line?: number;
  element?: string;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file);
  if (loc.element !== undefined) parts.push(loc.element);
  return parts.join(' ');
}

export interface GridTierErrorOptions {
  location?: SourceLocation;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Base of every error GridTier raises on purpose. `code` is stable and machine-readable,
 * the message always says what was wrong and where.
 */
export class GridTierError extends Error {
  readonly code: string;
  readonly location: SourceLocation | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: GridTierErrorOptions = {}) {
    const where = formatLocation(options.location);
    super(where ? `${where}: ${message}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.location = options.location;
    this.details = options.details ?? {};
  }
}

/** A script could not be tokenized or a command is malformed. */
export class DssSyntaxError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('DSS_SYNTAX', message, options);
  }
}

/** A script names something that does not exist: a class, property, element, file or option. */
export class DssReferenceError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('DSS_REFERENCE', message, options);
  }
}

/** A value was parsed but is not acceptable (NaN, negative rating, wrong array length, ...). */
export class InvalidValueError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('INVALID_VALUE', message, options);
  }
}

/** A script uses a feature GridTier does not model; rejected loudly rather than ignored. */
export class UnsupportedFeatureError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('UNSUPPORTED', message, options);
  }
}

/** The network cannot be solved as built: islands without a source, zero-impedance loops. */
export class TopologyError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('TOPOLOGY', message, options);
  }
}

/** A numerical method failed: singular matrix, no convergence. */
export class NumericalError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('NUMERICAL', message, options);
  }
}

/** The power flow did not converge; details carry iterations and the final mismatch. */
export class ConvergenceError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('NO_CONVERGENCE', message, options);
  }
}

/** A computation ran past its wall-clock limit and was stopped. */
export class TimeoutError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('TIMEOUT', message, options);
  }
}

/**
 * A solver could not solve a model it was given: it failed, or reports the model infeasible or
 * unbounded. details.status carries the solver's status.
 */
export class SolverError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('SOLVER', message, options);
  }
}

/** A ledger refused an interval as a whole (a bad signature, an unpaid trade, a second sale …). */
export class SettlementRefusedError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('REFUSED', message, options);
  }
}

/** A schema's findings as one refusal: each bad field by its path ("trades.3.energyWh: …"). */
export function schemaRefusal(
  source: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): InvalidValueError {
  const what = issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
  return new InvalidValueError(`${source}: ${what}`, { details: { issues } });
}
