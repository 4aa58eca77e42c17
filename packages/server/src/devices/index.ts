export { DEVICE_ROUTES } from './routes.js';
