import type { Server } from 'node:http';
import sesLocalModule from 'aws-ses-v2-local';

/**
 * The package is CommonJS with `exports.default`: bundlers (vitest) unwrap that default, plain
 * Node ESM (tsx, `npm start`) hands over the whole `module.exports`. Accept both.
 */
type SesLocalFactory = typeof sesLocalModule;
const sesLocal: SesLocalFactory =
  typeof sesLocalModule === 'function' ? sesLocalModule : (sesLocalModule as unknown as { default: SesLocalFactory }).default;

export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** The local SES v2 endpoint; its page lists every email sent (`GET /`), its store is `GET /store`. */
export async function startSesLocal(options: { port?: number } = {}): Promise<SesLocal> {
  const server: Server = await sesLocal({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('SES local did not bind');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

export async function readSentEmails(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  const store = (await response.json()) as { emails: StoredEmail[] };
  return store.emails;
}
