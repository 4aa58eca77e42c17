import { GridTierError, type GridTierErrorOptions } from '../../errors/index.js';

/** A device registration or a gateway request was refused; `details.field` names the field. */
export class DeviceRefusedError extends GridTierError {
  constructor(message: string, options: GridTierErrorOptions = {}) {
    super('DEVICE_REFUSED', message, options);
  }
}
