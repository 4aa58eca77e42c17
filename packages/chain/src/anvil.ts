import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ChainError } from './errors.js';

export interface EmbeddedChain {
  rpcUrl: string;
  stop(): Promise<void>;
}

/** The first development account of anvil's default mnemonic: a public test key, never a real one. */
export const DEV_PRIVATE_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

const live = new Set<ChildProcess>();
// an embedded chain never outlives the process that started it
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts a private EVM chain (anvil, from its npm package's platform binary) on a free local
 * port. Prague rules, no per-block gas cap, so an interval of a thousand trades is one
 * transaction and settles whole or not at all.
 */
export async function startEmbeddedChain(options: { timeoutMs?: number } = {}): Promise<EmbeddedChain> {
  const port = await freePort();
  const child = spawn(
    anvilBinary(),
    [
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--hardfork',
      'prague',
      '--disable-block-gas-limit',
      '--no-request-size-limit',
      '--accounts',
      '1',
      '--quiet',
      // keep no historical states: the settlement client reads only the latest one
      '--prune-history',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    live.delete(child);
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForRpc(rpcUrl, child, options.timeoutMs ?? 15_000);
  } catch (e) {
    await stop();
    throw new ChainError(`the embedded chain did not start: ${(e as Error).message} ${stderr.trim()}`, {
      cause: e,
    });
  }
  return { rpcUrl, stop };
}

function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const dir = dirname(require.resolve(`${pkg}/package.json`));
    return join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  } catch (e) {
    throw new ChainError(`no embedded chain for ${process.platform}-${arch} (${pkg} is not installed)`, {
      cause: e,
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForRpc(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no answer on ${url} within ${timeoutMs} ms`);
}
