import {
  assertReviewOpen,
  decideReview,
  type RecordingFacts,
  ReviewNotOpenError,
} from './implant-review.policy';

const clean: RecordingFacts = {
  verdict: 'OK',
  verdictReasons: [],
  entryMethod: 'barcode',
  nhsNumberUnavailable: false,
  parseWarnings: [],
  liveDuplicateIds: [],
};

describe('decideReview', () => {
  it('flags nothing for a known, unrecalled, scanned device and a known patient', () => {
    expect(decideReview(clean)).toEqual({ reviewFlags: [], warnings: [] });
  });

  it.each([
    ['RECALLED', 'recalled-device'],
    ['EXPIRED', 'expired-device'],
    ['UNKNOWN_DEVICE', 'unknown-device'],
    ['UNVERIFIED', 'unverified-device'],
  ] as const)('flags a %s device as %s', (verdict, flag) => {
    const decision = decideReview({ ...clean, verdict });
    expect(decision.reviewFlags).toEqual([flag]);
    expect(decision.warnings).toHaveLength(1);
  });

  it('keeps why an UNVERIFIED device could not be checked', () => {
    expect(
      decideReview({ ...clean, verdict: 'UNVERIFIED', verdictReasons: ['index catching up'] })
        .warnings,
    ).toEqual([
      'the device could not be checked against the catalogue and recalls',
      'unverified: index catching up',
    ]);
  });

  it('flags a manual entry, an unavailable NHS number, parse warnings and each duplicate', () => {
    expect(
      decideReview({
        ...clean,
        entryMethod: 'manual',
        nhsNumberUnavailable: true,
        parseWarnings: ['odd separator'],
        liveDuplicateIds: ['a', 'b'],
      }),
    ).toEqual({
      reviewFlags: ['manual-entry', 'nhs-number-unavailable', 'parse-warning', 'duplicate-serial'],
      warnings: [
        'the device was entered by hand',
        'the patient has no NHS number yet',
        'barcode: odd separator',
        'the device identifier and serial are already live in implant a',
        'the device identifier and serial are already live in implant b',
      ],
    });
  });
});

describe('assertReviewOpen', () => {
  it('lets an open review be resolved', () => {
    expect(() =>
      assertReviewOpen({ reviewFlags: ['manual-entry'], resolvedAt: null }),
    ).not.toThrow();
  });

  it('refuses an implant never flagged, and a review already resolved, as conflicts', () => {
    expect(() => assertReviewOpen({ reviewFlags: [], resolvedAt: null })).toThrow(
      ReviewNotOpenError,
    );
    expect(() =>
      assertReviewOpen({
        reviewFlags: ['manual-entry'],
        resolvedAt: new Date('2026-12-01T00:00:00Z'),
      }),
    ).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });
});
