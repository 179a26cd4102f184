import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to HTTPS on 8443 with a self-signed certificate in ./data and the local socket', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8443,
      host: '0.0.0.0',
      dataDir: resolve('data'),
      databaseFile: resolve('data', 'berth.db'),
      dockerHost: 'unix:///var/run/docker.sock',
      engine: { transport: 'unix', socketPath: '/var/run/docker.sock' },
      logLevel: 'info',
    });
    expect(config.tls).toEqual({
      mode: 'self-signed',
      certFile: resolve('data', 'tls', 'cert.pem'),
      keyFile: resolve('data', 'tls', 'key.pem'),
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      BERTH_PORT: '9000',
      BERTH_HOST: '127.0.0.1',
      BERTH_DATA_DIR: '/var/lib/berth',
      BERTH_TLS: 'off',
      DOCKER_HOST: 'tcp://10.0.0.5:2375',
      BERTH_LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      dataDir: '/var/lib/berth',
      tls: { mode: 'off' },
      engine: { transport: 'tcp', host: '10.0.0.5', port: 2375, tls: null },
      logLevel: 'debug',
    });
  });

  it('serves your own certificate when both files are given', () => {
    expect(loadConfig({ BERTH_TLS_CERT: '/c.pem', BERTH_TLS_KEY: '/k.pem' }).tls).toEqual({
      mode: 'files',
      certFile: '/c.pem',
      keyFile: '/k.pem',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ BERTH_PORT: '' }).port).toBe(8443);
  });

  it('names each bad variable with the value it got, all at once', () => {
    const found = problems({ BERTH_PORT: 'eighty', BERTH_LOG_LEVEL: 'loud', BERTH_TLS: 'maybe' });
    expect(found).toHaveLength(3);
    expect(found.find((p) => p.startsWith('BERTH_PORT'))).toContain('"eighty"');
    expect(found.find((p) => p.startsWith('BERTH_LOG_LEVEL'))).toContain('must be one of');
    expect(found.find((p) => p.startsWith('BERTH_TLS'))).toContain('self-signed, off or files');
  });

  it('rejects ports out of range and fractional ports', () => {
    expect(problems({ BERTH_PORT: '70000' })[0]).toMatch(
      /^BERTH_PORT: must be between 1 and 65535/,
    );
    expect(problems({ BERTH_PORT: '80.5' })[0]).toMatch(/^BERTH_PORT: must be a whole number/);
  });

  it('rejects contradictory TLS settings and a half-given pair', () => {
    expect(problems({ BERTH_TLS: 'off', BERTH_TLS_CERT: '/c.pem' })[0]).toMatch(
      /^BERTH_TLS: is "off"/,
    );
    expect(problems({ BERTH_TLS_CERT: '/c.pem' })[0]).toMatch(/BERTH_TLS_KEY: both are needed/);
  });

  it('rejects a DOCKER_HOST it cannot reach', () => {
    expect(problems({ DOCKER_HOST: 'ftp://x' })[0]).toMatch(
      /^DOCKER_HOST: unsupported scheme "ftp:"/,
    );
    expect(problems({ DOCKER_HOST: 'not a url' })[0]).toMatch(/^DOCKER_HOST: .*is not an address/);
    expect(problems({ DOCKER_HOST: 'unix://relative.sock' })[0]).toMatch(/^DOCKER_HOST:/);
  });

  it('finds Caddy at 127.0.0.1:2019 by default, and takes a socket, a server and a check interval', () => {
    expect(loadConfig({}).proxy).toEqual({
      admin: 'http://127.0.0.1:2019',
      server: null,
      checkEveryMs: 10_000,
    });
    expect(
      loadConfig({
        BERTH_CADDY_ADMIN: 'unix:///run/caddy/admin.sock',
        BERTH_CADDY_SERVER: 'srv0',
        BERTH_PROXY_CHECK_SECONDS: '0.5',
      }).proxy,
    ).toEqual({ admin: 'unix:///run/caddy/admin.sock', server: 'srv0', checkEveryMs: 500 });
    expect(problems({ BERTH_CADDY_ADMIN: 'caddy:2019' })[0]).toMatch(
      /^BERTH_CADDY_ADMIN: must be http\(s\):\/\/host:port or unix:/,
    );
    expect(problems({ BERTH_CADDY_SERVER: 'srv 0' })[0]).toMatch(/^BERTH_CADDY_SERVER:/);
    expect(problems({ BERTH_PROXY_CHECK_SECONDS: '0' })[0]).toMatch(
      /^BERTH_PROXY_CHECK_SECONDS: must be at least/,
    );
  });
});
