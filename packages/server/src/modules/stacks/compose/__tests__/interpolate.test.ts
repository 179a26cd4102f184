import { describe, expect, it } from 'vitest';
import { interpolateTree, substitute } from '../interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', NAME: 'web', PORT: '8080' };
const lookup = (name: string): string | undefined => env[name];

describe('substitute', () => {
  it.each([
    ['${SET}', 'value'],
    ['$SET', 'value'],
    ['$SET-suffix', 'value-suffix'],
    ['pre_${SET}_post', 'pre_value_post'],
    ['${UNSET}', ''],
    ['$UNSET', ''],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['a $$ b', 'a $ b'],
    ['${SET:-d}', 'value'],
    ['${EMPTY:-d}', 'd'],
    ['${UNSET:-d}', 'd'],
    ['${SET-d}', 'value'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${UNSET:+alt}', ''],
    ['${SET+alt}', 'alt'],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${SET:?boom}', 'value'],
    ['${EMPTY?boom}', ''],
    ['${UNSET:-${NAME}}', 'web'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${UNSET:-$PORT}', '8080'],
    ['${UNSET:-a:b}', 'a:b'],
    ['${UNSET:-}', ''],
    ['${NAME}:${PORT}', 'web:8080'],
  ])('%s → %s', (text, expected) => {
    expect(substitute(text, lookup)).toBe(expected);
  });

  it.each([
    ['${UNSET:?needs a value}', 'required variable UNSET is missing a value: needs a value'],
    ['${EMPTY:?needs a value}', 'required variable EMPTY is missing a value: needs a value'],
    ['${UNSET?gone}', 'required variable UNSET is missing a value: gone'],
    ['${UNSET:?}', 'required variable UNSET is not set or empty'],
    ['${UNSET', 'no closing }'],
    ['${1BAD}', 'invalid interpolation format'],
    ['${SET:x}', 'invalid interpolation format'],
    ['cost: 5$', 'write $$ for a literal $'],
  ])('%s fails: %s', (text, message) => {
    expect(() => substitute(text, lookup)).toThrow(message);
  });
});

describe('interpolateTree', () => {
  it('substitutes values, not keys, and reports each bad value at its path', () => {
    const problems: { path: string; message: string }[] = [];
    const out = interpolateTree(
      {
        services: {
          web: { image: 'nginx:${TAG:-latest}', ports: ['${PORT}:80', '${X:?no X}'], '${SET}': 1 },
        },
      },
      lookup,
      problems,
    );
    expect(out).toEqual({
      services: { web: { image: 'nginx:latest', ports: ['8080:80', '${X:?no X}'], '${SET}': 1 } },
    });
    expect(problems).toEqual([
      { path: 'services.web.ports[1]', message: 'required variable X is missing a value: no X' },
    ]);
  });
});
