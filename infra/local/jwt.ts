import { createPublicKey, randomUUID, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { isRole, ROLES, type Role } from '../../lib/platform/roles';

/**
 * The local stand-in for the Cognito user pool: one RS256 key pair, kept under `.data/` so the
 * `npm run token` process and the `npm start` process agree on it without talking to each other.
 */
export const LOCAL_ISSUER = 'http://127.0.0.1/postlaunch-local';
export const LOCAL_CLIENT_ID = 'postlaunch-local';
// RS256, as Cognito signs its tokens (and verification is several times cheaper than ES256).
const ALG = 'RS256';

export interface SigningKey {
  kid: string;
  alg: typeof ALG;
  privateJwk: JWK;
  publicJwk: JWK;
}

export function signingKeyFile(dataDir: string): string {
  return join(dataDir, 'jwt-key.json');
}

/** Reads the key pair, creating it on first use. Safe when two processes race to create it. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const file = signingKeyFile(dataDir);
  const existing = readKey(file);
  if (existing) return existing;
  const key = await createSigningKey();
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(file)) {
    // A key from an older version (another algorithm): replace it; tokens minted with it end.
    const replacement = `${file}.${process.pid}.tmp`;
    writeFileSync(replacement, JSON.stringify(key, null, 2), { mode: 0o600 });
    renameSync(replacement, file);
    return key;
  }
  try {
    // `wx`: whoever writes first wins; the loser reads the winner's key instead of replacing it.
    writeFileSync(file, JSON.stringify(key, null, 2), { flag: 'wx', mode: 0o600 });
    return key;
  } catch (error) {
    const winner = readKey(file);
    if (winner) return winner;
    throw error;
  }
}

/** A fresh key pair that lives only in memory (in-process tests that need no `.data/`). */
export async function createSigningKey(): Promise<SigningKey> {
  const pair = await generateKeyPair(ALG, { extractable: true });
  const kid = randomUUID();
  return { kid, alg: ALG, privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg: ALG }, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: ALG } };
}

function readKey(file: string): SigningKey | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SigningKey>;
    if (parsed.kid && parsed.alg === ALG && parsed.privateJwk && parsed.publicJwk) return parsed as SigningKey;
    // Earlier versions signed with ES256: such a key is replaced, not an error.
    if (parsed.kid && (parsed.alg as string | undefined) === 'ES256') return undefined;
    throw new Error(`${file} is not a postlaunch signing key; delete it to get a new one`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export interface TokenRequest {
  key: SigningKey;
  roles: readonly Role[];
  userId?: string;
  email?: string;
  /** Lifetime in seconds (default 12 h). */
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

/**
 * Mints a token shaped like a Cognito ID token: `cognito:groups` is a real JSON array here;
 * the local HTTP server flattens it to `"[a b]"` exactly as API Gateway's JWT authorizer does.
 */
export async function mintToken(request: TokenRequest): Promise<string> {
  if (request.roles.length === 0) throw new Error(`Give at least one role: ${ROLES.join(', ')}`);
  const unknown = request.roles.filter((role) => !isRole(role));
  if (unknown.length) throw new Error(`Unknown role ${unknown.join(', ')}; the roles are: ${ROLES.join(', ')}`);
  const label = request.roles.join('+');
  const userId = request.userId ?? `local-${request.roles.join('-')}`;
  const now = Math.floor(Date.now() / 1000);
  const clientId = request.audience ?? LOCAL_CLIENT_ID;
  const key = await importJWK(request.key.privateJwk, request.key.alg);
  return new SignJWT({
    email: request.email ?? `${label}@example.com`,
    email_verified: true,
    'cognito:groups': [...request.roles],
    'cognito:username': userId,
    token_use: 'id',
    auth_time: now,
  })
    .setProtectedHeader({ alg: request.key.alg, kid: request.key.kid, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(request.issuer ?? LOCAL_ISSUER)
    .setAudience(clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.ttlSeconds ?? 12 * 3600))
    .sign(key);
}

export interface TokenVerifierOptions {
  publicJwk: JWK;
  issuer?: string;
  audience?: string;
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

/**
 * What API Gateway's JWT authorizer checks: signature (RS256 or ES256), issuer, expiry and that
 * `aud` — or, for Cognito access tokens, which carry no `aud`, `client_id` — names the client.
 * Verified with node:crypto's synchronous verify: jose's WebCrypto path hops through the libuv
 * thread pool on every request, which cost the local API about a millisecond per call.
 */
export async function createTokenVerifier(options: TokenVerifierOptions): Promise<TokenVerifier> {
  const alg = options.publicJwk.alg ?? ALG;
  if (alg !== 'ES256' && alg !== 'RS256') throw new Error(`unsupported JWT algorithm ${alg}`);
  const key: KeyObject = createPublicKey({ key: options.publicJwk as JsonWebKey, format: 'jwk' });
  const issuer = options.issuer ?? LOCAL_ISSUER;
  const audience = options.audience ?? LOCAL_CLIENT_ID;
  return async (token) => {
    const [headerPart, payloadPart, signaturePart, ...rest] = token.split('.');
    if (!headerPart || !payloadPart || !signaturePart || rest.length) throw new Error('malformed token');
    const header = decodePart(headerPart) as { alg?: string };
    if (header.alg !== alg) throw new Error(`token algorithm ${String(header.alg)} is not ${alg}`);
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart, 'base64url');
    const valid = alg === 'RS256' ? verifySignature('sha256', signed, key, signature) : verifySignature('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (!valid) throw new Error('signature verification failed');
    const payload = decodePart(payloadPart) as JWTPayload;
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.exp !== 'number') throw new Error('token has no expiry');
    if (payload.exp <= now) throw new Error('token expired');
    if (typeof payload.nbf === 'number' && payload.nbf > now) throw new Error('token not yet valid');
    if (payload.iss !== issuer) throw new Error('token issuer does not match');
    const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(audience) && payload.client_id !== audience) throw new Error('token audience does not match');
    return payload;
  };
}

function decodePart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new Error('malformed token');
  }
}

/** `12h`, `30m`, `45s`, `7d` or plain seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) throw new Error(`--ttl wants e.g. 12h, 30m, 45s or 7d, not "${text}"`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
