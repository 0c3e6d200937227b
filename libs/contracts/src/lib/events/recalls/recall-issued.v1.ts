import { RecallDetailsValue } from './recall-details.value';

/** `recall.issued.v1`: a regulator issued a recall. */
export class RecallIssuedV1 extends RecallDetailsValue {}
