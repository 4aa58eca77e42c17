import { DssSyntaxError, type SourceLocation } from '../../errors/index.js';

const binary: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  atan2: (a, b) => (Math.atan2(a, b) * 180) / Math.PI,
};

const unary: Record<string, (a: number) => number> = {
  sqr: (a) => a * a,
  sqrt: Math.sqrt,
  inv: (a) => 1 / a,
  ln: Math.log,
  exp: Math.exp,
  log10: Math.log10,
  sin: (a) => Math.sin((a * Math.PI) / 180),
  cos: (a) => Math.cos((a * Math.PI) / 180),
  tan: (a) => Math.tan((a * Math.PI) / 180),
  asin: (a) => (Math.asin(a) * 180) / Math.PI,
  acos: (a) => (Math.acos(a) * 180) / Math.PI,
  atan: (a) => (Math.atan(a) * 180) / Math.PI,
  chs: (a) => -a,
};

const constants: Record<string, number> = { pi: Math.PI };

/**
 * Evaluates OpenDSS in-line math, a reverse-Polish expression such as `8 1000 /`.
 * Trig functions work in degrees, as OpenDSS's do. The result is the top of the stack.
 */
export function evaluateRpn(expr: string, loc?: SourceLocation): number {
  const stack: number[] = [];
  const fail = (why: string): never => {
    throw new DssSyntaxError(`cannot evaluate in-line math "${expr}": ${why}`, { location: loc });
  };
  for (const raw of expr.trim().split(/[\s,]+/)) {
    if (raw === '') continue;
    const tok = raw.toLowerCase();
    if (tok in binary) {
      if (stack.length < 2) fail(`operator ${raw} needs two operands`);
      const b = stack.pop()!;
      const a = stack.pop()!;
      stack.push(binary[tok](a, b));
    } else if (tok in unary) {
      if (stack.length < 1) fail(`function ${raw} needs an operand`);
      stack.push(unary[tok](stack.pop()!));
    } else if (tok in constants) {
      stack.push(constants[tok]);
    } else if (tok === 'swap') {
      if (stack.length < 2) fail('swap needs two operands');
      const b = stack.pop()!;
      const a = stack.pop()!;
      stack.push(b, a);
    } else if (tok === 'rollup' || tok === 'rolldn') {
      if (stack.length > 1) {
        if (tok === 'rollup') stack.unshift(stack.pop()!);
        else stack.push(stack.shift()!);
      }
    } else {
      const v = Number(raw);
      if (raw.trim() === '' || Number.isNaN(v)) fail(`"${raw}" is neither a number nor an operator`);
      stack.push(v);
    }
  }
  if (stack.length === 0) fail('empty expression');
  return stack[stack.length - 1];
}
