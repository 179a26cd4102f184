import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppError } from '../../../../core/errors.js';
import { composeFromRun } from '../from-run.js';
import { RUN_CASES } from './run-commands.js';

/** Drops keys whose value is undefined, as YAML does: cases may spell out an absent field. */
function defined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe('docker run → compose service', () => {
  it.each(RUN_CASES)('$name', ({ command, document, warned = [] }) => {
    const result = composeFromRun({ command });
    expect(parse(result.yaml)).toEqual(defined(document));
    expect(result.warnings.map((w) => w.flag)).toEqual(warned);
    const services = (document as { services: Record<string, unknown> }).services;
    const [name] = Object.keys(services);
    expect(result.service.name).toBe(name);
    expect(result.service.definition).toEqual(defined(services[name ?? '']));
  });

  it('names the service as asked, else after --name, else after the image', () => {
    expect(
      composeFromRun({ command: 'docker run --name My_App nginx', name: 'web' }).service.name,
    ).toBe('web');
    expect(composeFromRun({ command: 'docker run --name My_App nginx' }).service.name).toBe(
      'my_app',
    );
    expect(
      composeFromRun({ command: 'docker run registry:5000/team/Api@sha256:abc' }).service.name,
    ).toBe('api');
  });

  it('writes each warning with what was left out', () => {
    const { warnings } = composeFromRun({ command: 'docker run --rm --frobnicate=1 alpine' });
    expect(warnings).toEqual([
      { flag: '--rm', message: expect.stringMatching(/docker compose run --rm/) as unknown },
      { flag: '--frobnicate', message: 'not a docker run option Berth knows; left out' },
    ]);
  });

  it('quotes every value a YAML 1.1 or 1.2 reader would take for a boolean or a number', () => {
    const tricky = [
      'yes',
      'on',
      'Off',
      'y',
      '0o17',
      '0755',
      '12:30',
      '1e3',
      'null',
      '~',
      '1_000',
      '-',
      'a: b',
      ' lead',
    ];
    const command = `docker run ${tricky.map((v, i) => `-e 'V${i}=${v}'`).join(' ')} alpine`;
    const { yaml } = composeFromRun({ command });
    const expected = Object.fromEntries(tricky.map((v, i) => [`V${i}`, v]));
    for (const version of ['1.1', '1.2'] as const) {
      const read = parse(yaml, { version }) as { services: { alpine: { environment: unknown } } };
      expect(read.services.alpine.environment).toEqual(expected);
    }
    expect(yaml).not.toMatch(/^%YAML/);
  });

  it('suggests the flag a misspelt one meant, taking its value, and names an image no engine pulls', () => {
    const result = composeFromRun({ command: 'docker run -d --nme web nginx:1.27' });
    // The unknown flag swallowed nothing: the image is still the image.
    expect(result.service.definition).toEqual({ image: 'nginx:1.27' });
    expect(result.warnings).toEqual([
      {
        flag: '--nme',
        message:
          'not a docker run option Berth knows; did you mean --name? Left out (with its value "web")',
      },
    ]);
    const typo = composeFromRun({ command: 'docker run -d Nginx:latest' });
    expect(typo.service.definition).toEqual({ image: 'Nginx:latest' });
    expect(typo.warnings).toEqual([
      {
        flag: 'image',
        message: expect.stringMatching(/^"Nginx:latest" is not an image reference/) as unknown,
      },
    ]);
  });

  it('warns that ports on the host network are published by nothing', () => {
    const { warnings } = composeFromRun({ command: 'docker run --network host -p 80:80 nginx' });
    expect(warnings.map((w) => w.flag)).toEqual(['--publish']);
  });

  it.each([
    ['docker ps -a', /only docker run/],
    ['docker run -d -p 80:80', /no image/],
    ["docker run -e 'A=1 nginx", /unclosed single quote/],
  ])('refuses %j naming body.command', (command, message) => {
    let error: unknown;
    try {
      composeFromRun({ command });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.status).toBe(400);
    expect(appError.message).toMatch(message);
    expect(appError.details).toEqual({
      issues: [expect.objectContaining({ field: 'body.command' })],
    });
  });
});
