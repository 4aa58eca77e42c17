import { fileURLToPath } from 'node:url';
import type { ScriptHost } from '../../grid/dss/index.js';
import { runScript } from '../../grid/powerflow/index.js';
import { nodeScriptHost } from '../../node.js';

/** The project's example feeder, for scripts that Redirect to it. */
export const demoFeeder = fileURLToPath(
  new URL('../../../../../examples/feeders/gridtier-demo/master.dss', import.meta.url),
);

/** Two lossless lines and two loads: one price everywhere unless a limit binds. */
export const losslessFeeder = `Clear
New Circuit.ll basekv=12.47 bus1=src pu=1.0 r1=0 x1=0.001 r0=0 x0=0.001
New Line.a bus1=src bus2=b1 r1=0 x1=0.3 r0=0 x0=0.9 c1=0 c0=0 length=1 normamps=1000
New Line.b bus1=b1 bus2=b2 r1=0 x1=0.3 r0=0 x0=0.9 c1=0 c0=0 length=1 normamps=1000
New Load.l1 bus1=b1 kv=12.47 kw=600 pf=0.95
New Load.l2 bus1=b2 kv=12.47 kw=400 pf=0.95
Set voltagebases=[12.47]
CalcVoltageBases
`;

/** Runs a script held in memory; its Redirects may still read files. */
export function stateOf(script: string) {
  const host: ScriptHost = {
    ...nodeScriptHost,
    readText: (p) => (p.endsWith('virtual.dss') ? script : nodeScriptHost.readText(p)),
    exists: (p) => p.endsWith('virtual.dss') || nodeScriptHost.exists(p),
  };
  return runScript(host, '/virtual.dss').state;
}
