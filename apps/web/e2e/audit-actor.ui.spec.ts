import { expect, test } from './fixtures/auth';
import { demoExchange, demoToken } from './fixtures/demo-tokens';

/**
 * The audit names who tried to act on every attempt, apart from the subject's earlier chain, and
 * finds events by any part of an id, by words of a denial, and by actor. Real exchanges at the
 * demo tenant (config/demo.yaml: agents may chain three hops on a user's behalf).
 */
const AGENT = ['demo-agent', 'demo-agent-secret-0123456789abcdef0'] as const;
const TOOLS = 'https://tools.demo.example/calendar';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

async function agentHop(subjectToken: string, actorSub: string) {
  return demoExchange({
    client_id: AGENT[0],
    client_secret: AGENT[1],
    subject_token: subjectToken,
    subject_token_type: ACCESS_TOKEN,
    actor_token: await demoToken(actorSub, ''),
    actor_token_type: ACCESS_TOKEN,
    audience: TOOLS,
    scope: 'calendar:read',
  });
}

test.describe('audit: who tried to act', () => {
  test('a refused fourth hop shows the agent that tried, apart from the earlier chain', async ({
    signedInPage: page,
  }) => {
    // A user of a unique name, so this test's events are its own.
    const user = `alice-${Date.now().toString(36)}`;
    let token = await demoToken(user);
    // Three agents hand the task on; an agent already in the chain may not act again (a loop).
    for (const [hop, agent] of ['agent:researcher', 'agent:planner', 'agent:assistant'].entries()) {
      const answer = await agentHop(token, agent);
      expect(answer.status, `hop ${hop + 1}: ${JSON.stringify(answer.body)}`).toBe(200);
      token = answer.body.access_token as string;
    }
    const fourth = await agentHop(token, 'agent:assistant');
    expect(fourth.status).toBe(400);

    await page.goto(`/tenants/demo/audit?sub=${user}&decision=denied`);
    const row = page.getByTestId('audit-row');
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('audit-actor')).toContainText('agent:assistant');
    await expect(row.getByTestId('audit-actor')).toContainText('https://demo-idp.example');
    await row.getByRole('link', { name: /^Event of / }).click();

    const chain = page.getByRole('list', { name: 'Actor chain' });
    const nodes = chain.getByTestId('actor-chain-node');
    // The one who tried (refused), then the three actors already in the subject token, then the user.
    await expect(nodes).toHaveCount(5);
    await expect(nodes.first()).toContainText('Tried to act (refused)');
    await expect(nodes.first()).toContainText('agent:assistant');
    await expect(nodes.nth(1)).toContainText('Prior actor 1');
    await expect(nodes.last()).toContainText(user);
    await expect(page.getByText('Current actor')).toHaveCount(0);
  });

  test('an actor column and filter, partial ids, free text, and a dashboard that follows', async ({
    signedInPage: page,
  }) => {
    const intruder = `agent:intruder-${Date.now().toString(36)}`;
    const refused = await agentHop(await demoToken('bob'), intruder);
    expect(refused.status).toBe(400);
    const granted = await agentHop(await demoToken('bob'), 'agent:assistant');
    expect(granted.status).toBe(200);

    // Part of the actor's sub finds exactly the intruder's attempt.
    await page.goto('/tenants/demo/audit');
    await page.getByLabel('Actor').fill(intruder.slice(6, 20));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/actor=/);
    const rows = page.getByTestId('audit-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.getByTestId('audit-actor')).toContainText(intruder);
    // The dashboard counts what the explorer shows.
    const totals = page.getByRole('definition');
    await expect(totals.nth(0)).toHaveText('1');
    await expect(totals.nth(2)).toHaveText('1');

    // Part of a client id ("demo-agen") finds the agent's attempts, and no gateway's.
    await page.goto('/tenants/demo/audit?client=demo-agen');
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    for (const cell of await rows.locator('td:nth-child(2)').allTextContents())
      expect(cell).toBe('demo-agent');

    // Words of the denial's reason.
    await page.goto(`/tenants/demo/audit?q=${encodeURIComponent(intruder)}`);
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('denied');
  });
});
