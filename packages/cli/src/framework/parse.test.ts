import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { parseCommandLine } from './parse.js';
import { defineCommand, opt, std } from './spec.js';

const options = {
  feeder: opt.input({ required: true, help: 'script' }),
  devices: opt.integer({ min: 100, max: 1000, default: 200, help: 'devices' }),
  k: opt.number({ min: 0, max: 1, help: 'k' }),
  limit: opt.number({ above: 0, help: 'limit' }),
  format: std.format(['table', 'csv', 'json']),
  verbose: opt.flag({ help: 'more', short: 'v' }),
};
const spec = defineCommand({
  name: 'demo',
  summary: 'a test command',
  options,
  examples: [],
  load: async () => ({ run: async () => 0 }),
});
const parse = (...argv: string[]) => parseCommandLine(spec, argv);
const refusal = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
};

describe('parseCommandLine', () => {
  it('types values, applies defaults and leaves unset options undefined', () => {
    const p = parse('--feeder', 'a.dss', '--k=0.25', '-v');
    expect(p.options).toEqual({
      feeder: 'a.dss',
      devices: 200,
      k: 0.25,
      limit: undefined,
      format: 'table',
      verbose: true,
    });
    expect(parse('--feeder', 'a.dss', '--devices', '1000', '--format', 'json').options).toMatchObject({
      devices: 1000,
      format: 'json',
    });
  });

  it('names the option and what it wanted in every refusal', () => {
    expect(refusal()).toBe('--feeder FILE is required');
    expect(refusal('--feeder', 'a', '--devices', '99')).toBe('--devices must be from 100 to 1000, not 99');
    expect(refusal('--feeder', 'a', '--devices', '1e3')).toMatch(/--devices must be a whole number/);
    expect(refusal('--feeder', 'a', '--devices', '150.5')).toMatch(/--devices must be a whole number/);
    expect(refusal('--feeder', 'a', '--k', 'NaN')).toMatch(/--k must be a number from 0 to 1, not "NaN"/);
    expect(refusal('--feeder', 'a', '--k', 'Infinity')).toMatch(/--k must be a number/);
    expect(refusal('--feeder', 'a', '--limit', '0')).toBe('--limit must be > 0, not 0');
    expect(refusal('--feeder', 'a', '--format', 'jsn')).toBe(
      '--format must be one of table, csv, json, not "jsn"; did you mean json?',
    );
    expect(refusal('--feeder', 'a', '--fromat', 'json')).toBe(
      'unknown option --fromat; did you mean --format?',
    );
    expect(refusal('--feeder')).toBe('--feeder needs a value (FILE)');
    expect(refusal('--feeder', '')).toBe('--feeder needs a value (FILE)');
    expect(refusal('--feeder', 'a', '--k', '-1')).toMatch(
      /--k needs a value \(X\); a value that starts with "-" is written --k=-VALUE/,
    );
    expect(refusal('--feeder', 'a', '--verbose=yes')).toBe('--verbose takes no value');
    expect(refusal('a.dss')).toBe(
      'unexpected argument "a.dss"; inputs are named: did you mean --feeder a.dss?',
    );
  });

  it('answers help before any other mistake on the line, and takes --debug anywhere', () => {
    expect(parse('--nonsense', '--help').help).toBe(true);
    expect(parse('-h').help).toBe(true);
    expect(parse('--feeder', 'a', '--debug').debug).toBe(true);
    // after "--" nothing is an option
    expect(() => parse('--feeder', 'a', '--', '--help')).toThrow(/unexpected argument "--help"/);
  });
});
