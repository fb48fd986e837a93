import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { getConfig, localCredentials } from './config';

const config = getConfig();
const client = new SecretsManagerClient({
  region: config.AWS_REGION,
  ...(config.SECRETS_ENDPOINT ? { endpoint: config.SECRETS_ENDPOINT } : {}),
  ...localCredentials(config.SECRETS_ENDPOINT),
});

let cursorKey: Promise<string> | undefined;

/**
 * The HMAC key that makes list cursors tamper-evident. Locally it comes from config; in AWS
 * from Secrets Manager, fetched on first use (never at import time) and kept for the container.
 */
export function getCursorKey(): Promise<string> {
  cursorKey ??= config.CURSOR_SECRET ? Promise.resolve(config.CURSOR_SECRET) : fetchCursorKey();
  return cursorKey;
}

async function fetchCursorKey(): Promise<string> {
  try {
    const result = await client.send(new GetSecretValueCommand({ SecretId: config.CURSOR_SECRET_ARN }));
    if (!result.SecretString) throw new Error('cursor secret has no string value');
    return result.SecretString;
  } catch (error) {
    cursorKey = undefined;
    throw error;
  }
}
