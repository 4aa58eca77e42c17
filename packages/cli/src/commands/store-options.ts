import { opt } from '../framework/spec.js';

/** Where the server's data are, the same for `serve` and `clients`. */
export const store = {
  data: opt.string({
    metavar: 'DIR',
    help: 'the embedded PostgreSQL’s folder (default out/server); one process at a time',
  }),
  database: opt.string({
    metavar: 'URL',
    help: 'a PostgreSQL server instead: postgres://user@host:port/database',
  }),
  schema: opt.string({ metavar: 'NAME', default: 'gridtier', help: 'the schema on the PostgreSQL server' }),
};

export const DEFAULT_DATA_DIR = 'out/server';
