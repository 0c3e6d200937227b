/**
 * The GS1 modulo-10 check digit for the digits that precede it in a GS1 key (GTIN, GSRN,
 * SSCC, ...): weights 3 and 1 alternating from the rightmost digit, which has weight 3.
 */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const weight = (digits.length - i) % 2 === 1 ? 3 : 1;
    sum += (digits.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}
