import { z } from 'zod';
import { readJson } from './wire.js';

export const COMMAND_KINDS = ['enable', 'disable', 'report'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** A command to one device and what became of it: who sent what, when, and the device's answer. */
export interface CommandRecord {
  id: number;
  deviceId: string;
  by: string;
  kind: CommandKind;
  issuedAtMs: number;
  ackedAtMs?: number;
  ok?: boolean;
}

const ackSchema = z.strictObject({ id: z.number().int().positive(), ok: z.boolean() });
const commandSchema = z.strictObject({ id: z.number().int().positive(), kind: z.enum(COMMAND_KINDS) });

export const encodeCommand = (c: CommandRecord): string => JSON.stringify({ id: c.id, kind: c.kind });
export const encodeAck = (id: number, ok: boolean): string => JSON.stringify({ id, ok });

export function decodeCommand(payload: Uint8Array | string): { id: number; kind: CommandKind } | undefined {
  try {
    const r = commandSchema.safeParse(
      JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload)),
    );
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** The command log: every command kept with its acknowledgement (or none, if the device never answered). */
export class CommandLog {
  private readonly records: CommandRecord[] = [];
  private nextId = 1;

  issue(deviceId: string, by: string, kind: CommandKind, nowMs: number): CommandRecord {
    const r: CommandRecord = { id: this.nextId++, deviceId, by, kind, issuedAtMs: nowMs };
    this.records.push(r);
    return r;
  }

  /** A device's acknowledgement; refused (false) unless it answers a command sent to that device. */
  ack(deviceId: string, payload: Uint8Array | string, nowMs: number): boolean {
    const read = readJson(payload);
    const a = read.ok ? ackSchema.safeParse(read.json) : undefined;
    if (!a?.success) return false;
    const r = this.records[a.data.id - 1];
    if (!r || r.deviceId !== deviceId || r.ackedAtMs !== undefined) return false;
    r.ackedAtMs = nowMs;
    r.ok = a.data.ok;
    return true;
  }

  list(deviceId?: string): readonly CommandRecord[] {
    return deviceId === undefined ? this.records : this.records.filter((r) => r.deviceId === deviceId);
  }
}
