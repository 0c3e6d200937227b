import type { Udi } from '../udi.types';
import { aiDefinition } from './ai-table';

export function assertGs1(udi: Udi, formatter: string): void {
  if (udi.issuingAgency !== 'GS1') {
    throw new RangeError(`${formatter}: a ${udi.issuingAgency} UDI has no GS1 encoding`);
  }
}

/**
 * The GS1 element string of a GS1 UDI as a scanner transmits it (FNC1 as GS, no symbology
 * identifier): elements in their stored order, a GS after every element whose AI is not of
 * predefined length unless it is the last one. Throws RangeError for a non-GS1 UDI.
 */
export function formatGs1ElementString(udi: Udi): string {
  assertGs1(udi, 'formatGs1ElementString');
  let out = '';
  const last = udi.elements.length - 1;
  udi.elements.forEach((e, i) => {
    out += e.ai + e.value;
    if (i < last && aiDefinition(e.ai)?.predefinedLength !== true) out += '\u001d';
  });
  return out;
}
