import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { getConfig, localCredentials } from './config';

export interface Email {
  to: string[];
  subject: string;
  html: string;
  text: string;
}

const config = getConfig();
const client = new SESv2Client({
  region: config.AWS_REGION,
  ...(config.SES_ENDPOINT ? { endpoint: config.SES_ENDPOINT } : {}),
  ...localCredentials(config.SES_ENDPOINT),
});

/** Sends one email with an HTML and a plain-text part; returns SES's message id. */
export async function sendEmail(email: Email): Promise<string | undefined> {
  const result = await client.send(
    new SendEmailCommand({
      FromEmailAddress: config.MAIL_FROM,
      Destination: { ToAddresses: email.to },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
        },
      },
    }),
  );
  return result.MessageId;
}
