const MOD43 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';

/**
 * The HIBC mod-43 check character of `+` followed by `data`. Needed only to build a complete
 * primary symbol around a bare labeler/product/unit identifier so that `parseUdi` can judge its
 * structure; libs/udi does not export its own.
 */
export function hibccCheckCharacter(data: string): string {
  let sum = MOD43.indexOf('+');
  for (const character of data) {
    const value = MOD43.indexOf(character);
    if (value < 0) throw new RangeError(`"${character}" is not a HIBC character`);
    sum += value;
  }
  return MOD43.charAt(sum % 43);
}
