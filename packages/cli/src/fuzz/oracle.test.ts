import { describe, expect, it } from 'vitest';
import { judge, namesWhere, type RunReport, signature } from './oracle.js';

const run = (r: Partial<RunReport>): RunReport => ({
  code: 0,
  outcome: 'ok',
  stdout: '',
  stderr: '',
  stack: false,
  ms: 5,
  ...r,
});
const empty = new Map<string, string>();
const before = new Map([['existing.out', 'aaa']]);

describe('the fuzz oracle', () => {
  it('passes a success and a refusal that names the file and field', () => {
    expect(judge(['pf'], run({}), before, before)).toEqual([]);
    const refusal = run({
      code: 1,
      outcome: 'refused',
      stderr: 'gridtier auction: {CASE}/o.json: orders.3.price: NaN\n',
    });
    expect(judge(['auction'], refusal, before, before)).toEqual([]);
  });

  it('flags internal errors, stack traces, exit 70 without --debug and hangs', () => {
    expect(
      judge(
        ['pf'],
        run({ code: 1, outcome: 'internal', stderr: 'gridtier pf: internal error: x' }),
        empty,
        empty,
      ),
    ).toEqual(['internal error (exit 1): gridtier pf: internal error: x']);
    expect(
      judge(['pf'], run({ code: 1, outcome: 'refused', stderr: 'x --feeder', stack: true }), empty, empty),
    ).toEqual(['a stack trace']);
    expect(judge(['pf'], run({ code: 70, outcome: 'internal' }), empty, empty)).toContain(
      'exit 70 without --debug',
    );
    expect(
      judge(['pf', '--debug'], run({ code: 70, outcome: 'internal', stack: true }), empty, empty),
    ).toEqual(['internal error (exit 70): (nothing on standard error)']);
    expect(judge(['pf'], run({ outcome: 'timeout', ms: 60_000 }), empty, empty)[0]).toMatch(/time limit/);
    expect(judge(['pf'], run({ code: 3 }), empty, empty)).toEqual(['undocumented exit code 3']);
  });

  it('flags a failed run that wrote or changed a file, and a temporary file left behind', () => {
    const changed = new Map([
      ['existing.out', 'bbb'],
      ['new.csv', 'ccc'],
    ]);
    expect(judge(['pf'], run({ code: 1, outcome: 'refused', stderr: '--out x' }), before, changed)).toEqual([
      'failed run changed existing.out',
      'failed run wrote new.csv',
    ]);
    expect(judge(['pf'], run({}), before, new Map([['out/.a.csv.1.ab.tmp', 'x']]))).toEqual([
      'a temporary file was left behind: out/.a.csv.1.ab.tmp',
    ]);
  });

  it('wants the usage with a usage error, and a place with a refusal', () => {
    expect(
      judge(['pf'], run({ code: 2, outcome: 'usage', stderr: 'gridtier pf: bad\n' }), empty, empty)[0],
    ).toMatch(/without the usage/);
    expect(namesWhere('gridtier pf: something went wrong')).toBe(false);
    expect(namesWhere('gridtier pf: {CASE}/feeder.dss:12: unknown property')).toBe(true);
    expect(namesWhere('gridtier lem clear: rejected o1: steps.0.price: too high')).toBe(true);
    // an argument, named as the usage line names it
    expect(namesWhere('gridtier clients revoke: ID "x": not a client id')).toBe(true);
    expect(namesWhere('gridtier clients revoke: no client x')).toBe(false);
  });

  it('counts failures that differ only in numbers and paths as one', () => {
    expect(signature('pf', 'failed run wrote {CASE}/out/a.csv at 12')).toBe(
      signature('pf', 'failed run wrote {CASE}/b.csv at 3'),
    );
  });
});
