import { isVerdict, presentLateVerdict, presentVerdict, VERDICTS } from './verdict-presentation';

describe('verdict presentation', () => {
  it.each(VERDICTS)('%s has words, a colour and a sound: never colour alone', (verdict) => {
    const presentation = presentVerdict(verdict);
    expect(presentation.headline.length).toBeGreaterThan(0);
    expect(presentation.instruction.length).toBeGreaterThan(0);
    expect(presentation.tone).toBeDefined();
    expect(presentation.sound).toBeDefined();
  });

  it('stops for RECALLED until the person acknowledges it, announced at once', () => {
    expect(presentVerdict('RECALLED')).toMatchObject({
      headline: 'RECALLED',
      tone: 'stop',
      sound: 'alarm',
      requiresAcknowledgement: true,
      assertive: true,
    });
    expect(presentVerdict('OK')).toMatchObject({ requiresAcknowledgement: false, tone: 'go' });
  });

  it('never lets an unverified check pass without an acknowledgement', () => {
    expect(presentVerdict('UNVERIFIED').requiresAcknowledgement).toBe(true);
  });

  it('says a late RECALLED of an offline recording loudly, as a report to the team', () => {
    expect(presentLateVerdict('RECALLED')).toMatchObject({
      headline: 'RECALLED',
      qualifier: 'recorded while offline',
      requiresAcknowledgement: true,
      sound: 'alarm',
    });
    expect(presentLateVerdict('OK')).toEqual(presentVerdict('OK'));
  });

  it('knows the verdicts of the API and nothing else', () => {
    expect(isVerdict('RECALLED')).toBe(true);
    expect(isVerdict('recalled')).toBe(false);
  });
});
