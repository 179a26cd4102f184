import { describe, expect, it } from 'vitest';
import { configPaths } from '../stack-states.js';

/** docker-compose v1 labels its files as given (relative); compose v2 as absolute paths. */
describe('the compose files a project’s labels name', () => {
  it('resolves v1’s relative files against the working directory, keeps v2’s absolute ones', () => {
    expect(configPaths('docker-compose.yml,override/extra.yml', '/srv/shop')).toEqual([
      '/srv/shop/docker-compose.yml',
      '/srv/shop/override/extra.yml',
    ]);
    expect(configPaths('/srv/shop/compose.yaml,', '/elsewhere')).toEqual([
      '/srv/shop/compose.yaml',
    ]);
    expect(configPaths('compose.yaml', null)).toEqual(['compose.yaml']);
  });
});
