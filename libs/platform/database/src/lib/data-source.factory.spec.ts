import { assertSqlIdentifier } from './data-source.factory';

describe('assertSqlIdentifier', () => {
  it.each(['device_registry', 'it_database_abc123', '_x'])('accepts %p', (name) => {
    expect(assertSqlIdentifier(name)).toBe(name);
  });

  it.each(['', 'Device', '1abc', 'a-b', 'x"; drop schema public', 'a'.repeat(64)])(
    'refuses %p',
    (name) => {
      expect(() => assertSqlIdentifier(name)).toThrow(/not a safe SQL identifier/);
    },
  );
});
