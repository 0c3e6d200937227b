/** What the WebAssembly reader reports of one barcode (the fields used here). */
export interface BarcodeReading {
  text: string;
  symbologyIdentifier: string;
}

// The GS1 symbologies: their identifier tells the UDI parser that the text is a GS1 element
// string (FNC1 in first position), which the text itself no longer shows.
const GS1_SYMBOLOGIES = new Set([']C1', ']d2', ']Q3', ']e0', ']J1']);

/**
 * A camera reading as a wedge scanner would send it: a GS1 DataMatrix, GS1-128 or GS1 QR with
 * its symbology identifier in front; HIBCC, ISBT 128 and Digital Link URIs as their text.
 */
export function scanTextOfReading({ text, symbologyIdentifier }: BarcodeReading): string {
  return GS1_SYMBOLOGIES.has(symbologyIdentifier) ? `${symbologyIdentifier}${text}` : text;
}
