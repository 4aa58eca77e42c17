import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { ApiError } from '../errors.js';
import type { ClientRecord, Repository, Role } from '../store/index.js';
import { ROLE_SCOPES, type Scope } from './scopes.js';
import { secretMatches } from './secrets.js';

const ISSUER = 'gridtier';
/** how many verified tokens are remembered (then forgotten all at once and verified again) */
const MAX_VERIFIED = 10_000;
const AUDIENCE = 'gridtier-api';

/** Who is calling, as a verified token says. */
export interface Caller {
  clientId: string;
  /** the participant id in the markets */
  name: string;
  role: Role;
  scopes: ReadonlySet<Scope>;
}

const unauthorized = (message: string, cause?: unknown) =>
  new ApiError(401, 'Unauthorized', message, { field: 'authorization', cause });

/**
 * OAuth2 client credentials: a client trades its id and secret for a short-lived JWT (HS256,
 * signed with a key the server keeps in its database, so every server on one database accepts
 * every other's tokens). A token is checked on every request, and so is its client: a revoked
 * client's token is refused on its next request, without waiting for it to expire.
 */
export class Tokens {
  private readonly revoked = new Set<string>();
  /**
   * Tokens already verified, with their callers and expiry: a client sends the same token for
   * minutes, and checking its HMAC again each time was a fifth of an order's work. Expiry and
   * revocation are still checked on every request.
   */
  private readonly verified = new Map<string, { caller: Caller; expiresMs: number }>();

  private constructor(
    private readonly repo: Repository,
    private readonly key: Uint8Array,
    readonly ttlS: number,
  ) {}

  static async open(repo: Repository, ttlS = 900): Promise<Tokens> {
    const key = await repo.meta<string>('jwtKey', randomBytes(32).toString('base64url'));
    const t = new Tokens(repo, Buffer.from(key, 'base64url'), ttlS);
    for (const c of await repo.clients()) if (c.revokedMs !== undefined) t.revoked.add(c.id);
    await repo.onRevoke((id) => t.revoked.add(id));
    return t;
  }

  /** Marks a client revoked here at once (the database tells the other servers). */
  noteRevoked(clientId: string): void {
    this.revoked.add(clientId);
  }

  /**
   * A token for a client. `requested` (the OAuth2 `scope` parameter, space-separated) narrows it to
   * those of the role's scopes; a scope the role does not hold is refused, not silently dropped.
   */
  async issue(
    clientId: string,
    clientSecret: string,
    requested?: string,
  ): Promise<{ token: string; client: ClientRecord; scopes: readonly Scope[] }> {
    const client = await this.repo.client(clientId);
    // one answer for an unknown id and a wrong secret: the caller learns nothing about which
    if (!client || !secretMatches(clientSecret, client.secretHash))
      throw new ApiError(401, 'Invalid client', 'unknown client or wrong secret', { field: 'client_secret' });
    if (client.revokedMs !== undefined || this.revoked.has(client.id))
      throw new ApiError(401, 'Invalid client', `client ${client.id} is revoked`, { field: 'client_id' });
    const granted = ROLE_SCOPES[client.role];
    const asked = requested?.split(' ').filter((x) => x !== '') ?? [];
    const foreign = asked.filter((x) => !(granted as readonly string[]).includes(x));
    if (foreign.length > 0)
      throw new ApiError(
        400,
        'Invalid scope',
        `scope: a ${client.role} is not granted ${foreign.join(', ')} (it holds ${granted.join(' ')})`,
        { field: 'scope', details: { code: 'INVALID_SCOPE' } },
      );
    const scopes = asked.length === 0 ? granted : granted.filter((x) => asked.includes(x));
    const token = await new SignJWT({
      name: client.name,
      role: client.role,
      scope: scopes.join(' '),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(client.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setJti(randomBytes(12).toString('base64url'))
      .setExpirationTime(`${this.ttlS}s`)
      .sign(this.key);
    return { token, client, scopes };
  }

  /** The caller a bearer token names, or a 401 saying what is wrong with it. */
  async verify(authorization: string | undefined): Promise<Caller> {
    if (authorization === undefined) throw unauthorized('a bearer token is required (POST /oauth/token)');
    const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization);
    if (!m) throw unauthorized('expected "Authorization: Bearer <token>"');
    const known = this.verified.get(m[1]);
    if (known !== undefined && Date.now() < known.expiresMs) {
      if (this.revoked.has(known.caller.clientId))
        throw unauthorized(`client ${known.caller.clientId} has been revoked`);
      return known.caller;
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(m[1], this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw unauthorized('the token has expired: ask for a new one', e);
      throw unauthorized('the token is not valid (forged, altered or not ours)', e);
    }
    const clientId = String(payload.sub);
    if (this.revoked.has(clientId)) throw unauthorized(`client ${clientId} has been revoked`);
    const caller: Caller = {
      clientId,
      name: String(payload.name),
      role: payload.role as Role,
      scopes: new Set(String(payload.scope).split(' ') as Scope[]),
    };
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(m[1], { caller, expiresMs: Number(payload.exp) * 1000 });
    return caller;
  }
}
