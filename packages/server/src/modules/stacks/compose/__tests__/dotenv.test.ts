import { describe, expect, it } from 'vitest';
import { DotenvError, parseDotenv } from '../dotenv.js';

describe('parseDotenv', () => {
  it('reads compose dotenv syntax', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      'SPACED = around ',
      'INLINE=value # a comment',
      'HASH=a#b',
      "SINGLE='$PLAIN stays \\n'",
      'DOUBLE="line\\nnext \\"q\\" $PLAIN"',
      'REF=${PLAIN}-x',
      'DEFAULT=${NOPE:-fallback}',
      'EMPTY=',
      'MULTI="first',
      'second"',
      'OUTER=${FROM_OUTER}',
      'FROM_OUTER',
      'NOT_ANYWHERE',
    ].join('\n');
    expect(parseDotenv(text, (name) => (name === 'FROM_OUTER' ? 'outer' : undefined))).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'around',
      INLINE: 'value',
      HASH: 'a#b',
      SINGLE: '$PLAIN stays \\n',
      DOUBLE: 'line\nnext "q" value',
      REF: 'value-x',
      DEFAULT: 'fallback',
      EMPTY: '',
      MULTI: 'first\nsecond',
      OUTER: 'outer',
      FROM_OUTER: 'outer',
    });
  });

  it('names the line of a bad entry', () => {
    expect(() => parseDotenv('OK=1\nnot a line\n')).toThrow(DotenvError);
    try {
      parseDotenv('OK=1\nBAD="open\n');
    } catch (error) {
      expect(error).toBeInstanceOf(DotenvError);
      expect((error as DotenvError).line).toBe(2);
    }
  });
});
