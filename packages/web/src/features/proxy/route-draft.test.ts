import { ProxyRouteUpdate } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { storedRoute } from './route-fixture.js';
import {
  dialogErrors,
  draftOf,
  fieldOf,
  hostnameList,
  newRoute,
  routeBody,
  routeUpdate,
} from './route-draft.js';

describe('the route dialog', () => {
  it('makes a create body the contract accepts', () => {
    const made = routeBody({
      ...newRoute('local'),
      hostnames: 'App.Home.arpa, api.home.arpa',
      container: 'web',
      port: '8080',
      tls: 'internal',
      authType: 'basic',
      users: [{ username: 'ann', password: 'a long password' }],
      requestHeaders: [
        { name: 'X-From', value: 'berth' },
        { name: ' ', value: 'ignored' },
      ],
      wake: true,
      idleMinutes: '15',
    });
    expect(made.ok).toBe(true);
    expect(made.ok && made.body).toEqual({
      hostnames: ['app.home.arpa', 'api.home.arpa'],
      pathPrefix: null,
      target: { host: 'local', container: 'web', port: 8080, via: 'auto' },
      tls: 'internal',
      auth: { type: 'basic', users: [{ username: 'ann', password: 'a long password' }] },
      headers: { request: { 'X-From': 'berth' }, response: {} },
      compress: true,
      wake: { idleMinutes: 15, startTimeoutSeconds: 60 },
      enabled: true,
    });
  });

  it('names the fields that are wrong, under the dialog’s own fields', () => {
    const made = routeBody({
      ...newRoute('local'),
      hostnames: 'not a host!',
      kind: 'stack-service',
      stack: 'shop',
      port: '70000',
      pathPrefix: 'api',
      authType: 'basic',
      users: [{ username: 'ann', password: 'short' }],
      wake: true,
      idleMinutes: 'soon',
    });
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(Object.keys(made.errors).sort()).toEqual([
      'hostnames',
      'idleMinutes',
      'pathPrefix',
      'port',
      'service',
      'users.0.password',
    ]);
  });

  it('puts the server’s contract paths under the same fields', () => {
    expect(fieldOf('hostnames.1')).toBe('hostnames');
    expect(fieldOf('target.port')).toBe('port');
    expect(fieldOf('target')).toBe('container');
    expect(fieldOf('wake.startTimeoutSeconds')).toBe('startTimeoutSeconds');
    expect(fieldOf('headers.response.Bad Name')).toBe('responseHeaders');
    expect(fieldOf('auth.users.2.username')).toBe('users.2.username');
    expect(fieldOf('tls')).toBe('tls');
    expect(
      dialogErrors([
        { path: 'hostnames.0', message: 'first' },
        { path: 'hostnames.1', message: 'second' },
      ]),
    ).toEqual({ hostnames: 'first' });
  });

  it('splits hostnames on commas and spaces', () => {
    expect(hostnameList(' a.test,b.test  c.test,, ')).toEqual(['a.test', 'b.test', 'c.test']);
  });

  it('reads a stored route back, and an unchanged edit sends what it was', () => {
    const stored = storedRoute({
      hostnames: ['a.test', 'b.test'],
      headers: { request: { 'X-A': '1' }, response: {} },
    });
    const draft = draftOf(stored);
    expect(draft).toMatchObject({ hostnames: 'a.test, b.test', container: 'web', port: '80' });
    const edit = routeUpdate(draft, stored);
    expect(edit.ok && edit.body).toMatchObject({
      hostnames: ['a.test', 'b.test'],
      target: { host: 'local', container: 'web', port: 80, via: 'auto' },
      headers: { request: { 'X-A': '1' }, response: {} },
    });
    expect(edit.ok && ProxyRouteUpdate.safeParse(edit.body).success).toBe(true);
  });

  it('keeps stored basic-auth passwords unless new ones are typed', () => {
    const stored = storedRoute({ auth: { type: 'basic', usernames: ['ann'] } });
    const draft = draftOf(stored);
    expect(draft.users).toEqual([{ username: 'ann', password: '' }]);
    const kept = routeUpdate(draft, stored);
    expect(kept.ok && 'auth' in kept.body).toBe(false);
    // A new user needs a password: the stored ones cannot be sent back.
    const added = routeUpdate(
      { ...draft, users: [...draft.users, { username: 'bob', password: '' }] },
      stored,
    );
    expect(added.ok).toBe(false);
    const retyped = routeUpdate(
      { ...draft, users: [{ username: 'ann', password: 'a new long password' }] },
      stored,
    );
    expect(retyped.ok && retyped.body.auth).toEqual({
      type: 'basic',
      users: [{ username: 'ann', password: 'a new long password' }],
    });
  });
});
