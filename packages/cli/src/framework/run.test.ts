import { InvalidValueError } from '@gridtier/core/errors';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import type { Program } from './help.js';
import { CapturedIo } from './io.js';
import { runCommandLine } from './run.js';
import { defineCommand, defineGroup, opt } from './spec.js';

/** A command that ends as --how says, to see each ending's exit code and message. */
const options = {
  how: opt.choice(['ok', 'refuse', 'usage', 'bug', 'system'], { default: 'ok', help: 'ending' }),
};
const end = defineCommand({
  name: 'end',
  summary: 'ends as told',
  options,
  examples: [{ args: 'tool end --how ok', help: 'succeeds' }],
  load: async () => ({
    run: async ({ options: o, io }) => {
      if (o.how === 'refuse') throw new InvalidValueError('orders.json:3: price: must be a number');
      if (o.how === 'usage') throw new UsageError('--how usage is not allowed here');
      if (o.how === 'bug') throw new TypeError('cannot read properties of undefined');
      if (o.how === 'system') {
        const e = Object.assign(new Error('EACCES: permission denied'), {
          code: 'EACCES',
          syscall: 'open',
          path: '/x/y.csv',
        });
        throw e;
      }
      io.stdout('done\n');
      return 0;
    },
  }),
});
const program: Program = {
  name: 'tool',
  summary: 'a test program',
  commands: [end, defineGroup({ name: 'grp', summary: 'a group', commands: [end] })],
};
const run = async (...argv: string[]) => {
  const io = new CapturedIo();
  const r = await runCommandLine(program, argv, io, { version: () => '9.9.9' });
  return { ...r, out: io.out, err: io.err };
};

describe('runCommandLine', () => {
  it('maps every ending to a documented exit code, with a stack only under --debug', async () => {
    expect(await run('end')).toMatchObject({ code: 0, outcome: 'ok', out: 'done\n', err: '' });
    const refused = await run('end', '--how', 'refuse');
    expect(refused).toMatchObject({ code: 1, outcome: 'refused' });
    expect(refused.err).toBe('tool end: orders.json:3: price: must be a number\n');
    const usage = await run('end', '--how', 'usage');
    expect(usage).toMatchObject({ code: 2, outcome: 'usage' });
    expect(usage.err).toMatch(/Usage: tool end \[options\]/);
    const system = await run('end', '--how', 'system');
    expect(system).toMatchObject({
      code: 1,
      outcome: 'refused',
      err: 'tool end: /x/y.csv: permission denied\n',
    });
    const bug = await run('end', '--how', 'bug');
    expect(bug).toMatchObject({ code: 1, outcome: 'internal' });
    expect(bug.err).toMatch(/internal error: cannot read properties of undefined/);
    expect(bug.err).not.toMatch(/\n\s+at /);
    const debug = await run('end', '--how', 'bug', '--debug');
    expect(debug).toMatchObject({ code: 70, outcome: 'internal' });
    expect(debug.err).toMatch(/\n\s+at /);
    expect((await run('--debug', 'end', '--how', 'bug')).code).toBe(70);
  });

  it('answers help and version, and refuses what it does not know with a suggestion', async () => {
    expect(await run('--version')).toMatchObject({ code: 0, out: 'tool 9.9.9\n' });
    expect((await run('-V')).out).toBe('tool 9.9.9\n');
    const top = await run('--help');
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/^ {2}grp end +ends as told$/m);
    expect(await run()).toMatchObject({ code: 2, outcome: 'usage' });
    expect((await run('ned')).err).toMatch(/unknown command "ned"; did you mean "end"\?/);
    expect((await run('grp')).err).toMatch(/tool grp: a command is needed: end/);
    expect(await run('grp', '--help')).toMatchObject({ code: 0 });
    expect((await run('grp', 'end', '-h')).out).toMatch(/^tool grp end — ends as told/);
    expect((await run('help', 'grp', 'end')).out).toMatch(/^tool grp end — ends as told/);
    expect((await run('help', 'nope')).code).toBe(2);
  });
});
