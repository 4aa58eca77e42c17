import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GridTierError } from '@gridtier/core/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFileOptions, MAX_INPUT_BYTES, writeFileAtomic, writeFilesAtomic } from './files.js';
import { opt, std } from './spec.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridtier-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const defs = {
  orders: opt.input({ help: 'in' }),
  out: std.out(),
  report: std.report('files'),
};
const refusal = (values: Record<string, unknown>) => {
  try {
    checkFileOptions(defs, values);
  } catch (e) {
    expect(e).toBeInstanceOf(GridTierError);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('checkFileOptions', () => {
  it('refuses a missing input, a folder as input and an input over the size limit', () => {
    expect(refusal({ orders: join(dir, 'none.json') })).toMatch(/--orders .*none\.json: no such file/);
    expect(refusal({ orders: dir })).toMatch(/is a folder, not a file/);
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    // a sparse file: the size is checked, not the content
    truncateSync(big, MAX_INPUT_BYTES + 1);
    expect(refusal({ orders: big })).toMatch(/larger than the limit of 64 MiB/);
  });

  it('refuses outputs that cannot be written before any work, and accepts ones whose folders are missing', () => {
    expect(refusal({ out: dir })).toMatch(/is a folder; --out takes a file name/);
    const file = join(dir, 'f.txt');
    writeFileSync(file, 'x');
    expect(refusal({ report: file })).toMatch(/is a file; --report takes a folder/);
    expect(refusal({ out: join(file, 'sub', 'x.csv') })).toMatch(/f\.txt is a file, not a folder/);
    expect(refusal({ orders: file, out: file })).toMatch(/is the --orders input; refusing to overwrite it/);
    expect(() =>
      checkFileOptions(defs, { out: join(dir, 'a', 'b', 'x.csv'), report: join(dir, 'r') }),
    ).not.toThrow();
    // nothing was made by the check
    expect(readdirSync(dir)).toEqual(['f.txt']);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a folder it may not write in', () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    expect(refusal({ out: join(ro, 'x.csv') })).toMatch(/cannot write in/);
  });
});

describe('atomic writes', () => {
  it('replaces a file whole and leaves no temporary file', () => {
    const path = join(dir, 'sub', 'x.csv');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['x.csv']);
  });

  it('writes a set of files all or none: a failure leaves the earlier set and no temporaries', () => {
    writeFilesAtomic(dir, { 'a.csv': 'old a', 'b.csv': 'old b' });
    mkdirSync(join(dir, 'c.csv')); // renaming a file over a folder fails
    expect(() => writeFilesAtomic(dir, { 'a.csv': 'new a', 'c.csv': 'new c' })).toThrow();
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('old a');
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });
});
