import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api';
import { emailsTo, uniqueEmail, waitForEmails } from '../support/mail';

const harness = useApi();


describe('change path: a new department head is emailed', () => {
  it('puts one email to the new head in the local SES store within 5 s, through stream → bus → notify', async () => {
    const admin = await harness.api.as('admin');
    const first = uniqueEmail('first-head');
    const second = uniqueEmail('second-head');

    const named = await admin('PUT', '/departments/production', { body: { head: { name: 'Zhang Min', email: first } } });
    expect(named.status).toBe(200);
    const [welcome] = await waitForEmails(first, 1, 5_000);
    expect(welcome?.subject).toBe('[postlaunch] You are now head of Production');
    expect(welcome?.body.text).toContain('A notice when the head of your department changes.');
    expect(welcome?.body.html).toContain('Zhang Min');

    const replaced = await admin('PUT', '/departments/production', {
      body: { head: { name: 'Wang Fang', email: second } },
      headers: { 'if-match': named.headers.get('etag') as string },
    });
    expect(replaced.status).toBe(200);
    const [newHead] = await waitForEmails(second, 1, 5_000);
    expect(newHead?.subject).toBe('[postlaunch] You are now head of Production');
    const toFirst = await waitForEmails(first, 2, 5_000);
    expect(toFirst.map((email) => email.subject)).toContain('[postlaunch] Head of Production changed');

    // Exactly once: after everything in flight has settled, no duplicate arrived.
    await harness.stack.idle();
    expect(await emailsTo(second)).toHaveLength(1);
    expect(await emailsTo(first)).toHaveLength(2);
  });

  it('sends nothing when only the department is renamed', async () => {
    const admin = await harness.api.as('admin');
    const head = uniqueEmail('steady-head');
    await admin('PUT', '/departments/rnd', { body: { head: { name: 'Chen Jie', email: head } } });
    await waitForEmails(head, 1, 5_000);
    const renamed = await admin('PUT', '/departments/rnd', { body: { name: 'Research & Development', head: { name: 'Chen Jie', email: head } } });
    expect(renamed.body.name).toBe('Research & Development');
    await harness.stack.idle();
    expect(await emailsTo(head)).toHaveLength(1);
  });
});
