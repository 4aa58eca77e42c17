/** Options shared by the commands on the NATS bus (feeder-engine, substation). */
import { UsageError } from '../framework/errors.js';

/** Refuses a --bus that is not a NATS server address. */
export function checkBusUrl(bus: string): void {
  if (!/^(nats|tls):\/\/[^\s/]+$/.test(bus))
    throw new UsageError(`--bus ${bus}: expected a NATS server as nats://host:port`);
}

/** Refuses a name that cannot be part of a NATS subject or stream name, naming its option. */
export function checkSubjectNames(names: ReadonlyArray<readonly [option: string, value: string]>): void {
  for (const [option, value] of names)
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(value))
      throw new UsageError(
        `--${option} ${value}: expected 1 to 64 letters, digits, "_" or "-" (it names NATS subjects and streams)`,
      );
}
