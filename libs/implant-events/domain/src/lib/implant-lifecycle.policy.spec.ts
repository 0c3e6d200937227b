import { ImplantTransitionRefusedError, nextImplantStatus } from './implant-lifecycle.policy';

describe('nextImplantStatus', () => {
  it('lets a live implant be explanted or entered in error', () => {
    expect(nextImplantStatus('implanted', 'explant')).toBe('explanted');
    expect(nextImplantStatus('implanted', 'enter-in-error')).toBe('entered-in-error');
  });

  it.each([
    ['explanted', 'explant'],
    ['explanted', 'enter-in-error'],
    ['entered-in-error', 'explant'],
    ['entered-in-error', 'enter-in-error'],
  ] as const)('refuses to %s an implant that is %s', (status, transition) => {
    expect(() => nextImplantStatus(status, transition)).toThrow(ImplantTransitionRefusedError);
  });

  it('refuses as a conflict, which the HTTP filter answers with 409', () => {
    expect(() => nextImplantStatus('explanted', 'explant')).toThrow(
      expect.objectContaining({ kind: 'conflict' }),
    );
  });
});
