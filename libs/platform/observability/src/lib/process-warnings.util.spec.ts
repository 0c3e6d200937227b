import { dropKafkajsTimerWarning, isKafkajsTimerWarning } from './process-warnings.util';

const KAFKAJS_MESSAGE = '-1796114935027 is a negative number.\nTimeout duration was set to 1.';

describe("kafkajs's timer warning filter", () => {
  const kafkajsCases: [string, Parameters<typeof isKafkajsTimerWarning>][] = [
    ['a string with its type', [KAFKAJS_MESSAGE, 'TimeoutNegativeWarning']],
    ['a string with options', [KAFKAJS_MESSAGE, { type: 'TimeoutNegativeWarning' }]],
    [
      'a warning object',
      [Object.assign(new Error(KAFKAJS_MESSAGE), { name: 'TimeoutNegativeWarning' })],
    ],
  ];

  it.each(kafkajsCases)('recognises the kafkajs quirk given as %s', (_case, args) => {
    expect(isKafkajsTimerWarning(...args)).toBe(true);
  });

  it.each([
    [
      'a negative deadline of ours',
      '-250 is a negative number.\nTimeout duration was set to 1.',
      'TimeoutNegativeWarning',
    ],
    [
      'another timer warning',
      '9999999999999 does not fit into a 32-bit signed integer.',
      'TimeoutOverflowWarning',
    ],
    ['the same text under another type', KAFKAJS_MESSAGE, 'DeprecationWarning'],
    ['a warning without a type', KAFKAJS_MESSAGE, undefined],
  ])('lets %s through', (_case, message, type) => {
    expect(isKafkajsTimerWarning(message, type)).toBe(false);
  });

  it('drops exactly that warning from the target and passes every other one on unchanged', () => {
    const emitted: unknown[][] = [];
    const target = {
      emitWarning: ((...args: unknown[]) => {
        emitted.push(args);
      }) as NodeJS.Process['emitWarning'],
    };
    dropKafkajsTimerWarning(target);
    dropKafkajsTimerWarning(target);

    target.emitWarning(KAFKAJS_MESSAGE, 'TimeoutNegativeWarning');
    target.emitWarning(
      '-250 is a negative number.\nTimeout duration was set to 1.',
      'TimeoutNegativeWarning',
    );
    target.emitWarning('old API', { type: 'DeprecationWarning', code: 'DEP0001' });

    expect(emitted).toEqual([
      ['-250 is a negative number.\nTimeout duration was set to 1.', 'TimeoutNegativeWarning'],
      ['old API', { type: 'DeprecationWarning', code: 'DEP0001' }],
    ]);
  });
});
