import { readdirSync, readFileSync } from 'node:fs';
import { type FleetRunResult, runFleet } from './fleet-run.js';
import { listening } from './listening.js';

/**
 * The device gateway at scale, rounds paced on the wall clock (one every 10 s): 10,000 simulated
 * devices on the embedded broker, and as many as the machine's Mosquitto may hold (50,000 asked).
 * The devices run in child processes, so the main process is the broker and the gateway alone
 * and its CPU and memory are theirs; Mosquitto's are read from /proc.
 */
const MOSQUITTO = { host: '127.0.0.1', port: 1883 };
const ASKED_ON_MOSQUITTO = 50_000;
const SECONDS = 150;

/** The local Mosquitto's process, its open-files limit, CPU ticks and resident memory (Linux /proc). */
function mosquitto(): { pid: string; maxFiles: number } | undefined {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'mosquitto') continue;
      const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
      const m = /Max open files\s+(\d+)/.exec(limits);
      return { pid, maxFiles: m ? Number(m[1]) : Number.POSITIVE_INFINITY };
    } catch {
      // a process that ended meanwhile, or one not ours to read
    }
  }
  return undefined;
}

function usage(pid: string): { cpuS: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux)
  const cpuS = (Number(f[11]) + Number(f[12])) / 100;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS, rssMiB: rss ? Number(rss[1]) / 1024 : 0 };
}

const f1 = (x: number) => x.toFixed(1);
const row = (broker: string, r: FleetRunResult, cpuPct: number, memMiB: number) => [
  broker,
  r.devices.toLocaleString('en-US'),
  r.connected.toLocaleString('en-US'),
  f1(r.connectS),
  String(r.rounds),
  r.deliveryPct.toFixed(2),
  r.rmsTrackingErrorPct.toFixed(2),
  f1(cpuPct),
  f1(memMiB),
  Math.round(r.messagesPerS).toLocaleString('en-US'),
];

export async function bench() {
  const rows: string[][] = [];
  const notes: string[] = [];
  const embedded = await runFleet({
    count: 10_000,
    seconds: SECONDS,
    wallClock: true,
    processes: true,
    workers: 4,
    seed: 1,
  });
  rows.push(row('embedded (aedes)', embedded, embedded.mainCpuPct, embedded.mainRssMiB));
  const m = (await listening(MOSQUITTO.host, MOSQUITTO.port)) ? mosquitto() : undefined;
  if (!m) notes.push('Mosquitto: not running on 127.0.0.1:1883, not measured');
  else {
    // every connection is a file descriptor of Mosquitto's: its limit bounds the fleet
    const count = Math.min(ASKED_ON_MOSQUITTO, Math.floor((m.maxFiles - 500) / 1000) * 1000);
    if (count < ASKED_ON_MOSQUITTO)
      notes.push(
        `Mosquitto: ${ASKED_ON_MOSQUITTO.toLocaleString('en-US')} devices asked; this Mosquitto may open ${m.maxFiles.toLocaleString('en-US')} files, so ${count.toLocaleString('en-US')} ran`,
      );
    const t0 = performance.now();
    const u0 = usage(m.pid);
    const r = await runFleet({
      brokerUrl: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`,
      count,
      seconds: SECONDS,
      wallClock: true,
      processes: true,
      workers: 8,
      seed: 2,
      // a VPP of its own on a broker others use
      vpp: `bench${process.pid}`,
    });
    const u1 = usage(m.pid);
    const wallS = (performance.now() - t0) / 1000;
    rows.push(row('Mosquitto', r, (100 * (u1.cpuS - u0.cpuS)) / wallS, u1.rssMiB));
  }
  notes.push(
    'A round every 10 s of wall time; the goal steps to 80 % of the enabled demand after 3 rounds. Delivery: reports the gateway accepted of those sent; tracking: rms of the devices’ true enabled demand against the target after the step has settled; CPU and memory: the embedded broker’s process (broker and gateway; the devices run in child processes), or Mosquitto’s own (CPU over the whole run, connects included); messages/s: reports in and broadcasts fanned out, per second of the rounds.',
  );
  return {
    title: 'Device gateway over MQTT (round every 10 s)',
    columns: [
      'broker',
      'devices',
      'connected',
      'connect s',
      'rounds',
      'delivered %',
      'tracking rms %',
      'broker CPU %',
      'broker MiB',
      'messages/s',
    ],
    rows,
    notes,
  };
}
