import { describe, expect, it } from 'vitest';
import { ledger } from '../index.js';
import { ledgerSuite, testKey } from '../testing.js';
import { nodeCrypto } from './native-crypto.js';

ledgerSuite(
  'in-memory ledger with Node’s crypto',
  async () => new ledger.MemoryLedger(undefined, nodeCrypto()),
);

describe('Node’s crypto against the JavaScript suite', () => {
  it('hashes alike and accepts exactly the signatures the other accepts', () => {
    const node = nodeCrypto();
    const js = ledger.jsCrypto;
    const data = new TextEncoder().encode('gridtier');
    expect([...node.sha256(data)]).toEqual([...js.sha256(data)]);
    const readings = [{ meter: 'm1', account: 'a', slot: 3, energyWh: 1200, nonce: 9 }];
    const s = ledger.signReadings(readings, testKey(3), js);
    const msg = ledger.readingsMessage(readings, js);
    expect(node.verify(msg, s.signature, s.oracle)).toBe(true);
    expect(js.verify(msg, s.signature, s.oracle)).toBe(true);
    const other = ledger.signReadings(readings, testKey(4), js);
    expect(node.verify(msg, other.signature, s.oracle)).toBe(false);
    expect(node.verify(msg, 'zz', s.oracle)).toBe(false);
  });
});
