import { describe, expect, it } from 'vitest';
import { draftOf, endsIn, NEW_RULE, ruleBody, ruleUpdate, scopeText } from './alert-view.js';

describe('the alert rule dialog', () => {
  it('makes a create body the contract accepts', () => {
    const made = ruleBody({
      ...NEW_RULE,
      name: 'CPU hot',
      kind: 'cpu_above',
      threshold: '90',
      forMinutes: '5',
      scopeType: 'stack',
      scopeStack: 'web',
      channels: ['ch1'],
    });
    expect(made.ok).toBe(true);
    expect(made.ok && made.body).toMatchObject({
      name: 'CPU hot',
      kind: 'cpu_above',
      threshold: 90,
      forMinutes: 5,
      scope: { type: 'stack', stack: 'web' },
      channels: ['ch1'],
    });
  });

  it('names the fields that are wrong', () => {
    const made = ruleBody({
      ...NEW_RULE,
      name: ' ',
      kind: 'memory_above',
      threshold: '150',
      scopeType: 'host',
      scopeHost: 'Not A Host',
      forMinutes: 'soon',
    });
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(Object.keys(made.errors).sort()).toEqual([
      'forMinutes',
      'name',
      'scope.host',
      'threshold',
    ]);
  });

  it('gives no threshold for a kind without one, and keeps the kind out of an edit', () => {
    const made = ruleBody({ ...NEW_RULE, name: 'exits', threshold: '50' });
    expect(made.ok && made.body.threshold).toBe(null);
    if (made.ok) expect(ruleUpdate(made.body)).not.toHaveProperty('kind');
  });

  it('reads a stored rule back into the dialog', () => {
    const draft = draftOf({
      id: 'r1',
      name: 'db',
      kind: 'unhealthy',
      scope: { type: 'label', key: 'tier', value: 'db' },
      threshold: null,
      forMinutes: 2,
      repeatMinutes: 60,
      notifyResolved: false,
      severity: 'critical',
      channels: [],
      enabled: true,
      createdAt: '2026-12-02T12:00:00.000Z',
      updatedAt: '2026-12-02T12:00:00.000Z',
    });
    expect(draft).toMatchObject({ scopeType: 'label', scopeKey: 'tier', repeatMinutes: '60' });
    expect(scopeText({ type: 'label', key: 'tier', value: 'db' })).toBe('label tier=db');
    expect(endsIn(2, Date.parse('2026-12-02T12:00:00Z'))).toBe('2026-12-02T14:00:00.000Z');
  });
});
