import {
  ClinicallyInvalidError,
  ConflictError,
  DomainError,
  InvalidInputError,
  NotFoundError,
  TooLargeError,
} from './domain-error';

class DeviceMissing extends NotFoundError {
  override readonly problemType = 'urn:example:device-missing';
}

describe('domain errors', () => {
  it.each([
    [new NotFoundError('no device'), 'not-found'],
    [new ConflictError('claimed'), 'conflict'],
    [new InvalidInputError('bad cursor'), 'invalid-input'],
    [new ClinicallyInvalidError('check digit'), 'clinically-invalid'],
    [new TooLargeError('too big'), 'too-large'],
  ])('%p is a DomainError of kind %s', (error, kind) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe(kind);
    expect(error.problems).toEqual([]);
    expect(error.problemType).toBeUndefined();
  });

  it('keeps its fields, its own name and a subclass problem type', () => {
    const error = new DeviceMissing('No device d1', [{ field: 'deviceId', message: 'unknown' }]);
    expect(error).toMatchObject({
      name: 'DeviceMissing',
      message: 'No device d1',
      kind: 'not-found',
      problemType: 'urn:example:device-missing',
      problems: [{ field: 'deviceId', message: 'unknown' }],
    });
  });
});
