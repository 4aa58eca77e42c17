import { describe } from 'vitest';
import { freshSchema, postgresReachable, TEST_DATABASE } from '../store/test-support.js';
import { apiSuite } from './api-suite.js';

apiSuite('embedded PostgreSQL', () => ({}));

const pgUp = await postgresReachable();
describe.runIf(pgUp)('on a PostgreSQL server', () => {
  apiSuite(`PostgreSQL at ${TEST_DATABASE}`, () => ({ database: TEST_DATABASE, schema: freshSchema() }));
});
