/** The gateway's MQTT user name: not a valid device id, so no device can claim it. */
export const GATEWAY_USERNAME = '$gateway';
