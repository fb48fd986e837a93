import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../lib/platform/roles';
import { loadOrCreateSigningKey, mintToken, parseTtl } from './jwt';
import { defaultDataDir, isMain } from './paths';

export { loadOrCreateSigningKey, mintToken } from './jwt';

/**
 * `npm run token -- --role sales [--role service] [--user id] [--email e] [--ttl 12h]`
 * prints a bearer token the local HTTP server accepts (signed with the key in `.data/`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      user: { type: 'string' },
      email: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (values.help || !values.role?.length) {
    console.error(`usage: npm run token -- --role <role> [--role <role>] [--user <id>] [--email <email>] [--ttl 12h]\nroles: ${ROLES.join(', ')}`);
    process.exit(values.help ? 0 : 1);
  }
  const token = await mintToken({
    key: await loadOrCreateSigningKey(defaultDataDir()),
    roles: values.role as Role[],
    userId: values.user,
    email: values.email,
    ttlSeconds: parseTtl(values.ttl),
  });
  process.stdout.write(`${token}\n`);
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
