import { describe, expect, it } from 'vitest';
import { parseCommand, splitScript } from './lexer.js';
import { evaluateRpn } from './rpn.js';
import { parseBusSpec, ValueReader } from './values.js';

const loc = { file: 't.dss', line: 1 };
const reader = (value: string, quote?: string) => new ValueReader({ name: 'x', value, quote }, 'x', loc);

describe('splitScript', () => {
  it('drops ! and // comments and /* */ blocks, keeping line numbers', () => {
    const lines = splitScript('New a.b x=1 ! note\n/* block\nstill\n*/\n// all comment\n  ~ y=2 // tail\n');
    expect(lines).toEqual([
      { text: 'New a.b x=1', line: 1 },
      { text: '~ y=2', line: 6 },
    ]);
  });

  it('keeps ! inside quotes', () => {
    expect(splitScript('Set x="a!b"')[0].text).toBe('Set x="a!b"');
  });
});

describe('parseCommand', () => {
  it('reads names, values, quotes and positional parameters', () => {
    const c = parseCommand(
      `New Transformer.t buses=[a.1 b.2] conns='delta delta' kv = 4.16 xhl=(8 1000 /) 5`,
      loc,
    );
    expect(c.verb).toBe('New');
    expect(c.params.map((p) => [p.name, p.value, p.quote])).toEqual([
      [undefined, 'Transformer.t', undefined],
      ['buses', 'a.1 b.2', '['],
      ['conns', 'delta delta', "'"],
      ['kv', '4.16', undefined],
      ['xhl', '8 1000 /', '('],
      [undefined, '5', undefined],
    ]);
  });

  it('treats Class.name.prop=value as an edit', () => {
    const c = parseCommand('Transformer.Reg1.Taps=[1.0 1.0625]', loc);
    expect(c.verb).toBe('');
    expect(c.params[0].name).toBe('Transformer.Reg1.Taps');
  });

  it('names the line of an unclosed bracket', () => {
    expect(() => parseCommand('New Line.a rmatrix=[1 2', { file: 'f.dss', line: 7 })).toThrow(
      /f\.dss:7: unclosed \[/,
    );
  });
});

describe('in-line math and values', () => {
  it('evaluates reverse-Polish expressions', () => {
    expect(evaluateRpn('8 1000 /')).toBeCloseTo(0.008, 15);
    expect(evaluateRpn('1.051 0.88 0.001 3 * - - 115 12.47 / sqr *')).toBeCloseTo(
      (1.051 - (0.88 - 0.003)) * (115 / 12.47) ** 2,
      12,
    );
    expect(evaluateRpn('2 sqrt sqr')).toBeCloseTo(2, 14);
  });

  it('rejects unknown operators with the expression', () => {
    expect(() => evaluateRpn('1 2 %', loc)).toThrow(/t\.dss:1: cannot evaluate in-line math "1 2 %"/);
  });

  it('expands lower-triangle and full matrices symmetrically', () => {
    const lower = reader('1 | 2 3 | 4 5 6', '[').symmetricMatrix(3);
    expect([...lower]).toEqual([1, 2, 4, 2, 3, 5, 4, 5, 6]);
    const full = reader('1 2 | 2 3', '[').symmetricMatrix(2);
    expect([...full]).toEqual([1, 2, 2, 3]);
    expect(() => reader('1 | 2', '[').symmetricMatrix(3)).toThrow(/expected 3 rows/);
  });

  it('rejects NaN and negatives where a rating is expected', () => {
    expect(() => reader('abc').number()).toThrow(/x="abc": not a number/);
    expect(() => reader('-5').nonNegative()).toThrow(/must not be negative/);
    expect(() => reader('0').positive()).toThrow(/must be positive/);
  });

  it('parses bus specifications with nodes', () => {
    expect(parseBusSpec('RG60.1.2.3', loc)).toEqual({ bus: 'rg60', nodes: [1, 2, 3] });
    expect(parseBusSpec('x.0.2', loc)).toEqual({ bus: 'x', nodes: [0, 2] });
    expect(() => parseBusSpec('b.a', loc)).toThrow(/node "a"/);
  });
});
