import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigningKey, createTokenVerifier, loadOrCreateSigningKey, mintToken } from '../../infra/local/jwt';

describe('local stack: the JWT check API Gateway would make', () => {
  it('accepts a token it minted and hands back the claims', async () => {
    const key = await createSigningKey();
    const verify = await createTokenVerifier({ publicJwk: key.publicJwk });
    const payload = await verify(await mintToken({ key, roles: ['sales', 'service'], email: 'a@example.com' }));
    expect(payload).toMatchObject({ email: 'a@example.com', 'cognito:groups': ['sales', 'service'], token_use: 'id' });
  });

  it('refuses another key, a tampered payload, an expired token and alg none', async () => {
    const key = await createSigningKey();
    const verify = await createTokenVerifier({ publicJwk: key.publicJwk });
    const other = await mintToken({ key: await createSigningKey(), roles: ['admin'] });
    await expect(verify(other)).rejects.toThrow(/signature/);

    const [header, payload, signature] = (await mintToken({ key, roles: ['market'] })).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admin'] })).toString('base64url');
    await expect(verify(`${header}.${elevated}.${signature}`)).rejects.toThrow(/signature/);

    const expired = await mintToken({ key, roles: ['admin'], ttlSeconds: -10 });
    await expect(verify(expired)).rejects.toThrow(/expired/);

    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    await expect(verify(none)).rejects.toThrow();
  });

  it('refuses a token for another client or issuer', async () => {
    const key = await createSigningKey();
    const verify = await createTokenVerifier({ publicJwk: key.publicJwk });
    await expect(verify(await mintToken({ key, roles: ['admin'], audience: 'another-app' }))).rejects.toThrow(/audience/);
    await expect(verify(await mintToken({ key, roles: ['admin'], issuer: 'https://evil.example.com' }))).rejects.toThrow(/issuer/);
  });
});

describe('local stack: the signing key under .data/', () => {
  it('replaces a key of another algorithm left by an older version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postlaunch-key-'));
    try {
      writeFileSync(join(dir, 'jwt-key.json'), JSON.stringify({ kid: 'old', alg: 'ES256', privateJwk: {}, publicJwk: {} }));
      const key = await loadOrCreateSigningKey(dir);
      expect(key.alg).toBe('RS256');
      expect(JSON.parse(readFileSync(join(dir, 'jwt-key.json'), 'utf8')).kid).toBe(key.kid);
      expect((await loadOrCreateSigningKey(dir)).kid).toBe(key.kid);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
