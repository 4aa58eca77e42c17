/** A payload as JSON, or the parser's complaint; MQTT payloads arrive as bytes. */
export function readJson(
  payload: Uint8Array | string,
): { ok: true; json: unknown } | { ok: false; error: string } {
  try {
    return {
      ok: true,
      json: JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload)),
    };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export const byteLength = (payload: Uint8Array | string): number =>
  typeof payload === 'string' ? payload.length : payload.byteLength;
