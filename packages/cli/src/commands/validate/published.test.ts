import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryScripts } from './published.js';

describe('published entry scripts', () => {
  it('are the scripts that define or compile a circuit and that no other script redirects to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridtier-published-'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'Run.dss'), 'Compile Master\nSolve\n');
    writeFileSync(join(dir, 'a', 'master.dss'), 'New Circuit.a\nRedirect "Lines.dss"\n');
    writeFileSync(join(dir, 'a', 'Lines.dss'), 'New Line.l1 bus1=a bus2=b\n');
    writeFileSync(join(dir, 'b.dss'), 'clear\nnew object=circuit.b\n');
    writeFileSync(join(dir, 'codes.dss'), 'New LineCode.x r1=1\n');
    expect(entryScripts(dir).map((p) => p.slice(dir.length + 1))).toEqual(['a/Run.dss', 'b.dss']);
  });
});
