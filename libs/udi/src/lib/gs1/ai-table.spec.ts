import { AI_TRUNCATED, AI_UNKNOWN, ALL_AI_DEFINITIONS, aiDefinition, lookupAi } from './ai-table';

describe('GS1 AI table', () => {
  it('holds the AIs of the GS1 General Specifications, each once', () => {
    const ais = ALL_AI_DEFINITIONS.map((d) => d.ai);
    expect(new Set(ais).size).toBe(ais.length);
    for (const ai of [
      '00',
      '01',
      '10',
      '11',
      '17',
      '21',
      '235',
      '7003',
      '8013',
      '8018',
      '8030',
      '99',
    ]) {
      expect(ais).toContain(ai);
    }
    // Measures: 310n-316n with n = 0-5; 3106 does not exist.
    expect(ais).toContain('3105');
    expect(ais).not.toContain('3106');
    expect(ais).toContain('3695');
    expect(ais).not.toContain('3380');
    expect(ais).not.toContain('23');
  });

  it('marks exactly the predefined-length AIs of figure 7.8.5-2 as needing no separator', () => {
    expect(aiDefinition('01')?.predefinedLength).toBe(true);
    expect(aiDefinition('17')?.predefinedLength).toBe(true);
    expect(aiDefinition('3103')?.predefinedLength).toBe(true);
    expect(aiDefinition('414')?.predefinedLength).toBe(true);
    // Fixed length but not predefined: a separator is still required after it.
    expect(aiDefinition('8018')?.predefinedLength).toBe(false);
    expect(aiDefinition('422')?.predefinedLength).toBe(false);
    expect(aiDefinition('10')?.predefinedLength).toBe(false);
  });

  it('computes lengths across components', () => {
    expect(aiDefinition('8003')).toMatchObject({ minLength: 14, maxLength: 30 });
    expect(aiDefinition('421')).toMatchObject({ minLength: 4, maxLength: 12 });
    expect(aiDefinition('8030')?.components[0]?.charset).toBe('Z');
    expect(aiDefinition('8010')?.components[0]?.charset).toBe('Y');
  });

  it('looks AIs up by their prefix-determined length', () => {
    expect(lookupAi('8018123', 0, 7)).toBe(aiDefinition('8018'));
    expect(lookupAi('x01', 1, 3)).toBe(aiDefinition('01'));
    expect(lookupAi('80', 0, 2)).toBe(AI_TRUNCATED);
    expect(lookupAi('8', 0, 1)).toBe(AI_TRUNCATED);
    expect(lookupAi('23', 0, 2)).toBe(AI_TRUNCATED);
    expect(lookupAi('230', 0, 3)).toBe(AI_UNKNOWN);
    expect(lookupAi('04', 0, 2)).toBe(AI_UNKNOWN);
    expect(lookupAi('3106', 0, 4)).toBe(AI_UNKNOWN);
    expect(lookupAi('8x18', 0, 4)).toBe(AI_UNKNOWN);
    expect(lookupAi('80x8', 0, 4)).toBe(AI_UNKNOWN);
    expect(lookupAi('8099', 0, 4)).toBe(AI_UNKNOWN);
    expect(aiDefinition('0')).toBeUndefined();
    expect(aiDefinition('011')).toBeUndefined();
  });
});
